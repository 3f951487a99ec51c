"""Benchmark: a booted guest writing to a disk capped through ``VBD.qos_algorithm_params``, against the cap.

``xenia serve --driver qemu`` through the XenAPI SDK: one booted test guest (:mod:`xenia.testing.guest`)
with a 64 MiB data disk.  In the same run, the guest writes to the disk uncapped (the peer: what the
disk gives without a limit), then under each cap of :data:`CAPS_MIB`, set live with
``VBD.set_qos_algorithm_params`` (``ratelimit``, ``write_kbps``: docs/qos.md).  Each write is
``dd oflag=direct`` of about four seconds' worth at the cap, timed from the host around the serial
console command (its round trip, a few milliseconds, is in every figure).  Goal (issue 15): the
achieved rate within ±10 % of each cap.

Run: ``.venv/bin/python bench/qos.py``.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import XenAPI
from _common import Subreaper, XeniaDaemon, load_average, xenia_command

from xenia.testing.guest import SerialConsole, build_guest_image

MiB = 1024 * 1024
PASSWORD = "bench"
CAPS_MIB = (2, 4, 8)
SECONDS = 4
DISK = 64 * MiB
#: the guest's virtio disks (the VM has only the data disk: the template provisions none)
FIND_DISK = "ls /sys/block | grep ^vd"


async def attach(path: str) -> SerialConsole:
    """The guest's serial console, once its shell answers."""
    return await SerialConsole.attach(path)


async def write_rate(console: SerialConsole, device: str, size: int) -> float:
    """Bytes per second of one direct write of ``size`` bytes to ``/dev/<device>``."""
    started = time.monotonic()
    status, out = await console.run(f"dd if=/dev/zero of=/dev/{device} bs=64k count={size // (64 * 1024)} "
                                    "oflag=direct 2>/dev/null", timeout=600)  # fmt: skip
    elapsed = time.monotonic() - started
    if status != 0:
        raise RuntimeError(f"dd failed in the guest: {out}")
    return size / elapsed


def run(api: Any, daemon: XeniaDaemon) -> list[tuple[str, float, float | None]]:
    guest = build_guest_image()
    vm = api.VM.clone(api.VM.get_by_name_label("Other install media")[0], "bench-qos")
    api.VM.provision(vm)
    api.VM.set_memory_limits(vm, str(256 * MiB), str(256 * MiB), str(256 * MiB), str(256 * MiB))
    api.VM.set_PV_kernel(vm, str(guest.kernel))
    api.VM.set_PV_ramdisk(vm, str(guest.initrd))
    api.VM.set_PV_args(vm, guest.append)
    sr = api.pool.get_default_SR(api.pool.get_all()[0])
    vdi = api.VDI.create({"SR": sr, "name_label": "capped", "virtual_size": str(DISK), "type": "user",
                          "sharable": False, "read_only": False, "other_config": {}})  # fmt: skip
    vbd = api.VBD.create({"VM": vm, "VDI": vdi, "userdevice": "1", "bootable": False, "mode": "RW", "type": "Disk",
                          "unpluggable": True, "empty": False, "other_config": {}, "qos_algorithm_type": "ratelimit",
                          "qos_algorithm_params": {}})  # fmt: skip
    api.VM.start(vm, False, False)
    serial = daemon.state_dir / "qemu" / f"d{api.VM.get_domid(vm)}" / "serial.sock"

    async def measure() -> list[tuple[str, float, float | None]]:
        console = await attach(str(serial))
        try:
            status, device = await console.run(FIND_DISK)
            disks = [line.strip() for line in device.splitlines() if line.strip().isalnum()]
            if status != 0 or len(disks) != 1:
                raise RuntimeError(f"the guest should see exactly the data disk, it sees {device!r}")
            device = disks[0]
            rows: list[tuple[str, float, float | None]] = [
                ("uncapped (peer)", await write_rate(console, device, 32 * MiB), None)]  # fmt: skip
            for cap in CAPS_MIB:
                api.VBD.set_qos_algorithm_params(vbd, {"write_kbps": str(cap * 1024)})
                rows.append((f"cap {cap} MiB/s", await write_rate(console, device, SECONDS * cap * MiB), cap * MiB))
            return rows
        finally:
            await console.close()

    try:
        return asyncio.run(measure())
    finally:
        api.VM.hard_shutdown(vm)
        for v in api.VM.get_VBDs(vm):
            vdi_ref = api.VBD.get_VDI(v)
            if vdi_ref != "OpaqueRef:NULL":
                api.VDI.destroy(vdi_ref)
        api.VM.destroy(vm)


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="xq-qos-"))
    print(f"before: {load_average()}", flush=True)
    try:
        with Subreaper() as reaper:
            daemon = XeniaDaemon(xenia_command(), workdir / "state", PASSWORD, ["--driver", "qemu"])
            daemon.start()
            try:
                session = XenAPI.Session(f"http://127.0.0.1:{daemon.port}")
                session.xenapi.login_with_password("root", PASSWORD, "2.0", "bench-qos")
                rows = run(session.xenapi, daemon)
            finally:
                daemon.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("A booted guest writing to a disk (dd oflag=direct), caps set live through VBD.qos_algorithm_params")
    print(f"{'':<18} {'achieved':>12} {'cap':>10} {'of cap':>8}")
    for name, rate, cap in rows:
        of_cap = f"{rate / cap:>7.1%}" if cap else f"{'':>8}"
        cap_text = f"{cap / MiB:>6.1f} MiB/s" if cap else f"{'':>12}"
        print(f"{name:<18} {rate / MiB:>6.2f} MiB/s {cap_text} {of_cap}")
    print("goal: each capped rate within ±10 % of its cap (uncapped must be well above the largest cap)")
    print(reaper.summary())
    print(f"after: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
