"""Persistence: a snapshot of the tree and engine state, plus a checksummed journal of what came after.

The journal records *effects*, not requests: each commit is one record holding the nodes it created or
changed (value and ACL as they ended up) and the subtrees it removed, with its sequence number, time,
author and message. Replaying effects needs no permission or quota check, so a restart reproduces
exactly what was acknowledged, whatever SET_TARGET or SET_QUOTA allowed at the time; those, the special
paths' ACLs and introduced domains are journaled too (as state records), because later requests depend
on them. Replayed commits re-enter the history, so ``store-log`` spans a restart.

Each record is one line, ``<crc32 hex> <json>\\n``, written with a single ``write`` before the change is
applied in memory: when the write fails (a full disk) the partial line is cut off again and the client
gets EIO with nothing applied. On load, a last record without its newline is a torn write: the file is
truncated to the last good record before anything is appended. Any other bad record, or a record that
does not apply, stops the start-up with :class:`JournalError` -- skipping it would silently drop or
invent acknowledged writes.

When the journal grows past ``compact_after`` records (and on a clean close) a new snapshot is written
atomically (temporary file, fsync, rename) and the journal starts over. Open transactions are not
persisted: they abort on restart, as in Xen. Values are bytes, stored as latin-1 text (lossless).
"""

from __future__ import annotations

import logging
import os
import zlib
from pathlib import Path
from typing import Any

import orjson

from .engine import Effect, Engine, Session
from .errors import XsError
from .history import Commit
from .perms import Perm, Perms, intern

__all__ = ["Journal", "JournalError"]

log = logging.getLogger(__name__)

FORMAT = 2


class JournalError(Exception):
    """The state directory cannot be loaded without losing or inventing acknowledged writes."""


class _PermsCodec:
    """Perms <-> ``["n0", "r5"]``, cached: a tree carries a handful of distinct ACLs."""

    def __init__(self) -> None:
        self._dec: dict[tuple[str, ...], Perms] = {}

    def decode(self, items: list[str]) -> Perms:
        key = tuple(items)
        got = self._dec.get(key)
        if got is None:
            got = self._dec[key] = intern(tuple(Perm(t[0], int(t[1:])) for t in items))
        return got

    @staticmethod
    def encode(perms: Perms) -> list[str]:
        return [str(p) for p in perms]


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


