"""Cross-host migration messages: thin handlers over :mod:`xenia.ops.migration`."""

from __future__ import annotations

from xenia.api.context import Call
from xenia.api.methods import extension, handler
from xenia.api.tasks import task_context
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF
from xenia.ops import lifecycle
from xenia.ops.migration import Migrations
from xenia.pool import migrate as pool_migration
from xenia.pool import placement
from xenia.pool.forward import PoolLink


def migrations(call: Call) -> Migrations:
    service: Migrations | None = call.app.services.get("migrations")
    if service is None:
        raise ApiError("OPERATION_NOT_ALLOWED", "this daemon runs no migration receiver")
    return service


@handler("host.migrate_receive")
async def migrate_receive(call: Call, host: str, network: str, options: dict[str, str]) -> dict[str, str]:
    call.db.get("host", host)
    if host != call.app.host_ref:
        raise ApiError("HOST_OFFLINE", host)
    service = migrations(call)
    return service.receive(network, call.session_ref, service.api_url)


@handler("VM.assert_can_migrate")
async def assert_can_migrate(call: Call, vm: str, dest: dict[str, str], live: bool, vdi_map: dict[str, str],
                             vif_map: dict[str, str], options: dict[str, str], vgpu_map: dict[str, str]) -> None:  # fmt: skip
    lifecycle.require(vm, call.db.get("VM", vm), "migrate_send")
    migrations(call).check(vm, dest, vdi_map, vif_map, options)


@handler("VM.migrate_send")
async def migrate_send(call: Call, vm: str, dest: dict[str, str], live: bool, vdi_map: dict[str, str],
                       vif_map: dict[str, str], options: dict[str, str], vgpu_map: dict[str, str]) -> str:  # fmt: skip
    return await migrations(call).send(vm, dest, vdi_map, vif_map, options, task_context(call))


@handler("VM.pool_migrate", placement=True)
async def pool_migrate(call: Call, vm: str, host: str, options: dict[str, str]) -> None:
    await move_vm(call, vm, host, options)


async def move_vm(call: Call, vm: str, host: str, options: dict[str, str]) -> None:
    """xapi's checks on the member asked, then the move, made by the member the VM runs on."""
    db = call.db
    rec = db.get("VM", vm)
    db.get("host", host)
    lifecycle.require(vm, rec, "pool_migrate")
    if host == rec["resident_on"]:
        return  # xapi migrates a VM onto its own host; xenia leaves it running (docs/pools.md)
    link: PoolLink | None = call.app.services.get("pool")
    if link is None:  # a host alone: the only host is the VM's own
        raise ApiError("HOST_OFFLINE", host)
    here = call.app.host_ref
    free = await migrations(call).driver.host.memory_free() if host == here else placement.free_memory(db, host)
    pool_migration.assert_can_receive(db, vm, host, free)
    source = rec["resident_on"]
    if source not in (NULL_REF, here):  # the VM's member moves it (xapi's forward_vm_op)
        await link.call(source, "VM.pool_migrate", vm, host, options)
        return
    await pool_migration.send(migrations(call), link, vm, host, options, task_context(call))


@extension(pool_migration.RECEIVE, ("VM ref vm",), result="(string -> string) map")
async def pool_migrate_receive(call: Call, vm: str) -> dict[str, str]:
    """A pool member's request: a one-time token for ``vm`` coming to this member (root only)."""
    _require_root(call)
    return await pool_migration.receive(migrations(call), vm)


@extension("xenia.VM_save", ("VM ref vm", "string path", "string bandwidth"))
async def vm_save(call: Call, vm: str, path: str, bandwidth: str) -> None:
    """``xl save``: the running VM's whole state to a file on this host (root only; the VM is Halted after)."""
    _require_root(call)
    await migrations(call).save_to(vm, path, bandwidth, task_context(call))


@extension("xenia.VM_restore", ("string path", "string bandwidth"), result="VM ref")
async def vm_restore(call: Call, path: str, bandwidth: str) -> str:
    """``xl restore``: run the VM saved in ``path`` again (its record must be here, Halted)."""
    _require_root(call)
    return await migrations(call).restore_from(path, bandwidth, task_context(call))


def _require_root(call: Call) -> None:
    if call.session is None or not call.session.superuser:
        raise ApiError("USER_IS_NOT_LOCAL_SUPERUSER", call.session.user if call.session else "")
