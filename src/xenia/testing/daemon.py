"""Start a real ``xenia serve`` process on a throw-away state directory.

Tests talk to it as clients do: over TCP, JSON-RPC and the local socket.  The
state directory's path avoids underscores, since the XenAPI SDK's unix-socket
transport spells ``/`` as ``_`` in its host name.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

ROOT_PASSWORD = "xenia-test-pw"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _state_tmpdir() -> str:
    """A fresh directory under /tmp whose name has no underscore (mkdtemp's random part may have one)."""
    while True:
        path = tempfile.mkdtemp(prefix="xenia", dir="/tmp")
        if "_" not in path:
            return path
        os.rmdir(path)


class DaemonProcess:
    """A ``xenia serve`` child process; ``start()`` returns once it answers."""

    def __init__(self, state_dir: Path | None = None, extra_args: list[str] | None = None,
                 env: dict[str, str] | None = None) -> None:  # fmt: skip
        self._tmp = None
        if state_dir is None:
            self._tmp = _state_tmpdir()
            state_dir = Path(self._tmp)
        self.state_dir = state_dir
        self.port = free_port()
        self.extra_args = extra_args or []
        self.env = env or {}
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = state_dir / "daemon.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def socket_path(self) -> Path:
        return self.state_dir / "xapi.sock"

    #: the port start() waits for, when not the plain ``--listen`` one (a daemon with plain HTTP closed)
    wait_port: int | None = None

    def start(self, timeout: float = 60.0) -> DaemonProcess:
        env = {**os.environ, "XENIA_ROOT_PASSWORD": ROOT_PASSWORD, **self.env}
        args = [sys.executable, "-m", "xenia.cli.main", "serve", "--state-dir", str(self.state_dir),
                "--listen", f"127.0.0.1:{self.port}", "--auth-fail-delay", "0.2", *self.extra_args]  # fmt: skip
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"xenia serve exited with {self.proc.returncode}: {self.log_path.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.wait_port or self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("xenia serve did not start in time")

    def kill(self) -> None:
        """SIGKILL: the crash every committed call must survive."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def cleanup(self) -> None:
        self.stop()
        if self._tmp is not None:
            subprocess.run(["rm", "-rf", self._tmp], check=False)

    def __enter__(self) -> DaemonProcess:
        return self.start()

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.cleanup()
