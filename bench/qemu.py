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

Both sides are measured as their users drive them: xenia through ``xenia serve --driver qemu``
and the XenAPI SDK (``VM.start``, ``VM.hard_shutdown``, ``VM.pause``/``unpause``,
``VM.suspend``/``resume`` to the default SR) over its local unix socket, libvirt through
``libvirtd`` and ``python3-libvirt`` over its unix socket; so each figure includes the RPC,
session, database and bookkeeping of its toolstack.  xenia's driver called in-process (no HTTP,
sessions, db or ops) stands beside, labelled, to show where xenia's time goes.

The benchmark is the child subreaper of everything it starts and reaps exited orphans at once
(:class:`_common.Subreaper`): here pid 1 reaps orphans about 1.5 s late, and libvirtd, which
polls ``kill(pid, 0)`` until its double-forked QEMU is gone, would otherwise be charged for it.
On a normal host init reaps at once, which is what this reproduces.

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

import XenAPI
from _common import Subreaper, XeniaDaemon, load_average, own, run_own, spread, xenia_command

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
    proc = own(subprocess.Popen(argv, pass_fds=[qmp.fileno(), ser.fileno()], start_new_session=True))
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
# xenia through its daemon and XenAPI


def _no_underscore_dir(prefix: str) -> Path:
    """A temporary directory whose path has no ``_`` (the SDK's unix transport spells ``/`` as ``_``)."""
    while True:
        path = tempfile.mkdtemp(prefix=prefix)
        if "_" not in path:
            return Path(path)
        os.rmdir(path)


def _install(api: Any, name: str, mem_mib: int, guest: GuestImage | None) -> str:
    """The bench domain as a VM: the BIOS template's settings, no disks or NICs, ``mem_mib`` of RAM."""
    template = api.VM.get_by_name_label("Generic Linux BIOS")[0]
    vm = api.VM.clone(template, name)
    api.VM.set_is_a_template(vm, False)  # not provisioned: the domain has no disks, as libvirt's has none
    mem = str(mem_mib * MiB)
    api.VM.set_memory_limits(vm, mem, mem, mem, mem)
    api.VM.set_VCPUs_max(vm, "1")
    api.VM.set_VCPUs_at_startup(vm, "1")
    api.VM.set_platform(vm, {"vnc": "false"})
    for vif in api.VM.get_VIFs(vm):
        api.VIF.destroy(vif)
    if guest is not None:
        api.VM.set_PV_kernel(vm, str(guest.kernel))
        api.VM.set_PV_ramdisk(vm, str(guest.initrd))
        api.VM.set_PV_args(vm, guest.append)
    return str(vm)


def _timed_ms(fn: Any, *args: Any) -> float:
    t = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - t) * 1000


