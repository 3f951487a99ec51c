"""Issue 6 at the XenAPI level: ``xenia serve --driver qemu`` run as a user runs it, a real guest
booted from ``VM.PV_kernel``, driven with the official SDK and with the ``xenia`` command.

The guest is the test kernel + initramfs (``xenia.testing.guest``); its serial console is the
driver's ``vt100`` socket (``<state dir>/qemu/d<domid>/serial.sock``), through which the tests
write to guest RAM (``/tmp`` is a tmpfs) and read it back after suspend/resume. Waits poll with
generous deadlines; nothing asserts how long anything took. Every QEMU a test starts is shut
down through the API, and any left over (a failed test) is killed by its pid in teardown.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import XenAPI

from tests.cli.conftest import Xe
from xenia.drivers.qemu.process import pid_alive, process_matches, read_pid
from xenia.drivers.qemu.record import DomainRecord
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess
from xenia.testing.guest import GuestImage, SerialConsole, make_test_image

NULL = "OpaqueRef:NULL"
MiB = 1024 * 1024
ACPI = {"feature-poweroff", "feature-reboot"}


def qemu_daemon(*extra: str) -> DaemonProcess:
    return DaemonProcess(extra_args=["--driver", "qemu", *extra])


def reap(state_dir: Path) -> None:
    """Kill the QEMUs a failed test left behind (by the pids their domains recorded)."""
    for pidfile in (state_dir / "qemu").glob("d*/qemu.pid"):
        pid = read_pid(pidfile)
        try:
            vm_uuid = DomainRecord.load(pidfile.parent / "domain.json").spec.vm_uuid
        except (OSError, ValueError, KeyError):
            continue
        if pid is not None and process_matches(pid, vm_uuid):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def daemon() -> Iterator[DaemonProcess]:
    d = qemu_daemon("--shutdown-timeout", "120").start()
    try:
        yield d
    finally:
        d.stop()
        reap(d.state_dir)
        d.cleanup()


def login(d: DaemonProcess) -> Any:
    session = XenAPI.Session(d.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "qemu-api-tests")
    return session.xenapi


def error(fn: Callable[..., Any], *args: Any) -> list[str]:
    with pytest.raises(XenAPI.Failure) as info:
        fn(*args)
    details: list[str] = info.value.details
    return details


def wait_for(predicate: Callable[[], bool], what: str, timeout: float = 180.0) -> None:
    """Poll until true (a generous deadline against hangs, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.1)


def install(api: Any, name: str, image: GuestImage | None, memory: int = 256 * MiB) -> str:
    """A VM from the BIOS template with its provisioned disk, booting ``image`` (firmware alone if None)."""
    template = api.VM.get_by_name_label("Generic Linux BIOS")[0]
    vm = api.VM.clone(template, name)
    api.VM.provision(vm)
    api.VM.set_memory_limits(vm, str(memory), str(memory), str(memory), str(memory))
    if image is not None:
        api.VM.set_PV_kernel(vm, str(image.kernel))
        api.VM.set_PV_ramdisk(vm, str(image.initrd))
        api.VM.set_PV_args(vm, image.append)
    return str(vm)


def uninstall(api: Any, vm: str) -> None:
    disks = [api.VBD.get_VDI(b) for b in api.VM.get_VBDs(vm) if api.VBD.get_type(b) == "Disk"]
    api.VM.destroy(vm)
    for vdi in disks:
        api.VDI.destroy(vdi)


def domain_dir(d: DaemonProcess, api: Any, vm: str) -> Path:
    return d.state_dir / "qemu" / f"d{int(api.VM.get_domid(vm))}"


def qemu_pid(d: DaemonProcess, api: Any, vm: str) -> int:
    """The pid of the VM's QEMU, checked to be a live process whose argv names the VM."""
    pid = read_pid(domain_dir(d, api, vm) / "qemu.pid")
    assert pid is not None and pid_alive(pid) and process_matches(pid, api.VM.get_uuid(vm))
    return pid


def features(api: Any, vm: str) -> set[str]:
    gm = api.VM.get_guest_metrics(vm)
    return set() if gm == NULL else set(api.VM_guest_metrics.get_other(gm))


def wait_booted(api: Any, vm: str) -> None:
    """The guest OS is up: it handles the power button, so the VM shows feature-poweroff/-reboot."""
    wait_for(lambda: ACPI <= features(api, vm), "the guest to advertise its ACPI features")


async def attach(path: Path) -> SerialConsole:
    """Connect to the guest's serial console and wait for its shell to answer."""
    console = SerialConsole()
    await console.connect(str(path))
    for _ in range(90):  # a line typed before the shell started is lost: ask again
        try:
            if (await console.run("true", timeout=2))[0] == 0:
                return console
        except TimeoutError:
            continue
    raise AssertionError("the guest's shell never answered")


