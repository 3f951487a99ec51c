"""The typed client: mypy --strict accepts a program using it, rejects a ref mix-up, and the program runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

HERE = Path(__file__).parent


def mypy(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(path)],
                          capture_output=True, text=True, timeout=600, cwd=HERE.parents[1])  # fmt: skip


def test_a_program_using_the_typed_client_passes_mypy_strict() -> None:
    done = mypy(HERE / "sample_program.py")
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_vdi_ref_where_a_vm_ref_is_expected_is_a_type_error() -> None:
    done = mypy(HERE / "ref_mixup.py")
    assert done.returncode == 1
    assert 'Argument 1 to "start" of "VMApi" has incompatible type "VDIRef"; expected "VMRef"' in done.stdout


def test_the_sample_program_runs_against_the_daemon(daemon: DaemonProcess) -> None:
    done = subprocess.run([sys.executable, str(HERE / "sample_program.py"), daemon.url, ROOT_PASSWORD],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("typed-sample Running memory=") and "disks=[" in lines[0]
    assert lines[1:] == ["async typed-sample Halted", "async Running"]
