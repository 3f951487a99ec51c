"""Live migration of a booted QEMU guest between two QEMU drivers through the migration library.

Two drivers on two state directories are two hosts; the stream goes over the library's TCP
receiver. One guest is booted for the whole test: a cancel during the memory copy first (the
guest must keep running on the source), then the real move (a process started in the guest keeps
counting on the destination, and a file in its tmpfs is there).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.qemu.conftest import destroy_all, guest_spec, wait_until
from xenia.drivers.base import DriverConfig, RunState
from xenia.drivers.qemu import QemuDriver
from xenia.migration import MigrationCancelled, MigrationOptions, Phase, Progress, Receiver, migrate
from xenia.migration.qemu import QemuSink, QemuSource
from xenia.migration.receiver import Sink
from xenia.testing.guest import READY_MARKER, GuestImage, SerialConsole

pytestmark = pytest.mark.asyncio
MiB = 1 << 20


@pytest_asyncio.fixture
async def destination(tmp_path: Path) -> AsyncIterator[QemuDriver]:
    d = QemuDriver(DriverConfig(state_dir=tmp_path / "host-b", options={"accel": "auto"}))
    await d.open()
    try:
        yield d
    finally:
        await destroy_all(d)
        await d.close()


async def _counter(console: SerialConsole) -> int:
    status, out = await console.run("cat /tmp/count")
    assert status == 0, out
    return int(out.strip().splitlines()[-1])


async def test_a_running_guest_moves_and_its_process_keeps_running(
    driver: QemuDriver, destination: QemuDriver, guest_image: GuestImage
) -> None:
    spec = guest_spec(guest_image)
    vm = spec.vm_uuid
    await driver.vm.create(spec)
    console = SerialConsole()
    await console.connect(str(driver.domains[vm].paths.serial))
    await driver.vm.unpause(vm)
    await console.wait_for(READY_MARKER)
    await console.wait_for("# ")
    assert (await console.run("echo moved-$((40+2)) > /tmp/marker"))[0] == 0
    loop = "i=0; while true; do i=$((i+1)); echo $i > /tmp/count; sleep 0.1; done"
    assert (await console.run(f"sh -c '{loop}' </dev/null >/dev/null 2>&1 & true"))[0] == 0
    await wait_until(lambda: _positive(console), what="the counter to start")

    receiver = Receiver()
    await receiver.start()

    async def factory(hello: dict[str, Any]) -> Sink:
        return QemuSink(destination)

    try:
        # 1. cancelled during the memory copy: it keeps running here, nothing is left there
        options = MigrationOptions(bandwidth=4 * MiB)
        options.progress = lambda p: _cancel_once_sending(p, options)
        with pytest.raises(MigrationCancelled) as caught:
            await migrate(QemuSource(driver, vm), receiver.address, receiver.expect(factory).token, options)
        assert caught.value.phase is Phase.SEND_MEMORY and caught.value.source_running
        assert (await driver.vm.get_state(vm)).run_state is RunState.RUNNING
        before = await _counter(console)
        await wait_until(lambda: _above(console, before), what="the counter to go on at the source")
        await wait_until(lambda: _empty(destination), what="the destination to drop its half-made domain")

        # 2. the real move
        seen: list[Progress] = []
        result = await migrate(QemuSource(driver, vm), receiver.address, receiver.expect(factory).token,
                               MigrationOptions(progress=seen.append))  # fmt: skip
        await console.close()
        assert vm not in driver.domains
        assert (await destination.vm.get_state(vm)).run_state is RunState.RUNNING
        assert result.bytes_sent > 0 and {p.phase for p in seen} == set(Phase)
        console = SerialConsole()
        await console.connect(str(destination.domains[vm].paths.serial))
        status, out = await console.run("cat /tmp/marker")
        assert status == 0 and "moved-42" in out
        arrived = await _counter(console)
        assert arrived >= before
        await wait_until(lambda: _above(console, arrived), what="the counter to go on at the destination")
    finally:
        await console.close()
        await receiver.close()


def _cancel_once_sending(p: Progress, options: MigrationOptions) -> None:
    if p.phase is Phase.SEND_MEMORY and p.bytes_sent > 0:
        options.cancel.cancel()


async def _positive(console: SerialConsole) -> bool:
    status, out = await console.run("cat /tmp/count 2>/dev/null || echo 0")
    return status == 0 and int(out.strip().splitlines()[-1] or 0) > 0


async def _above(console: SerialConsole, value: int) -> bool:
    return await _counter(console) > value


async def _empty(driver: QemuDriver) -> bool:
    return not driver.domains
