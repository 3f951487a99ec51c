"""The migration library on two simulators in one process: phases, progress, cancel, timeout, failures."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from xenia.drivers.base import DomainSpec, DriverConfig, RunState
from xenia.drivers.errors import NoSuchDomain
from xenia.drivers.sim import SimDriver, VirtualClock
from xenia.migration import (
    DestinationRefused,
    MigrationCancelled,
    MigrationError,
    MigrationOptions,
    MigrationTimedOut,
    Phase,
    Progress,
    Receiver,
    TimeoutPolicy,
    migrate,
)
from xenia.migration.receiver import Sink
from xenia.migration.sim import SimSink, SimSource, memory_of

pytestmark = pytest.mark.asyncio
MiB = 1 << 20


def spec(memory: int = 64 * MiB) -> DomainSpec:
    return DomainSpec(
        vm_uuid=str(uuid.uuid4()),
        name="mig",
        vcpus_max=2,
        vcpus_at_startup=1,
        memory_static_max=memory,
        memory_dynamic_min=memory,
        memory_dynamic_max=memory,
        memory_target=memory,
    )


class Hosts:
    def __init__(self, src: SimDriver, dst: SimDriver, receiver: Receiver) -> None:
        self.src, self.dst, self.receiver = src, dst, receiver

    def ticket(self) -> str:
        async def factory(hello: dict[str, Any]) -> Sink:
            return SimSink(self.dst)

        return self.receiver.expect(factory).token

    async def running_vm(self, *, paused: bool = False) -> str:
        s = spec()
        await self.src.vm.create(s)
        if not paused:
            await self.src.vm.unpause(s.vm_uuid)
        return s.vm_uuid


async def _sim(path: Path, **opts: str) -> SimDriver:
    drv = SimDriver(DriverConfig(state_dir=path, options={"state": "memory", **opts}), clock=VirtualClock())
    await drv.open()
    return drv


@pytest_asyncio.fixture
async def hosts(tmp_path: Path) -> AsyncIterator[Hosts]:
    src = await _sim(tmp_path / "a", **{"migration-memory": "1M", "dirty-rate": "1M"})
    dst = await _sim(tmp_path / "b", **{"migration-memory": "1M", "dirty-rate": "1M"})
    receiver = Receiver()
    await receiver.start()
    yield Hosts(src, dst, receiver)
    await receiver.close()
    await src.close()
    await dst.close()


async def _gone(drv: SimDriver, vm: str) -> bool:
    try:
        await drv.vm.get_state(vm)
    except NoSuchDomain:
        return True
    return False


async def test_running_vm_moves_with_its_memory_and_reports_every_phase(hosts: Hosts) -> None:
    vm = await hosts.running_vm()
    seen: list[Progress] = []
    result = await migrate(SimSource(hosts.src, vm), hosts.receiver.address, hosts.ticket(), MigrationOptions(progress=seen.append))
    assert (await hosts.dst.vm.get_state(vm)).run_state is RunState.RUNNING
    assert await _gone(hosts.src, vm)
    # what the destination holds is exactly what the source had when it paused
    assert memory_of(hosts.dst, vm).digest() == result.switch["digest"] == result.destination["digest"]
    assert result.bytes_sent > memory_of(hosts.dst, vm).size
    phases = [p.phase for p in seen]
    assert [ph for i, ph in enumerate(phases) if i == 0 or phases[i - 1] is not ph] == list(Phase)
    assert all(p.cancellable == (p.phase in (Phase.PREPARE, Phase.CONNECT, Phase.SEND_MEMORY)) for p in seen)
    assert seen[-1].fraction == 1.0 or seen[-1].phase is Phase.CLEAN_UP


async def test_compressed_memory_arrives_intact_in_fewer_bytes(hosts: Hosts) -> None:
    """xapi's ``compress``: the memory goes as zstd frames the receiver unpacks (the simulator's
    pages repeat a small header: a pass is a fraction of its size on the wire)."""
    vm = await hosts.running_vm()
    result = await migrate(SimSource(hosts.src, vm), hosts.receiver.address, hosts.ticket(), MigrationOptions(compress=True))
    memory = memory_of(hosts.dst, vm)
    assert memory.digest() == result.switch["digest"] == result.destination["digest"]
    assert result.bytes_sent < memory.size / 4


async def test_a_guest_dirtying_memory_needs_several_passes_and_the_cap_holds(hosts: Hosts) -> None:
    vm = await hosts.running_vm()
    cap = 2 * MiB
    result = await migrate(
        SimSource(hosts.src, vm),
        hosts.receiver.address,
        hosts.ticket(),
        MigrationOptions(bandwidth=cap, downtime=0.02),
    )
    assert result.iterations >= 2
    assert memory_of(hosts.dst, vm).digest() == result.switch["digest"]
    # the limiter held the stream to its cap: never faster than twice the cap (coarse: no timing upper bound)
    assert result.bytes_sent / result.duration < 2 * cap


async def test_cancel_during_send_memory_leaves_it_running_on_the_source(hosts: Hosts) -> None:
    vm = await hosts.running_vm()
    options = MigrationOptions(bandwidth=1 * MiB)

    def on_progress(p: Progress) -> None:
        if p.phase is Phase.SEND_MEMORY and p.bytes_sent > 0:
            options.cancel.cancel()

    options.progress = on_progress
    with pytest.raises(MigrationCancelled) as caught:
        await migrate(SimSource(hosts.src, vm), hosts.receiver.address, hosts.ticket(), options)
    assert caught.value.phase is Phase.SEND_MEMORY and caught.value.source_running
    assert (await hosts.src.vm.get_state(vm)).run_state is RunState.RUNNING
    await asyncio.sleep(0.1)  # the receiver sees the ABORT
    assert await _gone(hosts.dst, vm)


async def test_cancel_is_refused_from_the_switch_over_on(hosts: Hosts) -> None:
    vm = await hosts.running_vm()
    options = MigrationOptions()
    answers: list[bool] = []

    def on_progress(p: Progress) -> None:
        if p.phase is Phase.SWITCH_OVER:
            answers.append(options.cancel.cancel())

    options.progress = on_progress
    await migrate(SimSource(hosts.src, vm), hosts.receiver.address, hosts.ticket(), options)
    assert answers and not any(answers)
    assert (await hosts.dst.vm.get_state(vm)).run_state is RunState.RUNNING


async def test_timeout_with_policy_cancel_and_with_policy_force(hosts: Hosts) -> None:
    # the guest dirties faster than the cap lets through: pre-copy never converges
    for drv in (hosts.src, hosts.dst):
        drv.dirty_rate = 64 * MiB
    vm = await hosts.running_vm()
    slow = MigrationOptions(bandwidth=1 * MiB, downtime=0.001, timeout=0.5, max_iterations=10_000)
    with pytest.raises(MigrationTimedOut) as caught:
        await migrate(SimSource(hosts.src, vm), hosts.receiver.address, hosts.ticket(), slow)
    assert caught.value.phase is Phase.SEND_MEMORY and caught.value.source_running
    assert (await hosts.src.vm.get_state(vm)).run_state is RunState.RUNNING

    forced = MigrationOptions(
        bandwidth=8 * MiB, downtime=0.001, timeout=0.5, on_timeout=TimeoutPolicy.FORCE, max_iterations=10_000
    )
    result = await migrate(SimSource(hosts.src, vm), hosts.receiver.address, hosts.ticket(), forced)
    assert memory_of(hosts.dst, vm).digest() == result.switch["digest"]
    assert (await hosts.dst.vm.get_state(vm)).run_state is RunState.RUNNING


async def test_a_token_is_good_once(hosts: Hosts) -> None:
    vm = await hosts.running_vm()
    token = hosts.ticket()
    await migrate(SimSource(hosts.src, vm), hosts.receiver.address, token)
    back = await hosts.running_vm()
    with pytest.raises(DestinationRefused) as caught:
        await migrate(SimSource(hosts.src, back), hosts.receiver.address, token)
    assert caught.value.phase is Phase.CONNECT and caught.value.code == "token"
    assert (await hosts.src.vm.get_state(back)).run_state is RunState.RUNNING


async def test_no_receiver_fails_in_connect(hosts: Hosts) -> None:
    vm = await hosts.running_vm()
    address = hosts.receiver.address
    await hosts.receiver.close()
    with pytest.raises(MigrationError) as caught:
        await migrate(SimSource(hosts.src, vm), address, "x")
    assert (caught.value.phase, caught.value.reason, caught.value.source_running) == (Phase.CONNECT, "connection_lost", True)


async def test_receiver_gone_mid_stream_fails_in_send_memory(hosts: Hosts) -> None:
    vm = await hosts.running_vm()
    options = MigrationOptions(bandwidth=1 * MiB)
    closing: list[asyncio.Task[None]] = []

    def on_progress(p: Progress) -> None:
        if p.phase is Phase.SEND_MEMORY and p.bytes_sent > 0 and not closing:
            closing.append(asyncio.ensure_future(hosts.receiver.close()))

    options.progress = on_progress
    with pytest.raises(MigrationError) as caught:
        await migrate(SimSource(hosts.src, vm), hosts.receiver.address, hosts.ticket(), options)
    assert caught.value.phase is Phase.SEND_MEMORY and caught.value.reason in ("connection_lost", "refused")
    assert (await hosts.src.vm.get_state(vm)).run_state is RunState.RUNNING
    assert await _gone(hosts.dst, vm)


@pytest.mark.parametrize(("point", "phase"), [("vm.migrate.load", Phase.SWITCH_OVER), ("vm.migrate.commit", Phase.HAND_OVER)])
async def test_destination_failing_late_resumes_the_source(hosts: Hosts, point: str, phase: Phase) -> None:
    vm = await hosts.running_vm()
    hosts.dst.faults.set_spec(f"{point}=fail")
    with pytest.raises(DestinationRefused) as caught:
        await migrate(SimSource(hosts.src, vm), hosts.receiver.address, hosts.ticket())
    assert caught.value.phase is phase and caught.value.source_running
    assert (await hosts.src.vm.get_state(vm)).run_state is RunState.RUNNING
    assert await _gone(hosts.dst, vm)


@pytest.mark.parametrize(
    ("point", "phase"),
    [("vm.migrate.prepare", Phase.PREPARE), ("vm.migrate.send", Phase.SEND_MEMORY), ("vm.migrate.switch", Phase.SWITCH_OVER)],
)
async def test_source_failing_names_its_phase_and_keeps_running(hosts: Hosts, point: str, phase: Phase) -> None:
    vm = await hosts.running_vm()
    hosts.src.faults.set_spec(f"{point}=fail")
    with pytest.raises(MigrationError) as caught:
        await migrate(SimSource(hosts.src, vm), hosts.receiver.address, hosts.ticket())
    assert (caught.value.phase, caught.value.reason, caught.value.source_running) == (phase, "driver", True)
    assert (await hosts.src.vm.get_state(vm)).run_state is RunState.RUNNING
    await asyncio.sleep(0.1)  # the receiver sees the ABORT
    assert await _gone(hosts.dst, vm)


async def test_a_paused_vm_arrives_paused_and_can_come_back(hosts: Hosts) -> None:
    vm = await hosts.running_vm(paused=True)
    there = await migrate(SimSource(hosts.src, vm), hosts.receiver.address, hosts.ticket())
    assert (await hosts.dst.vm.get_state(vm)).run_state is RunState.PAUSED

    async def back_factory(hello: dict[str, Any]) -> Sink:
        return SimSink(hosts.src)

    token = hosts.receiver.expect(back_factory).token
    back = await migrate(SimSource(hosts.dst, vm), hosts.receiver.address, token)
    assert back.switch["digest"] == there.switch["digest"]  # paused: nothing was written meanwhile
    assert (await hosts.src.vm.get_state(vm)).run_state is RunState.PAUSED
