"""The client's sans-I/O core: where to connect, what bytes to send, what the answer means.

Both :class:`xenia.client.Session` (blocking sockets) and
:class:`xenia.client.AsyncSession` (asyncio streams) drive the same pieces, so
the two cannot drift apart on framing or error handling:

* :func:`parse_url` turns ``XENIA_URL``-style strings into an :class:`Endpoint`;
* :func:`encode_request` builds one HTTP/1.1 POST of a JSON-RPC 2.0 call;
* :class:`ResponseParser` is fed bytes as they arrive and yields the response;
* :func:`decode_reply` turns the response into a value or raises :class:`Failure`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import orjson

from xenia.client.errors import ConfigError, Failure, ProtocolError

#: the JSON-RPC endpoint of xapi (and xenia)
RPC_PATH = "/jsonrpc"
#: refuse absurd response heads rather than buffering forever
MAX_HEAD = 64 * 1024


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where a server listens: a unix socket path, or a TCP host and port (with TLS for https)."""

    url: str
    unix_path: str | None = None
    host: str = "localhost"
    port: int = 80
    tls: bool = False

    @property
    def is_local(self) -> bool:
        """True for the unix socket, where the daemon treats the caller as root."""
        return self.unix_path is not None


#: ``host:port`` with no scheme and no slash: a TCP address, not a socket path (``127.0.0.1:8080``, ``[::1]:80``)
_HOST_PORT = re.compile(r"^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*):[0-9]+$")


def parse_url(url: str) -> Endpoint:
    """``http://host:port``, ``https://host[:port]``, ``host:port`` (http), ``unix:///path`` or a socket path."""
    if _HOST_PORT.match(url):
        url = f"http://{url}"
    if url.startswith(("http://", "https://")):
        parts = urlsplit(url)
        if not parts.hostname:
            raise ConfigError(f"no host name in URL {url!r}")
        tls = parts.scheme == "https"
        try:
            port = parts.port or (443 if tls else 80)
        except ValueError as e:
            raise ConfigError(f"bad port in URL {url!r}") from e
        return Endpoint(url, None, parts.hostname, port, tls)
    if url.startswith("unix://"):
        url = url[len("unix://") :]
    if "://" in url:
        raise ConfigError(f"unsupported URL {url!r}: use http://, https:// or a unix socket path")
    if not url:
        raise ConfigError("empty URL")
    return Endpoint(url, unix_path=url)


def encode_request(endpoint: Endpoint, method: str, params: list[Any], call_id: int) -> bytes:
    """One complete HTTP/1.1 request carrying a JSON-RPC 2.0 call."""
    body = orjson.dumps({"jsonrpc": "2.0", "method": method, "params": params, "id": call_id})
    host = "localhost" if endpoint.is_local else endpoint.host
    head = (
        f"POST {RPC_PATH} HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        "Content-Type: application/json\r\n"
        "Accept: application/json\r\n"
        "User-Agent: xenia-client\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: keep-alive\r\n\r\n"
    )
    return head.encode("latin-1") + body


@dataclass(slots=True)
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    #: the server will close the connection after this response
    close: bool = False


@dataclass(slots=True)
class ResponseParser:
    """Incremental HTTP/1.1 response parser: Content-Length, chunked, or read-until-close bodies."""

    buf: bytearray = field(default_factory=bytearray)
    _head: tuple[int, dict[str, str], bool] | None = None
    _body: bytearray = field(default_factory=bytearray)

    @property
    def started(self) -> bool:
        """Whether any byte of a response arrived (a request must not be retried after that)."""
        return bool(self.buf) or self._head is not None

    def feed(self, data: bytes) -> HttpResponse | None:
        """Add bytes; return the response once it is complete."""
        self.buf += data
        if self._head is None:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buf) > MAX_HEAD:
                    raise ProtocolError("HTTP response head too long")
                return None
            self._head = self._parse_head(bytes(self.buf[:end]))
            del self.buf[: end + 4]
        status, headers, close = self._head
        if "chunked" in headers.get("transfer-encoding", "").lower():
            return self._chunked(status, headers, close)
        if "content-length" in headers:
            try:
                length = int(headers["content-length"])
            except ValueError as e:
                raise ProtocolError("bad Content-Length") from e
            if len(self.buf) < length:
                return None
            body = bytes(self.buf[:length])
            del self.buf[:length]
            return HttpResponse(status, headers, body, close)
        return None  # body runs until the server closes: see eof()

    def eof(self) -> HttpResponse:
        """The connection closed: complete a read-until-close body, or fail."""
        if self._head is not None:
            status, headers, _ = self._head
            framed = "content-length" in headers or "chunked" in headers.get("transfer-encoding", "").lower()
            if not framed:
                return HttpResponse(status, headers, bytes(self.buf), True)
        raise ProtocolError("connection closed before a complete HTTP response")

    @staticmethod
    def _parse_head(raw: bytes) -> tuple[int, dict[str, str], bool]:
        lines = raw.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
            raise ProtocolError(f"not an HTTP response: {lines[0][:80]!r}")
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        conn = headers.get("connection", "").lower()
        close = conn == "close" or (parts[0] == "HTTP/1.0" and conn != "keep-alive")
        return int(parts[1]), headers, close

    def _chunked(self, status: int, headers: dict[str, str], close: bool) -> HttpResponse | None:
        while True:
            eol = self.buf.find(b"\r\n")
            if eol < 0:
                return None
            try:
                size = int(bytes(self.buf[:eol]).split(b";")[0], 16)
            except ValueError as e:
                raise ProtocolError("bad chunk size") from e
            if size == 0:
                end = self.buf.find(b"\r\n\r\n", eol)  # trailers end with an empty line
                if end < 0:
                    return None
                del self.buf[: end + 4]
                body, self._body = bytes(self._body), bytearray()
                return HttpResponse(status, headers, body, close)
            if len(self.buf) < eol + 2 + size + 2:
                return None
            self._body += self.buf[eol + 2 : eol + 2 + size]
            del self.buf[: eol + 2 + size + 2]

    def reset(self) -> None:
        """Get ready for the next response on the same connection."""
        self._head = None
        self._body = bytearray()


def decode_reply(resp: HttpResponse, call_id: int) -> Any:
    """The result of a JSON-RPC call, or :class:`Failure` with the server's error description."""
    if resp.status != 200:
        text = resp.body.decode("utf-8", errors="replace")[:200]
        raise ProtocolError(f"HTTP {resp.status} from the server: {text}", resp.status)
    try:
        doc = orjson.loads(resp.body)
    except orjson.JSONDecodeError as e:
        raise ProtocolError(f"the server's answer is not JSON: {e}") from e
    if not isinstance(doc, dict):
        raise ProtocolError("the server's answer is not a JSON-RPC response")
    if doc.get("id") != call_id:
        raise ProtocolError(f"answer to call {doc.get('id')!r} where {call_id} was expected")
    err = doc.get("error")
    if err is not None:
        if isinstance(err, dict):  # JSON-RPC 2.0: {"code": 1, "message": CODE, "data": [params]}
            raise Failure([str(err.get("message", "")), *(str(d) for d in err.get("data") or [])])
        if isinstance(err, list):  # JSON-RPC 1.0: [CODE, params...]
            raise Failure([str(d) for d in err])
        raise Failure([str(err)])
    return doc.get("result")


__all__ = ["RPC_PATH", "Endpoint", "HttpResponse", "ResponseParser", "decode_reply", "encode_request", "parse_url"]
