"""``xenia sim --scenario``: a child process serving what the file describes, checked with the official SDK.

The expected values are the ones written in ``examples/lab.toml`` (read here with tomllib, not through
xenia's scenario code), and xapi's behaviour for them (a guest without PV drivers cannot be asked to
shut down: VM_MISSING_PV_DRIVERS).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import XenAPI

from xenia.client import Session
from xenia.firstboot import TEMPLATES

LAB = Path(__file__).resolve().parents[2] / "examples" / "lab.toml"


@pytest.fixture(scope="module")
def lab() -> Iterator[tuple[dict[str, Any], subprocess.Popen[str]]]:
    proc = subprocess.Popen([sys.executable, "-m", "xenia.cli.main", "sim", "--scenario", str(LAB),
                             "--listen", "127.0.0.1:0", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "XENIA_ROOT_PASSWORD": "lab-pw"})  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        proc.wait(10)
        pytest.fail(f"xenia sim exited: {proc.stderr.read() if proc.stderr else ''}")
    yield json.loads(line), proc
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


def sdk(info: dict[str, Any]) -> Any:
    session = XenAPI.Session(info["url"])
    session.xenapi.login_with_password(info["username"], info["password"], "2.0", "xenia-tests")
    return session.xenapi


def test_it_serves_what_the_file_describes(lab: tuple[dict[str, Any], subprocess.Popen[str]]) -> None:
    info, _ = lab
    spec = tomllib.loads(LAB.read_text())
    assert info["password"] == "lab-pw"  # from the environment, as xenia serve
    api = sdk(info)
    host = api.host.get_all()[0]
    assert api.host.get_name_label(host) == spec["host"]["name"]
    assert api.host_metrics.get_memory_total(api.host.get_metrics(host)) == str(64 * 1024**3)
    major, minor = spec["server"]["api_version"].split(".")
    assert (api.host.get_API_version_major(host), api.host.get_API_version_minor(host)) == (major, minor)

    records = api.VM.get_all_records()
    templates = sorted(r["name_label"] for r in records.values() if r["is_a_template"])
    builtin = [t[0] for t in TEMPLATES][: spec["templates"]["builtin"]]
    assert templates == sorted(builtin + [t["name"] for t in spec["template"]])
    web_template = next(r for r in records.values() if r["name_label"] == "Web server")
    assert web_template["memory_static_max"] == str(2 * 1024**3) and web_template["VCPUs_max"] == "2"

    states = {r["name_label"]: r["power_state"] for r in records.values()
              if not r["is_a_template"] and not r["is_control_domain"]}  # fmt: skip
    wanted = {}
    for vm in spec["vm"]:
        count = vm.get("count", 1)
        names = [vm["name"]] if count == 1 else [f"{vm['name']}-{i}" for i in range(1, count + 1)]
        wanted.update(dict.fromkeys(names, vm.get("power_state", "Halted")))
    assert states == wanted
    db_vm = next(ref for ref, r in records.items() if r["name_label"] == "db")
    assert records[db_vm]["memory_static_max"] == str(4 * 1024**3) and records[db_vm]["VCPUs_max"] == "4"


def test_its_guests_and_faults_behave_as_described(lab: tuple[dict[str, Any], subprocess.Popen[str]]) -> None:
    info, _ = lab
    api = sdk(info)
    legacy = api.VM.get_by_name_label("legacy")[0]  # guest = "no-drivers"
    api.VM.unpause(legacy)
    with pytest.raises(XenAPI.Failure) as err:
        api.VM.clean_shutdown(legacy)
    assert err.value.details[0] == "VM_MISSING_PV_DRIVERS"
    client = Session(info["jsonrpc"])
    client.login(info["username"], info["password"])
    assert client.call_with_session("xenia.fault_list") == tomllib.loads(LAB.read_text())["faults"]


def test_sigterm_stops_it_cleanly(lab: tuple[dict[str, Any], subprocess.Popen[str]]) -> None:
    _, proc = lab
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 0


def test_a_bad_scenario_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[vm]]\nname = "x"\npower_state = "Flying"\n')
    proc = subprocess.run([sys.executable, "-m", "xenia.cli.main", "sim", "--scenario", str(bad)],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert proc.returncode != 0 and "Flying" in proc.stderr
    two_hosts = tmp_path / "pool.toml"
    two_hosts.write_text('[[hosts]]\nname = "a"\n[[hosts]]\nname = "b"\n')
    proc = subprocess.run([sys.executable, "-m", "xenia.cli.main", "sim", "--scenario", str(two_hosts)],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert proc.returncode != 0 and "one host" in proc.stderr
