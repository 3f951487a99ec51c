"""Adoption: a new simulator on the same state directory finds its domains as they were."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from xenia.drivers import registry
from xenia.drivers.base import DiskKind, DiskMode, DiskSpec, RunState, ShutdownReason
from xenia.drivers.errors import InvalidArgument, NoSuchImage
from xenia.drivers.sim import SimDriver, VirtualClock, parse_size

from .simutil import MiB, open_sim, spec


@pytest.mark.asyncio
async def test_state_and_pending_guest_actions_survive_restart(tmp_path: Path) -> None:
    clock = VirtualClock()
    drv = await open_sim(tmp_path, clock)
    iso = tmp_path / "cd.iso"
    iso.write_bytes(b"")
    a, b = spec(), spec()
    a = dataclasses.replace(a, disks=(DiskSpec("3", str(iso), DiskKind.CD, DiskMode.RO),))
    await drv.vm.create(a)
    await drv.vm.unpause(a.vm_uuid)
    await drv.disk.eject(a.vm_uuid, "3")
    await drv.vm.set_vcpus(a.vm_uuid, 2)
    await drv.vm.request_shutdown(a.vm_uuid)  # due in 2 s
    await drv.vm.create(b)
    before = await drv.vm.list_domains()
    await drv.close()  # like a daemon crash: no timers survive, only the table

    seen: list[str] = []
    drv2 = await open_sim(tmp_path, clock)
    drv2.subscribe(seen.append)
    assert await drv2.vm.list_domains() == before
    await clock.run_for(2)
    st = await drv2.vm.get_state(a.vm_uuid)
    assert (st.run_state, st.shutdown_reason, st.vcpus) == (RunState.SHUTDOWN, ShutdownReason.POWEROFF, 2)
    assert st.disks[0].path is None and st.disks[0].tray_open
    assert seen == [a.vm_uuid]
    c = await drv2.vm.create(spec())
    assert c.domid > max(d.domid for d in before)
    await drv2.close()


@pytest.mark.asyncio
async def test_domids_are_not_reused_after_destroy_and_restart(tmp_path: Path) -> None:
    clock = VirtualClock()
    drv = await open_sim(tmp_path, clock)
    first = await drv.vm.create(spec())
    await drv.vm.destroy(first.vm_uuid)
    await drv.close()
    drv = await open_sim(tmp_path, clock)
    assert (await drv.vm.create(spec())).domid > first.domid
    await drv.close()


@pytest.mark.asyncio
async def test_suspend_image_round_trip_and_bad_images(tmp_path: Path) -> None:
    clock = VirtualClock()
    drv = await open_sim(tmp_path, clock)
    s = spec()
    await drv.vm.create(s)
    await drv.vm.unpause(s.vm_uuid)
    await clock.run_for(50)
    await drv.vm.suspend(s.vm_uuid, str(tmp_path / "vm.suspend"))
    await drv.vm.destroy(s.vm_uuid)
    with pytest.raises(InvalidArgument):
        await drv.vm.resume(spec(), str(tmp_path / "vm.suspend"))  # another VM's image
    (tmp_path / "junk").write_bytes(b"not an image")
    for bad in ("missing", "junk"):
        with pytest.raises(NoSuchImage):
            await drv.vm.resume(s, str(tmp_path / bad))
    await drv.vm.resume(s, str(tmp_path / "vm.suspend"))
    (m,) = (await drv.metrics.sample()).domains
    assert m.vcpu_time_ns[0] > 0  # the CPU time of the first life was carried over
    await drv.close()


@pytest.mark.asyncio
async def test_options_and_registry(tmp_path: Path) -> None:
    drv = registry.create("sim", tmp_path, {"memory": "2G", "cpus": "8", "hostname": "h1", "clock": "virtual"})
    assert isinstance(drv, SimDriver)
    await drv.open()
    info = await drv.host.info()
    assert (info.memory_total, info.cpu_count, info.hostname) == (2 << 30, 8, "h1")
    await drv.close()
    assert "sim" in registry.names() and "qemu" in registry.names()
    for bad in ({"colour": "red"}, {"clock": "sundial"}, {"disable": "teleport"}, {"memory": "lots"}):
        with pytest.raises(InvalidArgument):
            registry.create("sim", tmp_path, bad)
    with pytest.raises(InvalidArgument):
        registry.create("vmware", tmp_path)
    assert parse_size("512M") == 512 * MiB and parse_size("1GiB") == 1 << 30 and parse_size("4096") == 4096


def test_table_round_trips_every_field_of_a_domain(tmp_path: Path) -> None:
    """What the table keeps comes back equal: enums, device lists, limits set or not (the decoder
    shares one object for unset limits and reads enums from tables: neither may change a value)."""
    from xenia.drivers.base import DiskQos, DiskState, NicSpec
    from xenia.drivers.sim.state import SimDomain, SimStore

    limits = DiskQos(bps=1 << 20, iops_wr=50)
    disk_spec = DiskSpec("0", "/sr/a.img", DiskKind.DISK, DiskMode.RW, True, limits)
    cd_spec = DiskSpec("3", None, DiskKind.CD, DiskMode.RO)
    nics = (NicSpec("0", "aa:bb:cc:00:00:01", "xenbr0", 9000, 512), NicSpec("1", "aa:bb:cc:00:00:02", "xenbr1"))
    full = dataclasses.replace(spec(), disks=(disk_spec, cd_spec), nics=nics, platform={"acpi": "1"},
                               other_config={"k": "v"}, kernel="/boot/vmlinuz", initrd="/boot/initrd",
                               cmdline="console=hvc0")  # fmt: skip
    doms = [
        SimDomain(full, 7, RunState.SHUTDOWN, ShutdownReason.CRASH, 2, 64 * MiB, 96 * MiB, 1.5, "pv",
                  disks={"0": DiskState("0", "/sr/a.img", DiskKind.DISK, DiskMode.RW, False, limits),
                         "3": DiskState("3", None, DiskKind.CD, DiskMode.RO, True)},
                  nics={n.device: n for n in nics}, run_seconds=3.25, running_since=None, pending="reboot",
                  pending_due=9.5),  # fmt: skip
        SimDomain(spec(), 8, RunState.PAUSED, None, 1, 32 * MiB, 32 * MiB, 2.0, "hvm", running_since=4.0),
    ]
    store = SimStore(tmp_path)
    for d in doms:
        store.put(d)
    loaded = {d.domid: d for d in SimStore(tmp_path).load()}
    fields = [f.name for f in dataclasses.fields(SimDomain) if f.name != "timer"]
    for d in doms:
        got = loaded[d.domid]
        assert [getattr(got, f) for f in fields] == [getattr(d, f) for f in fields]
        assert got.state() == d.state()
    assert loaded[7].spec.disks[1].qos == DiskQos() and not loaded[7].spec.disks[1].qos.limited