def xenia_api_side(guest: GuestImage) -> dict[str, Any]:
    base = _no_underscore_dir("xqapi")
    daemon = XeniaDaemon(xenia_command(), base / "state", "bench-root-password", extra=["--driver", "qemu"])
    daemon.start()
    out: dict[str, Any] = {"start": [], "destroy": [], "pause_unpause": [], "suspend": {}, "resume": {}}
    try:
        session = XenAPI.Session("http://" + daemon.socket_path.replace("/", "_") + "/",
                                 transport=XenAPI.UDSTransport())  # fmt: skip
        session.xenapi.login_with_password("root", "", "2.0", "bench-qemu")
        api = session.xenapi
        vm = _install(api, "bench", 64, None)
        for _ in range(REPEAT):
            out["start"].append(_timed_ms(api.VM.start, vm, False, False))
            out["pause_unpause"].append(_timed_ms(lambda: (api.VM.pause(vm), api.VM.unpause(vm))))
            out["destroy"].append(_timed_ms(api.VM.hard_shutdown, vm))
        api.VM.destroy(vm)
        for key, size, with_guest, settle in suspend_cases():
            out["suspend"][key], out["resume"][key] = [], []
            vm = _install(api, f"bench-{size}", size, guest if with_guest else None)
            for _ in range(SUSPEND_REPEAT):
                api.VM.start(vm, False, False)
                time.sleep(settle)
                out["suspend"][key].append(_timed_ms(api.VM.suspend, vm))
                out["resume"][key].append(_timed_ms(api.VM.resume, vm, False, False))
                api.VM.hard_shutdown(vm)
            suspend_vdi = api.VM.get_suspend_VDI(vm)
            api.VM.destroy(vm)
            if suspend_vdi != "OpaqueRef:NULL":
                api.VDI.destroy(suspend_vdi)
        session.xenapi.session.logout()
    finally:
        daemon.stop()
        shutil.rmtree(base, ignore_errors=True)
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
    proc = own(
        subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", "\n".join(script)],
            stdout=open(base / "libvirtd.out", "wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
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
        stdout, stderr, status = run_own(["/usr/bin/python3", "-c", LIBVIRT_PEER, json.dumps(args)], 3600)
        if status != 0:
            raise RuntimeError(f"libvirt peer failed: {stderr.decode(errors='replace').strip()[-2000:]}")
        out: dict[str, Any] = json.loads(stdout)
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


def row(label: str, api: list[float], lv: list[float], inproc: list[float] | None, goal: float | None = None) -> str:
    """xenia through XenAPI, libvirt, their ratio (with the goal), xenia's driver in-process, and the spreads."""
    a, b = median(api), median(lv)
    ratio = a / b if b else float("inf")
    verdict = f" {'met' if ratio <= goal else 'MISSED'} (<= {goal:g}x)" if goal is not None else ""
    drv = f"{median(inproc):>9.1f} ms" if inproc else f"{'-':>12}"
    return (f"{label:<34} {a:>9.1f} ms {b:>9.1f} ms {ratio:>7.2f}x{verdict:<16} {drv}   "
            f"[{spread(api)} | {spread(lv)}]")  # fmt: skip


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="xq-bench-"))
    print(f"before: {load_average()}", flush=True)
    try:
        with Subreaper() as reaper:
            guest = build_guest_image()
            ours = asyncio.run(xenia_side(workdir, guest))
            api = xenia_api_side(guest)
            theirs = libvirt_side(workdir, ours["accel"], guest)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"QEMU benchmark (accel={ours['accel']}; KVM usable for guests here: {kvm_usable()}); medians of "
          f"{REPEAT} (start, destroy, pause) and {SUSPEND_REPEAT} (suspend, resume) runs")  # fmt: skip
    print(
        f"{'':<34} {'xenia API':>12} {'libvirt':>12} {'ratio':>8} {'':<16} {'xenia driver':>12}   "
        "[min/median/max ms: xenia API | libvirt]"
    )
    print(row("start to running (64 MiB)", api["start"], theirs["start"], ours["start"], 0.5))
    print(row("destroy (hard shutdown)", api["destroy"], theirs["destroy"], ours["destroy"], 0.2))
    print(row("pause+unpause round trip", api["pause_unpause"], theirs["pause_unpause"], ours["pause_unpause"]))
    for key, *_ in suspend_cases():
        print(row(f"suspend ({key})", api["suspend"][key], theirs["suspend"][key], ours["suspend"][key]))
        print(row(f"resume ({key})", api["resume"][key], theirs["resume"][key], ours["resume"][key]))
    bare, create = median(ours["bare"]), median(ours["create"])
    overhead = create - bare
    print(f"{'bare qemu exec to QMP greeting':<34} {bare:>9.1f} ms")
    print(f"{'xenia driver create (paused)':<34} {create:>9.1f} ms")
    print(
        f"{'xenia overhead over bare QEMU':<34} {overhead:>9.1f} ms  goal < 30 ms: {'met' if overhead < 30 else 'MISSED'}"
    )
    print("xenia API: xenia serve --driver qemu through the XenAPI SDK on its unix socket; libvirt: libvirtd "
          "(qemu:///system, private instance) through python3-libvirt on its unix socket; xenia driver: the "
          "QEMU driver called in-process, no RPC, sessions, db or ops")  # fmt: skip
    print(reaper.summary())
    print(f"after: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
