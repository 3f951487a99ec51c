"""Disk and NIC limits of a QEMU domain: block throttling over QMP, tap shaping with ``tc``.

Disks: ``block_set_io_throttle`` on the device's block backend (see :func:`backend_id`), QEMU's own
leaky-bucket throttling; ``query-block`` shows the limits in force.  It is applied right after QEMU
starts, while the domain is still paused (``-S``), so the guest never runs a moment unthrottled; the
command line carries no limits because ``-blockdev`` has no option for the backend's throttling (a
``throttle`` filter node would be one, but could not be changed or removed later without reopening the
chain).  A live change is the same command.

NICs: a NIC on a host bridge is a tap the driver made (:mod:`.net`); its cap is a token bucket filter
(``tbf``, with ``tc`` from iproute2) on the tap's egress, i.e. what the guest *receives*.  Xen's netback
limits the other direction (what the guest sends); shaping a tap's ingress takes ``tc`` actions
(``police`` or ``mirred`` to an ifb) that kernels without ``act_police``/``act_mirred`` (this build
machine's) refuse, so xenia does not rely on them.  A NIC on QEMU's user networking has no host device
to shape: its cap is kept and not applied (``docs/qos.md``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from xenia.drivers.base import DiskKind, DiskQos, RunState
from xenia.drivers.errors import BackendFailure, NoSuchDevice
from xenia.drivers.qemu.argv import disk_id
from xenia.drivers.qemu.net import tap_name

if TYPE_CHECKING:
    from xenia.drivers.qemu.domain import Domain

__all__ = ["apply_at_start", "backend_id", "set_disk_qos", "set_nic_rate", "shape_nics", "shape_tap", "throttle", "throttle_arguments"]

log = logging.getLogger(__name__)

_LIVE = (RunState.RUNNING, RunState.PAUSED)
#: the token bucket's burst: a tenth of a second at the cap, at least a few full frames
_BURST_SECONDS = 0.1
_MIN_BURST = 16 * 1024


def throttle_arguments(qdev_id: str, qos: DiskQos) -> dict[str, object]:
    """The ``block_set_io_throttle`` arguments for ``qos`` (all six limits are required; 0 = none)."""
    return {"id": qdev_id, **dataclasses.asdict(qos)}


async def backend_id(dom: Domain, qdev_id: str) -> str:
    """The id ``block_set_io_throttle`` takes for device ``qdev_id``: the id itself for SCSI and IDE
    disks, the QOM path of the inner device for ``virtio-blk-pci`` (whose proxy has no block backend),
    as ``query-block`` names it."""
    for block in await dom.execute("query-block"):
        qdev = str(block.get("qdev", ""))
        if qdev in (qdev_id, f"/machine/peripheral/{qdev_id}/virtio-backend"):
            return qdev
    raise BackendFailure(f"VM {dom.vm_uuid}: QEMU has no drive for device {qdev_id}")


async def throttle(dom: Domain, userdevice: str, qos: DiskQos) -> None:
    """Put ``qos`` in force on the drive at ``userdevice`` (it must have a medium)."""
    qdev = await backend_id(dom, disk_id(userdevice))
    await dom.execute("block_set_io_throttle", throttle_arguments(qdev, qos))


def _tc(*args: str) -> None:
    done = subprocess.run(["tc", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackendFailure(f"tc {' '.join(args)}: {done.stderr.strip() or done.returncode}")


def shape_tap(tap: str, kbps: int) -> None:
    """Cap what ``tap`` passes to its guest to ``kbps`` KiB/s (0: remove the cap)."""
    if kbps <= 0:
        subprocess.run(["tc", "qdisc", "del", "dev", tap, "root"], capture_output=True, check=False)
        return
    burst = str(max(_MIN_BURST, int(kbps * 1024 * _BURST_SECONDS)))
    _tc("qdisc", "replace", "dev", tap, "root", "tbf", "rate", f"{kbps * 1024 * 8}bit", "burst", burst,
        "latency", "100ms")  # fmt: skip


def _tap_of(dom: Domain, device: str) -> str | None:
    """The tap of NIC ``device`` if it has one on this host."""
    name = tap_name(dom.domid, device)
    return name if Path("/sys/class/net", name).exists() else None


async def apply_at_start(dom: Domain) -> None:
    """Put the spec's limits in force on a domain QEMU has just started (still paused)."""
    for disk in dom.record.spec.disks:
        if disk.qos.limited and dom.record.media.get(disk.userdevice, disk.path) is not None:
            await throttle(dom, disk.userdevice, disk.qos)
    await shape_nics(dom)


async def shape_nics(dom: Domain) -> None:
    """Shape the taps of the spec's capped NICs."""
    for nic in dom.record.spec.nics:
        tap = _tap_of(dom, nic.device)
        if nic.rate_kbps and tap is not None:
            await asyncio.to_thread(shape_tap, tap, nic.rate_kbps)


async def set_disk_qos(dom: Domain, userdevice: str, qos: DiskQos) -> None:
    """Change the limits of an attached disk; the domain record follows (adoption keeps them)."""
    spec = dom.record.spec
    disk = next((d for d in spec.disks if d.userdevice == userdevice), None)
    if disk is None:
        raise NoSuchDevice(dom.vm_uuid, "disk", userdevice)
    await dom.require(*_LIVE)
    if (dom.record.media.get(userdevice) if disk.kind is DiskKind.CD else disk.path) is not None:
        await throttle(dom, userdevice, qos)
    new = dataclasses.replace(disk, qos=qos)
    dom.record.spec = dataclasses.replace(spec, disks=tuple(new if d is disk else d for d in spec.disks))
    dom.persist()


async def set_nic_rate(dom: Domain, device: str, kbps: int) -> None:
    """Change the cap of a NIC: shape its tap if it has one, and remember it either way."""
    spec = dom.record.spec
    nic = next((n for n in spec.nics if n.device == device), None)
    if nic is None:
        raise NoSuchDevice(dom.vm_uuid, "NIC", device)
    await dom.require(*_LIVE)
    tap = _tap_of(dom, device)
    if tap is not None:
        await asyncio.to_thread(shape_tap, tap, kbps)
    else:
        log.info("VM %s: NIC %s has no tap (user networking): its cap is kept, not applied", dom.vm_uuid, device)
    new = dataclasses.replace(nic, rate_kbps=kbps)
    dom.record.spec = dataclasses.replace(spec, nics=tuple(new if n is nic else n for n in spec.nics))
    dom.persist()
