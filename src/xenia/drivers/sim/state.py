"""The simulator's per-domain record and its on-disk table.

A record is a small ``slots`` dataclass (10 000 of them must be cheap). Every change is written
to ``<state_dir>/sim/domains.sqlite`` before the driver call returns, so a SIGKILLed daemon that
restarts on the same state directory finds its domains exactly as they were (adoption). SQLite in
WAL mode keeps each write O(1) even with 10 000 domains, unlike rewriting one JSON file per call;
its checkpoints run in the db's checkpointer thread (:class:`xenia.db.sqlite.WalCheckpointer`), not
in a commit on the event loop.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from xenia.db.sqlite import WalCheckpointer, small_page_cache, wal_writer
from xenia.drivers.base import (
    PV_FEATURES,
    DiskState,
    DomainSpec,
    DomainState,
    NicSpec,
    RunState,
    ShutdownReason,
)
from xenia.drivers.sim.clock import TimerHandle
from xenia.drivers.sim.guest import profile_of
from xenia.drivers.specjson import DISK_KINDS, DISK_MODES, disk_qos, spec_from_json, spec_to_json

__all__ = ["SimDomain", "SimStore", "spec_from_json", "spec_to_json"]


#: a cooperative simulated guest also runs a guest agent that applies static IP settings
SIM_AGENT_FEATURES = PV_FEATURES | {"feature-static-ip-setting"}


@dataclass(slots=True, eq=False)
class SimDomain:
    """One simulated domain (mutable; only the driver touches it)."""

    spec: DomainSpec
    domid: int
    run_state: RunState
    shutdown_reason: ShutdownReason | None
    vcpus: int
    memory_actual: int
    memory_target: int
    start_time: float
    profile: str
    disks: dict[str, DiskState] = field(default_factory=dict)
    nics: dict[str, NicSpec] = field(default_factory=dict)
    #: Seconds spent running before ``running_since`` (drives the simulated CPU/IO counters).
    run_seconds: float = 0.0
    #: Clock time when the domain last started running, or None while it is not running.
    running_since: float | None = None
    #: The guest's next own action ("poweroff", "reboot", "balloon", "crash") and when it is due.
    pending: str | None = None
    pending_due: float = 0.0
    #: The armed timer for ``pending`` (not persisted; re-armed on adoption).
    timer: TimerHandle | None = None

    def state(self) -> DomainState:
        """The immutable view handed to callers (positional, no sort for one device: adoption and
        every listing build 10 000 of them, issue 12)."""
        disks, nics = self.disks, self.nics
        return DomainState(
            self.spec.vm_uuid,
            self.domid,
            self.run_state,
            self.shutdown_reason,
            self.vcpus,
            self.memory_actual,
            self.memory_target,
            self.start_time,
            tuple(disks[k] for k in sorted(disks, key=_devkey)) if len(disks) > 1 else tuple(disks.values()),
            tuple(nics[k] for k in sorted(nics, key=_devkey)) if len(nics) > 1 else tuple(nics.values()),
            SIM_AGENT_FEATURES if profile_of(self.spec.other_config).cooperative else frozenset(),
        )

    def reserved(self) -> int:
        """Bytes of host memory this domain holds (a pending balloon-up is already reserved)."""
        return max(self.memory_actual, self.memory_target)

    def running_seconds(self, now: float) -> float:
        if self.running_since is None:
            return self.run_seconds
        return self.run_seconds + max(0.0, now - self.running_since)


def _devkey(device: str) -> tuple[int, str]:
    return (int(device), device) if device.isdigit() else (1 << 30, device)


def _nic_json(n: NicSpec) -> dict[str, Any]:
    return {"d": n.device, "mac": n.mac, "br": n.bridge, "mtu": n.mtu, "rate": n.rate_kbps}


def _nic_from(j: dict[str, Any]) -> NicSpec:
    return NicSpec(device=j["d"], mac=j["mac"], bridge=j["br"], mtu=j["mtu"], rate_kbps=j.get("rate", 0))


def _domain_to_json(d: SimDomain) -> bytes:
    return orjson.dumps(
        {
            "spec": spec_to_json(d.spec),
            "domid": d.domid,
            "run_state": d.run_state.value,
            "reason": d.shutdown_reason.value if d.shutdown_reason else None,
            "vcpus": d.vcpus,
            "actual": d.memory_actual,
            "target": d.memory_target,
            "start": d.start_time,
            "profile": d.profile,
            "disks": [
                {"u": s.userdevice, "p": s.path, "k": s.kind.value, "m": s.mode.value, "t": s.tray_open,
                 "q": dataclasses.asdict(s.qos)}
                for s in d.disks.values()
            ],
            "nics": [_nic_json(n) for n in d.nics.values()],
            "run_seconds": d.run_seconds,
            "running_since": d.running_since,
            "pending": d.pending,
            "pending_due": d.pending_due,
        }
    )


_RUN_STATES: dict[str, RunState] = {r.value: r for r in RunState}
_REASONS: dict[str | None, ShutdownReason | None] = {None: None, **{r.value: r for r in ShutdownReason}}


def _domain_from_json(raw: bytes) -> SimDomain:
    return _domain_from_obj(orjson.loads(raw))


def _domain_from_obj(j: dict[str, Any]) -> SimDomain:
    """A domain from its decoded JSON: positional arguments and enum tables, as
    :func:`~xenia.drivers.specjson.spec_from_json` (a restart decodes 10 000 of them, issue 12)."""
    disks = j["disks"]
    nics = j["nics"]
    return SimDomain(
        spec_from_json(j["spec"]),
        j["domid"],
        _RUN_STATES[j["run_state"]],
        _REASONS[j["reason"] or None],
        j["vcpus"],
        j["actual"],
        j["target"],
        j["start"],
        j["profile"],
        {
            s["u"]: DiskState(s["u"], s["p"], DISK_KINDS[s["k"]], DISK_MODES[s["m"]], s["t"], disk_qos(s.get("q")))
            for s in disks
        } if disks else {},
        {n["d"]: _nic_from(n) for n in nics} if nics else {},
        j["run_seconds"],
        j["running_since"],
        j["pending"],
        j["pending_due"],
    )


class SimStore:
    """The simulator's SQLite table of domains plus a persistent domid counter."""

    def __init__(self, directory: Path | None) -> None:
        """Keep the table in ``directory``, or only in memory when it is None (throw-away simulators)."""
        self._checkpointer: WalCheckpointer | None = None
        if directory is None:
            self._db = sqlite3.connect(":memory:", isolation_level=None)
        else:
            # as the db's file (WAL, synchronous=NORMAL): a committed write survives a process kill (the
            # OS has it); only a power cut may lose the last transactions, which a simulator can accept.
            # Checkpoints in the db's thread, not in a commit on the event loop.
            path = directory / "domains.sqlite"
            self._db = wal_writer(path)
            self._checkpointer = WalCheckpointer(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS domains (uuid TEXT PRIMARY KEY, data BLOB NOT NULL)")
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)")

    def load(self) -> list[SimDomain]:
        """Every recorded domain."""
        loads, build = orjson.loads, _domain_from_obj
        with small_page_cache(self._db):
            return [build(loads(row[0])) for row in self._db.execute("SELECT data FROM domains")]

    def put(self, dom: SimDomain) -> None:
        """Record (insert or replace) one domain, committed on return."""
        self._db.execute(
            "INSERT OR REPLACE INTO domains (uuid, data) VALUES (?, ?)", (dom.spec.vm_uuid, _domain_to_json(dom))
        )
        self._wrote()

    def delete(self, vm_uuid: str) -> None:
        """Forget one domain, committed on return."""
        self._db.execute("DELETE FROM domains WHERE uuid = ?", (vm_uuid,))
        self._wrote()

    def _wrote(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.wrote()

    def last_domid(self) -> int:
        """The highest domid ever handed out (0 when none)."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'last_domid'").fetchone()
        return int(row[0]) if row else 0

    def put_domain_and_domid(self, dom: SimDomain) -> None:
        """Record a new domain and advance the domid counter in one transaction."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_domid', ?)", (dom.domid,))
            self.put(dom)

    def dump(self) -> tuple[list[bytes], int]:
        """Every domain as its stored JSON, and the domid counter (a test double's snapshot)."""
        return [bytes(row[0]) for row in self._db.execute("SELECT data FROM domains")], self.last_domid()

    def replace_all(self, domains: list[bytes], last_domid: int) -> list[SimDomain]:
        """Make the table hold exactly ``domains`` (from :meth:`dump`) in one transaction; returns them parsed."""
        parsed = [_domain_from_json(raw) for raw in domains]
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM domains")
            self._db.executemany(
                "INSERT INTO domains (uuid, data) VALUES (?, ?)", [(d.spec.vm_uuid, raw) for d, raw in zip(parsed, domains, strict=True)]
            )
            self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_domid', ?)", (last_domid,))
        return parsed

    def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.close()
        self._db.close()
