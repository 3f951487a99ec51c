"""Fixtures: a real store daemon on a unix socket, served from a background thread's event loop."""

from __future__ import annotations

import asyncio
import os
import subprocess
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
