"""Scenarios ported from the behaviour tables of oxenstored's and ocaml-xenstore-server's unit tests
(xenstore.md 3.3), written afresh: each drives the daemon over its socket, as dom0 and as guests
(CONTROL act-as), and checks replies and errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from xenia.store.errors import XsError
from xenia.store.sockclient import SyncClient
from xenia.store.wire import Op

from .conftest import Daemon


def err(fn: Callable[..., Any], *args: Any) -> str:
    with pytest.raises(XsError) as exc:
        fn(*args)
    return exc.value.name


def make_domain(dom0: SyncClient, domid: int) -> None:
    dom0.write(f"/local/domain/{domid}", "")
    dom0.set_perms(f"/local/domain/{domid}", [f"n{domid}"])


# -- tree basics -------------------------------------------------------------------------------------


def test_implicit_create(dom0: SyncClient) -> None:
    dom0.write("/a/b/c", "v")
    assert dom0.read("/a") == b"" and dom0.read("/a/b") == b""
    assert dom0.directory("/a") == ["b"]
    assert dom0.get_perms("/a/b") == ["n0"]


def test_guest_implicit_create_owns_new_nodes(daemon: Daemon, dom0: SyncClient) -> None:
    make_domain(dom0, 1)
    g = daemon.client(1)
    g.write("data/x/y", "1")  # relative: under /local/domain/1
    assert dom0.get_perms("/local/domain/1/data") == ["n1"]
    assert dom0.read("/local/domain/1/data/x/y") == b"1"


def test_directory_order_is_creation_order(dom0: SyncClient) -> None:
    for n in ("zeta", "alpha", "mid"):
        dom0.write(f"/order/{n}", "")
    assert dom0.directory("/order") == ["zeta", "alpha", "mid"]
    dom0.write("/order/alpha", "again")  # rewriting keeps the place
    assert dom0.directory("/order") == ["zeta", "alpha", "mid"]


def test_mkdir(dom0: SyncClient) -> None:
    dom0.write("/m", "keep")
    dom0.mkdir("/m")
    assert dom0.read("/m") == b"keep"
    dom0.mkdir("/m/n/o")
    assert dom0.read("/m/n/o") == b""


def test_rm(dom0: SyncClient) -> None:
    dom0.write("/r/a/b", "1")
    dom0.rm("/r/a/missing")  # parent exists: fine
    assert err(dom0.rm, "/r/zz/missing") == "ENOENT"
    dom0.rm("/r/a")
    assert dom0.directory("/r") == []
    assert err(dom0.rm, "/") == "EINVAL"


def test_empty_value_and_root(dom0: SyncClient) -> None:
    dom0.write("/e", "")
    assert dom0.read("/e") == b""
    assert "tool" in dom0.directory("/")
    assert err(dom0.read, "") == "EINVAL"


# -- permissions -------------------------------------------------------------------------------------


def test_perms_and_owner(daemon: Daemon, dom0: SyncClient) -> None:
    make_domain(dom0, 1)
    make_domain(dom0, 2)
    g1, g2 = daemon.client(1), daemon.client(2)
    g1.write("/local/domain/1/secret", "s")
    assert err(g2.read, "/local/domain/1/secret") == "EACCES"
    assert err(g2.write, "/local/domain/1/secret", "x") == "EACCES"
    g1.set_perms("/local/domain/1/secret", ["n1", "r2"])
    assert g2.read("/local/domain/1/secret") == b"s"
    assert err(g2.write, "/local/domain/1/secret", "x") == "EACCES"
    assert err(g1.set_perms, "/local/domain/1/secret", ["n2"]) == "EPERM"  # only dom0 changes owners
    assert err(g2.set_perms, "/local/domain/1/secret", ["n2"]) == "EACCES"
    dom0.set_perms("/local/domain/1/secret", ["b2"])
    assert g1.read("/local/domain/1/secret") == b"s"  # default right b for others
    assert g2.get_perms("/local/domain/1/secret") == ["b2"]


def test_existence_hidden_without_rights(daemon: Daemon, dom0: SyncClient) -> None:
    make_domain(dom0, 1)
    dom0.write("/private/x", "1")
    g = daemon.client(1)
    assert err(g.read, "/private/missing") == "EACCES"
    assert err(g.read, "/local/domain/1/missing") == "ENOENT"


def test_guest_cannot_do_privileged(daemon: Daemon, dom0: SyncClient) -> None:
    g = daemon.client(3)
    assert err(g.request, Op.INTRODUCE, b"4\x00" b"1\x00" b"1\x00") == "EACCES"
    assert err(g.control, "stats") == "EACCES"
    assert g.request(Op.GET_DOMAIN_PATH, b"3\0") == b"/local/domain/3\0"


def test_set_target(daemon: Daemon, dom0: SyncClient) -> None:
    make_domain(dom0, 5)
    dom0.write("/local/domain/5/k", "v")
    stub = daemon.client(6)
    assert err(stub.read, "/local/domain/5/k") == "EACCES"
    dom0.request(Op.SET_TARGET, b"6\x005\x00")
    assert stub.read("/local/domain/5/k") == b"v"


# -- transactions ------------------------------------------------------------------------------------


def test_transactions_are_isolated(dom0: SyncClient, daemon: Daemon) -> None:
    other = daemon.client()
    dom0.write("/iso", "a")
    tx = dom0.start()
    dom0.write("/iso", "b", tx)
    dom0.write("/iso-new", "n", tx)
    assert dom0.read("/iso", tx) == b"b"
    assert other.read("/iso") == b"a"
    assert err(other.read, "/iso-new") == "ENOENT"
    dom0.end(tx)
    assert other.read("/iso") == b"b" and other.read("/iso-new") == b"n"


def test_abort_discards(dom0: SyncClient) -> None:
    tx = dom0.start()
    dom0.write("/gone", "x", tx)
    dom0.end(tx, commit=False)
    assert err(dom0.read, "/gone") == "ENOENT"


def test_independent_transactions_coalesce(daemon: Daemon, dom0: SyncClient) -> None:
    other = daemon.client()
    t1, t2 = dom0.start(), other.start()
    dom0.write("/co/a", "1", t1)
    other.write("/co/b", "2", t2)
    dom0.end(t1)
    other.end(t2)
    assert dom0.directory("/co") == ["a", "b"]


def device_tx(c: SyncClient, domid: int) -> int:
    tx = c.start()
    base = f"/local/domain/0/backend/vbd/{domid}/51712"
    c.write(f"{base}/frontend", f"/local/domain/{domid}/device/vbd/51712", tx)
    c.write(f"{base}/state", "1", tx)
    c.write(f"/local/domain/{domid}/device/vbd/51712/backend", base, tx)
    c.write(f"/local/domain/{domid}/device/vbd/51712/state", "1", tx)
    return tx


def test_device_create_coalesce(daemon: Daemon, dom0: SyncClient) -> None:
    other = daemon.client()
    t1, t2 = device_tx(dom0, 1), device_tx(other, 2)
    dom0.end(t1)
    other.end(t2)  # merged, no EAGAIN
    assert dom0.directory("/local/domain/0/backend/vbd") == ["1", "2"]
    stats = dom0.control("stats").decode()
    assert "merges=1" in stats and "aborts=0" in stats


def test_device_create_conflicts_in_strict_mode(daemon: Daemon, dom0: SyncClient) -> None:
    dom0.control("mode", "strict")
    other = daemon.client()
    t1, t2 = device_tx(dom0, 1), device_tx(other, 2)
    dom0.end(t1)
    assert err(other.end, t2) == "EAGAIN"
    assert "conflicts_strict=1" in dom0.control("stats").decode()


def test_transactions_really_do_conflict(daemon: Daemon, dom0: SyncClient) -> None:
    other = daemon.client()
    dom0.write("/c/k", "a")
    # read then changed elsewhere (test-xenstore's "ta err")
    tx = dom0.start()
    assert dom0.read("/c/k", tx) == b"a"
    other.write("/c/k", "b")
    assert dom0.read("/c/k", tx) == b"a"  # snapshot
    dom0.write("/c/k", "c", tx)
    assert err(dom0.end, tx) == "EAGAIN"
    assert dom0.read("/c/k") == b"b"
    # the same key written differently, blind
    t1, t2 = dom0.start(), other.start()
    dom0.write("/c/w", "1", t1)
    other.write("/c/w", "2", t2)
    dom0.end(t1)
    assert err(other.end, t2) == "EAGAIN"
    # a listed directory gained a child
    tx = dom0.start()
    dom0.directory("/c", tx)
    other.write("/c/new", "x")
    dom0.write("/c/summary", "done", tx)
    assert err(dom0.end, tx) == "EAGAIN"
    # the same key written identically is no conflict
    t1, t2 = dom0.start(), other.start()
    dom0.write("/c/same", "v", t1)
    other.write("/c/same", "v", t2)
    dom0.end(t1)
    other.end(t2)


def test_read_only_transaction_commits(daemon: Daemon, dom0: SyncClient) -> None:
    dom0.write("/ro", "1")
    tx = dom0.start()
    dom0.read("/ro", tx)
    daemon.client().write("/ro", "2")
    dom0.end(tx)


def test_transaction_errors(dom0: SyncClient) -> None:
    tx = dom0.start()
    assert err(dom0.request, Op.TRANSACTION_START, b"\0", tx) == "EBUSY"
    dom0.end(tx)
    assert err(dom0.end, tx) == "ENOENT"


# -- watches -----------------------------------------------------------------------------------------


def test_simple_watch(daemon: Daemon, dom0: SyncClient) -> None:
    w = daemon.client()
    w.watch("/sw", "tok")
    assert w.wait_event() == (b"/sw", b"tok")
    dom0.write("/sw/a/b", "1")
    dom0.write("/other", "1")
    dom0.set_perms("/sw/a", ["n0", "r1"])
    dom0.rm("/sw")
    w.control("stats")  # a round trip: every event of the writes above has been sent before the reply
    assert w.events == [(b"/sw/a/b", b"tok"), (b"/sw/a", b"tok"), (b"/sw", b"tok")]
    assert err(w.watch, "/sw", "tok") == "EEXIST"
    w.unwatch("/sw", "tok")
    assert err(w.unwatch, "/sw", "tok") == "ENOENT"


def test_watch_on_removed_descendant(daemon: Daemon, dom0: SyncClient) -> None:
    dom0.write("/rd/a/b", "1")
    w = daemon.client()
    w.watch("/rd/a/b", "deep")
    w.wait_event()
    dom0.rm("/rd")
    w.control("stats")
    assert w.events == [(b"/rd/a/b", b"deep")]


def test_removal_fires_exactly_the_watches_on_nodes_it_took(daemon: Daemon, dom0: SyncClient) -> None:
    """A removal fires the watches on the removed node, its ancestors and its existing descendants;
    not a watch on a path below it that did not exist, a sibling sharing a prefix, or a dropped watch."""
    for p in ("/rx/a/b", "/rx/a/c/d/e", "/rx/a/c/f", "/rx/ab/b"):
        dom0.write(p, "1")
    w = daemon.client()
    for p, tok in [("/rx", "up"), ("/rx/a", "self"), ("/rx/a/b", "b"), ("/rx/a/c/d/e", "deep"),
                   ("/rx/a/c/f", "dropped"), ("/rx/a/nothing/here", "absent"), ("/rx/ab/b", "sibling")]:  # fmt: skip
        w.watch(p, tok)
        w.wait_event()
    w.unwatch("/rx/a/c/f", "dropped")
    dom0.rm("/rx/a")
    w.control("stats")
    assert sorted(w.events) == sorted([(b"/rx/a", b"up"), (b"/rx/a", b"self"), (b"/rx/a/b", b"b"),
                                       (b"/rx/a/c/d/e", b"deep")])  # fmt: skip
    w.events.clear()
    dom0.write("/rx/a/c/f", "again")  # the watches stay registered after their node went
    dom0.rm("/rx/a")
    w.control("stats")
    assert sorted(w.events) == sorted([(b"/rx/a/c/f", b"up"), (b"/rx/a/c/f", b"self"), (b"/rx/a", b"up"),
                                       (b"/rx/a", b"self")])  # fmt: skip


def test_relative_watch(daemon: Daemon, dom0: SyncClient) -> None:
    make_domain(dom0, 4)
    g = daemon.client(4)
    g.watch("control/shutdown", "sd")
    assert g.wait_event() == (b"control/shutdown", b"sd")
    dom0.write("/local/domain/4/control/shutdown", "poweroff")
    assert g.wait_event() == (b"control/shutdown", b"sd")


def test_watch_in_transaction_fires_on_commit_only(daemon: Daemon, dom0: SyncClient) -> None:
    w = daemon.client()
    w.watch("/tw", "t")
    w.wait_event()
    tx = dom0.start()
    dom0.write("/tw/x", "1", tx)
    w.control("stats")
    assert w.events == []
    dom0.end(tx, commit=False)
    tx = dom0.start()
    dom0.write("/tw/y", "1", tx)
    dom0.end(tx)
    assert w.wait_event() == (b"/tw/y", b"t")


def test_watch_events_filtered_by_permission(daemon: Daemon, dom0: SyncClient) -> None:
    make_domain(dom0, 7)
    g = daemon.client(7)
    g.watch("/", "all")
    g.wait_event()
    dom0.write("/hidden", "x")
    dom0.write("/local/domain/7/mine", "y")
    g.request(Op.GET_DOMAIN_PATH, b"7\0")  # a round trip: earlier events have been sent
    assert g.events == [(b"/local/domain/7/mine", b"all")]


def test_special_watches(daemon: Daemon, dom0: SyncClient) -> None:
    w = daemon.client()
    w.watch("@introduceDomain", "i")
    w.watch("@releaseDomain", "r")
    w.wait_event()
    w.wait_event()
    g = daemon.client(9)
    g.watch("@releaseDomain", "g")
    assert g.wait_event() == (b"@releaseDomain", b"g")
    dom0.request(Op.INTRODUCE, b"9\x00" b"100\x00" b"3\x00")
    assert dom0.request(Op.IS_DOMAIN_INTRODUCED, b"9\0") == b"T\0"
    dom0.request(Op.RELEASE, b"9\0")
    assert w.wait_event() == (b"@introduceDomain", b"i")
    assert w.wait_event() == (b"@releaseDomain", b"r")
    assert g.get_perms("@releaseDomain") == ["n0"]
    g.request(Op.GET_DOMAIN_PATH, b"9\0")
    assert g.events == []  # not allowed to see it
    dom0.set_perms("@releaseDomain", ["n0", "r9"])
    dom0.request(Op.INTRODUCE, b"9\x00" b"100\x00" b"3\x00")
    dom0.request(Op.RELEASE, b"9\0")
    assert g.wait_event() == (b"@releaseDomain", b"g")
    assert err(dom0.request, Op.RELEASE, b"9\0") == "ENOENT"


def test_reset_watches(daemon: Daemon, dom0: SyncClient) -> None:
    w = daemon.client()
    w.watch("/rw", "t")
    w.wait_event()
    w.request(Op.RESET_WATCHES, b"\0")
    dom0.write("/rw", "1")
    w.control("stats")
    assert w.events == []


# -- quotas ------------------------------------------------------------------------------------------


def test_quotas(daemon: Daemon, dom0: SyncClient) -> None:
    make_domain(dom0, 8)
    g = daemon.client(8)
    dom0.request(Op.SET_QUOTA, b"nodes\x0010\x00")
    for i in range(9):  # the home node itself is the first owned
        g.write(f"n{i}", "")
    assert err(g.write, "one-too-many", "") == "ENOSPC"
    dom0.write("/local/domain/8/by-dom0", "")  # dom0 is never limited
    assert err(g.write, "n0", "x" * 3000) == "ENOSPC"  # node size
    assert err(g.set_perms, "n0", ["n8", "r1", "r2", "r3", "r4", "r5"]) == "ENOSPC"
    for i in range(128):
        g.watch(f"w{i}", "t")
    assert err(g.watch, "w-extra", "t") == "ENOSPC"
    for _ in range(10):
        g.start()
    assert err(g.start) == "ENOSPC"
    dom0.control("stats")


def test_rm_frees_quota(daemon: Daemon, dom0: SyncClient) -> None:
    make_domain(dom0, 8)
    dom0.request(Op.SET_QUOTA, b"nodes\x003\x00")
    g = daemon.client(8)
    g.write("a/b", "")
    assert err(g.write, "c", "") == "ENOSPC"
    g.rm("a")
    g.write("c", "")


def test_node_size_quota_counts_the_parents_child_list(daemon: Daemon, dom0: SyncClient) -> None:
    """cxenstored checks every node record a guest's request rewrites against node-size (2048), the
    parent whose child list gains a name included. So a guest cannot grow a directory until dom0's
    DIRECTORY of it no longer fits a reply (4096 bytes, E2BIG)."""
    make_domain(dom0, 8)
    dom0.write("/local/domain/8/shared", "")
    dom0.set_perms("/local/domain/8/shared", ["n0", "b8"])  # dom0's node, writable by the guest
    g = daemon.client(8)
    dom0.request(Op.SET_QUOTA, b"nodes\x00100\x00")
    name = "c" * 200
    accepted = 0
    for i in range(30):
        try:
            g.write(f"shared/{i:02d}{name}", "")
        except XsError as exc:
            assert exc.name == "ENOSPC"
            break
        accepted += 1
    # record = 16-byte header + 8 per permission (two) + empty value + each child name and its NUL
    record = 16 + 8 * 2 + 203 * accepted
    assert record <= 2048 < record + 203
    assert len(dom0.directory("/local/domain/8/shared")) == accepted
    dom0.write(f"/local/domain/8/shared/{name}", "")  # dom0 is never limited
