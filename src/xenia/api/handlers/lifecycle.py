"""VM lifecycle messages: thin handlers that hand each call to the operations layer.

The handlers only translate XenAPI arguments; the checks (power state, other
operations, templates) and the steps live in :mod:`xenia.ops`.
"""

from __future__ import annotations

from xenia.api.context import Call
from xenia.api.methods import handler
from xenia.api.tasks import task_context
from xenia.datamodel.errors import ApiError
from xenia.ops import lifecycle, record
from xenia.ops.engine import Ops
from xenia.ops.steps import TaskControl
from xenia.ops.storage import Storage
from xenia.pool import placement
from xenia.pool.forward import PoolLink


def ops(call: Call) -> Ops:
    engine: Ops = call.app.services["ops"]
    return engine


def storage(call: Call) -> Storage:
    store: Storage = call.app.services["storage"]
    return store


def task(call: Call) -> TaskControl:
    return task_context(call)


def _this_host(call: Call, host: str) -> None:
    call.db.get("host", host)
    if host != call.app.host_ref:
        raise ApiError("HOST_OFFLINE", host)


def _placeable(call: Call, vm: str, op: str, host: str | None = None) -> None:
    """After the VM's own checks, a disabled host takes no new VM: a named host answers
    HOST_DISABLED, a call that lets xapi choose NO_HOSTS_AVAILABLE (no other host to choose)."""
    lifecycle.require(vm, call.db.get("VM", vm), op)
    if not call.db.get("host", call.app.host_ref)["enabled"]:
        raise ApiError("HOST_DISABLED", host) if host is not None else ApiError("NO_HOSTS_AVAILABLE")


def _pool(call: Call) -> PoolLink | None:
    link: PoolLink | None = call.app.services.get("pool")
    return link


@handler("VM.start", placement=True)
async def start(call: Call, vm: str, start_paused: bool, force: bool) -> None:
    link = _pool(call)
    if link is not None:  # a pool member: the host with the most free memory (xenia.pool.placement)
        lifecycle.require(vm, call.db.get("VM", vm), "start")
        free: int = await ops(call).driver.host.memory_free()
        host = placement.choose_host(call.db, vm, call.app.host_ref, free)
        if host != call.app.host_ref:
            await link.call(host, "VM.start_on", vm, host, start_paused, force)
            return
    _placeable(call, vm, "start")
    await ops(call).start(vm, start_paused, task(call))


@handler("VM.start_on", placement=True)
async def start_on(call: Call, vm: str, host: str, start_paused: bool, force: bool) -> None:
    link = _pool(call)
    if link is not None and host != call.app.host_ref:  # another member's to do
        call.db.get("host", host)
        lifecycle.require(vm, call.db.get("VM", vm), "start_on")
        if not call.db.get("host", host)["enabled"]:
            raise ApiError("HOST_DISABLED", host)
        placement.assert_can_boot_on(call.db, vm, host, placement.free_memory(call.db, host))
        await link.call(host, "VM.start_on", vm, host, start_paused, force)
        return
    _this_host(call, host)
    _placeable(call, vm, "start_on", host)
    await ops(call).start(vm, start_paused, task(call), op="start_on")


@handler("VM.pause")
async def pause(call: Call, vm: str) -> None:
    await ops(call).pause(vm, task(call))


@handler("VM.unpause")
async def unpause(call: Call, vm: str) -> None:
    await ops(call).unpause(vm, task(call))


@handler("VM.clean_shutdown")
async def clean_shutdown(call: Call, vm: str) -> None:
    await ops(call).clean_shutdown(vm, task(call))


@handler("VM.hard_shutdown")
async def hard_shutdown(call: Call, vm: str) -> None:
    await ops(call).hard_shutdown(vm, task(call))


@handler("VM.shutdown")
async def shutdown(call: Call, vm: str) -> None:
    await ops(call).shutdown(vm, task(call))


@handler("VM.clean_reboot")
async def clean_reboot(call: Call, vm: str) -> None:
    await ops(call).clean_reboot(vm, task(call))


@handler("VM.hard_reboot")
async def hard_reboot(call: Call, vm: str) -> None:
    await ops(call).hard_reboot(vm, task(call))


@handler("VM.suspend")
async def suspend(call: Call, vm: str) -> None:
    await ops(call).suspend(vm, task(call))


@handler("VM.resume")
async def resume(call: Call, vm: str, start_paused: bool, force: bool) -> None:
    _placeable(call, vm, "resume")
    await ops(call).resume(vm, start_paused, task(call))


@handler("VM.resume_on")
async def resume_on(call: Call, vm: str, host: str, start_paused: bool, force: bool) -> None:
    link = _pool(call)
    if link is not None and host != call.app.host_ref:
        call.db.get("host", host)
        lifecycle.require(vm, call.db.get("VM", vm), "resume_on")
        if not call.db.get("host", host)["enabled"]:
            raise ApiError("HOST_DISABLED", host)
        await link.call(host, "VM.resume_on", vm, host, start_paused, force)
        return
    _this_host(call, host)
    _placeable(call, vm, "resume_on", host)
    await ops(call).resume(vm, start_paused, task(call), op="resume_on")


@handler("VM.power_state_reset")
async def power_state_reset(call: Call, vm: str) -> None:
    """xapi's recovery tool: mark the VM Halted in the db only (refused while its domain runs)."""
    engine = ops(call)
    rec = call.db.get("VM", vm)
    if rec["is_control_domain"]:  # xapi's CA-31428
        raise ApiError("CANNOT_RESET_CONTROL_DOMAIN", vm)
    async with engine.lock(rec["uuid"]):
        await engine.reconcile(rec["uuid"])
        if call.db.get("VM", vm)["power_state"] in ("Running", "Paused"):
            raise ApiError("VM_BAD_POWER_STATE", vm, "halted, suspended", call.db.get("VM", vm)["power_state"].lower())
        record.halted(call.db, vm)
