"""Hot-plug of disks and NICs into a running QEMU domain (issue 14).

Disks go onto the virtio-scsi controller every domain has (``scsi-hd`` on ``scsi0.0``): SCSI
hot-plug needs no free PCI slot and the guest's ``virtio_scsi`` driver sees the disk arrive and
leave by itself.  The image is opened with ``blockdev-add`` (file, then its format) and shown to
the guest with ``device_add``; unplug is ``device_del`` then ``blockdev-del`` of both nodes.

NICs need a hot-pluggable PCI slot: q35's root bus has none, so every domain is built with
:data:`xenia.drivers.qemu.argv.HOTPLUG_PORTS` empty ``pcie-root-port`` s and a NIC goes into the
first free one (``netdev_add`` + ``device_add virtio-net-pci``); a NIC that was present at boot and
unplugged since goes back into its own port.

Devices present at boot leave the same way: every virtio disk and NIC of the spec sits in a root
port of its own (:mod:`.argv`), so unplug is the same ``device_del`` and wait for the guest.  IDE
disks and CD drives cannot leave a running machine (QEMU's IDE bus and the CD's place are fixed):
unplugging one is refused before QEMU is asked.  A NIC on a host bridge gets a tap
the driver opens, passed to QEMU with ``getfd`` (as at create).  PCIe unplug needs the guest: Linux
releases the device after its attention-button delay (5 s), so unplug waits for QEMU to report the
device gone (at most :data:`UNPLUG_TIMEOUT`) before removing the backend.

The domain record's spec follows every plug and unplug, so a restarted daemon adopts the domain with
its devices as they are.  A suspend image of a domain with hot-plugged devices is not resumable: the
resumed domain is built from the VM's configuration, where a hot-plugged disk is ``virtio-blk`` (see
``docs/liveconfig.md``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
from typing import TYPE_CHECKING

from xenia.drivers.base import DiskKind, DiskMode, DiskSpec, NicSpec, RunState
from xenia.drivers.errors import BackendFailure, DeviceExists, InvalidArgument, NoSuchDevice
from xenia.drivers.qemu import qos
from xenia.drivers.qemu.argv import HOTPLUG_PORTS, PLATFORM_DISK_BUS, disk_id, nic_id, port_id
from xenia.drivers.qemu.net import host_bridges, open_tap, tap_name
from xenia.drivers.qemu.storage import image_format

if TYPE_CHECKING:
    from xenia.drivers.qemu.domain import Domain

__all__ = ["plug_disk", "plug_nic", "unplug_disk", "unplug_nic"]

_LIVE = (RunState.RUNNING, RunState.PAUSED)
#: seconds unplug waits for the guest to release a PCIe device (Linux waits 5 s before it does)
UNPLUG_TIMEOUT = 30.0


async def _gone(dom: Domain, qdev_id: str, timeout: float) -> bool:
    """Wait until QEMU no longer has the device ``qdev_id`` (the guest released it)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        children = await dom.execute("qom-list", {"path": "/machine/peripheral"})
        if all(c["name"] != qdev_id for c in children):
            return True
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.1)


