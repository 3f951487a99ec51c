"""The whole lifecycle on real QEMU processes running the test guest (TCG unless KVM can boot it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.qemu.conftest import guest_spec, wait_until
from xenia.drivers.base import DiskKind, DiskMode, DiskSpec, RunState, ShutdownReason
from xenia.drivers.errors import InvalidArgument, InvalidState, NoSuchDomain, NoSuchImage
from xenia.drivers.qemu import QemuDriver
from xenia.drivers.qemu.domain import AGENT_FALLBACK
from xenia.migration import MigrationCancelled, MigrationOptions, Phase, Progress
from xenia.migration.suspend import suspend_to
from xenia.testing.guest import READY_MARKER, GuestImage, SerialConsole, make_test_image

pytestmark = pytest.mark.asyncio
MiB = 1024 * 1024


async def boot(driver: QemuDriver, image: GuestImage, **kw: object) -> tuple[str, SerialConsole]:
    """Create, attach the console, unpause, and wait for the guest's shell."""
    spec = guest_spec(image, **kw)  # type: ignore[arg-type]
    await driver.vm.create(spec)
    console = SerialConsole()
    await console.connect(str(driver.domains[spec.vm_uuid].paths.serial))
    await driver.vm.unpause(spec.vm_uuid)
    await console.wait_for(READY_MARKER)
    await console.wait_for("# ")
    return spec.vm_uuid, console


def shut_down_with(driver: QemuDriver, vm: str, reason: ShutdownReason) -> object:
    async def check() -> bool:
        st = await driver.vm.get_state(vm)
        return st.run_state is RunState.SHUTDOWN and st.shutdown_reason is reason

    return check


async def test_boot_pause_unpause(driver: QemuDriver, guest_image: GuestImage) -> None:
    vm, console = await boot(driver, guest_image)
    try:
        assert (await driver.vm.get_state(vm)).run_state is RunState.RUNNING
        await driver.vm.pause(vm)
        assert (await driver.vm.get_state(vm)).run_state is RunState.PAUSED
        await driver.vm.unpause(vm)
        status, out = await console.run("echo alive-$((6*7))")
        assert status == 0 and "alive-42" in out
    finally:
        await console.close()


async def test_clean_shutdown_via_power_button(driver: QemuDriver, guest_image: GuestImage) -> None:
    vm, console = await boot(driver, guest_image)
    seen: list[str] = []
    driver.subscribe(seen.append)
    await driver.vm.request_shutdown(vm)
    await wait_until(shut_down_with(driver, vm, ShutdownReason.POWEROFF))
    assert vm in seen
    with pytest.raises(InvalidState):
        await driver.vm.unpause(vm)
    await console.close()
    await driver.vm.destroy(vm)
    with pytest.raises(NoSuchDomain):
        await driver.vm.get_state(vm)


async def test_guest_that_ignores_the_power_button_keeps_running(driver: QemuDriver, guest_image: GuestImage) -> None:
    vm, console = await boot(driver, guest_image)
    try:
        assert (await console.run("killall acpid qemu-ga"))[0] == 0  # deaf to the button and to its agent
        await driver.vm.request_shutdown(vm)
        # The request is delivered (and repeated, and after 5 s tried through the agent); the guest,
        # without acpid and qemu-ga, never acts on it.
        status, _ = await console.run(f"sleep {AGENT_FALLBACK + 2:.0f}")
        assert status == 0
        assert (await driver.vm.get_state(vm)).run_state is RunState.RUNNING
    finally:
        await console.close()


async def test_hard_shutdown_kills_the_process(driver: QemuDriver, guest_image: GuestImage) -> None:
    vm, console = await boot(driver, guest_image)
    dom = driver.domains[vm]
    pid, root = dom.pid, dom.paths.root
    assert pid is not None
    await driver.vm.destroy(vm)
    await console.close()
    assert not os.path.exists(f"/proc/{pid}") or b"Z" in Path(f"/proc/{pid}/stat").read_bytes().split(b")")[-1][:3]
    assert not root.exists()


async def test_clean_reboot_and_hard_reset(driver: QemuDriver, guest_image: GuestImage) -> None:
    vm, console = await boot(driver, guest_image)
    try:
        domid = (await driver.vm.get_state(vm)).domid
        await console.run("echo before > /tmp/flag")
        await driver.vm.reset(vm)  # hard reset in place: same domid, the guest boots again
        await console.wait_for(READY_MARKER)
        await console.wait_for("# ")
        st = await driver.vm.get_state(vm)
        assert st.domid == domid and st.run_state is RunState.RUNNING
        status, _ = await console.run("test -e /tmp/flag")
        assert status != 0  # tmpfs did not survive the reset
        await driver.vm.request_reboot(vm)  # Ctrl-Alt-Del -> guest reboot -> SHUTDOWN(REBOOT)
        await wait_until(shut_down_with(driver, vm, ShutdownReason.REBOOT))
    finally:
        await console.close()


