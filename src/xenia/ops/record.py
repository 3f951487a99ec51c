"""Mirror what the driver reports into the db: power state, domid, metrics, devices, host memory.

The driver owns runtime facts; these functions are the only writers of their
copies in the db (``VM.power_state``, ``domid``, ``resident_on``, VM_metrics,
VM_guest_metrics, ``currently_attached``), each in one batch so clients never
see half an update.
"""

from __future__ import annotations

from xenia.datamodel.meta import NULL_REF
from xenia.db import Db
from xenia.drivers.base import DomainState, RunState
from xenia.ops import lifecycle
from xenia.util.clock import xapi_time


def refresh_allowed(db: Db, vm: str, cannot: frozenset[str] = lifecycle.NOT_SERVED) -> None:
    """Recompute a VM's ``allowed_operations`` (ops runs this at the end of every batch touching a VM
    or its metrics); ``cannot``: the operations the driver cannot carry out (:func:`lifecycle.unsupported`)."""
    rec = db.get("VM", vm)
    allowed = lifecycle.allowed_operations(vm, rec, cannot, _guest(db, rec))
    if allowed != rec["allowed_operations"]:
        db.set("VM", vm, "allowed_operations", allowed)


def _guest(db: Db, rec: dict[str, object]) -> lifecycle.Guest:
    """What the guest reported (its guest metrics) and how it booted (its metrics), for the feature checks."""
    # one row lookup each (not exists + get): every VM's list is recomputed at start-up (issue 12)
    gm, metrics = rec["guest_metrics"], rec["metrics"]
    other: dict[str, str] = {}
    pv_drivers = booted_pv = False
    grec = db.find("VM_guest_metrics", gm) if isinstance(gm, str) and gm != NULL_REF else None
    if grec is not None:
        other = grec["other"]
        pv_drivers = "major" in grec["PV_drivers_version"]
    mrec = db.find("VM_metrics", metrics) if isinstance(metrics, str) and metrics != NULL_REF else None
    if mrec is not None:
        booted_pv = mrec["current_domain_type"] in ("pv", "pv_in_pvh", "pvh")
    return lifecycle.Guest(other, pv_drivers, booted_pv)


def _devices_attached(db: Db, vm: str, attached: bool, state: DomainState | None = None) -> None:
    """Mark the VM's VBDs and VIFs attached or not; with ``state``, exactly those the domain has (a device
    created on a running VM stays unplugged until ``plug``, one unplugged stays so)."""
    present = {"VBD": {d.userdevice for d in state.disks}, "VIF": {n.device for n in state.nics}} if state else None
    for cls, key in (("VBD", "userdevice"), ("VIF", "device")):
        for ref in db.referrers(cls, "VM", vm):
            rec = db.get(cls, ref)
            now = attached if present is None else rec[key] in present[cls]
            if rec["currently_attached"] != now:
                db.set(cls, ref, "currently_attached", now)


def _metrics(db: Db, vm: str) -> str:
    ref: str = db.get("VM", vm)["metrics"]
    if ref == NULL_REF or not db.exists("VM_metrics", ref):
        ref = db.create("VM_metrics", {})
        db.set("VM", vm, "metrics", ref)
    return ref


def _guest_metrics(db: Db, vm: str, state: DomainState) -> None:
    features = sorted(state.guest_features)
    values = {
        "PV_drivers_detected": bool(features),
        "PV_drivers_up_to_date": bool(features),
        "other": {f: "1" for f in features},
        "live": True,
        "last_updated": xapi_time(),
    }
    ref = db.get("VM", vm)["guest_metrics"]
    if ref != NULL_REF and db.exists("VM_guest_metrics", ref):
        current = db.get("VM_guest_metrics", ref)
        if any(current[k] != v for k, v in values.items() if k != "last_updated"):
            db.update("VM_guest_metrics", ref, **values)
    else:
        db.set("VM", vm, "guest_metrics", db.create("VM_guest_metrics", values))


def live(db: Db, vm: str, host: str, state: DomainState) -> None:
    """The VM has a live domain in ``state`` (running or paused)."""
    power = "Paused" if state.run_state is RunState.PAUSED else "Running"
    with db.batch():
        rec = db.get("VM", vm)
        if (rec["power_state"], rec["domid"], rec["resident_on"]) != (power, state.domid, host):
            # only when it changed: in a pool another member may write the record meanwhile (pool_migrate)
            db.update("VM", vm, power_state=power, domid=state.domid, resident_on=host)
        db.update(
            "VM_metrics",
            _metrics(db, vm),
            memory_actual=state.memory_actual,
            VCPUs_number=state.vcpus,
            start_time=xapi_time(state.start_time),
            state=[power.lower()],
            last_updated=xapi_time(),
        )
        _guest_metrics(db, vm, state)
        _devices_attached(db, vm, True, state)


