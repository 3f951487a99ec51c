"""VM.migrate_send of a booted QEMU guest between two ``xenia serve --driver qemu`` daemons, with the SDK.

The guest has its provisioned disk, which goes with it (QEMU's block mirror, tunnelled in the
migration stream). First a move cancelled while the disk is being copied: the VM runs on at the
source and the destination keeps nothing of it. Then the real move: a process started in the
guest keeps counting across it, a file in its tmpfs is there on arrival, data written to the
disk before reads back identical and the counter the guest keeps writing to the disk goes on;
the source daemon has no QEMU and no disk of it left. Last, a move back during which the
destination daemon is killed (SIGKILL): the VM runs on where it was and the task's error names the
phase that failed.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.qemu.test_qemu_api import attach, domain_dir, install, login, qemu_daemon, reap, wait_booted, wait_for
from xenia.testing.daemon import DaemonProcess
from xenia.testing.guest import GuestImage, SerialConsole

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pair() -> Iterator[tuple[DaemonProcess, DaemonProcess]]:
    a, b = qemu_daemon().start(), qemu_daemon().start()
    try:
        yield a, b
    finally:
        for d in (a, b):
            d.stop()
            reap(d.state_dir)
            d.cleanup()


async def _count(console: SerialConsole) -> int:
    # the counter is renamed into place, so a read never meets it truncated (empty)
    status, out = await console.run("cat /tmp/count")
    assert status == 0, out
    return int(out.strip().splitlines()[-1])


#: the guest writes 4 MiB of random data at 4 MiB into its disk, and its counter at sector 100
_RANDOM = "dd if=/dev/urandom of=/tmp/r bs=1M count=4 2>/dev/null && dd if=/tmp/r of=/dev/vda bs=1M seek=4 oflag=direct 2>/dev/null && md5sum </tmp/r"
_READ_RANDOM = "dd if=/dev/vda bs=1M skip=4 count=4 iflag=direct 2>/dev/null | md5sum"
_COUNTER = (
    "i=0; while true; do i=$((i+1)); echo $i > /tmp/count.new; mv /tmp/count.new /tmp/count; "
    "echo $i | dd of=/dev/vda bs=512 seek=100 conv=notrunc,sync oflag=direct 2>/dev/null; sleep 0.1; done"
)
_READ_DISK_COUNTER = "dd if=/dev/vda bs=512 skip=100 count=1 iflag=direct 2>/dev/null | tr -d '\\000'"


def _md5(out: str) -> str:
    (digest,) = re.findall(r"\b[0-9a-f]{32}\b", out)
    return str(digest)


def test_a_booted_guest_with_a_disk_moves_between_daemons_and_keeps_running(
    pair: tuple[DaemonProcess, DaemonProcess], guest_image: GuestImage
) -> None:
    a, b = pair
    src, dst = login(a), login(b)
    vm = install(src, "traveller", guest_image)
    (disk,) = [src.VBD.get_VDI(v) for v in src.VM.get_VBDs(vm) if src.VBD.get_type(v) == "Disk"]
    src.VM.start(vm, False, False)
    wait_booted(src, vm)
    serial = domain_dir(a, src, vm) / "serial.sock"

    async def before() -> tuple[int, str]:
        console = await attach(serial)
        try:
            assert (await console.run("echo travelled-$((6*7)) > /tmp/marker"))[0] == 0
            status, out = await console.run(_RANDOM, timeout=120)
            assert status == 0, out
            assert (await console.run(f"sh -c '{_COUNTER}' </dev/null >/dev/null 2>&1 & true"))[0] == 0
            while (await console.run("test -s /tmp/count"))[0] != 0:
                await asyncio.sleep(0.1)
            return await _count(console), _md5(out)
        finally:
            await console.close()

    counted, digest = asyncio.run(before())
    uuid = src.VM.get_uuid(vm)
    host, network = dst.host.get_all()[0], dst.network.get_all()[0]
    sr = dst.pool.get_default_SR(dst.pool.get_all()[0])
    dst_vdis = set(dst.VDI.get_all())
    vif_map: dict[str, Any] = dict.fromkeys(src.VM.get_VIFs(vm), network)
    vdi_map = {disk: sr}

    # 1. cancelled while the disk is copied (a slow cap keeps it there): nothing moved
    dest: dict[str, str] = dst.host.migrate_receive(host, network, {})
    task = src.Async.VM.migrate_send(vm, dest, True, vdi_map, vif_map, {"bandwidth": str(2 << 20)}, {})
    wait_for(lambda: float(src.task.get_progress(task)) > 0.05, "the copy to start")
    src.task.cancel(task)
    wait_for(lambda: src.task.get_status(task) not in ("pending", "cancelling"), "the cancelled migration to end")
    assert src.task.get_status(task) == "cancelled"
    assert src.VM.get_power_state(vm) == "Running"
    assert not [v for v in dst.VM.get_all() if dst.VM.get_uuid(v) == uuid]
    wait_for(lambda: set(dst.VDI.get_all()) == dst_vdis, "the destination to remove the disk it made")
    wait_for(lambda: not list((b.state_dir / "qemu").glob("d*/qemu.pid")), "the destination QEMU to go")

    # 2. the move
    dest = dst.host.migrate_receive(host, network, {})
    new = src.VM.migrate_send(vm, dest, True, vdi_map, vif_map, {}, {})
    assert dst.VM.get_uuid(new) == uuid and dst.VM.get_power_state(new) == "Running"
    assert not [v for v in src.VM.get_all() if src.VM.get_uuid(v) == uuid]
    assert disk not in src.VDI.get_all()
    (moved,) = [dst.VBD.get_VDI(v) for v in dst.VM.get_VBDs(new) if dst.VBD.get_type(v) == "Disk"]
    assert dst.VDI.get_SR(moved) == sr and moved not in dst_vdis
    wait_for(lambda: not list((a.state_dir / "qemu").glob("d*/qemu.pid")), "the source QEMU to go")

    async def after() -> None:
        console = await attach(domain_dir(b, dst, new) / "serial.sock")
        try:
            status, out = await console.run("cat /tmp/marker")
            assert status == 0 and "travelled-42" in out
            arrived = await _count(console)
            assert arrived >= counted
            status, out = await console.run(_READ_RANDOM, timeout=120)
            assert status == 0 and _md5(out) == digest
            status, out = await console.run(_READ_DISK_COUNTER)
            assert status == 0 and int(out.strip().splitlines()[-1]) >= counted
            while await _count(console) <= arrived:  # still counting: the process runs on
                await asyncio.sleep(0.1)
        finally:
            await console.close()

    asyncio.run(after())

    _back_with_the_destination_killed(a, b, src, dst, new, moved)
    dst.VM.hard_shutdown(new)


def _back_with_the_destination_killed(
    a: DaemonProcess, b: DaemonProcess, src: Any, dst: Any, new: str, moved: str
) -> None:
    """The VM moved to b goes back to a, and a (the destination) is killed mid-stream: the VM runs
    on at b and the error names the phase that failed."""
    back = src.host.migrate_receive(src.host.get_all()[0], src.network.get_all()[0], {})
    src_sr = src.pool.get_default_SR(src.pool.get_all()[0])
    back_vifs: dict[str, Any] = dict.fromkeys(dst.VM.get_VIFs(new), src.network.get_all()[0])
    task = dst.Async.VM.migrate_send(new, back, True, {moved: src_sr}, back_vifs, {"bandwidth": str(2 << 20)}, {})
    wait_for(lambda: float(dst.task.get_progress(task)) > 0.05, "the copy back to start")
    a.kill()
    wait_for(lambda: dst.task.get_status(task) not in ("pending", "cancelling"), "the failed migration to end")
    assert dst.task.get_status(task) == "failure"
    code, *_, msg = dst.task.get_error_info(task)
    assert code == "VM_MIGRATE_FAILED" and msg.split(":")[0] in ("connect", "send_memory"), msg
    assert dst.VM.get_power_state(new) == "Running"

    async def still_running() -> None:
        console = await attach(domain_dir(b, dst, new) / "serial.sock")
        try:
            now = await _count(console)
            while await _count(console) <= now:
                await asyncio.sleep(0.1)
        finally:
            await console.close()

    asyncio.run(still_running())
