"""Persistence: a snapshot of the tree plus a journal of the requests committed since.

Each commit appends one JSON line listing the mutating requests it applied, with the acting domid;
restart loads the snapshot and replays the journal through the engine, so the tree and its indices come
back exactly. When the journal grows past ``compact_after`` lines (and on a clean close) a new snapshot is
written atomically (temporary file + rename) and the journal starts over. Open transactions are not
persisted: they abort on restart, as in Xen. Values are bytes, stored as latin-1 text (lossless).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

import orjson

from .engine import Engine
from .history import Commit
from .perms import Perm, Perms, intern

__all__ = ["Journal"]


def _enc_arg(kind: str, arg: Any) -> Any:
    if kind == "write":
        return None if arg is None else arg.decode("latin-1")
    if kind == "set_perms":
        return [str(p) for p in arg]
    return None


def _dec_perms(items: list[str]) -> Perms:
    return intern(tuple(Perm(t[0], int(t[1:])) for t in items))


def _dec_arg(kind: str, arg: Any) -> Any:
    if kind == "write":
        return None if arg is None else arg.encode("latin-1")
    if kind == "set_perms":
        return _dec_perms(arg)
    return None


class Journal:
    """Owns ``<dir>/snapshot.json`` and ``<dir>/journal.jsonl`` for one engine."""

    def __init__(self, directory: Path, compact_after: int = 100_000) -> None:
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.snapshot_path = directory / "snapshot.json"
        self.journal_path = directory / "journal.jsonl"
        self.compact_after = compact_after
        self._lines = 0
        self._file: IO[bytes] | None = None
        self._engine: Engine | None = None

    def load(self, engine: Engine) -> None:
        """Restore ``engine`` from disk (if anything is there) and start journaling its commits."""
        nodes: list[tuple[str, bytes, Perms]] = []
        if self.snapshot_path.exists():
            for path, value, perms in orjson.loads(self.snapshot_path.read_bytes())["nodes"]:
                nodes.append((path, value.encode("latin-1"), _dec_perms(perms)))
        ops: list[tuple[str, str, Any, int]] = []
        if self.journal_path.exists():
            with self.journal_path.open("rb") as f:
                for line in f:
                    try:
                        entry = orjson.loads(line)
                    except orjson.JSONDecodeError:
                        break  # a torn last line from a crash: everything before it is good
                    ops.extend((k, p, _dec_arg(k, a), d) for k, p, a, d in entry)
                    self._lines += 1
        if nodes or ops:
            engine.load(nodes, ops)
        self._file = self.journal_path.open("ab")
        self._engine = engine
        engine.on_commit = self.record
        engine.control_hooks["snapshot"] = lambda args: self.compact(engine)

    def record(self, commit: Commit, ops: list[tuple[str, str, Any, int]]) -> None:
        assert self._file is not None
        self._file.write(orjson.dumps([[k, p, _enc_arg(k, a), d] for k, p, a, d in ops]) + b"\n")
        self._file.flush()
        self._lines += 1
        if self._lines >= self.compact_after and self._engine is not None:
            self.compact(self._engine)

    def compact(self, engine: Engine) -> str:
        """Write a snapshot of the head and truncate the journal."""
        nodes = [(p, v.decode("latin-1"), [str(x) for x in perms]) for p, v, perms in engine.snapshot()]
        tmp = self.snapshot_path.with_suffix(".tmp")
        with tmp.open("wb") as f:
            f.write(orjson.dumps({"nodes": nodes}))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.snapshot_path)
        if self._file is not None:
            self._file.close()
        self._file = self.journal_path.open("wb")
        self._lines = 0
        return f"snapshot of {len(nodes)} nodes"

    def close(self, engine: Engine) -> None:
        self.compact(engine)
        if self._file is not None:
            self._file.close()
            self._file = None
        engine.on_commit = None
