"""Disk and NIC limits of the QEMU driver on real processes (issue 15 item 6, issue 14).

Expected values from first principles: a guest writing N bytes to a disk capped at C bytes/s needs at
least N / C seconds, less QEMU's initial burst (a tenth of a second at the cap); the test only claims
it took no less than N / (1.5 C), a lower bound on time, never an upper one.  QEMU's ``query-block``
shows the limits in force; ``tc`` shows a tap's shaping (a cap of N KiB/s is N * 1024 bytes/s).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.qemu.conftest import guest_spec
from xenia.drivers.base import DiskKind, DiskMode, DiskQos, DiskSpec, NicSpec
from xenia.drivers.qemu import QemuDriver
from xenia.drivers.qemu.net import tap_name
from xenia.testing.guest import READY_MARKER, GuestImage, SerialConsole, make_test_image

MiB = 1024 * 1024
KiB = 1024


async def inserted(driver: QemuDriver, vm_uuid: str, qdev_id: str) -> dict[str, Any]:
    """``query-block``'s ``inserted`` of the drive of device ``qdev_id``."""
    for block in await driver.domains[vm_uuid].execute("query-block"):
        if block.get("qdev") == qdev_id or block.get("qdev", "").endswith(f"/{qdev_id}/virtio-backend"):
            found: dict[str, Any] = block["inserted"]
            return found
    raise AssertionError(f"no drive for {qdev_id}")


def limits(info: dict[str, Any]) -> dict[str, int]:
    return {k: info[k] for k in ("bps", "bps_rd", "bps_wr", "iops", "iops_rd", "iops_wr")}


@pytest.mark.asyncio
async def test_a_capped_disk_holds_the_guest_to_its_cap_and_changes_live(
    driver: QemuDriver, guest_image: GuestImage, tmp_path: Path
) -> None:
    cap = 1 * MiB
    disk = make_test_image(tmp_path / "data.qcow2")
    spec = guest_spec(guest_image, disks=(DiskSpec("0", disk, qos=DiskQos(bps_wr=cap)),))
    await driver.vm.create(spec)
    # in force before the guest runs a single instruction
    assert limits(await inserted(driver, spec.vm_uuid, "vbd0")) == {
        "bps": 0, "bps_rd": 0, "bps_wr": cap, "iops": 0, "iops_rd": 0, "iops_wr": 0}  # fmt: skip
    console = SerialConsole()
    await console.connect(str(driver.domains[spec.vm_uuid].paths.serial))
    try:
        await driver.vm.unpause(spec.vm_uuid)
        await console.wait_for(READY_MARKER)
        written = 3 * MiB
        started = time.monotonic()
        status, _ = await console.run(f"dd if=/dev/zero of=/dev/vda bs=64k count={written // (64 * KiB)} "
                                      "oflag=direct 2>/dev/null")  # fmt: skip
        elapsed = time.monotonic() - started
        assert status == 0
        assert written / elapsed <= 1.5 * cap, f"{written / elapsed / MiB:.2f} MiB/s through a 1 MiB/s cap"
        # a live change: new limits in force at once, the domain's state says so
        await driver.disk.set_qos(spec.vm_uuid, "0", DiskQos(bps=8 * MiB, iops_rd=300))
        assert limits(await inserted(driver, spec.vm_uuid, "vbd0")) == {
            "bps": 8 * MiB, "bps_rd": 0, "bps_wr": 0, "iops": 0, "iops_rd": 300, "iops_wr": 0}  # fmt: skip
        (state,) = (await driver.vm.get_state(spec.vm_uuid)).disks
        assert state.qos == DiskQos(bps=8 * MiB, iops_rd=300)
        # a hot-plugged disk comes with its limits
        await driver.disk.plug(spec.vm_uuid, DiskSpec("1", make_test_image(tmp_path / "more.qcow2"),
                                                      qos=DiskQos(iops_wr=40)))  # fmt: skip
        assert limits(await inserted(driver, spec.vm_uuid, "vbd1"))["iops_wr"] == 40
        await driver.disk.set_qos(spec.vm_uuid, "0", DiskQos())
        assert "bps" not in (info := await inserted(driver, spec.vm_uuid, "vbd0")) or limits(info) == {
            "bps": 0, "bps_rd": 0, "bps_wr": 0, "iops": 0, "iops_rd": 0, "iops_wr": 0}  # fmt: skip
    finally:
        await console.close()