async def shell(console: SerialConsole, command: str) -> tuple[int, str]:
    """Run ``command`` in the guest; its status and output (echoes of typed command lines removed:
    after a reconnect the terminal may echo a line more than the console helper expects, and a
    command line longer than the terminal comes back wrapped, its head on a line of its own)."""
    status, out = await console.run(command, timeout=120)
    head = command[:24]
    lines = [line.rstrip("\r") for line in out.split("\n") if "XENIA-''DONE" not in line and head not in line]
    return status, "\n".join(lines)


def tools_iso(api: Any) -> str:
    """``tools.iso`` copied into the ISO SR's directory and found by ``SR.scan``."""
    (iso_sr,) = [s for s, r in api.SR.get_all_records().items() if r["type"] == "iso"]
    path = Path(api.SR.get_other_config(iso_sr)["path"]) / "tools.iso"
    if not path.exists():
        make_test_image(path)
    api.SR.scan(iso_sr)
    (iso,) = api.VDI.get_by_name_label("tools.iso")
    assert api.VDI.get_SR(iso) == iso_sr
    return str(iso)


async def insert_and_eject(api: Any, console: SerialConsole, cd: str, iso: str) -> None:
    """The guest reads the CD inserted into its running drive, and finds no medium after eject."""
    api.VBD.insert(cd, iso)
    assert api.VBD.get_VDI(cd) == iso and api.VBD.get_empty(cd) is False
    status, out = await shell(console, "mount -t iso9660 -o ro /dev/sr0 /mnt && cat /mnt/hello.txt; umount /mnt")
    assert status == 0 and out.strip() == "tools"
    api.VBD.eject(cd)
    assert api.VBD.get_empty(cd) is True
    assert (await shell(console, "dd if=/dev/sr0 of=/dev/null bs=2048 count=1"))[0] != 0  # no medium


# ------------------------------------------------------------------------------------------------
# The walk with the SDK


def suspend_capped(api: Any, vm: str) -> None:
    """Async.VM.suspend with the image's stream capped (it goes through the migration library):
    the task's progress moves while the image is written (step 2 of 4 of the plan: 0.25..0.5)."""
    api.VM.add_to_other_config(vm, "xenia-suspend-bandwidth", str(32 << 20))
    task = api.Async.VM.suspend(vm)
    progress: list[float] = []
    while api.task.get_status(task) == "pending":
        progress.append(float(api.task.get_progress(task)))
        time.sleep(0.02)
    assert api.task.get_status(task) == "success", api.task.get_error_info(task)
    assert progress == sorted(progress)
    assert [p for p in progress if 0.25 < p < 0.5], f"no progress while the image was written: {progress}"
    api.VM.remove_from_other_config(vm, "xenia-suspend-bandwidth")


