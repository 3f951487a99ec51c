"""``xenia.vm_drift`` and ``xenia.vm_set``: scope and drift of a running VM's configuration (issue 14).

``xenia.`` names, so they can never collide with a XenAPI message; xapi's own setters keep xapi's
behaviour.  ``xenia.vm_set`` is the one setter that takes a scope (``persistent``, ``live`` or ``both``,
libvirt's ``AFFECT_CONFIG``/``AFFECT_LIVE``) and answers what it applied where; ``xenia.vm_drift`` reports
each field whose live and persistent values differ (see :mod:`xenia.ops.liveconfig` and
``docs/liveconfig.md``).
"""

from __future__ import annotations

from typing import Any

from xenia.api.context import Call
from xenia.api.handlers.vm_config import _check_memory, _require
from xenia.api.methods import extension
from xenia.datamodel import liveconfig as scopes
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import Role
from xenia.drivers.base import DomainState
from xenia.drivers.errors import DriverError, NoSuchDomain
from xenia.ops import liveconfig
from xenia.ops.engine import Ops
from xenia.ops.errors import to_api_error

SCOPES = ("persistent", "live", "both")
_LIVE = ("Running", "Paused")


async def _state(engine: Ops, rec: dict[str, Any]) -> DomainState | None:
    if rec["power_state"] not in _LIVE:
        return None
    try:
        return await engine.driver.vm.get_state(rec["uuid"])
    except NoSuchDomain:
        return None


@extension("xenia.vm_drift", ("VM ref self",), result="(string -> (string -> string) map) map",
           min_role=Role.READ_ONLY)  # fmt: skip
async def vm_drift(call: Call, self: str) -> dict[str, dict[str, str]]:
    """Each field of the VM whose live and persistent values differ, with its state (empty: no drift)."""
    rec = call.db.get("VM", self)
    engine: Ops = call.app.services["ops"]
    return liveconfig.drift(rec, await _state(engine, rec))


@extension("xenia.vm_live_config", ("VM ref self",), result="(string -> (string -> string) map) map",
           min_role=Role.READ_ONLY)  # fmt: skip
async def vm_live_config(call: Call, self: str) -> dict[str, dict[str, str]]:
    """Every configuration field of a running VM, persistent and live value side by side, with its scope
    (``memory_dynamic_max``'s live value is the guest's actual memory); empty for a VM without a domain."""
    rec = call.db.get("VM", self)
    engine: Ops = call.app.services["ops"]
    return liveconfig.side_by_side(rec, await _state(engine, rec))


