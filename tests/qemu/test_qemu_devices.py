"""Consoles, metrics and registration of the QEMU driver, on real processes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from conftest import guest_spec

from xenia.drivers.base import ConsoleProtocol, DiskSpec
from xenia.drivers.errors import InvalidArgument
from xenia.drivers.qemu import QemuDriver
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