@pytest.mark.asyncio
async def test_whole_life_of_a_booted_guest_through_the_sdk(daemon: DaemonProcess, guest_image: GuestImage) -> None:
    api = login(daemon)
    iso = tools_iso(api)
    vm = install(api, "walker", guest_image)
    cd = api.VBD.create({"VM": vm, "VDI": NULL, "userdevice": "3", "bootable": False, "mode": "RO", "type": "CD",
                         "empty": True, "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})

    api.VM.start(vm, False, False)
    assert api.VM.get_power_state(vm) == "Running"
    pid = qemu_pid(daemon, api, vm)
    argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    assert str(guest_image.kernel).encode() in argv and str(guest_image.initrd).encode() in argv
    # Clean operations need a guest that listens; firmware and a booting kernel do not (yet).
    wait_booted(api, vm)
    assert api.VM_guest_metrics.get_PV_drivers_detected(api.VM.get_guest_metrics(vm)) is True

    console = await attach(domain_dir(daemon, api, vm) / "serial.sock")
    try:
        assert (await shell(console, "echo xenia-$((40+2)) > /tmp/marker"))[0] == 0

        api.VM.pause(vm)
        assert api.VM.get_power_state(vm) == "Paused"
        assert error(api.VM.clean_shutdown, vm) == ["VM_BAD_POWER_STATE", vm, "running", "paused"]
        api.VM.unpause(vm)
        assert api.VM.get_power_state(vm) == "Running"
        assert (await shell(console, "cat /tmp/marker"))[1].strip() == "xenia-42"
    finally:
        await console.close()

    suspend_capped(api, vm)
    assert api.VM.get_power_state(vm) == "Suspended"
    assert not pid_alive(pid)
    suspend_vdi = api.VM.get_suspend_VDI(vm)
    image = Path(api.SR.get_other_config(api.VDI.get_SR(suspend_vdi))["path"]) / api.VDI.get_location(suspend_vdi)
    assert image.stat().st_size > 0
    api.VM.resume(vm, False, False)
    assert api.VM.get_power_state(vm) == "Running"
    assert api.VM.get_suspend_VDI(vm) == NULL and not image.exists()
    pid = qemu_pid(daemon, api, vm)
    assert ACPI <= features(api, vm)  # the guest came back with its memory, its drivers included

    console = await attach(domain_dir(daemon, api, vm) / "serial.sock")
    try:
        assert (await shell(console, "cat /tmp/marker"))[1].strip() == "xenia-42"  # RAM survived

        await insert_and_eject(api, console, cd, iso)
    finally:
        await console.close()

    domid = int(api.VM.get_domid(vm))
    api.VM.clean_reboot(vm)
    assert api.VM.get_power_state(vm) == "Running"
    assert int(api.VM.get_domid(vm)) != domid and not pid_alive(pid)
    pid = qemu_pid(daemon, api, vm)
    wait_booted(api, vm)
    console = await attach(domain_dir(daemon, api, vm) / "serial.sock")
    try:
        assert (await shell(console, "cat /tmp/marker"))[0] != 0  # a fresh boot: RAM is new
    finally:
        await console.close()

    api.VM.clean_shutdown(vm)
    assert api.VM.get_power_state(vm) == "Halted"
    assert int(api.VM.get_domid(vm)) == -1 and not pid_alive(pid)
    assert api.VM.get_guest_metrics(vm) == NULL

    api.VM.start(vm, False, False)
    pid = qemu_pid(daemon, api, vm)
    api.VM.hard_shutdown(vm)
    assert api.VM.get_power_state(vm) == "Halted" and not pid_alive(pid)

    api.VBD.destroy(cd)
    uninstall(api, vm)


def test_firmware_alone_cannot_be_shut_down_cleanly(daemon: DaemonProcess) -> None:
    """No OS, nobody to press the button for: VM_MISSING_PV_DRIVERS, as xapi says for a guest
    without PV drivers; VM.shutdown falls back to a hard shutdown."""
    api = login(daemon)
    vm = install(api, "firmware", None)
    api.VM.start(vm, False, False)
    pid = qemu_pid(daemon, api, vm)
    assert error(api.VM.clean_shutdown, vm) == ["VM_MISSING_PV_DRIVERS", vm]
    assert api.VM.get_power_state(vm) == "Running" and pid_alive(pid)
    api.VM.shutdown(vm)
    assert api.VM.get_power_state(vm) == "Halted" and not pid_alive(pid)
    uninstall(api, vm)


# ------------------------------------------------------------------------------------------------
# The same walk with the ``xenia`` command


@pytest.mark.asyncio
async def test_whole_life_through_the_xenia_command(daemon: DaemonProcess, guest_image: GuestImage,
                                                    tmp_path: Path) -> None:  # fmt: skip
    xe = Xe(daemon, tmp_path)
    api = login(daemon)
    tools_iso(api)

    uuid = xe.ok("vm-install", "template=Generic Linux BIOS", "new-name-label=cli-walker").out.strip()
    xe.ok("vm-param-set", f"uuid={uuid}", f"PV-kernel={guest_image.kernel}", f"PV-ramdisk={guest_image.initrd}",
          f"PV-args={guest_image.append}")  # fmt: skip
    xe.ok("vm-cd-add", "vm=cli-walker", "cd-name=tools.iso", "device=3")
    vm = api.VM.get_by_uuid(uuid)

    def power() -> str:
        return xe.ok("vm-param-get", f"uuid={uuid}", "param-name=power-state").out.strip().lower()

    xe.ok("vm-start", "vm=cli-walker")
    assert power() == "running"
    assert "cli-walker" in xe.ok("vm-list", "power-state=running", "params=name-label").out
    pid = qemu_pid(daemon, api, vm)
    wait_booted(api, vm)
    console = await attach(domain_dir(daemon, api, vm) / "serial.sock")
    try:
        status, out = await shell(console, "mount -t iso9660 -o ro /dev/sr0 /mnt && cat /mnt/hello.txt; umount /mnt")
        assert status == 0 and out.strip() == "tools"  # the CD added before start is there
        assert (await shell(console, "echo cli-$((6*7)) > /tmp/marker"))[0] == 0
        xe.ok("vm-pause", "vm=cli-walker")
        assert power() == "paused"
        xe.ok("vm-unpause", "vm=cli-walker")
        assert power() == "running"
        xe.ok("vm-cd-eject", "vm=cli-walker")
        assert (await shell(console, "dd if=/dev/sr0 of=/dev/null bs=2048 count=1"))[0] != 0
        xe.ok("vm-cd-insert", "vm=cli-walker", "cd-name=tools.iso")
        assert (await shell(console, "dd if=/dev/sr0 of=/dev/null bs=2048 count=1"))[0] == 0
    finally:
        await console.close()

    xe.ok("vm-suspend", "vm=cli-walker")
    assert power() == "suspended" and not pid_alive(pid)
    xe.ok("vm-resume", "vm=cli-walker")
    assert power() == "running"
    console = await attach(domain_dir(daemon, api, vm) / "serial.sock")
    try:
        assert (await shell(console, "cat /tmp/marker"))[1].strip() == "cli-42"
    finally:
        await console.close()

    domid = int(api.VM.get_domid(vm))
    xe.ok("vm-reboot", "vm=cli-walker")
    assert power() == "running" and int(api.VM.get_domid(vm)) != domid
    wait_booted(api, vm)
    pid = qemu_pid(daemon, api, vm)
    xe.ok("vm-shutdown", "vm=cli-walker")
    assert power() == "halted" and not pid_alive(pid)
    xe.ok("vm-start", "vm=cli-walker")
    pid = qemu_pid(daemon, api, vm)
    xe.ok("vm-shutdown", "vm=cli-walker", "force=true")
    assert power() == "halted" and not pid_alive(pid)
    xe.ok("vm-uninstall", "vm=cli-walker")
    assert api.VM.get_by_name_label("cli-walker") == []


# ------------------------------------------------------------------------------------------------
# A daemon killed with running VMs


@pytest.mark.asyncio
async def test_killed_daemon_restarts_and_adopts_its_running_vms(guest_image: GuestImage) -> None:
    d = qemu_daemon("--shutdown-timeout", "5").start()
    try:
        await _adopt(d, guest_image)
    finally:
        d.stop()
        reap(d.state_dir)
        d.cleanup()


async def _adopt(d: DaemonProcess, guest_image: GuestImage) -> None:
    api = login(d)
    guest = install(api, "guest", guest_image)
    plain = [install(api, name, None) for name in ("plain-1", "plain-2")]
    doomed = install(api, "doomed", None)
    for vm in (guest, *plain, doomed):
        api.VM.start(vm, False, False)
    wait_booted(api, guest)
    console = await attach(domain_dir(d, api, guest) / "serial.sock")
    assert (await shell(console, "echo survived > /tmp/marker"))[0] == 0
    await console.close()
    live = (guest, *plain)
    before = {vm: (api.VM.get_domid(vm), qemu_pid(d, api, vm)) for vm in live}
    doomed_pid = qemu_pid(d, api, doomed)

    d.kill()  # SIGKILL: no chance to tidy up
    os.kill(doomed_pid, signal.SIGKILL)  # ... and one QEMU dies while no daemon watches
    wait_for(lambda: not pid_alive(doomed_pid), "the doomed QEMU to die")
    assert all(pid_alive(pid) for _, pid in before.values())  # QEMUs outlive the daemon

    d.start()
    api = login(d)
    for vm, (domid, pid) in before.items():
        assert api.VM.get_power_state(vm) == "Running"
        assert (api.VM.get_domid(vm), qemu_pid(d, api, vm)) == (domid, pid)  # adopted, not restarted
    assert api.VM.get_power_state(doomed) == "Halted" and int(api.VM.get_domid(doomed)) == -1
    lost = [m for m in api.message.get_all_records().values() if m["obj_uuid"] == api.VM.get_uuid(doomed)]
    assert [m["name"] for m in lost] == ["VM_DOMAIN_LOST"] and "Halted" in lost[0]["body"]

    for vm in live:  # every adopted domain answers
        api.VM.pause(vm)
        assert api.VM.get_power_state(vm) == "Paused"
        api.VM.unpause(vm)
        assert api.VM.get_power_state(vm) == "Running"
    wait_booted(api, guest)  # known again at once (read from the guest's PM state, not remembered)
    console = await attach(domain_dir(d, api, guest) / "serial.sock")
    try:
        assert (await shell(console, "cat /tmp/marker"))[1].strip() == "survived"
        # A guest that ignores the power button and has no agent: clean shutdown waits --shutdown-timeout,
        # then fails.
        assert (await shell(console, "killall acpid qemu-ga"))[0] == 0
    finally:
        await console.close()
    assert error(api.VM.clean_shutdown, guest) == ["VM_SHUTDOWN_TIMEOUT", guest, "5.0"]
    assert api.VM.get_power_state(guest) == "Running" and pid_alive(before[guest][1])
    api.VM.shutdown(guest)  # clean if it can, else hard (xapi's VM.shutdown)
    api.VM.shutdown(plain[0])
    api.VM.hard_shutdown(plain[1])
    for vm, (_, pid) in before.items():
        assert api.VM.get_power_state(vm) == "Halted" and not pid_alive(pid)
    for vm in (*live, doomed):
        uninstall(api, vm)
