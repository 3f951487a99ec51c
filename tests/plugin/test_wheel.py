"""The wheel on a clean machine: built with ``python -m build``, installed into a fresh virtualenv without
the dev extras (nor the qemu driver's Debian packages), it gives a working ``xenia sim`` and the pytest
plugin.  ``pipx install`` of the same wheel gives the ``xenia`` command too.

Slow (a venv and a pip install from the package index); ``make dist-check`` runs just this file.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(REPO)],
                   check=True, capture_output=True, timeout=900)  # fmt: skip
    return out


@pytest.fixture(scope="module")
def venv(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, timeout=300)
    wheel = next(dist.glob("xenia-*.whl"))
    # pytest only to run a tool's tests with the plugin: it is the tool's test dependency, not xenia's
    subprocess.run([str(root / "bin" / "pip"), "install", "-q", str(wheel), "pytest"],
                   check=True, capture_output=True, timeout=900)  # fmt: skip
    yield root


def test_build_makes_a_wheel_and_an_sdist(dist: Path) -> None:
    assert len(list(dist.glob("xenia-*-py3-none-any.whl"))) == 1
    assert len(list(dist.glob("xenia-*.tar.gz"))) == 1


def test_the_wheel_needs_no_dev_extras(venv: Path) -> None:
    installed = subprocess.run([str(venv / "bin" / "pip"), "list", "--format=json"],
                               check=True, capture_output=True, text=True).stdout  # fmt: skip
    names = {p["name"].lower() for p in json.loads(installed)}
    assert "xenia" in names
    assert not names & {"mypy", "ruff", "hypothesis", "pyxs", "pytest-asyncio"}


def test_xenia_sim_from_the_wheel_serves_the_sdk(venv: Path) -> None:
    proc = subprocess.Popen([str(venv / "bin" / "xenia"), "sim", "--listen", "127.0.0.1:0", "--json",
                             "--scenario", str(REPO / "examples" / "lab.toml")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline() or "null")
        assert info is not None, proc.stderr.read() if proc.stderr else ""
        script = ("import sys, XenAPI\ns = XenAPI.Session(sys.argv[1])\n"
                  "s.xenapi.login_with_password(sys.argv[2], sys.argv[3], '2.0', 'wheel-test')\n"
                  "print(sorted(s.xenapi.VM.get_name_label(v) for v in s.xenapi.VM.get_all()))\n")  # fmt: skip
        out = subprocess.run([str(venv / "bin" / "python"), "-c", script, info["url"], info["username"], info["password"]],
                             check=True, capture_output=True, text=True, timeout=120).stdout  # fmt: skip
        assert "'web-1'" in out and "'batch'" in out
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0


def test_the_plugin_from_the_wheel_runs_the_sample_project(venv: Path, tmp_path: Path) -> None:
    project = tmp_path / "sample"
    shutil.copytree(REPO / "examples" / "sample-project", project)
    proc = subprocess.run([str(venv / "bin" / "python"), "-m", "pytest", "-q", f"--junitxml={tmp_path / 'r.xml'}"],
                          cwd=project, capture_output=True, text=True, timeout=600)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = (tmp_path / "r.xml").read_text()
    assert 'failures="0"' in report and 'errors="0"' in report and 'skipped="0"' in report


def test_pipx_installs_the_xenia_command(dist: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PIPX_HOME": str(tmp_path / "pipx"), "PIPX_BIN_DIR": str(tmp_path / "bin")}
    wheel = next(dist.glob("xenia-*.whl"))
    subprocess.run([sys.executable, "-m", "pipx", "install", str(wheel)], check=True, capture_output=True,
                   env=env, timeout=900)  # fmt: skip
    out = subprocess.run([str(tmp_path / "bin" / "xenia"), "sim", "--help"], check=True, capture_output=True,
                         text=True, timeout=60).stdout  # fmt: skip
    assert "--scenario" in out
