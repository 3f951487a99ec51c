"""xe's data-source commands and ``xenia top``, run as a user runs them against a real daemon."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import Xe
from xenia.testing.daemon import DaemonProcess

LOAD = 0.5


@pytest.fixture(scope="module")
def daemon() -> Iterator[DaemonProcess]:
    with DaemonProcess(extra_args=["--metrics-tick", "1"]) as d:
        yield d


@pytest.fixture(scope="module")
def xe(daemon: DaemonProcess, tmp_path_factory: pytest.TempPathFactory) -> Xe:
    return Xe(daemon, Path(tmp_path_factory.mktemp("home")))


@pytest.fixture(scope="module")
def vm(xe: Xe) -> str:
    uuid = xe("vm-install", "template=Generic Linux BIOS", "new-name-label=topped").out.strip()
    assert xe("vm-param-set", f"uuid={uuid}", f"other-config:xenia-sim-cpu={LOAD}").rc == 0
    assert xe("vm-start", f"uuid={uuid}").rc == 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        r = xe("vm-data-source-query", f"uuid={uuid}", "data-source=cpu_usage")
        if r.rc == 0 and r.out.strip() not in ("nan", "NaN", ""):
            return uuid
        time.sleep(0.5)
    raise AssertionError("no cpu_usage value")


def test_vm_data_source_list_and_query(xe: Xe, vm: str) -> None:
    r = xe("vm-data-source-list", f"uuid={vm}")
    assert r.rc == 0
    labels = [ln.split(":", 1)[1].strip() for ln in r.lines if ln.strip().startswith("name_label")]
    assert {"cpu0", "cpu_usage", "memory", "memory_target"} <= set(labels)
    assert float(xe("vm-data-source-query", "vm=topped", "data-source=cpu0").out) == pytest.approx(LOAD, rel=0.01)
    r = xe("vm-data-source-query", f"uuid={vm}", "data-source=nonsense")
    assert r.rc == 1 and "INTERNAL_ERROR" in r.err


def test_host_data_source_commands(xe: Xe, vm: str) -> None:
    r = xe("host-data-source-list")
    assert r.rc == 0 and any(ln.strip() == "name_label ( RO): cpu_avg" for ln in r.lines)
    assert 0 < float(xe("host-data-source-query", "data-source=cpu_avg").out) <= 1
    assert xe("host-data-source-record", "data-source=pif_eth0_rx_errors").rc == 0
    assert xe("host-data-source-forget", "data-source=loadavg").rc == 0


def test_top_shows_running_vms_sorted(xe: Xe, vm: str) -> None:
    r = xe("top", "iterations=1", "window=5", "sort=cpu")
    assert r.rc == 0, r.err
    header, columns, *rows = r.lines
    assert "1 running VMs" in header and columns.split()[:3] == ["NAME", "UUID", "CPU%"]
    (row,) = [ln for ln in rows if ln.startswith("topped")]
    assert float(row.split()[2]) == pytest.approx(LOAD * 100, rel=0.02)
    assert xe("top", "iterations=1", "sort=bogus").rc == 2
