"""Live changes to a booted QEMU test guest through the SDK (issue 14), seen from inside the guest.

One guest for the module (``xenia serve --driver qemu``, the test kernel + initramfs); the tests read
the guest's own ``/proc/meminfo`` and ``/sys/devices/system/cpu`` over its serial console. Expected
values come from first principles: a balloon of N bytes takes N bytes from the guest's free memory and
gives them back when it deflates; a hot-plugged vCPU appears under ``/sys/devices/system/cpu``; a
mounted CD's tray is locked by Linux, so QEMU cannot eject it; what the guest agent reports is what
the guest itself says (its ``uname -r``, ``/etc/os-release``, ``ip addr``, ``qemu-ga --version``).
Waits poll with generous deadlines.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.qemu.test_qemu_api import (
    attach,
    domain_dir,
    error,
    install,
    login,
    qemu_daemon,
    reap,
    shell,
    tools_iso,
    uninstall,
    wait_booted,
    wait_for,
)
from xenia.testing.daemon import DaemonProcess
from xenia.testing.guest import GuestImage, SerialConsole

MiB = 1024 * 1024
NULL = "OpaqueRef:NULL"


@pytest.fixture(scope="module")
def booted(guest_image: GuestImage) -> Iterator[tuple[DaemonProcess, Any, str]]:
    """A running guest of 512 MiB (dynamic range 16 MiB..512 MiB) with two vCPUs possible, an empty CD and a
    NIC (device 0, user networking: the guest takes an address by DHCP at boot)."""
    d = qemu_daemon().start()
    try:
        api = login(d)
        vm = install(api, "live", guest_image, memory=512 * MiB)
        api.VM.set_memory_limits(vm, str(16 * MiB), str(512 * MiB), str(16 * MiB), str(512 * MiB))
        api.VM.set_VCPUs_max(vm, "2")
        api.VBD.create({"VM": vm, "VDI": NULL, "userdevice": "3", "bootable": False, "mode": "RO", "type": "CD",
                        "empty": True, "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})
        api.VIF.create({"device": "0", "network": api.network.get_all()[0], "VM": vm, "MAC": "", "MTU": "1500",
                        "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})  # fmt: skip
        api.VM.start(vm, False, False)
        wait_booted(api, vm)
        yield d, api, vm
        if api.VM.get_power_state(vm) != "Halted":
            api.VM.hard_shutdown(vm)
        uninstall(api, vm)
    finally:
        d.stop()
        reap(d.state_dir)
        d.cleanup()


async def guest(booted: tuple[DaemonProcess, Any, str]) -> SerialConsole:
    d, api, vm = booted
    return await attach(domain_dir(d, api, vm) / "serial.sock")


async def meminfo(console: SerialConsole) -> dict[str, int]:
    status, out = await shell(console, "cat /proc/meminfo")
    assert status == 0
    return {line.split(":")[0]: int(line.split()[1]) * 1024 for line in out.splitlines() if line.endswith(" kB")}


async def guest_sees(console: SerialConsole, command: str) -> None:
    """Poll ``command`` in the guest until it succeeds (the guest's kernel acts on hot-plug events in its time)."""
    for _ in range(600):
        if (await shell(console, command))[0] == 0:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"the guest never saw: {command}")


def memory_actual(api: Any, vm: str) -> int:
    return int(api.VM_metrics.get_memory_actual(api.VM.get_metrics(vm)))


@pytest.mark.asyncio
async def test_ballooning_down_and_up_is_felt_by_the_guest(booted: tuple[DaemonProcess, Any, str]) -> None:
    _, api, vm = booted
    console = await guest(booted)
    try:
        free = (await meminfo(console))["MemFree"]
        api.VM.set_memory_dynamic_max(vm, str(256 * MiB))
        api.VM.wait_memory_target_live(vm)
        assert abs(memory_actual(api, vm) - 256 * MiB) <= MiB
        shrunk = (await meminfo(console))["MemFree"]
        assert free - shrunk >= 240 * MiB  # the balloon holds the 256 MiB the guest gave back
        wait_for(lambda: api.xenia.vm_drift(vm) == {}, "the balloon to settle")
        api.VM.set_memory_dynamic_max(vm, str(512 * MiB))
        api.VM.wait_memory_target_live(vm)
        assert abs(memory_actual(api, vm) - 512 * MiB) <= MiB
        assert (await meminfo(console))["MemFree"] - shrunk >= 240 * MiB
    finally:
        await console.close()


