"""Scope, drift and partial results of changes to running VMs (issue 14).

A running VM has two configurations: the persistent one (the VM record) and the live one (what its
domain was built with, plus what was changed live since).  This module keeps the second in the VM's
hidden ``xenia_live`` field as JSON::

    {"booted": {field: value at domain creation, ...},
     "changes": {key: {"state": ..., "scope": ..., "requested": ...}, ...}}

and derives from both what neither xapi nor libvirt shows in one place: the drift report (each field
whose live and persistent values differ, with its state), ``VM.requires_reboot`` and the outcome of a
balloon request.  A change of ``xenia_live`` is a change of the VM, so ``event.from`` clients wake up
when the drift moves.  The states:

``pending_reboot``    the persistent value changed and cannot be applied live (or was changed with
                      scope persistent only): the next boot applies it.
``applying``          a balloon on its way to its target, a vCPU the guest has yet to release.
``partial``           the guest stopped short of its balloon target (a message says so).
``refused_by_guest``  the guest refused a live change (a locked CD tray).
``live_only``         changed live with scope live: lost at the next boot.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import TYPE_CHECKING, Any

import orjson

from xenia.datamodel import liveconfig as scopes
from xenia.db import Db
from xenia.drivers.base import DomainState
from xenia.drivers.errors import DriverError
from xenia.ops import record

if TYPE_CHECKING:
    from xenia.ops.engine import Ops

log = logging.getLogger(__name__)

PENDING_REBOOT, APPLYING, PARTIAL, REFUSED, LIVE_ONLY = (
    "pending_reboot", "applying", "partial", "refused_by_guest", "live_only")  # fmt: skip
#: xapi's tolerance for "at the balloon target" (wait_memory_target_live)
TOLERANCE = 1 << 20
#: a balloon that has not moved for this long has stopped where it is
BALLOON_STALL = 5.0
_POLL = 0.25
#: the message objects a live change that ends partial or refused leaves (xenia names)
MESSAGE_PARTIAL = "XENIA_LIVE_CHANGE_PARTIAL"
MESSAGE_REFUSED = "XENIA_LIVE_CHANGE_REFUSED"
_LIVE_STATES = ("Running", "Paused")


def load(rec: dict[str, Any]) -> dict[str, Any]:
    """The VM's live configuration, a fresh copy the caller may change."""
    text = rec.get("xenia_live") or ""
    if not text:
        return {"booted": {}, "changes": {}}
    data: dict[str, Any] = orjson.loads(text)
    return data


@functools.lru_cache(maxsize=1024)
def _view(text: str) -> dict[str, Any]:
    """The parsed live configuration, shared: read it, never change it.  ``requires_reboot`` is checked
    after every change of a running VM (its metrics too), so the JSON is parsed once per version."""
    return load({"xenia_live": text})


def _save(db: Db, vm: str, data: dict[str, Any]) -> None:
    text = orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()
    if db.get("VM", vm)["xenia_live"] != text:
        db.set("VM", vm, "xenia_live", text)


def booted(db: Db, vm: str) -> None:
    """A new domain was built from the VM record: that record is now the live configuration."""
    rec = db.get("VM", vm)
    values = {name: rec[name] for name in (*scopes.PERSISTENT, *scopes.LIVE)}
    _save(db, vm, {"booted": values, "changes": {}})


def forget(db: Db, vm: str) -> None:
    """The VM has no domain any more: no live configuration, nothing pending."""
    if db.get("VM", vm)["xenia_live"]:
        db.set("VM", vm, "xenia_live", "")


def note(db: Db, vm: str, key: str, state: str | None, **facts: Any) -> None:
    """Record (or, with ``state`` None, drop) the outcome of a live change."""
    data = load(db.get("VM", vm))
    if state is None:
        if data["changes"].pop(key, None) is None:
            return
    else:
        data["changes"][key] = {"state": state, **facts}
    _save(db, vm, data)


def needs_reboot(rec: dict[str, Any]) -> bool:
    """Whether anything is pending reboot: a persistent field changed since boot, or a change made with
    scope persistent only."""
    if rec["power_state"] not in _LIVE_STATES or not rec["xenia_live"]:
        return False
    data = _view(rec["xenia_live"])
    boot = data["booted"]
    if any(name in boot and boot[name] != rec[name] for name in scopes.PERSISTENT):
        return True
    return any(c["state"] == PENDING_REBOOT for c in data["changes"].values())


def refresh_requires_reboot(db: Db, vm: str) -> None:
    """Keep ``VM.requires_reboot`` true exactly while something is pending reboot (a db finisher calls it)."""
    rec = db.get("VM", vm)
    if rec["is_control_domain"]:
        return  # xapi's own rule for dom0 memory stands
    wanted = needs_reboot(rec)
    if rec["requires_reboot"] != wanted:
        db.set("VM", vm, "requires_reboot", wanted)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (dict, list)):
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    return str(value)


