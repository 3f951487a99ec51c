"""Cross-host migration messages: thin handlers over :mod:`xenia.ops.migration`."""

from __future__ import annotations

from xenia.api.context import Call
from xenia.api.methods import handler
from xenia.api.tasks import task_context
from xenia.datamodel.errors import ApiError
from xenia.ops import lifecycle
from xenia.ops.migration import Migrations


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
    migrations(call).check(vm, dest, vdi_map, vif_map)


@handler("VM.migrate_send")
async def migrate_send(call: Call, vm: str, dest: dict[str, str], live: bool, vdi_map: dict[str, str],
                       vif_map: dict[str, str], options: dict[str, str], vgpu_map: dict[str, str]) -> str:  # fmt: skip
    return await migrations(call).send(vm, dest, vdi_map, vif_map, options, task_context(call))
