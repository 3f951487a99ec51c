"""The driver's per-domain record on disk (``d<domid>/domain.json``): what adoption reads back.

Only facts QEMU cannot tell a new driver instance are kept here: the spec the domain was built
from, its domid, when it started, why it shut down (QEMU's status says ``shutdown`` but not
whether the guest powered off or asked for a reboot), the balloon target, and the CD media.
Everything else (run state, balloon actual, tray) is asked of QEMU afresh.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xenia.drivers.base import DiskKind, DiskMode, DiskSpec, DomainSpec, NicSpec, ShutdownReason
from xenia.drivers.qemu.argv import Accel

__all__ = ["DomainRecord", "spec_from_json", "spec_to_json"]

_VERSION = 1


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
            }
            for d in spec.disks
        ],
        "nics": [{"device": n.device, "mac": n.mac, "bridge": n.bridge, "mtu": n.mtu} for n in spec.nics],
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
            DiskSpec(d["userdevice"], d["path"], DiskKind(d["kind"]), DiskMode(d["mode"]), d["bootable"])
            for d in obj["disks"]
        ),
        nics=tuple(NicSpec(n["device"], n["mac"], n["bridge"], n["mtu"]) for n in obj["nics"]),
        platform=obj["platform"],
        other_config=obj["other_config"],
        boot_order=obj["boot_order"],
        kernel=obj.get("kernel"),
        initrd=obj.get("initrd"),
        cmdline=obj.get("cmdline", ""),
    )


@dataclass
class DomainRecord:
    """Mutable facts of one domain that must survive a daemon restart."""

    spec: DomainSpec
    domid: int
    accel: Accel
    start_time: float
    memory_target: int
    #: Current media per CD ``userdevice`` (``None``: empty drive).
    media: dict[str, str | None] = field(default_factory=dict)
    #: CD drives whose tray the driver opened (eject) and has not closed since (insert).
    trays_open: list[str] = field(default_factory=list)
    shutdown_reason: ShutdownReason | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "version": _VERSION,
            "spec": spec_to_json(self.spec),
            "domid": self.domid,
            "accel": self.accel.value,
            "start_time": self.start_time,
            "memory_target": self.memory_target,
            "media": self.media,
            "trays_open": self.trays_open,
            "shutdown_reason": self.shutdown_reason.value if self.shutdown_reason else None,
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> DomainRecord:
        if obj.get("version") != _VERSION:
            raise ValueError(f"unknown domain record version {obj.get('version')!r}")
        reason = obj.get("shutdown_reason")
        return cls(
            spec=spec_from_json(obj["spec"]),
            domid=int(obj["domid"]),
            accel=Accel(obj["accel"]),
            start_time=float(obj["start_time"]),
            memory_target=int(obj["memory_target"]),
            media=dict(obj.get("media", {})),
            trays_open=list(obj.get("trays_open", [])),
            shutdown_reason=ShutdownReason(reason) if reason else None,
        )

    def save(self, path: Path) -> None:
        """Write atomically (a crash leaves the old or the new record, never half of one)."""
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.to_json()))
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> DomainRecord:
        """:raises OSError, ValueError, KeyError: missing or unreadable record."""
        return cls.from_json(json.loads(path.read_text()))
