"""Disk images of the simulator: tiny JSON descriptor files standing in for raw/qcow2 images.

An image of any virtual size costs a few hundred bytes, so a simulated SR can hold 10 000 VDIs.
Clones and snapshots record their parent (copy-on-write in spirit).
"""

from __future__ import annotations

import asyncio
import os
from typing import TYPE_CHECKING, Any

import orjson

from xenia.drivers.base import Capability, ImageInfo
from xenia.drivers.errors import InvalidArgument, NoSuchImage

if TYPE_CHECKING:
    from xenia.drivers.sim.driver import SimDriver

__all__ = ["IMAGE_FORMAT", "SimStorage"]

#: The ``format`` tag of simulator disk images.
IMAGE_FORMAT = "xenia-sim-image"


def _read(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as f:
            data = orjson.loads(f.read())
    except FileNotFoundError as exc:
        raise NoSuchImage(path, cause=exc) from exc
    except orjson.JSONDecodeError as exc:
        raise NoSuchImage(path, cause=exc) from exc
    if not isinstance(data, dict) or data.get("format") != IMAGE_FORMAT:
        raise NoSuchImage(path)
    return data


def _info(path: str, data: dict[str, Any]) -> ImageInfo:
    return ImageInfo(
        path=path,
        virtual_size=int(data["virtual_size"]),
        physical_utilisation=os.stat(path).st_size,
        parent=data.get("parent"),
    )


def _write(path: str, virtual_size: int, parent: str | None, *, new: bool) -> ImageInfo:
    data = {"format": IMAGE_FORMAT, "virtual_size": virtual_size, "parent": parent}
    raw = orjson.dumps(data)
    if new:
        try:
            with open(path, "xb") as f:
                f.write(raw)
        except FileExistsError as exc:
            raise InvalidArgument(f"{path} exists already", cause=exc) from exc
    else:
        tmp = f"{path}.tmp{os.getpid()}"
        with open(tmp, "wb") as f:
            f.write(raw)
        os.replace(tmp, path)
    return _info(path, data)


def _check_size(size: int) -> None:
    if size <= 0:
        raise InvalidArgument(f"virtual size {size}: must be positive")


def _copy(source: str, path: str) -> ImageInfo:
    return _write(path, int(_read(source)["virtual_size"]), source, new=True)


def _resize(path: str, size: int) -> ImageInfo:
    data = _read(path)
    if size < int(data["virtual_size"]):
        raise InvalidArgument(f"{path}: cannot shrink from {data['virtual_size']} to {size}")
    return _write(path, size, data.get("parent"), new=False)


def _destroy(path: str) -> None:
    _read(path)
    os.unlink(path)


class SimStorage:
    """:class:`~xenia.drivers.base.StorageOps` of the simulator (blocking file work in threads)."""

    def __init__(self, sim: SimDriver) -> None:
        self._sim = sim

    async def create_image(self, path: str, virtual_size: int) -> ImageInfo:
        self._sim.require(Capability.STORAGE)
        _check_size(virtual_size)
        await self._sim.faults.hit("storage.create")
        return await asyncio.to_thread(_write, path, virtual_size, None, new=True)

    async def destroy_image(self, path: str) -> None:
        self._sim.require(Capability.STORAGE)
        await self._sim.faults.hit("storage.destroy")
        await asyncio.to_thread(_destroy, path)

    async def resize_image(self, path: str, virtual_size: int) -> ImageInfo:
        self._sim.require(Capability.STORAGE)
        _check_size(virtual_size)
        await self._sim.faults.hit("storage.resize")
        return await asyncio.to_thread(_resize, path, virtual_size)

    async def image_info(self, path: str) -> ImageInfo:
        self._sim.require(Capability.STORAGE)
        return await asyncio.to_thread(lambda: _info(path, _read(path)))

    async def clone(self, source: str, path: str) -> ImageInfo:
        self._sim.require(Capability.CLONE)
        await self._sim.faults.hit("storage.clone")
        return await asyncio.to_thread(_copy, source, path)

    async def snapshot(self, source: str, path: str) -> ImageInfo:
        self._sim.require(Capability.SNAPSHOT)
        await self._sim.faults.hit("storage.snapshot")
        return await asyncio.to_thread(_copy, source, path)
