"""Benchmark: the migration library (xenia.migration), in process, with no daemon.

Prints, in one run:

* simulator: the achieved rate of a migration capped at 10, 50 and 100 MiB/s beside the cap
  (goal: within 5 %), and the progress callbacks per second (goal: at least 2);
* simulator: 100 migrations at once between two drivers (wall time, migrations per second);
* QEMU (skip with ``--no-qemu``): live migration of the booted test guest of 256 MiB (and 1 GiB
  with ``--big``) through the library (TCP receiver, frames, limiter: xenia's path) beside the
  floor, QEMU's same stream through a bare relay (``migrate fd:`` into a pipe, a thread copying
  it into the destination's ``-incoming`` pipe: no framing, no limiter, no TCP); total time,
  downtime as QEMU reports it, and bytes sent.

Run: ``.venv/bin/python bench/migration.py [--no-qemu] [--big]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from xenia.drivers.base import DomainSpec, DriverConfig
from xenia.drivers.sim import SimDriver, VirtualClock
from xenia.migration import MigrationOptions, Phase, Progress, Receiver, Sink, migrate
from xenia.migration.sim import SimSink, SimSource

MiB = 1 << 20


def _spec(memory: int) -> DomainSpec:
    return DomainSpec(vm_uuid=str(uuid.uuid4()), name="bench", vcpus_max=1, vcpus_at_startup=1,
                      memory_static_max=memory, memory_dynamic_min=memory, memory_dynamic_max=memory,
                      memory_target=memory)  # fmt: skip


async def _sim(path: Path, model: str) -> SimDriver:
    drv = SimDriver(DriverConfig(state_dir=path, options={"state": "memory", "migration-memory": model,
                                                          "dirty-rate": "64K"}), clock=VirtualClock())  # fmt: skip
    await drv.open()
    return drv


def _stamped(reports: list[tuple[float, Progress]]) -> Any:
    """A progress callback keeping each report with the time it came."""
    return lambda p: reports.append((time.monotonic(), p))


async def sim_caps(base: Path) -> None:
    src, dst = await _sim(base / "a", "64M"), await _sim(base / "b", "64M")
    receiver = Receiver()
    await receiver.start()

    async def factory(hello: dict[str, Any]) -> Sink:
        return SimSink(dst)

    print("simulator, 64 MiB of modelled memory, capped (streaming: first to last byte of the pre-copy;")
    print("  whole: bytes over prepare..clean-up, which adds the fixed connect/switch-over/clean-up time):")
    print(f"  {'cap MiB/s':>10} {'streaming MiB/s':>16} {'ratio':>7} {'whole MiB/s':>12} {'progress/s':>11}")
    for cap in (10, 50, 100):
        spec = _spec(256 * MiB)
        await src.vm.create(spec)
        await src.vm.unpause(spec.vm_uuid)
        reports: list[tuple[float, Progress]] = []
        options = MigrationOptions(bandwidth=cap * MiB, progress=_stamped(reports))
        result = await migrate(SimSource(src, spec.vm_uuid), receiver.address, receiver.expect(factory).token, options)
        flowing = [(t, p.bytes_sent) for t, p in reports if p.phase is Phase.SEND_MEMORY and p.bytes_sent > 0]
        (t0, b0), (t1, b1) = flowing[0], flowing[-1]
        streaming = (b1 - b0) / (t1 - t0) / MiB
        whole = result.bytes_sent / result.duration / MiB
        print(f"  {cap:>10} {streaming:>16.2f} {streaming / cap:>7.3f} {whole:>12.2f} "
              f"{len(reports) / result.duration:>11.1f}")  # fmt: skip
        await dst.vm.destroy(spec.vm_uuid)
    await receiver.close()
    await src.close()
    await dst.close()


async def sim_herd(base: Path, count: int = 100) -> None:
    src, dst = await _sim(base / "c", "256K"), await _sim(base / "d", "256K")
    receiver = Receiver()
    await receiver.start()

    async def factory(hello: dict[str, Any]) -> Sink:
        return SimSink(dst)

    vms = []
    for _ in range(count):
        spec = _spec(256 * MiB)
        await src.vm.create(spec)
        await src.vm.unpause(spec.vm_uuid)
        vms.append(spec.vm_uuid)
    began = time.monotonic()
    await asyncio.gather(*(migrate(SimSource(src, vm), receiver.address, receiver.expect(factory).token)
                           for vm in vms))  # fmt: skip
    wall = time.monotonic() - began
    print(f"simulator, {count} migrations at once (256 KiB modelled each): {wall:.2f} s, {count / wall:.0f}/s")
    await receiver.close()
    await src.close()
    await dst.close()


async def qemu_pair(base: Path, memory: int) -> None:
    from xenia.drivers.qemu import QemuDriver
    from xenia.migration.qemu import QemuSink, QemuSource
    from xenia.testing.guest import READY_MARKER, SerialConsole, build_guest_image, guest_other_config

    image = build_guest_image()
    a = QemuDriver(DriverConfig(state_dir=base / f"qa{memory}", options={"accel": "auto"}))
    b = QemuDriver(DriverConfig(state_dir=base / f"qb{memory}", options={"accel": "auto"}))
    await a.open()
    await b.open()
    spec = DomainSpec(vm_uuid=str(uuid.uuid4()), name="bench", vcpus_max=1, vcpus_at_startup=1,
                      memory_static_max=memory, memory_dynamic_min=memory, memory_dynamic_max=memory,
                      memory_target=memory, platform={"vnc": "false"}, other_config=guest_other_config(image))  # fmt: skip
    await a.vm.create(spec)
    console = SerialConsole()
    await console.connect(str(a.domains[spec.vm_uuid].paths.serial))
    await a.vm.unpause(spec.vm_uuid)
    await console.wait_for(READY_MARKER)
    await console.close()
    vm = spec.vm_uuid

    # the floor: QEMU's stream through a bare pipe relay
    dom = a.domain(vm)
    await dom.execute("migrate-set-parameters", {"max-bandwidth": 1 << 40})
    src_r, src_w = os.pipe()
    dst_r, dst_w = os.pipe()
    launch = asyncio.create_task(b.launch(spec, f"/proc/self/fd/{dst_r}"))
    while vm not in b.domains or b.domains[vm].incoming_fd is None:
        await asyncio.sleep(0.01)
    os.close(dst_r)
    copied = [0]

    def relay() -> None:
        while chunk := os.read(src_r, 1 << 20):
            view = memoryview(chunk)
            while view:
                view = view[os.write(dst_w, view) :]
            copied[0] += len(chunk)
        os.close(dst_w)

    thread = threading.Thread(target=relay)
    thread.start()
    began = time.monotonic()
    await dom.qmp.execute_with_fd("getfd", {"fdname": "bench"}, src_w)
    os.close(src_w)
    await dom.execute("migrate", {"uri": "fd:bench"})
    while (info := await dom.execute("query-migrate")).get("status") not in ("completed", "failed"):
        await asyncio.sleep(0.01)
    await asyncio.to_thread(thread.join)
    os.close(src_r)
    await launch
    await b.vm.unpause(vm)
    floor = time.monotonic() - began
    floor_downtime = info.get("downtime", 0)
    await a.vm.destroy(vm)

    # xenia: back from b to a through the library
    receiver = Receiver()
    await receiver.start()

    async def factory(hello: dict[str, Any]) -> Sink:
        return QemuSink(a)

    result = await migrate(QemuSource(b, vm), receiver.address, receiver.expect(factory).token)
    await receiver.close()
    print(f"QEMU, booted guest of {memory // MiB} MiB:")
    print(f"  {'path':<40} {'total s':>8} {'downtime ms':>12} {'MiB sent':>9}")
    print(f"  {'bare relay (floor)':<40} {floor:>8.2f} {floor_downtime:>12} {copied[0] / MiB:>9.1f}")
    print(f"  {'xenia.migration (TCP, frames, limiter)':<40} {result.duration:>8.2f} "
          f"{result.switch.get('qemu_downtime_ms', 0):>12} {result.bytes_sent / MiB:>9.1f}")  # fmt: skip
    print(f"  ratio xenia/floor: {result.duration / floor:.2f}")
    await a.vm.destroy(vm)
    await a.close()
    await b.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--no-qemu", action="store_true", help="the simulator only")
    parser.add_argument("--big", action="store_true", help="also a 1 GiB guest")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xenia-bench-mig-") as tmp:
        base = Path(tmp)
        await sim_caps(base)
        await sim_herd(base)
        if not args.no_qemu:
            for memory in (256 * MiB, *((1024 * MiB,) if args.big else ())):
                await qemu_pair(base, memory)


if __name__ == "__main__":
    asyncio.run(main())
