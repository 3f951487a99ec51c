"""Where a VM may run in a pool, and where ``VM.start`` puts it: xapi's ``Xapi_vm_helpers`` checks.

A host takes a VM when it is live (its lease holds), enabled, reaches every SR the VM's disks are
on (a PBD plugged on that host: a shared SR has one on every member), and has the VM's memory
free.  ``VM.start`` without a host picks, among those, the one with the most free memory (xapi
without workload balancing places by free memory too).  A host's free memory is what its member
last wrote to ``host_metrics.memory_free``; this member's own comes from its driver, fresh.
"""

from __future__ import annotations

from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF
from xenia.db import Db
from xenia.ops.spec import domain_spec


def is_live(db: Db, host: str) -> bool:
    metrics = db.get("host", host)["metrics"]
    return metrics != NULL_REF and db.exists("host_metrics", metrics) and bool(db.get("host_metrics", metrics)["live"])


def free_memory(db: Db, host: str) -> int:
    metrics = db.get("host", host)["metrics"]
    if metrics == NULL_REF or not db.exists("host_metrics", metrics):
        return 0
    free: int = db.get("host_metrics", metrics)["memory_free"]
    return free


def _reaches(db: Db, host: str, sr: str) -> bool:
    return any(db.get("PBD", p)["host"] == host and db.get("PBD", p)["currently_attached"]
               for p in db.referrers("PBD", "SR", sr))  # fmt: skip


def assert_can_boot_on(db: Db, vm: str, host: str, free: int) -> None:
    """xapi's ``assert_can_boot_here``: live, its disks' SRs reachable, the memory free."""
    db.get("host", host)
    if not is_live(db, host):
        raise ApiError("HOST_NOT_LIVE")
    rec = db.get("VM", vm)
    for vbd in db.referrers("VBD", "VM", vm):
        vdi = db.get("VBD", vbd)["VDI"]
        if not db.exists("VDI", vdi):
            continue
        if db.get("VDI", vdi)["missing"]:
            raise ApiError("VDI_NOT_AVAILABLE", vdi)
        sr = db.get("VDI", vdi)["SR"]
        if not _reaches(db, host, sr):
            raise ApiError("VM_REQUIRES_SR", vm, sr)
    if rec["power_state"] == "Halted":
        needed = domain_spec(db, vm).memory_target
        if needed > free:
            raise ApiError("HOST_NOT_ENOUGH_FREE_MEMORY", needed, free)


def possible_hosts(db: Db, vm: str, here: str, free_here: int) -> list[str]:
    out = []
    for host in db.refs("host"):
        try:
            assert_can_boot_on(db, vm, host, free_here if host == here else free_memory(db, host))
        except ApiError:
            continue
        out.append(host)
    return out


def choose_host(db: Db, vm: str, here: str, free_here: int) -> str:
    """The enabled possible host with the most free memory (this one on a tie); NO_HOSTS_AVAILABLE if none."""
    best: tuple[int, bool, str] | None = None
    for host in possible_hosts(db, vm, here, free_here):
        if not db.get("host", host)["enabled"]:
            continue
        key = (free_here if host == here else free_memory(db, host), host == here, host)
        if best is None or key > best:
            best = key
    if best is None:
        raise ApiError("NO_HOSTS_AVAILABLE")
    return best[2]
