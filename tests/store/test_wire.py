"""The codec, and the daemon's answers to malformed input: error replies or a dropped connection,
never a crash."""

from __future__ import annotations

import socket
import struct

import pytest

from xenia.store.errors import XsError
from xenia.store.wire import HEADER, Decoder, Op, Packet, ProtocolError, encode, split_strings

from .conftest import Daemon


def test_roundtrip_and_partial_feed() -> None:
    frames = encode(Packet(Op.WRITE, 7, 3, b"/a\0v")) + encode(Packet(Op.READ, 8, 0, b"/a\0"))
    d = Decoder()
    out = []
    for i in range(len(frames)):  # one byte at a time
        out += d.feed(frames[i : i + 1])
    assert out == [Packet(Op.WRITE, 7, 3, b"/a\0v"), Packet(Op.READ, 8, 0, b"/a\0")]
    assert d.pending == 0


def test_oversized_header_is_protocol_error() -> None:
    with pytest.raises(ProtocolError):
        Decoder().feed(HEADER.pack(Op.READ, 0, 0, 4097))


def test_split_strings() -> None:
    assert split_strings(b"a\0b\0") == [b"a", b"b"]
    assert split_strings(b"\0") == [b""]
    assert split_strings(b"") == []


def raw(sock: socket.socket, type_: int, payload: bytes, req: int = 1, tx: int = 0) -> Packet:
    sock.sendall(HEADER.pack(type_, req, tx, len(payload)) + payload)
    d = Decoder()
    while True:
        got = d.feed(sock.recv(65536))
        if got:
            return got[0]


def test_ids_echoed_and_errors(daemon: Daemon) -> None:
    s = socket.socket(socket.AF_UNIX)
    s.connect(str(daemon.socket))
    p = raw(s, Op.WRITE, b"/x\0v", req=77)
    assert (p.type, p.req_id, p.payload) == (Op.WRITE, 77, b"OK\0")
    assert raw(s, 20, b"") == Packet(Op.ERROR, 1, 0, b"ENOSYS\0")  # retired RESTRICT
    assert raw(s, 999, b"x").payload == b"ENOSYS\0"
    assert raw(s, Op.WRITE, b"/nonul").payload == b"EINVAL\0"
    assert raw(s, Op.READ, b"/x\xff\0").payload == b"EINVAL\0"
    assert raw(s, Op.TRANSACTION_END, b"T\0", tx=0).payload == b"ENOENT\0"
    assert raw(s, Op.READ, b"/x\0", tx=12345).payload == b"ENOENT\0"
    assert raw(s, Op.SET_PERMS, b"/x\0q9\0").payload == b"EINVAL\0"
    assert raw(s, Op.INTRODUCE, b"1\0").payload == b"EINVAL\0"
    tx = raw(s, Op.TRANSACTION_START, b"\0")
    txid = int(tx.payload.rstrip(b"\0"))
    assert raw(s, Op.TRANSACTION_START, b"\0", tx=txid).payload == b"EBUSY\0"
    assert raw(s, Op.TRANSACTION_END, b"X\0", tx=txid).payload == b"EINVAL\0"
    assert raw(s, Op.READ, b"/x\0", req=5, tx=txid) == Packet(Op.READ, 5, txid, b"v")
    s.close()


def test_oversized_packet_drops_only_that_connection(daemon: Daemon, dom0) -> None:
    s = socket.socket(socket.AF_UNIX)
    s.connect(str(daemon.socket))
    s.sendall(struct.pack("<IIII", Op.WRITE, 0, 0, 100000) + b"x" * 100)
    assert s.recv(100) == b""  # closed
    s.close()
    dom0.write("/still", "alive")
    assert dom0.read("/still") == b"alive"


def test_disconnect_mid_packet_and_in_transaction(daemon: Daemon, dom0) -> None:
    s = socket.socket(socket.AF_UNIX)
    s.connect(str(daemon.socket))
    raw(s, Op.TRANSACTION_START, b"\0")
    s.sendall(HEADER.pack(Op.WRITE, 0, 0, 50) + b"/half")
    s.close()
    dom0.write("/after", "ok")
    assert dom0.read("/after") == b"ok"


def test_reply_too_big_is_e2big(dom0) -> None:
    tx = dom0.start()
    for i in range(300):
        dom0.write(f"/big/name-number-{i:05d}", "", tx)
    dom0.end(tx)
    with pytest.raises(XsError) as exc:
        dom0.directory("/big")
    assert exc.value.name == "E2BIG"


def test_directory_part_paging(dom0) -> None:
    names = [f"n{i:06d}" for i in range(700)]
    tx = dom0.start()
    for n in names:
        dom0.write(f"/dp/{n}", "", tx)
    dom0.end(tx)
    got: list[bytes] = []
    offset = 0
    while True:
        reply = dom0.request(Op.DIRECTORY_PART, f"/dp\0{offset}\0".encode())
        gen, _, rest = reply.partition(b"\0")
        assert gen.isdigit()
        if rest.endswith(b"\0\0") or rest == b"\0":
            got += rest[:-2].split(b"\0") if rest != b"\0" else []
            break
        got += rest[:-1].split(b"\0")
        offset += len(rest)
    assert [g.decode() for g in got] == names


def test_quota_and_feature_messages(dom0) -> None:
    assert b"nodes" in dom0.request(Op.GET_QUOTA, b"")
    dom0.request(Op.SET_QUOTA, b"nodes\0005\0")
    assert dom0.request(Op.GET_QUOTA, b"nodes\0") == b"5\0"
    assert dom0.request(Op.GET_FEATURE, b"") == b"0\0"
