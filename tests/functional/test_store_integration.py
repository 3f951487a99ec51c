"""xenia writes a running VM's keys to its store as Xen does, and simulated guests answer through it."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess


@pytest.fixture(scope="module")
def sim() -> Iterator[DaemonProcess]:
    with DaemonProcess(extra_args=["--driver-option", "guest-delay=0.05", "--shutdown-timeout", "10"]) as d:
        yield d


def xs(daemon: DaemonProcess, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XENSTORED_PATH": str(daemon.state_dir / "xenstored.sock")}
    return subprocess.run(list(args), env=env, capture_output=True, text=True, timeout=30)


def wait_for(predicate: Any, what: str) -> None:
    for _ in range(500):
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def test_keys_follow_the_vm_and_guests_answer_through_the_store(sim: DaemonProcess) -> None:
    session = XenAPI.Session(sim.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD)
    api = session.xenapi
    vm = api.VM.clone(api.VM.get_by_name_label("Generic Linux BIOS")[0], "in-the-store")
    api.VM.provision(vm)
    api.VM.start(vm, False, False)
    domid = api.VM.get_domid(vm)
    base = f"/local/domain/{domid}"
    assert xs(sim, "xenstore-read", f"{base}/name").stdout.strip() == "in-the-store"
    assert xs(sim, "xenstore-read", f"{base}/vm").stdout.strip() == f"/vm/{api.VM.get_uuid(vm)}"
    assert xs(sim, "xenstore-exists", f"{base}/device/vbd/0").returncode == 0
    wait_for(lambda: xs(sim, "xenstore-read", f"{base}/data/os_name").returncode == 0, "the guest's report")

    api.VM.set_name_label(vm, "renamed-live")
    wait_for(lambda: xs(sim, "xenstore-read", f"{base}/name").stdout.strip() == "renamed-live", "the rename")

    # a toolstack asks the guest to power off by writing control/shutdown; the guest does
    assert xs(sim, "xenstore-write", f"{base}/control/shutdown", "poweroff").returncode == 0
    wait_for(lambda: api.VM.get_power_state(vm) == "Halted", "the guest to power off")
    assert xs(sim, "xenstore-exists", base).returncode != 0
    session.xenapi.session.logout()
