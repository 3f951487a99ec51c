"""RRDs survive a restart and a SIGKILL (losing at most one save interval), are kept when a VM
halts and are deleted with the VM -- through the real daemon, as xapi keeps a halted VM's RRD.
"""

from __future__ import annotations

import math
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

from .test_api import get, make_vm, wait_for

ARGS = ["--metrics-tick", "1", "--metrics-save-interval", "1"]
SAVE_INTERVAL = 1.0


@pytest.fixture
def state(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path


def login(daemon: DaemonProcess) -> tuple[Any, str]:
    session = XenAPI.Session(daemon.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "xenia-metrics-persistence")
    return session.xenapi, session._session


def cpu_rows(daemon: DaemonProcess, sid: str, uuid: str, kind: str = "vm", name: str = "cpu0") -> dict[int, float] | None:
    """Time -> value of the known rows of a source in the 5 s archive of a VM's (or an SR's)
    RRD (None: no RRD)."""
    status, _, body = get(f"{daemon.url}/{kind}_rrd?session_id={sid}&uuid={uuid}")
    if status == 404:
        return None
    root = ET.fromstring(body)
    col = [d.findtext("name") for d in root.findall("ds")].index(name)
    rows = root.findall("rra")[0].findall("database/row")
    newest = int(root.findtext("lastupdate") or "") // 5 * 5
    out = {}
    for j, row in enumerate(rows):
        v = float(row.findall("v")[col].text or "")
        if not math.isnan(v):
            out[newest - 5 * (len(rows) - 1 - j)] = v
    return out


def test_rrds_survive_sigkill_and_restart_and_halt_and_go_with_the_vm(state: Path) -> None:
    daemon = DaemonProcess(state_dir=state, extra_args=ARGS).start()
    try:
        api, sid = login(daemon)
        vm = make_vm(api, "kept", {"xenia-sim-cpu": "0.5"})
        uuid = api.VM.get_uuid(vm)
        api.VM.start(vm, False, False)
        disk = next(b for b in api.VM.get_VBDs(vm) if api.VBD.get_type(b) == "Disk")
        sr = api.SR.get_uuid(api.VDI.get_SR(api.VBD.get_VDI(disk)))
        before = wait_for(lambda: r if (r := cpu_rows(daemon, sid, uuid)) and len(r) >= 2 else None, "2 rows")
        sr_before = wait_for(lambda: r if (r := cpu_rows(daemon, sid, sr, "sr", "read")) else None, "an SR row")
        time.sleep(2 * SAVE_INTERVAL + 1)  # a save after the rows above were read
        daemon.kill()

        daemon.start()
        api, sid = login(daemon)
        after = cpu_rows(daemon, sid, uuid)
        assert after is not None
        assert {t: after.get(t) for t in before} == before  # nothing older than one save interval lost
        sr_after = cpu_rows(daemon, sid, sr, "sr", "read")
        assert sr_after is not None and {t: sr_after.get(t) for t in sr_before} == sr_before

        api.VM.hard_shutdown(vm)
        halted = cpu_rows(daemon, sid, uuid)
        assert halted is not None and set(before) <= set(halted)  # a halted VM keeps its history
        daemon.stop()

        daemon.start()  # a clean restart keeps it too
        api, sid = login(daemon)
        restarted = cpu_rows(daemon, sid, uuid)
        assert restarted is not None and {t: restarted.get(t) for t in before} == before

        api.VM.destroy(vm)
        assert cpu_rows(daemon, sid, uuid) is None
        assert wait_for(lambda: True if not (state / "rrd" / "vm" / f"{uuid}.npz").exists() else None, "file gone")
    finally:
        daemon.cleanup()


def test_a_save_of_more_rrds_than_one_chunk_keeps_every_one(state: Path) -> None:
    """A save copies and writes the RRDs a chunk at a time (issue 12): with more running VMs than one
    chunk, every VM's RRD is there after a SIGKILL that followed a save."""
    from xenia.metrics.collect import MetricsService

    daemon = DaemonProcess(state_dir=state, extra_args=ARGS).start()
    try:
        api, sid = login(daemon)
        base = make_vm(api, "chunk-base")
        uuids = []
        for i in range(MetricsService.SAVE_CHUNK + 6):
            vm = api.VM.clone(base, f"chunk-{i}")
            api.VM.start(vm, False, False)
            uuids.append(api.VM.get_uuid(vm))
        last = uuids[-1]
        wait_for(lambda: r if (r := cpu_rows(daemon, sid, last)) else None, "a row of the last VM")
        before = {u: cpu_rows(daemon, sid, u) or {} for u in uuids}
        assert all(before.values())
        time.sleep(2 * SAVE_INTERVAL + 1)  # a save after the rows above were read
        daemon.kill()
        daemon.start()
        api, sid = login(daemon)
        lost = []
        for u, rows in before.items():
            after = cpu_rows(daemon, sid, u) or {}
            if {t: after.get(t) for t in rows} != rows:  # rows made before the kill: only a save keeps them
                lost.append(u)
        assert lost == []
    finally:
        daemon.stop()
