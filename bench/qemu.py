"""Benchmark: xenia's QEMU driver against libvirt's QEMU driver on the same machine.

Prints, in one run, for both toolstacks with the same accelerator (TCG unless KVM can really boot
a guest here; libvirt gets the same choice):

* start-to-running and destroy latency of a minimal domain (1 vCPU, 64 MiB, q35, serial console,
  virtio balloon, no disks or NICs, firmware only);
* the pause/unpause round trip;
* suspend (save to a file, domain gone) and resume (domain running again) for 64 MiB, 256 MiB and
  1 GiB firmware-only domains, and for 256 MiB and 1 GiB domains running the booted test guest
  (:mod:`xenia.testing.guest`), whose RAM is not all zero pages;
* xenia's own overhead over a bare ``qemu-system-x86_64`` started with the very same argv, up to
  its QMP greeting.

libvirt side: ``libvirtd`` and ``virtlogd`` are started by the benchmark inside a private mount
namespace (so they cannot disturb, or be disturbed by, another libvirtd on the machine), with a
copy of ``/etc/libvirt`` that runs QEMU as root without a security driver, and are stopped at the
end. The client is Debian's ``python3-libvirt`` under the system interpreter (``/usr/bin/python3``)
in a subprocess, talking to ``qemu:///system`` through the private socket.

Run: ``.venv/bin/python bench/qemu.py`` (after ``bash scripts/system-deps bench``).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from xenia.drivers.base import DomainSpec, DriverConfig
from xenia.drivers.qemu import QemuDriver
from xenia.drivers.qemu.argv import LaunchOptions, build_argv
from xenia.drivers.qemu.host import kvm_usable
from xenia.drivers.qemu.process import bind_listener
from xenia.testing.guest import GuestImage, build_guest_image, guest_other_config

MiB = 1024 * 1024
REPEAT = 10
SIZES_MIB = (64, 256, 1024)
SUSPEND_REPEAT = 3
GUEST_SIZES_MIB = (256, 1024)
#: Seconds a booted test guest runs before it is suspended (it reaches its shell in ~2.5 s).
GUEST_SETTLE = 6.0

LIBVIRT_PEER = r'''
import json, statistics, sys, time, uuid
import libvirt

args = json.loads(sys.argv[1])
conn = libvirt.open(args["uri"])

def xml(mem_mib, guest=False):
    name = "xenia-bench-" + uuid.uuid4().hex[:8]
    boot = ""
    if guest:
        g = args["guest"]
        boot = f"<kernel>{g['kernel']}</kernel><initrd>{g['initrd']}</initrd><cmdline>{g['cmdline']}</cmdline>"
    return f"""<domain type='{args["domain_type"]}'>
  <name>{name}</name>
  <memory unit='MiB'>{mem_mib}</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>{boot}</os>
  <features><acpi/></features>
  <cpu mode='{args["cpu_mode"]}'/>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='pty'/>
    <memballoon model='virtio'/>
  </devices>
