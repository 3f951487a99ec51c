"""A VDI's contents as raw bytes, whatever its image file holds.

- a simulator image (a JSON descriptor, :mod:`xenia.drivers.sim.storage`) keeps its contents in a
  sparse raw file beside it, ``<image>.data`` (absent: all zeros), so that what is imported comes
  back out bit for bit without the simulator storing anything else;
- a raw image is read and written in place;
- a qcow2 image goes through ``qemu-img convert`` to and from a sparse raw file beside it (qemu-img
  cannot write to a pipe), removed afterwards: disk-sized, but on disk, never in memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import AsyncGenerator

from xenia.drivers.qemu.storage import image_format
from xenia.drivers.sim.storage import IMAGE_FORMAT

__all__ = ["CHUNK", "ENCODED", "ImageError", "convert_to_raw", "encoded_image", "file_reader", "image_size",
           "raw_reader", "raw_writer"]  # fmt: skip

CHUNK = 1024 * 1024


class ImageError(Exception):
    """qemu-img failed, or the data does not fit the image."""


def _kind(path: str) -> str:
    with open(path, "rb") as f:
        head = f.read(64)
    if head.startswith(b"{") and IMAGE_FORMAT.encode() in head:
        return "sim"
    return image_format(path)


async def _qemu_img(*args: str) -> None:
    proc = await asyncio.create_subprocess_exec("qemu-img", *args, stdout=asyncio.subprocess.DEVNULL,
                                                stderr=asyncio.subprocess.PIPE)  # fmt: skip
    _, err = await proc.communicate()
    if proc.returncode != 0:
        raise ImageError(f"qemu-img {args[0]} failed: {err.decode(errors='replace').strip()}")


def _tmp(path: str) -> str:
    return f"{path}.raw-transfer{os.getpid()}"


async def raw_reader(path: str, size: int) -> AsyncGenerator[bytes, None]:
    """The first ``size`` bytes of the disk, in ``CHUNK`` pieces (zeros past what the file holds)."""
    kind = await asyncio.to_thread(_kind, path)
    source, cleanup = path, None
    if kind == "sim":
        source = path + ".data"
    elif kind == "qcow2":
        source = cleanup = _tmp(path)
        await _qemu_img("convert", "-q", "-f", "qcow2", "-O", "raw", path, source)
    try:
        try:
            f = open(source, "rb")  # closed in the finally below
        except FileNotFoundError:  # a simulator disk never written: zeros
            f = None
        try:
            sent = 0
            while sent < size:
                want = min(CHUNK, size - sent)
                data = await asyncio.to_thread(f.read, want) if f is not None else b""
                if len(data) < want:
                    data += bytes(want - len(data))
                sent += len(data)
                yield data
        finally:
            if f is not None:
                f.close()
    finally:
        if cleanup is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(cleanup)


#: the formats an export may ask for besides raw: qemu-img's name and options (xapi's vhd is dynamic)
ENCODED = {"vhd": ("vpc", ("-o", "subformat=dynamic,force_size=on")), "qcow2": ("qcow2", ())}


async def encoded_image(path: str, size: int, fmt: str) -> str:
    """The disk converted to ``fmt`` (``vhd``, ``qcow2``) in a file beside it, for the caller to send
    and remove: ``qemu-img convert`` of what :func:`raw_reader` would send."""
    kind = await asyncio.to_thread(_kind, path)
    qemu_fmt, options = ENCODED[fmt]
    out = f"{path}.{fmt}-export{os.getpid()}"
    source, source_fmt, blank = path, kind, None
    if kind == "sim":
        source, source_fmt = path + ".data", "raw"
        if not os.path.exists(source):  # never written: a sparse file of zeros
            source = blank = f"{path}.blank{os.getpid()}"
            with open(blank, "wb") as f:
                f.truncate(size)
    try:
        await _qemu_img("convert", "-q", "-f", source_fmt, "-O", qemu_fmt, *options, source, out)
    finally:
        if blank is not None:
            os.unlink(blank)
    return out


async def image_size(path: str, qemu_format: str) -> int:
    """The virtual size of the ``qemu_format`` image at ``path`` (:class:`ImageError` if it is not one)."""
    proc = await asyncio.create_subprocess_exec("qemu-img", "info", "--output=json", "-f", qemu_format, path,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)  # fmt: skip
    out, err = await proc.communicate()
    if proc.returncode != 0:
        raise ImageError(f"not a {qemu_format} image: {err.decode(errors='replace').strip()}")
    return int(json.loads(out)["virtual-size"])


async def convert_to_raw(path: str, qemu_format: str, out: str) -> None:
    """``qemu-img convert`` of the ``qemu_format`` image at ``path`` into the raw file ``out``."""
    await _qemu_img("convert", "-q", "-f", qemu_format, "-O", "raw", path, out)


async def file_reader(path: str, remove: bool = True) -> AsyncGenerator[bytes, None]:
    """A file in ``CHUNK`` pieces; removed at the end (or when the reader is closed early)."""
    try:
        with open(path, "rb") as f:
            while data := await asyncio.to_thread(f.read, CHUNK):
                yield data
    finally:
        if remove:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


class RawWriter:
    """Writes a disk's contents from the start; :meth:`finish` makes them the image's."""

    def __init__(self, path: str, size: int, kind: str) -> None:
        self.path = path
        self.size = size
        self.kind = kind
        # written aside and moved in at the end (qcow2 converted in): a failed import leaves the disk as it was;
        # a raw disk is written in place (the size is checked first, so only a client leaving halfway harms it)
        self.target = path if kind == "raw" else _tmp(path)
        self.written = 0
        self._file = open(self.target, "r+b" if kind == "raw" else "wb")  # closed by finish/abort

    async def write(self, data: bytes) -> None:
        if self.written + len(data) > self.size:
            raise ImageError(f"the data is larger than the disk ({self.size} bytes)")
        await asyncio.to_thread(self._file.write, data)
        self.written += len(data)

    async def write_at(self, offset: int, data: bytes) -> None:
        """Write at ``offset`` (an XVA's chunks skip runs of zeros); the disk starts as zeros."""
        if offset + len(data) > self.size:
            raise ImageError(f"the data is larger than the disk ({self.size} bytes)")
        await asyncio.to_thread(_pwrite, self._file, offset, data)
        self.written = max(self.written, offset + len(data))

    async def finish(self) -> None:
        """The rest of the disk is zeros, as ``vhd-tool`` leaves it for a short raw stream."""
        f = self._file
        if self.kind != "raw":
            await asyncio.to_thread(f.truncate, self.size)
        else:
            await asyncio.to_thread(_zero_rest, f, self.written, self.size)
        f.close()
        if self.kind == "sim":
            os.replace(self.target, self.path + ".data")
        elif self.kind == "qcow2":
            try:
                await _qemu_img("convert", "-q", "-n", "-f", "raw", "-O", "qcow2", self.target, self.path)
            finally:
                os.unlink(self.target)

    def abort(self) -> None:
        self._file.close()
        if self.kind != "raw":
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.target)


def _pwrite(f: object, offset: int, data: bytes) -> None:
    import io

    assert isinstance(f, io.BufferedIOBase)
    f.seek(offset)
    f.write(data)


def _zero_rest(f: object, start: int, size: int) -> None:
    import io

    assert isinstance(f, io.BufferedRandom)
    f.seek(start)
    zeros = bytes(CHUNK)
    left = size - start
    while left > 0:
        n = min(CHUNK, left)
        f.write(zeros[:n])
        left -= n


async def raw_writer(path: str, size: int) -> RawWriter:
    kind = await asyncio.to_thread(_kind, path)
    return await asyncio.to_thread(RawWriter, path, size, kind)
