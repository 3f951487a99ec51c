"""Xen Orchestra's ``xen-api`` npm client, unmodified, over each of its two transports (xo/scenario.mjs)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

TEMPLATE = "Debian Bookworm 12"


def vm_names(sdk: XenAPI.Session) -> set[str]:
    return {v["name_label"] for v in sdk.xenapi.VM.get_all_records().values()}


@pytest.mark.parametrize("transport", ["json-rpc", "xml-rpc"])
def test_xen_orchestra_client(transport: str, xo_dir: Path, daemon: DaemonProcess, sdk: XenAPI.Session) -> None:
    classes = sorted({m.split(".")[0] for m in sdk.system.listMethods() if m.endswith(".get_all_records")})
    expected = {cls: len(sdk.xenapi_request(f"{cls}.get_all_records", ())) for cls in classes if cls != "task"}
    vdis_before = set(sdk.xenapi.VDI.get_all())

    proc = subprocess.run(["node", "scenario.mjs", daemon.url, transport, "root", ROOT_PASSWORD, TEMPLATE],
                          cwd=xo_dir, capture_output=True, text=True, timeout=240)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    # the client only warns when a class fails to load or the event loop stumbles: those are failures here
    assert "_refreshCachedRecords" not in proc.stderr and "_watchEvents" not in proc.stderr, proc.stderr
    seen = json.loads(proc.stdout.splitlines()[-1])

    # the initial load holds every object the server has, class by class (the client names classes as listed)
    loaded = {cls: n for cls, n in seen["counts"].items() if cls != "task"}
    assert loaded == {cls: n for cls, n in expected.items() if n}
    host = sdk.xenapi.host.get_all()[0]
    assert seen["poolMaster"] == sdk.xenapi.host.get_name_label(host)
    assert seen["controlDomain"] is True
    # provision turned the clone into a VM that starts, on this host
    assert seen["firstRunning"] == {"is_a_template": False, "resident_on": seen["poolMaster"]}
    assert seen["done"] is True
    # getResource('/rrd_updates') (Xen Orchestra's stats) returned rows with the host's columns and
    # the task it made for the request completed
    assert seen["rrdUpdates"]["task"] is True and seen["rrdUpdates"]["rows"] > 0
    assert seen["rrdUpdates"]["hostColumns"] is True
    # the client removed what it made: its VMs and their disks
    assert not {"xo-first", "xo-second"} & vm_names(sdk)
    assert set(sdk.xenapi.VDI.get_all()) == vdis_before