async def test_suspend_to_file_and_resume_keeps_memory(
    driver: QemuDriver, guest_image: GuestImage, tmp_path: Path
) -> None:
    vm, console = await boot(driver, guest_image)
    spec = driver.domains[vm].record.spec
    assert (await console.run("echo marker-$((1000+337)) > /tmp/marker"))[0] == 0
    image = str(tmp_path / "suspend.img")
    await driver.vm.suspend(vm, image)
    await console.close()
    st = await driver.vm.get_state(vm)
    assert st.run_state is RunState.SHUTDOWN and st.shutdown_reason is ShutdownReason.SUSPEND
    await driver.vm.destroy(vm)
    resumed = await driver.vm.resume(spec, image)
    assert resumed.run_state is RunState.PAUSED
    console = SerialConsole()
    await console.connect(str(driver.domains[vm].paths.serial))
    try:
        await driver.vm.unpause(vm)
        status, out = await console.run("cat /tmp/marker")
        assert status == 0 and "marker-1337" in out
        assert driver.timings.recent("suspend") and driver.timings.recent("resume")
    finally:
        await console.close()


async def test_resume_rejects_a_file_that_is_not_a_suspend_image(driver: QemuDriver, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.img"
    bogus.write_bytes(b"not a migration stream")
    spec = guest_spec(None)
    with pytest.raises(NoSuchImage):
        await driver.vm.resume(spec, str(bogus))
    with pytest.raises(NoSuchImage):
        await driver.vm.resume(spec, str(tmp_path / "missing.img"))
    assert spec.vm_uuid not in driver.domains


async def test_an_uncapped_suspend_cancelled_while_writing_leaves_the_guest_running(
    driver: QemuDriver, tmp_path: Path
) -> None:
    """With no rate cap the library pauses the guest before writing (as xl save): a cancel must
    run it again and leave no image."""
    spec = guest_spec(None)
    vm = spec.vm_uuid
    await driver.vm.create(spec)
    await driver.vm.unpause(vm)
    options = MigrationOptions()

    def cancel_once_sending(p: Progress) -> None:
        if p.phase is Phase.SEND_MEMORY:
            options.cancel.cancel()

    options.progress = cancel_once_sending
    image = str(tmp_path / "cancelled.img")
    with pytest.raises(MigrationCancelled):
        await suspend_to(driver, vm, image, options)
    assert (await driver.vm.get_state(vm)).run_state is RunState.RUNNING
    assert await driver.domains[vm].status() == "running"
    assert not os.path.exists(image) and not os.path.exists(image + ".part")
    await driver.vm.destroy(vm)


async def test_cd_insert_eject_and_a_tray_locked_by_the_guest(
    driver: QemuDriver, guest_image: GuestImage, tmp_path: Path
) -> None:
    iso_a = make_test_image(tmp_path / "disc-a.iso")
    iso_b = make_test_image(tmp_path / "disc-b.iso")
    cd = DiskSpec("3", iso_a, DiskKind.CD, DiskMode.RO)
    vm, console = await boot(driver, guest_image, disks=(cd,))
    try:
        assert (await console.run("mount -t iso9660 -o ro /dev/sr0 /mnt && cat /mnt/hello.txt"))[0] == 0
        with pytest.raises(InvalidState, match="locked"):
            await driver.disk.eject(vm, "3")  # fails at once instead of hanging
        assert (await driver.vm.get_state(vm)).disks[0].path == iso_a
        assert (await console.run("umount /mnt"))[0] == 0
        await driver.disk.eject(vm, "3")
        (disk,) = (await driver.vm.get_state(vm)).disks
        assert disk.path is None and disk.tray_open
        await driver.disk.insert(vm, "3", iso_b)
        (disk,) = (await driver.vm.get_state(vm)).disks
        assert disk.path == iso_b and not disk.tray_open
        # The guest sees the new disc (the first read after a media change may report it).
        status, out = await console.run(
            "for i in 1 2 3 4 5; do mount -t iso9660 -o ro /dev/sr0 /mnt 2>/dev/null && break; sleep 1; done;"
            " cat /mnt/hello.txt"
        )
        assert status == 0 and "disc-b" in out
    finally:
        await console.close()


async def test_balloon_reaches_its_target(driver: QemuDriver, guest_image: GuestImage) -> None:
    vm, console = await boot(driver, guest_image)
    try:
        target = 160 * MiB
        await driver.vm.set_memory_target(vm, target)

        async def reached() -> bool:
            return (await driver.vm.get_state(vm)).memory_actual == target

        await wait_until(reached)
    finally:
        await console.close()


async def test_qemu_dying_is_reported_as_a_crash_at_once(driver: QemuDriver, guest_image: GuestImage) -> None:
    spec = guest_spec(None)
    await driver.vm.create(spec)
    seen: list[str] = []
    driver.subscribe(seen.append)
    pid = driver.domains[spec.vm_uuid].pid
    assert pid is not None
    os.kill(pid, 9)

    async def noticed() -> bool:
        return spec.vm_uuid in seen

    await wait_until(noticed)
    st = await driver.vm.get_state(spec.vm_uuid)
    assert st.run_state is RunState.SHUTDOWN and st.shutdown_reason is ShutdownReason.CRASH


async def test_vcpu_hotplug_with_a_guest(driver: QemuDriver, guest_image: GuestImage) -> None:
    vm, console = await boot(driver, guest_image, vcpus_max=2)
    try:
        await driver.vm.set_vcpus(vm, 2)
        assert (await driver.vm.get_state(vm)).vcpus == 2
        status, _ = await console.run("test -d /sys/devices/system/cpu/cpu1")
        assert status == 0
        await driver.vm.set_vcpus(vm, 1)  # requested; done when the guest has released the vCPU

        async def released() -> bool:
            return (await driver.vm.get_state(vm)).vcpus == 1

        await wait_until(released)
        for bad in (0, 3):
            with pytest.raises(InvalidArgument):
                await driver.vm.set_vcpus(vm, bad)
    finally:
        await console.close()
