"""The embedded backend: one SQLite file in the state directory.

One row per object (its class and its record as JSON).  WAL journalling with
``synchronous=NORMAL`` makes a committed batch survive the death of the process
at any instant (SIGKILL, a crash); ``durability="full"`` also survives a power
cut, at the price of an fsync per batch.

WAL checkpoints run in a thread of their own, on a second connection (``wal_checkpoint(PASSIVE)``,
which never blocks the writer), every :data:`CHECKPOINT_EVERY` batches; the writing connection has
``wal_autocheckpoint`` off. SQLite's default checkpoints in the commit that crosses 1 000 WAL pages,
on the event loop: copying those pages into the database file and syncing it held the loop 15-30 ms
each time, 114 ms once, and with 10 000 VMs a checkpoint has more distinct pages to copy (a py-spy
of 2 000 starts and shutdowns: 0.75 s of such stalls at 10 running VMs, 1.1 s at 10 000; issue 12).
SQLite releases the GIL while it works, so the checkpoint takes the other core. A crash meanwhile
loses nothing: the WAL is the durable copy until a checkpoint has completed.

A passive checkpoint alone never shortens the log under steady writing: SQLite starts the WAL over
only when a write begins after a checkpoint copied every frame, and with a writer committing every
few milliseconds a checkpoint in another thread always finishes a few frames behind. Filling 10 000
VMs so left a 1 GB WAL (``bench/scale.py``'s restart after SIGKILL: 5.0-5.6 s with it, 4.2 without;
the restart reads that log and its first checkpoint copies it, issue 12). So when a
passive checkpoint leaves more than :data:`RESET_FRAMES` frames in the log, the thread follows it with
``wal_checkpoint(TRUNCATE)``: it holds the writer back only while it copies the frames written since
the passive one (a few) and empties the file.

The writing connection keeps up to :data:`CACHE_KIB` of pages (SQLite's default is 2 000 KiB). With
10 000 VMs the file is some 70 MB, every VM's rows lie on pages of their own, and a start's batches
read the pages of the VM they change back from the file: 9.4 reads per start at 10 000 running VMs
against 0.4 at 10 (``strace`` of 100 starts; issue 12). With the larger cache 3.0 remain, and the
cache is paid in RSS only as far as pages are touched.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson

from xenia.db.backend import StoredObject

_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (ref TEXT PRIMARY KEY, cls TEXT NOT NULL, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

#: batches between two checkpoints (a start writes about three; SQLite's default of 1 000 pages came
#: every 70-100 starts)
CHECKPOINT_EVERY = 64

#: the writing connection's page cache (``PRAGMA cache_size``), also the simulator's table of domains'
CACHE_KIB = 65_536

#: frames left in the WAL after a passive checkpoint past which the log is started over (8 MiB of
#: 4 KiB pages; SQLite's own rule checkpointed at 1 000)
RESET_FRAMES = 2048


#: SQLite's own default page cache (``PRAGMA cache_size=-2000``)
DEFAULT_CACHE_KIB = 2_000


def wal_writer(path: Path, durability: str = "normal") -> sqlite3.Connection:
    """The event loop's connection to a WAL database of its own: ``synchronous=NORMAL`` (``FULL`` for
    ``durability="full"``), no checkpoints in its commits (a :class:`WalCheckpointer` does them) and a
    page cache of :data:`CACHE_KIB`. The db's file and the simulator's table of domains both use it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=" + ("FULL" if durability == "full" else "NORMAL"))
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    return conn


@contextmanager
def small_page_cache(conn: sqlite3.Connection) -> Iterator[None]:
    """SQLite's default page cache while reading a whole table once (a load at start-up), the
    connection's own again after: with :data:`CACHE_KIB` every page of a 10 000-VM file stayed cached
    after a restart, 64 MB more RSS (``bench/scale.py``: 474 against 410 MiB after the restart). Later
    writes find their pages again."""
    (before,) = conn.execute("PRAGMA cache_size").fetchone()
    conn.execute(f"PRAGMA cache_size=-{DEFAULT_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size={before}")


class WalCheckpointer:
    """A thread that checkpoints a WAL database when asked (:meth:`due`, or every ``every`` calls of
    :meth:`wrote`), on its own connection. The writer sets ``wal_autocheckpoint`` to 0. Also the
    simulator's table of domains' (``xenia.drivers.sim.state``)."""

    def __init__(self, path: Path, every: int = CHECKPOINT_EVERY) -> None:
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._every = every
        self._writes = 0
        self._wake = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
        self._thread.start()

    def due(self) -> None:
        self._wake.set()

    def wrote(self) -> None:
        """One more write committed: a checkpoint is due every ``every`` of them."""
        self._writes += 1
        if self._writes % self._every == 0:
            self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._stopping:
                return
            try:
                _busy, frames, _copied = self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                if frames >= RESET_FRAMES:
                    self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            except sqlite3.Error:
                pass  # busy or failing: the WAL keeps the data, the next one tries again

    def close(self) -> None:
        self._stopping = True
        self._wake.set()
        self._thread.join()
        self._conn.close()


class SqliteBackend:
    def __init__(self, path: Path, durability: str = "normal") -> None:
        self.path = path
        self._conn = wal_writer(path, durability)
        self._conn.executescript(_SCHEMA)
        self._checkpointer = WalCheckpointer(path)

    def load(self) -> Iterator[StoredObject]:
        # one comprehension rather than a generator: a resumed frame per object is a visible part of
        # a restart with 10 000 VMs (60 000 objects; issue 12)
        loads = orjson.loads
        with small_page_cache(self._conn):
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
        self._checkpointer.wrote()

    def get_meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def close(self) -> None:
        self._checkpointer.close()
        self._conn.close()  # the last connection to close checkpoints the rest
