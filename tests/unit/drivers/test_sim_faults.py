"""Fault points of the simulator: parsing, and each action at run time."""

from __future__ import annotations

import asyncio
import dataclasses
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from xenia.drivers.base import NicSpec
from xenia.drivers.errors import BackendFailure, InvalidArgument, NoSuchDomain
from xenia.drivers.sim import FAULT_POINTS, FaultAction, FaultSpec, VirtualClock, parse_fault
from xenia.drivers.sim.faults import FaultInjected

from .simutil import open_sim, spec

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("vm.create=fail", "vm.create", FaultSpec(FaultAction.FAIL)),
        ("disk.plug=fail-once", "disk.plug", FaultSpec(FaultAction.FAIL_ONCE)),
        (" nic.plug = hang", "nic.plug", FaultSpec(FaultAction.HANG)),
        ("vm.unpause=delay:2.5", "vm.unpause", FaultSpec(FaultAction.DELAY, 2.5)),
        ("vm.suspend.write=kill", "vm.suspend.write", FaultSpec(FaultAction.KILL)),
    ],
)
async def test_parse(text: str, name: str, expected: FaultSpec) -> None:
    assert parse_fault(text) == (name, expected)
    assert parse_fault(f"{name}={expected}") == (name, expected)


@pytest.mark.parametrize(
    "text",
    ["vm.create", "no.such=fail", "vm.create=explode", "vm.create=delay:x", "vm.create=delay:-1", "vm.create=fail:1"],
)
async def test_parse_rejects(text: str) -> None:
    with pytest.raises(InvalidArgument):
        parse_fault(text)


async def test_fail_leaves_state_untouched_and_keeps_cause(tmp_path: Path) -> None:
    drv = await open_sim(tmp_path, VirtualClock())
    drv.faults.set("vm.create", "fail")
    s = spec()
    free = await drv.host.memory_free()
    for _ in range(2):
        with pytest.raises(BackendFailure) as info:
            await drv.vm.create(s)
        assert isinstance(info.value.cause, FaultInjected) and info.value.cause.point == "vm.create"
    with pytest.raises(NoSuchDomain):
        await drv.vm.get_state(s.vm_uuid)
    assert await drv.host.memory_free() == free
    assert drv.faults.list() == {"vm.create": FaultSpec(FaultAction.FAIL)}
    drv.faults.clear("vm.create")
    await drv.vm.create(s)
    await drv.close()


async def test_fail_once_clears_itself(tmp_path: Path) -> None:
    drv = await open_sim(tmp_path, VirtualClock())
    s = spec()
    await drv.vm.create(s)
    drv.faults.set_spec("vm.unpause=fail-once")
    with pytest.raises(BackendFailure):
        await drv.vm.unpause(s.vm_uuid)
    assert drv.faults.list() == {}
    await drv.vm.unpause(s.vm_uuid)
    await drv.close()


async def test_device_faults_fire_during_create(tmp_path: Path) -> None:
    drv = await open_sim(tmp_path, VirtualClock())
    drv.faults.set("nic.plug", "fail")
    s = dataclasses.replace(spec(), nics=(NicSpec("0", "02:00:00:00:00:01", "br0"),))
    with pytest.raises(BackendFailure):
        await drv.vm.create(s)
    assert await drv.vm.list_domains() == []
    await drv.close()


async def test_hang_blocks_until_cancelled(tmp_path: Path) -> None:
    clock = VirtualClock()
    drv = await open_sim(tmp_path, clock)
    s = spec()
    await drv.vm.create(s)
    drv.faults.set("vm.unpause", "hang")
    task = asyncio.create_task(drv.vm.unpause(s.vm_uuid))
    await clock.run_for(3600)
    assert not task.done()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert (await drv.vm.get_state(s.vm_uuid)).run_state.value == "paused"
    await drv.close()


async def test_delay_waits_on_the_clock(tmp_path: Path) -> None:
    clock = VirtualClock()
    drv = await open_sim(tmp_path, clock)
    s = spec()
    await drv.vm.create(s)
    drv.faults.set("vm.unpause", "delay:10")
    task = asyncio.create_task(drv.vm.unpause(s.vm_uuid))
    await clock.run_for(9)
    assert not task.done()
    await clock.run_for(1)
    await task
    assert (await drv.vm.get_state(s.vm_uuid)).run_state.value == "running"
    await drv.close()


async def test_every_point_is_settable_and_clear_all(tmp_path: Path) -> None:
    drv = await open_sim(tmp_path, VirtualClock())
    for name in FAULT_POINTS:
        drv.faults.set(name, "fail")
    assert set(drv.faults.list()) == set(FAULT_POINTS)
    drv.faults.clear()
    assert drv.faults.list() == {}
    with pytest.raises(InvalidArgument):
        drv.faults.set("vm.nothing", "fail")
    await drv.close()


async def test_faults_option_arms_points(tmp_path: Path) -> None:
    drv = await open_sim(tmp_path, VirtualClock(), faults="vm.create=fail, vm.pause=delay:1")
    assert drv.faults.list() == {"vm.create": FaultSpec(FaultAction.FAIL), "vm.pause": FaultSpec(FaultAction.DELAY, 1)}
    await drv.close()


async def test_kill_kills_the_process_and_state_survives(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import asyncio
        from pathlib import Path
        from xenia.drivers.base import DomainSpec, DriverConfig
        from xenia.drivers.sim import SimDriver

        async def main():
            drv = SimDriver(DriverConfig(Path({str(tmp_path)!r}), {{"faults": "vm.pause=kill"}}))
            await drv.open()
            spec = DomainSpec("vm-k", "k", 1, 1, 2**26, 2**25, 2**26, 2**26)
            await drv.vm.create(spec)
            await drv.vm.unpause("vm-k")
            await drv.vm.pause("vm-k")
            print("not killed")

        asyncio.run(main())
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert "not killed" not in proc.stdout
    drv = await open_sim(tmp_path, VirtualClock())
    (st,) = await drv.vm.list_domains()
    assert st.vm_uuid == "vm-k" and st.run_state.value == "running"
    await drv.close()
