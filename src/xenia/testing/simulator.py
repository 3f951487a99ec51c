"""The daemon in-process: ``xenia serve`` on the simulator, in a background thread, for tests.

::

    with Simulator() as sim:
        session = XenAPI.Session(sim.url)
        session.xenapi.login_with_password(sim.username, sim.password, "2.0", "my-test")

It is the same :class:`~xenia.daemon.Daemon` as ``xenia serve`` (not a second implementation),
running on its own event loop in a daemon thread, listening on a free TCP port and a unix socket.
Without a ``state_dir`` the db, the store tree and the simulator's domains live in memory; a
throw-away directory (removed on :meth:`stop`) still holds the sockets and the simulated SR files.
:meth:`snapshot` and :meth:`restore` bring the whole state back in milliseconds
(:mod:`xenia.testing.snapshot`), which is what lets each test start clean without a restart.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Callable, Coroutine, Mapping, Sequence
from concurrent.futures import Future
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from xenia.api.faillock import LockoutPolicy
from xenia.api.sessions import SessionLimits
from xenia.daemon import Daemon, DaemonConfig
from xenia.drivers.sim import SimDriver
from xenia.testing import snapshot as snapshots
from xenia.testing.daemon import _state_tmpdir

__all__ = ["Simulator", "DEFAULT_PASSWORD"]

T = TypeVar("T")

DEFAULT_PASSWORD = "xenia"
#: a simulated guest answers a clean shutdown or reboot this fast unless told otherwise (xenia serve: 2 s)
DEFAULT_GUEST_DELAY = "0.02"


def _new_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop  # a dependency of xenia; the loop `xenia serve` runs on
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


class Simulator:
    """A running in-process simulator daemon. Use as a context manager, or :meth:`start` / :meth:`stop`.

    :param state_dir: keep state (SQLite db, store journal, domains) there; None for memory only.
    :param listen: TCP ``HOST:PORT`` (port 0: a free one).
    :param faults: fault specs ``NAME=ACTION`` armed from the start (see :mod:`xenia.drivers.sim.faults`).
    :param driver_options: sim driver options (``memory``, ``cpus``, ``guest-delay``, ...).
    :param auth_fail_delay: seconds a failed login waits before answering (``xenia serve``: 5, to slow
        password guessing; a test double has nothing to guard, so 0).
    """

    def __init__(
        self,
        state_dir: Path | str | None = None,
        *,
        password: str = DEFAULT_PASSWORD,
        listen: str = "127.0.0.1:0",
        faults: Sequence[str] = (),
        driver_options: Mapping[str, str] | None = None,
        auth_fail_delay: float = 0.0,
        shutdown_timeout: float = 120.0,
    ) -> None:
        self._tmp: str | None = None
        if state_dir is None:
            self._tmp = _state_tmpdir()
            self.state_dir = Path(self._tmp)
        else:
            self.state_dir = Path(state_dir).resolve()
        self.username = "root"
        self.password = password
        options = {"guest-delay": DEFAULT_GUEST_DELAY, **(driver_options or {})}
        self.config = DaemonConfig(
            state_dir=self.state_dir,
            listen=listen,
            in_memory=state_dir is None,
            root_password=password,
            password_hash_cost=16,  # a test double's password guards nothing; each login stays cheap
            announce=False,
            faults=list(faults),
            driver_options=options,
            # no lockout in a test double: xapi has none of its own, and a suite may fail logins at will
            limits=SessionLimits(auth_fail_delay=auth_fail_delay, lockout=LockoutPolicy(per_user=2**31, per_address=2**31)),
            shutdown_timeout=shutdown_timeout,
        )
        self.daemon = Daemon(self.config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ where to connect

    @property
    def host(self) -> str:
        return (self.config.listen or "127.0.0.1").rpartition(":")[0] or "127.0.0.1"

    @property
    def port(self) -> int:
        if self.daemon.port is None:
            raise RuntimeError("the simulator is not listening on TCP (not started?)")
        return self.daemon.port

    @property
    def url(self) -> str:
        """The XenAPI endpoint (XML-RPC at ``/``, JSON-RPC at ``/jsonrpc``)."""
        return f"http://{self.host}:{self.port}"

    @property
    def socket_path(self) -> Path:
        """The local socket: root without a password, as xapi's ``/var/lib/xcp/xapi``."""
        return self.config.socket_path

    @property
    def xenstore_path(self) -> Path:
        return self.state_dir / "xenstored.sock"

    @property
    def driver(self) -> SimDriver:
        driver = self.daemon.driver
        if not isinstance(driver, SimDriver):
            raise RuntimeError("the simulator is not started")
        return driver

    # ------------------------------------------------------------------ lifecycle

    def start(self, timeout: float = 30.0) -> Simulator:
        if self._thread is not None:
            raise RuntimeError("the simulator is already started")
        loop = self._loop = _new_loop()
        self._thread = threading.Thread(target=self._serve, args=(loop,), name="xenia-simulator", daemon=True)
        self._thread.start()
        try:
            self.run(self.daemon.start(), timeout)
        except BaseException:
            self.stop()
            raise
        return self

    @staticmethod
    def _serve(loop: asyncio.AbstractEventLoop) -> None:
        asyncio.set_event_loop(loop)
        loop.run_forever()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the daemon and its loop, and remove the throw-away directory."""
        loop, thread = self._loop, self._thread
        if loop is not None and thread is not None and thread.is_alive():
            try:
                self.run(self._shutdown(), timeout)
            finally:
                loop.call_soon_threadsafe(loop.stop)
                thread.join(timeout)
                loop.close()
        self._loop = self._thread = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    async def _shutdown(self) -> None:
        await self.daemon.stop()
        current = asyncio.current_task()
        rest = [t for t in asyncio.all_tasks() if t is not current]
        for task in rest:
            task.cancel()
        await asyncio.gather(*rest, return_exceptions=True)

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    # ------------------------------------------------------------------ working on the daemon's loop

    def run(self, work: Coroutine[Any, Any, T], timeout: float | None = 30.0) -> T:
        """Run a coroutine on the daemon's loop and wait for its result."""
        if self._loop is None:
            work.close()
            raise RuntimeError("the simulator is not started")
        future: Future[T] = asyncio.run_coroutine_threadsafe(work, self._loop)
        return future.result(timeout)

    def call(self, fn: Callable[[], T], timeout: float | None = 30.0) -> T:
        """Call ``fn()`` on the daemon's loop (the daemon's objects are not thread-safe)."""

        async def wrapped() -> T:
            return fn()

        return self.run(wrapped(), timeout)

    # ------------------------------------------------------------------ state

    def snapshot(self) -> snapshots.StateSnapshot:
        """The whole state now (db, store, domains, faults, SR files), for :meth:`restore`."""
        return self.call(lambda: snapshots.take(self.daemon))

    def restore(self, snap: snapshots.StateSnapshot) -> None:
        """Back to ``snap``: sessions end, running tasks stop, everything else is as it was."""
        self.run(snapshots.restore(self.daemon, snap))

    # ------------------------------------------------------------------ fault points

    def set_fault(self, name: str, action: str) -> None:
        """Arm a fault point, e.g. ``set_fault("vm.create", "fail")`` (VM.start then fails)."""
        self.call(lambda: self.driver.faults.set(name, action))

    def clear_faults(self, name: str | None = None) -> None:
        self.call(lambda: self.driver.faults.clear(name))

    def faults(self) -> dict[str, str]:
        return {name: str(spec) for name, spec in self.call(self.driver.faults.list).items()}
