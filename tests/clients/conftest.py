"""Clients no one on this project wrote, installed as their users install them, run against a real daemon.

Each client lives in a cache of its own that ``make clients`` fills (Ansible in
``.venv-ansible``, Xen Orchestra's ``xen-api`` under ``tests/clients/xo/node_modules``);
the fixtures run the same make targets, which return at once when the cache is current,
so ``pytest tests/clients`` works on a fresh checkout too.
"""

from __future__ import annotations

import fcntl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = Path(__file__).resolve().parent


def make(target: str) -> None:
    """``make TARGET`` in the source tree, one process at a time (a fresh install must not race itself)."""
    with open(ROOT / ".clients.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = subprocess.run(["make", "-s", "-C", str(ROOT), target], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"make {target} failed:\n{proc.stdout}\n{proc.stderr}")


@pytest.fixture(scope="session")
def ansible_venv() -> Path:
    make(".venv-ansible/bin/.installed")
    return ROOT / ".venv-ansible"


@pytest.fixture(scope="session")
def xo_dir() -> Path:
    make("tests/clients/xo/node_modules/.installed")
    return CLIENTS / "xo"


@pytest.fixture(scope="module")
def daemon() -> Iterator[DaemonProcess]:
    with DaemonProcess() as d:
        yield d


@pytest.fixture
def sdk(daemon: DaemonProcess) -> Iterator[XenAPI.Session]:
    """The official SDK, to check what a client did and to set up what it needs."""
    session = XenAPI.Session(daemon.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "xenia-client-tests")
    yield session
    session.xenapi.session.logout()
