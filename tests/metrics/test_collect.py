"""Collection: the simulator's bulk sample moves, repeats, and feeds xcp-rrdd's sources."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from pathlib import Path

import numpy as np
import pytest

from xenia.datamodel import MODEL
from xenia.datamodel.meta import NULL_REF
from xenia.db import Db
from xenia.drivers.base import DiskSpec, DomainSpec, NicSpec
from xenia.drivers.columns import DomainColumns
from xenia.drivers.sim import SimDriver, VirtualClock
from xenia.firstboot import initialise
from xenia.metrics.collect import MetricsConfig, MetricsService
from xenia.metrics.registry import Registry
from xenia.metrics.rrd import Bank
from xenia.metrics.sources import block_layout, disk_name, vm_defs, vm_layout, vm_values
from xenia.util.foreground import Foreground

from ..unit.drivers.simutil import MiB, open_sim, spec

PINNED = {"xenia-sim-cpu": "0.75"}


@pytest.mark.asyncio
async def test_pinned_load_shows_as_that_fraction(tmp_path: Path) -> None:
    clock = VirtualClock()
    s = spec(PINNED)
    drv = await open_sim(tmp_path, clock, cpus="4")
    await drv.vm.create(s)
    await drv.vm.unpause(s.vm_uuid)
    first = (await drv.metrics.sample()).domains[0]
    await clock.run_for(60)
    second = (await drv.metrics.sample()).domains[0]
    assert second.vcpu_time_ns[0] - first.vcpu_time_ns[0] == pytest.approx(0.75 * 60e9, rel=1e-6)
    await drv.close()


@pytest.mark.asyncio
async def test_workloads_move_and_repeat(tmp_path: Path) -> None:
    s = spec()
    runs = []
    for n in range(2):
        clock = VirtualClock()
        drv = await open_sim(tmp_path / str(n), clock, cpus="4")
        await drv.vm.create(s)
        await drv.vm.unpause(s.vm_uuid)
        samples = []
        for _ in range(4):
            samples.append((await drv.metrics.sample()).domains[0].vcpu_time_ns[0])
            await clock.run_for(60)
        runs.append(samples)
        await drv.close()
    assert runs[0] == runs[1]  # seeded by the VM's uuid: the same curve every run
    per_minute = np.diff(runs[0])
    assert len(set(per_minute.tolist())) == 3  # and it moves: no two minutes alike
    assert all(0 < d < 60e9 for d in per_minute)


@pytest.mark.asyncio
async def test_host_busy_time_follows_the_domains(tmp_path: Path) -> None:
    clock = VirtualClock()
    drv = await open_sim(tmp_path, clock, cpus="4")
    for _ in range(2):
        s = spec(PINNED)
        await drv.vm.create(s)
        await drv.vm.unpause(s.vm_uuid)
    first = (await drv.metrics.sample()).host
    await clock.run_for(10)
    second = (await drv.metrics.sample()).host
    assert first is not None and second is not None
    # two vCPUs at 0.75 spread over 4 CPUs, plus the control domain's 2 %: 0.395 of each CPU
    busy = [(b - a) / 10e9 for a, b in zip(first.cpu_busy_ns, second.cpu_busy_ns, strict=True)]
    assert busy == pytest.approx([0.02 + 1.5 / 4] * 4)
    await drv.close()


@pytest.mark.asyncio
async def test_sample_feeds_xcp_rrdd_sources(tmp_path: Path) -> None:
    clock = VirtualClock(start=86_400.0 * 20_000)
    drv = await open_sim(tmp_path, clock, cpus="4")
    s = spec(PINNED)
    await drv.vm.create(s)
    await drv.vm.unpause(s.vm_uuid)
    bank = Bank()
    reg = Registry(bank)
    obj = reg.obtain("vm", s.vm_uuid)
    prev = None
    for _ in range(4):
        sample = await drv.metrics.sample()
        (m,) = sample.domains
        if obj.layout != vm_layout(m):
            reg.set_layout(obj, vm_layout(m), vm_defs(vm_layout(m)))
        bank.update(sample.taken_at, obj.feed, np.array(obj.pick_values(vm_values(m, prev))))
        prev = m.disks
        await clock.run_for(5)
    names = [d.name for d in obj.defs]
    assert names == [
        "cpu0",
        "cpu_usage",
        "cpu_avg",
        "memory",
        "memory_target",
        "memory_internal_free",
    ]  # no disks, no NICs
    latest = dict(zip(names, bank.latest(obj.idx).tolist(), strict=True))
    assert latest["cpu0"] == pytest.approx(0.75)
    assert latest["cpu_usage"] == pytest.approx(0.75)
    assert latest["memory"] == s.memory_target
    await drv.close()


def test_disk_names_follow_xen() -> None:
    assert [disk_name(str(i)) for i in (0, 1, 3, 25, 26)] == ["xvda", "xvdb", "xvdd", "xvdz", "xvdaa"]


def _vm_spec(image: Path, vcpus: int, disks: int, nics: int, other_config: dict[str, str] | None = None) -> DomainSpec:
    vm_uuid = str(uuid.uuid4())
    return DomainSpec(
        vm_uuid=vm_uuid, name="cols", vcpus_max=vcpus, vcpus_at_startup=vcpus,
        memory_static_max=64 * MiB, memory_dynamic_min=64 * MiB, memory_dynamic_max=64 * MiB, memory_target=64 * MiB,
        disks=tuple(DiskSpec(str(i), str(image)) for i in range(disks)),
        nics=tuple(NicSpec(str(i), f"00:16:3e:00:{vm_uuid[:2]}:{i:02x}", "xenbr0") for i in range(nics)),
        other_config=other_config or {},
    )  # fmt: skip


async def _sim_with_disk(tmp_path: Path) -> tuple[VirtualClock, SimDriver, Path]:
    """A simulator on a virtual clock with room for a few VMs, and an empty disk image for them."""
    clock = VirtualClock(start=86_400.0 * 20_000)
    drv = await open_sim(tmp_path / "sim", clock, cpus="8", memory="8G")
    image = tmp_path / "disk.img"
    image.touch()
    return clock, drv, image


@pytest.mark.asyncio
async def test_columns_feed_the_same_rates_as_one_domain_at_a_time(tmp_path: Path) -> None:
    """The simulator hands its sample as numpy columns grouped by layout; the collector's block
    path must archive exactly what feeding the same domains one by one archives, through domains
    coming and going and a disk plugged between ticks (its latency matched by device)."""
    clock, drv, image = await _sim_with_disk(tmp_path)
    specs = [
        _vm_spec(image, 1, 0, 0, PINNED),
        _vm_spec(image, 2, 2, 1),
        _vm_spec(image, 2, 2, 1),
        _vm_spec(image, 1, 1, 2),
    ]
    for s in specs:
        await drv.vm.create(s)
        await drv.vm.unpause(s.vm_uuid)
    services = []
    for name in ("columns", "objects"):
        db = Db(MODEL)
        identity = initialise(db, tmp_path / name)
        services.append(MetricsService(db, drv, identity.host_ref, tmp_path / name, MetricsConfig()))
    columns, objects = services
    late = _vm_spec(image, 2, 2, 1)
    for tick in range(6):
        sample = await drv.metrics.sample()
        assert isinstance(sample.domains, DomainColumns)
        assert len(sample.domains) == len(list(sample.domains))
        columns.ingest(sample)
        objects.ingest(dataclasses.replace(sample, domains=tuple(sample.domains)))
        for block in sample.domains.blocks:  # a plan kept across starts and stops is the one built afresh
            kept, fresh = columns._blocks[block_layout(block)], columns._plan_block(block, block_layout(block))
            assert np.array_equal(kept.src, fresh.src) and np.array_equal(kept.dst, fresh.dst)
            assert kept.lens is not None and fresh.lens is not None
            assert kept.objects == fresh.objects and np.array_equal(kept.lens, fresh.lens)
        if tick == 1:
            await drv.disk.plug(specs[3].vm_uuid, DiskSpec("2", str(image)))
        if tick == 2:
            await drv.vm.destroy(specs[1].vm_uuid)
            await drv.vm.create(late)
            await drv.vm.unpause(late.vm_uuid)
        if tick == 3:  # a domain gone from the middle of its block, and one more at its end
            await drv.vm.destroy(specs[2].vm_uuid)
            await drv.vm.create(specs[1])
            await drv.vm.unpause(specs[1].vm_uuid)
        await clock.run_for(5)
        for vm_uuid in columns.live_vms | objects.live_vms:
            a, b = columns.registry.get("vm", vm_uuid), objects.registry.get("vm", vm_uuid)
            assert a is not None and b is not None
            names = [d.name for d in b.defs]
            assert [d.name for d in a.defs] == names
            np.testing.assert_allclose(columns.rates(a, names), objects.rates(b, names), rtol=1e-12, equal_nan=True)
    plugged = columns.registry.get("vm", specs[3].vm_uuid)
    assert plugged is not None
    rates = dict(zip([d.name for d in plugged.defs], columns.rates(plugged, [d.name for d in plugged.defs]), strict=True))
    assert rates["cpu0"] > 0 and rates["vbd_xvda_read"] > 0 and rates["vif_1_rx"] > 0
    assert rates["vbd_xvdc_read_latency"] > 0  # the plugged disk's latency, from two ticks after it came
    pinned = columns.registry.get("vm", specs[0].vm_uuid)
    assert pinned is not None and columns.rates(pinned, ["cpu0"]) == pytest.approx([0.75])
    await drv.close()


@pytest.mark.asyncio
async def test_an_srs_io_is_its_running_disks_and_stays_known_when_a_vm_goes(tmp_path: Path) -> None:
    """The SR's rates at each tick are the sums of the rates of the disks on it of the VMs running
    then; a VM going away does not make the SR's counters go back (which a plain sum of the
    disks' counters would, giving an unknown tick)."""
    clock, drv, image = await _sim_with_disk(tmp_path)
    db = Db(MODEL)
    identity = initialise(db, tmp_path / "state")
    service = MetricsService(db, drv, identity.host_ref, tmp_path / "state", MetricsConfig())
    pbd = next(p for p in db.referrers("PBD", "host", identity.host_ref) if db.get("PBD", p)["currently_attached"])
    sr_ref = db.get("PBD", pbd)["SR"]
    sr_uuid = db.get("SR", sr_ref)["uuid"]
    specs = [_vm_spec(image, 1, 1, 0) for _ in range(3)]
    for s in specs:
        vm = db.create("VM", {"uuid": s.vm_uuid, "name_label": "sr", "power_state": "Running"})
        vdi = db.create("VDI", {"SR": sr_ref})
        db.create("VBD", {"VM": vm, "VDI": vdi, "userdevice": "0", "type": "Disk"})
        await drv.vm.create(s)
        await drv.vm.unpause(s.vm_uuid)
    await drv.vm.create(extra := _vm_spec(image, 1, 1, 0))  # a disk on no SR xenia knows: not counted
    await drv.vm.unpause(extra.vm_uuid)
    for tick in range(6):
        sample = await drv.metrics.sample()
        service.ingest(sample)
        assert isinstance(sample.domains, DomainColumns)
        for block in sample.domains.blocks:  # slots kept across starts and stops: those looked up afresh
            plan = service._blocks[block_layout(block)]
            fresh = service._slots_of(service._disk_srs(), block.vm_uuids, block.disks)
            assert tick == 0 or (plan.sr_slots is not None and np.array_equal(plan.sr_slots, fresh))
        if tick >= 1:
            sr = service.registry.get("sr", sr_uuid)
            assert sr is not None
            running = [s.vm_uuid for s in specs if s.vm_uuid in service.live_vms]
            disks = []
            for u in running:
                obj = service.registry.get("vm", u)
                assert obj is not None
                disks.append(service.rates(obj, ["vbd_xvda_read", "vbd_xvda_iops_total"]))
            read, iops = service.rates(sr, ["read", "iops_total"])
            if tick == 1 or tick == 4:  # the first tick after a VM went counts only the others
                assert len(running) == (3 if tick == 1 else 2)
            assert read == pytest.approx(sum(d[0] for d in disks), rel=1e-6) and read > 0
            assert iops == pytest.approx(sum(d[1] for d in disks), rel=1e-6)
        if tick == 3:  # and a disk on no SR xenia knows comes after it in the block: still not counted
            await drv.vm.destroy(specs[0].vm_uuid)
            await drv.vm.create(extra := _vm_spec(image, 1, 1, 0))
            await drv.vm.unpause(extra.vm_uuid)
        await clock.run_for(5)
    await drv.close()


