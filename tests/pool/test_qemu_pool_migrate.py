"""VM.pool_migrate of a booted QEMU guest between two members of a pool (two ``xenia serve --driver
qemu`` daemons on one etcd), with the SDK.

A process started in the guest keeps counting across the move and a file in its tmpfs is there on
arrival; the VM keeps its reference and uuid; the source member has no QEMU of it left, and an
operation asked of the source member afterwards is made by the destination.  The guest boots its
kernel and initramfs from files and has no disk (a pool migration moves memory only).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import XenAPI

from tests.qemu.test_qemu_api import attach, domain_dir, install, login, reap, wait_booted, wait_for
from xenia.pool.localetcd import EtcdCluster
from xenia.testing.daemon import DaemonProcess
from xenia.testing.guest import GuestImage, SerialConsole, build_guest_image

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def guest_image() -> GuestImage:
    return build_guest_image()


@pytest.fixture(scope="module")
def members(etcd_one: EtcdCluster) -> Iterator[tuple[DaemonProcess, DaemonProcess]]:
    """The first makes the pool, the second joins it; both answer logins (serve everywhere)."""
    args = ["--driver", "qemu", "--etcd", etcd_one.endpoints, "--etcd-prefix", "qemu-pool", "--pool-serve-everywhere"]
    a = DaemonProcess(extra_args=args)
    b = DaemonProcess(extra_args=args)
    try:
        a.start()
        b.start()
        yield a, b
    finally:
        for d in (a, b):
            d.stop()
            reap(d.state_dir)
            d.cleanup()


def _this_host(d: DaemonProcess) -> str:
    session = XenAPI.Session("http://" + str(d.socket_path).replace("/", "_"), transport=XenAPI.UDSTransport())
    session.xenapi.login_with_password("root", "", "2.0", "xenia-tests")
    try:
        host: str = session.xenapi.session.get_this_host(session._session)
    finally:
        session.xenapi.session.logout()
    return host


async def _count(console: SerialConsole) -> int:
    # the counter is renamed into place, so a read never meets it truncated (empty)
    status, out = await console.run("cat /tmp/count")
    assert status == 0, out
    return int(out.strip().splitlines()[-1])


def test_a_booted_guest_moves_to_another_member_and_keeps_running(
    members: tuple[DaemonProcess, DaemonProcess], guest_image: GuestImage
) -> None:
    a, b = members
    api_a, api_b = login(a), login(b)
    host_a, host_b = (_this_host(d) for d in (a, b))
    vm = install(api_a, "pool-traveller", guest_image, memory=128 << 20)
    for vbd in api_a.VM.get_VBDs(vm):  # memory only: no disk to reach from the other member
        vdi = api_a.VBD.get_VDI(vbd)
        api_a.VBD.destroy(vbd)
        api_a.VDI.destroy(vdi)
    api_a.VM.start_on(vm, host_a, False, False)
    wait_booted(api_a, vm)

    async def before() -> int:
        console = await attach(domain_dir(a, api_a, vm) / "serial.sock")
        try:
            assert (await console.run("echo travelled-$((6*7)) > /tmp/marker"))[0] == 0
            loop = "i=0; while true; do i=$((i+1)); echo $i > /tmp/count.new; mv /tmp/count.new /tmp/count; sleep 0.1; done"
            assert (await console.run(f"sh -c '{loop}' </dev/null >/dev/null 2>&1 & true"))[0] == 0
            while (await console.run("test -s /tmp/count"))[0] != 0:
                await asyncio.sleep(0.1)
            return await _count(console)
        finally:
            await console.close()

    counted = asyncio.run(before())
    uuid = api_a.VM.get_uuid(vm)
    api_b.VM.pool_migrate(vm, host_b, {"live": "true"})  # asked of the destination: the source moves it
    assert api_b.VM.get_resident_on(vm) == host_b and api_b.VM.get_power_state(vm) == "Running"
    assert api_b.VM.get_by_uuid(uuid) == vm
    wait_for(lambda: not list((a.state_dir / "qemu").glob("d*/qemu.pid")), "the source QEMU to go")

    async def after() -> None:
        console = await attach(domain_dir(b, api_b, vm) / "serial.sock")
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
    api_a.VM.hard_shutdown(vm)  # asked of the member it left: made by the one it runs on
    assert api_a.VM.get_power_state(vm) == "Halted"
    wait_for(lambda: not list((b.state_dir / "qemu").glob("d*/qemu.pid")), "the destination QEMU to go")
    api_a.VM.destroy(vm)
