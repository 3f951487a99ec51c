"""Save a simulated VM to a file and restore it anywhere, through the library's phases."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from xenia.drivers.base import DomainSpec, DriverConfig, RunState
from xenia.drivers.errors import NoSuchDomain
from xenia.drivers.sim import SimDriver, VirtualClock
from xenia.migration import MigrationCancelled, MigrationError, MigrationOptions, Phase, Progress, restore, save
from xenia.migration.sim import SimSink, SimSource, memory_of

pytestmark = pytest.mark.asyncio
MiB = 1 << 20


async def _sim(path: Path) -> SimDriver:
    drv = SimDriver(DriverConfig(state_dir=path, options={"state": "memory", "migration-memory": "256K"}),
                    clock=VirtualClock())  # fmt: skip
    await drv.open()
    return drv


async def _vm(drv: SimDriver) -> str:
    spec = DomainSpec(vm_uuid=str(uuid.uuid4()), name="s", vcpus_max=2, vcpus_at_startup=2,
                      memory_static_max=64 * MiB, memory_dynamic_min=64 * MiB, memory_dynamic_max=64 * MiB,
                      memory_target=64 * MiB)  # fmt: skip
    await drv.vm.create(spec)
    await drv.vm.unpause(spec.vm_uuid)
    return spec.vm_uuid


async def test_saved_vm_restores_on_another_host_with_its_memory(tmp_path: Path) -> None:
    a, b = await _sim(tmp_path / "a"), await _sim(tmp_path / "b")
    vm = await _vm(a)
    image = str(tmp_path / "vm.save")
    seen: list[Progress] = []
    saved = await save(SimSource(a, vm), image, MigrationOptions(bandwidth=4 * MiB, progress=seen.append))
    with pytest.raises(NoSuchDomain):
        await a.vm.get_state(vm)  # as xl save: the VM lives in the file now
    assert Path(image).stat().st_size == saved.bytes_sent
    assert {p.phase for p in seen} == set(Phase)
    done = await restore(SimSink(b), image)
    state = await b.vm.get_state(vm)
    assert state.run_state is RunState.RUNNING and state.vcpus == 2
    assert done["digest"] == saved.switch["digest"] == memory_of(b, vm).digest()
    await a.close()
    await b.close()


async def test_cancelled_save_leaves_no_file_and_the_vm_running(tmp_path: Path) -> None:
    a = await _sim(tmp_path / "a")
    vm = await _vm(a)
    image = tmp_path / "vm.save"
    options = MigrationOptions(bandwidth=256 << 10)

    def on_progress(p: Progress) -> None:
        if p.phase is Phase.SEND_MEMORY and p.bytes_sent > 0:
            options.cancel.cancel()

    options.progress = on_progress
    with pytest.raises(MigrationCancelled):
        await save(SimSource(a, vm), str(image), options)
    assert not image.exists() and not list(tmp_path.glob("*.part"))
    assert (await a.vm.get_state(vm)).run_state is RunState.RUNNING
    await a.close()


async def test_a_file_that_is_not_a_saved_vm_is_refused_and_nothing_is_made(tmp_path: Path) -> None:
    b = await _sim(tmp_path / "b")
    bogus = tmp_path / "bogus"
    bogus.write_bytes(b"\x01\x00\x00\x00\x02{}")
    with pytest.raises(MigrationError) as caught:
        await restore(SimSink(b), str(bogus))
    assert caught.value.reason == "protocol"
    bogus.write_bytes(b"not a frame at all")
    with pytest.raises(MigrationError):
        await restore(SimSink(b), str(bogus))
    assert await b.vm.list_domains() == []
    await b.close()


async def test_a_truncated_image_restores_nothing(tmp_path: Path) -> None:
    a, b = await _sim(tmp_path / "a"), await _sim(tmp_path / "b")
    vm = await _vm(a)
    image = tmp_path / "vm.save"
    await save(SimSource(a, vm), str(image))
    data = image.read_bytes()
    image.write_bytes(data[: len(data) // 2])
    with pytest.raises(MigrationError):
        await restore(SimSink(b), str(image))
    assert await b.vm.list_domains() == []
    await a.close()
    await b.close()
