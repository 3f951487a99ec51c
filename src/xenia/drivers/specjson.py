"""DomainSpec as plain JSON data: the one on-disk form both drivers keep their domains' specs in
(sim's state table and suspend images, qemu's ``domain.json``), so a spec round-trips the same way
whatever the driver."""

from __future__ import annotations

import dataclasses
from typing import Any

from xenia.drivers.base import DiskKind, DiskMode, DiskQos, DiskSpec, DomainSpec, NicSpec

__all__ = ["DISK_KINDS", "DISK_MODES", "disk_qos", "spec_from_json", "spec_to_json"]


def spec_to_json(spec: DomainSpec) -> dict[str, Any]:
    """A JSON-able form of ``spec`` (enums by value)."""
    return {
        "vm_uuid": spec.vm_uuid,
        "name": spec.name,
        "vcpus_max": spec.vcpus_max,
        "vcpus_at_startup": spec.vcpus_at_startup,
        "memory_static_max": spec.memory_static_max,
        "memory_dynamic_min": spec.memory_dynamic_min,
        "memory_dynamic_max": spec.memory_dynamic_max,
        "memory_target": spec.memory_target,
        "disks": [
            {
                "userdevice": d.userdevice,
                "path": d.path,
                "kind": d.kind.value,
                "mode": d.mode.value,
                "bootable": d.bootable,
                "qos": dataclasses.asdict(d.qos),
            }
            for d in spec.disks
        ],
        "nics": [
            {"device": n.device, "mac": n.mac, "bridge": n.bridge, "mtu": n.mtu, "rate_kbps": n.rate_kbps}
            for n in spec.nics
        ],
        "platform": dict(spec.platform),
        "other_config": dict(spec.other_config),
        "boot_order": spec.boot_order,
        "kernel": spec.kernel,
        "initrd": spec.initrd,
        "cmdline": spec.cmdline,
    }


def spec_from_json(obj: dict[str, Any]) -> DomainSpec:
    """The inverse of :func:`spec_to_json`.

    Positional arguments, a table lookup for the enums and no generator for an empty device list:
    a restart decodes every running domain's spec (10 000 in the simulator's table, issue 12), where
    the keyword call and ``DiskKind(value)`` per field were half of the work."""
    disks = obj["disks"]
    nics = obj["nics"]
    return DomainSpec(
        obj["vm_uuid"],
        obj["name"],
        obj["vcpus_max"],
        obj["vcpus_at_startup"],
        obj["memory_static_max"],
        obj["memory_dynamic_min"],
        obj["memory_dynamic_max"],
        obj["memory_target"],
        tuple(
            DiskSpec(d["userdevice"], d["path"], DISK_KINDS[d["kind"]], DISK_MODES[d["mode"]], d["bootable"],
                     disk_qos(d.get("qos")))
            for d in disks
        ) if disks else (),
        tuple(NicSpec(n["device"], n["mac"], n["bridge"], n["mtu"], n.get("rate_kbps", 0)) for n in nics) if nics else (),
        obj["platform"],
        obj["other_config"],
        obj["boot_order"],
        obj.get("kernel"),
        obj.get("initrd"),
        obj.get("cmdline", ""),
    )


#: enum members by value (a dict lookup; ``DiskKind(value)`` goes through ``EnumType.__call__``)
DISK_KINDS: dict[str, DiskKind] = {k.value: k for k in DiskKind}
DISK_MODES: dict[str, DiskMode] = {m.value: m for m in DiskMode}
_NO_QOS = DiskQos()


def disk_qos(obj: dict[str, int] | None) -> DiskQos:
    """The limits in ``obj`` (one shared object when none are set, as for most disks)."""
    if not obj or not any(obj.values()):
        return _NO_QOS
    return DiskQos(**obj)
