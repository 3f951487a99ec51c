"""Benchmark: live changes to a running guest, xenia against libvirt, from the call to the guest seeing it.

For each toolstack, in the same run, the same booted test guest (:mod:`xenia.testing.guest`, 512 MiB,
one of two vCPUs online) gets four live changes, each timed from the call until the guest's own view
shows it (polled over the guest's serial console with the same commands on both sides):

* balloon 512 -> 256 MiB: the guest's ``MemFree`` has dropped by at least 240 MiB;
* disk hot-plug: ``/dev/sda`` exists in the guest;
* NIC hot-plug: a network interface with the new MAC exists in the guest;
* vCPU hot-plug 1 -> 2: ``/sys/devices/system/cpu/cpu1`` exists in the guest.

xenia: ``xenia serve --driver qemu`` through the XenAPI SDK (``VM.set_memory_dynamic_max``,
``VBD.plug``, ``VIF.plug``, ``VM.set_VCPUs_number_live``). libvirt: a private ``libvirtd``
(``qemu:///system``, as ``bench/qemu.py`` starts it) through Debian's ``python3-libvirt``
(``setMemoryFlags``, ``attachDeviceFlags``, ``setVcpusFlags`` with ``VIR_DOMAIN_AFFECT_LIVE``), driven
by a worker under the system interpreter that answers each command on a pipe (the pipe's round trip,
well under a millisecond, is in libvirt's figures). Both guests use the same accelerator choice.

Run: ``.venv/bin/python bench/liveconfig.py`` (after ``bash scripts/system-deps bench``).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import XenAPI
from _common import Subreaper, XeniaDaemon, libvirt_available, load_average, own, spread, xenia_command
from qemu import _private_libvirt, median

from xenia.drivers.qemu.host import kvm_usable
from xenia.testing.guest import GuestImage, SerialConsole, build_guest_image

MiB = 1024 * 1024
ROUNDS = 3
PASSWORD = "bench"
OPS = ("balloon 512 -> 256 MiB", "disk hot-plug", "NIC hot-plug", "vCPU hot-plug 1 -> 2")
MAC = "52:54:00:be:ec:01"

LIBVIRT_WORKER = r'''
import json, sys
import libvirt

uri, spec = sys.argv[1], json.loads(sys.argv[2])
conn = libvirt.open(uri)
LIVE = libvirt.VIR_DOMAIN_AFFECT_LIVE
g = spec["guest"]
xml = f"""<domain type='{spec["domain_type"]}'>
  <name>{spec["name"]}</name>
  <memory unit='MiB'>512</memory><currentMemory unit='MiB'>512</currentMemory>
  <vcpu current='1'>2</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type><kernel>{g['kernel']}</kernel><initrd>{g['initrd']}</initrd>
      <cmdline>{g['cmdline']}</cmdline></os>
  <features><acpi/></features>
  <cpu mode='{spec["cpu_mode"]}'/>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='scsi' model='virtio-scsi'/>
    <controller type='pci' index='0' model='pcie-root'/>
    {"".join(f"<controller type='pci' index='{i}' model='pcie-root-port'/>" for i in range(1, 7))}
    <serial type='unix'><source mode='bind' path='{spec["serial"]}'/></serial>
    <memballoon model='virtio' autodeflate='on'/>
  </devices>
</domain>"""
dom = conn.createXML(xml, 0)
print(json.dumps({"ok": True}), flush=True)
for line in sys.stdin:
    cmd = json.loads(line)
    op = cmd["op"]
    if op == "balloon":
        dom.setMemoryFlags(cmd["kib"], LIVE)
    elif op == "disk":
        dom.attachDeviceFlags(f"<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
                              f"<source file='{cmd['path']}'/><target dev='sda' bus='scsi'/></disk>", LIVE)
    elif op == "nic":
        dom.attachDeviceFlags(f"<interface type='user'><mac address='{cmd['mac']}'/><model type='virtio'/>"
                              f"</interface>", LIVE)
    elif op == "vcpus":
        dom.setVcpusFlags(cmd["count"], LIVE)
    elif op == "destroy":
        dom.destroy()
        print(json.dumps({"ok": True}), flush=True)
        break
    print(json.dumps({"ok": True}), flush=True)
'''


async def attach(path: str) -> SerialConsole:
    """The guest's serial console, once its shell answers."""
    return await SerialConsole.attach(path)