@pytest.mark.asyncio
async def test_a_tick_yields_between_its_parts_and_refreshes_every_vm_of_its_turn(tmp_path: Path) -> None:
    """At 10 000 VMs one tick is a few hundred ms of work: it runs in parts (sample, new RRDs' layouts,
    RRD update, the live db fields a slice of VMs at a time) with the event loop serving other calls between them,
    and still refreshes each VM of its turn, as a whole tick in one piece does."""
    clock, drv, image = await _sim_with_disk(tmp_path)
    db = Db(MODEL)
    identity = initialise(db, tmp_path / "state")
    specs = [_vm_spec(image, 1, 1, 1) for _ in range(9)]
    metrics = []
    for s in specs:
        metrics.append(db.create("VM_metrics", {}))
        db.create("VM", {"uuid": s.vm_uuid, "name_label": "t", "metrics": metrics[-1], "power_state": "Running"})
        await drv.vm.create(s)
        await drv.vm.unpause(s.vm_uuid)
    config = MetricsConfig(db_refresh_ticks=1, db_refresh_slice=2, layout_slice=2)
    service = MetricsService(db, drv, identity.host_ref, tmp_path / "state", config)
    first = asyncio.ensure_future(service.tick())
    first_steps = 0
    while not first.done():
        first_steps += 1
        await asyncio.sleep(0)
    await first
    # the first tick lays out the 9 new RRDs 2 per step (after a restart: 10 000 in one piece, 0.5 s)
    assert first_steps >= 5 + 1 + 5
    assert {service.registry.objects[("vm", s.vm_uuid)].layout for s in specs} != {None}
    await clock.run_for(5)
    steps = 0
    task = asyncio.ensure_future(service.tick())
    while not task.done():
        steps += 1
        await asyncio.sleep(0)
    await task
    assert steps >= 1 + 1 + 5  # before the RRD update, then before each of the 5 slices of 2 of the 9 VMs
    for m in metrics:
        util = db.get("VM_metrics", m)["VCPUs_utilisation"]
        assert list(util) == [0] and 0 < util[0] <= 1
    await drv.close()


