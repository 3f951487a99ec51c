"""Packet -> engine call -> reply packet: the protocol layer, still without I/O.

Each request is answered by exactly one reply carrying the request's ``req_id`` and ``tx_id``; failures
become an ``ERROR`` packet with the errno name. Nothing here raises for bad input: malformed payloads
get EINVAL, unknown and retired types ENOSYS, replies too large for the wire E2BIG.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from . import control, paths
from .engine import Engine, Session
from .errors import XsError
from .perms import format_perms, parse_perms
from .wire import PAYLOAD_MAX, Op, Packet, split_strings

__all__ = ["dispatch"]

log = logging.getLogger(__name__)
OK = b"OK\0"


def _int(raw: bytes, lo: int = 0, hi: int = 65535) -> int:
    try:
        value = int(raw.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        raise XsError("EINVAL", f"bad number {raw!r}") from None
    if not lo <= value <= hi:
        raise XsError("EINVAL", f"number out of range {value}")
    return value


def _fields(payload: bytes, n: int, at_least: bool = False) -> list[bytes]:
    fields = split_strings(payload)
    if len(fields) < n or (not at_least and len(fields) > n):
        raise XsError("EINVAL", f"expected {n} fields, got {len(fields)}")
    return fields


def _path(payload: bytes) -> bytes:
    return _fields(payload, 1)[0]


def _directory_part(engine: Engine, s: Session, tx_id: int, payload: bytes) -> bytes:
    raw_path, raw_off = _fields(payload, 2)
    offset = _int(raw_off, 0, 2**31)
    # listing through the engine records it in the transaction like DIRECTORY does
    names: tuple[str, ...] = engine.request(s, "directory", raw_path, tx_id=tx_id)
    node_gen = engine.generation(s, raw_path, tx_id)
    gen = f"{node_gen}\0".encode()
    data = b"".join(n.encode() + b"\0" for n in names)
    room = PAYLOAD_MAX - len(gen) - 1
    if offset >= len(data):
        return gen + b"\0"
    end = offset
    while end < len(data):
        nxt = data.index(b"\0", end) + 1
        if nxt - offset > room:
            break
        end = nxt
    return gen + data[offset:end] + (b"\0" if end == len(data) else b"")


Handler = Callable[[Engine, Session, Packet], bytes]


def _tree(kind: str) -> Handler:
    def handle(engine: Engine, s: Session, p: Packet) -> bytes:
        result = engine.request(s, kind, _path(p.payload), tx_id=p.tx_id)
        if kind == "read":
            assert isinstance(result, bytes)
            return result
        if kind == "directory":
            return b"".join(n.encode() + b"\0" for n in result)
        if kind == "get_perms":
            return format_perms(result)
        return OK

    return handle


def _write(engine: Engine, s: Session, p: Packet) -> bytes:
    path, sep, value = p.payload.partition(b"\0")
    if not sep:
        raise XsError("EINVAL", "WRITE without a value")
    engine.request(s, "write", path, value, tx_id=p.tx_id)
    return OK


def _set_perms(engine: Engine, s: Session, p: Packet) -> bytes:
    fields = _fields(p.payload, 2, at_least=True)
    engine.request(s, "set_perms", fields[0], parse_perms(fields[1:]), tx_id=p.tx_id)
    return OK


def _watch(engine: Engine, s: Session, p: Packet) -> bytes:
    fields = _fields(p.payload, 2, at_least=True)
    if len(fields) > 3:
        raise XsError("EINVAL")
    engine.watch(s, fields[0], fields[1])
    return OK


def _unwatch(engine: Engine, s: Session, p: Packet) -> bytes:
    path, token = _fields(p.payload, 2)
    engine.unwatch(s, path, token)
    return OK


def _tx_start(engine: Engine, s: Session, p: Packet) -> bytes:
    if p.tx_id:
        raise XsError("EBUSY" if p.tx_id in s.transactions else "ENOENT")
    return f"{engine.transaction_start(s)}\0".encode()


def _tx_end(engine: Engine, s: Session, p: Packet) -> bytes:
    if not p.tx_id:
        raise XsError("ENOENT", "no transaction")
    arg = split_strings(p.payload)
    if arg not in ([b"T"], [b"F"]):
        raise XsError("EINVAL", "TRANSACTION_END takes T or F")
    engine.transaction_end(s, p.tx_id, arg == [b"T"])
    return OK


def _introduce(engine: Engine, s: Session, p: Packet) -> bytes:
    f = _fields(p.payload, 3)
    engine.introduce(s, _int(f[0]), _int(f[1], -(2**63), 2**64))
    _int(f[2], 0, 2**32)
    return OK


def _release(engine: Engine, s: Session, p: Packet) -> bytes:
    engine.release(s, _int(_path(p.payload)))
    return OK


def _resume(engine: Engine, s: Session, p: Packet) -> bytes:
    engine.resume(s, _int(_path(p.payload)))
    return OK


def _is_introduced(engine: Engine, s: Session, p: Packet) -> bytes:
    return b"T\0" if engine.is_introduced(s, _int(_path(p.payload))) else b"F\0"


def _domain_path(engine: Engine, s: Session, p: Packet) -> bytes:
    return paths.home(_int(_path(p.payload))).encode() + b"\0"


def _set_target(engine: Engine, s: Session, p: Packet) -> bytes:
    a, b = _fields(p.payload, 2)
    engine.set_target(s, _int(a), _int(b))
    return OK


def _reset_watches(engine: Engine, s: Session, p: Packet) -> bytes:
    engine.reset_watches(s)
    return OK


def _get_feature(engine: Engine, s: Session, p: Packet) -> bytes:
    fields = split_strings(p.payload)
    if fields and fields != [b""]:
        if not s.privileged:
            raise XsError("EACCES")
        _int(fields[0])
    return b"0\0"


def _set_feature(engine: Engine, s: Session, p: Packet) -> bytes:
    if not s.privileged:
        raise XsError("EACCES")
    domid, _value = _fields(p.payload, 2)
    if _int(domid) in engine.domains:
        raise XsError("EBUSY")
    return OK


def _get_quota(engine: Engine, s: Session, p: Packet) -> bytes:
    if not s.privileged:
        raise XsError("EACCES")
    fields = [f for f in split_strings(p.payload) if f]
    if not fields:
        return " ".join(engine.quotas.NAMES).encode() + b"\0"
    name = fields[-1].decode("ascii", "replace")
    if len(fields) == 2:
        _int(fields[0])
    return f"{engine.quotas.get(name)}\0".encode()


def _set_quota(engine: Engine, s: Session, p: Packet) -> bytes:
    if not s.privileged:
        raise XsError("EACCES")
    fields = split_strings(p.payload)
    if len(fields) not in (2, 3):
        raise XsError("EINVAL")
    engine.set_quota(s, fields[-2].decode("ascii", "replace"), _int(fields[-1], 0, 2**31))
    return OK


def _control(engine: Engine, s: Session, p: Packet) -> bytes:
    return control.run(engine, s, split_strings(p.payload))


HANDLERS: dict[int, Handler] = {
    Op.CONTROL: _control,
    Op.DIRECTORY: _tree("directory"),
    Op.READ: _tree("read"),
    Op.GET_PERMS: _tree("get_perms"),
    Op.WATCH: _watch,
    Op.UNWATCH: _unwatch,
    Op.TRANSACTION_START: _tx_start,
    Op.TRANSACTION_END: _tx_end,
    Op.INTRODUCE: _introduce,
    Op.RELEASE: _release,
    Op.GET_DOMAIN_PATH: _domain_path,
    Op.WRITE: _write,
    Op.MKDIR: _tree("mkdir"),
    Op.RM: _tree("rm"),
    Op.SET_PERMS: _set_perms,
    Op.IS_DOMAIN_INTRODUCED: _is_introduced,
    Op.RESUME: _resume,
    Op.SET_TARGET: _set_target,
    Op.RESET_WATCHES: _reset_watches,
    Op.DIRECTORY_PART: lambda e, s, p: _directory_part(e, s, p.tx_id, p.payload),
    Op.GET_FEATURE: _get_feature,
    Op.SET_FEATURE: _set_feature,
    Op.GET_QUOTA: _get_quota,
    Op.SET_QUOTA: _set_quota,
}


def dispatch(engine: Engine, session: Session, packet: Packet) -> Packet:
    """Answer one request. Never raises: every failure is an ERROR reply."""
    handler = HANDLERS.get(packet.type)
    try:
        if handler is None:
            raise XsError("ENOSYS" if packet.type not in (Op.WATCH_EVENT, Op.ERROR) else "EINVAL")
        payload = handler(engine, session, packet)
        if len(payload) > PAYLOAD_MAX:
            raise XsError("E2BIG")
        return Packet(packet.type, packet.req_id, packet.tx_id, payload)
    except XsError as exc:
        name = exc.name
    except Exception:  # a bug must cost one request, never the daemon
        log.exception("internal error handling %r", packet)
        name = "EIO"
    return Packet(Op.ERROR, packet.req_id, packet.tx_id, name.encode() + b"\0")
