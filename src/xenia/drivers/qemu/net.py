"""Tap devices for NICs on a host bridge, made by the driver and handed to QEMU as descriptors.

When a NIC's ``bridge`` names a Linux bridge on the host, the driver opens a tap device itself
(``/dev/net/tun``, ``TUNSETIFF``), enslaves it to the bridge, brings it up and passes the
descriptor to QEMU (``-netdev tap,fd=N``), the way libvirt does. QEMU then needs no privileges
and no bridge helper ACL, and the tap's host counters give the NIC's traffic (QEMU 7.2 has no NIC
counters over QMP). The tap is not persistent: it disappears with the last descriptor, i.e. when
QEMU exits. Every other NIC gets QEMU's user networking.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import struct
from pathlib import Path

__all__ = ["host_bridges", "open_tap", "tap_name", "tap_stats"]

_TUNSETIFF = 0x400454CA
_IFF_TAP, _IFF_NO_PI, _IFF_VNET_HDR = 0x0002, 0x1000, 0x4000
_SIOCGIFINDEX, _SIOCGIFFLAGS, _SIOCSIFFLAGS, _SIOCSIFMTU, _SIOCBRADDIF = 0x8933, 0x8913, 0x8914, 0x8922, 0x89A2
_IFF_UP = 0x1


def host_bridges() -> frozenset[str]:
    """Names of the Linux bridges on this host."""
    try:
        return frozenset(p.name for p in Path("/sys/class/net").iterdir() if (p / "bridge").exists())
    except OSError:
        return frozenset()


def tap_name(domid: int, device: str) -> str:
    """The tap of NIC ``device`` of domain ``domid`` (at most 15 characters, as Linux requires)."""
    name = f"xq{domid}n{device}"
    if len(name) > 15:
        raise ValueError(f"tap name {name!r} too long")
    return name


def _ifreq(name: str, fmt: str = "", *values: int) -> bytes:
    return struct.pack("16s" + fmt, name.encode(), *values).ljust(40, b"\0")


def open_tap(name: str, bridge: str, mtu: int) -> int:
    """Create tap ``name`` on ``bridge`` with ``mtu``, up; return its descriptor (close-on-exec).

    :raises OSError: no ``/dev/net/tun``, no permission, or no such bridge.
    """
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_CLOEXEC)
    try:
        fcntl.ioctl(fd, _TUNSETIFF, _ifreq(name, "H", _IFF_TAP | _IFF_NO_PI | _IFF_VNET_HDR))
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as ctl:
            index = struct.unpack_from("i", fcntl.ioctl(ctl, _SIOCGIFINDEX, _ifreq(name)), 16)[0]
            fcntl.ioctl(ctl, _SIOCSIFMTU, _ifreq(name, "i", mtu))
            fcntl.ioctl(ctl, _SIOCBRADDIF, _ifreq(bridge, "i", index))
            flags = struct.unpack_from("H", fcntl.ioctl(ctl, _SIOCGIFFLAGS, _ifreq(name)), 16)[0]
            fcntl.ioctl(ctl, _SIOCSIFFLAGS, _ifreq(name, "H", flags | _IFF_UP))
    except OSError:
        os.close(fd)
        raise
    return fd


def tap_stats(name: str) -> tuple[int, int, int, int, int, int, int, int] | None:
    """The guest's view of a tap: (rx bytes, tx bytes, rx packets, tx packets, rx errors, tx errors,
    rx drops, tx drops) -- the host's transmit is the guest's receive -- if the tap exists."""
    stats = Path("/sys/class/net") / name / "statistics"
    with contextlib.suppress(OSError, ValueError):

        def read(counter: str) -> int:
            return int((stats / counter).read_text())

        return (
            read("tx_bytes"), read("rx_bytes"), read("tx_packets"), read("rx_packets"),
            read("tx_errors"), read("rx_errors"), read("tx_dropped"), read("rx_dropped"),
        )  # fmt: skip
    return None
