"""Simulated guest profiles and the attention signal."""

from __future__ import annotations

from pathlib import Path

import pytest

from xenia.drivers.base import RunState, ShutdownReason
from xenia.drivers.errors import InvalidArgument, InvalidState
from xenia.drivers.sim import VirtualClock

from .simutil import MiB, open_sim, spec

pytestmark = pytest.mark.asyncio


async def test_pv_guest_honours_shutdown_after_its_delay(tmp_path: Path) -> None:
    clock = VirtualClock()
    drv = await open_sim(tmp_path, clock)
    seen: list[str] = []
    drv.subscribe(seen.append)
    s = spec()
    await drv.vm.create(s)
    await drv.vm.unpause(s.vm_uuid)
    await drv.vm.request_shutdown(s.vm_uuid)
    await clock.run_for(1.9)
    assert (await drv.vm.get_state(s.vm_uuid)).run_state is RunState.RUNNING and seen == []
    await clock.run_for(0.1)
    st = await drv.vm.get_state(s.vm_uuid)
    assert (st.run_state, st.shutdown_reason) == (RunState.SHUTDOWN, ShutdownReason.POWEROFF)
    assert seen == [s.vm_uuid]
    await drv.close()


async def test_pv_guest_balloons_to_target(tmp_path: Path) -> None:
    clock = VirtualClock()
    drv = await open_sim(tmp_path, clock, memory="1G")
    seen: list[str] = []
    drv.subscribe(seen.append)
    s = spec(memory=512 * MiB)
    await drv.vm.create(s)
    await drv.vm.unpause(s.vm_uuid)
    await drv.vm.set_memory_target(s.vm_uuid, 256 * MiB)
    assert (await drv.vm.get_state(s.vm_uuid)).memory_actual == 512 * MiB
    assert await drv.host.memory_free() == 512 * MiB  # still held until the guest lets go
    await clock.run_for(2)
    assert (await drv.vm.get_state(s.vm_uuid)).memory_actual == 256 * MiB
    assert await drv.host.memory_free() == 768 * MiB
    assert seen == [s.vm_uuid]
    await drv.close()


async def test_paused_guest_acts_only_once_unpaused(tmp_path: Path) -> None:
    clock = VirtualClock()
    drv = await open_sim(tmp_path, clock)
    s = spec()
    await drv.vm.create(s)
    await drv.vm.unpause(s.vm_uuid)
    await drv.vm.request_reboot(s.vm_uuid)
    await drv.vm.pause(s.vm_uuid)
    await clock.run_for(60)
    assert (await drv.vm.get_state(s.vm_uuid)).run_state is RunState.PAUSED
    await drv.vm.unpause(s.vm_uuid)
    await clock.run_for(2)
    assert (await drv.vm.get_state(s.vm_uuid)).shutdown_reason is ShutdownReason.REBOOT
    await drv.close()


async def test_guest_without_drivers_ignores_requests(tmp_path: Path) -> None:
    clock = VirtualClock()
    drv = await open_sim(tmp_path, clock)
    seen: list[str] = []
    drv.subscribe(seen.append)
    s = spec({"xenia-sim-guest": "no-drivers"})
    await drv.vm.create(s)
    await drv.vm.unpause(s.vm_uuid)
    await drv.vm.request_shutdown(s.vm_uuid)
    await drv.vm.request_reboot(s.vm_uuid)
    await drv.vm.set_memory_target(s.vm_uuid, s.memory_dynamic_min)
    await clock.run_for(3600)
    st = await drv.vm.get_state(s.vm_uuid)
    assert st.run_state is RunState.RUNNING and st.memory_actual == s.memory_target
    assert seen == []
    await drv.close()


async def test_crashing_guest_crashes_after_its_lifetime(tmp_path: Path) -> None:
    clock = VirtualClock()
    drv = await open_sim(tmp_path, clock)
    seen: list[str] = []
    drv.subscribe(seen.append)
    s = spec({"xenia-sim-guest": "crash", "xenia-sim-crash-after": "10"})
    await drv.vm.create(s)
    await clock.run_for(100)  # a paused guest does not run, so cannot crash
    await drv.vm.unpause(s.vm_uuid)
    await clock.run_for(9)
    assert (await drv.vm.get_state(s.vm_uuid)).run_state is RunState.RUNNING
    await clock.run_for(1)
    assert (await drv.vm.get_state(s.vm_uuid)).shutdown_reason is ShutdownReason.CRASH
    assert seen == [s.vm_uuid]
    await drv.close()


async def test_guest_stops_hook_and_bad_profiles(tmp_path: Path) -> None:
    drv = await open_sim(tmp_path, VirtualClock())
    seen: list[str] = []
    unsubscribe = drv.subscribe(seen.append)
    drv.subscribe(lambda _: (_ for _ in ()).throw(RuntimeError("bad subscriber")))
    s = spec()
    await drv.vm.create(s)
    with pytest.raises(InvalidState):
        drv.guest_stops(s.vm_uuid, ShutdownReason.CRASH)
    await drv.vm.unpause(s.vm_uuid)
    drv.guest_stops(s.vm_uuid, ShutdownReason.CRASH)
    assert seen == [s.vm_uuid]  # a failing subscriber does not stop the others
    unsubscribe()
    for bad in ({"xenia-sim-guest": "windows"}, {"xenia-sim-crash-after": "soon"}):
        with pytest.raises(InvalidArgument):
            await drv.vm.create(spec(bad))
    await drv.close()
