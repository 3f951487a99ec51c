"""Sans-I/O codec for the xenstore wire protocol (Xen's ``xs_wire.h``).

Every frame is a 16-byte header -- ``type``, ``req_id``, ``tx_id``, ``len`` as little-endian u32 -- followed
by ``len`` payload bytes. This module only turns bytes into :class:`Packet` objects and back; the asyncio
shell in :mod:`xenia.store.server` owns the socket. Keeping the codec free of I/O lets the tests and the
benchmark drive it directly.
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass

__all__ = [
    "HEADER",
    "PAYLOAD_MAX",
    "Decoder",
    "Op",
    "Packet",
    "ProtocolError",
    "encode",
    "split_strings",
]

#: Header layout: four little-endian unsigned 32-bit fields.
HEADER = struct.Struct("<IIII")
#: XENSTORE_PAYLOAD_MAX: no frame may carry more, in either direction.
PAYLOAD_MAX = 4096


class Op(enum.IntEnum):
    """Message types, numbered as the C enum in ``xs_wire.h`` (Xen 4.17 plus the 4.18 additions)."""

    CONTROL = 0
    DIRECTORY = 1
    READ = 2
    GET_PERMS = 3
    WATCH = 4
    UNWATCH = 5
    TRANSACTION_START = 6
    TRANSACTION_END = 7
    INTRODUCE = 8
    RELEASE = 9
    GET_DOMAIN_PATH = 10
    WRITE = 11
    MKDIR = 12
    RM = 13
    SET_PERMS = 14
    WATCH_EVENT = 15
    ERROR = 16
    IS_DOMAIN_INTRODUCED = 17
    RESUME = 18
    SET_TARGET = 19
    RESTRICT = 20  # retired: always ENOSYS
    RESET_WATCHES = 21
    DIRECTORY_PART = 22
    GET_FEATURE = 23
    SET_FEATURE = 24
    GET_QUOTA = 25
    SET_QUOTA = 26


class ProtocolError(Exception):
    """The peer broke framing (oversized length); the only cure is dropping the connection."""


@dataclass(frozen=True, slots=True)
class Packet:
    """One frame. ``type`` stays a plain int so unknown numbers survive decoding and get ENOSYS."""

    type: int
    req_id: int
    tx_id: int
    payload: bytes


def encode(packet: Packet) -> bytes:
    """Frame ``packet``. Callers must keep payloads within :data:`PAYLOAD_MAX` (the server turns an
    oversized reply into E2BIG before it gets here)."""
    return HEADER.pack(packet.type, packet.req_id, packet.tx_id, len(packet.payload)) + packet.payload


class Decoder:
    """Incremental frame parser: feed it whatever the socket returned, get whole packets back."""

    def __init__(self, max_payload: int = PAYLOAD_MAX) -> None:
        self._buf = bytearray()
        self._max = max_payload

    def feed(self, data: bytes) -> list[Packet]:
        """Add ``data`` and return every packet now complete.

        :raises ProtocolError: when a header announces more than the payload limit; the rest of the
            stream cannot be trusted after that, so the connection must be closed.
        """
        self._buf += data
        out: list[Packet] = []
        while len(self._buf) >= HEADER.size:
            type_, req_id, tx_id, length = HEADER.unpack_from(self._buf)
            if length > self._max:
                raise ProtocolError(f"payload length {length} exceeds {self._max}")
            end = HEADER.size + length
            if len(self._buf) < end:
                break
            out.append(Packet(type_, req_id, tx_id, bytes(self._buf[HEADER.size : end])))
            del self._buf[:end]
        return out

    @property
    def pending(self) -> int:
        """Bytes buffered that do not yet form a whole packet."""
        return len(self._buf)


def split_strings(payload: bytes) -> list[bytes]:
    """Split a NUL-separated payload into its fields.

    A trailing NUL terminates the last field rather than starting an empty one, so ``b"a\\0b\\0"``
    gives ``[b"a", b"b"]`` and ``b"\\0"`` gives ``[b""]``.
    """
    if not payload:
        return []
    parts = payload.split(b"\0")
    if payload.endswith(b"\0"):
        parts.pop()
    return parts
