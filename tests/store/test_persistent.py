"""The tree's versions are persistent: a version never changes after later commits (issue 12).

A hypothesis property drives the engine with writes, removals and permission changes on a directory wide
enough to cross from a dict to a persistent map and back (``tree.BIG``), recording every committed
version with its full content; after the whole run each recorded version must still read the same.
DIRECTORY order is checked against a model of creation order.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from xenia.store.engine import Engine
from xenia.store.tree import BIG, Node, Root, iter_nodes

WIDTH = BIG * 2 + 10
_NAMES = st.integers(0, WIDTH).map(lambda i: f"c{i}")
_OPS = st.lists(
    st.one_of(
        st.tuples(st.just("write"), _NAMES, st.binary(max_size=4)),
        st.tuples(st.just("write_deep"), _NAMES, st.binary(max_size=4)),
        st.tuples(st.just("rm"), _NAMES, st.just(b"")),
        st.tuples(st.just("perms"), _NAMES, st.just(b"")),
        st.tuples(st.just("fill"), st.integers(0, WIDTH), st.just(b"")),
    ),
    max_size=60,
)


def content(root: Root) -> list[tuple[str, bytes, tuple[object, ...]]]:
    return [(p, n.value, n.perms) for p, n in iter_nodes(root.tree, "/")]


@settings(max_examples=30, deadline=None)
@given(_OPS, st.integers(1, 8))
def test_versions_never_change_and_order_is_creation_order(ops: list[tuple[str, object, bytes]], group: int) -> None:
    """``group`` > 1: the operations run in transactions of that many requests, whose editor changes
    the nodes it made in place until it commits (a committed version must not see that)."""
    e = Engine()
    s = e.open_session(lambda p, t: None)
    model: list[str] = []  # children of /d in creation order
    versions: list[tuple[Root, list[tuple[str, bytes, tuple[object, ...]]]]] = []
    tx = 0

    def request(kind: str, path: str, arg: object = None) -> Any:  # the reply's type depends on the kind
        return e.request(s, kind, path, arg, tx_id=tx)

    def tree() -> Node:
        return e._tx(s, tx).editor.tree if tx else e.head.root.tree

    for n, (kind, arg, value) in enumerate(ops):
        if group > 1 and n % group == 0:
            tx = e.transaction_start(s)
        if kind == "fill":  # many children at once, to cross the dict/map threshold
            for i in range(int(arg)):  # type: ignore[call-overload]
                name = f"c{i}"
                request("write", f"/d/{name}", b"f")
                if name not in model:
                    model.append(name)
        elif kind in ("write", "write_deep"):
            path = f"/d/{arg}" + ("/x/y" if kind == "write_deep" else "")
            request("write", path, value)
            if arg not in model:
                model.append(str(arg))
        elif kind == "rm":
            if "d" in tree().children:
                request("rm", f"/d/{arg}")
            if arg in model:
                model.remove(str(arg))
        elif kind == "perms" and arg in model:
            request("set_perms", f"/d/{arg}", e.head.root.tree.perms)
        if model:
            assert list(request("directory", "/d")) == model
        if tx and (n % group == group - 1 or n == len(ops) - 1):
            e.transaction_end(s, tx, True)
            tx = 0
        if not tx:
            versions.append((e.head.root, content(e.head.root)))
    for root, seen in versions:
        assert content(root) == seen


def test_wide_directory_shares_structure_between_versions() -> None:
    """A change under a directory of 10 000 children allocates a path, not a copy of the directory."""
    import tracemalloc

    e = Engine()
    s = e.open_session(lambda p, t: None)
    tx = e.transaction_start(s)
    for i in range(10_000):
        e.request(s, "write", f"/local/domain/{i}/name", f"vm{i}".encode(), tx_id=tx)
    e.transaction_end(s, tx, True)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for i in range(200):
        e.request(s, "write", f"/local/domain/{i}/memory/target", b"524288")
    per_commit = (tracemalloc.get_traced_memory()[0] - before) / 200
    tracemalloc.stop()
    # a dict copy of 10 000 entries alone is ~300 KiB; a path through the trie is a few KiB
    assert per_commit < 16 * 1024, per_commit
    node: Node = e.head.root.tree
    assert len(node.children["local"].children["domain"].children) == 10_000


@settings(max_examples=30, deadline=None)
@given(_OPS, st.integers(1, 40))
def test_a_snapshot_loads_back_to_the_same_tree_order_owners_and_indices(
    ops: list[tuple[str, object, bytes]], domains: int
) -> None:
    """What a restart does: the snapshot's records (pre-order) loaded into a fresh engine give the same
    nodes, DIRECTORY orders, per-domain node counts and name/uuid indices as the engine that wrote them."""
    from xenia.store.perms import parse_perms

    e = Engine()
    s = e.open_session(lambda p, t: None)
    for dom in range(1, domains + 1):
        e.request(s, "write", f"/local/domain/{dom}/name", f"vm-{dom % 7}".encode())
        e.request(s, "write", f"/local/domain/{dom}/vm", f"/vm/uuid-{dom}".encode())
        e.request(s, "set_perms", f"/local/domain/{dom}", parse_perms([f"n{dom}".encode()]))
        e.request(s, "write", f"/local/domain/{dom}/data/x", b"1")
    for kind, arg, value in ops:
        if kind == "fill":
            for i in range(int(arg)):  # type: ignore[call-overload]
                e.request(s, "write", f"/d/c{i}", b"f")
        elif kind in ("write", "write_deep"):
            e.request(s, "write", f"/d/{arg}" + ("/x/y" if kind == "write_deep" else ""), value)
        elif kind == "rm" and "d" in e.head.root.tree.children:
            e.request(s, "rm", f"/d/{arg}")
    loaded = Engine()
    loaded.restore(e.head.seq, e.snapshot(), e.state())
    s2 = loaded.open_session(lambda p, t: None)
    assert content(loaded.head.root) == content(e.head.root)
    for path, _node in iter_nodes(e.head.root.tree, "/"):
        assert loaded.request(s2, "directory", path) == e.request(s, "directory", path)
    a, b = loaded.head.root, e.head.root
    assert (dict(a.owned), dict(a.names), dict(a.uuids)) == (dict(b.owned), dict(b.names), dict(b.uuids))
