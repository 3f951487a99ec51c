"""VM memory and vCPU settings: validated setters that keep xapi's invariants.

Memory: ``static_min <= dynamic_min <= dynamic_max <= static_max`` (else
MEMORY_CONSTRAINT_VIOLATION); the static range changes only while the VM is
halted.  vCPUs: ``0 < VCPUs_at_startup <= VCPUs_max`` (else INVALID_VALUE with
xapi's wording); ``VCPUs_max`` changes only while halted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from xenia.api.context import Call
from xenia.api.methods import handler
from xenia.api.tasks import task_context
from xenia.datamodel.errors import ApiError
from xenia.drivers.errors import DriverError
from xenia.ops import lifecycle, liveconfig
from xenia.ops.engine import Ops
from xenia.ops.errors import to_api_error


def _require(call: Call, vm: str, op: str) -> None:
    lifecycle.require(vm, call.db.get("VM", vm), op)


def _check_memory(call: Call, vm: str, **values: int) -> None:
    rec = {**call.db.get("VM", vm), **values}
    order = ("memory_static_min", "memory_dynamic_min", "memory_dynamic_max", "memory_static_max")
    numbers = [rec[k] for k in order]
    if any(n < 0 for n in numbers) or numbers != sorted(numbers):
        raise ApiError("MEMORY_CONSTRAINT_VIOLATION",
                       "Memory limits must satisfy: static_min <= dynamic_min <= dynamic_max <= static_max")  # fmt: skip


def _set_memory(call: Call, vm: str, **values: int) -> None:
    _check_memory(call, vm, **values)
    if "memory_dynamic_min" in values:
        values = {**values, "memory_target": values["memory_dynamic_min"]}
    call.db.update("VM", vm, **values)


@handler("VM.set_memory_limits")
def set_memory_limits(call: Call, vm: str, static_min: int, static_max: int, dynamic_min: int, dynamic_max: int) -> None:
    _require(call, vm, "changing_static_range")
    _set_memory(call, vm, memory_static_min=static_min, memory_static_max=static_max,
                memory_dynamic_min=dynamic_min, memory_dynamic_max=dynamic_max)  # fmt: skip


@handler("VM.set_memory")
def set_memory(call: Call, vm: str, value: int) -> None:
    _require(call, vm, "changing_static_range")
    _set_memory(call, vm, memory_static_max=value, memory_dynamic_max=value, memory_dynamic_min=value)


@handler("VM.set_memory_static_range")
def set_memory_static_range(call: Call, vm: str, min: int, max: int) -> None:
    _require(call, vm, "changing_static_range")
    _set_memory(call, vm, memory_static_min=min, memory_static_max=max)


@handler("VM.set_memory_dynamic_range")
async def set_memory_dynamic_range(call: Call, vm: str, min: int, max: int) -> None:
    """On a running VM the guest balloons to the new ``dynamic_max`` (a host of its own has no
    competing VMs for squeezed to share memory with), where the driver can balloon."""
    await _dynamic_range(call, vm, min, max, "VM.set_memory_dynamic_range")


async def _dynamic_range(call: Call, vm: str, min: int, max: int, operation: str) -> None:
    _require(call, vm, "changing_dynamic_range")
    if call.db.get("VM", vm)["power_state"] != "Running":
        _set_memory(call, vm, memory_dynamic_min=min, memory_dynamic_max=max)
        return
    engine: Ops = call.app.services["ops"]
    if "changing_dynamic_range:live" in engine.cannot:
        raise ApiError("OPERATION_NOT_ALLOWED", "this driver cannot balloon a running VM")
    uuid = call.db.get("VM", vm)["uuid"]
    async with engine.lock(uuid):
        _check_memory(call, vm, memory_dynamic_min=min, memory_dynamic_max=max)
        try:
            await liveconfig.balloon(engine, vm, max, "both")
        except DriverError as e:
            raise to_api_error(e, vm=vm, step="balloon", operation=operation) from e
        _set_memory(call, vm, memory_dynamic_min=min, memory_dynamic_max=max)
        call.db.set("VM", vm, "memory_target", max)


@handler("VM.set_memory_dynamic_max")
async def set_memory_dynamic_max(call: Call, self: str, value: int) -> None:
    """As xapi's message forwarding: ``set_memory_dynamic_range`` with the current ``dynamic_min``, so a
    running VM balloons (it used to change the record only, drift nobody saw)."""
    await _dynamic_range(call, self, call.db.get("VM", self)["memory_dynamic_min"], value,
                         "VM.set_memory_dynamic_max")  # fmt: skip


@handler("VM.set_memory_dynamic_min")
async def set_memory_dynamic_min(call: Call, self: str, value: int) -> None:
    """As xapi's message forwarding: ``set_memory_dynamic_range`` with the current ``dynamic_max``."""
    await _dynamic_range(call, self, value, call.db.get("VM", self)["memory_dynamic_max"],
                         "VM.set_memory_dynamic_min")  # fmt: skip


