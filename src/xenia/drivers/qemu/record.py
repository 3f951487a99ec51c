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

from xenia.drivers.base import DomainSpec, ShutdownReason
from xenia.drivers.qemu.argv import Accel
from xenia.drivers.specjson import spec_from_json, spec_to_json

__all__ = ["DomainRecord", "spec_from_json", "spec_to_json"]  # re-exported from xenia.drivers.specjson

_VERSION = 1


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
