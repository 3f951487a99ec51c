"""Host facts and the choice of accelerator.

``/dev/kvm`` existing is not proof that KVM can run a guest: on the machines xenia is developed
on it is a nested software backend (PVM) under which firmware runs but a Linux kernel does not
boot (qemu.md §0). So ``auto`` picks KVM only when the CPU advertises hardware virtualisation
(``vmx``/``svm``), the kvm_pvm module is not what provides ``/dev/kvm``, and the device can be
opened; otherwise it falls back to TCG. ``accel=kvm`` / ``accel=tcg`` force a choice.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from xenia.drivers.base import HostInfo
from xenia.drivers.errors import InvalidArgument
from xenia.drivers.qemu.argv import Accel

__all__ = ["host_info", "kvm_usable", "probe_accel"]


def _cpuinfo() -> dict[str, str]:
    facts: dict[str, str] = {}
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return facts
    for line in text.split("\n\n", 1)[0].splitlines():
        key, _, value = line.partition(":")
        facts[key.strip()] = value.strip()
    return facts


def kvm_usable() -> bool:
    """Whether hardware KVM can be expected to boot a guest here."""
    flags = _cpuinfo().get("flags", "").split()
    if "vmx" not in flags and "svm" not in flags:
        return False
    if Path("/sys/module/kvm_pvm").exists():
        return False
    try:
        fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return False
    os.close(fd)
    return True


def probe_accel(option: str) -> Accel:
    """Resolve the ``accel`` driver option (``auto``, ``kvm`` or ``tcg``)."""
    if option == "auto":
        return Accel.KVM if kvm_usable() else Accel.TCG
    try:
        return Accel(option)
    except ValueError as exc:
        raise InvalidArgument(f"accel must be auto, kvm or tcg, got {option!r}", cause=exc) from exc


def meminfo(key: str) -> int:
    """A ``/proc/meminfo`` value in bytes (0 if absent)."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name == key:
            return int(rest.split()[0]) * 1024
    return 0


def host_info(memory_total: int) -> HostInfo:
    """The host's static facts; ``memory_total`` is what the driver may give to domains."""
    cpu = _cpuinfo()
    try:
        mhz = int(float(cpu.get("cpu MHz", "0")))
    except ValueError:
        mhz = 0
    return HostInfo(
        hostname=socket.gethostname(),
        cpu_count=os.cpu_count() or 1,
        cpu_vendor=cpu.get("vendor_id", "unknown"),
        cpu_model=cpu.get("model name", "unknown"),
        cpu_speed_mhz=mhz,
        cpu_flags=tuple(cpu.get("flags", "").split()),
        memory_total=memory_total,
    )
