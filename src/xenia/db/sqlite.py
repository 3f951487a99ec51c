"""The embedded backend: one SQLite file in the state directory.

One row per object (its class and its record as JSON).  WAL journalling with
``synchronous=NORMAL`` makes a committed batch survive the death of the process
at any instant (SIGKILL, a crash); ``durability="full"`` also survives a power
cut, at the price of an fsync per batch.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

import orjson

from xenia.db.backend import StoredObject

_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (ref TEXT PRIMARY KEY, cls TEXT NOT NULL, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class SqliteBackend:
    def __init__(self, path: Path, durability: str = "normal") -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=" + ("FULL" if durability == "full" else "NORMAL"))
        self._conn.executescript(_SCHEMA)

    def load(self) -> Iterator[StoredObject]:
        # one comprehension rather than a generator: a resumed frame per object is a visible part of
        # a restart with 10 000 VMs (60 000 objects; issue 12)
        loads = orjson.loads
        rows = self._conn.execute("SELECT cls, ref, data FROM objects ORDER BY rowid")
        return iter([StoredObject(cls, ref, loads(data)) for cls, ref, data in rows])

    def write(self, upserts: Iterable[StoredObject], deletes: Iterable[str]) -> None:
        rows = [(o.ref, o.cls, orjson.dumps(o.record, option=orjson.OPT_NON_STR_KEYS)) for o in upserts]
        gone = [(ref,) for ref in deletes]
        conn = self._conn
        conn.execute("BEGIN")
        try:
            if rows:
                conn.executemany(
                    "INSERT INTO objects(ref, cls, data) VALUES (?, ?, ?) "
                    "ON CONFLICT(ref) DO UPDATE SET data = excluded.data",
                    rows,
                )
            if gone:
                conn.executemany("DELETE FROM objects WHERE ref = ?", gone)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def get_meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def close(self) -> None:
        self._conn.close()