@pytest.mark.asyncio
async def test_vcpus_live_are_seen_by_the_guest(booted: tuple[DaemonProcess, Any, str]) -> None:
    _, api, vm = booted
    console = await guest(booted)
    try:
        assert (await shell(console, "test -d /sys/devices/system/cpu/cpu1"))[0] != 0
        api.VM.set_VCPUs_number_live(vm, "2")
        assert api.VM.get_VCPUs_at_startup(vm) == "2"  # xapi's set_vcpus: the live count is the configuration too
        await guest_sees(console, "test -d /sys/devices/system/cpu/cpu1")
        wait_for(lambda: api.VM_metrics.get_VCPUs_number(api.VM.get_metrics(vm)) == "2", "the metrics")
        assert "VCPUs_at_startup" not in api.xenia.vm_drift(vm)
    finally:
        await console.close()


@pytest.mark.asyncio
async def test_a_locked_tray_is_refused_by_the_guest(booted: tuple[DaemonProcess, Any, str]) -> None:
    _, api, vm = booted
    iso = tools_iso(api)
    (cd,) = [b for b in api.VM.get_VBDs(vm) if api.VBD.get_type(b) == "CD"]
    console = await guest(booted)
    try:
        api.VBD.insert(cd, iso)
        assert (await shell(console, "mount -t iso9660 -o ro /dev/sr0 /mnt && cat /mnt/hello.txt"))[0] == 0
        assert error(api.VBD.eject, cd) == ["VBD_TRAY_LOCKED", cd]
        assert api.xenia.vm_drift(vm)["VBD 3"] == {"persistent": "empty", "live": api.VDI.get_uuid(iso),
                                                   "state": "refused_by_guest"}  # fmt: skip
        assert (await shell(console, "umount /mnt"))[0] == 0
        api.VBD.eject(cd)
        assert "VBD 3" not in api.xenia.vm_drift(vm)
    finally:
        await console.close()


@pytest.mark.asyncio
async def test_a_hot_plugged_disk_arrives_takes_writes_and_leaves(booted: tuple[DaemonProcess, Any, str]) -> None:
    _, api, vm = booted
    sr = api.VBD.get_VDI([b for b in api.VM.get_VBDs(vm) if api.VBD.get_type(b) == "Disk"][0])
    vdi = api.VDI.create({"SR": api.VDI.get_SR(sr), "name_label": "hot", "virtual_size": str(8 * MiB),
                          "type": "user", "sharable": False, "read_only": False, "other_config": {}})  # fmt: skip
    vbd = api.VBD.create({"VM": vm, "VDI": vdi, "userdevice": "5", "bootable": False, "mode": "RW", "type": "Disk",
                          "unpluggable": True, "empty": False, "other_config": {}, "qos_algorithm_type": "",
                          "qos_algorithm_params": {}})  # fmt: skip
    console = await guest(booted)
    try:
        assert (await shell(console, "test -b /dev/sda"))[0] != 0
        api.VBD.plug(vbd)
        assert api.VBD.get_currently_attached(vbd) is True
        await guest_sees(console, "test -b /dev/sda")
        status, out = await shell(console, "echo hot-written > /dev/sda && sync && head -c 11 /dev/sda")
        assert status == 0 and out.strip().endswith("hot-written")
        api.VBD.unplug(vbd)
        assert api.VBD.get_currently_attached(vbd) is False
        await guest_sees(console, "! test -b /dev/sda")
    finally:
        await console.close()
    api.VBD.destroy(vbd)
    api.VDI.destroy(vdi)


