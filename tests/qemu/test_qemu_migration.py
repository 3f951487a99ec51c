"""Live migration of a booted QEMU guest between two QEMU drivers through the migration library.

Two drivers on two state directories are two hosts; the stream goes over the library's TCP
receiver. One guest is booted for the whole test: a cancel during the memory copy first (the
guest must keep running on the source), then the real move (a process started in the guest keeps
counting on the destination, and a file in its tmpfs is there).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import signal
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.qemu.conftest import destroy_all, guest_spec, wait_until
from xenia.drivers.base import DiskSpec, DriverConfig, RunState
from xenia.drivers.qemu import QemuDriver
from xenia.migration import MigrationCancelled, MigrationError, MigrationOptions, Phase, Progress, Receiver, migrate
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
    loop = "i=0; while true; do i=$((i+1)); echo $i > /tmp/count.new; mv /tmp/count.new /tmp/count; sleep 0.1; done"
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


async def test_a_disk_goes_with_the_vm_and_a_destination_killed_midway_leaves_it_at_the_source(
    driver: QemuDriver, destination: QemuDriver, tmp_path: Path
) -> None:
    """Firmware only (the disk is the point): QEMU's mirror into the destination's NBD export,
    tunnelled through the stream. Killed midway, the source runs on with its own images and nothing
    of the mirror; then the move, after which the destination's image holds the source's bytes."""
    src_img, dst_img = str(tmp_path / "src.qcow2"), str(tmp_path / "dst.qcow2")
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", src_img, "256M"], check=True)
    subprocess.run(["qemu-io", "-f", "qcow2", "-c", "write -P 0xa5 1M 96M", src_img], check=True, capture_output=True)
    spec = guest_spec(None, disks=(DiskSpec("0", src_img),))
    vm = spec.vm_uuid
    await driver.vm.create(spec)
    await driver.vm.unpause(vm)
    here = dataclasses.replace(spec, disks=(DiskSpec("0", dst_img),))
    receiver = Receiver()
    await receiver.start()

    async def factory(hello: dict[str, Any]) -> Sink:
        return QemuSink(destination, here)

    async def kill_when_copying() -> None:
        while vm not in destination.domains or not os.path.exists(dst_img):
            await asyncio.sleep(0.05)
        dom = destination.domains[vm]
        await wait_until(lambda: _copied(dst_img), what="the mirror to write to the destination")
        assert dom.pid is not None
        os.kill(dom.pid, signal.SIGKILL)

    try:
        killer = asyncio.create_task(kill_when_copying())
        with pytest.raises(MigrationError) as caught:
            await migrate(QemuSource(driver, vm, copy_disks=True), receiver.address, receiver.expect(factory).token,
                          MigrationOptions(bandwidth=16 * MiB))  # fmt: skip
        await killer
        assert caught.value.phase is Phase.SEND_MEMORY and caught.value.source_running
        dom = driver.domains[vm]
        assert (await driver.vm.get_state(vm)).run_state is RunState.RUNNING
        assert await dom.execute("query-block-jobs") == []
        assert {n["node-name"] for n in await dom.execute("query-named-block-nodes")} == {"vbd0-fmt", "vbd0-file"}
        await wait_until(lambda: _empty(destination), what="the destination to drop its half-made domain")
        assert not os.path.exists(dst_img)  # the sink made it, the sink removed it

        result = await migrate(QemuSource(driver, vm, copy_disks=True), receiver.address, receiver.expect(factory).token)
        assert vm not in driver.domains and result.bytes_sent > 96 * MiB
        assert (await destination.vm.get_state(vm)).run_state is RunState.RUNNING
        await destination.vm.destroy(vm)  # releases the image's lock
        compared = subprocess.run(["qemu-img", "compare", "-q", src_img, dst_img], check=False)
        assert compared.returncode == 0
    finally:
        await receiver.close()


async def _copied(path: str) -> bool:
    info = subprocess.run(["qemu-img", "info", "-U", "--output=json", path], capture_output=True, text=True, check=False)
    return info.returncode == 0 and json.loads(info.stdout).get("actual-size", 0) > 8 * MiB
