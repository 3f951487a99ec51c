"""Raw-socket HTTP for the tests: send exact bytes, read answers one by one as a client would."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field

import orjson

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess


@dataclass
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


class Reader:
    """Reads HTTP/1.1 answers with a Content-Length (what the daemon sends) from one socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buf = bytearray()

    def _fill(self) -> bool:
        data = self.sock.recv(65536)
        self.buf += data
        return bool(data)

    def answer(self) -> Answer | None:
        """The next answer, or None when the daemon closed the connection first."""
        while b"\r\n\r\n" not in self.buf:
            if not self._fill():
                if self.buf:
                    raise AssertionError(f"connection closed inside an answer's head: {bytes(self.buf)!r}")
                return None
        end = self.buf.index(b"\r\n\r\n")
        line, *lines = bytes(self.buf[:end]).decode("latin-1").split("\r\n")
        del self.buf[: end + 4]
        version, status, *_ = line.split(" ")
        assert version == "HTTP/1.1", line
        headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in lines)}
        length = int(headers["content-length"])
        while len(self.buf) < length:
            if not self._fill():
                raise AssertionError("connection closed inside an answer's body")
        body = bytes(self.buf[:length])
        del self.buf[:length]
        return Answer(int(status), headers, body)

    def closed(self) -> bool:
        """True when the daemon has closed the connection (after whatever was left to read)."""
        return not self._fill() and not self.buf


def connect(daemon: DaemonProcess, source: str = "127.0.0.1", timeout: float = 30.0) -> socket.socket:
    sock = socket.socket()
    sock.settimeout(timeout)
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", daemon.port))
    return sock


def post(path: str, body: bytes, ctype: str = "application/json", extra: str = "") -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
            .encode() + body)  # fmt: skip


def jsonrpc(method: str, params: list[object], id: int = 1) -> bytes:
    return post("/jsonrpc", orjson.dumps({"jsonrpc": "2.0", "method": method, "params": params, "id": id}))


def login_request(id: int = 1) -> bytes:
    return jsonrpc("session.login_with_password", ["root", ROOT_PASSWORD, "2.0", "tests"], id)


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")