@pytest.mark.asyncio
async def test_a_bulk_layout_waits_for_the_answer_being_produced(tmp_path: Path) -> None:
    """The first tick after a restart lays out every VM's RRD: those slices wait while a client's big
    answer is being encoded (xenia.util.foreground), rather than running between its slices; the
    tick finishes once the answer is out."""
    clock, drv, image = await _sim_with_disk(tmp_path)
    db = Db(MODEL)
    identity = initialise(db, tmp_path / "state")
    specs = [_vm_spec(image, 1, 1, 1) for _ in range(9)]
    for s in specs:
        db.create("VM", {"uuid": s.vm_uuid, "name_label": "t", "metrics": db.create("VM_metrics", {}),
                         "power_state": "Running"})  # fmt: skip
        await drv.vm.create(s)
        await drv.vm.unpause(s.vm_uuid)
    service = MetricsService(db, drv, identity.host_ref, tmp_path / "state", MetricsConfig(layout_slice=2))
    service.foreground = foreground = Foreground()
    foreground.enter()  # an answer being encoded
    tick = asyncio.ensure_future(service.tick())

    def laid_out() -> int:
        return sum(service.registry.get("vm", s.vm_uuid) is not None for s in specs)

    for _ in range(200):
        await asyncio.sleep(0)
    # a slice may go once a second while answers keep coming (the bound); 200 turns are far less
    assert not tick.done() and laid_out() < len(specs)
    foreground.leave()
    await tick
    assert laid_out() == len(specs)
    await drv.close()


