"""Commit history with progressive, bounded retention: every recent commit, thinner with age, a byte budget.

Every change of the head is a :class:`Commit` holding the whole :class:`~xenia.store.tree.Root` (free,
the tree is persistent: a commit allocates only the path to what changed), its author, a message and the
time. A commit does not point at its parent: that pointer would keep every commit alive. The parent of a
retained commit is the retained commit just before it, so when thinning drops commits, their changes are
squashed into the next retained one.

Retention works like an RRD's archives (seed 004's "RRD-style constant size library to maintain
progressive history"), with bounds in :class:`Retention`: tier 0 keeps the last ``recent`` commits, all
of them. A commit leaving it enters the first time tier, which keeps one commit (the last) per
``resolution`` seconds for ``span`` seconds -- by default one a second for an hour, one a minute for a
day, one an hour for thirty days; a commit older than a tier's span moves to the next tier, and out of
the last one it is dropped. On top, the estimated bytes of all retained commits stay within ``budget``:
past it the oldest go first. Memory is bounded by the budget and by ``recent`` plus the tiers'
span/resolution slots, whatever the number of commits made.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from .paths import split
from .perms import format_perms
from .tree import EMPTY, Children, Node, Root, iter_children, iter_nodes, lookup

__all__ = ["Change", "Commit", "History", "Retention", "diff_trees"]


@dataclass(slots=True)
class Commit:
    """One state of the store. ``seq`` numbers every commit ever made (also the ones thinned away);
    ``cost`` estimates the bytes this commit allocated (the history's byte budget counts it)."""

    seq: int
    root: Root
    time: float
    domid: int
    conn: int
    message: str
    cost: int = 0

    def author(self) -> str:
        return f"dom{self.domid} (connection {self.conn})"

    def stamp(self) -> str:
        return dt.datetime.fromtimestamp(self.time, dt.UTC).isoformat(timespec="microseconds")


@dataclass
class Retention:
    """The bounds of the history (settings of ``store-serve`` and :meth:`StoreServer.start`)."""

    #: every one of the last ``recent`` commits is kept
    recent: int = 1024
    #: then (span seconds, one commit per resolution seconds), from recent to old
    tiers: tuple[tuple[float, float], ...] = ((3600.0, 1.0), (86400.0, 60.0), (30 * 86400.0, 3600.0))
    #: estimated bytes of all retained commits
    budget: int = 64 * 2**20
    #: per-tier slot limits derived from span/resolution (computed)
    slots: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.slots = tuple(int(span // res) + 1 for span, res in self.tiers)


class History:
    """The retained commits, oldest first on iteration."""

    def __init__(self, retention: Retention | None = None) -> None:
        self.retention = retention if retention is not None else Retention()
        self._tiers: list[deque[Commit]] = [deque() for _ in range(len(self.retention.tiers) + 1)]
        self._ordered: list[Commit] | None = None
        #: commits ever appended
        self.total = 0
        #: estimated bytes of the retained commits
        self.bytes = 0

    @property
    def recent(self) -> int:
        return self.retention.recent

    def append(self, commit: Commit) -> None:
        """Add the newest commit; older ones move down the tiers or go (amortised O(tiers))."""
        self.total += 1
        self._ordered = None
        self.bytes += commit.cost
        recent = self._tiers[0]
        recent.append(commit)
        if len(recent) > self.retention.recent:
            self._offer(1, recent.popleft(), commit.time)
        budget = self.retention.budget
        while self.bytes > budget and len(self) > 1:
            self._drop_oldest()

    def _offer(self, t: int, commit: Commit, now: float) -> None:
        """``commit`` left tier ``t - 1``: keep it in tier ``t`` (one per resolution slot) or drop it."""
        if t >= len(self._tiers):
            self.bytes -= commit.cost
            return
        span, res = self.retention.tiers[t - 1]
        tier = self._tiers[t]
        if tier and int(tier[-1].time // res) == int(commit.time // res):
            # same slot: the later commit stands for it; the earlier one's changes are squashed into it,
            # and so is its cost (the later tree may still hold them: the estimate stays an upper bound)
            commit.cost += tier[-1].cost
            tier[-1] = commit
        else:
            tier.append(commit)
        while tier and (tier[0].time < now - span or len(tier) > self.retention.slots[t - 1]):
            self._offer(t + 1, tier.popleft(), now)

    def _drop_oldest(self) -> None:
        for tier in reversed(self._tiers):
            if tier:
                self.bytes -= tier.popleft().cost
                self._ordered = None
                return

    def reset(self) -> None:
        """Forget every commit (a restore starts a new line)."""
        for tier in self._tiers:
            tier.clear()
        self._ordered = None
        self.bytes = 0

    def __len__(self) -> int:
        return sum(len(t) for t in self._tiers)

    @property
    def capacity(self) -> int:
        """The most commits the tiers can hold (the byte budget may allow fewer)."""
        return self.retention.recent + sum(self.retention.slots)

    def commits(self) -> list[Commit]:
        """Retained commits, oldest first."""
        if self._ordered is None:
            out: list[Commit] = []
            for tier in reversed(self._tiers):
                out.extend(tier)
            self._ordered = out
        return self._ordered

    def get(self, seq: int) -> tuple[Commit, Commit | None]:
        """The retained commit ``seq`` and its parent (previous retained commit); KeyError if thinned."""
        commits = self.commits()
        idx = bisect.bisect_left(commits, seq, key=lambda c: c.seq)
        if idx == len(commits) or commits[idx].seq != seq:
            raise KeyError(seq)
        return commits[idx], (commits[idx - 1] if idx else None)

    def at(self, when: float) -> Commit | None:
        """The newest retained commit made at or before ``when`` (compared at the microsecond precision
        that :meth:`Commit.stamp` prints, so a printed stamp finds its own commit)."""
        commits = self.commits()
        micros = round(when * 1e6)
        idx = bisect.bisect_right(commits, micros, key=lambda c: _micros(c.time))
        return commits[idx - 1] if idx else None

    def log(self, path: str | None = None) -> Iterator[tuple[Commit, Commit | None]]:
        """Newest first: (commit, parent) pairs, only those that changed ``path`` or below when given."""
        commits = self.commits()
        parts = split(path) if path else None
        for i in range(len(commits) - 1, -1, -1):
            parent = commits[i - 1] if i else None
            c = commits[i]
            if parts is not None:
                new = lookup(c.root.tree, parts)
                old = lookup(parent.root.tree, parts) if parent else None
                if new is old:
                    continue
            yield c, parent


def _micros(t: float) -> int:
    """Exact integer microseconds of the instant :meth:`Commit.stamp` prints for ``t``."""
    d = dt.datetime.fromtimestamp(t, dt.UTC)
    return int(d.replace(microsecond=0).timestamp()) * 1_000_000 + d.microsecond


@dataclass(frozen=True, slots=True)
class Change:
    """A node whose own record differs between two trees (``old``/``new`` None = absent)."""

    path: str
    old: Node | None
    new: Node | None


def diff_trees(old: Node | None, new: Node | None, path: str = "/") -> Iterator[Change]:
    """Nodes added, removed or changed (value or ACL), pre-order; shared subtrees are skipped at once."""
    if old is new:
        return
    if old is None or new is None or old.value != new.value or old.perms != new.perms:
        yield Change(path, old, new)
    prefix = "" if path == "/" else path
    old_children: Children = old.children if old is not None else EMPTY
    new_children: Children = new.children if new is not None else EMPTY
    if old_children is new_children:
        return
    for name, child in iter_children(new_children):
        yield from diff_trees(old_children.get(name), child, f"{prefix}/{name}")
    for name, child in iter_children(old_children):
        if name not in new_children:
            yield from diff_trees(child, None, f"{prefix}/{name}")


def _show_value(value: bytes) -> str:
    return repr(value)[2:-1]


def format_change(ch: Change) -> str:
    """One line: ``+ path = value [perms]``, ``- path`` or ``~ path: old -> new``."""
    if ch.old is None:
        assert ch.new is not None
        return f"+ {ch.path} = \"{_show_value(ch.new.value)}\" [{_perm_text(ch.new)}]"
    if ch.new is None:
        return f"- {ch.path}"
    parts = []
    if ch.old.value != ch.new.value:
        parts.append(f"\"{_show_value(ch.old.value)}\" -> \"{_show_value(ch.new.value)}\"")
    if ch.old.perms != ch.new.perms:
        parts.append(f"[{_perm_text(ch.old)}] -> [{_perm_text(ch.new)}]")
    return f"~ {ch.path}: " + " ".join(parts)


def _perm_text(node: Node) -> str:
    return format_perms(node.perms).decode().rstrip("\0").replace("\0", " ")


def format_log(history: History, path: str | None = None, limit: int | None = None) -> str:
    lines = []
    for n, (c, parent) in enumerate(history.log(path)):
        if limit is not None and n >= limit:
            break
        squashed = c.seq - parent.seq - 1 if parent else 0
        extra = f" (+{squashed} squashed)" if squashed > 0 else ""
        lines.append(f"{c.seq} {c.stamp()} {c.author()} {c.message}{extra}")
    return "".join(line + "\n" for line in lines)


def format_show(history: History, seq: int) -> str:
    c, parent = history.get(seq)
    head = [
        f"commit {c.seq}",
        f"parent {parent.seq}" if parent else "parent (none retained)",
        f"author {c.author()}",
        f"date   {c.stamp()}",
        "",
        f"    {c.message}",
        "",
    ]
    body = [format_change(ch) for ch in diff_trees(parent.root.tree if parent else None, c.root.tree)]
    return "".join(line + "\n" for line in head + body)


def format_diff(history: History, a: int, b: int) -> str:
    ca, _ = history.get(a)
    cb, _ = history.get(b)
    return "".join(format_change(ch) + "\n" for ch in diff_trees(ca.root.tree, cb.root.tree))


def format_subtree(root: Root, path: str) -> str:
    """``path = "value"`` for the node and its descendants (like ``xenstore-ls -f``)."""
    node = lookup(root.tree, split(path))
    if node is None:
        return ""
    return "".join(f"{p} = \"{_show_value(n.value)}\"\n" for p, n in iter_nodes(node, path))