async def _release(dom: Domain, command: str, arguments: dict[str, str]) -> None:
    """Remove a backend the unplugged device held: QEMU lets go of it a moment after the device left
    ``/machine/peripheral`` (its ``DEVICE_DELETED``), so "in use" is retried for a while."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + UNPLUG_TIMEOUT
    while True:
        try:
            await dom.execute(command, arguments)
            return
        except BackendFailure as e:
            if "in use" not in str(e) or loop.time() > deadline:
                raise
        await asyncio.sleep(0.1)


async def plug_disk(dom: Domain, disk: DiskSpec) -> None:
    spec = dom.record.spec
    if any(d.userdevice == disk.userdevice for d in spec.disks):
        raise DeviceExists(dom.vm_uuid, "disk", disk.userdevice)
    if disk.kind is DiskKind.CD or disk.path is None:
        raise InvalidArgument("only a disk with an image can be hot-plugged; CD drives are fixed at create")
    await dom.require(*_LIVE)
    did = disk_id(disk.userdevice)
    ro = disk.mode is DiskMode.RO
    fmt = await asyncio.to_thread(image_format, disk.path)
    await dom.execute("blockdev-add", {"driver": "file", "node-name": f"{did}-file", "filename": disk.path,
                                       "read-only": ro})  # fmt: skip
    try:
        await dom.execute("blockdev-add", {"driver": fmt, "node-name": f"{did}-fmt", "file": f"{did}-file",
                                           "read-only": ro})  # fmt: skip
        try:
            await dom.execute("device_add", {"driver": "scsi-hd", "id": did, "bus": "scsi0.0", "drive": f"{did}-fmt"})
        except BackendFailure:
            await dom.execute("blockdev-del", {"node-name": f"{did}-fmt"})
            raise
    except BackendFailure:
        await dom.execute("blockdev-del", {"node-name": f"{did}-file"})
        raise
    if disk.qos.limited:
        await dom.execute("block_set_io_throttle", qos.throttle_arguments(did, disk.qos))
    dom.record.spec = dataclasses.replace(spec, disks=(*spec.disks, disk))
    dom.persist()


async def unplug_disk(dom: Domain, userdevice: str) -> None:
    spec = dom.record.spec
    disk = next((d for d in spec.disks if d.userdevice == userdevice), None)
    if disk is None:
        raise NoSuchDevice(dom.vm_uuid, "disk", userdevice)
    if disk.kind is DiskKind.CD:
        raise InvalidArgument("a CD drive is fixed at create: eject its media instead")
    await dom.require(*_LIVE)
    did = disk_id(userdevice)
    if not await _unpluggable(dom, did):
        raise InvalidArgument(f"disk {userdevice} is on the IDE bus ({PLATFORM_DISK_BUS}=ide), which is fixed at create")
    await dom.execute("device_del", {"id": did})
    if not await _gone(dom, did, UNPLUG_TIMEOUT):
        raise BackendFailure(f"the guest of VM {dom.vm_uuid} did not release disk {userdevice}")
    for node in (f"{did}-fmt", f"{did}-file"):
        await _release(dom, "blockdev-del", {"node-name": node})
    dom.record.spec = dataclasses.replace(spec, disks=tuple(d for d in spec.disks if d.userdevice != userdevice))
    dom.persist()


async def _parent_bus(dom: Domain, qdev_id: str) -> str:
    """The id of the bus device ``qdev_id`` sits on (a root port's bus has the port's id)."""
    path = {"path": f"/machine/peripheral/{qdev_id}", "property": "parent_bus"}
    return str(await dom.execute("qom-get", path)).rsplit("/", 1)[-1]


async def _unpluggable(dom: Domain, qdev_id: str) -> bool:
    """Whether the disk can leave: it sits in a PCIe root port (or on the virtio-scsi bus), not on IDE."""
    bus = await _parent_bus(dom, qdev_id)
    return bus.startswith(("hp", "vbd", "scsi0"))


async def _free_port(dom: Domain, nid: str) -> str:
    """The NIC's own root port if it was present at boot and its port is empty, else a free hot-plug port."""
    children = {c["name"] for c in await dom.execute("qom-list", {"path": "/machine/peripheral"})}
    used = {await _parent_bus(dom, name) for name in children if name.startswith("vif") and not name.endswith("-port")}
    for port in (port_id(nid), *(f"hp{n}" for n in range(HOTPLUG_PORTS))):
        if port in children and port not in used:
            return port
    raise BackendFailure(f"VM {dom.vm_uuid}: all {HOTPLUG_PORTS} hot-plug slots are taken")


async def plug_nic(dom: Domain, nic: NicSpec) -> None:
    spec = dom.record.spec
    if any(n.device == nic.device for n in spec.nics):
        raise DeviceExists(dom.vm_uuid, "NIC", nic.device)
    await dom.require(*_LIVE)
    port = await _free_port(dom, nic_id(nic.device))
    netdev = f"net{nic.device}"
    if nic.bridge in host_bridges():
        fd = await asyncio.to_thread(open_tap, tap_name(dom.domid, nic.device), nic.bridge, nic.mtu)
        try:
            await dom.qmp.execute_with_fd("getfd", {"fdname": netdev}, fd)
        finally:
            os.close(fd)
        await dom.execute("netdev_add", {"type": "tap", "id": netdev, "fd": netdev})
    else:
        await dom.execute("netdev_add", {"type": "user", "id": netdev})
    device = {"driver": "virtio-net-pci", "id": nic_id(nic.device), "netdev": netdev, "mac": nic.mac, "bus": port}
    if nic.mtu != 1500:
        device["host_mtu"] = str(nic.mtu)
    try:
        await dom.execute("device_add", device)
    except BackendFailure:
        await dom.execute("netdev_del", {"id": netdev})
        raise
    dom.record.spec = dataclasses.replace(spec, nics=(*spec.nics, nic))
    dom.persist()
    if dom.agent is not None:  # the guest agent will list the NIC
        dom.agent.poke()
    if nic.rate_kbps and nic.bridge in host_bridges():
        await asyncio.to_thread(qos.shape_tap, tap_name(dom.domid, nic.device), nic.rate_kbps)


async def unplug_nic(dom: Domain, device: str) -> None:
    spec = dom.record.spec
    if all(n.device != device for n in spec.nics):
        raise NoSuchDevice(dom.vm_uuid, "NIC", device)
    await dom.require(*_LIVE)
    nid = nic_id(device)
    await dom.execute("device_del", {"id": nid})
    if not await _gone(dom, nid, UNPLUG_TIMEOUT):
        raise BackendFailure(f"the guest of VM {dom.vm_uuid} did not release NIC {device}")
    await _release(dom, "netdev_del", {"id": f"net{device}"})
    dom.record.spec = dataclasses.replace(spec, nics=tuple(n for n in spec.nics if n.device != device))
    dom.persist()
    if dom.agent is not None:  # its addresses leave the guest metrics
        dom.agent.poke()