async def _service_on_local_sr(tmp_path: Path) -> tuple[SimDriver, Db, MetricsService, str, str]:
    """A simulator, a db and a metrics service following the db's changes; the host's local SR (ref, uuid)."""
    clock = VirtualClock(start=86_400.0 * 20_000)
    drv = await open_sim(tmp_path / "sim", clock, cpus="8", memory="8G")
    db = Db(MODEL)
    identity = initialise(db, tmp_path / "state")
    service = MetricsService(db, drv, identity.host_ref, tmp_path / "state", MetricsConfig())
    service._unsubscribe = db.subscribe(service._on_changes)
    pbd = next(p for p in db.referrers("PBD", "host", identity.host_ref) if db.get("PBD", p)["currently_attached"])
    sr_ref = db.get("PBD", pbd)["SR"]
    return drv, db, service, sr_ref, db.get("SR", sr_ref)["uuid"]


@pytest.mark.asyncio
async def test_the_disk_to_sr_map_follows_vbds_made_and_destroyed_after_it_was_built(tmp_path: Path) -> None:
    """Which SR each running disk is on is kept up to date VBD by VBD (a start or stop touches a few
    VBDs; at 10 000 VMs a rebuild of the whole map per tick cost more than the tick's own work): a
    VBD made later is found, one destroyed is forgotten, a VBD plugged or unplugged changes nothing."""
    drv, db, service, sr_ref, sr_uuid = await _service_on_local_sr(tmp_path)
    vms = [db.create("VM", {"uuid": str(uuid.uuid4()), "name_label": "m"}) for _ in range(3)]
    vbds = [db.create("VBD", {"VM": vm, "VDI": db.create("VDI", {"SR": sr_ref}), "userdevice": "0", "type": "Disk"})
            for vm in vms[:2]]  # fmt: skip
    uuids = [db.get("VM", vm)["uuid"] for vm in vms]
    assert service._disk_srs() == {(uuids[0], "0"): sr_uuid, (uuids[1], "0"): sr_uuid}
    version = service._sr_map_version
    db.update("VBD", vbds[0], currently_attached=True)
    assert service._disk_srs() == {(uuids[0], "0"): sr_uuid, (uuids[1], "0"): sr_uuid}
    assert service._sr_map_version == version  # nothing the map holds changed: the plans keep their slots
    db.create("VBD", {"VM": vms[2], "VDI": db.create("VDI", {"SR": sr_ref}), "userdevice": "1", "type": "Disk"})
    db.create("VBD", {"VM": vms[2], "VDI": NULL_REF, "userdevice": "3", "type": "CD"})
    db.destroy("VBD", vbds[1])
    assert service._disk_srs() == {(uuids[0], "0"): sr_uuid, (uuids[2], "1"): sr_uuid}
    assert service._sr_map_version > version
    await drv.close()


