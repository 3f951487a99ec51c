"""Xen Orchestra's ``xen-api`` client against ``xenia sim --scenario examples/lab.toml`` (issue 20).

The simulator as a service for a non-Python tool's tests: the client connects with the credentials
``xenia sim`` prints, loads every object, and drives a VM made from the lab's own template.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

LAB = Path(__file__).resolve().parents[2] / "examples" / "lab.toml"


def test_xen_orchestra_connects_to_xenia_sim(xo_dir: Path) -> None:
    sim = subprocess.Popen([sys.executable, "-m", "xenia.cli.main", "sim", "--scenario", str(LAB),
                            "--listen", "127.0.0.1:0", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, env={**os.environ, "XENIA_ROOT_PASSWORD": "xo-lab-pw"})  # fmt: skip
    try:
        assert sim.stdout is not None
        info = json.loads(sim.stdout.readline())
        proc = subprocess.run(["node", "scenario.mjs", info["url"], "json-rpc", info["username"], info["password"],
                               "Web server"], cwd=xo_dir, capture_output=True, text=True, timeout=240)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        seen = json.loads(proc.stdout.splitlines()[-1])
        assert seen["poolMaster"] == "lab-host"  # examples/lab.toml's host
        assert seen["counts"]["VM"] >= 5  # the lab's four VMs and dom0, at least
        assert seen["done"] is True
    finally:
        sim.send_signal(signal.SIGTERM)
        sim.wait(30)
