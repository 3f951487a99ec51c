"""Consoles, metrics and registration of the QEMU driver, on real processes."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.qemu.conftest import guest_spec
from xenia.drivers.base import ConsoleProtocol, DiskSpec, NicSpec
from xenia.drivers.errors import InvalidArgument
from xenia.drivers.qemu import QemuDriver
from xenia.drivers.qemu.net import tap_name
from xenia.drivers.registry import create
from xenia.testing.guest import READY_MARKER, GuestImage, SerialConsole, make_test_image


def test_registry_builds_the_qemu_driver(tmp_path: Path) -> None:
    driver = create("qemu", tmp_path, {"accel": "tcg"})
    assert isinstance(driver, QemuDriver) and driver.name == "qemu"
    with pytest.raises(InvalidArgument):
        create("qemu", tmp_path, {"no-such-option": "1"})


@pytest.mark.asyncio
async def test_consoles_are_reachable(driver: QemuDriver) -> None:
    spec = guest_spec(None, vnc=True)
    await driver.vm.create(spec)
    consoles = {c.protocol: c.location for c in await driver.console.consoles(spec.vm_uuid)}
    assert set(consoles) == {ConsoleProtocol.VT100, ConsoleProtocol.RFB}
    assert consoles[ConsoleProtocol.VT100].startswith("unix:")
    host, port = consoles[ConsoleProtocol.RFB].removeprefix("tcp:").rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port))
    assert (await reader.readexactly(12)).startswith(b"RFB 003.")
    writer.close()


@pytest.mark.asyncio
async def test_metrics_follow_guest_activity(driver: QemuDriver, guest_image: GuestImage, tmp_path: Path) -> None:
    disk = make_test_image(tmp_path / "data.qcow2")
    spec = guest_spec(guest_image, disks=(DiskSpec("0", disk),))
    await driver.vm.create(spec)
    console = SerialConsole()
    await console.connect(str(driver.domains[spec.vm_uuid].paths.serial))
    try:
        await driver.vm.unpause(spec.vm_uuid)
        await console.wait_for(READY_MARKER)
        first = {m.vm_uuid: m for m in (await driver.metrics.sample()).domains}[spec.vm_uuid]
        status, _ = await console.run("dd if=/dev/zero of=/dev/vda bs=1M count=4 oflag=direct 2>/dev/null")
        assert status == 0
        second = {m.vm_uuid: m for m in (await driver.metrics.sample()).domains}[spec.vm_uuid]
        assert len(second.vcpu_time_ns) == 1 and second.vcpu_time_ns[0] > first.vcpu_time_ns[0] > 0
        (d1,), (d2,) = first.disks, second.disks
        assert d2.write_bytes - d1.write_bytes >= 4 * 1024 * 1024 and d2.write_ops > d1.write_ops
        assert second.memory_actual == spec.memory_static_max
    finally:
        await console.close()


@pytest.fixture
def bridge() -> Iterator[str]:
    """A private Linux bridge for the test (removed afterwards)."""
    name = f"xqbr{os.getpid() % 100000}"
    subprocess.run(["ip", "link", "add", "name", name, "type", "bridge"], check=True)
    try:
        yield name
    finally:
        subprocess.run(["ip", "link", "del", name], check=False)


@pytest.mark.asyncio
async def test_nic_on_a_host_bridge_is_a_tap_with_counters(
    driver: QemuDriver, guest_image: GuestImage, bridge: str
) -> None:
    nic = NicSpec("0", "02:00:00:00:77:01", bridge)
    spec = guest_spec(guest_image, nics=(nic, NicSpec("1", "02:00:00:00:77:02", "no-such-bridge")))
    await driver.vm.create(spec)
    tap = tap_name(driver.domains[spec.vm_uuid].domid, "0")
    assert Path(f"/sys/class/net/{tap}/master").resolve().name == bridge
    console = SerialConsole()
    await console.connect(str(driver.domains[spec.vm_uuid].paths.serial))
    try:
        await driver.vm.unpause(spec.vm_uuid)
        await console.wait_for(READY_MARKER)
        before = {m.vm_uuid: m for m in (await driver.metrics.sample()).domains}[spec.vm_uuid]
        # ARP requests for an address nobody has: guest transmit traffic onto the bridge.
        await console.run("ip link set eth0 up && ip addr add 198.18.77.2/24 dev eth0 && ping -c 2 -W 1 198.18.77.1")
        after = {m.vm_uuid: m for m in (await driver.metrics.sample()).domains}[spec.vm_uuid]
        assert [n.device for n in after.nics] == ["0", "1"]
        assert after.nics[0].tx_bytes > before.nics[0].tx_bytes
    finally:
        await console.close()
    await driver.vm.destroy(spec.vm_uuid)
    assert not Path(f"/sys/class/net/{tap}").exists()  # the tap went with QEMU
