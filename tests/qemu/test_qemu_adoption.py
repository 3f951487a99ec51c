"""Adoption: a new driver instance on the same state directory finds running QEMUs again."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from tests.qemu.conftest import destroy_all, guest_spec, wait_until
from xenia.drivers.base import DriverConfig, RunState
from xenia.drivers.qemu import QemuDriver
from xenia.drivers.qemu.process import pid_alive
from xenia.testing.guest import READY_MARKER, GuestImage, SerialConsole

pytestmark = pytest.mark.asyncio


async def test_new_instance_adopts_running_qemus_and_reports_dead_ones_gone(
    state_dir: Path, guest_image: GuestImage
) -> None:
    config = DriverConfig(state_dir=state_dir, options={"accel": "auto"})
    first = QemuDriver(config)
    await first.open()
    running, paused, doomed = guest_spec(guest_image), guest_spec(None), guest_spec(None)
    second: QemuDriver | None = None
    try:
        for spec in (running, paused, doomed):
            await first.vm.create(spec)
        console = SerialConsole()
        await console.connect(str(first.domains[running.vm_uuid].paths.serial))
        await first.vm.unpause(running.vm_uuid)
        await console.wait_for(READY_MARKER)
        await console.run("echo survived > /tmp/adopt")

        async def guest_listens() -> bool:  # its OS handles the power button (set shortly after boot)
            return bool((await first.vm.get_state(running.vm_uuid)).guest_features)

        await wait_until(guest_listens)
        before = {d.vm_uuid: d for d in await first.vm.list_domains()}
        assert before[running.vm_uuid].guest_features == {"feature-poweroff", "feature-reboot"}
        assert before[paused.vm_uuid].guest_features == frozenset()  # firmware alone listens to nothing
        doomed_pid = first.domains[doomed.vm_uuid].pid
        assert doomed_pid is not None
        await first.close()  # the daemon goes away; its QEMUs stay
        os.kill(doomed_pid, 9)  # ... and one of them dies meanwhile
        while pid_alive(doomed_pid):
            await asyncio.sleep(0.01)

        second = QemuDriver(config)
        await second.open()
        after = {d.vm_uuid: d for d in await second.vm.list_domains()}
        assert set(after) == {running.vm_uuid, paused.vm_uuid}
        assert after[running.vm_uuid] == before[running.vm_uuid]
        assert after[paused.vm_uuid] == before[paused.vm_uuid]
        assert after[running.vm_uuid].run_state is RunState.RUNNING
        assert second.vanished == [doomed.vm_uuid]
        # The adopted domain is fully controllable, and its guest kept its state.
        await second.vm.pause(running.vm_uuid)
        await second.vm.unpause(running.vm_uuid)
        status, out = await console.run("cat /tmp/adopt")
        assert status == 0 and "survived" in out
        await console.close()
        # An adopted QEMU that exits is noticed at once as well.
        seen: list[str] = []
        second.subscribe(seen.append)
        pid = second.domains[paused.vm_uuid].pid
        assert pid is not None
        os.kill(pid, 9)
        async with asyncio.timeout(30):
            while paused.vm_uuid not in seen:
                await asyncio.sleep(0.01)
        assert (await second.vm.get_state(paused.vm_uuid)).run_state is RunState.SHUTDOWN
    finally:
        if second is not None:
            await destroy_all(second)
            await second.close()
        else:
            # first was closed or failed before handing over: adopt and clean up.
            cleanup = QemuDriver(config)
            await cleanup.open()
            await destroy_all(cleanup)
            await cleanup.close()
