"""The store's engine: xenstore semantics over the persistent tree, branch transactions, watches.

Everything here is synchronous and free of I/O: the asyncio server and the in-process client call in,
and watch events leave through each session's ``deliver`` callback. Because the daemon runs one event
loop, each call is atomic; no locks.

Transactions are branches. ``TRANSACTION_START`` keeps a reference to the head commit (the tree is
persistent, so this is free) and the transaction's requests run on its own :class:`~xenia.store.tree.Editor`.
Every request is recorded with its result. On commit:

* the head has not moved -> fast-forward to the transaction's tree;
* otherwise (``merge`` mode) the keys the transaction wrote are compared three ways (base, head, ours):
  a key both sides changed to different values is a conflict; then the recorded requests are replayed
  against the head and each result must equal the recorded one -- a read, listing or permission check
  that now answers differently is a conflict. If nothing conflicts, the replayed tree becomes the head
  (a merge). Transactions that touch different domains' subtrees therefore both commit;
* ``strict`` mode is cxenstored's rule for comparison: any node the transaction touched (including
  parents whose child list it changed) whose record changed since the start -> EAGAIN.

Requests outside a transaction never open one: they edit the head directly and make one commit.
"""

from __future__ import annotations

import enum
import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from . import paths
from .errors import XsError
from .history import Commit, History
from .perms import DEFAULT_PERMS, Perms, allows, parse_perm_strings, with_owner
from .tree import EMPTY, Editor, Node, Root, child_names, iter_nodes, lookup

__all__ = ["Effect", "Engine", "Event", "Mode", "Quotas", "Session", "Sink", "Stats", "Transaction", "WatchReg", "effects"]

Result = Any  # bytes | tuple[str, ...] | Perms | str ("OK" or an errno name)
MUTATING = frozenset({"write", "mkdir", "rm", "set_perms"})


class Mode(enum.Enum):
    """Conflict rule used when a transaction commits against a head that moved."""

    MERGE = "merge"
    STRICT = "strict"


@dataclass
class Quotas:
    """Limits for unprivileged domains (xenstore's defaults). 0 means unlimited."""

    nodes: int = 1000
    node_size: int = 2048
    watches: int = 128
    transactions: int = 10
    transaction_nodes: int = 1024
    node_permissions: int = 5
    #: bytes of replies and watch events waiting for a domain's connections; a watch event that would
    #: exceed it is dropped (cxenstored's hard ``memory`` quota, 2.5 MiB, applied to queued output)
    memory: int = 2560 * 1024

    NAMES = ("nodes", "node-size", "watches", "transactions", "transaction-nodes", "node-permissions", "memory")

    def get(self, name: str) -> int:
        if name not in self.NAMES:
            raise XsError("EINVAL", f"unknown quota {name}")
        value: int = getattr(self, name.replace("-", "_"))
        return value

    def set(self, name: str, value: int) -> None:
        self.get(name)
        setattr(self, name.replace("-", "_"), value)


@dataclass
class Stats:
    """Counters reported through CONTROL ``stats``."""

    commits: int = 0
    direct: int = 0
    fast_forwards: int = 0
    merges: int = 0
    read_only: int = 0
    aborts: int = 0
    client_aborts: int = 0
    conflicts_read: int = 0
    conflicts_write: int = 0
    conflicts_strict: int = 0
    #: watch events not queued: an identical one was waiting, or the receiver's memory quota was full
    events_dropped: int = 0

    def text(self) -> str:
        return " ".join(f"{k}={v}" for k, v in vars(self).items())


@dataclass(frozen=True, slots=True)
class Event:
    """A change to report to watchers: ``old`` is the removed subtree for an RM, else None."""

    path: str
    removed: Node | None = None


#: what a commit did to the tree, as the journal records it: ``("p", path, value, perms)`` = the node's
#: record after the commit (created or changed), ``("r", path)`` = subtree removed. Replaying effects needs
#: no permission or quota check, so a restart reproduces exactly what was acknowledged.
Effect = tuple[Any, ...]