async def mem_free(console: SerialConsole) -> int:
    status, out = await console.run("awk '/^MemFree/{print $2}' /proc/meminfo", timeout=60)
    return int(out.strip().splitlines()[-1]) * 1024


async def until_seen(console: SerialConsole, check: Callable[[], Awaitable[bool]]) -> None:
    deadline = time.monotonic() + 300
    while not await check():
        if time.monotonic() > deadline:
            raise RuntimeError("the guest never saw the change")


def shell_ok(console: SerialConsole, command: str) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return (await console.run(command, timeout=60))[0] == 0

    return check


async def four_changes(console: SerialConsole, call: Callable[[str], None]) -> dict[str, float]:
    """Time each change from ``call(op)`` until the guest shows it."""
    out: dict[str, float] = {}
    free = await mem_free(console)

    async def shrunk() -> bool:
        return free - await mem_free(console) >= 240 * MiB

    checks = {
        OPS[0]: ("balloon", shrunk),
        OPS[1]: ("disk", shell_ok(console, "test -b /dev/sda")),
        OPS[2]: ("nic", shell_ok(console, f"grep -qx {MAC} /sys/class/net/*/address")),
        OPS[3]: ("vcpus", shell_ok(console, "test -d /sys/devices/system/cpu/cpu1")),
    }
    for label, (op, seen) in checks.items():
        t = time.perf_counter()
        call(op)
        await until_seen(console, seen)
        out[label] = (time.perf_counter() - t) * 1000
    return out


# ----------------------------------------------------------------------------------------------