class Journal:
    """Owns ``<dir>/snapshot.json`` and ``<dir>/journal.log`` for one engine; the engine's sink."""

    def __init__(self, directory: Path, compact_after: int = 100_000) -> None:
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.snapshot_path = directory / "snapshot.json"
        self.journal_path = directory / "journal.log"
        self.legacy_path = directory / "journal.jsonl"
        self.compact_after = compact_after
        self._records = 0
        self._size = 0
        self._fd: int | None = None
        self._engine: Engine | None = None
        self._perms = _PermsCodec()

    # -- loading -----------------------------------------------------------------------------------------

    def load(self, engine: Engine) -> None:
        """Restore ``engine`` from disk (if anything is there) and become its sink.

        :raises JournalError: on a corrupt snapshot or journal, or a record that does not apply.
        """
        snap_seq = 0
        if self.snapshot_path.exists():
            try:
                snap = orjson.loads(self.snapshot_path.read_bytes())
                snap_seq = int(snap.get("seq", 0))
                nodes = [(p, v.encode("latin-1"), self._perms.decode(ps)) for p, v, ps in snap["nodes"]]
                engine.restore(snap_seq, nodes, snap.get("state", {}))
            except (orjson.JSONDecodeError, KeyError, ValueError, TypeError) as exc:
                raise JournalError(f"{self.snapshot_path}: unreadable snapshot: {exc}") from exc
        if self.journal_path.exists():
            self._replay(engine, snap_seq)
        legacy = self.legacy_path.exists()
        if legacy:
            self._replay_legacy(engine)
        self._fd = os.open(self.journal_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self._size = os.fstat(self._fd).st_size
        self._engine = engine
        engine.sink = self
        engine.control_hooks["snapshot"] = lambda args: self.compact(engine)
        if legacy:
            self.compact(engine)
            self.legacy_path.unlink()

    def _replay(self, engine: Engine, snap_seq: int) -> None:
        data = self.journal_path.read_bytes()
        pos = 0
        while pos < len(data):
            nl = data.find(b"\n", pos)
            if nl < 0:
                # a torn last record (a write cut short): drop it so new records follow good ones
                log.warning("%s: truncating a torn last record at byte %d", self.journal_path, pos)
                with self.journal_path.open("r+b") as f:
                    f.truncate(pos)
                    f.flush()
                    os.fsync(f.fileno())
                return
            try:
                record = _unframe(data[pos:nl])
                self._apply(engine, record, snap_seq)
            except (ValueError, KeyError, TypeError, IndexError, orjson.JSONDecodeError) as exc:
                raise JournalError(f"{self.journal_path}: record at byte {pos}: {exc}") from exc
            self._records += 1
            pos = nl + 1

    def _apply(self, engine: Engine, record: dict[str, Any], snap_seq: int) -> None:
        if "k" in record:
            engine.replay_state(record)
            return
        seq = int(record["s"])
        if seq <= snap_seq:
            return  # already in the snapshot (a crash between the snapshot and the journal's reset)
        fx: list[Effect] = []
        for e in record["e"]:
            if e[0] == "p":
                fx.append(("p", e[1], e[2].encode("latin-1"), self._perms.decode(e[3])))
            else:
                fx.append((e[0], e[1]))
        engine.replay_commit(seq, float(record["t"]), int(record["d"]), int(record["c"]), str(record["m"]), fx)

    def _replay_legacy(self, engine: Engine) -> None:
        """The request journal of earlier versions (``journal.jsonl``), replayed once and converted."""
        with self.legacy_path.open("rb") as f:
            for n, line in enumerate(f):
                try:
                    entry = orjson.loads(line)
                except orjson.JSONDecodeError:
                    log.warning("%s: ignoring a torn last line %d", self.legacy_path, n)
                    break
                for kind, path, arg, domid in entry:
                    if kind == "write" and arg is not None:
                        arg = arg.encode("latin-1")
                    elif kind == "set_perms":
                        arg = self._perms.decode(arg)
                    try:
                        engine.request(Session(domid, lambda e, t: None), kind, path, arg)
                    except XsError as exc:
                        raise JournalError(f"{self.legacy_path}: line {n}: {kind} {path}: {exc}") from exc

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
        if self._records >= self.compact_after and self._engine is not None:
            self._compact_soon()

    def state(self, change: dict[str, Any]) -> None:
        self._append(_frame(change))

    def _compact_soon(self) -> None:
        try:
            self.compact(self._engine)  # type: ignore[arg-type]
        except OSError:
            log.exception("snapshot failed; the journal keeps growing until one succeeds")

    # -- snapshots ---------------------------------------------------------------------------------------

    def compact(self, engine: Engine) -> str:
        """Write a snapshot of the head (and the engine state) and reset the journal."""
        enc = self._perms.encode
        nodes = [(p, v.decode("latin-1"), enc(perms)) for p, v, perms in engine.snapshot()]
        snap = {"format": FORMAT, "seq": engine.head.seq, "nodes": nodes, "state": engine.state()}
        tmp = self.snapshot_path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(orjson.dumps(snap))
                f.flush()
                os.fsync(f.fileno())
        except OSError:
            tmp.unlink(missing_ok=True)
            raise
        os.replace(tmp, self.snapshot_path)
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
        self._size = 0
        self._records = 0
        return f"snapshot of {len(nodes)} nodes"

    def close(self, engine: Engine) -> None:
        try:
            self.compact(engine)
        except OSError:
            log.exception("final snapshot failed; the journal has every commit")
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        engine.sink = None
