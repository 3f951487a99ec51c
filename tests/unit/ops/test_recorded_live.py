"""Adoption skips rewriting a VM whose records already say what its domain is (``is_recorded_live``);
every fact :func:`record.live` writes must be checked, or a restart would keep a stale one (first
principles: the check is true exactly when ``record.live`` would change nothing it owns)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from xenia.datamodel import MODEL
from xenia.datamodel.meta import NULL_REF
from xenia.db import Db
from xenia.drivers.base import DiskKind, DiskMode, DiskState, DomainState, NicSpec, RunState
from xenia.firstboot import initialise
from xenia.ops import record


def _live_vm(tmp_path: Path) -> tuple[Db, str, str, DomainState]:
    os.environ.setdefault("XENIA_ROOT_PASSWORD", "xenia-test-pw")
    db = Db(MODEL)
    host = initialise(db, tmp_path).host_ref
    vm = db.create("VM", {"name_label": "adopted"})
    db.create("VBD", {"VM": vm, "userdevice": "0"})
    db.create("VIF", {"VM": vm, "device": "0"})
    state = DomainState("uuid", 12, RunState.RUNNING, None, 2, 1 << 30, 1 << 30, 1_700_000_000.0,
                        disks=(DiskState("0", "/img", DiskKind.DISK, DiskMode.RW),),
                        nics=(NicSpec("0", "aa:bb:cc:dd:ee:ff", "xenbr0"),),
                        guest_features=frozenset({"feature-poweroff"}))  # fmt: skip
    record.live(db, vm, host, state)
    return db, vm, host, state


def _gm(db: Db, vm: str) -> str:
    ref: str = db.get("VM", vm)["guest_metrics"]
    return ref


def _metrics(db: Db, vm: str) -> str:
    ref: str = db.get("VM", vm)["metrics"]
    return ref


STALE: dict[str, Callable[[Db, str], None]] = {
    "power state": lambda db, vm: db.set("VM", vm, "power_state", "Paused"),
    "domid": lambda db, vm: db.set("VM", vm, "domid", 13),
    "resident_on": lambda db, vm: db.set("VM", vm, "resident_on", NULL_REF),
    "no metrics": lambda db, vm: db.destroy("VM_metrics", _metrics(db, vm)),
    "no guest metrics": lambda db, vm: db.destroy("VM_guest_metrics", _gm(db, vm)),
    "memory": lambda db, vm: db.set("VM_metrics", _metrics(db, vm), "memory_actual", 1 << 29),
    "vcpus": lambda db, vm: db.set("VM_metrics", _metrics(db, vm), "VCPUs_number", 1),
    "start time": lambda db, vm: db.set("VM_metrics", _metrics(db, vm), "start_time", "20200101T00:00:00Z"),
    "metrics state": lambda db, vm: db.set("VM_metrics", _metrics(db, vm), "state", ["halted"]),
    "guest features": lambda db, vm: db.set("VM_guest_metrics", _gm(db, vm), "other", {}),
    "guest not live": lambda db, vm: db.set("VM_guest_metrics", _gm(db, vm), "live", False),
    "VBD detached": lambda db, vm: db.set("VBD", db.referrers("VBD", "VM", vm)[0], "currently_attached", False),
    "VIF detached": lambda db, vm: db.set("VIF", db.referrers("VIF", "VM", vm)[0], "currently_attached", False),
}


@pytest.mark.parametrize("fact", sorted(STALE))
def test_a_stale_fact_is_not_taken_as_recorded(tmp_path: Path, fact: str) -> None:
    db, vm, host, state = _live_vm(tmp_path)
    assert record.is_recorded_live(db, vm, host, state)
    STALE[fact](db, vm)
    assert not record.is_recorded_live(db, vm, host, state)
