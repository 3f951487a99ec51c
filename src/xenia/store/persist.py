"""Persistence: snapshots of the tree and engine state, and checksummed commit logs after each.

The state directory holds pairs ``snapshot-<S>.json`` (the head at commit S, with the engine state) and
``journal-<S>.log`` (every commit after S, until the next snapshot). The logs are append-only and record
*effects*, not requests: each commit is one record holding the nodes it created or changed (value and
ACL as they ended up) and the subtrees it removed, with its sequence number, time, author and message.
Replaying effects needs no permission or quota check, so a restart reproduces exactly what was
acknowledged, whatever SET_TARGET or SET_QUOTA allowed at the time; those, the special paths' ACLs and
introduced domains are journaled too (as state records), because later requests depend on them.

Start-up restores the newest snapshot and replays the logs after it; the older snapshot and logs kept
feed the history (:meth:`Journal.older_history`), so ``store-log``, ``store-at``, ``store-diff`` and the
git export span restarts, clean or SIGKILL. Every ``compact_after`` records a new snapshot starts a new
log (under heavy churn at most one a ``min_interval``, until the log holds ``compact_limit`` records);
snapshots beyond the newest ``keep_segments + 1`` are deleted with the logs before the oldest kept,
which bounds the disk, the replay at start-up (at most ``compact_limit`` records) and the history kept.

Snapshots in the background (issue 12): at 10 000 domains a snapshot is 350 000 nodes, about a second of
CPU, which written on the event loop stalled every client that long. The head's tree is immutable
(persistent maps, structure shared), so :meth:`Journal.applied` captures the head's number, time, engine
state and root at once, switches appending to ``journal-<seq>.log`` at once, and a forked child writes
``snapshot-<seq>.json`` from its copy-on-write view of that tree (``.tmp``, fsync, rename, directory
fsync) and exits, as Redis's BGSAVE does. Not a thread: a thread writing the snapshot holds the GIL
against the loop in 5 ms slices; ``bench/snapshot.py`` at 10 000 domains (load 3 on 2 cores): the loop
made 0.25-0.36x of its writes meanwhile with a thread, 0.43-0.48x with a child, and the daemon's process
spent 0.75-0.83 s of CPU on a thread's snapshot, 0.08-0.1 s on a child's (the fork and the
copy-on-write faults). The child takes no lock the parent may hold (no logging, no asyncio), leaves the
parent's sockets alone (closes every inherited descriptor first, so a client the parent hangs up on
sees EOF at once), dies with the parent (``PR_SET_PDEATHSIG``) and ignores the signals a terminal
sends the daemon's process group. The parent learns of its end without blocking (a pidfd on the
running loop, else a poll at the next commit), and only then deletes older snapshots: pruning never
runs before the new snapshot is on disk. One snapshot at a time. When the child fails or the daemon is
killed meanwhile, the logs chain: ``snapshot-<prev>`` + ``journal-<prev>.log`` (which ends at commit
``seq``) + ``journal-<seq>.log`` load as one log; the ``.tmp`` left behind is deleted at load.
:meth:`Journal.compact` (the ``snapshot`` control, and :meth:`Journal.close` on a clean stop) still
writes in the foreground, so a clean stop ends with a complete snapshot.

Each record is one line, ``<crc32 hex> <json>\\n``, written with a single ``write`` before the change is
applied in memory: when the write fails (a full disk) the partial line is cut off again and the client
gets EIO with nothing applied. On load, a last record without its newline is a torn write: the file is
truncated to the last good record before anything is appended. Any other bad record, a record that does
not apply, or a gap in the sequence stops the start-up with :class:`JournalError` -- skipping it would
silently drop or invent acknowledged writes. Open transactions are not persisted: they abort on restart,
as in Xen. Values are bytes, stored as latin-1 text (lossless).
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import itertools
import logging
import math
import os
import signal
import time
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

import orjson

from .engine import Effect, Engine, Mode, Session
from .errors import XsError
from .history import Commit, History, Retention
from .perms import DEFAULT_PERMS, Perm, Perms, intern
from .tree import EMPTY, Editor, Node, Root, iter_named, shared_value
from .tree import intern as intern_name

__all__ = ["Journal", "JournalError"]

log = logging.getLogger(__name__)

#: 4: the nodes as flat columns with name, value and ACL tables (:meth:`Journal._write_snapshot`); 3 (the
#: values inline) and 2 (a list of [path, value, ACL] per node) are still read
FORMAT = 4


class JournalError(Exception):
    """The state directory cannot be loaded without losing or inventing acknowledged writes."""


class _PermsCodec:
    """Perms <-> ``["n0", "r5"]``, cached: a domain's nodes share an ACL or two.

    Each domain has ACLs of its own (its domid is in them) and every start brings a new domid, so
    the caches start afresh when full rather than keep the first ACLs they met: a cache that stopped
    admitting at 10 000 entries missed on every node of every domain started after that (issue 12)."""

    #: entries each cache holds before it starts afresh
    LIMIT = 4096

    def __init__(self) -> None:
        self._dec: dict[tuple[str, ...], Perms] = {}
        self._enc: dict[Perms, list[str]] = {}

    def decode(self, items: list[str]) -> Perms:
        key = tuple(items)
        got = self._dec.get(key)
        if got is None:
            if len(self._dec) >= self.LIMIT:
                self._dec.clear()
            got = self._dec[key] = intern(tuple(Perm(t[0], int(t[1:])) for t in items))
        return got

    def encode(self, perms: Perms) -> list[str]:
        got = self._enc.get(perms)
        if got is None:
            if len(self._enc) >= self.LIMIT:
                self._enc.clear()
            got = self._enc[perms] = [str(p) for p in perms]
        return got


def _frame(obj: Any) -> bytes:
    body = orjson.dumps(obj)
    return b"%08x %s\n" % (zlib.crc32(body), body)


def _unframe(line: bytes) -> Any:
    """The record in one line (without its newline); ValueError when the checksum or JSON is wrong."""
    if len(line) < 10 or line[8:9] != b" ":
        raise ValueError("no checksum")
    body = line[9:]
    if int(line[:8], 16) != zlib.crc32(body):
        raise ValueError("checksum mismatch")
    return orjson.loads(body)


#: records (commits and state changes) after which :meth:`Journal.applied` starts a snapshot: the most a
#: restart replays when writes are slow (see SNAPSHOT_INTERVAL). At 10 000 domains a record replays in
#: ~0.12 ms and a snapshot costs the child ~1 s (docs/store.md); a VM's start writes about 3 records
COMPACT_AFTER = 4_000
#: ``xenia serve``'s snapshots under heavy churn: at most one every SNAPSHOT_INTERVAL seconds, unless the log
#: has reached COMPACT_LIMIT records. Each snapshot forks the daemon, and every page the daemon writes
#: afterwards faults once (copy-on-write): at 10 000 running VMs some 50 000 faults, 50-60 per start while
#: 4 clients started VMs as fast as they could, and 4 000 records every 1-2 s. With these bounds
#: ``bench/lifecycle.py`` printed 14-31 faults per start and starts/s at 10 000 of 0.79-0.86 of those at
#: 10 in four runs, against 0.73-0.88 (issue 12; 12 000 as the limit: 7-36 faults, 0.82-0.87). A restart after
#: SIGKILL replays at most COMPACT_LIMIT records: about 1 s at the 0.12 ms a record of stop 15's slower
#: machine, where the whole restart took 4.2-4.6 s with 4 000.
SNAPSHOT_INTERVAL = 15.0
COMPACT_LIMIT = 8_000
#: older snapshot/log pairs kept for the history after a restart (5 x 4 000 records: the 20 000 records
#: the one older pair kept with the old default of 20 000 held); fewer when they span more commits than
#: that, as the longer pairs of a heavy churn do (see :meth:`Journal._prune`)
KEEP_SEGMENTS = 5


@dataclass
class _Pending:
    """The snapshot being written by a child process; ``pidfd`` is watched by ``loop`` when one runs."""

    seq: int
    pid: int
    pidfd: int | None = None
    loop: asyncio.AbstractEventLoop | None = None


_PR_SET_PDEATHSIG = 1
try:
    _LIBC: ctypes.CDLL | None = ctypes.CDLL(None, use_errno=True)  # loaded before any fork
except OSError:
    _LIBC = None


def _die_with_parent(parent: int) -> None:
    """In a forked child: be SIGKILLed when the parent dies, and exit if it already has (the window
    between fork and prctl)."""
    try:
        if _LIBC is not None:
            _LIBC.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except AttributeError:
        pass  # not Linux: the child finishes its file and exits on its own
    if os.getppid() != parent:
        os._exit(1)


class Journal:
    """Owns the snapshots and logs in ``directory`` for one engine; the engine's sink."""

    def __init__(self, directory: Path, compact_after: int = COMPACT_AFTER, keep_segments: int = KEEP_SEGMENTS,
                 defer_bytes: int = 1 << 20, background: bool = True, min_interval: float = 0.0,
                 compact_limit: int | None = None) -> None:  # fmt: skip
        self.dir = directory
        #: older pairs whose logs hold more than this are replayed after start-up (see :meth:`older_history`)
        self.defer_bytes = defer_bytes
        #: the snapshots of older pairs :meth:`load` left for :meth:`older_history`, oldest first
        self.deferred: list[int] = []
        #: the logs that :meth:`older_history` replays after ``deferred[0]`` (a failed snapshot leaves a
        #: log without a snapshot of its own in that chain)
        self._deferred_logs: list[int] = []
        self._deferred_upto = 0
        #: snapshots after ``compact_after`` records are written by a forked child (False: on the loop)
        self.background = background
        self._pending: _Pending | None = None
        self.dir.mkdir(parents=True, exist_ok=True)
        self.compact_after = compact_after
        #: seconds between the starts of two snapshots while the log holds fewer than ``compact_limit``
        #: records (0: a snapshot every ``compact_after`` records; ``xenia serve``: SNAPSHOT_INTERVAL)
        self.min_interval = min_interval
        self.compact_limit = compact_limit if compact_limit is not None else 3 * compact_after
        self._snapshot_at = -math.inf  #: ``time.monotonic()`` when the last snapshot started
        self._timer: asyncio.TimerHandle | None = None  #: a snapshot held back, due when the interval ends
        self.keep_segments = max(1, keep_segments)
        self._records = 0
        self._size = 0
        self._fd: int | None = None
        self._base = 0
        self._engine: Engine | None = None
        self._perms = _PermsCodec()

    def snapshot_path(self, seq: int) -> Path:
        return self.dir / f"snapshot-{seq}.json"

    def journal_path(self, seq: int | None = None) -> Path:
        """The log after snapshot ``seq`` (default: the one being appended to)."""
        return self.dir / f"journal-{self._base if seq is None else seq}.log"

    def _seqs(self, prefix: str, suffix: str) -> list[int]:
        out = []
        for p in self.dir.glob(f"{prefix}-*{suffix}"):
            middle = p.name[len(prefix) + 1 : -len(suffix)]
            if middle.isdigit():
                out.append(int(middle))
        return sorted(out)

    # -- loading -----------------------------------------------------------------------------------------

    def load(self, engine: Engine) -> None:
        """Restore ``engine`` from disk (if anything is there) and become its sink.

        :raises JournalError: on a corrupt snapshot or log, a record that does not apply, or a gap.
        """
        for tmp in self.dir.glob("*.tmp"):
            tmp.unlink()  # a snapshot cut short: the log before it has everything
        snaps = self._seqs("snapshot", ".json")
        logs = self._seqs("journal", ".log")
        legacy = (self.dir / "journal.jsonl").exists() or (self.dir / "snapshot.json").exists()
        if legacy:
            self._load_legacy(engine)
        elif snaps:
            older = snaps[:-1]
            chain = [seq for seq in logs if snaps[0] <= seq < snaps[-1]]
            if older and sum(self._size_of(self.journal_path(seq)) for seq in chain) > self.defer_bytes:
                # the head from the newest snapshot now, the history before it later
                self.deferred, self._deferred_logs = older, chain
            self._restore(engine, snaps[-1] if self.deferred else snaps[0])
            self._deferred_upto = engine.head.seq
        elif logs and logs[0] != 0:
            raise JournalError(f"{self.dir}: journal-{logs[0]}.log without its snapshot")
        for seq in [s for s in logs if s < (snaps[0] if snaps else engine.head.seq)]:
            self.journal_path(seq).unlink()  # its snapshot was deleted first: a pruning cut short
        logs = [s for s in logs if s >= engine.head.seq]
        for seq in logs:
            if seq < engine.head.seq:
                raise JournalError(f"{self.dir}: journal-{seq}.log overlaps commit {engine.head.seq}")
            if seq > engine.head.seq:
                raise JournalError(f"{self.dir}: commits {engine.head.seq + 1}..{seq} are missing")
            self._replay(engine, self.journal_path(seq))
        self._engine = engine
        engine.sink = self
        engine.control_hooks["snapshot"] = lambda args: self.compact(engine)
        if self.snapshot_path(engine.head.seq).exists() or logs:
            # go on appending to the last log (or start the one after the newest snapshot)
            self._base = engine.head.seq if self.snapshot_path(engine.head.seq).exists() else logs[-1]
            self._fd = os.open(self.journal_path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            self._size = os.fstat(self._fd).st_size
        else:
            self.compact(engine)
        if legacy:
            self.compact(engine)
            (self.dir / "journal.jsonl").unlink(missing_ok=True)
            (self.dir / "snapshot.json").unlink(missing_ok=True)

    def _restore(self, engine: Engine, seq: int, data: bytes | None = None) -> None:
        for _ in self._restore_steps(engine, seq, data):
            pass

    def _restore_steps(
        self, engine: Engine, seq: int, data: bytes | None = None, step: int = 1 << 62
    ) -> Iterator[None]:
        """Restore ``engine`` from snapshot ``seq`` (read from disk unless ``data`` is given), yielding
        every ``step`` nodes of a current-format snapshot."""
        path = self.snapshot_path(seq)
        try:
            snap = orjson.loads(path.read_bytes() if data is None else data)
            if int(snap["seq"]) != seq:
                raise ValueError(f"holds commit {snap['seq']}")
            if snap.get("format", 2) >= 3:
                ed = Editor(Root.empty(Node(b"", DEFAULT_PERMS, EMPTY)))
                names = [intern_name(name) for name in snap["names"]]
                flat = snap["nodes"]
                if snap["format"] == 3:  # the values inline: made a table as format 4 writes it
                    table: dict[str, int] = {}
                    flat[1::4] = [table.setdefault(v, len(table)) for v in flat[1::4]]
                    texts = list(table)
                else:
                    texts = snap["values"]
                values = [shared_value(v.encode("latin-1")) for v in texts]
                yield from ed.load_flat_steps(flat, names, values, [self._perms.decode(ps) for ps in snap["acls"]], step)
                engine.restore_root(seq, ed.freeze(), snap.get("state", {}), snap.get("time"))
            else:
                nodes = [(p, v.encode("latin-1"), self._perms.decode(ps)) for p, v, ps in snap["nodes"]]
                engine.restore(seq, nodes, snap.get("state", {}), snap.get("time"))
        except (orjson.JSONDecodeError, KeyError, ValueError, TypeError, IndexError) as exc:
            raise JournalError(f"{path}: unreadable snapshot: {exc}") from exc

    @staticmethod
    def _size_of(path: Path) -> int:
        try:
            return path.stat().st_size
        except FileNotFoundError:
            return 0

    def older_history(self, engine: Engine, step: int = 256) -> Iterator[None]:
        """Replay the older pairs :meth:`load` deferred, into a scratch engine, and give ``engine`` the
        history they make followed by its own (yields every ``step`` records, so a caller on the event
        loop can serve meanwhile).

        Why later: start-up restores the newest snapshot and replays only the log after it, so the store
        answers in a second or two at 10 000 domains, where replaying the previous pair (up to
        ``compact_after`` commits) took tens of seconds (issue 12). Those older commits only feed the
        history (``store-log``, ``store-at``, the git export), not the head. The files are read whole
        first, so a compaction that deletes them meanwhile changes nothing. A corrupt older pair is
        logged and leaves the history starting at the newest snapshot: the head never depended on it.
        """
        scratch = yield from self._replay_older(engine.history.retention, engine.mode, step)
        if scratch is not None:
            self.adopt_older(engine, scratch)

    def replay_older(self, retention: Retention, mode: Mode) -> Engine | None:
        """The replay of :meth:`older_history` in one call, into an engine of its own (so a thread can
        run it while the event loop serves: the older snapshot's restore alone held the loop for a
        second at 2 000 domains); hand the result to :meth:`adopt_older` on the loop."""
        steps = self._replay_older(retention, mode, 1 << 62)
        while True:
            try:
                next(steps)
            except StopIteration as done:
                scratch: Engine | None = done.value
                return scratch

    def _replay_older(self, retention: Retention, mode: Mode, step: int) -> Generator[None, None, Engine | None]:
        if not self.deferred:
            return None
        first, upto = self.deferred[0], self._deferred_upto
        try:
            snapshot = self.snapshot_path(first).read_bytes()
            logs = [self.journal_path(seq).read_bytes() for seq in self._deferred_logs]
        except OSError as exc:
            log.warning("%s: the history before commit %d is not replayed: %s", self.dir, upto, exc)
            self.deferred = []
            return None
        scratch = Engine(history=History(retention), mode=mode)
        try:
            yield from self._restore_steps(scratch, first, snapshot, 64 * step)
            for n, _ in enumerate(itertools.chain.from_iterable(self._replay_steps(scratch, data) for data in logs)):
                if n % step == step - 1:
                    yield
                if scratch.head.seq >= upto:
                    break
            if scratch.head.seq != upto:
                raise JournalError(f"{self.dir}: the older logs end at commit {scratch.head.seq}, not {upto}")
        except JournalError as exc:
            log.warning("the history before commit %d is not replayed: %s", upto, exc)
            self.deferred = []
            return None
        return scratch

    def adopt_older(self, engine: Engine, scratch: Engine) -> None:
        """Give ``engine`` the history :meth:`replay_older` made, followed by its own commits since."""
        upto = self._deferred_upto
        for commit in engine.history.commits():
            if commit.seq > upto:
                scratch.history.append(commit)
        engine.history = scratch.history
        self.deferred = []

    def _replay(self, engine: Engine, path: Path) -> None:
        self._records = 0
        for _ in self._replay_steps(engine, path.read_bytes(), path):
            self._records += 1

    def _replay_steps(self, engine: Engine, data: bytes, path: Path | None = None) -> Iterator[None]:
        """Apply the log ``data`` record by record (yields after each); a torn last record is cut off
        ``path`` when given."""
        pos = 0
        while pos < len(data):
            nl = data.find(b"\n", pos)
            if nl < 0:
                # a torn last record (a write cut short): drop it so new records follow good ones
                if path is not None:
                    log.warning("%s: truncating a torn last record at byte %d", path, pos)
                    with path.open("r+b") as f:
                        f.truncate(pos)
                        f.flush()
                        os.fsync(f.fileno())
                return
            try:
                self._apply(engine, _unframe(data[pos:nl]))
            except (ValueError, KeyError, TypeError, IndexError, orjson.JSONDecodeError) as exc:
                raise JournalError(f"{path or self.dir}: record at byte {pos}: {exc}") from exc
            yield
            pos = nl + 1

    def _apply(self, engine: Engine, record: dict[str, Any]) -> None:
        if "k" in record:
            engine.replay_state(record)
            return
        seq = int(record["s"])
        if seq != engine.head.seq + 1:
            raise ValueError(f"commit {seq} does not follow commit {engine.head.seq}")
        fx: list[Effect] = []
        for e in record["e"]:
            if e[0] == "p":
                fx.append(("p", e[1], e[2].encode("latin-1"), self._perms.decode(e[3])))
            else:
                fx.append((e[0], e[1]))
        engine.replay_commit(seq, float(record["t"]), int(record["d"]), int(record["c"]), str(record["m"]), fx)

    def _load_legacy(self, engine: Engine) -> None:
        """The snapshot and request journal of earlier versions, replayed once and converted."""
        snapshot = self.dir / "snapshot.json"
        if snapshot.exists():
            try:
                snap = orjson.loads(snapshot.read_bytes())
                nodes = [(p, v.encode("latin-1"), self._perms.decode(ps)) for p, v, ps in snap["nodes"]]
            except (orjson.JSONDecodeError, KeyError, ValueError, TypeError) as exc:
                raise JournalError(f"{snapshot}: unreadable snapshot: {exc}") from exc
            engine.restore(0, nodes, {})
        path = self.dir / "journal.jsonl"
        if not path.exists():
            return
        with path.open("rb") as f:
            for n, line in enumerate(f):
                try:
                    entry = orjson.loads(line)
                except orjson.JSONDecodeError:
                    log.warning("%s: ignoring a torn last line %d", path, n)
                    break
                for kind, p, arg, domid in entry:
                    if kind == "write" and arg is not None:
                        arg = arg.encode("latin-1")
                    elif kind == "set_perms":
                        arg = self._perms.decode(arg)
                    try:
                        engine.request(Session(domid, lambda e, t: None), kind, p, arg)
                    except XsError as exc:
                        raise JournalError(f"{path}: line {n}: {kind} {p}: {exc}") from exc

    # -- writing (the engine's sink) -------------------------------------------------------------------------

    def _append(self, data: bytes) -> None:
        """Write one record, or nothing: on failure the partial record is cut off and OSError raised."""
        assert self._fd is not None
        view = memoryview(data)
        try:
            while view:
                n = os.write(self._fd, view)
                view = view[n:]
        except OSError:
            try:
                os.ftruncate(self._fd, self._size)
            except OSError:
                log.exception("cannot cut a partial journal record; it is dropped at the next start")
            raise
        self._size += len(data)
        self._records += 1

    def commit(self, commit: Commit, effects: list[Effect]) -> None:
        enc = self._perms.encode
        fx = [["p", e[1], e[2].decode("latin-1"), enc(e[3])] if e[0] == "p" else list(e) for e in effects]
        record = {"s": commit.seq, "t": commit.time, "d": commit.domid, "c": commit.conn, "m": commit.message, "e": fx}
        self._append(_frame(record))

    def state(self, change: dict[str, Any]) -> None:
        self._append(_frame(change))

    def applied(self) -> None:
        """After a commit took effect: time for a snapshot? (Not before: the snapshot must hold it.)"""
        if self._pending is not None and self._pending.loop is None:
            self._reap(block=False)  # no loop watches the child's pidfd: one waitpid per commit instead
        if not self._snapshot_may_start():
            return
        wait = self._snapshot_at + self.min_interval - time.monotonic()
        if self._records < self.compact_limit and wait > 0:
            self._snapshot_when_due(wait)
            return
        self._snapshot()

    def _snapshot_when_due(self, wait: float) -> None:
        """A snapshot held back by ``min_interval`` is taken when the interval ends, on the running loop:
        if the writes stop meanwhile it falls in the quiet time, not on the first write after it (where
        its fork and the child's second of CPU slowed the calls that resumed)."""
        if self._timer is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop (a tool, a test): the next commit after the interval takes it
        self._timer = loop.call_later(wait, self._when_due)

    def _when_due(self) -> None:
        self._timer = None
        if self._snapshot_may_start():  # (the writes of the interval may have been snapshotted meanwhile)
            self._snapshot()

    def _snapshot_may_start(self) -> bool:
        return self._records >= self.compact_after and self._engine is not None and self._pending is None

    def _snapshot(self) -> None:
        assert self._engine is not None
        try:
            if self.background:
                self.compact_background(self._engine)
            else:
                self.compact(self._engine)
        except OSError:
            log.exception("snapshot failed; the journal keeps growing until one succeeds")

    # -- snapshots ---------------------------------------------------------------------------------------

    def compact(self, engine: Engine) -> str:
        """Write a snapshot of the head (and the engine state) now, start a new log after it, and delete
        the snapshots older than the newest ``keep_segments + 1``. A snapshot in the background is given
        up first (this one is newer; waiting for it could hang on a stuck disk)."""
        self._abandon()
        self._snapshot_at = time.monotonic()
        seq = engine.head.seq
        head = {"format": FORMAT, "seq": seq, "time": engine.head.time, "state": engine.state()}
        count = self._write_file(seq, head, engine.head.root.tree)
        self._switch_log(seq)
        self._prune()
        return f"snapshot of {count} nodes at commit {seq}"

    def compact_background(self, engine: Engine) -> None:
        """Start a snapshot of the head in a forked child (see the module docstring): the head is taken
        and the log switched now; older snapshots are pruned when the child has written the file."""
        self._reap(block=True)  # one at a time
        self._snapshot_at = time.monotonic()
        seq = engine.head.seq
        head = {"format": FORMAT, "seq": seq, "time": engine.head.time, "state": engine.state()}
        tree = engine.head.root.tree
        self._switch_log(seq)
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            self._child(parent, seq, head, tree)
        pending = _Pending(seq, pid)
        try:
            pending.loop = asyncio.get_running_loop()
        except RuntimeError:
            pass  # polled at the next commit
        if pending.loop is not None:
            try:
                pending.pidfd = os.pidfd_open(pid)
                pending.loop.add_reader(pending.pidfd, self._reap)
            except (OSError, AttributeError):
                pending.loop = None
        self._pending = pending

    def _abandon(self) -> None:
        if self._pending is not None:
            try:
                os.kill(self._pending.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap(block=True, quiet=True)

    def settle(self) -> None:
        """Wait until the snapshot in the background (if any) has ended and its effects are done."""
        self._reap(block=True)

    def _child(self, parent: int, seq: int, head: dict[str, Any], tree: Node) -> NoReturn:
        """The forked child: write the snapshot file and exit (0: on disk), never returning to the caller."""
        code = 1
        try:
            gc.disable()  # a collection would touch (and copy) every page of the parent's objects
            _die_with_parent(parent)
            for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(sig, signal.SIG_IGN)  # a terminal's ^C is the parent's to handle
            signal.set_wakeup_fd(-1)  # the loop's wake-up socket is the parent's
            os.closerange(3, os.sysconf("SC_OPEN_MAX"))
            self._write_file(seq, head, tree)
            code = 0
        finally:
            os._exit(code)

    def _reap(self, block: bool = False, quiet: bool = False) -> None:
        """If the snapshot in the background has ended (or, with ``block``, once it has): prune after a
        success, delete the ``.tmp`` after a failure."""
        pending = self._pending
        if pending is None:
            return
        try:
            pid, status = os.waitpid(pending.pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            pid, status = pending.pid, -1  # reaped by someone else: the file tells
        if pid == 0:
            return
        self._pending = None
        if pending.pidfd is not None:
            if pending.loop is not None and not pending.loop.is_closed():
                pending.loop.remove_reader(pending.pidfd)
            os.close(pending.pidfd)
        ok = status == 0 or (status == -1 and self.snapshot_path(pending.seq).exists())
        if ok:
            self._prune()
        else:
            if not quiet:
                log.warning("the snapshot at commit %d failed (wait status %d); the logs chain to the one before",
                            pending.seq, status)  # fmt: skip
            self.snapshot_path(pending.seq).with_suffix(".tmp").unlink(missing_ok=True)

    def _write_file(self, seq: int, head: dict[str, Any], tree: Node) -> int:
        """``snapshot-<seq>.json`` on disk: written to ``.tmp``, fsynced, renamed, the directory fsynced."""
        path = self.snapshot_path(seq)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                count = self._write_snapshot(f, head, tree)
                f.flush()
                os.fsync(f.fileno())
        except OSError:
            tmp.unlink(missing_ok=True)
            raise
        os.replace(tmp, path)
        dfd = os.open(self.dir, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
        return count

    def _switch_log(self, seq: int) -> None:
        """Append the records after commit ``seq`` to ``journal-<seq>.log``."""
        if self._fd is not None:
            os.close(self._fd)
        self._base = seq
        self._fd = os.open(self.journal_path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self._size = os.fstat(self._fd).st_size
        self._records = 0

    def _prune(self) -> None:
        """Delete the snapshots before the newest ``keep_segments + 1`` (fewer when they span more than
        ``keep_segments * compact_after`` commits, never fewer than two) and the logs before the oldest
        kept; not while :meth:`older_history` still has to read them."""
        if self.deferred:
            return
        snaps = self._seqs("snapshot", ".json")
        if len(snaps) <= 2:
            return
        # as many commits as keep_segments pairs of compact_after hold: the pairs a heavy churn makes are
        # up to compact_limit long, and six of them replayed after a restart held 80 MB more (issue 12)
        within = sum(1 for seq in snaps if seq >= snaps[-1] - self.keep_segments * self.compact_after)
        kept = max(2, min(within, self.keep_segments + 1))
        if len(snaps) <= kept:
            return
        oldest = snaps[-kept]
        for old in snaps[:-kept]:
            self.snapshot_path(old).unlink(missing_ok=True)
        for old in self._seqs("journal", ".log"):
            if old < oldest:
                self.journal_path(old).unlink(missing_ok=True)

    #: nodes encoded per piece of a snapshot file
    SNAPSHOT_PIECE = 4096

    def _write_snapshot(self, f: BinaryIO, head: dict[str, Any], tree: Node) -> int:
        """The snapshot's JSON object: ``nodes`` holds four items per node in pre-order (the index of
        its name in ``names``, of its value in ``values`` (latin-1 text), of its ACL in ``acls``, its
        child count), which :meth:`Editor.load_flat <xenia.store.tree.Editor.load_flat>` builds a tree from
        without looking at a path (issue 12: format 2's absolute paths were split, and every name and
        ACL decoded, once per node at each restart). The tables follow the nodes.

        The ``nodes`` array is written a piece at a time: the whole list of 350 000 nodes (10 000
        domains) as Python objects, then as one JSON text, held over 150 MiB at once (issue 12). The
        file is the same JSON object a single ``orjson.dumps`` wrote. Returns the node count."""
        names: dict[str, int] = {}
        values: dict[bytes, int] = {}
        acls: dict[Perms, int] = {}
        f.write(orjson.dumps(head)[:-1] + b',"nodes":[')
        nodes = iter_named(tree)
        count = 0
        while batch := list(itertools.islice(nodes, self.SNAPSHOT_PIECE)):
            piece: list[Any] = []
            for name, n in batch:
                piece += (names.setdefault(name, len(names)), values.setdefault(n.value, len(values)),
                          acls.setdefault(n.perms, len(acls)), len(n.children))  # fmt: skip
            f.write((b"," if count else b"") + orjson.dumps(piece)[1:-1])
            count += len(batch)
        enc = self._perms.encode
        f.write(b'],"names":' + orjson.dumps(list(names)) + b',"values":'
                + orjson.dumps([v.decode("latin-1") for v in values])
                + b',"acls":' + orjson.dumps([enc(p) for p in acls]) + b"}")  # fmt: skip
        return count

    def close(self, engine: Engine) -> None:
        """End with a complete snapshot (one in the background is given up: see :meth:`compact`)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._abandon()
        if self._records or not self.snapshot_path(self._base).exists():
            try:
                self.compact(engine)
            except OSError:
                log.exception("final snapshot failed; the journal has every commit")
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        engine.sink = None