@handler("VM.set_VCPUs_number_live")
async def set_vcpus_number_live(call: Call, self: str, nvcpu: int) -> None:
    """As xapi's ``Xapi_xenops.set_vcpus``: the running guest gets ``nvcpu`` vCPUs, which also become
    ``VCPUs_at_startup`` and the metrics' ``VCPUs_number``."""
    _require(call, self, "changing_VCPUs_live")
    engine: Ops = call.app.services["ops"]
    if "changing_VCPUs_live" in engine.cannot:
        raise ApiError("OPERATION_NOT_ALLOWED", "this driver cannot change the vCPUs of a running VM")
    rec = call.db.get("VM", self)
    if not 0 < nvcpu <= rec["VCPUs_max"]:
        raise ApiError("INVALID_VALUE", "VCPU values must satisfy: 0 < VCPUs ≤ VCPUs_max", nvcpu)
    async with engine.lock(rec["uuid"]):
        try:
            await engine.driver.vm.set_vcpus(rec["uuid"], nvcpu)
        except DriverError as e:
            raise to_api_error(e, vm=self, step="set_vcpus", operation="VM.set_VCPUs_number_live") from e
        with call.db.batch():
            call.db.set("VM", self, "VCPUs_at_startup", nvcpu)
            if call.db.exists("VM_metrics", rec["metrics"]):
                call.db.set("VM_metrics", rec["metrics"], "VCPUs_number", nvcpu)


def _single(field: str, op: str) -> Callable[[Call, str, int], None]:
    def setter(call: Call, vm: str, value: int) -> None:
        _require(call, vm, op)
        _set_memory(call, vm, **{field: value})

    return setter


for _field in ("static_max", "static_min"):
    handler(f"VM.set_memory_{_field}")(_single(f"memory_{_field}", "changing_static_range"))


@handler("VM.set_VCPUs_max")
def set_vcpus_max(call: Call, vm: str, value: int) -> None:
    _require(call, vm, "changing_VCPUs")
    if value < 1 or value < call.db.get("VM", vm)["VCPUs_at_startup"]:
        raise ApiError("INVALID_VALUE", "VCPU values must satisfy: 0 < VCPUs_at_startup ≤ VCPUs_max", value)
    call.db.set("VM", vm, "VCPUs_max", value)


@handler("VM.set_VCPUs_at_startup")
def set_vcpus_at_startup(call: Call, vm: str, value: int) -> None:
    _require(call, vm, "changing_VCPUs")
    if not 0 < value <= call.db.get("VM", vm)["VCPUs_max"]:
        raise ApiError("INVALID_VALUE", "VCPU values must satisfy: 0 < VCPUs_at_startup ≤ VCPUs_max", value)
    call.db.set("VM", vm, "VCPUs_at_startup", value)


@handler("VM.set_actions_after_crash")
def set_actions_after_crash(call: Call, vm: str, value: str) -> None:
    call.db.set("VM", vm, "actions_after_crash", value)



#: xapi's tolerance for ``wait_memory_target_live`` (its time-out: ``xenia serve --memory-target-timeout``)
_TARGET_TOLERANCE = 1 << 20


@handler("VM.wait_memory_target_live")
async def wait_memory_target_live(call: Call, self: str) -> None:
    """Wait until the running guest's memory is within 1 MiB of its balloon target, then record it
    in the metrics (xapi: VM_MEMORY_TARGET_WAIT_TIMEOUT [task] after 256 s, TASK_CANCELLED [task])."""
    db = call.db
    rec = db.get("VM", self)
    if rec["power_state"] not in ("Running", "Paused"):
        raise ApiError("VM_BAD_POWER_STATE", self, "running, paused", rec["power_state"].lower())
    engine: Ops = call.app.services["ops"]
    task = task_context(call)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + engine.memory_target_timeout
    while True:
        try:
            state = await engine.driver.vm.get_state(rec["uuid"])
        except DriverError as e:
            raise to_api_error(e, vm=self, step="stat", operation="VM.wait_memory_target_live") from e
        if abs(state.memory_actual - state.memory_target) <= _TARGET_TOLERANCE:
            if db.exists("VM_metrics", rec["metrics"]):
                db.set("VM_metrics", rec["metrics"], "memory_actual", state.memory_actual)
            return
        if loop.time() > deadline:
            raise ApiError("VM_MEMORY_TARGET_WAIT_TIMEOUT", task.ref)
        await task.guard(asyncio.sleep(0.2))


@handler("VM.snapshot_with_quiesce")
def snapshot_with_quiesce(call: Call, vm: str, new_name: str) -> str:
    """xapi removed VSS support: after the checks a snapshot makes, VM_SNAPSHOT_WITH_QUIESCE_NOT_SUPPORTED."""
    _require(call, vm, "snapshot")
    raise ApiError("VM_SNAPSHOT_WITH_QUIESCE_NOT_SUPPORTED", vm)
