"""The engine's rules at their edges, driven in process (no socket, no daemon: milliseconds a test).

Expected values come from the reference (xenstore.md 1.10: cxenstored's quotas, its node record size
of a 16-byte header, 8 bytes per permission, the value and each child name with its NUL; the
permission rules; the transaction rules) and from first principles: a quota lowered below what a
domain already uses refuses the next request, whatever the count; a commit changes the head exactly
once; an unchanged tree makes no commit. These are the cheap twins of the socket scenarios, so the
mutation run (tools/mutation.py) can afford them for every mutant of ``store/engine.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from xenia.store.engine import Engine, Mode, Session
from xenia.store.errors import XsError
from xenia.store.perms import parse_perms

HEADER, PER_PERM = 16, 8  # cxenstored's node record: header, then 8 bytes per permission
NODE_SIZE = 2048  # the default node-size quota


def err(fn: Callable[..., Any], *args: Any, **kw: Any) -> str:
    with pytest.raises(XsError) as exc:
        fn(*args, **kw)
    return exc.value.name


def perms(*items: str) -> Any:
    return parse_perms([i.encode() for i in items])


class Store:
    """An engine, dom0 and guests acting on it, each session recording the watch events it gets."""

    def __init__(self, mode: Mode = Mode.MERGE) -> None:
        self.e = Engine(mode=mode)
        self.events: dict[int, list[tuple[str, bytes]]] = {}
        self.dom0 = self.session(0)

    def session(self, domid: int) -> Session:
        got: list[tuple[str, bytes]] = []
        s = self.e.open_session(lambda path, token: got.append((path, token)), domid)
        self.events[s.id] = got
        return s

    def guest(self, domid: int) -> Session:
        """A guest with its home ``/local/domain/<domid>`` made by dom0 and owned by it (one node)."""
        self.write(self.dom0, f"/local/domain/{domid}", b"")
        self.e.request(self.dom0, "set_perms", f"/local/domain/{domid}", perms(f"n{domid}"))
        return self.session(domid)

    def write(self, s: Session, path: str, value: bytes, tx: int = 0) -> Any:
        return self.e.request(s, "write", path, value, tx_id=tx)

    def read(self, s: Session, path: str, tx: int = 0) -> Any:
        return self.e.request(s, "read", path, tx_id=tx)

    def quota(self, name: str, value: int) -> None:
        self.e.set_quota(self.dom0, name, value)


@pytest.fixture
def st() -> Store:
    return Store()


# -- node size: cxenstored's whole record ------------------------------------------------------------


def test_rewriting_a_node_counts_its_record_to_the_byte(st: Store) -> None:
    g = st.guest(8)
    st.write(g, "v", b"")
    one = NODE_SIZE - HEADER - PER_PERM  # one permission (n8), no children
    st.write(g, "v", b"x" * one)
    assert err(st.write, g, "v", b"y" * (one + 1)) == "ENOSPC"
    assert st.read(g, "v") == b"x" * one  # the refused write changed nothing
    st.e.request(g, "set_perms", "v", perms("n8", "r0"))  # a second permission: 8 bytes more
    assert err(st.write, g, "v", b"x" * one) == "ENOSPC"
    st.write(g, "v", b"x" * (one - PER_PERM))
    # a full record cannot gain a child: the parent's record grows by the name and its NUL
    assert err(st.write, g, "v/ab", b"") == "ENOSPC"
    st.write(g, "v", b"")
    st.write(g, "v/ab", b"")
    st.write(g, "v/c", b"")
    children = len("ab") + 1 + len("c") + 1
    st.write(g, "v", b"x" * (one - PER_PERM - children))
    assert err(st.write, g, "v", b"x" * (one - PER_PERM - children + 1)) == "ENOSPC"


def test_a_new_node_counts_its_own_record_and_its_parents_new_child(st: Store) -> None:
    g = st.guest(8)
    one = NODE_SIZE - HEADER - PER_PERM  # a new node inherits its parent's one permission
    st.write(g, "new", b"x" * one)
    assert err(st.write, g, "new2", b"x" * (one + 1)) == "ENOSPC"
    assert err(st.write, g, "deep/er/node", b"x" * (one + 1)) == "ENOSPC"
    st.write(g, "deep/er/node", b"x" * one)
    assert st.read(g, "deep/er/node") == b"x" * one
    st.e.request(g, "set_perms", "deep", perms("n8", "r0"))  # two permissions, inherited below
    two = NODE_SIZE - HEADER - 2 * PER_PERM
    assert err(st.write, g, "deep/two", b"x" * (two + 1)) == "ENOSPC"
    st.write(g, "deep/two", b"x" * two)
    assert st.e.request(g, "get_perms", "deep/two") == perms("n8", "r0")
    assert st.e.request(g, "directory", "/local/domain/8") == ("new", "deep")


def test_the_parent_gains_only_the_first_missing_name(st: Store) -> None:
    """Creating ``a/zzz...`` rewrites the deepest existing node with one new child name, ``a``."""
    st.guest(9)
    g = st.session(9)
    name = "a"
    # the home's record: header, one permission, value, and after the write the child "a" and its NUL
    fill = NODE_SIZE - HEADER - PER_PERM - (len(name) + 1)
    st.write(st.dom0, "/local/domain/9", b"h" * fill)
    st.write(g, f"{name}/{'z' * 100}", b"")
    st.e.request(st.dom0, "rm", "/local/domain/9/a")
    st.write(st.dom0, "/local/domain/9", b"h" * (fill + 1))
    assert err(st.write, g, f"{name}/{'z' * 100}", b"") == "ENOSPC"
    assert err(st.e.request, g, "mkdir", name) == "ENOSPC"
    st.write(st.dom0, f"/local/domain/9/{name}", b"")  # dom0 is never limited


def test_node_size_zero_is_unlimited_and_dom0_is_never_limited(st: Store) -> None:
    g = st.guest(8)
    st.write(st.dom0, "/local/domain/8/big", b"d" * 5000)
    assert err(st.write, g, "v", b"x" * 5000) == "ENOSPC"
    st.quota("node-size", 0)
    st.write(g, "v", b"x" * 5000)
    assert st.read(g, "v") == b"x" * 5000


# -- nodes per owner --------------------------------------------------------------------------------


def test_nodes_quota_counts_every_node_a_write_creates(st: Store) -> None:
    g = st.guest(8)  # the home is the guest's first node
    st.quota("nodes", 5)
    st.write(g, "a/b/c", b"")  # three created: 4 owned
    assert err(st.write, g, "d/e", b"") == "ENOSPC"  # two more would make 6
    assert err(st.e.request, g, "directory", "d") == "ENOENT"  # nothing of the refused write
    st.write(g, "d", b"")  # 5: exactly the quota
    assert err(st.write, g, "f", b"") == "ENOSPC"
    assert err(st.e.request, g, "mkdir", "f") == "ENOSPC"
    st.write(g, "a/b/c", b"rewritten")  # a rewrite creates nothing: allowed at the quota
    st.e.request(g, "rm", "a")
    st.write(g, "g/h", b"")  # the removal freed three
    st.write(st.dom0, "/local/domain/8/by-dom0/x", b"")  # dom0's own nodes are never counted against it


def test_nodes_quota_lowered_below_use_still_lets_rewrites_through(st: Store) -> None:
    g = st.guest(8)
    for i in range(4):
        st.write(g, f"n{i}", b"")
    st.quota("nodes", 2)  # the guest owns 5 now
    assert err(st.write, g, "more", b"") == "ENOSPC"
    st.write(g, "n0", b"still mine")
    st.quota("nodes", 0)  # 0 = unlimited
    for i in range(20):
        st.write(g, f"m{i}", b"")


def test_nodes_a_guest_creates_in_a_dom0_directory_are_its_own(st: Store) -> None:
    g = st.guest(8)
    st.write(st.dom0, "/shared", b"")
    st.e.request(st.dom0, "set_perms", "/shared", perms("n0", "b8"))
    st.quota("nodes", 3)
    st.write(g, "/shared/x/y", b"")  # owned by 8: 3 with the home
    assert st.e.request(st.dom0, "get_perms", "/shared/x") == perms("n8", "b8")
    assert err(st.write, g, "/shared/z", b"") == "ENOSPC"
    homeless = st.session(9)  # owns nothing yet
    st.e.request(st.dom0, "set_perms", "/shared", perms("n0", "b9"))
    st.write(homeless, "/shared/p/q/r", b"")  # three: exactly the quota
    assert err(st.write, homeless, "/shared/s", b"") == "ENOSPC"


# -- per-connection quotas, lowered below what is in use --------------------------------------------


def test_watch_quota_counts_and_refuses_past_a_lowered_quota(st: Store) -> None:
    g = st.guest(8)
    st.quota("watches", 3)
    for i in range(3):
        st.e.watch(g, f"w{i}", b"t")
    assert err(st.e.watch, g, "w3", b"t") == "ENOSPC"
    st.quota("watches", 2)  # below the three in use: still refused, not only at equality
    assert err(st.e.watch, g, "w3", b"t") == "ENOSPC"
    st.e.unwatch(g, "w0", b"t")
    st.e.unwatch(g, "w1", b"t")
    st.e.watch(g, "w3", b"t")
    assert err(st.e.watch, g, "w4", b"t") == "ENOSPC"
    st.quota("watches", 0)
    for i in range(5, 20):
        st.e.watch(g, f"w{i}", b"t")
    for i in range(200):  # dom0 is never limited
        st.e.watch(st.dom0, f"/d{i}", b"t")


def test_transaction_quota_counts_and_refuses_past_a_lowered_quota(st: Store) -> None:
    g = st.guest(8)
    st.quota("transactions", 2)
    t1 = st.e.transaction_start(g)
    st.e.transaction_start(g)
    assert err(st.e.transaction_start, g) == "ENOSPC"
    st.quota("transactions", 1)
    assert err(st.e.transaction_start, g) == "ENOSPC"
    st.e.transaction_end(g, t1, False)
    assert err(st.e.transaction_start, g) == "ENOSPC"  # one open, quota one
    st.quota("transactions", 0)
    for _ in range(12):
        st.e.transaction_start(g)
    for _ in range(12):
        st.e.transaction_start(st.dom0)


def test_transaction_request_quota_counts_failed_requests_too(st: Store) -> None:
    g = st.guest(8)
    st.quota("transaction-nodes", 3)
    tx = st.e.transaction_start(g)
    st.write(g, "a", b"1", tx)
    assert err(st.read, g, "missing", tx) == "ENOENT"  # a request all the same
    st.read(g, "a", tx)
    assert err(st.read, g, "a", tx) == "ENOSPC"
    st.quota("transaction-nodes", 2)
    assert err(st.read, g, "a", tx) == "ENOSPC"
    st.e.transaction_end(g, tx, True)
    assert st.read(g, "a") == b"1"
    tx = st.e.transaction_start(st.dom0)
    for i in range(5):  # dom0 is never limited
        st.write(st.dom0, f"/t{i}", b"", tx)
    st.quota("transaction-nodes", 0)
    tx = st.e.transaction_start(g)
    for i in range(5):
        st.write(g, f"b{i}", b"", tx)


def test_permission_count_quota(st: Store) -> None:
    g = st.guest(8)
    st.write(g, "p", b"")
    five = ("n8", "r1", "r2", "r3", "r4")
    st.e.request(g, "set_perms", "p", perms(*five))
    assert err(st.e.request, g, "set_perms", "p", perms(*five, "r5")) == "ENOSPC"
    assert st.e.request(g, "get_perms", "p") == perms(*five)
    st.quota("node-permissions", 0)
    st.e.request(g, "set_perms", "p", perms(*five, "r5", "r6"))
    st.quota("node-permissions", 1)
    st.e.request(st.dom0, "set_perms", "/local/domain/8/p", perms(*five))  # dom0 is never limited


def test_quota_names_and_values(st: Store) -> None:
    for name, value in [("nodes", 1000), ("node-size", 2048), ("watches", 128), ("transactions", 10),
                        ("transaction-nodes", 1024), ("node-permissions", 5), ("memory", 2560 * 1024)]:  # fmt: skip
        assert st.e.quotas.get(name) == value
    assert err(st.e.quotas.get, "path-max-typo") == "EINVAL"
    assert err(st.quota, "bogus", 1) == "EINVAL"
    g = st.guest(8)
    assert err(st.e.set_quota, g, "nodes", 1) == "EACCES"
    assert st.e.quotas.nodes == 1000


# -- permissions -------------------------------------------------------------------------------------


def test_set_perms_rules_for_owner_target_and_others(st: Store) -> None:
    g5 = st.guest(5)
    st.write(g5, "dm", b"")
    stub, other = st.session(6), st.session(7)
    st.e.set_target(st.dom0, 6, 5)
    st.e.request(g5, "set_perms", "/local/domain/5/dm", perms("n5", "r7"))
    # the stub domain acts with its target's rights: it may change the ACL, not the owner
    st.e.request(stub, "set_perms", "/local/domain/5/dm", perms("n5", "b7"))
    assert err(st.e.request, stub, "set_perms", "/local/domain/5/dm", perms("n6")) == "EPERM"
    assert err(st.e.request, g5, "set_perms", "/local/domain/5/dm", perms("n1")) == "EPERM"  # nor to a lower one
    # a domain with write access that is neither the owner nor its stub may not
    assert err(st.e.request, other, "set_perms", "/local/domain/5/dm", perms("n5")) == "EACCES"
    assert st.e.request(st.dom0, "get_perms", "/local/domain/5/dm") == perms("n5", "b7")
    st.e.request(st.dom0, "set_perms", "/local/domain/5/dm", perms("n7"))  # dom0 changes owners
    st.write(other, "/local/domain/5/dm", b"mine now")
    assert err(st.e.set_target, g5, 6, 5) == "EACCES"


def test_guests_cannot_write_the_root_and_existence_stays_hidden(st: Store) -> None:
    g = st.guest(8)
    assert err(st.write, g, "/", b"x") == "EACCES"
    st.e.request(g, "mkdir", "/")  # the root exists: nothing to do
    st.write(st.dom0, "/", b"root value")
    assert st.read(st.dom0, "/") == b"root value"
    st.write(st.dom0, "/priv/a", b"")
    assert err(st.read, g, "/priv/a/missing") == "EACCES"
    assert err(st.read, g, "/local/domain/8/missing") == "ENOENT"
    assert err(st.e.request, g, "rm", "/priv/a") == "EACCES"
    assert err(st.e.request, g, "rm", "/priv/none/x") == "EACCES"
    assert err(st.e.request, g, "rm", "/local/domain/8/none/x") == "ENOENT"
    st.e.request(g, "rm", "/local/domain/8/none")  # under an existing parent: fine
    assert err(st.e.request, st.dom0, "rm", "/") == "EINVAL"
    assert err(st.e.request, st.dom0, "frobnicate", "/priv") == "EINVAL"


# -- commits and counters ----------------------------------------------------------------------------


def counters(e: Engine) -> dict[str, int]:
    return {k: v for k, v in vars(e.stats).items() if v}


def test_a_request_that_changes_nothing_makes_no_commit(st: Store) -> None:
    st.write(st.dom0, "/k", b"v")
    seq = st.e.head.seq
    st.e.request(st.dom0, "mkdir", "/k")
    st.e.request(st.dom0, "rm", "/k/missing")
    st.read(st.dom0, "/k")
    assert err(st.e.request, st.dom0, "write", "/bad//path", b"") == "EINVAL"
    assert st.e.head.seq == seq
    assert counters(st.e) == {"commits": seq, "direct": seq}
    assert [c.seq for c in st.e.history.commits()] == list(range(seq + 1))
    first = st.e.history.commits()[0]
    assert (first.seq, first.domid, first.conn, first.message) == (0, 0, 0, "initial tree")


def test_counters_of_each_way_a_transaction_ends() -> None:
    st = Store()
    d, o = st.dom0, st.session(0)
    st.write(d, "/c/k", b"a")  # direct: 1 commit
    tx = st.e.transaction_start(d)  # read-only
    st.read(d, "/c/k", tx)
    st.e.transaction_end(d, tx, True)
    tx = st.e.transaction_start(d)  # only a failed write: read-only as well
    assert err(st.e.request, d, "rm", "/c/none/x", tx_id=tx) == "ENOENT"
    st.e.transaction_end(d, tx, True)
    tx = st.e.transaction_start(d)  # aborted by the client
    st.write(d, "/c/gone", b"", tx)
    st.e.transaction_end(d, tx, False)
    tx = st.e.transaction_start(d)  # fast-forward
    st.write(d, "/c/ff", b"", tx)
    st.e.transaction_end(d, tx, True)
    t1, t2 = st.e.transaction_start(d), st.e.transaction_start(o)  # the first fast-forwards, the second merges
    st.write(d, "/c/m1", b"", t1)
    st.write(o, "/c/m2", b"", t2)
    st.e.transaction_end(d, t1, True)
    st.e.transaction_end(o, t2, True)
    t1, t2 = st.e.transaction_start(d), st.e.transaction_start(o)  # both sides wrote one key
    st.write(d, "/c/k", b"1", t1)
    st.write(o, "/c/k", b"2", t2)
    st.e.transaction_end(d, t1, True)
    assert err(st.e.transaction_end, o, t2, True) == "EAGAIN"
    tx = st.e.transaction_start(d)  # a read that now answers differently
    st.read(d, "/c/k", tx)
    st.write(d, "/c/other", b"", tx)
    st.write(o, "/c/k", b"3")
    assert err(st.e.transaction_end, d, tx, True) == "EAGAIN"
    st.e.transaction_start(o)  # two left open when the session goes
    st.e.transaction_start(o)
    st.e.close_session(o)
    assert err(st.e.transaction_end, o, 1, True) == "ENOENT"
    assert counters(st.e) == {
        "commits": 6, "direct": 2, "fast_forwards": 3, "merges": 1, "read_only": 2, "aborts": 2,
        "client_aborts": 3, "conflicts_read": 1, "conflicts_write": 1,
    }  # fmt: skip
    assert st.e.stats.text().startswith("commits=6 direct=2 fast_forwards=3 merges=1 read_only=2 aborts=2 ")
    assert st.read(d, "/c/k") == b"3"
    assert st.e.request(d, "directory", "/c") == ("k", "ff", "m1", "m2")


def test_history_records_author_message_and_cost_of_each_commit(st: Store) -> None:
    """docs/store.md: a commit is estimated at 200 bytes plus 320 per node on each changed path
    (the root counts: ``/a/b`` copies three nodes)."""
    g = st.guest(4)
    base = st.e.history.bytes
    st.write(g, "x/y", b"1")
    head = st.e.head
    assert (head.domid, head.conn, head.message) == (4, g.id, "write /local/domain/4/x/y")
    assert head.cost == 200 + 320 * 6
    tx = st.e.transaction_start(st.dom0)
    st.write(st.dom0, "/p", b"", tx)
    st.write(st.dom0, "/q/r", b"", tx)
    st.e.request(st.dom0, "rm", "/p", tx_id=tx)
    st.e.transaction_end(st.dom0, tx, True)
    assert st.e.head.message == f"transaction {tx}: 3 requests"
    assert st.e.head.cost == 200 + 320 * (2 + 3 + 2)
    assert st.e.history.bytes == base + 200 + 320 * 6 + 200 + 320 * 7


# -- transactions: merge and strict ------------------------------------------------------------------


def test_merge_conflicts_on_permissions_and_on_parents_made_differently() -> None:
    st = Store()
    d, o = st.dom0, st.session(0)
    st.write(d, "/m/k", b"v")
    t1, t2 = st.e.transaction_start(d), st.e.transaction_start(o)
    st.e.request(d, "set_perms", "/m/k", perms("n0", "r1"), tx_id=t1)
    st.e.request(o, "set_perms", "/m/k", perms("n0", "r2"), tx_id=t2)
    st.e.transaction_end(d, t1, True)
    assert err(st.e.transaction_end, o, t2, True) == "EAGAIN"
    # the same parent made implicitly by dom0 and by a guest: owned by different domains
    g = st.guest(5)
    st.write(d, "/g", b"")
    st.e.request(d, "set_perms", "/g", perms("n0", "b5"))
    t1, t2 = st.e.transaction_start(d), st.e.transaction_start(g)
    st.write(d, "/g/p/q/x", b"", t1)
    st.write(g, "/g/p/q/y", b"", t2)
    st.e.transaction_end(d, t1, True)
    assert err(st.e.transaction_end, g, t2, True) == "EAGAIN"
    assert st.e.request(d, "directory", "/g/p/q") == ("x",)
    # made identically (both by dom0) they merge
    t1, t2 = st.e.transaction_start(d), st.e.transaction_start(o)
    st.write(d, "/h/p/x", b"", t1)
    st.write(o, "/h/p/y", b"", t2)
    st.e.transaction_end(d, t1, True)
    st.e.transaction_end(o, t2, True)
    assert st.e.request(d, "directory", "/h/p") == ("x", "y")
    assert counters(st.e)["conflicts_write"] == 2


def test_strict_mode_conflicts_on_every_touched_node_that_changed() -> None:
    st = Store(Mode.STRICT)
    d, o = st.dom0, st.session(0)
    st.write(d, "/s/a", b"1")
    st.write(d, "/t", b"1")

    def attempt(inside: Callable[[int], Any], outside: Callable[[], Any]) -> str:
        tx = st.e.transaction_start(d)
        inside(tx)
        outside()
        try:
            st.e.transaction_end(d, tx, True)
        except XsError as exc:
            return exc.name
        return "OK"

    # a node read, then changed
    assert attempt(lambda tx: (st.read(d, "/s/a", tx), st.write(d, "/s/w", b"", tx)),
                   lambda: st.write(o, "/s/a", b"2")) == "EAGAIN"  # fmt: skip
    # a parent whose child list the transaction changed gained another child
    assert attempt(lambda tx: st.write(d, "/s/x/y", b"", tx), lambda: st.write(o, "/s/other", b"")) == "EAGAIN"
    # a touched node created, or removed, meanwhile
    assert attempt(lambda tx: (err(st.read, d, "/u", tx), st.write(d, "/v", b"", tx)),
                   lambda: st.write(o, "/u", b"")) == "EAGAIN"  # fmt: skip
    assert attempt(lambda tx: (st.read(d, "/u", tx), st.write(d, "/v", b"", tx)),
                   lambda: st.e.request(o, "rm", "/u")) == "EAGAIN"  # fmt: skip
    # a touched node's permissions changed
    assert attempt(lambda tx: (st.read(d, "/s/a", tx), st.write(d, "/s/w", b"", tx)),
                   lambda: st.e.request(o, "set_perms", "/s/a", perms("n0", "r1"))) == "EAGAIN"  # fmt: skip
    # untouched nodes may change, and a touched record rewritten as it was is unchanged
    assert attempt(lambda tx: (st.read(d, "/s/a", tx), st.write(d, "/w", b"", tx)),
                   lambda: (st.write(o, "/t", b"2"), st.write(o, "/s/a", b"2"))) == "OK"  # fmt: skip
    assert counters(st.e)["conflicts_strict"] == 5 and st.e.stats.aborts == 5
    assert st.read(d, "/w") == b""


# -- watches -----------------------------------------------------------------------------------------


def test_watch_events_for_guests_follow_read_rights_old_and_new(st: Store) -> None:
    g = st.guest(3)
    st.write(st.dom0, "/pub", b"")
    st.e.request(st.dom0, "set_perms", "/pub", perms("n0", "r3"))
    st.write(st.dom0, "/pub/secret", b"")
    st.e.request(st.dom0, "set_perms", "/pub/secret", perms("n0"))
    st.write(st.dom0, "/priv/x", b"")
    st.e.watch(g, "/", b"all")
    seen = st.events[g.id]
    seen.clear()
    st.write(st.dom0, "/pub/secret", b"1")  # unreadable, but its parent is readable
    st.write(st.dom0, "/priv/x", b"1")  # neither readable
    st.write(st.dom0, "/pub/open", b"")  # readable (inherits r3)
    st.e.request(st.dom0, "set_perms", "/pub/open", perms("n0"))  # readable before the change
    st.e.request(st.dom0, "rm", "/pub")  # removed but readable under its old ACL
    st.e.request(st.dom0, "rm", "/priv")
    assert seen == [("/pub/secret", b"all"), ("/pub/open", b"all"), ("/pub/open", b"all"), ("/pub", b"all")]
    st.write(st.dom0, "/hid", b"")
    st.write(st.dom0, "/hid/open", b"")
    st.e.request(st.dom0, "set_perms", "/hid/open", perms("n0", "r3"))  # readable in an unreadable parent
    st.write(st.dom0, "/", b"unreadable root")  # the root has no parent to fall back on
    assert seen[4:] == [("/hid/open", b"all")]
    st.e.request(st.dom0, "set_perms", "/", perms("n0", "r3"))
    assert seen[5:] == [("/", b"all")]


def test_relative_watch_paths_and_other_homes(st: Store) -> None:
    g = st.guest(4)
    st.e.watch(g, "data", b"rel")
    st.e.watch(g, "/local/domain/4/abs", b"abs")
    st.e.watch(g, "/local/domain/40", b"other")
    seen = st.events[g.id]
    assert seen == [("data", b"rel"), ("/local/domain/4/abs", b"abs"), ("/local/domain/40", b"other")]
    seen.clear()
    st.write(st.dom0, "/local/domain/4/data/x", b"")
    st.write(st.dom0, "/local/domain/4/abs", b"")
    st.write(st.dom0, "/local/domain/40", b"")
    st.e.request(st.dom0, "set_perms", "/local/domain/40", perms("n0", "r4"))
    assert seen == [("data/x", b"rel"), ("/local/domain/4/abs", b"abs"), ("/local/domain/40", b"other")]
    assert err(st.e.watch, g, "data", b"rel") == "EEXIST"
    st.e.watch(g, "data", b"second token")  # another token on the same path is another watch
    assert err(st.e.unwatch, g, "data", b"never") == "ENOENT"


def test_watches_dropped_one_by_one_leave_the_others_firing(st: Store) -> None:
    w = st.session(0)
    for path, tok in [("/a/b/c", b"deep"), ("/a/b", b"mid"), ("/a/bb", b"sib")]:
        st.e.watch(w, path, tok)
    st.write(st.dom0, "/a/b/c/d", b"")
    st.write(st.dom0, "/a/bb", b"")
    seen = st.events[w.id]
    seen.clear()
    st.e.unwatch(w, "/a/b", b"mid")  # the trie keeps the watch below it
    st.e.request(st.dom0, "rm", "/a/b")
    assert seen == [("/a/b/c", b"deep")]
    seen.clear()
    st.e.unwatch(w, "/a/b/c", b"deep")
    st.write(st.dom0, "/a/b/c/d", b"")
    st.e.request(st.dom0, "rm", "/a")
    assert seen == [("/a/bb", b"sib")]
    st.e.reset_watches(w)
    st.write(st.dom0, "/a/bb", b"")
    assert seen == [("/a/bb", b"sib")]
    st.e.watch(w, "/a/b/c", b"again")  # a watch made again after its trie path went
    st.write(st.dom0, "/a/b/c/d", b"")
    st.e.request(st.dom0, "rm", "/a/b")
    assert seen[-3:] == [("/a/b/c", b"again"), ("/a/b/c/d", b"again"), ("/a/b/c", b"again")]


def test_special_watches_introduce_release_and_one_domain(st: Store) -> None:
    w, g = st.session(0), st.session(9)
    for path in ("@introduceDomain", "@releaseDomain", "@releaseDomain/5", "@releaseDomain/6"):
        st.e.watch(w, path, b"t")
    st.e.watch(g, "@releaseDomain", b"g")
    seen, gseen = st.events[w.id], st.events[g.id]
    seen.clear()
    gseen.clear()
    st.e.introduce(st.dom0, 5, 100)
    st.e.introduce(st.dom0, 5, 100)  # known domain: no second event
    st.e.introduce(st.dom0, 5, 101)  # a new ring page, the same domain
    assert seen == [("@introduceDomain", b"t")]
    assert st.e.domains == {5: 101}
    assert st.e.is_introduced(st.dom0, 5) and st.e.is_introduced(st.dom0, 0)
    assert not st.e.is_introduced(st.dom0, 6)
    st.e.resume(st.dom0, 5)
    assert err(st.e.resume, st.dom0, 6) == "ENOENT"
    st.e.set_target(st.dom0, 5, 2)
    st.e.release(st.dom0, 5)
    assert seen[1:] == [("@releaseDomain", b"t"), ("@releaseDomain/5", b"t")]
    assert gseen == [] and st.e.targets == {} and st.e.domains == {}
    assert err(st.e.release, st.dom0, 5) == "ENOENT"
    st.e.request(st.dom0, "set_perms", "@releaseDomain", perms("n0", "r9"))
    assert st.e.request(g, "get_perms", "@releaseDomain") == perms("n0", "r9")
    assert err(st.e.request, g, "set_perms", "@releaseDomain", perms("n9")) == "EACCES"
    assert err(st.e.request, g, "read", "@releaseDomain") == "EINVAL"
    assert err(st.e.request, st.dom0, "get_perms", "@releaseDomain/5") == "EINVAL"  # a watch path only
    st.e.introduce(st.dom0, 6)
    st.e.release(st.dom0, 6)
    assert gseen == [("@releaseDomain", b"g")]
    for call in (lambda: st.e.introduce(g, 1), lambda: st.e.release(g, 1), lambda: st.e.resume(g, 1),
                 lambda: st.e.is_introduced(g, 1)):  # fmt: skip
        assert err(call) == "EACCES"


# -- generations and indices -------------------------------------------------------------------------


def test_generation_changes_with_the_node_and_in_a_transaction(st: Store) -> None:
    d = st.dom0
    assert st.e.generation(d, "/none") == 0
    st.write(d, "/n/x", b"1")
    first = st.e.generation(d, "/n/x")
    st.read(d, "/n/x")
    assert st.e.generation(d, "/n/x") == first
    st.write(d, "/n/x", b"2")
    second = st.e.generation(d, "/n/x")
    assert second != first and second != 0
    tx = st.e.transaction_start(d)
    assert st.e.generation(d, "/n/x", tx) == second
    st.write(d, "/n/x", b"3", tx)
    assert st.e.generation(d, "/n/x", tx) not in (0, second)
    assert st.e.generation(d, "/n/x") == second
    assert err(st.e.generation, d, "/n/x", tx + 1) == "ENOENT"


def test_name_and_uuid_index_inside_a_transaction(st: Store) -> None:
    d = st.dom0
    st.write(d, "/local/domain/3/name", b"web")
    tx = st.e.transaction_start(d)
    st.write(d, "/local/domain/4/name", b"web", tx)
    st.write(d, "/local/domain/4/vm", b"/vm/u-4", tx)
    assert st.e.lookup_name("web") == (3,)
    t = d.transactions[tx]
    assert st.e.lookup_name("web", t) == (3, 4) and st.e.lookup_uuid("u-4", t) == (4,)
    assert st.e.lookup_uuid("u-4") == ()
    st.e.transaction_end(d, tx, True)
    assert st.e.lookup_uuid("u-4") == (4,)
    st.write(d, "/local/domain/4/name", b"db")  # renamed: the other domain keeps the name
    assert st.e.lookup_name("web") == (3,) and st.e.lookup_name("db") == (4,)
    st.write(d, "/local/domain/4/name", b"web")
    st.write(d, "/local/domain/3/name", b"db")
    assert st.e.lookup_name("web") == (4,) and st.e.lookup_name("db") == (3,)
    st.e.request(d, "rm", "/local/domain/4")  # a domain's home removed takes its entries along
    assert st.e.lookup_name("web") == () and st.e.lookup_uuid("u-4") == ()
    st.e.request(d, "rm", "/local/domain")
    assert st.e.lookup_name("db") == ()


def test_a_removal_fires_watches_below_it_past_watched_paths_that_never_existed(st: Store) -> None:
    w = st.session(0)
    st.write(st.dom0, "/r/x/y", b"")
    st.e.watch(w, "/r/absent", b"a")  # first in the watch trie below /r, and not in the tree
    st.e.watch(w, "/r/x/y", b"y")
    st.events[w.id].clear()
    st.e.request(st.dom0, "rm", "/r")
    assert st.events[w.id] == [("/r/x/y", b"y")]
