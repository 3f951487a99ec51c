"""Snapshot and restore of a running simulator daemon: each test starts from a known state in milliseconds.

A snapshot holds what the daemon's behaviour depends on: the db's objects, the store's tree and
introduced domains, the simulator's domains and armed fault points, and the simulated SR files.
Restoring does not restart anything.  It ends every session (their tasks and event registrations
go with them), cancels work still running, and then brings each part back to the snapshot through
its ordinary write paths: the db in one batch (so indexes, caches, ``allowed_operations`` and the
event feed stay right, and event tokens keep increasing), the store by writes and removals as dom0,
the simulator by re-adopting its domains.  Only differences are written, so restoring an unchanged
daemon costs little more than the comparison.

Sessions and tasks are never part of a snapshot: a test must not inherit another test's login.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from xenia.drivers.sim import SimDriver
from xenia.drivers.sim.faults import FaultSpec

if TYPE_CHECKING:
    from xenia.daemon import Daemon
    from xenia.store.perms import Perms

__all__ = ["StateSnapshot", "restore", "take"]

#: classes whose objects belong to a client's login, not to the state under test
_TRANSIENT = frozenset({"session", "task"})


@dataclass(frozen=True)
class StateSnapshot:
    """One daemon's state at one moment (opaque; pass it back to :func:`restore`)."""

    #: class -> ref -> the record as JSON (bytes compare fast and cannot be mutated by later writes)
    objects: dict[str, dict[str, bytes]]
    store_nodes: dict[str, tuple[bytes, Perms]]
    store_domains: frozenset[int]
    domains: list[bytes]
    last_domid: int
    faults: dict[str, FaultSpec]
    #: file path under the state directory's ``sr`` -> content (simulated images are descriptors)
    files: dict[str, bytes]
    store_names: dict[str, str]


def _dump(record: dict[str, Any]) -> bytes:
    return orjson.dumps(record, option=orjson.OPT_NON_STR_KEYS)


def _sim(daemon: Daemon) -> SimDriver:
    driver = daemon.driver
    if not isinstance(driver, SimDriver):
        raise TypeError("snapshots need the sim driver (a real hypervisor's domains cannot be copied)")
    return driver


def _sr_files(state_dir: Path) -> dict[str, bytes]:
    root = state_dir / "sr"
    files: dict[str, bytes] = {}
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                files[path] = f.read()
    return files


def take(daemon: Daemon) -> StateSnapshot:
    """Capture the daemon's state (call on its event loop, between requests: nothing awaits here)."""
    assert daemon.app is not None and daemon.store is not None
    sim = _sim(daemon)
    db = daemon.app.db
    objects = {cls: {ref: _dump(rec) for ref, rec in table.rows.items()}
               for cls, table in db.tables.items() if cls not in _TRANSIENT}  # fmt: skip
    engine = daemon.store.engine
    domains, last_domid = sim.export_domains()
    ops = daemon.app.services["ops"]
    return StateSnapshot(
        objects=objects,
        store_nodes={path: (value, perms) for path, value, perms in engine.snapshot()},
        store_domains=frozenset(engine.domains),
        domains=domains,
        last_domid=last_domid,
        faults=sim.faults.list(),
        files=_sr_files(daemon.config.state_dir),
        store_names=ops.store_names(),
    )


async def restore(daemon: Daemon, snap: StateSnapshot) -> None:
    """Bring the daemon back to ``snap`` (call on its event loop)."""
    assert daemon.app is not None and daemon.store is not None
    app = daemon.app
    sim = _sim(daemon)
    await _end_clients(daemon)
    await app.services["ops"].reset(snap.store_names)  # before the store and domains: nothing of it runs on
    _restore_files(daemon.config.state_dir, snap.files)
    await _restore_store(daemon, snap)
    await sim.import_domains(snap.domains, snap.last_domid)
    sim.faults.clear()
    for name, spec in snap.faults.items():
        sim.faults.set(name, spec)
    _restore_db(daemon, snap.objects)


async def _end_clients(daemon: Daemon) -> None:
    """Log every session out and stop what is still running on their behalf."""
    assert daemon.app is not None
    app = daemon.app
    for ref in list(app.sessions.active):
        app.sessions.logout(ref)
    tasks = app.services["tasks"]
    running = list(tasks.running.values())
    for task in running:
        task.cancel()
    if running:
        await asyncio.gather(*running, return_exceptions=True)
    db = app.db
    with db.batch():
        for ref in db.refs("task"):
            tasks.destroy(ref)
        for ref in db.refs("session"):
            db.destroy("session", ref)
    tasks.live.clear()
    tasks.finished.clear()


def _restore_files(state_dir: Path, files: dict[str, bytes]) -> None:
    current = _sr_files(state_dir)
    for path in current.keys() - files.keys():
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
    for path, content in files.items():
        if current.get(path) != content:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(content)


async def _restore_store(daemon: Daemon, snap: StateSnapshot) -> None:
    """Write the tree back as dom0: removals first (shallowest first), then values and permissions."""
    assert daemon.store is not None
    engine = daemon.store.engine
    client = daemon.store.client(0)
    current = {path: (value, perms) for path, value, perms in engine.snapshot()}
    gone = sorted(current.keys() - snap.store_nodes.keys(), key=lambda p: p.count("/"))
    removed: list[str] = []
    for path in gone:
        if any(path.startswith(r + "/") for r in removed):
            continue
        await client.rm(path)
        removed.append(path)
    for path in sorted(snap.store_nodes, key=lambda p: p.count("/")):
        value, perms = snap.store_nodes[path]
        now = current.get(path)
        if now is None or now[0] != value:
            await client.write(path, value)
        if now is None or now[1] != perms:
            await client.set_perms(path, [str(p) for p in perms])
    for domid in set(engine.domains) - snap.store_domains:
        await client.release(domid)
    for domid in snap.store_domains - set(engine.domains):
        await client.introduce(domid)


def _restore_db(daemon: Daemon, objects: dict[str, dict[str, bytes]]) -> None:
    """One batch that makes every table equal to the snapshot (refs and uuids included)."""
    assert daemon.app is not None
    db = daemon.app.db
    with db.batch():
        for cls, table in db.tables.items():
            if cls in _TRANSIENT:
                continue
            target = objects.get(cls, {})
            for ref in [r for r in table.rows if r not in target]:
                db.destroy(cls, ref)
            for ref, raw in target.items():
                current = table.rows.get(ref)
                if current is None:
                    db.create(cls, orjson.loads(raw), ref=ref)
                elif _dump(current) != raw:
                    db.update(cls, ref, **orjson.loads(raw))
