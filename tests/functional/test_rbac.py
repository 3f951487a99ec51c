"""Roles are enforced on every message, from its declared roles; read-only users read everything.

The list of mutating messages is generated from the datamodel (every message whose least role is above
read-only), never written by hand, so a new message is covered the day it is declared.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from xenia.api.methods import build_table
from xenia.client import Failure, Session
from xenia.datamodel import MODEL
from xenia.datamodel.meta import Kind, Role, Type
from xenia.testing.daemon import DaemonProcess

TABLE = build_table()
MUTATING = sorted(w for w, m in TABLE.items() if m.session_first and (m.min_role > Role.READ_ONLY or m.message.root_only))
#: xapi checks an ``Async.`` call's roles before it creates the task, under the synchronous name
#: (gen_server.ml strips the prefix before ``Rbac.check``), so the same denial comes back at once
MUTATING_ASYNC = [w for w in MUTATING if TABLE[w].message.is_async]
READERS = sorted(w for w, m in TABLE.items() if m.message.name in ("get_all", "get_all_records"))


_DUMMIES: dict[Kind, Any] = {
    Kind.STRING: "x", Kind.REF: "OpaqueRef:NULL", Kind.INT: 1, Kind.FLOAT: 1.0, Kind.BOOL: False,
    Kind.DATETIME: "20260101T00:00:00Z", Kind.SET: [], Kind.MAP: {}, Kind.RECORD: {}, Kind.VOID: "",
}  # fmt: skip


def dummy(t: Type) -> Any:
    """A value of the right type, so the call gets past unmarshalling to the role check."""
    if t.kind is Kind.ENUM:
        return MODEL.enums[t.name].values[0]
    return _DUMMIES[t.kind]


def add_user(daemon: DaemonProcess, name: str, role: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "xenia.cli.main", "user", "--socket", str(daemon.socket_path), "add", name,
         "--role", role, "--password", f"{name}-pw"],
        check=True,
    )  # fmt: skip


@pytest.fixture(scope="module")
def readonly(daemon: DaemonProcess) -> Session:
    add_user(daemon, "reader", "read-only")
    session = Session(daemon.url)
    session.login("reader", "reader-pw")
    return session


def test_generated_list_is_not_empty() -> None:
    assert "VM.destroy" in MUTATING and "VM.set_name_label" in MUTATING and "VM.clone" in MUTATING
    assert "VM.get_record" not in MUTATING


@pytest.mark.parametrize("wire", MUTATING)
def test_read_only_user_is_denied(readonly: Session, wire: str) -> None:
    method = TABLE[wire]
    args = [dummy(p.type) for p in method.params]
    with pytest.raises(Failure) as info:
        readonly.call(wire, readonly.handle, *args)
    assert info.value.details[0] == "RBAC_PERMISSION_DENIED"
    assert info.value.details[1] == wire.lower()
    assert "No permission in user session" in info.value.details[2]


@pytest.mark.parametrize("wire", MUTATING_ASYNC)
def test_read_only_user_is_denied_async_forms_before_any_task(readonly: Session, wire: str) -> None:
    method = TABLE[wire]
    args = [dummy(p.type) for p in method.params]
    with pytest.raises(Failure) as info:
        readonly.call(f"Async.{wire}", readonly.handle, *args)
    assert info.value.details[0] == "RBAC_PERMISSION_DENIED"
    assert info.value.details[1] == wire.lower()


def test_async_forms_are_covered() -> None:
    assert "VM.start" in MUTATING_ASYNC and "VM.clone" in MUTATING_ASYNC


@pytest.mark.parametrize("wire", READERS)
def test_read_only_user_reads_everything(readonly: Session, wire: str) -> None:
    readonly.call(wire, readonly.handle)


def test_vm_operator_limits(daemon: DaemonProcess) -> None:
    add_user(daemon, "operator", "vm-operator")
    op = Session(daemon.url)
    op.login("operator", "operator-pw")
    vm = op.call("VM.get_all", op.handle)[0]
    op.call("VM.add_tags", op.handle, vm, "seen-by-operator")  # vm-operator may tag
    with pytest.raises(Failure) as info:
        op.call("VM.set_name_label", op.handle, vm, "renamed")  # vm-admin may rename
    assert info.value.details[0] == "RBAC_PERMISSION_DENIED"
    assert "vm-admin" in info.value.details[2] and "vm-operator" not in info.value.details[2]


def test_user_lifecycle_through_the_cli(daemon: DaemonProcess) -> None:
    add_user(daemon, "temp", "vm-admin")
    out = subprocess.run([sys.executable, "-m", "xenia.cli.main", "user", "--socket", str(daemon.socket_path), "list"],
                         check=True, capture_output=True, text=True).stdout  # fmt: skip
    assert "temp\tvm-admin" in out
    session = Session(daemon.url)
    session.login("temp", "temp-pw")
    subprocess.run([sys.executable, "-m", "xenia.cli.main", "user", "--socket", str(daemon.socket_path), "del", "temp"],
                   check=True)  # fmt: skip
    with pytest.raises(Failure) as info:
        session.call("pool.get_all", session.handle)
    assert info.value.details[0] == "SESSION_INVALID"
