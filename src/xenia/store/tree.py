"""The persistent tree and the indices that live in the same root.

A :class:`Node` is never mutated once built: a change copies the nodes on the path from the root to the
changed node and shares everything else. Taking a snapshot (a transaction's branch, a history commit) is
therefore keeping a reference to a :class:`Root` -- it costs nothing.

Child maps are persistent too. A small directory is a plain dict, copied on change (cheaper than any
structure at that size); past :data:`BIG` children it becomes an ``immutables.Map`` -- a hash array
mapped trie, the persistent map CPython's contextvars use, in C -- where a change allocates only the
trie nodes on the way to the changed key (about 1 KiB at 10 000 children instead of a 300 KiB copy).
So a commit allocates the path from the root to what changed, and N retained commits cost
O(N x depth), not O(N x tree) (issue 12). A hash map has no order, so each node carries ``born``, the
stamp of its creation, which survives its later versions: DIRECTORY's creation order is the children
sorted by it, the rule the reference's notes recommend instead of a shared order list.

A :class:`Root` bundles the tree with the indices derived from it (domain name -> domids, VM uuid ->
domids) and per-domain node counts for quotas, all persistent maps too, so a commit that changes one
entry does not copy the 10 000 others. They are updated by the same :class:`Editor` that changes
the tree, so an index can never disagree with the tree of the same commit (seed 004's "consistent
indices").
"""

from __future__ import annotations

import collections
import itertools
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Union

import immutables

from .perms import Perms

__all__ = [
    "BIG",
    "EMPTY",
    "Children",
    "Editor",
    "Node",
    "Root",
    "child_names",
    "iter_children",
    "iter_named",
    "iter_nodes",
    "lookup",
    "shared_value",
]

_gen = itertools.count(1)

#: a directory with more children than this keeps them in a persistent map instead of a dict
BIG = 64

#: values up to this many bytes are shared between nodes (see :func:`shared_value`)
SMALL_VALUE = 16
_small_values: dict[bytes, bytes] = {}
#: distinct small values kept for sharing; past it new ones are stored as they come
_SMALL_VALUES_MAX = 1 << 16


def reserve_stamps(count: int) -> int:
    """The first of ``count`` consecutive fresh stamps (for a snapshot's nodes, numbered in bulk)."""
    first = next(_gen)
    # consumed in C, with no Python code another thread could interleave with
    collections.deque(itertools.islice(_gen, count - 1), maxlen=0)
    return first


def shared_value(value: bytes) -> bytes:
    """One object per distinct small value: 10 000 domains' ``state = "4"``, ``online = "1"``, domids and
    flags are the same few dozen byte strings, each held once instead of once per node (issue 12)."""
    if len(value) > SMALL_VALUE:
        return value
    shared = _small_values.get(value)
    if shared is not None:
        return shared
    if len(_small_values) < _SMALL_VALUES_MAX:
        _small_values[value] = value
    return value


#: one object per child name: a domain's ``device``, ``backend``, ``state``... are the same strings in
#: every domain, and the name a path was split into would otherwise be kept as a key of its own (issue 12)
intern = sys.intern


class Node:
    """One xenstore node: value bytes, ACL, children in creation order. Treat as immutable (only the
    :class:`Editor` that made an inner node changes it, until it freezes the tree: see ``_fresh``).

    ``gen`` is a fresh stamp per node version; DIRECTORY_PART reports it so a client paging through a
    directory can tell that the directory changed under it.
    """

    __slots__ = ("value", "perms", "children", "gen", "born")

    def __init__(
        self, value: bytes, perms: Perms, children: Children, gen: int | None = None, born: int | None = None
    ) -> None:
        self.value = value
        self.perms = perms
        #: never mutated after construction: a dict (creation order) or an immutables.Map (see born)
        self.children = children
        self.gen = next(_gen) if gen is None else gen
        #: creation stamp, kept by every later version of this node: orders a directory's children
        self.born = self.gen if born is None else born

    def same_record(self, other: Node | None) -> bool:
        """Same value, ACL and child names: what cxenstored's per-node generation check compares."""
        return (
            other is not None
            and self.value == other.value
            and self.perms == other.perms
            and len(self.children) == len(other.children)
            and all(name in other.children for name in self.children)
        )


