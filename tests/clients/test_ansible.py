"""Ansible's community.general.xenserver_* modules, unmodified, driven by playbooks (ansible/*.yml).

The playbooks assert what each module reports; these tests run them with
ansible-playbook against localhost and then check the server with the SDK.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

from .conftest import CLIENTS

TEMPLATE = "Debian Bookworm 12"


def playbook(venv: Path, daemon: DaemonProcess, sdk: XenAPI.Session, name: str) -> str:
    """Run ``ansible/<name>`` against the daemon; return its output (the test fails with it if a task failed)."""
    sr = sdk.xenapi.SR.get_name_label(next(r for r, v in sdk.xenapi.SR.get_all_records().items()
                                           if v["content_type"] != "iso"))  # fmt: skip
    network = sdk.xenapi.network.get_name_label(sdk.xenapi.network.get_all()[0])
    extra = {"xenserver_url": daemon.url, "xenserver_password": ROOT_PASSWORD, "template": TEMPLATE, "sr": sr,
             "network": network}  # fmt: skip
    env = {**os.environ, "ANSIBLE_PYTHON_INTERPRETER": str(venv / "bin" / "python"), "ANSIBLE_NOCOLOR": "1",
           "ANSIBLE_LOCALHOST_WARNING": "0", "ANSIBLE_HOME": str(daemon.state_dir / "ansible")}  # fmt: skip
    args = [str(venv / "bin" / "ansible-playbook"), "-i", "localhost,", "-c", "local", name]
    for key, value in extra.items():
        args += ["-e", f"{key}={value!r}" if " " in value else f"{key}={value}"]
    proc = subprocess.run(args, cwd=CLIENTS / "ansible", env=env, capture_output=True, text=True, timeout=280)
    assert proc.returncode == 0, proc.stdout[-8000:] + proc.stderr[-2000:]
    return proc.stdout


def test_xenserver_guest_lifecycle(ansible_venv: Path, daemon: DaemonProcess, sdk: XenAPI.Session) -> None:
    vdis_before = set(sdk.xenapi.VDI.get_all())
    vifs_before = set(sdk.xenapi.VIF.get_all())
    playbook(ansible_venv, daemon, sdk, "guest.yml")
    # removed with its disks and interfaces
    assert sdk.xenapi.VM.get_by_name_label("ansible-vm") == []
    assert set(sdk.xenapi.VDI.get_all()) == vdis_before
    assert set(sdk.xenapi.VIF.get_all()) == vifs_before


def test_xenserver_guest_powerstate_every_state(ansible_venv: Path, daemon: DaemonProcess,
                                                sdk: XenAPI.Session) -> None:  # fmt: skip
    playbook(ansible_venv, daemon, sdk, "powerstate.yml")  # each step asserts the state the module reports
    assert sdk.xenapi.VM.get_by_name_label("ansible-power") == []
