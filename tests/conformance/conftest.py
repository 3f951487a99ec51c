"""Fixtures of the driver conformance suite: one suite, every driver.

To add a driver, write an async context manager that yields a :class:`Harness` for it and add
one line to :data:`HARNESSES`. Every test in this directory then runs against it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import pytest_asyncio

from xenia.drivers.base import Capability, Driver, DriverConfig
from xenia.drivers.sim import SimDriver, VirtualClock


@dataclass
class Harness:
    """A driver under test plus what the suite needs to exercise it."""

    #: The opened driver.
    driver: Driver
    #: A scratch directory for images and suspend files.
    workdir: Path
    #: Make a disk image (``name`` is a file name) usable by this driver; returns its path.
    make_image: Callable[[str], Awaitable[str]]
    #: Let ``seconds`` of guest time pass (virtual clocks advance; real ones sleep).
    settle: Callable[[float], Awaitable[None]]
    #: Close the driver and open a new instance on the same state directory (adoption).
    reopen: Callable[[], Awaitable[Driver]]
    #: ``other_config`` giving a guest that honours shutdown/reboot/balloon requests, or None when
    #: this driver cannot provide one (the suite then checks only that requests are accepted).
    cooperative: Mapping[str, str] | None = field(default_factory=dict)
    #: Seconds a cooperative guest may take to act on a request.
    guest_delay: float = 5.0

    @property
    def caps(self) -> frozenset[Capability]:
        return self.driver.capabilities


HarnessFactory = Callable[[Path], contextlib.AbstractAsyncContextManager[Harness]]


def _sim_harness(options: Mapping[str, str]) -> HarnessFactory:
    @contextlib.asynccontextmanager
    async def factory(tmp: Path) -> AsyncIterator[Harness]:
        clock = VirtualClock()
        state = tmp / "state"
        work = tmp / "work"
        work.mkdir()
        config = DriverConfig(state_dir=state, options={"guest-delay": "2", "memory": "64G", **options})
        current: list[SimDriver] = [SimDriver(config, clock=clock)]
        await current[0].open()

        async def make_image(name: str) -> str:
            path = work / name
            path.write_bytes(b"")  # the simulator only needs the file to exist
            return str(path)

        async def reopen() -> Driver:
            await current[0].close()
            current[0] = SimDriver(config, clock=clock)
            await current[0].open()
            return current[0]

        try:
            yield Harness(
                driver=current[0],
                workdir=work,
                make_image=make_image,
                settle=clock.run_for,
                reopen=reopen,
                cooperative={"xenia-sim-guest": "pv"},
                guest_delay=5.0,
            )
        finally:
            await current[0].close()

    return factory


def _qemu_harness() -> HarnessFactory:
    """Real QEMU processes (TCG unless KVM can really boot a guest), the test guest of
    :mod:`xenia.testing.guest` as the cooperative guest, and real time."""

    @contextlib.asynccontextmanager
    async def factory(tmp: Path) -> AsyncIterator[Harness]:
        from xenia.drivers.qemu import QemuDriver
        from xenia.testing.guest import build_guest_image, guest_other_config, make_test_image

        image = await asyncio.to_thread(build_guest_image)
        work = tmp / "work"
        work.mkdir()
        config = DriverConfig(state_dir=tmp / "state", options={"accel": "auto"})
        current: list[QemuDriver] = [QemuDriver(config)]
        await current[0].open()

        async def make_image(name: str) -> str:
            return await asyncio.to_thread(make_test_image, work / name)

        async def reopen() -> Driver:
            await current[0].close()
            current[0] = QemuDriver(config)
            await current[0].open()
            return current[0]

        try:
            yield Harness(
                driver=current[0],
                workdir=work,
                make_image=make_image,
                settle=asyncio.sleep,
                reopen=reopen,
                cooperative=guest_other_config(image),
                guest_delay=12.0,
            )
        finally:
            for state in await current[0].vm.list_domains():  # never leave QEMU processes behind
                await current[0].vm.destroy(state.vm_uuid)
            await current[0].close()

    return factory


#: Driver name -> harness factory. Adding a driver is one line here.
HARNESSES: dict[str, HarnessFactory] = {
    "sim": _sim_harness({}),
    # The simulator with every optional capability off: checks the NotSupported side of each test.
    "sim-minimal": _sim_harness({"disable": ",".join(c.value for c in Capability)}),
    "qemu": _qemu_harness(),
}


@pytest.fixture(params=sorted(HARNESSES))
def harness_factory(request: pytest.FixtureRequest) -> HarnessFactory:
    factory: HarnessFactory = HARNESSES[request.param]
    return factory


@pytest_asyncio.fixture
async def h(harness_factory: HarnessFactory, tmp_path: Path) -> AsyncIterator[Harness]:
    async with harness_factory(tmp_path) as harness:
        yield harness
