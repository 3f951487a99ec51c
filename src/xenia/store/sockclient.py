"""A small blocking client for the wire protocol: the CLI, tests and the benchmark use it.

One request in flight at a time (like libxenstore); watch events that arrive in between are queued in
:attr:`SyncClient.events`.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from .errors import ERROR_NAMES, XsError
from .wire import Decoder, Op, Packet, encode

__all__ = ["SyncClient", "socket_path"]


def socket_path(explicit: str | None = None, state_dir: str | None = None) -> Path:
    """``explicit``, else ``$XENSTORED_PATH``, else ``<state_dir or ./var>/xenstored.sock``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("XENSTORED_PATH")
    if env:
        return Path(env)
    return Path(state_dir or "var") / "xenstored.sock"


class SyncClient:
    def __init__(self, path: Path | str) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(str(path))
        self.decoder = Decoder()
        self.events: list[tuple[bytes, bytes]] = []
        self._pending: list[Packet] = []
        self._req = 0

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _next(self) -> Packet:
        while not self._pending:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("store closed the connection")
            self._pending.extend(self.decoder.feed(data))
        return self._pending.pop(0)

    def request(self, op: Op, payload: bytes = b"", tx: int = 0) -> bytes:
        """Send one request and return the reply payload. :raises XsError: on an ERROR reply."""
        self._req += 1
        self.sock.sendall(encode(Packet(op, self._req, tx, payload)))
        while True:
            p = self._next()
            if p.type == Op.WATCH_EVENT:
                path, token, *_ = p.payload.split(b"\0")
                self.events.append((path, token))
                continue
            if p.type == Op.ERROR:
                name = p.payload.rstrip(b"\0").decode()
                raise XsError(name if name in ERROR_NAMES else "EINVAL", name)
            return p.payload

    def wait_event(self) -> tuple[bytes, bytes]:
        """Block until a watch event arrives."""
        while not self.events:
            p = self._next()
            if p.type == Op.WATCH_EVENT:
                path, token, *_ = p.payload.split(b"\0")
                self.events.append((path, token))
        return self.events.pop(0)

    # conveniences ----------------------------------------------------------------------------------

    def read(self, path: str, tx: int = 0) -> bytes:
        return self.request(Op.READ, path.encode() + b"\0", tx)

    def write(self, path: str, value: bytes | str, tx: int = 0) -> None:
        v = value.encode() if isinstance(value, str) else value
        self.request(Op.WRITE, path.encode() + b"\0" + v, tx)

    def mkdir(self, path: str, tx: int = 0) -> None:
        self.request(Op.MKDIR, path.encode() + b"\0", tx)

    def rm(self, path: str, tx: int = 0) -> None:
        self.request(Op.RM, path.encode() + b"\0", tx)

    def directory(self, path: str, tx: int = 0) -> list[str]:
        data = self.request(Op.DIRECTORY, path.encode() + b"\0", tx)
        return [n.decode() for n in data.split(b"\0")[:-1]] if data else []

    def get_perms(self, path: str, tx: int = 0) -> list[str]:
        return [p.decode() for p in self.request(Op.GET_PERMS, path.encode() + b"\0", tx).split(b"\0")[:-1]]

    def set_perms(self, path: str, perms: list[str], tx: int = 0) -> None:
        self.request(Op.SET_PERMS, b"".join(x.encode() + b"\0" for x in [path, *perms]), tx)

    def watch(self, path: str, token: str) -> None:
        self.request(Op.WATCH, f"{path}\0{token}\0".encode())

    def unwatch(self, path: str, token: str) -> None:
        self.request(Op.UNWATCH, f"{path}\0{token}\0".encode())

    def start(self) -> int:
        return int(self.request(Op.TRANSACTION_START, b"\0").rstrip(b"\0"))

    def end(self, tx: int, commit: bool = True) -> None:
        self.request(Op.TRANSACTION_END, b"T\0" if commit else b"F\0", tx)

    def control(self, *args: str) -> bytes:
        return self.request(Op.CONTROL, b"".join(a.encode() + b"\0" for a in args)).rstrip(b"\0")

    def history(self, *args: str) -> str:
        """A paged CONTROL ``history`` command, reassembled."""
        out = b""
        while True:
            chunk = self.control("history", str(len(out)), *args)
            out += chunk[1:]
            if chunk[:1] != b"M":
                return out.decode("utf-8", "replace")
