"""Benchmark: the downtime of a QEMU live migration with a disk, through the library, beside one without.

A booted test guest of 256 MiB with a qcow2 disk (64 MiB written) moves back and forth between two
QEMU drivers through :func:`xenia.migration.migrate` (the disk by QEMU's block mirror into the
destination's NBD export, tunnelled in the stream) while a process in the guest writes to the disk
every 100 ms. The peer, measured in the same run on the same guest: the same moves with the disk
left on shared storage (memory only). Printed per move: QEMU's own downtime figure (``downtime``
of ``query-migrate``, from the source's stop to the end of its stream), the library's (the
source's pause to the destination's DONE) and the total time. Goal: QEMU's downtime with the
disk <= 300 ms (QEMU's default target).

Runs as a child subreaper (``_common.run_as_subreaper``), peers and all: orphaned descendants are
reaped as soon as they exit, as init does on a normal host, and the output says how long they
waited.

Run: ``.venv/bin/python bench/migdisks.py [--moves N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import statistics
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any

from _common import load_average, run_as_subreaper

from xenia.drivers.base import DiskSpec, DomainSpec, DriverConfig
from xenia.drivers.qemu import QemuDriver
from xenia.migration import MigrationResult, Receiver, Sink, migrate
from xenia.migration.qemu import QemuSink, QemuSource
from xenia.testing.guest import READY_MARKER, SerialConsole, build_guest_image, guest_other_config

MiB = 1 << 20
_WRITER = ("i=0; while true; do i=$((i+1)); echo $i | dd of=/dev/vda bs=512 seek=100 conv=notrunc,sync "
           "oflag=direct 2>/dev/null; sleep 0.1; done")  # fmt: skip


async def _move(src: QemuDriver, dst: QemuDriver, spec: DomainSpec, *, disks: bool) -> MigrationResult:
    receiver = Receiver()
    await receiver.start()

    async def factory(hello: dict[str, Any]) -> Sink:
        return QemuSink(dst, spec)

    try:
        return await migrate(QemuSource(src, spec.vm_uuid, copy_disks=disks), receiver.address,
                             receiver.expect(factory).token)  # fmt: skip
    finally:
        await receiver.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--moves", type=int, default=4, help="moves of each kind (default 4)")
    args = parser.parse_args()
    image = build_guest_image()
    with tempfile.TemporaryDirectory(prefix="xenia-bench-migdisks-") as tmp:
        base = Path(tmp)
        hosts = [QemuDriver(DriverConfig(state_dir=base / name, options={"accel": "auto"})) for name in "ab"]
        for host in hosts:
            await host.open()
        imgs = [str(base / f"disk-{name}.qcow2") for name in "ab"]
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", imgs[0], "256M"], check=True)
        subprocess.run(["qemu-io", "-f", "qcow2", "-c", "write -P 0xa5 1M 64M", imgs[0]], check=True, capture_output=True)
        spec = DomainSpec(vm_uuid=str(uuid.uuid4()), name="bench", vcpus_max=1, vcpus_at_startup=1,
                          memory_static_max=256 * MiB, memory_dynamic_min=256 * MiB, memory_dynamic_max=256 * MiB,
                          memory_target=256 * MiB, platform={"vnc": "false"}, other_config=guest_other_config(image),
                          disks=(DiskSpec("0", imgs[0]),))  # fmt: skip
        specs = [dataclasses.replace(spec, disks=(DiskSpec("0", path),)) for path in imgs]
        await hosts[0].vm.create(spec)
        console = SerialConsole()
        await console.connect(str(hosts[0].domains[spec.vm_uuid].paths.serial))
        await hosts[0].vm.unpause(spec.vm_uuid)
        await console.wait_for(READY_MARKER)
        status, out = await console.run(f"sh -c '{_WRITER}' </dev/null >/dev/null 2>&1 & true")
        assert status == 0, out
        await console.close()
        rows_order = (("memory only (shared disk)", False), ("with the disk (block mirror)", True))
        rows: dict[str, list[MigrationResult]] = {label: [] for label, _ in rows_order}
        started_load = load_average()
        at, img = 0, 0  # the host the VM runs on, the image that holds its disk
        for _ in range(args.moves):
            for label, disks in rows_order:
                img = 1 - img if disks else img  # a mirrored disk lands in the other image
                rows[label].append(await _move(hosts[at], hosts[1 - at], specs[img], disks=disks))
                at = 1 - at
        print(f"QEMU live migration of a booted 256 MiB guest writing to its disk, {args.moves} moves each "
              f"({started_load} at the start, {load_average()} at the end):")  # fmt: skip
        print(f"  {'path':<30} {'QEMU downtime ms (median, max)':>32} {'library downtime ms':>20} {'total s':>8}")
        for label, results in rows.items():
            qemu = [float(r.switch.get("qemu_downtime_ms") or 0) for r in results]
            lib = [r.downtime * 1000 for r in results]
            total = [r.duration for r in results]
            print(f"  {label:<30} {statistics.median(qemu):>20.0f} {max(qemu):>11.0f} "
                  f"{statistics.median(lib):>20.0f} {statistics.median(total):>8.2f}")  # fmt: skip
        for driver in hosts:
            for vm in list(driver.domains):
                await driver.vm.destroy(vm)
            await driver.close()


if __name__ == "__main__":
    run_as_subreaper(lambda: asyncio.run(main()))
