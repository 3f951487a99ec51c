"""A client that never reads cannot grow the store daemon without bound (issue 9, item 3).

The daemon runs as its own process so its RSS can be read from /proc. A raw socket registers watches
with long tokens and then never reads; 3 000 writes from another client each fire every watch. cxenstored
drops a guest's events beyond its memory quota (XSA-326); xenia does the same and drops a privileged
connection whose backlog passes a fixed bound. Either way the daemon stays small and keeps serving the
Debian tools.
"""

from __future__ import annotations

import socket

from xenia.store.sockclient import SyncClient
from xenia.store.wire import HEADER, Op

from .conftest import StoreProcess

WATCHES = 30
TOKEN = "t" * 3900
WRITES = 3000
#: far below what 3 000 writes x 30 watches x 4 KiB events would take unbounded (~360 MiB)
RSS_BOUND = 64 * 2**20


def frame(op: int, payload: bytes, req: int = 1) -> bytes:
    return HEADER.pack(op, req, 0, len(payload)) + payload


def silent_watcher(store: StoreProcess, path: str, domid: int = 0) -> socket.socket:
    """A connection that registers watches on ``path`` and then never reads a byte."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(str(store.socket))
    out = b""
    if domid:
        out += frame(Op.CONTROL, f"act-as\0{domid}\0".encode())
    for i in range(WATCHES):
        out += frame(Op.WATCH, f"{path}\0{TOKEN}{i}\0".encode(), req=i + 2)
    s.sendall(out)
    return s


def write_many(store: StoreProcess, base: str) -> None:
    with SyncClient(store.socket) as c:
        for i in range(WRITES):  # distinct paths: every event differs, none is merged with a pending one
            c.write(f"{base}/{i // 100}/{i % 100}", "x" * 20)
            if i % 1000 == 999:  # other clients are served during the flood
                assert store.tool("xenstore-read", f"{base}/{i // 100}/{i % 100}") == "x" * 20 + "\n"


def test_guest_that_never_reads_is_bounded(store: StoreProcess) -> None:
    with SyncClient(store.socket) as dom0:
        dom0.write("/local/domain/5/data", "")
        dom0.set_perms("/local/domain/5/data", ["n5"])  # the guest may read what dom0 writes below
    watcher = silent_watcher(store, "/local/domain/5/data", domid=5)
    with SyncClient(store.socket) as dom0:
        dom0.read("/")  # the watcher's requests are in before the flood starts
    before = store.rss()
    write_many(store, "/local/domain/5/data")
    grown = store.rss() - before
    assert grown < RSS_BOUND, f"daemon grew by {grown / 2**20:.0f} MiB"
    assert store.tool("xenstore-read", "/local/domain/5/data/29/99") == "x" * 20 + "\n"
    with SyncClient(store.socket) as dom0:
        stats = dict(kv.split("=") for kv in dom0.control("stats").decode().split())
    assert int(stats["events_dropped"]) > 0
    # the guest's connection was kept (its events were dropped): once it reads, it is answered
    watcher.settimeout(30)
    watcher.sendall(frame(Op.GET_DOMAIN_PATH, b"5\0", req=99))
    data = b""
    while b"/local/domain/5\0" not in data:
        chunk = watcher.recv(1 << 20)
        assert chunk, "the guest's connection was closed"
        data += chunk
    watcher.close()


def test_dom0_connection_that_never_reads_is_bounded(store: StoreProcess) -> None:
    watcher = silent_watcher(store, "/")
    with SyncClient(store.socket) as dom0:
        dom0.read("/")
    before = store.rss()
    write_many(store, "/data")
    grown = store.rss() - before
    assert grown < RSS_BOUND, f"daemon grew by {grown / 2**20:.0f} MiB"
    assert store.tool("xenstore-ls", "/tool") is not None
    # the privileged connection was dropped: reading drains what was sent, then meets EOF
    watcher.settimeout(30)
    while watcher.recv(1 << 20):
        pass
    watcher.close()