def drift(rec: dict[str, Any], state: DomainState | None) -> dict[str, dict[str, str]]:
    """Each field whose live and persistent values differ: ``{field: {persistent, live, state, ...}}``."""
    if rec["power_state"] not in _LIVE_STATES or not rec["xenia_live"]:
        return {}
    data = _view(rec["xenia_live"])
    boot, changes = data["booted"], data["changes"]
    report: dict[str, dict[str, str]] = {}
    for name in scopes.PERSISTENT:
        if name in boot and boot[name] != rec[name]:
            report[name] = {"persistent": _text(rec[name]), "live": _text(boot[name]), "state": PENDING_REBOOT}
    if state is not None:
        report.update(_memory(rec, state, changes.get("memory_dynamic_max", {})))
        if state.vcpus != rec["VCPUs_at_startup"]:
            how = changes.get("VCPUs_at_startup", {})
            # a vCPU the guest has been asked to release is on its way (QEMU: until the guest lets it go)
            vcpus = LIVE_ONLY if how.get("scope") == "live" else how.get("state", APPLYING)
            report["VCPUs_at_startup"] = {"persistent": str(rec["VCPUs_at_startup"]), "live": str(state.vcpus),
                                          "state": vcpus}
    for key, change in changes.items():
        if change["state"] == REFUSED:
            report[key] = {"persistent": str(change.get("requested", "")), "live": str(change.get("live", "")),
                           "state": REFUSED}
    return report


def side_by_side(rec: dict[str, Any], state: DomainState | None) -> dict[str, dict[str, str]]:
    """Every configuration field of a running VM: its persistent and its live value, and its scope."""
    if rec["power_state"] not in _LIVE_STATES or not rec["xenia_live"]:
        return {}
    boot = _view(rec["xenia_live"])["booted"]
    out = {name: {"persistent": _text(rec[name]), "live": _text(boot.get(name, rec[name])),
                  "scope": scopes.of(name).scope.value} for name in (*scopes.PERSISTENT, *scopes.LIVE)}  # fmt: skip
    if state is not None:  # what the domain has now, where a driver changed it live
        out["memory_target"]["live"] = str(state.memory_target)
        out["VCPUs_at_startup"]["live"] = str(state.vcpus)
        out["memory_dynamic_max"]["live"] = str(state.memory_actual)
    return out


def _memory(rec: dict[str, Any], state: DomainState, change: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The balloon: persistent ``memory_dynamic_max`` against the domain's target and actual memory."""
    persistent = rec["memory_dynamic_max"]
    entry = {"persistent": str(persistent), "live": str(state.memory_actual), "target": str(state.memory_target)}
    if state.memory_target != persistent:
        entry["state"] = LIVE_ONLY if change.get("scope") == "live" else PENDING_REBOOT
    elif abs(state.memory_actual - state.memory_target) > TOLERANCE:
        entry["state"] = PARTIAL if change.get("state") == PARTIAL else APPLYING
    else:
        return {}
    return {"memory_dynamic_max": entry}


async def balloon(engine: Ops, vm: str, target: int, scope: str) -> None:
    """Move a running VM's balloon to ``target`` and follow it until it arrives or stops short.

    Writes ``memory/target`` (KiB) in the store as Xen's toolstack does; the caller holds the VM's lock
    and has checked the target.
    """
    db = engine.db
    rec = db.get("VM", vm)
    await engine.driver.vm.set_memory_target(rec["uuid"], target)
    if engine.store is not None and rec["domid"] >= 0:
        await engine.store.write(f"/local/domain/{rec['domid']}/memory/target", str(target // 1024))
    note(db, vm, "memory_dynamic_max", APPLYING, scope=scope, requested=target)
    engine.follow_balloon(vm, rec["uuid"], target)


async def follow_balloon(engine: Ops, vm: str, uuid: str, target: int) -> None:
    """Watch a balloon: done within :data:`TOLERANCE` of its target, *partial* once it stalls (with a
    message); the VM's metrics follow its ``memory_actual`` on the way."""
    loop = asyncio.get_running_loop()
    last, moved_at = -1, loop.time()
    while True:
        try:
            state = await engine.driver.vm.get_state(uuid)
        except DriverError:
            return  # the domain went: its live configuration went with it
        db = engine.db
        if not db.exists("VM", vm) or state.memory_target != target:
            return  # gone, or a newer request has its own watcher
        change = load(db.get("VM", vm))["changes"].get("memory_dynamic_max")
        if change is None or change.get("requested") != target:
            return
        if abs(state.memory_actual - target) <= TOLERANCE:
            facts = {k: v for k, v in change.items() if k != "state"}
            note(db, vm, "memory_dynamic_max", LIVE_ONLY if change.get("scope") == "live" else None, **facts)
            _metrics_actual(db, vm, state.memory_actual)
            return
        if state.memory_actual != last:
            last, moved_at = state.memory_actual, loop.time()
            _metrics_actual(db, vm, state.memory_actual)
        elif loop.time() - moved_at > engine.balloon_stall:
            note(db, vm, "memory_dynamic_max", PARTIAL, scope=change.get("scope", "both"), requested=target,
                 reached=state.memory_actual)
            record.message(db, MESSAGE_PARTIAL, vm,
                           f"The guest stopped ballooning at {state.memory_actual} bytes of a target of {target}.")
            return
        await asyncio.sleep(_POLL)


def _metrics_actual(db: Db, vm: str, actual: int) -> None:
    metrics = db.get("VM", vm)["metrics"]
    if db.exists("VM_metrics", metrics) and db.get("VM_metrics", metrics)["memory_actual"] != actual:
        db.set("VM_metrics", metrics, "memory_actual", actual)


def refused(db: Db, vm: str, key: str, requested: str, live: str) -> None:
    """The guest refused a live change (a locked CD tray): the drift shows it, a message says it."""
    note(db, vm, key, REFUSED, requested=requested, live=live)
    record.message(db, MESSAGE_REFUSED, vm, f"The guest refused a live change of {key}: it keeps {live}.")