#: a node's children: a dict while small, a persistent map when big
Children = Union[dict[str, Node], "immutables.Map[str, Node]"]

#: shared child map of every leaf (never mutated)
EMPTY: dict[str, Node] = {}


def iter_children(children: Children) -> Iterable[tuple[str, Node]]:
    """(name, node) pairs in creation order."""
    if type(children) is dict:
        return children.items()
    return sorted(children.items(), key=lambda kv: kv[1].born)


def child_names(children: Children) -> list[str]:
    """Child names in creation order (DIRECTORY's answer)."""
    if type(children) is dict:
        return list(children)
    return [name for name, _ in iter_children(children)]


def _with_child(children: Children, name: str, node: Node) -> Children:
    if type(children) is dict:
        if len(children) < BIG or name in children:
            out = dict(children)
            out[name] = node
            return out
        return immutables.Map(children).set(name, node)
    assert isinstance(children, immutables.Map)
    return children.set(name, node)


def _with_child_in_place(children: Children, name: str, node: Node) -> Children:
    """:func:`_with_child` for a child map no other node holds: a dict changes in place."""
    if type(children) is dict and (len(children) < BIG or name in children):
        children[name] = node
        return children
    return _with_child(children, name, node)


def _without_child(children: Children, name: str) -> Children:
    if type(children) is dict:
        out = dict(children)
        del out[name]
        return out
    assert isinstance(children, immutables.Map)
    smaller = children.delete(name)
    if len(smaller) <= BIG // 2:
        return dict(iter_children(smaller))
    return smaller


def lookup(tree: Node, parts: list[str]) -> Node | None:
    """The node at ``parts`` or None."""
    node: Node | None = tree
    for name in parts:
        assert node is not None
        node = node.children.get(name)
        if node is None:
            return None
    return node


def iter_nodes(node: Node, path: str) -> Iterator[tuple[str, Node]]:
    """Depth-first (pre-order) walk yielding absolute paths and nodes."""
    stack = [(path, node)]
    while stack:
        p, n = stack.pop()
        yield p, n
        prefix = "" if p == "/" else p
        for name, child in reversed(list(iter_children(n.children))):
            stack.append((f"{prefix}/{name}", child))


def iter_named(node: Node) -> Iterator[tuple[str, Node]]:
    """Depth-first (pre-order) walk yielding each node's own name (the root's is ``""``) and the node:
    with each node's child count, what :meth:`Editor.load_flat` rebuilds the tree from."""
    stack = [("", node)]
    while stack:
        name, n = stack.pop()
        yield name, n
        if n.children:
            stack.extend(reversed(list(iter_children(n.children))))


class Root:
    """A tree plus its indices; immutable once frozen by an :class:`Editor`."""

    __slots__ = ("tree", "names", "uuids", "dom_name", "dom_uuid", "owned")

    def __init__(
        self,
        tree: Node,
        names: immutables.Map[str, tuple[int, ...]],
        uuids: immutables.Map[str, tuple[int, ...]],
        dom_name: immutables.Map[int, str],
        dom_uuid: immutables.Map[int, str],
        owned: immutables.Map[int, int],
    ) -> None:
        self.tree = tree
        #: domain name -> domids carrying it (xenstore does not enforce uniqueness)
        self.names = names
        #: VM uuid (last component of /local/domain/<id>/vm) -> domids
        self.uuids = uuids
        self.dom_name = dom_name
        self.dom_uuid = dom_uuid
        #: nodes owned per unprivileged domain, for the nodes quota
        self.owned = owned

    @classmethod
    def empty(cls, tree: Node) -> Root:
        m: immutables.Map[Any, Any] = immutables.Map()
        ed = Editor(cls(tree, m, m, m, m, m))
        ed.rebuild()
        return ed.freeze()


