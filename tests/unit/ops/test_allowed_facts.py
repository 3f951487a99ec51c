"""``allowed_operations`` follows the facts of a VM's metrics and guest metrics it depends on (how the
VM booted, what its guest reported), and only those: the metrics collector rewriting
``VCPUs_utilisation`` of every running VM leaves it as it is (issue 12: that refresh ran for
thousands of VMs a minute)."""

from __future__ import annotations

import os
from pathlib import Path

from xenia.datamodel import MODEL
from xenia.db import Db
from xenia.drivers.base import DriverConfig
from xenia.drivers.sim import SimDriver
from xenia.firstboot import initialise
from xenia.ops.engine import Ops


def test_allowed_operations_follow_boot_mode_and_guest_features_not_utilisation(tmp_path: Path) -> None:
    os.environ.setdefault("XENIA_ROOT_PASSWORD", "xenia-test-pw")
    db = Db(MODEL)
    identity = initialise(db, tmp_path)
    driver = SimDriver(DriverConfig(state_dir=tmp_path, options={"state": "memory"}))
    ops = Ops(db, driver, identity.host_ref, shutdown_timeout=30)
    try:
        metrics = db.create("VM_metrics", {"current_domain_type": "hvm"})
        vm = db.create("VM", {"name_label": "hvm guest", "metrics": metrics, "power_state": "Running", "domid": 7,
                              "resident_on": identity.host_ref})  # fmt: skip
        db.set("VM", vm, "name_description", "running")  # the VM touched: allowed_operations computed
        # xapi's check_op_for_feature: a running HVM guest with no agent cannot be asked to shut down
        assert "clean_shutdown" not in db.get("VM", vm)["allowed_operations"]
        assert "hard_shutdown" in db.get("VM", vm)["allowed_operations"]

        events = db.gen
        db.update("VM_metrics", metrics, VCPUs_utilisation={0: 0.25})
        assert db.gen == events + 1  # one change (the metrics record), no write to the VM
        assert "clean_shutdown" not in db.get("VM", vm)["allowed_operations"]

        db.set("VM_metrics", metrics, "current_domain_type", "pv")  # a PV guest has the implicit features
        assert "clean_shutdown" in db.get("VM", vm)["allowed_operations"]

        db.set("VM_metrics", metrics, "current_domain_type", "hvm")
        guest = db.create("VM_guest_metrics", {})
        db.set("VM", vm, "guest_metrics", guest)
        assert "clean_shutdown" not in db.get("VM", vm)["allowed_operations"]
        db.set("VM_guest_metrics", guest, "other", {"feature-poweroff": "1"})  # the agent reports the feature
        assert "clean_shutdown" in db.get("VM", vm)["allowed_operations"]
    finally:
        ops._unwatch_db()
        ops._unfinish()
