"""VM.migrate_send of a booted QEMU guest between two ``xenia serve --driver qemu`` daemons, with the SDK.

A process started in the guest keeps counting across the move and a file in its tmpfs is there
on arrival; the source daemon has no QEMU of it left. (A disk of a QEMU VM is not copied yet:
the VM here has none; docs/migration.md.)
"""

from __future__ import annotations

import asyncio
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
    status, out = await console.run("cat /tmp/count")
    assert status == 0, out
    return int(out.strip().splitlines()[-1])


def test_a_booted_guest_moves_between_daemons_and_keeps_running(
    pair: tuple[DaemonProcess, DaemonProcess], guest_image: GuestImage
) -> None:
    a, b = pair
    src, dst = login(a), login(b)
    vm = install(src, "traveller", guest_image)
    for vbd in src.VM.get_VBDs(vm):
        vdi = src.VBD.get_VDI(vbd)
        src.VBD.destroy(vbd)
        if src.VDI.get_uuid(vdi):
            src.VDI.destroy(vdi)
    src.VM.start(vm, False, False)
    wait_booted(src, vm)
    serial = domain_dir(a, src, vm) / "serial.sock"

    async def before() -> int:
        console = await attach(serial)
        try:
            assert (await console.run("echo travelled-$((6*7)) > /tmp/marker"))[0] == 0
            loop = "i=0; while true; do i=$((i+1)); echo $i > /tmp/count; sleep 0.1; done"
            assert (await console.run(f"sh -c '{loop}' </dev/null >/dev/null 2>&1 & true"))[0] == 0
            while (await console.run("test -s /tmp/count"))[0] != 0:
                await asyncio.sleep(0.1)
            return await _count(console)
        finally:
            await console.close()

    counted = asyncio.run(before())
    uuid = src.VM.get_uuid(vm)
    host, network = dst.host.get_all()[0], dst.network.get_all()[0]
    dest: dict[str, str] = dst.host.migrate_receive(host, network, {})
    vif_map: dict[str, Any] = dict.fromkeys(src.VM.get_VIFs(vm), network)
    new = src.VM.migrate_send(vm, dest, True, {}, vif_map, {}, {})
    assert dst.VM.get_uuid(new) == uuid and dst.VM.get_power_state(new) == "Running"
    assert not [v for v in src.VM.get_all() if src.VM.get_uuid(v) == uuid]
    wait_for(lambda: not list((a.state_dir / "qemu").glob("d*/qemu.pid")), "the source QEMU to go")

    async def after() -> None:
        console = await attach(domain_dir(b, dst, new) / "serial.sock")
        try:
            status, out = await console.run("cat /tmp/marker")
            assert status == 0 and "travelled-42" in out
            arrived = await _count(console)
            assert arrived >= counted
            while await _count(console) <= arrived:  # still counting: the process runs on
                await asyncio.sleep(0.1)
        finally:
            await console.close()

    asyncio.run(after())
    dst.VM.hard_shutdown(new)