def _domid_of(parts: list[str]) -> int | None:
    if len(parts) >= 3 and parts[0] == "local" and parts[1] == "domain" and parts[2].isdigit():
        return int(parts[2])
    return None


class Editor:
    """Builds the next :class:`Root` from a base one; copies each index dict at most once.

    Callers (the engine) do the permission and quota checks; the editor only changes structure and keeps
    the derived data in step.
    """

    def __init__(self, base: Root) -> None:
        self.tree = base.tree
        self._base = base
        self._names = base.names
        self._uuids = base.uuids
        self._dom_name = base.dom_name
        self._dom_uuid = base.dom_uuid
        self._owned = base.owned
        #: node count changes per owner since the last :meth:`freeze`, folded into ``_owned`` there: a
        #: ``Map.set`` per node created or removed copied the path of a 10 000-entry map each time, its
        #: 32-slot nodes' children's counts touched all over the heap (a start creates some 30 nodes, a
        #: shutdown removes them; issue 12)
        self._owned_delta: dict[int, int] = {}
        #: the inner nodes :meth:`put` made since the last :meth:`freeze`, each with a child map of its
        #: own (kept here by id, and so alive: an id is not reused while listed)
        self._fresh: dict[int, Node] = {}

    # -- reading ---------------------------------------------------------------------------------------

    def get(self, parts: list[str]) -> Node | None:
        return lookup(self.tree, parts)

    def missing(self, parts: list[str]) -> tuple[int, Node]:
        """How many nodes along ``parts`` do not exist yet, and the deepest existing one."""
        node = self.tree
        for i, name in enumerate(parts):
            child = node.children.get(name)
            if child is None:
                return len(parts) - i, node
            node = child
        return 0, node

    def owned(self, domid: int) -> int:
        return self._owned.get(domid, 0) + self._owned_delta.get(domid, 0)

    # -- changing --------------------------------------------------------------------------------------

    def put(
        self,
        parts: list[str],
        value: bytes | None,
        perms: Perms | None,
        create_perms: Callable[[Perms], Perms],
    ) -> list[int]:
        """Set the value and/or ACL of the node at ``parts``, creating it and missing ancestors.

        ``None`` keeps the current value/ACL (or, for a new node, an empty value / ``create_perms`` of the
        parent's ACL). Returns the depths of the nodes created (for watch and quota bookkeeping).
        """
        chain: list[Node | None] = [self.tree]
        for name in parts:
            cur = chain[-1]
            chain.append(cur.children.get(name) if cur is not None else None)
        # permissions of created nodes flow down from the deepest existing ancestor
        acl: list[Perms] = [self.tree.perms]
        created: list[int] = []
        for depth in range(1, len(parts) + 1):
            node = chain[depth]
            if node is None:
                acl.append(create_perms(acl[-1]))
                created.append(depth)
            else:
                acl.append(node.perms)
        old = chain[-1]
        new_perms = perms if perms is not None else acl[-1]
        if value is not None:
            value = shared_value(value)
        if old is None:
            new = Node(value if value is not None else b"", new_perms, EMPTY)
        else:
            new = Node(value if value is not None else old.value, new_perms, old.children, born=old.born)
            if perms is not None and perms[0].domid != old.perms[0].domid:
                self._count(old.perms[0].domid, -1)
                self._count(perms[0].domid, +1)
        for depth in created[:-1] if old is None else created:
            self._count(acl[depth][0].domid, +1)
        if old is None:
            self._count(new_perms[0].domid, +1)
        fresh = self._fresh
        for depth in range(len(parts) - 1, -1, -1):
            anc = chain[depth]
            if anc is not None and id(anc) in fresh:
                # this editor made it (and its child map) since its last freeze: no other tree holds
                # either, so it changes in place and the path above it stays; a transaction's writes
                # under one directory no longer copy the path to the root each (issue 12)
                anc.children = _with_child_in_place(anc.children, intern(parts[depth]), new)
                anc.gen = next(_gen)
                break
            if anc is None:
                anc = Node(b"", acl[depth], EMPTY)
            new = Node(anc.value, anc.perms, _with_child(anc.children, intern(parts[depth]), new), born=anc.born)
            fresh[id(new)] = new
        else:
            self.tree = new
        self._reindex(parts, removed=False)
        return created

    def remove(self, parts: list[str]) -> Node | None:
        """Remove the subtree at ``parts`` (not the root); returns it, or None if it was absent."""
        assert parts
        chain: list[Node] = [self.tree]
        for name in parts[:-1]:
            child = chain[-1].children.get(name)
            if child is None:
                return None
            chain.append(child)
        gone = chain[-1].children.get(parts[-1])
        if gone is None:
            return None
        for _, n in iter_nodes(gone, "/"):
            self._count(n.perms[0].domid, -1)
        last = chain[-1]
        new = Node(last.value, last.perms, _without_child(last.children, parts[-1]), born=last.born)
        for depth in range(len(parts) - 2, -1, -1):
            anc = chain[depth]
            new = Node(anc.value, anc.perms, _with_child(anc.children, parts[depth], new), born=anc.born)
        self.tree = new
        self._reindex(parts, removed=True)
        return gone

    def load(self, records: list[tuple[str, bytes, Perms]]) -> None:
        """Replace the tree with a snapshot's records: absolute paths in pre-order (the root first,
        parents before children, siblings in creation order), as :func:`iter_nodes` writes them.

        One pass with a stack of open directories, each node built once, after its children (post-order):
        several times faster than :meth:`put_many`'s trie of split paths, which is what a restart of
        10 000 domains waited on (issue 12). Siblings are stamped in record order, so DIRECTORY's order
        survives.

        :raises ValueError: when the records are not in that order (a node before its parent).
        """
        if not records or records[0][0] != "/":
            raise ValueError("a snapshot starts with the root")
        _, value, perms = records[0]
        # frames: (path, name, value, perms, children); the stack holds the directories still open
        stack: list[tuple[str, str, bytes, Perms, dict[str, Node]]] = [("/", "", value, perms, {})]
        owned: dict[int, int] = {}
        Map, big = immutables.Map, BIG
        for path, value, perms in records[1:]:
            parent, _, name = path.rpartition("/")
            parent = parent or "/"
            while stack[-1][0] != parent:
                if len(stack) == 1:
                    raise ValueError(f"{path} comes before its parent")
                _, done, v, ps, kids = stack.pop()
                stack[-1][4][done] = Node(v, ps, (Map(kids) if len(kids) > big else kids) if kids else EMPTY)
            stack.append((path, intern(name), shared_value(value), perms, {}))
            owner = perms[0].domid
            if owner:
                owned[owner] = owned.get(owner, 0) + 1
        while len(stack) > 1:
            _, done, v, ps, kids = stack.pop()
            stack[-1][4][done] = Node(v, ps, (Map(kids) if len(kids) > big else kids) if kids else EMPTY)
        _, _, value, perms, kids = stack[0]
        if perms[0].domid:
            owned[perms[0].domid] = owned.get(perms[0].domid, 0) + 1
        self.tree = Node(value, perms, (Map(kids) if len(kids) > big else kids) if kids else EMPTY)
        self._owned = immutables.Map(owned)
        self._owned_delta.clear()
        self.rebuild()

    def load_flat(self, flat: list[Any], names: list[str], values: list[bytes], acls: list[Perms]) -> None:
        """:meth:`load_flat_steps` in one go."""
        for _ in self.load_flat_steps(flat, names, values, acls):
            pass

    def load_flat_steps(
        self, flat: list[Any], names: list[str], values: list[bytes], acls: list[Perms], step: int = 1 << 62
    ) -> Iterator[None]:
        """Replace the tree with a flat snapshot: four items per node in pre-order -- the index of its
        name in ``names``, the index of its value in ``values``, the index of its ACL in ``acls``, its
        number of children -- as :func:`iter_named` walks the tree. ``values`` are shared as they are
        (see :func:`shared_value`): a tree of 10 000 domains holds 37 000 distinct values in 317 000
        nodes, so the table spares a decode and a lookup per node.

        Why this shape (issue 12): a restart of 10 000 domains waited seconds on :meth:`load`, which
        splits every absolute path and interns every name. Here names and ACLs are tables (each
        decoded once) and the nodes are walked backwards, so a node's children are the last ones
        built: each directory is made with one slice of a stack, no path is looked at. Stamps are
        taken in bulk in pre-order, so a big directory's creation order survives.

        Yields every ``step`` nodes (a caller on the event loop serves between steps).

        :raises ValueError: when the counts do not make one tree, or an index is out of range.
        """
        count, rest = divmod(len(flat), 4)
        if rest or not count:
            raise ValueError("a flat snapshot holds four items per node, the root first")
        base = reserve_stamps(count)
        stack: list[tuple[str, Node]] = []
        Map, big, empty = immutables.Map, BIG, EMPTY
        kids: Children
        for i in range(count - 1, -1, -1):
            if i % step == 0 and i:
                yield
            j = 4 * i
            k = flat[j + 3]
            if k:
                if k > len(stack):
                    raise ValueError(f"node {i} has {k} children, {len(stack)} follow it")
                items = stack[-k:]
                del stack[-k:]
                items.reverse()
                kids = Map(items) if k > big else dict(items)
                if len(kids) != k:
                    raise ValueError(f"node {i} has two children of one name")
            else:
                kids = empty
            stamp = base + i
            stack.append((names[flat[j]], Node(values[flat[j + 1]], acls[flat[j + 2]], kids, stamp, stamp)))
        if len(stack) != 1:
            raise ValueError(f"the child counts make {len(stack)} trees, not one")
        owned: dict[int, int] = {}
        for index, n in collections.Counter(flat[2::4]).items():
            owner = acls[index][0].domid
            if owner:
                owned[owner] = owned.get(owner, 0) + n
        self.tree = stack[0][1]
        self._owned = immutables.Map(owned)
        self._owned_delta.clear()
        self.rebuild()

    def put_many(self, records: Iterable[tuple[str, bytes, Perms]]) -> None:
        """Set many node records (absolute path, value, ACL) at once (a journaled commit's effects, a
        hand-made snapshot's nodes) in one pass: each changed node is rebuilt once, instead of once per
        record below it as :meth:`put` would.

        Every node that does not exist yet must have its own record, parents before children (the
        journal and snapshots write them so). New siblings are created in record order.

        A commit's records are mostly siblings (a guest's ``data/*``, a device's keys): the trie level of
        each parent path is kept, so a sibling costs one lookup instead of a walk from the root (replay
        of a restart's journal, issue 12).

        :raises ValueError: when a new node has no record of its own.
        """
        trie: dict[str, Any] = {}
        levels: dict[str, dict[str, Any]] = {"": trie}  # parent path -> its trie level
        root_record: tuple[bytes, Perms] | None = None
        reindex: set[int] = set()
        for path, value, perms in records:
            parent, _, name = path.rpartition("/")
            if not name:
                root_record = (value, perms)
                continue
            level = levels.get(parent)
            if level is None:
                walk = trie
                for part in parent[1:].split("/"):
                    entry = walk.get(part)  # not setdefault: that would make a list and a dict per level
                    if entry is None:
                        entry = walk[part] = [None, {}]
                    walk = entry[1]
                level = levels[parent] = walk
            entry = level.get(name)
            if entry is None:
                level[name] = [(value, perms), {}]
            else:
                entry[0] = (value, perms)
            # the indices follow a domain's name and vm keys. Not the domain's own record, which a
            # journaled commit repeats for every key below it: its value and ACL are not indexed, and a
            # new domain node's name or vm comes with records of their own
            if name == "name" or name == "vm":
                key = parent[14:]
                if parent.startswith("/local/domain/") and key.isdigit():
                    reindex.add(int(key))
        old_root = self.tree
        value, perms = root_record if root_record is not None else (old_root.value, old_root.perms)
        owned: dict[int, int] = {}  # node count changes per owner, applied once below
        if perms is not old_root.perms and perms[0].domid != old_root.perms[0].domid:
            owned[old_root.perms[0].domid] = -1
            owned[perms[0].domid] = owned.get(perms[0].domid, 0) + 1
        try:
            children = self._rebuild_children(old_root.children, trie, owned)
        except _NoRecord as exc:
            raise ValueError(f"/{'/'.join(reversed(exc.names))} would be created without a record of its own") from None
        self.tree = Node(value, perms, children, born=old_root.born)
        for domid, delta in owned.items():
            if delta:
                self._count(domid, delta)
        for domid in reindex:
            self._index_domain(domid)

    def _rebuild_children(self, children: Children, trie: dict[str, Any], owned: dict[int, int]) -> Children:
        """``children`` with ``trie``'s changes, as the same kind of mapping (a small dict or a persistent map)."""
        if type(children) is dict:
            out = dict(children)
            self._apply_children(out, trie, owned)
            return immutables.Map(out) if len(out) > BIG else out
        assert isinstance(children, immutables.Map)
        mutation = children.mutate()
        self._apply_children(mutation, trie, owned)
        return mutation.finish()

    def _apply_children(self, out: dict[str, Node] | immutables.MapMutation[str, Node], trie: dict[str, Any],
                        owned: dict[int, int]) -> None:  # fmt: skip
        """Set each of ``trie``'s entries into ``out``. A leaf record (most of a commit's: a guest's keys)
        is made here, without a call of :meth:`_rebuild` (replay's inner loop, issue 12)."""
        for name, entry in trie.items():
            old = out.get(name)
            record, sub = entry
            if sub or record is None:
                out[intern(name)] = self._rebuild(old, entry, name, owned)
                continue
            value, perms = _owned_record(record, old, owned)
            if old is None:
                out[intern(name)] = Node(value, perms, EMPTY)
            else:
                out[name] = Node(value, perms, old.children, born=old.born)  # name: the old key's object

    def _rebuild(self, old: Node | None, entry: list[Any], name: str, owned: dict[int, int]) -> Node:
        """``old`` (None: a new node) with ``entry``'s record and changes below it: the owners' counts
        gathered in ``owned``, the path spelled out only for an error (:class:`_NoRecord`)."""
        record, sub = entry
        if record is None:
            if old is None:
                raise _NoRecord(name)
            value, perms = old.value, old.perms
        else:
            value, perms = _owned_record(record, old, owned)
        try:
            if old is None:
                return Node(value, perms, self._rebuild_children(EMPTY, sub, owned) if sub else EMPTY)
            children = self._rebuild_children(old.children, sub, owned) if sub else old.children
        except _NoRecord as exc:
            exc.names.append(name)
            raise
        return Node(value, perms, children, born=old.born)

    def freeze(self) -> Root:
        self._fresh = {}  # the frozen tree is shared from now on: later changes copy again
        if self._owned_delta:
            owned = self._owned.mutate()
            for domid, delta in self._owned_delta.items():
                left = owned.get(domid, 0) + delta
                if left:
                    owned[domid] = left
                elif domid in owned:
                    del owned[domid]
            self._owned = owned.finish()
            self._owned_delta = {}
        return Root(self.tree, self._names, self._uuids, self._dom_name, self._dom_uuid, self._owned)

    # -- derived data ----------------------------------------------------------------------------------

    def _count(self, domid: int, delta: int) -> None:
        if domid:
            self._owned_delta[domid] = self._owned_delta.get(domid, 0) + delta

    def _reindex(self, parts: list[str], removed: bool) -> None:
        domid = _domid_of(parts)
        if domid is not None:
            if len(parts) == 3 or (len(parts) == 4 and parts[3] in ("name", "vm")):
                self._index_domain(domid)
        elif removed and len(parts) < 3 and parts == ["local", "domain"][: len(parts)]:
            self.rebuild()

    def rebuild(self) -> None:
        """Recompute every index from the tree (after a snapshot's load, or removing /local or /local/domain).

        In bulk: plain dicts filled in one pass over the domains, each made a persistent map once
        (a restart indexes 10 000 domains: 0.11 s as one ``Map.set`` per entry, issue 12). The same
        entries as :meth:`_index_domain` makes one domain at a time."""
        names: dict[str, list[int]] = {}
        uuids: dict[str, list[int]] = {}
        dom_name: dict[int, str] = {}
        dom_uuid: dict[int, str] = {}
        domains = lookup(self.tree, ["local", "domain"])
        if domains is not None:
            for key, dom in domains.children.items():
                if not key.isdigit():
                    continue
                domid = int(key)
                kids = dom.children
                name_node = kids.get("name")
                if name_node is not None:
                    name = name_node.value.decode("utf-8", "replace")
                    dom_name[domid] = name
                    names.setdefault(name, []).append(domid)
                vm_node = kids.get("vm")
                if vm_node is not None:
                    uuid = vm_node.value.decode("utf-8", "replace").rsplit("/", 1)[-1]
                    dom_uuid[domid] = uuid
                    uuids.setdefault(uuid, []).append(domid)
        self._names = immutables.Map({k: tuple(sorted(v)) for k, v in names.items()})
        self._uuids = immutables.Map({k: tuple(sorted(v)) for k, v in uuids.items()})
        self._dom_name = immutables.Map(dom_name)
        self._dom_uuid = immutables.Map(dom_uuid)

    def _index_domain(self, domid: int) -> None:
        base = ["local", "domain", str(domid)]
        name_node = lookup(self.tree, [*base, "name"])
        vm_node = lookup(self.tree, [*base, "vm"])
        name = name_node.value.decode("utf-8", "replace") if name_node is not None else None
        uuid = vm_node.value.decode("utf-8", "replace").rsplit("/", 1)[-1] if vm_node is not None else None
        self._names, self._dom_name = _set_entry(self._names, self._dom_name, domid, name)
        self._uuids, self._dom_uuid = _set_entry(self._uuids, self._dom_uuid, domid, uuid)


