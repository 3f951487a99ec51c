"""VM.suspend / VM.resume through the migration library, seen by an SDK client (simulator).

The suspend image is written through the library's save path: an Async.VM.suspend task's
progress moves through the write (the library's phases, scaled into the image step), the
VM's ``other_config:xenia-suspend-bandwidth`` caps the stream, and a cancel while the image is
being written leaves the VM running with no image, as xapi's cancelled suspend does.

The VM's memory model is 8 MiB and the cap 4 MiB/s, so the write lasts a couple of seconds
(the stream is what the test watches; no assertion is about time).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

NULL = "OpaqueRef:NULL"
CAP = str(4 << 20)
#: task progress while the image step runs: step 2 of 4 of VM.suspend's plan
IMAGE_STEP = (0.25, 0.5)


@pytest.fixture(scope="module")
def sim() -> Iterator[DaemonProcess]:
    with DaemonProcess(extra_args=["--driver-option", "guest-delay=0.05", "--driver-option", "migration-memory=8M",
                                   "--driver-option", "dirty-rate=64K"]) as d:  # fmt: skip
        yield d


@pytest.fixture(scope="module")
def api(sim: DaemonProcess) -> Iterator[Any]:
    session = XenAPI.Session(sim.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "suspend-tests")
    yield session.xenapi
    session.xenapi.session.logout()


@pytest.fixture
def vm(api: Any) -> Iterator[str]:
    template = api.VM.get_by_name_label("Generic Linux BIOS")[0]
    ref = api.VM.clone(template, "suspended through the library")
    api.VM.provision(ref)
    api.VM.add_to_other_config(ref, "xenia-suspend-bandwidth", CAP)
    api.VM.start(ref, False, False)
    yield str(ref)
    if api.VM.get_power_state(ref) != "Halted":
        api.VM.hard_shutdown(ref)
    disks = [api.VBD.get_VDI(b) for b in api.VM.get_VBDs(ref) if api.VBD.get_type(b) == "Disk"]
    api.VM.destroy(ref)
    for vdi in disks:
        api.VDI.destroy(vdi)


def _watch(api: Any, task: str, until: float = 1.1) -> list[float]:
    """The task's progress, read as often as the API answers, until it ends (or passes ``until``)."""
    seen: list[float] = []
    while api.task.get_status(task) == "pending":
        seen.append(float(api.task.get_progress(task)))
        if seen[-1] >= until:
            break
        time.sleep(0.02)
    return seen


def _partial_files(sim: DaemonProcess) -> list[Path]:
    return [p for p in Path(sim.state_dir).rglob("*") if p.name.endswith(".part")]


def test_async_suspend_progress_moves_through_the_image_write(api: Any, sim: DaemonProcess, vm: str) -> None:
    task = api.Async.VM.suspend(vm)
    seen = _watch(api, task)
    assert api.task.get_status(task) == "success", api.task.get_error_info(task)
    assert seen == sorted(seen), f"progress went backwards: {seen}"
    lo, hi = IMAGE_STEP
    # the library's send-memory phase: 0.05..0.95 of the image step, moving with the bytes written
    writing = sorted({p for p in seen if lo + 0.05 * (hi - lo) < p < lo + 0.95 * (hi - lo)})
    assert len(writing) >= 3, f"no progress seen while the image was written: {seen}"
    assert float(api.task.get_progress(task)) == 1.0
    assert api.VM.get_power_state(vm) == "Suspended"
    image = api.VM.get_suspend_VDI(vm)
    assert image != NULL and api.VDI.get_type(image) == "suspend"
    assert _partial_files(sim) == []

    api.VM.resume(vm, False, False)
    assert api.VM.get_power_state(vm) == "Running"
    assert api.VM.get_suspend_VDI(vm) == NULL
    assert image not in api.VDI.get_all()


def test_resume_paused_through_the_library(api: Any, vm: str) -> None:
    api.VM.suspend(vm)
    task = api.Async.VM.resume(vm, True, False)
    seen = _watch(api, task)
    assert api.task.get_status(task) == "success", api.task.get_error_info(task)
    assert seen == sorted(seen)
    assert api.VM.get_power_state(vm) == "Paused"  # start_paused: the restored domain is not unpaused
    api.VM.unpause(vm)
    assert api.VM.get_power_state(vm) == "Running"


def test_cancel_while_the_image_is_written_leaves_the_vm_running(api: Any, sim: DaemonProcess, vm: str) -> None:
    vdis = sorted(api.VDI.get_all())
    task = api.Async.VM.suspend(vm)
    lo, hi = IMAGE_STEP
    _watch(api, task, until=lo + 0.1 * (hi - lo))  # the library is writing memory pages
    api.task.cancel(task)
    while api.task.get_status(task) in ("pending", "cancelling"):  # xapi's states on the way to cancelled
        time.sleep(0.02)
    assert api.task.get_status(task) == "cancelled"
    assert api.task.get_error_info(task)[0] == "TASK_CANCELLED"
    assert api.VM.get_power_state(vm) == "Running"
    assert api.VM.get_suspend_VDI(vm) == NULL
    assert sorted(api.VDI.get_all()) == vdis, "a cancelled suspend left its image VDI"
    assert _partial_files(sim) == []
    assert "suspend" in api.VM.get_allowed_operations(vm)
    api.VM.suspend(vm)  # and it suspends afterwards
    assert api.VM.get_power_state(vm) == "Suspended"


def test_a_bad_cap_is_refused_and_changes_nothing(api: Any, vm: str) -> None:
    vdis = sorted(api.VDI.get_all())
    api.VM.remove_from_other_config(vm, "xenia-suspend-bandwidth")
    api.VM.add_to_other_config(vm, "xenia-suspend-bandwidth", "fast")
    with pytest.raises(XenAPI.Failure) as info:
        api.VM.suspend(vm)
    assert info.value.details[0] == "INVALID_VALUE"
    assert api.VM.get_power_state(vm) == "Running"
    assert sorted(api.VDI.get_all()) == vdis
