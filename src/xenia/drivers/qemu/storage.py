"""Disk images on a ``file`` SR, through ``qemu-img``.

VDIs are qcow2 files (sparse, so ``virtual_size`` costs nothing until written). Clone and snapshot
are full copies made with ``qemu-img convert``: a qcow2 backing chain would be cheaper, but it makes
the source a read-only base that must never be written again, which is the SR layer's decision
(and bookkeeping), not the driver's.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

from xenia.drivers.base import ImageInfo
from xenia.drivers.errors import BackendFailure, InvalidArgument, NoSuchImage

__all__ = ["QemuStorage", "image_format"]

QEMU_IMG = "qemu-img"


def image_format(path: str) -> str:
    """``qcow2`` if the file starts with the qcow2 magic, else ``raw`` (ISOs, raw images)."""
    try:
        with open(path, "rb") as f:
            return "qcow2" if f.read(4) == b"QFI\xfb" else "raw"
    except OSError:
        return "raw"


async def _run(*args: str) -> str:
    proc = await asyncio.create_subprocess_exec(
        QEMU_IMG, *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await proc.communicate()
    if proc.returncode != 0:
        raise BackendFailure(f"qemu-img {' '.join(args)} failed: {err.decode(errors='replace').strip()}")
    return out.decode()


class QemuStorage:
    """:class:`~xenia.drivers.base.StorageOps` over qemu-img."""

    async def create_image(self, path: str, virtual_size: int) -> ImageInfo:
        if virtual_size <= 0:
            raise InvalidArgument(f"virtual_size must be positive, got {virtual_size}")
        if os.path.lexists(path):
            raise InvalidArgument(f"{path} exists already")
        await _run("create", "-q", "-f", "qcow2", path, str(virtual_size))
        return await self.image_info(path)

    async def destroy_image(self, path: str) -> None:
        try:
            os.unlink(path)
        except FileNotFoundError as exc:
            raise NoSuchImage(path, cause=exc) from exc
        except OSError as exc:
            raise BackendFailure(f"cannot delete {path}: {exc}", cause=exc) from exc

    async def resize_image(self, path: str, virtual_size: int) -> ImageInfo:
        info = await self.image_info(path)
        if virtual_size < info.virtual_size:
            raise InvalidArgument(f"cannot shrink {path} from {info.virtual_size} to {virtual_size}")
        if virtual_size > info.virtual_size:
            await _run("resize", "-q", "-f", image_format(path), path, str(virtual_size))
        return await self.image_info(path)

    async def image_info(self, path: str) -> ImageInfo:
        if not os.path.exists(path):
            raise NoSuchImage(path)
        raw: dict[str, Any] = json.loads(await _run("info", "--output=json", "-U", path))
        parent = raw.get("full-backing-filename") or raw.get("backing-filename")
        return ImageInfo(
            path=path,
            virtual_size=int(raw["virtual-size"]),
            physical_utilisation=int(raw.get("actual-size", 0)),
            parent=str(parent) if parent else None,
        )

    async def clone(self, source: str, path: str) -> ImageInfo:
        return await self._copy(source, path)

    async def snapshot(self, source: str, path: str) -> ImageInfo:
        return await self._copy(source, path)

    async def _copy(self, source: str, path: str) -> ImageInfo:
        if not os.path.exists(source):
            raise NoSuchImage(source)
        if os.path.lexists(path):
            raise InvalidArgument(f"{path} exists already")
        await _run("convert", "-q", "-U", "-f", image_format(source), "-O", "qcow2", source, path)
        return await self.image_info(path)
