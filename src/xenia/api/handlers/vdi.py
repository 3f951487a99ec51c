"""VDI: disks whose records and image files are created, resized, cloned and removed together."""

from __future__ import annotations

from typing import Any

from xenia.api.context import Call
from xenia.api.handlers.lifecycle import storage
from xenia.api.implicit import constructor_record
from xenia.api.methods import handler


@handler("VDI.create")
async def create(call: Call, args: dict[str, Any]) -> str:
    return await storage(call).create_vdi(constructor_record(call.db, "VDI", args))


@handler("VDI.destroy")
async def destroy(call: Call, vdi: str) -> None:
    await storage(call).destroy_vdi(vdi)


@handler("VDI.resize")
async def resize(call: Call, vdi: str, size: int) -> None:
    await storage(call).resize_vdi(vdi, size)


@handler("VDI.clone")
async def clone(call: Call, vdi: str, driver_params: dict[str, str]) -> str:
    return await storage(call).copy_vdi(vdi, "clone")


@handler("VDI.snapshot")
async def snapshot(call: Call, vdi: str, driver_params: dict[str, str]) -> str:
    return await storage(call).copy_vdi(vdi, "snapshot")
