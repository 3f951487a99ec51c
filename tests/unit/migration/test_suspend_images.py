"""The suspend image through the library (what VM.suspend/VM.resume call), on the simulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from xenia.drivers.base import RunState
from xenia.drivers.errors import BackendFailure
from xenia.migration import MigrationOptions, Phase, Progress
from xenia.migration.sim import memory_of
from xenia.migration.suspend import is_saved_vm, resume_from, suspend_to

from .test_save_restore import _sim, _vm

pytestmark = pytest.mark.asyncio


async def test_suspend_image_is_a_saved_vm_and_resumes_paused(tmp_path: Path) -> None:
    drv = await _sim(tmp_path / "host")
    vm = await _vm(drv)
    spec = drv.get(vm).spec
    image = str(tmp_path / "vm.suspend")
    seen: list[Progress] = []
    saved = await suspend_to(drv, vm, image, MigrationOptions(bandwidth=1 << 20, progress=seen.append))
    assert {p.phase for p in seen} == set(Phase)
    assert vm not in [d.spec.vm_uuid for d in drv.domains()]
    assert is_saved_vm(image)
    await resume_from(drv, spec, image, MigrationOptions())
    state = await drv.vm.get_state(vm)
    assert state.run_state is RunState.PAUSED  # the operation unpauses it, or not (start_paused)
    assert memory_of(drv, vm).digest() == saved.switch["digest"]  # the memory as it was at the pause
    await drv.close()


async def test_a_driver_failure_keeps_its_type_and_leaves_the_vm_running(tmp_path: Path) -> None:
    drv = await _sim(tmp_path / "host")
    vm = await _vm(drv)
    drv.faults.set("vm.suspend.write", "fail")
    image = tmp_path / "vm.suspend"
    with pytest.raises(BackendFailure):  # mapped by the operation as the driver's suspend always was
        await suspend_to(drv, vm, str(image), MigrationOptions())
    assert (await drv.vm.get_state(vm)).run_state is RunState.RUNNING
    assert not image.exists() and not list(tmp_path.glob("*.part"))
    await drv.close()


async def test_an_image_the_driver_wrote_itself_is_told_apart(tmp_path: Path) -> None:
    """Images from before suspend went through the library are resumed by the driver's own resume."""
    drv = await _sim(tmp_path / "host")
    vm = await _vm(drv)
    spec = drv.get(vm).spec
    image = str(tmp_path / "old.suspend")
    await drv.vm.suspend(vm, image)
    await drv.vm.destroy(vm)
    assert not is_saved_vm(image)
    assert not is_saved_vm(str(tmp_path / "missing"))
    assert (await drv.vm.resume(spec, image)).run_state is RunState.PAUSED
    await drv.close()
