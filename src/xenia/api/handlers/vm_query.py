"""VM questions clients ask before they act: free device slots, whether an operation may run, where it may boot.

Ansible's ``xenserver_guest`` asks ``get_allowed_VBD_devices`` and ``get_allowed_VIF_devices``
on every reconfigure; XenCenter-style clients ask ``assert_operation_valid`` and
``get_possible_hosts``.  The answers follow xapi's ``Xapi_vm_helpers`` and lifecycle checks.
"""

from __future__ import annotations

import re

from xenia.api.context import Call
from xenia.api.implicit import get_record
from xenia.api.methods import handler
from xenia.datamodel.errors import ApiError
from xenia.db import Db, Record
from xenia.ops import lifecycle, record
from xenia.ops.spec import domain_spec
from xenia.pool import placement

#: xapi's high-water marks (CA-6525): disks 0-254 (dom0 0-255), NICs 0-15
_DISKS, _DOM0_DISKS, _NICS = 255, 256, 16
_LINUX_DISK = re.compile(r"^(xvd|hd)([a-z]+)$")


def _disk_numbers(text: str, hvm: bool) -> set[tuple[str, int]]:
    """The devices a VBD's ``userdevice`` or ``device`` string may name, as xapi's
    ``possible_VBD_devices_of_string``: a bare number either way, ``xvdX`` a Xen disk, ``hdX`` an IDE one."""
    if text.isdigit():
        n = int(text)
        return {_bus(n, hvm=True), _bus(n, hvm=False)}
    match = _LINUX_DISK.match(text)
    if not match:
        return set()
    n = 0
    for c in match.group(2):
        n = n * 26 + ord(c) - ord("a") + 1
    return {("xen" if match.group(1) == "xvd" else "ide", n - 1)}


def _bus(n: int, hvm: bool) -> tuple[str, int]:
    """xapi's ``Device_number.of_disk_number``: an HVM guest's first four disks are IDE."""
    return ("ide" if hvm and n < 4 else "xen", n)


def _hvm(rec: Record) -> bool:
    """xapi's ``will_have_qemu``: the VM's domain type is ``hvm``."""
    return bool(rec["domain_type"] == "hvm")


@handler("VM.get_allowed_VBD_devices")
def get_allowed_vbd_devices(call: Call, vm: str) -> list[str]:
    db = call.db
    rec = db.get("VM", vm)
    hvm = _hvm(rec)
    used: set[tuple[str, int]] = set()
    for vbd in db.referrers("VBD", "VM", vm):
        vbd_rec = db.get("VBD", vbd)
        used |= _disk_numbers(vbd_rec["userdevice"], hvm) | _disk_numbers(vbd_rec["device"], hvm)
    limit = _DOM0_DISKS if rec["is_control_domain"] and not hvm else _DISKS
    return [str(n) for n in range(limit) if _bus(n, hvm) not in used]


@handler("VM.get_allowed_VIF_devices")
def get_allowed_vif_devices(call: Call, vm: str) -> list[str]:
    db = call.db
    db.get("VM", vm)
    used = {db.get("VIF", vif)["device"] for vif in db.referrers("VIF", "VM", vm)}
    return [str(n) for n in range(_NICS) if str(n) not in used]


@handler("VM.get_boot_record")
def get_boot_record(call: Call, self: str) -> Record:
    """xapi answers with the VM's current record (``Db.VM.get_record``)."""
    return get_record(call.db, "VM", self)


@handler("VM.assert_operation_valid")
def assert_operation_valid(call: Call, self: str, op: str) -> None:
    lifecycle.require(self, call.db.get("VM", self), op)


@handler("VM.update_allowed_operations")
def update_allowed_operations(call: Call, self: str) -> None:
    record.refresh_allowed(call.db, self, call.app.services["ops"].cannot)


def _can_boot_here(db: Db, vm: str, host: str, free: int) -> None:
    """xapi's ``assert_can_boot_here`` on a host of its own: the VM's disks and memory."""
    rec = db.get("VM", vm)
    for vbd in db.referrers("VBD", "VM", vm):
        vdi = db.get("VBD", vbd)["VDI"]
        if db.exists("VDI", vdi) and db.get("VDI", vdi)["missing"]:
            raise ApiError("VDI_NOT_AVAILABLE", vdi)
    if rec["power_state"] == "Halted":
        needed = domain_spec(db, vm).memory_target
        if needed > free:
            raise ApiError("HOST_NOT_ENOUGH_FREE_MEMORY", needed, free)


