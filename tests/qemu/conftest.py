"""Fixtures for the QEMU driver's own tests: a driver on a fresh state directory, the test guest,
and specs for it. Every QEMU a test starts is destroyed in teardown."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from xenia.drivers.base import DiskSpec, DomainSpec, DriverConfig, NicSpec
from xenia.drivers.qemu import QemuDriver
from xenia.testing.guest import GuestImage, build_guest_image, guest_other_config

MiB = 1024 * 1024


@pytest.fixture(scope="session")
def guest_image() -> GuestImage:
    return build_guest_image()


def guest_spec(
    image: GuestImage | None,
    *,
    memory: int = 256 * MiB,
    disks: tuple[DiskSpec, ...] = (),
    nics: tuple[NicSpec, ...] = (),
    vnc: bool = False,
    vcpus_max: int = 1,
) -> DomainSpec:
    """A spec booting the test guest (or only firmware when ``image`` is None)."""
    return DomainSpec(
        vm_uuid=str(uuid.uuid4()),
        name="qemu-test",
        vcpus_max=vcpus_max,
        vcpus_at_startup=1,
        memory_static_max=memory,
        memory_dynamic_min=memory // 2,
        memory_dynamic_max=memory,
        memory_target=memory,
        disks=disks,
        nics=nics,
        platform={} if vnc else {"vnc": "false"},
        other_config=guest_other_config(image) if image is not None else {},
    )


async def destroy_all(driver: QemuDriver) -> None:
    for dom in list(driver.domains):
        await driver.vm.destroy(dom)


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    return tmp_path / "state"


@pytest_asyncio.fixture
async def driver(state_dir: Path) -> AsyncIterator[QemuDriver]:
    d = QemuDriver(DriverConfig(state_dir=state_dir, options={"accel": "auto"}))
    await d.open()
    try:
        yield d
    finally:
        await destroy_all(d)
        await d.close()


async def wait_until(predicate: object, timeout: float = 60.0, what: str = "condition") -> None:
    """Poll an async predicate until true (generous deadline; not a timing assertion)."""
    assert callable(predicate)
    async with asyncio.timeout(timeout):
        while not await predicate():
            await asyncio.sleep(0.05)