def _number(field: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ApiError("INVALID_VALUE", field, value) from None


@extension("xenia.vm_set", ("VM ref self", "string field", "string value", "string scope"),
           result="(string -> string) map", min_role=Role.VM_ADMIN)  # fmt: skip
async def vm_set(call: Call, self: str, field: str, value: str, scope: str) -> dict[str, str]:
    """Set a memory or vCPU number with a scope; answers ``{"persistent": ..., "live": ...}``, each one of
    ``changed``, ``applied``, ``applying`` (a balloon on its way), ``pending_reboot``, ``unchanged``."""
    if field not in scopes.SCOPED:
        raise ApiError("INVALID_VALUE", "field", field)
    if scope not in SCOPES:
        raise ApiError("INVALID_VALUE", "scope", scope)
    number = _number(field, value)
    db = call.db
    engine: Ops = call.app.services["ops"]
    rec = db.get("VM", self)
    if rec["power_state"] not in ("Halted", "Running"):
        raise ApiError("VM_BAD_POWER_STATE", self, "halted, running", rec["power_state"].lower())
    running = rec["power_state"] == "Running"
    live_capable = scopes.of(field).scope is scopes.Scope.LIVE
    if scope == "live" and not (running and live_capable):
        raise ApiError("OPERATION_NOT_ALLOWED",
                       f"{field} can change live only on a running VM and where a driver can apply it")  # fmt: skip
    async with engine.lock(rec["uuid"]):
        if field.startswith("memory_"):
            return await _memory(call, engine, self, field, number, scope, running)
        return await _vcpus(call, engine, self, field, number, scope, running)


async def _memory(call: Call, engine: Ops, vm: str, field: str, value: int, scope: str,
                  running: bool) -> dict[str, str]:  # fmt: skip
    db = call.db
    rec = db.get("VM", vm)
    if field.startswith("memory_static") and not running:
        _require(call, vm, "changing_static_range")
    if scope == "live":
        target = value if field == "memory_dynamic_max" else rec["memory_dynamic_max"]
        _check_memory(call, vm, **{"memory_dynamic_max": target, "memory_dynamic_min": min(rec["memory_dynamic_min"], target)})
        return {"persistent": "unchanged", "live": await _balloon(call, engine, vm, target, "live")}
    _check_memory(call, vm, **{field: value})
    answer = {"persistent": "changed" if rec[field] != value else "unchanged", "live": "unchanged"}
    with db.batch():
        db.set("VM", vm, field, value)
        if field == "memory_dynamic_min":
            db.set("VM", vm, "memory_target", value)
    if not running:
        return answer
    if field.startswith("memory_static"):
        answer["live"] = "pending_reboot"
    elif field == "memory_dynamic_max":
        if scope == "both" and "changing_dynamic_range:live" not in engine.cannot:
            answer["live"] = await _balloon(call, engine, vm, value, "both")
        else:
            liveconfig.note(db, vm, "memory_dynamic_max", liveconfig.PENDING_REBOOT, scope="persistent",
                            requested=value)  # fmt: skip
            answer["live"] = "pending_reboot"
    return answer


async def _balloon(call: Call, engine: Ops, vm: str, target: int, scope: str) -> str:
    if "changing_dynamic_range:live" in engine.cannot:
        raise ApiError("OPERATION_NOT_ALLOWED", "this driver cannot balloon a running VM")
    try:
        await liveconfig.balloon(engine, vm, target, scope)
    except DriverError as e:
        raise to_api_error(e, vm=vm, step="balloon", operation="xenia.vm_set") from e
    state = await engine.driver.vm.get_state(call.db.get("VM", vm)["uuid"])
    return "applied" if abs(state.memory_actual - target) <= liveconfig.TOLERANCE else "applying"


async def _vcpus(call: Call, engine: Ops, vm: str, field: str, value: int, scope: str,
                 running: bool) -> dict[str, str]:  # fmt: skip
    db = call.db
    rec = db.get("VM", vm)
    if field == "VCPUs_max":
        if value < 1 or value < rec["VCPUs_at_startup"]:
            raise ApiError("INVALID_VALUE", "VCPU values must satisfy: 0 < VCPUs_at_startup ≤ VCPUs_max", value)
        db.set("VM", vm, field, value)
        return {"persistent": "changed", "live": "pending_reboot" if running else "unchanged"}
    if not 0 < value <= rec["VCPUs_max"]:
        raise ApiError("INVALID_VALUE", "VCPU values must satisfy: 0 < VCPUs ≤ VCPUs_max", value)
    answer = {"persistent": "unchanged", "live": "unchanged"}
    if scope != "live":
        answer["persistent"] = "changed" if rec[field] != value else "unchanged"
        db.set("VM", vm, field, value)
    if not running:
        return answer
    if scope == "persistent" or "changing_VCPUs_live" in engine.cannot:
        liveconfig.note(db, vm, field, liveconfig.PENDING_REBOOT, scope="persistent", requested=value)
        answer["live"] = "pending_reboot"
        return answer
    try:
        await engine.driver.vm.set_vcpus(rec["uuid"], value)
    except DriverError as e:
        raise to_api_error(e, vm=vm, step="set_vcpus", operation="xenia.vm_set") from e
    if db.exists("VM_metrics", rec["metrics"]):
        db.set("VM_metrics", rec["metrics"], "VCPUs_number", value)
    liveconfig.note(db, vm, field, liveconfig.LIVE_ONLY if scope == "live" else None, scope=scope, requested=value)
    answer["live"] = "applied"
    return answer