def xenia_round(api: Any, daemon: XeniaDaemon, guest: GuestImage) -> dict[str, float]:
    vm = api.VM.clone(api.VM.get_by_name_label("Other install media")[0], "bench-live")
    api.VM.provision(vm)
    api.VM.set_memory_limits(vm, str(128 * MiB), str(512 * MiB), str(128 * MiB), str(512 * MiB))
    api.VM.set_VCPUs_max(vm, "2")
    api.VM.set_PV_kernel(vm, str(guest.kernel))
    api.VM.set_PV_ramdisk(vm, str(guest.initrd))
    api.VM.set_PV_args(vm, guest.append)
    api.VM.start(vm, False, False)
    # made after the start: VM.start attaches every VBD and VIF the VM has, as xapi's does
    sr = api.pool.get_default_SR(api.pool.get_all()[0])
    vdi = api.VDI.create({"SR": sr, "name_label": "hot", "virtual_size": str(8 * MiB), "type": "user",
                          "sharable": False, "read_only": False, "other_config": {}})  # fmt: skip
    vbd = api.VBD.create({"VM": vm, "VDI": vdi, "userdevice": "5", "bootable": False, "mode": "RW", "type": "Disk",
                          "unpluggable": True, "empty": False, "other_config": {}, "qos_algorithm_type": "",
                          "qos_algorithm_params": {}})  # fmt: skip
    vif = api.VIF.create({"device": "0", "network": api.network.get_all()[0], "VM": vm, "MAC": MAC, "MTU": "1500",
                          "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})  # fmt: skip
    serial = daemon.state_dir / "qemu" / f"d{api.VM.get_domid(vm)}" / "serial.sock"
    calls = {
        "balloon": lambda: api.VM.set_memory_dynamic_max(vm, str(256 * MiB)),
        "disk": lambda: api.VBD.plug(vbd),
        "nic": lambda: api.VIF.plug(vif),
        "vcpus": lambda: api.VM.set_VCPUs_number_live(vm, "2"),
    }

    async def run() -> dict[str, float]:
        console = await attach(str(serial))
        try:
            return await four_changes(console, lambda op: calls[op]())
        finally:
            await console.close()

    try:
        return asyncio.run(run())
    finally:
        api.VM.hard_shutdown(vm)
        for disk in [api.VBD.get_VDI(b) for b in api.VM.get_VBDs(vm) if api.VBD.get_type(b) == "Disk"]:
            api.VDI.destroy(disk)
        api.VM.destroy(vm)


def libvirt_round(uri: str, accel: str, guest: GuestImage, workdir: Path, n: int) -> dict[str, float]:
    serial = workdir / f"lv-serial-{n}.sock"
    disk = workdir / f"lv-disk-{n}.img"
    with open(disk, "wb") as f:
        f.truncate(8 * MiB)
    spec = {"name": f"bench-live-{uuid.uuid4().hex[:8]}", "domain_type": "kvm" if accel == "kvm" else "qemu",
            "cpu_mode": "host-passthrough" if accel == "kvm" else "maximum", "serial": str(serial),
            "guest": {"kernel": str(guest.kernel), "initrd": str(guest.initrd), "cmdline": guest.append}}  # fmt: skip
    worker = own(subprocess.Popen(["/usr/bin/python3", "-c", LIBVIRT_WORKER, uri, json.dumps(spec)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))  # fmt: skip
    assert worker.stdin is not None and worker.stdout is not None
    stdin, stdout = worker.stdin, worker.stdout

    def send(cmd: dict[str, Any]) -> None:
        stdin.write(json.dumps(cmd) + "\n")
        stdin.flush()
        if not json.loads(stdout.readline())["ok"]:
            raise RuntimeError(f"libvirt worker failed on {cmd}")

    commands: dict[str, dict[str, Any]] = {"balloon": {"op": "balloon", "kib": 256 * 1024}, "disk": {"op": "disk", "path": str(disk)},
                "nic": {"op": "nic", "mac": MAC}, "vcpus": {"op": "vcpus", "count": 2}}  # fmt: skip
    if not json.loads(stdout.readline())["ok"]:
        raise RuntimeError("libvirt could not start the guest")

    async def run() -> dict[str, float]:
        console = await attach(str(serial))
        try:
            return await four_changes(console, lambda op: send(commands[op]))
        finally:
            await console.close()

    try:
        return asyncio.run(run())
    finally:
        send({"op": "destroy"})
        worker.wait(60)


def main() -> int:
    why = libvirt_available()
    if why is not None:
        print(f"cannot measure libvirt here: {why}")
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="xq-live-"))
    print(f"before: {load_average()}", flush=True)
    ours: dict[str, list[float]] = {op: [] for op in OPS}
    theirs: dict[str, list[float]] = {op: [] for op in OPS}
    accel = "kvm" if kvm_usable() else "tcg"
    base = Path(tempfile.mkdtemp(prefix="xq-lv-"))
    try:
        with Subreaper() as reaper:
            guest = build_guest_image()
            daemon = XeniaDaemon(xenia_command(), workdir / "state", PASSWORD, ["--driver", "qemu"])
            daemon.start()
            proc, uri = _private_libvirt(base)
            try:
                session = XenAPI.Session(f"http://127.0.0.1:{daemon.port}")
                session.xenapi.login_with_password("root", PASSWORD, "2.0", "bench-liveconfig")
                for n in range(ROUNDS):
                    for op, ms in xenia_round(session.xenapi, daemon, guest).items():
                        ours[op].append(ms)
                    for op, ms in libvirt_round(uri, accel, guest, workdir, n).items():
                        theirs[op].append(ms)
                    print(f"round {n + 1}/{ROUNDS} done", flush=True)
            finally:
                daemon.stop()
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
                try:  # virtlogd daemonised into its own session: stop it by the pid it wrote
                    os.kill(int((base / "virtlogd.pid").read_text().strip()), signal.SIGTERM)
                except (OSError, ValueError):
                    pass
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        shutil.rmtree(base, ignore_errors=True)
    print(f"Live changes, call to visible in the guest (accel={accel}); medians of {ROUNDS} rounds")
    print(f"{'':<26} {'xenia API':>12} {'libvirt':>12} {'ratio':>8}   [min/median/max ms: xenia | libvirt]")
    for op in OPS:
        a, b = median(ours[op]), median(theirs[op])
        print(f"{op:<26} {a:>9.1f} ms {b:>9.1f} ms {a / b:>7.2f}x   [{spread(ours[op])} | {spread(theirs[op])}]")
    print("xenia API: xenia serve --driver qemu through the XenAPI SDK over TCP; libvirt: libvirtd (qemu:///system, "
          "private instance) through python3-libvirt; both polled through the guest's serial console")  # fmt: skip
    print(reaper.summary())
    print(f"after: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
