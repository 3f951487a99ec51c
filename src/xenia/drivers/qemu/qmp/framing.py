"""QMP framing, sans I/O: bytes in, typed messages out; commands in, bytes out.

QMP is newline-delimited JSON over a stream. Keeping the parsing free of sockets lets the tests
feed it arbitrary chunkings and lets the client stay a thin asyncio shell.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from xenia.drivers.qemu.qmp.errors import ProtocolError

__all__ = ["Decoder", "ErrorReply", "Event", "Greeting", "Message", "Return", "encode_command", "parse_message"]

JSONObject = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Greeting:
    """The first message QEMU sends: its version and the capabilities it offers."""

    version: tuple[int, int, int]
    package: str
    capabilities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Return:
    """A successful reply to the command with this ``id``."""

    id: Any
    value: Any


@dataclass(frozen=True, slots=True)
class ErrorReply:
    """A failed reply to the command with this ``id``."""

    id: Any
    error_class: str
    desc: str


@dataclass(frozen=True, slots=True)
class Event:
    """An asynchronous event; ``timestamp`` is host wall-clock seconds."""

    name: str
    data: JSONObject
    timestamp: float


Message = Greeting | Return | ErrorReply | Event


def parse_message(obj: object) -> Message:
    """Classify one decoded JSON object as a QMP message.

    :raises ProtocolError: the object is not a QMP message.
    """
    if not isinstance(obj, dict):
        raise ProtocolError(f"QMP message is not an object: {obj!r}")
    if "return" in obj:
        return Return(obj.get("id"), obj["return"])
    if "error" in obj:
        err = obj["error"]
        if not isinstance(err, dict):
            raise ProtocolError(f"malformed error reply: {obj!r}")
        return ErrorReply(obj.get("id"), str(err.get("class", "")), str(err.get("desc", "")))
    if "event" in obj:
        ts = obj.get("timestamp") or {}
        seconds = float(ts.get("seconds", 0)) + float(ts.get("microseconds", 0)) / 1e6
        data = obj.get("data") or {}
        return Event(str(obj["event"]), data if isinstance(data, dict) else {"value": data}, seconds)
    if "QMP" in obj:
        qmp = obj["QMP"]
        try:
            v = qmp["version"]["qemu"]
            return Greeting(
                (int(v["major"]), int(v["minor"]), int(v["micro"])),
                str(qmp["version"].get("package", "")),
                tuple(qmp.get("capabilities", ())),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ProtocolError(f"malformed greeting: {obj!r}") from exc
    raise ProtocolError(f"unknown QMP message: {obj!r}")


class Decoder:
    """Accumulates bytes and yields complete messages, one per line."""

    #: A single message larger than this is treated as a protocol error (a runaway stream).
    MAX_LINE = 64 * 1024 * 1024

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[Message]:
        """Add ``data`` and return every message it completed (possibly none).

        :raises ProtocolError: a line is not JSON or not a QMP message.
        """
        self._buffer += data
        messages: list[Message] = []
        while True:
            end = self._buffer.find(b"\n")
            if end < 0:
                if len(self._buffer) > self.MAX_LINE:
                    raise ProtocolError("QMP message exceeds the size limit")
                return messages
            line = bytes(self._buffer[:end]).strip()
            del self._buffer[: end + 1]
            if not line:
                continue
            try:
                obj = json.loads(line)
            except ValueError as exc:
                raise ProtocolError(f"invalid JSON from QEMU: {line[:200]!r}") from exc
            messages.append(parse_message(obj))

    @property
    def pending(self) -> int:
        """Bytes received that do not yet form a complete line."""
        return len(self._buffer)


def encode_command(command: str, arguments: JSONObject | None, msg_id: Any) -> bytes:
    """Serialise one command as a QMP line."""
    msg: JSONObject = {"execute": command, "id": msg_id}
    if arguments:
        msg["arguments"] = arguments
    return json.dumps(msg, separators=(",", ":")).encode() + b"\n"