</domain>"""

def timed(fn):
    t = time.perf_counter()
    result = fn()
    return (time.perf_counter() - t) * 1000, result

out = {"start": [], "destroy": [], "pause_unpause": [], "suspend": {}, "resume": {}}
for _ in range(args["repeat"]):
    ms, dom = timed(lambda: conn.createXML(xml(64), 0))
    out["start"].append(ms)
    def round_trip():
        dom.suspend(); dom.resume()
    out["pause_unpause"].append(timed(round_trip)[0])
    out["destroy"].append(timed(dom.destroy)[0])
for key, size, guest, settle in args["suspend_cases"]:
    out["suspend"][key], out["resume"][key] = [], []
    for i in range(args["suspend_repeat"]):
        dom = conn.createXML(xml(size, guest), 0)
        time.sleep(settle)
        path = f"{args['workdir']}/lv-{key}-{i}.img"
        out["suspend"][key].append(timed(lambda: dom.save(path))[0])
        out["resume"][key].append(timed(lambda: conn.restore(path))[0])
        conn.lookupByName(dom.name()).destroy()
print(json.dumps(out))
'''


def median(values: list[float]) -> float:
    return statistics.median(values)


# ----------------------------------------------------------------------------------------------
# xenia side


def spec(mem_mib: int, guest: GuestImage | None = None) -> DomainSpec:
    mem = mem_mib * MiB
    return DomainSpec(
        other_config=guest_other_config(guest) if guest else {},
        vm_uuid=str(uuid.uuid4()),
        name="bench",
        vcpus_max=1,
        vcpus_at_startup=1,
        memory_static_max=mem,
        memory_dynamic_min=mem,
        memory_dynamic_max=mem,
        memory_target=mem,
        platform={"vnc": "false"},
    )


async def timed(coro: Any) -> float:
    t = time.perf_counter()
    await coro
    return (time.perf_counter() - t) * 1000


async def bare_qemu_to_greeting(driver: QemuDriver, workdir: Path) -> float:
    """A bare QEMU with the same argv the driver would build, from exec to its QMP greeting."""
    qmp_path, ser_path = workdir / "bare-qmp.sock", workdir / "bare-ser.sock"
    t = time.perf_counter()
    qmp, ser = bind_listener(qmp_path), bind_listener(ser_path)
    opts = LaunchOptions(
        qmp_fd=qmp.fileno(), serial_fd=ser.fileno(), pidfile=str(workdir / "bare.pid"), accel=driver.accel
    )
    argv = build_argv(spec(64), opts)
    proc = subprocess.Popen(argv, pass_fds=[qmp.fileno(), ser.fileno()], start_new_session=True)
    qmp.close()
    ser.close()
    client = socket.socket(socket.AF_UNIX)
    client.connect(str(qmp_path))
    client.makefile("rb").readline()
    ms = (time.perf_counter() - t) * 1000
    client.close()
    proc.kill()
    proc.wait()
    return ms


def suspend_cases() -> list[tuple[str, int, bool, float]]:
    """(label, MiB, boot the test guest?, seconds to let it run before suspending).

    Firmware-only domains leave RAM almost all zero pages, so the booted test guest (whose boot
    touches most of its RAM; it cannot boot in 64 MiB) is measured too.
    """
    cases = [(f"{m} MiB, firmware only", m, False, 0.5) for m in SIZES_MIB]
    cases += [(f"{m} MiB, booted guest", m, True, GUEST_SETTLE) for m in GUEST_SIZES_MIB]
    return cases


async def xenia_side(workdir: Path, guest: GuestImage) -> dict[str, Any]:
    driver = QemuDriver(DriverConfig(state_dir=workdir / "state", options={"accel": "auto"}))
    await driver.open()
    out: dict[str, Any] = {"start": [], "create": [], "destroy": [], "pause_unpause": [], "bare": []}
    out["suspend"], out["resume"] = {}, {}
    try:
        for _ in range(REPEAT):
            out["bare"].append(await bare_qemu_to_greeting(driver, workdir))
            s = spec(64)
            t = time.perf_counter()
            await driver.vm.create(s)
            out["create"].append((time.perf_counter() - t) * 1000)
            await driver.vm.unpause(s.vm_uuid)
            out["start"].append((time.perf_counter() - t) * 1000)

            async def round_trip(vm: str = s.vm_uuid) -> None:
                await driver.vm.pause(vm)
                await driver.vm.unpause(vm)

            out["pause_unpause"].append(await timed(round_trip()))
            out["destroy"].append(await timed(driver.vm.destroy(s.vm_uuid)))
        for key, size, with_guest, settle in suspend_cases():
            out["suspend"][key], out["resume"][key] = [], []
            for i in range(SUSPEND_REPEAT):
                s = spec(size, guest if with_guest else None)
                await driver.vm.create(s)
                await driver.vm.unpause(s.vm_uuid)
                await asyncio.sleep(settle)
                path = str(workdir / f"x-{key}-{i}.img")

                async def suspend(vm: str = s.vm_uuid, path: str = path) -> None:
                    await driver.vm.suspend(vm, path)
                    await driver.vm.destroy(vm)

                async def resume(sp: DomainSpec = s, path: str = path) -> None:
                    await driver.vm.resume(sp, path)
                    await driver.vm.unpause(sp.vm_uuid)

                out["suspend"][key].append(await timed(suspend()))
                out["resume"][key].append(await timed(resume()))
                await driver.vm.destroy(s.vm_uuid)
    finally:
        for vm in list(driver.domains):
            await driver.vm.destroy(vm)
        await driver.close()
    out["accel"] = driver.accel.value
    return out


# ----------------------------------------------------------------------------------------------
# libvirt side


def _private_libvirt(base: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start virtlogd + libvirtd in a private mount namespace; return the process and the URI."""
    etc = base / "etc"
    shutil.copytree("/etc/libvirt", etc, symlinks=True)
    shutil.rmtree(etc / "qemu" / "networks" / "autostart", ignore_errors=True)
    with open(etc / "qemu.conf", "a") as f:
        f.write('\nuser = "root"\ngroup = "root"\ndynamic_ownership = 0\nsecurity_driver = "none"\n')
    sock = base / "sock"
    sock.mkdir()
    (base / "libvirtd.conf").write_text(f'unix_sock_dir = "{sock}"\nlog_outputs = "3:file:{base}/libvirtd.log"\n')
    binds = {
        "/etc/libvirt": etc,
        "/run/libvirt": base / "run",
        "/var/lib/libvirt": base / "lib",
        "/var/cache/libvirt": base / "cache",
        "/var/log/libvirt": base / "log",
    }
    script = ["set -e"]
    for target, source in binds.items():
        Path(source).mkdir(parents=True, exist_ok=True)
        script.append(f"mkdir -p {target} && mount --bind {source} {target}")
    script += [f"virtlogd -d -p {base}/virtlogd.pid", f"exec libvirtd -f {base}/libvirtd.conf -p {base}/libvirtd.pid"]
    proc = subprocess.Popen(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", "\n".join(script)],
        stdout=open(base / "libvirtd.out", "wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not (sock / "libvirt-sock").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"libvirtd did not start: {(base / 'libvirtd.out').read_text()}")
        time.sleep(0.1)
    return proc, f"qemu:///system?socket={sock}/libvirt-sock"


def libvirt_side(workdir: Path, accel: str, guest: GuestImage) -> dict[str, Any]:
    base = Path(tempfile.mkdtemp(prefix="xq-lv-"))
    proc, uri = _private_libvirt(base)
    try:
        args = {
            "uri": uri,
            "domain_type": "kvm" if accel == "kvm" else "qemu",
            "cpu_mode": "host-passthrough" if accel == "kvm" else "maximum",
            "repeat": REPEAT,
            "suspend_cases": suspend_cases(),
            "guest": {"kernel": str(guest.kernel), "initrd": str(guest.initrd), "cmdline": guest.append},
            "suspend_repeat": SUSPEND_REPEAT,
            "workdir": str(workdir),
        }
        result = subprocess.run(
            ["/usr/bin/python3", "-c", LIBVIRT_PEER, json.dumps(args)], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"libvirt peer failed: {result.stderr.strip()[-2000:]}")
        out: dict[str, Any] = json.loads(result.stdout)
        return out
    finally:
        # libvirtd takes virtlogd and its QEMUs' namespace down with it; only our group is signalled.
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
        shutil.rmtree(base, ignore_errors=True)


# ----------------------------------------------------------------------------------------------


def row(label: str, ours: list[float], theirs: list[float] | None, goal: float | None = None) -> str:
    a = median(ours)
    if theirs is None:
        return f"{label:<40} {a:>9.1f} ms"
    b = median(theirs)
    ratio = a / b if b else float("inf")
    verdict = ""
    if goal is not None:
        verdict = f"  goal <= {goal:g}x: {'met' if ratio <= goal else 'MISSED'}"
    return f"{label:<40} {a:>9.1f} ms {b:>11.1f} ms {ratio:>8.2f}x{verdict}"


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="xq-bench-"))
    try:
        guest = build_guest_image()
        ours = asyncio.run(xenia_side(workdir, guest))
        theirs = libvirt_side(workdir, ours["accel"], guest)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"QEMU driver benchmark (accel={ours['accel']}; KVM usable for guests here: {kvm_usable()}); medians")
    print(f"{'':<40} {'xenia':>12} {'libvirt':>14} {'ratio':>9}")
    print(row("start to running (64 MiB)", ours["start"], theirs["start"], 0.5))
    print(row("destroy", ours["destroy"], theirs["destroy"], 0.2))
    print(row("pause+unpause round trip", ours["pause_unpause"], theirs["pause_unpause"]))
    for key, *_ in suspend_cases():
        print(row(f"suspend ({key})", ours["suspend"][key], theirs["suspend"][key]))
        print(row(f"resume ({key})", ours["resume"][key], theirs["resume"][key]))
    bare, create = median(ours["bare"]), median(ours["create"])
    overhead = create - bare
    print(row("bare qemu exec to QMP greeting", ours["bare"], None))
    print(row("xenia create (exec .. paused state)", ours["create"], None))
    print(
        f"{'xenia overhead over bare QEMU':<40} {overhead:>9.1f} ms  goal < 30 ms: {'met' if overhead < 30 else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