@pytest.mark.asyncio
async def test_a_hot_plugged_nic_arrives_and_leaves(booted: tuple[DaemonProcess, Any, str]) -> None:
    _, api, vm = booted
    vif = api.VIF.create({"device": "1", "network": api.network.get_all()[0], "VM": vm, "MAC": "",
                          "MTU": "1500", "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})
    mac = api.VIF.get_MAC(vif)
    console = await guest(booted)
    try:
        api.VIF.plug(vif)
        assert api.VIF.get_currently_attached(vif) is True
        await guest_sees(console, f"grep -qx {mac} /sys/class/net/*/address")
        api.VIF.unplug(vif)
        assert api.VIF.get_currently_attached(vif) is False
        await guest_sees(console, f"! grep -qx {mac} /sys/class/net/*/address")
    finally:
        await console.close()
    api.VIF.destroy(vif)


@pytest.mark.asyncio
async def test_a_balloon_the_guest_cannot_fill_ends_partial(booted: tuple[DaemonProcess, Any, str]) -> None:
    _, api, vm = booted
    api.VM.set_memory_dynamic_range(vm, str(16 * MiB), str(16 * MiB))  # less than the guest's kernel and files
    wait_for(lambda: api.xenia.vm_drift(vm).get("memory_dynamic_max", {}).get("state") == "partial",
             "the balloon to stop short")  # fmt: skip
    reached = int(api.xenia.vm_drift(vm)["memory_dynamic_max"]["live"])
    assert 16 * MiB + MiB < reached < 512 * MiB
    uuid = api.VM.get_uuid(vm)
    assert any(m["name"] == "XENIA_LIVE_CHANGE_PARTIAL" and m["obj_uuid"] == uuid
               for m in api.message.get_all_records().values())  # fmt: skip
    console = await guest(booted)
    try:
        assert (await shell(console, "true"))[0] == 0  # the guest lives on with what it kept
    finally:
        await console.close()
    api.VM.set_memory_dynamic_range(vm, str(16 * MiB), str(512 * MiB))
    api.VM.wait_memory_target_live(vm)


def test_a_static_change_waits_for_the_reboot(booted: tuple[DaemonProcess, Any, str]) -> None:
    _, api, vm = booted
    assert api.xenia.vm_set(vm, "memory_static_max", str(640 * MiB), "both") == {
        "persistent": "changed", "live": "pending_reboot"}  # fmt: skip
    assert api.VM.get_requires_reboot(vm) is True
    assert api.xenia.vm_drift(vm)["memory_static_max"]["state"] == "pending_reboot"
    api.VM.hard_reboot(vm)
    wait_booted(api, vm)
    assert api.VM.get_requires_reboot(vm) is False
    drift = api.xenia.vm_drift(vm)
    assert all(entry["state"] == "applying" for entry in drift.values()), drift  # nothing left pending
    # a freshly booted guest may still be ballooning down to its target: bounded rounds, not a timing check
    deadline = time.monotonic() + 180
    while drift and time.monotonic() < deadline:
        time.sleep(1)
        drift = api.xenia.vm_drift(vm)
    assert drift == {}


def guest_metrics(api: Any, vm: str) -> dict[str, Any]:
    gm = api.VM.get_guest_metrics(vm)
    return {} if gm == NULL else dict(api.VM_guest_metrics.get_record(gm))


@pytest.mark.asyncio
async def test_guest_metrics_show_what_the_guest_agent_says(booted: tuple[DaemonProcess, Any, str]) -> None:
    _, api, vm = booted
    console = await guest(booted)
    try:
        await guest_sees(console, "ip -4 -o addr show eth0 | grep -q inet")  # its DHCP lease
        address = (await shell(console, "ip -4 -o addr show eth0"))[1].split("inet ")[1].split("/")[0]
        uname = (await shell(console, "uname -r"))[1].strip()
        lines = (await shell(console, "cat /etc/os-release"))[1].splitlines()
        release = dict((k, v.strip().strip('"')) for k, _, v in (line.partition("=") for line in lines) if v)
        version = (await shell(console, "qemu-ga --version"))[1].split()[-1]
    finally:
        await console.close()
    wait_for(lambda: guest_metrics(api, vm).get("networks", {}).get("0/ip") == address, "the guest's address")
    gm = guest_metrics(api, vm)
    assert gm["networks"]["0/ipv4/0"] == address  # xapi's keys: "<device>/ip" and "<device>/ipv4/<n>"
    assert gm["os_version"]["uname"] == uname
    assert gm["os_version"]["distro"] == release["ID"]
    assert gm["os_version"]["major"] == release["VERSION_ID"].split(".")[0]
    assert gm["os_version"]["name"] == release["PRETTY_NAME"]
    major, minor, micro = version.split(".")[:3]
    assert gm["PV_drivers_version"] == {"major": major, "minor": minor, "micro": micro,
                                        "application": "qemu-guest-agent"}  # fmt: skip
    assert (gm["can_use_hotplug_vbd"], gm["can_use_hotplug_vif"]) == ("unspecified", "unspecified")
    assert gm["memory"] == {}  # xapi: "exists but has no data"


@pytest.mark.asyncio
async def test_devices_present_at_boot_leave_and_come_back(booted: tuple[DaemonProcess, Any, str]) -> None:
    """The disk and the NIC the VM booted with can be unplugged from the running guest and plugged again
    (the last test of the module: the disk comes back on the SCSI bus, the NIC without a DHCP lease)."""
    _, api, vm = booted
    (disk,) = [b for b in api.VM.get_VBDs(vm) if api.VBD.get_type(b) == "Disk" and api.VBD.get_userdevice(b) == "0"]
    (vif,) = [v for v in api.VM.get_VIFs(vm) if api.VIF.get_device(v) == "0"]
    mac = api.VIF.get_MAC(vif)
    console = await guest(booted)
    try:
        assert (await shell(console, "test -b /dev/vda"))[0] == 0
        disks_before = (await shell(console, "ls /sys/block"))[1].split()
        api.VBD.unplug(disk)
        assert api.VBD.get_currently_attached(disk) is False
        await guest_sees(console, "! test -b /dev/vda")
        api.VBD.plug(disk)
        assert api.VBD.get_currently_attached(disk) is True
        await guest_sees(console, f"test $(ls /sys/block | wc -l) -eq {len(disks_before)}")

        await guest_sees(console, f"grep -qx {mac} /sys/class/net/*/address")
        api.VIF.unplug(vif)
        assert api.VIF.get_currently_attached(vif) is False
        await guest_sees(console, f"! grep -qx {mac} /sys/class/net/*/address")
        # the agent no longer lists the NIC: its address leaves the guest metrics
        wait_for(lambda: "0/ip" not in guest_metrics(api, vm).get("networks", {}), "the address to go")
        api.VIF.plug(vif)
        assert api.VIF.get_currently_attached(vif) is True
        await guest_sees(console, f"grep -qx {mac} /sys/class/net/*/address")
    finally:
        await console.close()


@pytest.mark.asyncio
async def test_a_guest_deaf_to_acpi_is_shut_down_cleanly_through_its_agent(
    booted: tuple[DaemonProcess, Any, str],
) -> None:
    """Last of the module: the guest stops listening to the power button (its acpid killed), yet
    VM.clean_shutdown ends with the guest powering itself off, asked by xenia through qemu-ga."""
    _, api, vm = booted
    wait_for(lambda: "major" in guest_metrics(api, vm).get("PV_drivers_version", {}), "the agent to answer")
    console = await guest(booted)
    try:
        assert (await shell(console, "killall acpid"))[0] == 0
    finally:
        await console.close()
    api.VM.clean_shutdown(vm)
    assert api.VM.get_power_state(vm) == "Halted"
