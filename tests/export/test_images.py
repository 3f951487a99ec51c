"""A disk's raw contents in and out of the image files the drivers make (real qemu-img, real files).

First principles: what is written comes back bit for bit, the rest of the disk reads as zeros, a
qcow2 image stays a qcow2 image that ``qemu-img`` reads with the same contents, and an aborted write
leaves the image as it was.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path

import pytest

from xenia.export.images import CHUNK, ImageError, raw_reader, raw_writer

MiB = 1024 * 1024


async def read_all(path: str, size: int) -> bytes:
    return b"".join([piece async for piece in raw_reader(path, size)])


async def write_all(path: str, size: int, pieces: list[tuple[int, bytes]]) -> None:
    writer = await raw_writer(path, size)
    for offset, data in pieces:
        await writer.write_at(offset, data)
    await writer.finish()


@pytest.mark.parametrize("fmt", ["qcow2", "raw"])
def test_qemu_images_round_trip(tmp_path: Path, fmt: str) -> None:
    path = str(tmp_path / f"disk.{fmt}")
    size = 3 * MiB
    subprocess.run(["qemu-img", "create", "-q", "-f", fmt, path, str(size)], check=True)
    head, tail = os.urandom(MiB), os.urandom(CHUNK // 2)
    asyncio.run(write_all(path, size, [(0, head), (2 * MiB, tail)]))
    expected = head + bytes(MiB) + tail + bytes(size - 2 * MiB - len(tail))
    assert asyncio.run(read_all(path, size)) == expected
    info = subprocess.run(["qemu-img", "info", "--output=json", path], check=True, capture_output=True, text=True)
    assert f'"format": "{fmt}"' in info.stdout
    converted = tmp_path / "check.raw"  # qemu-img itself sees the same contents
    subprocess.run(["qemu-img", "convert", "-q", "-O", "raw", path, str(converted)], check=True)
    assert converted.read_bytes() == expected
    assert sorted(os.listdir(tmp_path)) == sorted([f"disk.{fmt}", "check.raw"])  # no transfer file left


def test_an_aborted_write_leaves_a_qcow2_image_as_it_was(tmp_path: Path) -> None:
    path = str(tmp_path / "disk.qcow2")
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", path, str(MiB)], check=True)
    data = os.urandom(MiB)
    asyncio.run(write_all(path, MiB, [(0, data)]))

    async def too_much() -> None:
        writer = await raw_writer(path, MiB)
        await writer.write_at(0, os.urandom(1000))
        try:
            await writer.write_at(MiB - 10, bytes(11))
        except ImageError:
            writer.abort()
            raise

    with pytest.raises(ImageError):
        asyncio.run(too_much())
    assert asyncio.run(read_all(path, MiB)) == data
    assert os.listdir(tmp_path) == ["disk.qcow2"]
