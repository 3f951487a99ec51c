"""VM memory and vCPU settings: validated setters that keep xapi's invariants.

Memory: ``static_min <= dynamic_min <= dynamic_max <= static_max`` (else
MEMORY_CONSTRAINT_VIOLATION); the static range changes only while the VM is
halted.  vCPUs: ``0 < VCPUs_at_startup <= VCPUs_max`` (else INVALID_VALUE with
xapi's wording); ``VCPUs_max`` changes only while halted.
"""

from __future__ import annotations

from collections.abc import Callable

from xenia.api.context import Call
from xenia.api.methods import handler
from xenia.datamodel.errors import ApiError
from xenia.ops import lifecycle


def _require(call: Call, vm: str, op: str) -> None:
    lifecycle.require(vm, call.db.get("VM", vm), op)


def _set_memory(call: Call, vm: str, **values: int) -> None:
    rec = {**call.db.get("VM", vm), **values}
    order = ("memory_static_min", "memory_dynamic_min", "memory_dynamic_max", "memory_static_max")
    numbers = [rec[k] for k in order]
    if any(n < 0 for n in numbers) or numbers != sorted(numbers):
        raise ApiError("MEMORY_CONSTRAINT_VIOLATION",
                       "Memory limits must satisfy: static_min <= dynamic_min <= dynamic_max <= static_max")  # fmt: skip
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
def set_memory_dynamic_range(call: Call, vm: str, min: int, max: int) -> None:
    _require(call, vm, "changing_dynamic_range")
    if call.db.get("VM", vm)["power_state"] == "Running":
        raise ApiError("OPERATION_NOT_ALLOWED", "changing the dynamic range of a running VM (ballooning) is not supported yet")
    _set_memory(call, vm, memory_dynamic_min=min, memory_dynamic_max=max)


def _single(field: str, op: str) -> Callable[[Call, str, int], None]:
    def setter(call: Call, vm: str, value: int) -> None:
        _require(call, vm, op)
        _set_memory(call, vm, **{field: value})

    return setter


for _field in ("static_max", "static_min", "dynamic_max", "dynamic_min"):
    _op = "changing_static_range" if _field.startswith("static") else "changing_dynamic_range"
    handler(f"VM.set_memory_{_field}")(_single(f"memory_{_field}", _op))


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

