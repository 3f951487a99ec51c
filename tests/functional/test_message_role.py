"""message.create/get/destroy_many and the role permission queries, through the official SDK.

xapi (``xapi_message.ml``): a message names an object of class VM, Host, SR, Pool or VDI by uuid
(else UUID_INVALID [cls, uuid]); ``get`` answers the object's messages newer than ``since``;
``destroy_many`` destroys one by one.  Roles are totally ordered: pool-admin holds every
permission read-only does, and a message's permission is its lowercased wire name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess


@pytest.fixture(scope="module")
def api(daemon: DaemonProcess) -> Iterator[Any]:
    session = XenAPI.Session(daemon.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "message-role")
    yield session.xenapi
    session.xenapi.session.logout()


def error(fn: Any, *args: Any) -> list[str]:
    with pytest.raises(XenAPI.Failure) as info:
        fn(*args)
    details: list[str] = info.value.details
    return details


def test_messages_about_an_object(api: Any) -> None:
    host = api.host.get_all()[0]
    uuid = api.host.get_uuid(host)
    first = api.message.create("BACKUP_DONE", "3", "Host", uuid, "nightly backup finished")
    second = api.message.create("BACKUP_DONE", "2", "Host", uuid, "weekly backup finished")
    record = api.message.get_record(first)
    assert (record["name"], record["priority"], record["cls"], record["obj_uuid"], record["body"]) == (
        "BACKUP_DONE", "3", "Host", uuid, "nightly backup finished")  # fmt: skip
    found = api.message.get("Host", uuid, "19700101T00:00:00Z")
    assert {first, second} <= set(found)
    assert all(r["obj_uuid"] == uuid for r in found.values())
    assert api.message.get("Host", uuid, "29991231T00:00:00Z") == {}
    assert error(api.message.create, "X", "1", "VM", uuid, "not a VM") == ["UUID_INVALID", "VM", uuid]
    assert error(api.message.get, "SR", "no-such-uuid", "19700101T00:00:00Z") == ["UUID_INVALID"]
    api.message.destroy_many([first, second])
    assert first not in api.message.get_all() and second not in api.message.get_all()
    assert error(api.message.destroy_many, [first])[0] == "HANDLE_INVALID"


def test_permissions_by_role(api: Any) -> None:
    by_name = {api.role.get_name_label(r): r for r in api.role.get_all()}
    admin = set(api.role.get_permissions_name_label(by_name["pool-admin"]))
    reader = set(api.role.get_permissions_name_label(by_name["read-only"]))
    operator = set(api.role.get_permissions_name_label(by_name["vm-operator"]))
    assert "vm.get_record" in reader and "vm.start" not in reader
    assert "vm.start" in operator and "vm.destroy" not in operator
    assert reader < operator < admin
    holders = {api.role.get_name_label(r) for r in api.role.get_by_permission_name_label("vm.start")}
    assert holders == {"vm-operator", "vm-admin", "vm-power-admin", "pool-operator", "pool-admin"}
    assert api.role.get_by_permission_name_label("no.such_permission") == []



def test_no_external_subjects(api: Any) -> None:
    """Without external authentication there are no subjects: the list is empty and logging one out
    ends no session (the caller's own keeps working)."""
    assert api.session.get_all_subject_identifiers() == []
    api.session.logout_subject_identifier("S-1-5-21-0-0-0-1000")
    assert api.pool.get_all() != []
