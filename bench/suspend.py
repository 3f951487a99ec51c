"""Benchmark: a QEMU VM's suspend and resume through the migration library, beside QEMU's own path.

The booted test guest of 256 MiB (its RAM mostly touched, not zero pages) is suspended to a file
and resumed, alternately through :func:`xenia.migration.suspend.suspend_to` /
:func:`~xenia.migration.suspend.resume_from` (the frames, the limiter, progress and cancel, what
``VM.suspend``/``VM.resume`` use) and through the driver's own ``suspend``/``resume`` (``stop``
then QEMU's ``migrate fd:`` straight into the file: the floor, no library). Also the library with a
rate cap (``other_config:xenia-suspend-bandwidth``), to show the cap still holds. Medians of
``--repeat`` runs, in ms.

Runs as a child subreaper (``_common.run_as_subreaper``), peers and all: orphaned descendants are
reaped as soon as they exit, as init does on a normal host, and the output says how long they
waited.

Run: ``.venv/bin/python bench/suspend.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from _common import load_average, run_as_subreaper

from xenia.drivers.base import DomainSpec, DriverConfig
from xenia.drivers.qemu import QemuDriver
from xenia.migration import MigrationOptions
from xenia.migration.suspend import resume_from, suspend_to
from xenia.testing.guest import READY_MARKER, SerialConsole, build_guest_image, guest_other_config

MiB = 1 << 20
#: the rate cap of the capped row, bytes/s
CAP = 256 * MiB


async def _booted(driver: QemuDriver, spec: DomainSpec) -> None:
    await driver.vm.create(spec)
    console = SerialConsole()
    await console.connect(str(driver.domains[spec.vm_uuid].paths.serial))
    await driver.vm.unpause(spec.vm_uuid)
    await console.wait_for(READY_MARKER)
    await console.close()


async def _ms(coro: Awaitable[object]) -> float:
    began = time.perf_counter()
    await coro
    return (time.perf_counter() - began) * 1000


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    image = build_guest_image()
    print(f"before: {load_average()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="xenia-bench-suspend-") as tmp:
        base = Path(tmp)
        driver = QemuDriver(DriverConfig(state_dir=base / "state", options={"accel": "auto"}))
        await driver.open()
        spec = DomainSpec(vm_uuid=str(uuid.uuid4()), name="bench", vcpus_max=1, vcpus_at_startup=1,
                          memory_static_max=256 * MiB, memory_dynamic_min=256 * MiB, memory_dynamic_max=256 * MiB,
                          memory_target=256 * MiB, platform={"vnc": "false"}, other_config=guest_other_config(image))  # fmt: skip
        await _booted(driver, spec)
        vm, path = spec.vm_uuid, str(base / "image")

        async def own_suspend() -> None:
            await driver.vm.suspend(vm, path)
            await driver.vm.destroy(vm)

        async def own_resume() -> None:
            await driver.vm.resume(spec, path)
            await driver.vm.unpause(vm)

        async def library_suspend(cap: float | None = None) -> None:
            await suspend_to(driver, vm, path, MigrationOptions(bandwidth=cap))

        async def library_resume() -> None:
            await resume_from(driver, spec, path, MigrationOptions())
            await driver.vm.unpause(vm)

        paths: dict[str, tuple[Callable[[], Awaitable[None]], Callable[[], Awaitable[None]]]] = {
            "QEMU's own (stop, migrate fd: to the file)": (own_suspend, own_resume),
            "xenia.migration (VM.suspend/resume)": (library_suspend, library_resume),
            f"xenia.migration, capped {CAP // MiB} MiB/s": (lambda: library_suspend(CAP), library_resume),
        }
        times: dict[str, tuple[list[float], list[float], list[int]]] = {k: ([], [], []) for k in paths}
        for _ in range(args.repeat):
            for label, (suspend, resume) in paths.items():
                await asyncio.sleep(1.0)  # the guest runs a little between two images
                times[label][0].append(await _ms(suspend()))
                times[label][2].append(os.path.getsize(path))
                times[label][1].append(await _ms(resume()))
                os.unlink(path)
        await driver.vm.destroy(vm)
        await driver.close()
    print(f"QEMU suspend/resume of a booted 256 MiB guest, medians of {args.repeat} (ms):")
    print(f"  {'path':<44} {'suspend':>8} {'resume':>8} {'image MiB':>10}")
    for label, (sus, res, sizes) in times.items():
        print(f"  {label:<44} {statistics.median(sus):>8.0f} {statistics.median(res):>8.0f} "
              f"{statistics.median(sizes) / MiB:>10.1f}")  # fmt: skip
    print(f"after: {load_average()}")


if __name__ == "__main__":
    run_as_subreaper(lambda: asyncio.run(main()))
