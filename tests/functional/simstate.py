"""What the simulator driver really runs, read from its state file, and the checks that the API agrees.

The simulator commits every domain change to ``<state>/sim/domains.sqlite`` before a driver call
returns; these helpers read it (read-only, beside the running daemon) so a test can compare the
XenAPI view with the driver's, as an administrator would compare ``xe vm-list`` with ``xl list``.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from tests.xapi_lifecycle import expected_allowed_operations

#: the driver's run state a live VM's power_state must match
_RUN_STATE = {"Running": "running", "Paused": "paused"}


@dataclass(frozen=True)
class Domain:
    vm_uuid: str
    domid: int
    run_state: str
    reason: str | None
    reserved: int


def domains_file(state_dir: Path) -> Path:
    return state_dir / "sim" / "domains.sqlite"


def driver_domains(state_dir: Path) -> dict[str, Domain]:
    """The simulator's domains by VM uuid, as committed."""
    path = domains_file(state_dir)
    if not path.exists():
        return {}
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT uuid, data FROM domains").fetchall()
    finally:
        db.close()
    out: dict[str, Domain] = {}
    for uuid, data in rows:
        j = orjson.loads(data)
        out[uuid] = Domain(uuid, j["domid"], j["run_state"], j["reason"], max(j["actual"], j["target"]))
    return out


def forget_domain(state_dir: Path, vm_uuid: str) -> None:
    """Make a domain vanish behind the daemon's back (only while the daemon is down)."""
    db = sqlite3.connect(domains_file(state_dir), isolation_level=None)
    try:
        db.execute("DELETE FROM domains WHERE uuid = ?", (vm_uuid,))
    finally:
        db.close()


def assert_consistent(api: Any, vm: str, state_dir: Path) -> dict[str, Any]:
    """The VM's record agrees with the driver and with xapi's lifecycle rules; no operation is left behind.

    ``api`` is ``XenAPI.Session(...).xenapi``. Returns the VM's record.
    """
    rec: dict[str, Any] = api.VM.get_record(vm)
    dom = driver_domains(state_dir).get(rec["uuid"])
    power = rec["power_state"]
    domid = int(rec["domid"])
    if power in _RUN_STATE:
        assert dom is not None, f"{power} VM has no domain"
        assert dom.run_state == _RUN_STATE[power], f"{power} VM, driver says {dom.run_state}"
        assert dom.domid == domid
    else:
        assert dom is None, f"{power} VM has a domain {dom}"
        assert domid == -1
    assert (power == "Suspended") == (rec["suspend_VDI"] != "OpaqueRef:NULL")
    assert rec["current_operations"] == {}
    assert_allowed_operations(api, vm)
    actual = int(api.VM_metrics.get_memory_actual(rec["metrics"]))
    assert (actual > 0) == (power in _RUN_STATE), f"{power} VM with memory_actual {actual}"
    if power not in _RUN_STATE:
        assert not any(api.VBD.get_currently_attached(vbd) for vbd in rec["VBDs"])
        assert not any(api.VIF.get_currently_attached(vif) for vif in rec["VIFs"])
    assert_host_memory(api, state_dir)
    return rec


def assert_allowed_operations(api: Any, vm: str) -> None:
    """``allowed_operations`` is what xapi's rules allow, given the guest's reports and boot mode.

    The VM record and its metrics are read in separate calls, so a guest report that lands in
    between is seen in one and not the other: the reads are repeated until they come from one state.
    """
    for _ in range(50):
        before = _guest_records(api, vm)
        rec = api.VM.get_record(vm)
        after = _guest_records(api, vm)
        if before == after:
            got, want = set(rec["allowed_operations"]), expected_allowed_operations(vm, rec, *after)
            assert got == want, f"allowed_operations: xenia only {sorted(got - want)}, xapi only {sorted(want - got)}"
            return
        time.sleep(0.02)
    raise AssertionError("the guest's reports never stood still")


def _guest_records(api: Any, vm: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    gm, metrics = api.VM.get_guest_metrics(vm), api.VM.get_metrics(vm)
    return (None if gm == "OpaqueRef:NULL" else api.VM_guest_metrics.get_record(gm),
            None if metrics == "OpaqueRef:NULL" else api.VM_metrics.get_record(metrics))  # fmt: skip


def assert_host_memory(api: Any, state_dir: Path) -> None:
    """host_metrics.memory_free = total - what the driver's domains hold."""
    host = api.host.get_all()[0]
    metrics = api.host_metrics.get_record(api.host.get_metrics(host))
    held = sum(d.reserved for d in driver_domains(state_dir).values())
    assert int(metrics["memory_free"]) == int(metrics["memory_total"]) - held