@pytest.fixture
def bridge() -> Iterator[str]:
    """A private Linux bridge for the test (removed afterwards)."""
    name = f"xqqos{os.getpid() % 100000}"
    subprocess.run(["ip", "link", "add", "name", name, "type", "bridge"], check=True)
    try:
        yield name
    finally:
        subprocess.run(["ip", "link", "del", name], check=False)


def shaping(tap: str) -> object:
    """The tap's egress token-bucket rate, as ``tc`` reports it (None: no shaping)."""
    qdiscs = json.loads(subprocess.run(["tc", "-j", "qdisc", "show", "dev", tap], capture_output=True, text=True,
                                       check=True).stdout)  # fmt: skip
    return next((q["options"]["rate"] for q in qdiscs if q["kind"] == "tbf"), None)


def as_bytes(rate: object) -> int | None:
    """``tc -j`` gives rates in bytes/s as numbers (newer iproute2) or as text like ``800Kbit``."""
    if rate is None or isinstance(rate, int):
        return rate
    text = str(rate)
    units = {"bit": 1, "Kbit": 1000, "Mbit": 1000**2, "Gbit": 1000**3}
    for unit in sorted(units, key=len, reverse=True):
        if text.endswith(unit):
            return int(float(text.removesuffix(unit)) * units[unit] / 8)
    return int(text)


@pytest.mark.asyncio
async def test_a_capped_nic_shapes_its_tap_and_changes_live(driver: QemuDriver, bridge: str) -> None:
    spec = guest_spec(None, nics=(NicSpec("0", "02:00:00:00:78:01", bridge, rate_kbps=100),))
    await driver.vm.create(spec)
    tap = tap_name(driver.domains[spec.vm_uuid].domid, "0")
    assert as_bytes(shaping(tap)) == 100 * KiB
    await driver.net.set_rate(spec.vm_uuid, "0", 250)
    assert as_bytes(shaping(tap)) == 250 * KiB
    await driver.net.set_rate(spec.vm_uuid, "0", 0)
    assert shaping(tap) is None
    assert (await driver.vm.get_state(spec.vm_uuid)).nics[0].rate_kbps == 0
    # a hot-plugged NIC comes with its cap
    await driver.net.plug(spec.vm_uuid, NicSpec("1", "02:00:00:00:78:02", bridge, rate_kbps=40))
    assert as_bytes(shaping(tap_name(driver.domains[spec.vm_uuid].domid, "1"))) == 40 * KiB


@pytest.mark.asyncio
async def test_a_cd_drive_takes_its_limits_with_its_media(driver: QemuDriver, tmp_path: Path) -> None:
    iso = make_test_image(tmp_path / "media.iso")
    capped = DiskQos(bps_rd=3 * MiB, iops_rd=70)
    spec = guest_spec(None, disks=(DiskSpec("3", iso, DiskKind.CD, DiskMode.RO, qos=capped),
                                   DiskSpec("4", None, DiskKind.CD, DiskMode.RO, qos=capped)))  # fmt: skip
    await driver.vm.create(spec)
    info = await inserted(driver, spec.vm_uuid, "vbd3")
    assert (info["bps_rd"], info["iops_rd"]) == (3 * MiB, 70)
    await driver.disk.insert(spec.vm_uuid, "4", iso)  # an empty drive's limits come with its medium
    info = await inserted(driver, spec.vm_uuid, "vbd4")
    assert (info["bps_rd"], info["iops_rd"]) == (3 * MiB, 70)
