"""Conformance: domain lifecycle (VmOps, HostOps, attention, adoption)."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable

import pytest

from xenia.drivers.base import Capability, DiskKind, DiskMode, DiskSpec, RunState, ShutdownReason
from xenia.drivers.errors import (
    DomainExists,
    InvalidArgument,
    InvalidState,
    NoSuchDomain,
    NotEnoughMemory,
)

from .conftest import Harness
from .helpers import MiB, capable, make_spec, nic

pytestmark = pytest.mark.asyncio


async def test_declares_capabilities_and_host_facts(h: Harness) -> None:
    assert isinstance(h.driver.capabilities, frozenset)
    assert all(isinstance(c, Capability) for c in h.driver.capabilities)
    info = await h.driver.host.info()
    assert info.cpu_count > 0 and info.memory_total > 0 and info.hostname
    assert 0 <= await h.driver.host.memory_free() <= info.memory_total


async def test_create_gives_paused_domain_with_devices(h: Harness) -> None:
    disk = await h.make_image("d0.img")
    spec = make_spec(
        disks=(DiskSpec("0", disk, bootable=True), DiskSpec("3", None, DiskKind.CD, DiskMode.RO)),
        nics=(nic("0"),),
    )
    free = await h.driver.host.memory_free()
    st = await h.driver.vm.create(spec)
    assert st.vm_uuid == spec.vm_uuid and st.domid > 0
    assert st.run_state is RunState.PAUSED and st.shutdown_reason is None
    assert st.vcpus == spec.vcpus_at_startup
    assert st.memory_target == spec.memory_target
    assert [(d.userdevice, d.path, d.kind) for d in st.disks] == [("0", disk, DiskKind.DISK), ("3", None, DiskKind.CD)]
    assert [n.device for n in st.nics] == ["0"]
    assert await h.driver.host.memory_free() <= free - spec.memory_target
    assert await h.driver.vm.get_state(spec.vm_uuid) == st
    assert st in await h.driver.vm.list_domains()
    with pytest.raises(DomainExists):
        await h.driver.vm.create(spec)


async def test_create_rejects_bad_specs_and_leaves_nothing(h: Harness) -> None:
    bad_vcpus = make_spec(vcpus=3, vcpus_max=2)
    with pytest.raises(InvalidArgument):
        await h.driver.vm.create(bad_vcpus)
    free = await h.driver.host.memory_free()
    huge = make_spec(memory=free + 1024 * MiB)
    with pytest.raises(NotEnoughMemory) as info:
        await h.driver.vm.create(huge)
    assert info.value.needed > info.value.available
    for spec in (bad_vcpus, huge):
        with pytest.raises(NoSuchDomain):
            await h.driver.vm.get_state(spec.vm_uuid)
    assert await h.driver.host.memory_free() == free


async def test_unpause_runs_and_domids_are_unique(h: Harness) -> None:
    a, b = make_spec(), make_spec()
    sa = await h.driver.vm.create(a)
    sb = await h.driver.vm.create(b)
    assert sa.domid != sb.domid
    await h.driver.vm.unpause(a.vm_uuid)
    assert (await h.driver.vm.get_state(a.vm_uuid)).run_state is RunState.RUNNING
    with pytest.raises(InvalidState):
        await h.driver.vm.unpause(a.vm_uuid)
    await h.driver.vm.destroy(a.vm_uuid)
    sa2 = await h.driver.vm.create(a)
    assert sa2.domid not in (sa.domid, sb.domid)


async def test_destroy_frees_memory_in_any_state(h: Harness) -> None:
    free = await h.driver.host.memory_free()
    spec = make_spec()
    await h.driver.vm.create(spec)
    await h.driver.vm.unpause(spec.vm_uuid)
    await h.driver.vm.destroy(spec.vm_uuid)
    assert await h.driver.host.memory_free() == free
    with pytest.raises(NoSuchDomain):
        await h.driver.vm.get_state(spec.vm_uuid)
    with pytest.raises(NoSuchDomain):
        await h.driver.vm.destroy(spec.vm_uuid)
    assert spec.vm_uuid not in [d.vm_uuid for d in await h.driver.vm.list_domains()]


async def test_pause_and_unpause(h: Harness) -> None:
    spec = make_spec()
    await h.driver.vm.create(spec)
    await h.driver.vm.unpause(spec.vm_uuid)
    if await capable(h, Capability.PAUSE, lambda: h.driver.vm.pause(spec.vm_uuid)):
        assert (await h.driver.vm.get_state(spec.vm_uuid)).run_state is RunState.PAUSED
        with pytest.raises(InvalidState):
            await h.driver.vm.pause(spec.vm_uuid)
        await h.driver.vm.unpause(spec.vm_uuid)
    assert (await h.driver.vm.get_state(spec.vm_uuid)).run_state is RunState.RUNNING


@pytest.mark.parametrize(
    ("cap", "reason"),
    [(Capability.CLEAN_SHUTDOWN, ShutdownReason.POWEROFF), (Capability.CLEAN_REBOOT, ShutdownReason.REBOOT)],
)
async def test_clean_requests_are_honoured_by_a_cooperative_guest(
    h: Harness, cap: Capability, reason: ShutdownReason
) -> None:
    spec = make_spec(other_config=h.cooperative or {})
    await h.driver.vm.create(spec)
    await h.driver.vm.unpause(spec.vm_uuid)
    seen: list[str] = []
    unsubscribe = h.driver.subscribe(seen.append)
    vm = h.driver.vm
    if h.cooperative is not None:
        # as a XenAPI client must (xapi allows clean_shutdown/clean_reboot only once the guest says it
        # can: its features), ask once the guest's OS is up; bounded rounds, not a timing check
        for _ in range(11):
            if (await vm.get_state(spec.vm_uuid)).guest_features:
                break
            await h.settle(h.guest_delay)
        assert (await vm.get_state(spec.vm_uuid)).guest_features, "the cooperative guest never came up"
    call = vm.request_shutdown if cap is Capability.CLEAN_SHUTDOWN else vm.request_reboot
    if not await capable(h, cap, lambda: call(spec.vm_uuid)):
        return
    await h.settle(h.guest_delay)
    st = await vm.get_state(spec.vm_uuid)
    if h.cooperative is not None:
        # a booted guest acts once its OS is up; on a loaded machine under TCG that can take longer
        # than guest_delay, so wait more rounds (a bound against hangs, not a timing check)
        for _ in range(10):
            if st.run_state is not RunState.RUNNING:
                break
            await h.settle(h.guest_delay)
            st = await vm.get_state(spec.vm_uuid)
        assert st.run_state is RunState.SHUTDOWN and st.shutdown_reason is reason
        assert spec.vm_uuid in seen
        with pytest.raises(InvalidState):
            await call(spec.vm_uuid)
    unsubscribe()
    await vm.destroy(spec.vm_uuid)


async def test_clean_request_needs_a_running_domain(h: Harness) -> None:
    spec = make_spec()
    await h.driver.vm.create(spec)  # paused
    for cap, call in (
        (Capability.CLEAN_SHUTDOWN, h.driver.vm.request_shutdown),
        (Capability.CLEAN_REBOOT, h.driver.vm.request_reboot),
    ):
        if cap in h.caps:
            with pytest.raises(InvalidState):
                await call(spec.vm_uuid)


async def test_reset_keeps_domid(h: Harness) -> None:
    spec = make_spec()
    st = await h.driver.vm.create(spec)
    await h.driver.vm.unpause(spec.vm_uuid)
    if await capable(h, Capability.HARD_RESET, lambda: h.driver.vm.reset(spec.vm_uuid)):
        after = await h.driver.vm.get_state(spec.vm_uuid)
        assert after.domid == st.domid and after.run_state is RunState.RUNNING


async def test_suspend_and_resume(h: Harness) -> None:
    disk = await h.make_image("s0.img")
    spec = make_spec(disks=(DiskSpec("0", disk),), nics=(nic("0"),))
    st = await h.driver.vm.create(spec)
    await h.driver.vm.unpause(spec.vm_uuid)
    image = str(h.workdir / "suspend.img")
    if not await capable(h, Capability.SUSPEND, lambda: h.driver.vm.suspend(spec.vm_uuid, image)):
        await capable(h, Capability.SUSPEND, lambda: h.driver.vm.resume(spec, image))
        return
    assert os.path.exists(image)
    sus = await h.driver.vm.get_state(spec.vm_uuid)
    assert sus.run_state is RunState.SHUTDOWN and sus.shutdown_reason is ShutdownReason.SUSPEND
    await h.driver.vm.destroy(spec.vm_uuid)
    res = await h.driver.vm.resume(spec, image)
    assert res.run_state is RunState.PAUSED and res.domid != st.domid
    assert res.memory_actual == sus.memory_actual and res.vcpus == sus.vcpus
    assert [d.userdevice for d in res.disks] == ["0"] and [n.device for n in res.nics] == ["0"]
    await h.driver.vm.unpause(spec.vm_uuid)
    assert (await h.driver.vm.get_state(spec.vm_uuid)).run_state is RunState.RUNNING


async def test_balloon(h: Harness) -> None:
    spec = make_spec(other_config=h.cooperative or {})
    await h.driver.vm.create(spec)
    await h.driver.vm.unpause(spec.vm_uuid)
    target = spec.memory_dynamic_min
    if not await capable(h, Capability.BALLOON, lambda: h.driver.vm.set_memory_target(spec.vm_uuid, target)):
        return
    assert (await h.driver.vm.get_state(spec.vm_uuid)).memory_target == target
    with pytest.raises(InvalidArgument):
        await h.driver.vm.set_memory_target(spec.vm_uuid, spec.memory_dynamic_max + 1)
    if h.cooperative is not None:
        # the guest's balloon driver acts once its OS is up: more rounds on a loaded machine under TCG
        # (a bound against hangs, not a timing check)
        for _ in range(10):
            await h.settle(h.guest_delay)
            if (await h.driver.vm.get_state(spec.vm_uuid)).memory_actual == target:
                break
        assert (await h.driver.vm.get_state(spec.vm_uuid)).memory_actual == target


async def test_vcpu_hotplug(h: Harness) -> None:
    spec = make_spec(vcpus=1, vcpus_max=2)
    await h.driver.vm.create(spec)
    await h.driver.vm.unpause(spec.vm_uuid)
    if await capable(h, Capability.VCPU_HOTPLUG, lambda: h.driver.vm.set_vcpus(spec.vm_uuid, 2)):
        assert (await h.driver.vm.get_state(spec.vm_uuid)).vcpus == 2
        with pytest.raises(InvalidArgument):
            await h.driver.vm.set_vcpus(spec.vm_uuid, 3)


async def test_unknown_vm_is_no_such_domain(h: Harness) -> None:
    missing = make_spec().vm_uuid
    vm = h.driver.vm
    calls: list[tuple[Capability | None, Callable[[], Awaitable[object]]]] = [
        (None, lambda: vm.get_state(missing)),
        (None, lambda: vm.unpause(missing)),
        (None, lambda: vm.destroy(missing)),
        (Capability.PAUSE, lambda: vm.pause(missing)),
        (Capability.CLEAN_SHUTDOWN, lambda: vm.request_shutdown(missing)),
        (Capability.CLEAN_REBOOT, lambda: vm.request_reboot(missing)),
        (Capability.HARD_RESET, lambda: vm.reset(missing)),
        (Capability.BALLOON, lambda: vm.set_memory_target(missing, MiB)),
        (Capability.VCPU_HOTPLUG, lambda: vm.set_vcpus(missing, 1)),
        (Capability.SUSPEND, lambda: vm.suspend(missing, str(h.workdir / "x"))),
        (Capability.DISK_HOTPLUG, lambda: h.driver.disk.unplug(missing, "0")),
        (Capability.NIC_HOTPLUG, lambda: h.driver.net.unplug(missing, "0")),
        (Capability.CONSOLE, lambda: h.driver.console.consoles(missing)),
    ]
    for cap, call in calls:
        if cap is None or cap in h.caps:
            with pytest.raises(NoSuchDomain):
                await call()
        else:
            await capable(h, cap, call)


async def test_adoption_after_reopen(h: Harness) -> None:
    running, paused = make_spec(nics=(nic("0"),)), make_spec()
    await h.driver.vm.create(running)
    await h.driver.vm.unpause(running.vm_uuid)
    await h.driver.vm.create(paused)
    before = {d.vm_uuid: d for d in await h.driver.vm.list_domains()}
    free = await h.driver.host.memory_free()
    driver = await h.reopen()
    after = {d.vm_uuid: d for d in await driver.vm.list_domains()}
    assert after == before
    assert await driver.host.memory_free() == free
    fresh = await driver.vm.create(make_spec())
    assert fresh.domid not in {d.domid for d in before.values()}
    await driver.vm.destroy(running.vm_uuid)