async def _free_memory(call: Call) -> int:
    free: int = await call.app.services["ops"].driver.host.memory_free()
    return free


@handler("VM.assert_can_boot_here", placement=True)
async def assert_can_boot_here(call: Call, self: str, host: str) -> None:
    call.db.get("host", host)
    if "pool" in call.app.services:
        here = host == call.app.host_ref
        free = await _free_memory(call) if here else placement.free_memory(call.db, host)
        placement.assert_can_boot_on(call.db, self, host, free)
        return
    if host != call.app.host_ref:
        raise ApiError("HOST_OFFLINE", host)
    _can_boot_here(call.db, self, host, await _free_memory(call))


@handler("VM.get_possible_hosts", placement=True)
async def get_possible_hosts(call: Call, vm: str) -> list[str]:
    """The hosts the VM could start on now: this one, unless the VM could not boot here (in a pool:
    every member that passes ``assert_can_boot_here``)."""
    if "pool" in call.app.services:
        call.db.get("VM", vm)
        return placement.possible_hosts(call.db, vm, call.app.host_ref, await _free_memory(call))
    try:
        _can_boot_here(call.db, vm, call.app.host_ref, await _free_memory(call))
    except ApiError:
        return []
    return [call.app.host_ref]


@handler("VM.get_cooperative")
def get_cooperative(call: Call, self: str) -> bool:
    """Deprecated in xapi, which answers true for every VM."""
    call.db.get("VM", self)
    return True


def _properly_shared(db: Db, cls: str, ref: str) -> bool:
    """xapi's ``Agility``: every enabled host sees the SR (a plugged PBD of a shared SR) or network (a PIF)."""
    enabled = {h for h in db.refs("host") if db.get("host", h)["enabled"]}
    if cls == "SR":
        if not db.get("SR", ref)["shared"]:
            return False
        seen = {db.get("PBD", p)["host"] for p in db.referrers("PBD", "SR", ref) if db.get("PBD", p)["currently_attached"]}
    else:
        seen = {db.get("PIF", p)["host"] for p in db.referrers("PIF", "network", ref)}
    return enabled <= seen


@handler("VM.assert_agile")
def assert_agile(call: Call, self: str) -> None:
    """Whether the VM could run on any host of the pool: its disks on shared SRs, its NICs on networks
    every host has (xapi's ``vm_assert_agile``)."""
    db = call.db
    db.get("VM", self)
    for vbd in db.referrers("VBD", "VM", self):
        rec = db.get("VBD", vbd)
        if rec["empty"] or not db.exists("VDI", rec["VDI"]):
            continue
        sr = db.get("VDI", rec["VDI"])["SR"]
        if not _properly_shared(db, "SR", sr):
            raise ApiError("HA_CONSTRAINT_VIOLATION_SR_NOT_SHARED", sr)
    for vif in db.referrers("VIF", "VM", self):
        network = db.get("VIF", vif)["network"]
        if not _properly_shared(db, "network", network):
            raise ApiError("HA_CONSTRAINT_VIOLATION_NETWORK_NOT_SHARED", network)


@handler("VM.compute_memory_overhead")
def compute_memory_overhead(call: Call, vm: str) -> int:
    """What xenia accounts for the VM beyond its own memory: its ``memory_overhead`` (xapi computes
    Xen's shadow-memory model here; KVM and the simulator have no such model, and xenia's memory
    checks count the VM's memory only)."""
    overhead: int = call.db.get("VM", vm)["memory_overhead"]
    return overhead


@handler("VM.maximise_memory")
def maximise_memory(call: Call, self: str, total: int, approximate: bool) -> int:
    """The largest ``memory_static_max`` whose footprint (it plus the overhead) fits in ``total``,
    rounded down to a MiB, as xapi's bisection answers."""
    overhead: int = call.db.get("VM", self)["memory_overhead"]
    mib = 1 << 20
    return max(0, (total - overhead) // mib * mib)