def consoles(db: Db, vm: str, protocols: list[str], url: str) -> None:
    """Make the VM's ``console`` objects those of its domain, as xapi's xenops event handler does.

    One object per protocol the domain serves (``rfb`` for VNC, ``vt100`` for
    the serial console), each with the location ``<url>?uuid=<console uuid>``
    (xapi: ``https://<host address>/console?uuid=...``); objects of protocols
    the domain no longer has are destroyed.
    """
    current = {db.get("console", c)["protocol"]: c for c in db.referrers("console", "VM", vm)}
    with db.batch():
        for protocol, ref in current.items():
            if protocol not in protocols:
                db.destroy("console", ref)
        for protocol in protocols:
            ref = current.get(protocol) or db.create("console", {"protocol": protocol, "VM": vm})
            location = f"{url}?uuid={db.get('console', ref)['uuid']}"
            if db.get("console", ref)["location"] != location:  # new, or the daemon now listens elsewhere
                db.set("console", ref, "location", location)


def is_recorded_live(db: Db, vm: str, host: str, state: DomainState) -> bool:
    """Whether the db already holds what :func:`live` would write for ``state`` (timestamps aside).

    At start-up nearly every adopted domain is exactly as the db left it; skipping those keeps a
    restart with 10 000 running VMs from rewriting (and re-indexing, re-logging) 10 000 records."""
    rec = db.get("VM", vm)
    power = "Paused" if state.run_state is RunState.PAUSED else "Running"
    if rec["power_state"] != power or rec["domid"] != state.domid or rec["resident_on"] != host:
        return False
    m = db.find("VM_metrics", rec["metrics"])
    g = db.find("VM_guest_metrics", rec["guest_metrics"])
    if m is None or g is None:
        return False
    if (m["memory_actual"], m["VCPUs_number"], m["state"]) != (state.memory_actual, state.vcpus, [power.lower()]):
        return False
    if m["start_time"] != xapi_time(state.start_time):
        return False
    features = sorted(state.guest_features)
    if (g["PV_drivers_detected"], g["other"], g["live"]) != (bool(features), {f: "1" for f in features}, True):
        return False
    return all(db.get(cls, ref)["currently_attached"] for cls in ("VBD", "VIF") for ref in db.referrers(cls, "VM", vm))


def halted(db: Db, vm: str) -> None:
    """The VM has no domain and no suspend image."""
    with db.batch():
        for console in db.referrers("console", "VM", vm):
            db.destroy("console", console)
        db.update("VM", vm, power_state="Halted", domid=-1, resident_on=NULL_REF, scheduled_to_be_resident_on=NULL_REF,
                  xenia_live="")  # no domain: no live configuration (xenia.ops.liveconfig)
        db.update("VM_metrics", _metrics(db, vm), memory_actual=0, VCPUs_number=0, state=["halted"])
        gm = db.get("VM", vm)["guest_metrics"]
        if gm != NULL_REF and db.exists("VM_guest_metrics", gm):
            db.destroy("VM_guest_metrics", gm)
            db.set("VM", vm, "guest_metrics", NULL_REF)
        _devices_attached(db, vm, False)


def suspended(db: Db, vm: str, suspend_vdi: str) -> None:
    with db.batch():
        halted(db, vm)
        db.update("VM", vm, power_state="Suspended", suspend_VDI=suspend_vdi)
        db.update("VM_metrics", _metrics(db, vm), state=["suspended"])


def host_memory(db: Db, host: str, free: int) -> None:
    metrics = db.get("host", host)["metrics"]
    if metrics != NULL_REF and db.exists("host_metrics", metrics) and db.get("host_metrics", metrics)["memory_free"] != free:
        db.update("host_metrics", metrics, memory_free=free, last_updated=xapi_time())


def message(db: Db, name: str, vm: str, body: str, priority: int = 3) -> str:
    """A message object for the administrator (xapi's alerts)."""
    return db.create(
        "message",
        {"name": name, "priority": priority, "cls": "VM", "obj_uuid": db.get("VM", vm)["uuid"],
         "timestamp": xapi_time(), "body": body},
    )  # fmt: skip