class Sink(Protocol):
    """Where commits and state changes go before they take effect (the journal). Raising OSError from
    either method refuses the change: the client gets EIO and nothing is applied."""

    def commit(self, commit: Commit, effects: list[Effect]) -> None: ...

    def state(self, change: dict[str, Any]) -> None: ...

    def applied(self) -> None:
        """Called once a journaled commit took effect."""


def effects(old: Node, new: Node, events: list[Event]) -> list[Effect]:
    """The effects that turn ``old`` into ``new``, from the commit's events (in request order).

    For a written node, every node on its path whose record is new or changed is included (implicitly
    created parents carry their own owner), plus nodes re-created under a subtree removed earlier in the
    same commit. Values and ACLs are taken from ``new``; a node removed later in the commit is skipped.
    O(depth) per event, whatever the directory sizes.
    """
    out: list[Effect] = []
    removed: list[str] = []
    for ev in events:
        if ev.removed is not None:
            # a node the same commit created and removed again was never recorded: a removal of it
            # would not apply on replay, and the journal would stop the next start
            if _replayed_present(ev.path, old, out):
                out.append(("r", ev.path))
                removed.append(ev.path)
            continue
        parts = paths.split(ev.path)
        if not parts:
            out.append(("p", "/", new.value, new.perms))
            continue
        n: Node | None = new
        o: Node | None = old
        for depth, name in enumerate(parts, 1):
            assert n is not None
            n = n.children.get(name)
            if n is None:
                break
            o = o.children.get(name) if o is not None else None
            # identity first: an unchanged record shares its value and (interned) ACL objects
            fresh = o is None or (o.value is not n.value and o.value != n.value) or (
                o.perms is not n.perms and o.perms != n.perms
            )
            if fresh or removed:
                path = "/" + "/".join(parts[:depth])
                if fresh or any(paths.is_ancestor_or_self(r, path) for r in removed):
                    out.append(("p", path, n.value, n.perms))
    return out


def _replayed_present(path: str, old: Node, out: list[Effect]) -> bool:
    """Whether the node at ``path`` exists once the effects in ``out`` are replayed over ``old``: the
    latest effect on it decides (a record of it, or a removal of it or an ancestor), else ``old``."""
    for e in reversed(out):
        if e[0] == "r" and paths.is_ancestor_or_self(e[1], path):
            return False
        if e[1] == path:
            return True
    return lookup(old, paths.split(path)) is not None


@dataclass(eq=False)
class WatchReg:
    """A registered watch: ``path`` is absolute (or special); ``relative`` strips the home on delivery."""

    path: str
    token: bytes
    relative: bool
    session: Session


