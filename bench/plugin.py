"""The pytest plugin's speed: 100+ tests of a tool's suite, and a clean state per test by restore vs restart.

1. The sample project's tests (examples/sample-project), copied until there are at least 100, run by
   pytest in a child process with only the plugin's fixtures: wall time and pytest's own session time.
2. What each test's clean state costs: ``Simulator.restore`` of a snapshot after a test-like change,
   beside its peer, a fresh ``Simulator`` (start + stop), measured in the same run.

Runs as a child subreaper (``_common.run_as_subreaper``), peers and all: orphaned descendants are
reaped as soon as they exit, as init does on a normal host, and the output says how long they
waited.

Run: .venv/bin/python bench/plugin.py [--copies N]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import XenAPI
from _common import run_as_subreaper

from xenia.testing.simulator import Simulator

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "examples" / "sample-project"


def suite(copies: int) -> tuple[int, float, float, float]:
    """Run ``copies`` copies of the sample tests; returns (tests passed, wall seconds, pytest's seconds,
    CPU seconds of the pytest process: on a busy machine the one figure that does not include waiting
    for a core)."""
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "sample"
        shutil.copytree(SAMPLE, project)
        source = (project / "tests" / "test_vmctl.py").read_text()
        for i in range(1, copies):
            (project / "tests" / f"test_vmctl_copy{i}.py").write_text(source)
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:hypothesispytest", "-p", "no:asyncio"],
                              cwd=project, capture_output=True, text=True)  # fmt: skip
        wall = time.perf_counter() - began
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    summary = re.search(r"(\d+) passed(?:, .*)? in ([\d.]+)s", proc.stdout)
    if proc.returncode != 0 or summary is None:
        raise SystemExit(f"the suite failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return int(summary.group(1)), wall, float(summary.group(2)), cpu


def clean_state(rounds: int) -> tuple[list[float], list[float]]:
    """Seconds per clean state: restore after a test's changes, and a fresh simulator (the peer)."""
    restores: list[float] = []
    with Simulator() as sim:
        snap = sim.snapshot()
        for _ in range(rounds):
            session = XenAPI.Session(sim.url)
            session.xenapi.login_with_password(sim.username, sim.password, "2.0", "bench")
            api = session.xenapi
            vm = api.VM.clone(api.VM.get_by_name_label("Generic Linux BIOS")[0], "bench")
            api.VM.provision(vm)
            api.VM.start(vm, False, False)
            began = time.perf_counter()
            sim.restore(snap)
            restores.append(time.perf_counter() - began)
    restarts: list[float] = []
    for _ in range(rounds):
        began = time.perf_counter()
        with Simulator():
            pass
        restarts.append(time.perf_counter() - began)
    return restores, restarts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=10, help="copies of the sample tests (11 tests each)")
    parser.add_argument("--rounds", type=int, default=20, help="clean states measured each way")
    args = parser.parse_args()
    passed, wall, session, cpu = suite(args.copies)
    print(f"plugin suite: {passed} tests passed; pytest session {session:.2f} s, wall {wall:.2f} s "
          f"(with interpreter start and imports), CPU {cpu:.2f} s; {1000 * session / passed:.1f} ms per test; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
    restores, restarts = clean_state(args.rounds)
    r, s = statistics.median(restores), statistics.median(restarts)
    print(f"clean state per test: restore {1000 * r:.1f} ms (median of {len(restores)}), "
          f"fresh simulator {1000 * s:.1f} ms; restore is {s / r:.0f}x faster")  # fmt: skip


if __name__ == "__main__":
    run_as_subreaper(main)
