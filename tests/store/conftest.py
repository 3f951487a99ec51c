"""Fixtures: a real store daemon on a unix socket, served from a background thread's event loop."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from xenia.store.engine import Engine
from xenia.store.server import StoreServer
from xenia.store.sockclient import SyncClient


class Daemon:
    """A StoreServer running in its own thread; ``call`` runs a coroutine on its loop."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.socket = state_dir / "xenstored.sock"
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.server: StoreServer = self.call(StoreServer.start(state_dir))

    def call(self, coro: Any) -> Any:
        fut: Future[Any] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return fut.result(timeout=60)

    @property
    def engine(self) -> Engine:
        return self.server.engine

    def client(self, domid: int = 0) -> SyncClient:
        c = SyncClient(self.socket)
        if domid:
            c.control("act-as", str(domid))
        return c

    def restart(self) -> None:
        self.call(self.server.close())
        self.server = self.call(StoreServer.start(self.state_dir))

    def stop(self) -> None:
        self.call(self.server.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[Daemon]:
    d = Daemon(tmp_path)
    yield d
    d.stop()


@pytest.fixture
def dom0(daemon: Daemon) -> Iterator[SyncClient]:
    c = daemon.client()
    yield c
    c.close()


def run_tool(daemon: Daemon, *argv: str, check: bool = True, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run a Debian xenstore-* tool against the daemon."""
    env = dict(os.environ, XENSTORED_PATH=str(daemon.socket))
    return subprocess.run(list(argv), env=env, capture_output=True, text=True, check=check, timeout=60, input=input)


class StoreProcess:
    """``xenia store-serve`` as its own process: for RSS readings, SIGKILL and resource limits."""

    def __init__(self, state: Path, log: Path | None = None) -> None:
        self.state = state
        self.socket = state / "xenstored.sock"
        self.log = log
        stderr = log.open("a") if log is not None else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "xenia.store.cli", "store-serve", "--state-dir", str(state)],
            stdout=subprocess.PIPE, stderr=stderr, text=True, cwd=state,
        )  # fmt: skip
        if log is not None:
            stderr.close()  # type: ignore[union-attr]
        assert self.proc.stdout is not None
        assert "listening" in self.proc.stdout.readline()

    def rss(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise AssertionError("no VmRSS")

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=30)

    def tool(self, *argv: str) -> str:
        env = dict(os.environ, XENSTORED_PATH=str(self.socket))
        return subprocess.run(list(argv), env=env, capture_output=True, text=True, check=True, timeout=60).stdout


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StoreProcess]:
    p = StoreProcess(tmp_path)
    yield p
    if p.proc.poll() is None:
        p.proc.terminate()
        p.proc.wait(timeout=30)