@dataclass(eq=False)
class Transaction:
    """An open transaction: a branch from ``base`` plus the log of what it did."""

    id: int
    session: Session
    base: Commit
    editor: Editor
    ops: list[tuple[str, str, Any, Result]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    written: set[str] = field(default_factory=set)
    touched: set[str] = field(default_factory=set)


class Session:
    """A client of the engine -- a socket connection or an in-process client -- acting as ``domid``.

    ``deliver(epath, token)`` is called synchronously for every watch event; it must not call back
    into the engine.
    """

    _ids = itertools.count(1)

    def __init__(self, domid: int, deliver: Callable[[str, bytes], None]) -> None:
        self.id = next(self._ids)
        self.domid = domid
        self.deliver = deliver
        self.watches: dict[tuple[str, bytes], WatchReg] = {}
        self.transactions: dict[int, Transaction] = {}

    @property
    def privileged(self) -> bool:
        return self.domid == 0


class Engine:
    """The whole store state: head commit, history, watches, domains, quotas, counters."""

    def __init__(self, history: History | None = None, mode: Mode = Mode.MERGE) -> None:
        tree = Node(b"", DEFAULT_PERMS, EMPTY)
        ed = Editor(Root.empty(tree))
        for p in ("/tool", "/tool/xenstored", "/local", "/local/domain"):
            ed.put(paths.split(p), None, None, lambda parent: parent)
        self.history = history if history is not None else History()
        self.head = Commit(0, ed.freeze(), time.time(), 0, 0, "initial tree")
        self.history.append(self.head)
        self._seq = 0
        self.mode = mode
        self.quotas = Quotas()
        self.stats = Stats()
        self.domains: dict[int, int] = {}  # introduced domid -> ring gfn
        self.targets: dict[int, int] = {}
        self.special_perms: dict[str, Perms] = {p: DEFAULT_PERMS for p in paths.SPECIAL_PATHS}
        self._watches: dict[str, list[WatchReg]] = {}
        #: the watched absolute paths as a trie (name -> subtrie): a subtree removal visits only the
        #: watches below it, not every watch of every domain (issue 12)
        self._watch_trie: dict[str, Any] = {}
        self._tx_ids = itertools.count(1)
        #: extra CONTROL commands installed by the server (snapshot, export): name -> fn(args) -> text
        self.control_hooks: dict[str, Callable[[list[str]], str]] = {}
        #: the journal: every commit and state change is written there before it takes effect
        self.sink: Sink | None = None

    # == sessions ======================================================================================

    def open_session(self, deliver: Callable[[str, bytes], None], domid: int = 0) -> Session:
        return Session(domid, deliver)

    def close_session(self, session: Session) -> None:
        """Drop the session's watches and abort its transactions (a disconnect)."""
        self.reset_watches(session)

    def reset_watches(self, session: Session) -> None:
        for reg in list(session.watches.values()):
            self._unregister(reg)
        session.watches.clear()
        for _tx in session.transactions.values():
            self.stats.client_aborts += 1
        session.transactions.clear()

    # == requests =====================================================================================

    def request(self, session: Session, kind: str, raw_path: bytes | str, arg: Any = None, tx_id: int = 0) -> Result:
        """Run one tree request (read/directory/get_perms/write/mkdir/rm/set_perms).

        :raises XsError: with the errno name xenstore replies with.
        """
        tx = self._tx(session, tx_id) if tx_id else None
        path = paths.resolve(raw_path, session.domid, allow_special=kind in ("get_perms", "set_perms"))
        if tx is not None:
            return self._tx_request(tx, kind, path, arg)
        ed = Editor(self.head.root)
        events: list[Event] = []
        result = self._apply(ed, session, kind, path, arg, events)
        if kind in MUTATING and ed.tree is not self.head.root.tree:
            self._commit(ed.freeze(), session, f"{kind} {path}", events)
            self.stats.direct += 1
            self._fire(events)
        return result

    def _tx(self, session: Session, tx_id: int) -> Transaction:
        tx = session.transactions.get(tx_id)
        if tx is None:
            raise XsError("ENOENT", f"no transaction {tx_id}")
        return tx

    def _tx_request(self, tx: Transaction, kind: str, path: str, arg: Any) -> Result:
        q = self.quotas.transaction_nodes
        if not tx.session.privileged and q and len(tx.ops) >= q:
            raise XsError("ENOSPC", "transaction too large")
        tx.touched.add(path)
        parts = paths.split(path) if not path.startswith("@") else []
        created = tx.editor.missing(parts)[0] if kind in ("write", "mkdir") else 0
        try:
            result = self._apply(tx.editor, tx.session, kind, path, arg, tx.events)
        except XsError as exc:
            tx.ops.append((kind, path, arg, exc.name))
            raise
        tx.ops.append((kind, path, arg, result))
        if kind in MUTATING:
            tx.written.add(path)
            # every ancestor, built once each (a join per depth made a deep write O(depth^2))
            ancestors = ["/"] if parts else []
            prefix = ""
            for name in parts[:-1]:
                prefix = f"{prefix}/{name}"
                ancestors.append(prefix)
            tx.touched.update(ancestors)
            # implicitly created ancestors count as written: two branches creating the same parent
            # identically merge, differently (another owner) conflict
            tx.written.update(ancestors[len(parts) - created + 1 :])
        return result

    # == the operations ===============================================================================

    def _apply(self, ed: Editor, s: Session, kind: str, path: str, arg: Any, events: list[Event]) -> Result:
        if path.startswith("@"):
            return self._special(s, kind, path, arg)
        parts = paths.split(path)
        if kind == "read":
            return self._get(ed, s, parts, "r").value
        if kind == "directory":
            return tuple(child_names(self._get(ed, s, parts, "r").children))
        if kind == "get_perms":
            return self._get(ed, s, parts, "r").perms
        if kind == "write":
            return self._write(ed, s, path, parts, arg, events)
        if kind == "mkdir":
            if ed.get(parts) is None:
                self._write(ed, s, path, parts, None, events)
            return "OK"
        if kind == "rm":
            return self._rm(ed, s, path, parts, events)
        if kind == "set_perms":
            return self._set_perms(ed, s, path, parts, arg, events)
        raise XsError("EINVAL", f"unknown request {kind}")

    def can(self, s: Session, perms: Perms, want: str) -> bool:
        """Does the session hold ``want`` under ``perms``? dom0 always; a stub domain also as its target."""
        if s.privileged or allows(perms, s.domid, want):
            return True
        target = self.targets.get(s.domid)
        return target is not None and allows(perms, target, want)

    def _get(self, ed: Editor, s: Session, parts: list[str], want: str) -> Node:
        node = ed.get(parts)
        if node is None:
            if not s.privileged:
                _, anc = ed.missing(parts)
                if not self.can(s, anc.perms, want):
                    raise XsError("EACCES")
            raise XsError("ENOENT")
        if not self.can(s, node.perms, want):
            raise XsError("EACCES")
        return node

    def _write(self, ed: Editor, s: Session, path: str, parts: list[str], value: bytes | None, events: list[Event]) -> str:
        if not parts:
            if value is not None and not s.privileged:
                raise XsError("EACCES")
        missing, nearest = ed.missing(parts)
        if not self.can(s, nearest.perms, "w"):
            raise XsError("EACCES")
        if not s.privileged:
            q = self.quotas
            if q.node_size:
                # cxenstored checks the size of every node record a guest's request rewrites
                # (write_node_raw): the written node, and the parent whose child list gains a name
                if missing == 0:
                    size = _record_size(nearest, value if value is not None else nearest.value)
                else:
                    size = max(
                        16 + len(value or b"") + 8 * len(nearest.perms),
                        _record_size(nearest, nearest.value) + len(parts[len(parts) - missing]) + 1,
                    )
                if size > q.node_size:
                    raise XsError("ENOSPC", "node too large")
            if q.nodes and missing and ed.owned(s.domid) + missing > q.nodes:
                raise XsError("ENOSPC", "too many nodes")
        owner = s.domid

        def create(parent: Perms) -> Perms:
            return parent if owner == 0 else with_owner(parent, owner)

        ed.put(parts, value, None, create)
        events.append(Event(path))
        return "OK"

    def _rm(self, ed: Editor, s: Session, path: str, parts: list[str], events: list[Event]) -> str:
        if not parts:
            raise XsError("EINVAL", "cannot remove /")
        node = ed.get(parts)
        if node is None:
            parent = self._get(ed, s, parts[:-1], "w")
            del parent
            return "OK"
        if not self.can(s, node.perms, "w"):
            raise XsError("EACCES")
        ed.remove(parts)
        events.append(Event(path, node))
        return "OK"

    def _set_perms(self, ed: Editor, s: Session, path: str, parts: list[str], perms: Perms, events: list[Event]) -> str:
        node = self._get(ed, s, parts, "w")
        if not s.privileged:
            if node.perms[0].domid != s.domid and self.targets.get(s.domid) != node.perms[0].domid:
                raise XsError("EACCES", "only the owner may change permissions")
            if perms[0].domid != node.perms[0].domid:
                raise XsError("EPERM", "only dom0 may change the owner")
            q = self.quotas.node_permissions
            if q and len(perms) > q:
                raise XsError("ENOSPC", "too many permissions")
        ed.put(parts, None, perms, lambda p: p)
        events.append(Event(path))
        return "OK"

    def _special(self, s: Session, kind: str, path: str, arg: Any) -> Result:
        if path not in self.special_perms:
            raise XsError("EINVAL")
        if kind == "get_perms":
            return self.special_perms[path]
        if kind == "set_perms":
            if not s.privileged:
                raise XsError("EACCES")
            self._state({"k": "special", "path": path, "perms": [str(p) for p in arg]})
            self.special_perms[path] = arg
            return "OK"
        raise XsError("EINVAL", f"{kind} on a special path")

    # == transactions =================================================================================

    def transaction_start(self, session: Session) -> int:
        q = self.quotas.transactions
        if not session.privileged and q and len(session.transactions) >= q:
            raise XsError("ENOSPC", "too many transactions")
        tx = Transaction(next(self._tx_ids), session, self.head, Editor(self.head.root))
        session.transactions[tx.id] = tx
        return tx.id

    def transaction_end(self, session: Session, tx_id: int, commit: bool) -> None:
        """Commit (or abort) a transaction. :raises XsError: EAGAIN on a real conflict."""
        tx = self._tx(session, tx_id)
        del session.transactions[tx_id]
        if not commit:
            self.stats.client_aborts += 1
            return
        mutated = any(kind in MUTATING and res == "OK" for kind, _, _, res in tx.ops)
        if not mutated:
            self.stats.read_only += 1
            return
        message = f"transaction {tx.id}: {len(tx.ops)} requests"
        if self.head is tx.base:
            self._commit(tx.editor.freeze(), session, message, tx.events)
            self.stats.fast_forwards += 1
            self._fire(tx.events)
            return
        root, events = self._merge(tx)
        self._commit(root, session, message + " (merged)", events)
        self.stats.merges += 1
        self._fire(events)

    def _conflict(self, counter: str, detail: str) -> XsError:
        self.stats.aborts += 1
        setattr(self.stats, counter, getattr(self.stats, counter) + 1)
        return XsError("EAGAIN", detail)

    def _merge(self, tx: Transaction) -> tuple[Root, list[Event]]:
        base, head = tx.base.root.tree, self.head.root.tree
        if self.mode is Mode.STRICT:
            for p in tx.touched:
                parts = paths.split(p)
                b, h = lookup(base, parts), lookup(head, parts)
                if b is not h and not (b is not None and b.same_record(h)):
                    raise self._conflict("conflicts_strict", f"{p} changed")
        else:
            ours = tx.editor.tree
            for p in tx.written:
                parts = paths.split(p)
                b, h, o = lookup(base, parts), lookup(head, parts), lookup(ours, parts)
                if not _same_content(b, h) and not _same_content(h, o):
                    raise self._conflict("conflicts_write", f"{p} written on both sides")
        ed = Editor(self.head.root)
        events: list[Event] = []
        for kind, path, arg, recorded in tx.ops:
            try:
                result = self._apply(ed, tx.session, kind, path, arg, events)
            except XsError as exc:
                result = exc.name
            if result != recorded:
                raise self._conflict("conflicts_read", f"{kind} {path} now answers differently")
        return ed.freeze(), events

    def _commit(self, root: Root, s: Session, message: str, events: list[Event]) -> None:
        """Make ``root`` the head -- after the journal has it: if the journal write fails the change is
        not applied and the client gets EIO."""
        commit = Commit(self._seq + 1, root, time.time(), s.domid, s.id, message, _cost(events))
        if self.sink is not None:
            try:
                self.sink.commit(commit, effects(self.head.root.tree, root.tree, events))
            except OSError as exc:
                raise XsError("EIO", f"journal write failed: {exc}") from None
        self._seq += 1
        self.head = commit
        self.history.append(commit)
        self.stats.commits += 1
        if self.sink is not None:
            self.sink.applied()

    def _state(self, change: dict[str, Any]) -> None:
        """Journal a change of state that later requests depend on (targets, quotas, special ACLs,
        introduced domains) before it is applied."""
        if self.sink is not None:
            try:
                self.sink.state(change)
            except OSError as exc:
                raise XsError("EIO", f"journal write failed: {exc}") from None

    def set_quota(self, s: Session, name: str, value: int) -> None:
        self._need_priv(s)
        self.quotas.get(name)
        self._state({"k": "quota", "name": name, "value": value})
        self.quotas.set(name, value)

    # == watches ======================================================================================

    def watch(self, session: Session, raw_path: bytes | str, token: bytes) -> None:
        """Register a watch and queue its immediate event."""
        path = paths.resolve(raw_path, session.domid, allow_special=True)
        relative = not str(raw_path if isinstance(raw_path, str) else raw_path.decode()).startswith(("/", "@"))
        key = (path, token)
        if key in session.watches:
            raise XsError("EEXIST")
        q = self.quotas.watches
        if not session.privileged and q and len(session.watches) >= q:
            raise XsError("ENOSPC", "too many watches")
        reg = WatchReg(path, token, relative, session)
        session.watches[key] = reg
        regs = self._watches.setdefault(path, [])
        if not regs and not path.startswith("@"):
            trie = self._watch_trie
            for name in paths.split(path):
                trie = trie.setdefault(name, {})
        regs.append(reg)
        session.deliver(self._epath(reg, path), token)

    def unwatch(self, session: Session, raw_path: bytes | str, token: bytes) -> None:
        path = paths.resolve(raw_path, session.domid, allow_special=True)
        reg = session.watches.pop((path, token), None)
        if reg is None:
            raise XsError("ENOENT")
        self._unregister(reg)

    def _unregister(self, reg: WatchReg) -> None:
        regs = self._watches.get(reg.path)
        if regs is not None:
            regs.remove(reg)
            if not regs:
                del self._watches[reg.path]
                if not reg.path.startswith("@"):
                    self._prune_trie(paths.split(reg.path))

    def _prune_trie(self, parts: list[str]) -> None:
        """Drop the trie's nodes on ``parts`` that lead to no watch any more (deepest first)."""
        trail = [self._watch_trie]
        for name in parts:
            trail.append(trail[-1][name])
        for depth in range(len(parts), 0, -1):
            if trail[depth] or ("/" + "/".join(parts[:depth])) in self._watches:
                return
            del trail[depth - 1][parts[depth - 1]]

    def _watched_below(self, parts: list[str], removed: Node) -> Iterator[tuple[str, Node]]:
        """(path, node) for each watched path strictly below ``parts`` that existed in ``removed``,
        the subtree a removal took away: walks the trie and the subtree together, so it costs the
        number of watches below, whatever the number of watches elsewhere."""
        trie = self._watch_trie
        for name in parts:
            found = trie.get(name)
            if found is None:
                return
            trie = found
        stack: list[tuple[str, dict[str, Any], Node]] = [("/" + "/".join(parts), trie, removed)]
        while stack:
            path, sub, node = stack.pop()
            for name, below in sub.items():
                child = node.children.get(name)
                if child is None:
                    continue
                cpath = path + "/" + name if path != "/" else "/" + name
                if cpath in self._watches:
                    yield cpath, child
                if below:
                    stack.append((cpath, below, child))

    def _epath(self, reg: WatchReg, path: str) -> str:
        if reg.relative:
            home = paths.home(reg.session.domid) + "/"
            if path.startswith(home):
                return path[len(home) :]
        return path

    def _fire(self, events: list[Event]) -> None:
        """Deliver events after a commit: watches on the path or an ancestor; for a removal, also watches
        on removed descendants (epath = the watch's own path)."""
        if not self._watches:
            return
        tree = self.head.root.tree
        for ev in events:
            parts = paths.split(ev.path)
            for i in range(len(parts) + 1):
                anc = "/" + "/".join(parts[:i])
                for reg in self._watches.get(anc, ()):
                    self._deliver(reg, ev.path, tree, parts, ev.removed)
            if ev.removed is not None and ev.removed.children:
                for wpath, old in list(self._watched_below(parts, ev.removed)):
                    wparts = paths.split(wpath)
                    for reg in list(self._watches.get(wpath, ())):
                        self._deliver(reg, wpath, tree, wparts, old)

    def _deliver(self, reg: WatchReg, path: str, tree: Node, parts: list[str], old: Node | None) -> None:
        s = reg.session
        if not s.privileged:
            node = lookup(tree, parts)
            ok = (node is not None and self.can(s, node.perms, "r")) or (old is not None and self.can(s, old.perms, "r"))
            if not ok and parts:
                parent = lookup(tree, parts[:-1])
                ok = parent is not None and self.can(s, parent.perms, "r")
            if not ok:
                return
        s.deliver(self._epath(reg, path), reg.token)

    def _fire_special(self, path: str, domid: int) -> None:
        for wpath in (path, f"{path}/{domid}"):
            for reg in self._watches.get(wpath, ()):
                if reg.session.privileged or self.can(reg.session, self.special_perms[path], "r"):
                    reg.session.deliver(wpath, reg.token)

    # == domains ======================================================================================

    def _need_priv(self, s: Session) -> None:
        if not s.privileged:
            raise XsError("EACCES", "privileged operation")

    def introduce(self, s: Session, domid: int, gfn: int = 0) -> None:
        self._need_priv(s)
        new = domid not in self.domains
        if self.domains.get(domid) != gfn:
            self._state({"k": "introduce", "domid": domid, "gfn": gfn})
        self.domains[domid] = gfn
        if new:
            self._fire_special("@introduceDomain", domid)

    def release(self, s: Session, domid: int) -> None:
        self._need_priv(s)
        if domid not in self.domains:
            raise XsError("ENOENT", f"domain {domid} not introduced")
        self._state({"k": "release", "domid": domid})
        del self.domains[domid]
        self.targets.pop(domid, None)
        self._fire_special("@releaseDomain", domid)

    def resume(self, s: Session, domid: int) -> None:
        self._need_priv(s)
        if domid not in self.domains:
            raise XsError("ENOENT", f"domain {domid} not introduced")

    def set_target(self, s: Session, domid: int, target: int) -> None:
        self._need_priv(s)
        self._state({"k": "target", "domid": domid, "target": target})
        self.targets[domid] = target

    def is_introduced(self, s: Session, domid: int) -> bool:
        self._need_priv(s)
        return domid in self.domains or domid == 0

    def read_tree(self, s: Session, raw_path: bytes | str) -> dict[str, bytes]:
        """The value of every node below ``raw_path`` that has no children, by its path relative to
        ``raw_path`` -- what a client gets by walking with DIRECTORY and READ, in one call: a subtree
        the session may not read is left out as the walk's EACCES would leave it; an absent path is
        empty.  For in-process readers of a small subtree (a guest agent's keys after each report:
        some 50 requests, each resolving and checking its path, become one walk)."""
        path = paths.resolve(raw_path, s.domid)
        node = lookup(self.head.root.tree, paths.split(path))
        found: dict[str, bytes] = {}
        if node is None or not self.can(s, node.perms, "r"):
            return found
        stack: list[tuple[str, Node]] = [(name, child) for name, child in node.children.items()]
        while stack:
            rel, n = stack.pop()
            if not self.can(s, n.perms, "r"):
                continue
            if n.children:
                stack.extend((f"{rel}/{name}", child) for name, child in n.children.items())
            else:
                found[rel] = n.value
        return found

    def generation(self, s: Session, raw_path: bytes | str, tx_id: int = 0) -> int:
        """The node's version stamp (DIRECTORY_PART's gencount)."""
        path = paths.resolve(raw_path, s.domid)
        tree = self._tx(s, tx_id).editor.tree if tx_id else self.head.root.tree
        node = lookup(tree, paths.split(path))
        return node.gen if node is not None else 0

    # == indices ======================================================================================

    def lookup_name(self, name: str, tx: Transaction | None = None) -> tuple[int, ...]:
        """Domids whose ``/local/domain/<id>/name`` is ``name`` -- a dict lookup, whatever the count."""
        root = tx.editor.freeze() if tx is not None else self.head.root
        return root.names.get(name, ())

    def lookup_uuid(self, uuid: str, tx: Transaction | None = None) -> tuple[int, ...]:
        """Domids whose ``/local/domain/<id>/vm`` ends in ``uuid``."""
        root = tx.editor.freeze() if tx is not None else self.head.root
        return root.uuids.get(uuid, ())

    # == restore ======================================================================================

    def restore(
        self, seq: int, nodes: list[tuple[str, bytes, Perms]], state: dict[str, Any], when: float | None = None
    ) -> None:
        """Start from a snapshot: commit ``seq`` (made at ``when``) holding ``nodes`` (pre-order) and the
        engine state."""
        ed = Editor(Root.empty(Node(b"", DEFAULT_PERMS, EMPTY)))
        try:
            ed.load(nodes)
        except ValueError:  # not in pre-order (hand-made): the slower path that takes any order
            ed.put_many(nodes)
        self.restore_root(seq, ed.freeze(), state, when)

    def restore_root(self, seq: int, root: Root, state: dict[str, Any], when: float | None = None) -> None:
        """Start from a snapshot already built into ``root`` (see :meth:`restore`)."""
        self._seq = seq
        self.head = Commit(seq, root, time.time() if when is None else when, 0, 0, "restored from snapshot")
        self.history.reset()
        self.history.append(self.head)
        self.quotas = Quotas(**state.get("quotas", {}))
        self.targets = {int(k): v for k, v in state.get("targets", {}).items()}
        self.domains = {int(k): v for k, v in state.get("domains", {}).items()}
        for path, perms in state.get("special", {}).items():
            self.special_perms[path] = parse_perm_strings(perms)

    def state(self) -> dict[str, Any]:
        """The state a snapshot keeps beside the tree."""
        return {
            "quotas": vars(self.quotas).copy(),
            "targets": {str(k): v for k, v in self.targets.items()},
            "domains": {str(k): v for k, v in self.domains.items()},
            "special": {p: [str(x) for x in perms] for p, perms in self.special_perms.items()},
        }

    def replay_state(self, change: dict[str, Any]) -> None:
        """Apply one journaled state change. :raises ValueError: on a record that does not fit."""
        kind = change["k"]
        if kind == "quota":
            self.quotas.set(change["name"], int(change["value"]))
        elif kind == "target":
            self.targets[int(change["domid"])] = int(change["target"])
        elif kind == "special":
            self.special_perms[change["path"]] = parse_perm_strings(change["perms"])
        elif kind == "introduce":
            self.domains[int(change["domid"])] = int(change["gfn"])
        elif kind == "release":
            self.domains.pop(int(change["domid"]), None)
            self.targets.pop(int(change["domid"]), None)
        else:
            raise ValueError(f"unknown state record {kind!r}")

    def replay_commit(self, seq: int, when: float, domid: int, conn: int, message: str, fx: list[Effect]) -> None:
        """Re-make one journaled commit. :raises ValueError: when an effect does not apply (a removal of
        a node that is not there, a sequence number out of order): the journal does not match the
        snapshot, and guessing would lose or invent acknowledged writes."""
        if seq <= self._seq:
            raise ValueError(f"commit {seq} replayed after commit {self._seq}")
        ed = Editor(self.head.root)
        puts: list[tuple[str, bytes, Perms]] = []
        for e in fx:
            if e[0] == "p":
                puts.append((e[1], e[2], e[3]))
            elif e[0] == "r":
                if puts:  # records before a removal take effect before it
                    ed.put_many(puts)
                    puts = []
                if ed.remove(paths.split(e[1])) is None:
                    raise ValueError(f"commit {seq} removes {e[1]}, which does not exist")
            else:
                raise ValueError(f"commit {seq}: unknown effect {e[0]!r}")
        if puts:
            ed.put_many(puts)
        self._seq = seq
        self.head = Commit(seq, ed.freeze(), when, domid, conn, message, 200 + NODE_COST * 4 * len(fx))
        self.history.append(self.head)

    def snapshot(self) -> list[tuple[str, bytes, Perms]]:
        return [(p, n.value, n.perms) for p, n in iter_nodes(self.head.root.tree, "/")]


#: estimated bytes a commit allocates per node on a changed path (a node, its child map's new copy or
#: trie path); calibrated with bench/store.py's history figures
NODE_COST = 320


def _cost(events: list[Event]) -> int:
    """The history's estimate of the bytes one commit keeps alive: the path copied for each event."""
    return 200 + sum((ev.path.count("/") + 1) * NODE_COST for ev in events)


def _record_size(node: Node, value: bytes) -> int:
    """cxenstored's size of a node record: header, permissions, value, NUL-terminated child names."""
    return 16 + 8 * len(node.perms) + len(value) + sum(len(n) + 1 for n in node.children)


def _same_content(a: Node | None, b: Node | None) -> bool:
    if a is b:
        return True
    if a is None or b is None:
        return False
    return a.value == b.value and a.perms == b.perms
