"""QEMU processes: where their files live, how they start, how their exit is noticed.

Why it looks like this:

* **Each QEMU outlives the daemon.** It runs in its own session/process group, with stdin from
  ``/dev/null`` and stdout/stderr appended to a log file in its directory (never a pipe to the
  daemon, which would break when the daemon goes). Its pid file, QMP socket and serial socket live
  in that directory too, which is all a later driver instance needs to adopt it.
* **Exit is noticed at once, for children and adopted processes alike,** with a pidfd
  (``pidfd_open``) watched by the event loop: it becomes readable the moment the process exits,
  whether or not it is our child. For our own children the pidfd callback also reaps the zombie.
* **Sockets exist before QEMU does.** The driver binds the listening sockets and passes them in,
  so connecting never races QEMU's start-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DomainPaths",
    "ExitWatch",
    "bind_listener",
    "kill_group",
    "pid_alive",
    "process_matches",
    "read_pid",
    "spawn",
]

#: ``sockaddr_un.sun_path`` holds 108 bytes including the terminating NUL.
MAX_SOCKET_PATH = 107


@dataclass(frozen=True, slots=True)
class DomainPaths:
    """The files of one domain, all under one directory named after its domid."""

    root: Path

    @classmethod
    def for_domid(cls, base: Path, domid: int) -> DomainPaths:
        """The directory of domain ``domid`` under the driver's state directory ``base``."""
        return cls(base / f"d{domid}")

    @property
    def qmp(self) -> Path:
        """The QMP monitor socket."""
        return self.root / "qmp.sock"

    @property
    def serial(self) -> Path:
        """The serial console socket (protocol vt100)."""
        return self.root / "serial.sock"

    @property
    def agent(self) -> Path:
        """The guest agent's channel (the host end of its virtio-serial port)."""
        return self.root / "agent.sock"

    @property
    def pidfile(self) -> Path:
        """Written by QEMU itself (``-pidfile``)."""
        return self.root / "qemu.pid"

    @property
    def log(self) -> Path:
        """QEMU's stdout and stderr."""
        return self.root / "qemu.log"

    @property
    def record(self) -> Path:
        """The driver's record of the domain (spec, domid, runtime facts), as JSON."""
        return self.root / "domain.json"


def bind_listener(path: Path) -> socket.socket:
    """Bind and listen on a unix socket at ``path``, replacing a stale socket file.

    :raises OSError: the path is too long for a unix socket, or binding failed.
    """
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        raise OSError(f"unix socket path too long ({len(os.fsencode(path))} > {MAX_SOCKET_PATH}): {path}")
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(os.fspath(path))
        sock.listen(4)
    except OSError:
        sock.close()
        raise
    return sock


def spawn(argv: Sequence[str], *, log: Path, pass_fds: Sequence[int]) -> subprocess.Popen[bytes]:
    """Start ``argv`` detached from the daemon (new session), logging to ``log``.

    :raises OSError: the binary could not be executed.
    """
    with open(log, "ab") as out:
        return subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            pass_fds=tuple(pass_fds),
            start_new_session=True,
            close_fds=True,
        )


def read_pid(pidfile: Path) -> int | None:
    """The pid in ``pidfile``, or ``None`` if it is missing or garbled."""
    try:
        return int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return None


def pid_alive(pid: int) -> bool:
    """Whether a process with ``pid`` exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return False
    # The state field follows the parenthesised command name.
    state = stat[stat.rfind(b")") + 2 : stat.rfind(b")") + 3]
    return state not in (b"Z", b"X")


def process_matches(pid: int, needle: str) -> bool:
    """Whether process ``pid`` is alive and ``needle`` is one of its argv words.

    Guards adoption against pid reuse: the pid file may name a process that is not our QEMU.
    """
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            words = f.read().split(b"\0")
    except OSError:
        return False
    return pid_alive(pid) and os.fsencode(needle) in words


def kill_group(pid: int, sig: int = signal.SIGKILL) -> None:
    """Send ``sig`` to the process group led by ``pid`` (QEMU and helpers such as ``exec:cat``)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, sig)


class ExitWatch:
    """Calls ``on_exit()`` once, on the event loop, when process ``pid`` exits.

    :param child: the :class:`subprocess.Popen` if the process is our child (it is reaped).
    """

    def __init__(self, pid: int, on_exit: Callable[[], None], *, child: subprocess.Popen[bytes] | None = None):
        self.pid = pid
        self._on_exit = on_exit
        self._child = child
        self._loop = asyncio.get_running_loop()
        self._exited = asyncio.Event()
        self._fd: int | None = None
        try:
            self._fd = os.pidfd_open(pid)
        except ProcessLookupError:
            self._loop.call_soon(self._fire)
            return
        self._loop.add_reader(self._fd, self._fire)

    @property
    def exited(self) -> bool:
        """Whether the exit has been seen."""
        return self._exited.is_set()

    async def wait(self) -> None:
        """Wait until the process has exited."""
        await self._exited.wait()

    def _fire(self) -> None:
        if self._exited.is_set():
            return
        self._close_fd()
        if self._child is not None:
            with contextlib.suppress(Exception):
                self._child.wait(timeout=1)
        self._exited.set()
        self._on_exit()

    def _close_fd(self) -> None:
        if self._fd is not None:
            self._loop.remove_reader(self._fd)
            os.close(self._fd)
            self._fd = None

    def close(self) -> None:
        """Stop watching (without calling ``on_exit``)."""
        self._close_fd()
