"""DomainSpec as plain JSON data: the one on-disk form both drivers keep their domains' specs in
(sim's state table and suspend images, qemu's ``domain.json``), so a spec round-trips the same way
whatever the driver."""

from __future__ import annotations

import dataclasses
from typing import Any

from xenia.drivers.base import DiskKind, DiskMode, DiskQos, DiskSpec, DomainSpec, NicSpec

__all__ = ["spec_from_json", "spec_to_json"]


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
    """The inverse of :func:`spec_to_json`."""
    return DomainSpec(
        vm_uuid=obj["vm_uuid"],
        name=obj["name"],
        vcpus_max=obj["vcpus_max"],
        vcpus_at_startup=obj["vcpus_at_startup"],
        memory_static_max=obj["memory_static_max"],
        memory_dynamic_min=obj["memory_dynamic_min"],
        memory_dynamic_max=obj["memory_dynamic_max"],
        memory_target=obj["memory_target"],
        disks=tuple(
            DiskSpec(d["userdevice"], d["path"], DiskKind(d["kind"]), DiskMode(d["mode"]), d["bootable"],
                     DiskQos(**d.get("qos", {})))
            for d in obj["disks"]
        ),
        nics=tuple(NicSpec(n["device"], n["mac"], n["bridge"], n["mtu"], n.get("rate_kbps", 0)) for n in obj["nics"]),
        platform=obj["platform"],
        other_config=obj["other_config"],
        boot_order=obj["boot_order"],
        kernel=obj.get("kernel"),
        initrd=obj.get("initrd"),
        cmdline=obj.get("cmdline", ""),
    )
