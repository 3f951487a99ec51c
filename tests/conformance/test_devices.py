"""Conformance: disks, CDs, NICs, consoles and metrics of live domains."""

from __future__ import annotations

import pytest

from xenia.drivers.base import Capability, DiskKind, DiskMode, DiskSpec, NicSpec
from xenia.drivers.errors import DeviceExists, InvalidState, NoSuchDevice

from .conftest import Harness
from .helpers import capable, make_spec, nic

pytestmark = pytest.mark.asyncio


async def _running(h: Harness, disks: tuple[DiskSpec, ...] = (), nics: tuple[NicSpec, ...] = ()) -> str:
    spec = make_spec(disks=disks, nics=nics)
    await h.driver.vm.create(spec)
    await h.driver.vm.unpause(spec.vm_uuid)
    return spec.vm_uuid


async def test_disk_hotplug(h: Harness) -> None:
    vm = await _running(h)
    path = await h.make_image("hot.img")
    disk = DiskSpec("1", path)
    if not await capable(h, Capability.DISK_HOTPLUG, lambda: h.driver.disk.plug(vm, disk)):
        await capable(h, Capability.DISK_HOTPLUG, lambda: h.driver.disk.unplug(vm, "1"))
        return
    st = await h.driver.vm.get_state(vm)
    assert [(d.userdevice, d.path) for d in st.disks] == [("1", path)]
    with pytest.raises(DeviceExists):
        await h.driver.disk.plug(vm, disk)
    await h.driver.disk.unplug(vm, "1")
    assert (await h.driver.vm.get_state(vm)).disks == ()
    with pytest.raises(NoSuchDevice):
        await h.driver.disk.unplug(vm, "1")


async def test_cd_media_change(h: Harness) -> None:
    iso = await h.make_image("cd.iso")
    vm = await _running(h, disks=(DiskSpec("3", iso, DiskKind.CD, DiskMode.RO),))
    if not await capable(h, Capability.CD_MEDIA_CHANGE, lambda: h.driver.disk.eject(vm, "3")):
        await capable(h, Capability.CD_MEDIA_CHANGE, lambda: h.driver.disk.insert(vm, "3", iso))
        return
    (cd,) = (await h.driver.vm.get_state(vm)).disks
    assert cd.path is None and cd.tray_open
    with pytest.raises(InvalidState):
        await h.driver.disk.eject(vm, "3")
    await h.driver.disk.insert(vm, "3", iso)
    (cd,) = (await h.driver.vm.get_state(vm)).disks
    assert cd.path == iso and not cd.tray_open
    with pytest.raises(InvalidState):
        await h.driver.disk.insert(vm, "3", iso)
    with pytest.raises(NoSuchDevice):
        await h.driver.disk.eject(vm, "7")


async def test_media_change_on_a_disk_is_invalid(h: Harness) -> None:
    path = await h.make_image("hd.img")
    vm = await _running(h, disks=(DiskSpec("0", path),))
    if Capability.CD_MEDIA_CHANGE in h.caps:
        with pytest.raises(InvalidState):
            await h.driver.disk.eject(vm, "0")


async def test_nic_hotplug(h: Harness) -> None:
    # a PCI device leaves only with the guest's consent (xapi's VIF.unplug too waits for the guest's
    # frontend), so the NIC goes to a cooperative guest, once its OS is up (it then reports features)
    spec = make_spec(other_config=h.cooperative or {})
    await h.driver.vm.create(spec)
    await h.driver.vm.unpause(spec.vm_uuid)
    vm = spec.vm_uuid
    for _ in range(10):  # a bound against hangs, not a timing check
        if h.cooperative is None or (await h.driver.vm.get_state(vm)).guest_features:
            break
        await h.settle(h.guest_delay)
    n = nic("1")
    if not await capable(h, Capability.NIC_HOTPLUG, lambda: h.driver.net.plug(vm, n)):
        await capable(h, Capability.NIC_HOTPLUG, lambda: h.driver.net.unplug(vm, "1"))
        return
    assert (await h.driver.vm.get_state(vm)).nics == (n,)
    with pytest.raises(DeviceExists):
        await h.driver.net.plug(vm, n)
    await h.driver.net.unplug(vm, "1")
    assert (await h.driver.vm.get_state(vm)).nics == ()
    with pytest.raises(NoSuchDevice):
        await h.driver.net.unplug(vm, "1")


async def test_consoles(h: Harness) -> None:
    vm = await _running(h)
    result: list[object] = []

    async def call() -> None:
        result.extend(await h.driver.console.consoles(vm))

    if await capable(h, Capability.CONSOLE, call):
        assert result


async def test_metrics_cover_every_domain(h: Harness) -> None:
    path = await h.make_image("m.img")
    vm = await _running(h, disks=(DiskSpec("0", path),), nics=(nic("0"),))
    samples = []

    async def call() -> None:
        samples.append(await h.driver.metrics.sample())

    if not await capable(h, Capability.METRICS, call):
        return
    await h.settle(10)
    samples.append(await h.driver.metrics.sample())
    first, second = ({m.vm_uuid: m for m in s.domains}[vm] for s in samples)
    st = await h.driver.vm.get_state(vm)
    assert second.domid == st.domid and len(second.vcpu_time_ns) == st.vcpus
    assert second.memory_actual == st.memory_actual
    assert [d.userdevice for d in second.disks] == ["0"] and [n.device for n in second.nics] == ["0"]
    assert all(b >= a for a, b in zip(first.vcpu_time_ns, second.vcpu_time_ns, strict=True))
    assert second.disks[0].read_bytes >= first.disks[0].read_bytes
