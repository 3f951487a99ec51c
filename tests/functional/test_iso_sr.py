"""The local ISO SR: ``.iso`` files in its directory are VDIs after ``SR.scan`` or a restart."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess


@pytest.fixture
def daemon() -> Iterator[DaemonProcess]:
    with DaemonProcess() as d:
        yield d


def login(d: DaemonProcess) -> Any:
    session = XenAPI.Session(d.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "iso-sr-tests")
    return session.xenapi


def test_iso_files_become_vdis_and_go_with_their_files(daemon: DaemonProcess) -> None:
    api = login(daemon)
    (sr,) = [s for s, r in api.SR.get_all_records().items() if r["type"] == "iso"]
    rec = api.SR.get_record(sr)
    assert rec["content_type"] == "iso" and rec["name_label"] == "ISO library" and rec["VDIs"] == []
    directory = Path(rec["other_config"]["path"])
    assert directory == daemon.state_dir / "sr" / "iso" and directory.is_dir()

    (directory / "install.iso").write_bytes(b"\0" * 4096)
    (directory / "notes.txt").write_text("not an ISO")
    api.SR.scan(sr)
    (vdi,) = api.SR.get_VDIs(sr)
    vrec = api.VDI.get_record(vdi)
    assert (vrec["name_label"], vrec["location"], vrec["read_only"], vrec["virtual_size"]) == (
        "install.iso", "install.iso", True, "4096")
    api.SR.scan(sr)
    assert api.SR.get_VDIs(sr) == [vdi]  # a rescan finds the same file, not a new one

    (directory / "other.iso").write_bytes(b"\0" * 2048)
    daemon.stop()
    daemon.start()
    api = login(daemon)
    assert sorted(api.VDI.get_name_label(v) for v in api.SR.get_VDIs(sr)) == ["install.iso", "other.iso"]

    (directory / "install.iso").unlink()
    task = api.Async.SR.scan(sr)
    while api.task.get_status(task) == "pending":
        time.sleep(0.02)
    assert api.task.get_status(task) == "success"
    assert [api.VDI.get_name_label(v) for v in api.SR.get_VDIs(sr)] == ["other.iso"]
    assert vdi not in api.VDI.get_all()