@pytest.mark.asyncio
async def test_live_field_refreshes_per_tick_are_capped_and_take_every_vm_in_turn(tmp_path: Path) -> None:
    """At most ``db_refresh_max`` VMs' live fields per tick (at 10 000 VMs a sixth of them was 1 667 db
    writes a tick, issue 12), the next ones each tick, so every VM still has its turn: 9 VMs, 4 a tick,
    all of them within 3 ticks."""
    clock, drv, image = await _sim_with_disk(tmp_path)
    db = Db(MODEL)
    identity = initialise(db, tmp_path / "state")
    specs = [_vm_spec(image, 1, 1, 1) for _ in range(9)]
    for s in specs:
        await drv.vm.create(s)
        await drv.vm.unpause(s.vm_uuid)
    service = MetricsService(db, drv, identity.host_ref, tmp_path / "state", MetricsConfig(db_refresh_ticks=1, db_refresh_max=4))
    sample = await drv.metrics.sample()
    turns = [service._refresh_turn(sample) for _ in range(3)]
    assert [len(t) for t in turns] == [4, 4, 4]
    assert {u for t in turns for u, _ in t} == {s.vm_uuid for s in specs}
    assert all(vcpus == 1 for t in turns for _, vcpus in t)
    few = MetricsService(db, drv, identity.host_ref, tmp_path / "state", MetricsConfig(db_refresh_ticks=3))
    assert [len(few._refresh_turn(sample)) for _ in range(3)] == [3, 3, 3]  # under the cap: a third each tick
    await drv.close()


@pytest.mark.asyncio
async def test_the_disk_to_sr_map_built_over_loop_turns_is_the_one_built_at_once(tmp_path: Path) -> None:
    """The first tick builds the disk -> SR map a slice of VBDs per loop turn (10 000 VBDs at once
    held the loop after a restart, issue 12): the same map as the build in one piece; a VBD made
    meanwhile is found by the next look; a VDI gone meanwhile leaves the map to be built again."""
    drv, db, service, sr_ref, sr_uuid = await _service_on_local_sr(tmp_path)
    vms = [db.create("VM", {"uuid": str(uuid.uuid4()), "name_label": "m"}) for _ in range(6)]
    uuids = [db.get("VM", vm)["uuid"] for vm in vms]
    vdis = [db.create("VDI", {"SR": sr_ref}) for _ in vms]
    for vm, vdi in zip(vms[:5], vdis, strict=False):
        db.create("VBD", {"VM": vm, "VDI": vdi, "userdevice": "0", "type": "Disk"})
    build = asyncio.ensure_future(service._build_sr_map(2))
    await asyncio.sleep(0)
    db.create("VBD", {"VM": vms[5], "VDI": vdis[5], "userdevice": "0", "type": "Disk"})  # while it builds
    await build
    assert service._sr_map == {(u, "0"): sr_uuid for u in uuids[:5]}
    assert service._disk_srs() == {(u, "0"): sr_uuid for u in uuids}  # the new VBD, looked at by itself
    service._sr_map = None
    build = asyncio.ensure_future(service._build_sr_map(2))
    await asyncio.sleep(0)
    db.destroy("VDI", db.create("VDI", {"SR": sr_ref}))  # a VDI gone: every VBD's SR must be read again
    await build
    assert service._sr_map is None
    assert service._disk_srs() == {(u, "0"): sr_uuid for u in uuids}
    await drv.close()