class _NoRecord(Exception):
    """A node :meth:`Editor.put_many` would create has no record; ``names``: its path, innermost first."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.names = [name]


def _owned_record(record: tuple[bytes, Perms], old: Node | None, owned: dict[int, int]) -> tuple[bytes, Perms]:
    """A put record's value (a small one shared, :func:`shared_value`) and ACL, its node counted in
    ``owned`` for its owner, and uncounted for ``old``'s when that differs (``old`` None: a new node)."""
    value, perms = record
    if len(value) <= SMALL_VALUE:
        value = shared_value(value)
    owner = perms[0].domid
    if old is None:
        owned[owner] = owned.get(owner, 0) + 1
    elif owner != (was := old.perms[0].domid):
        owned[was] = owned.get(was, 0) - 1
        owned[owner] = owned.get(owner, 0) + 1
    return value, perms


def _set_entry(
    forward: immutables.Map[str, tuple[int, ...]], backward: immutables.Map[int, str], domid: int, key: str | None
) -> tuple[immutables.Map[str, tuple[int, ...]], immutables.Map[int, str]]:
    """The index pair with ``domid``'s entry set to ``key`` (None = removed)."""
    old = backward.get(domid)
    if old == key:
        return forward, backward
    if old is not None:
        left = tuple(d for d in forward.get(old, ()) if d != domid)
        forward = forward.set(old, left) if left else forward.delete(old)
        backward = backward.delete(domid)
    if key is not None:
        forward = forward.set(key, tuple(sorted((*forward.get(key, ()), domid))))
        backward = backward.set(domid, key)
    return forward, backward
