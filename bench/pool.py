"""A pool on etcd, measured beside its peers in the same run.

1. db writes (create, set) through the db layer: the pool backend on a one-member etcd against the
   embedded SQLite backend, both on the same file system: median and p99 latency, writes per second;
   then the read a member makes before deciding where a VM goes (the newest object write's revision)
   at that many objects and at 20 000 (2 000 with ``--quick``), beside the sorted range it replaced;
2. event propagation: a ``VM.set_name_label`` on one member until ``event.from`` on another
   member returns it (median, p99), beside the same on one member;
3. failover: SIGKILL of a member until its HA-protected VM runs on the survivor, with the lease
   timeout used; xapi HA's default host timeout (60 s) is the figure to set beside it;
4. ``VM.get_all_records`` of 3 x N VMs (N per member; 3 000 by default) from each member.

Runs as a child subreaper (``_common.run_as_subreaper``), peers and all: orphaned descendants are
reaped as soon as they exit, as init does on a normal host, and the output says how long they
waited.

    .venv/bin/python bench/pool.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from _common import load_average, run_as_subreaper

from xenia.client.aio import AsyncSession
from xenia.datamodel import MODEL
from xenia.db import Db, SqliteBackend
from xenia.db.etcd import EtcdBackend
from xenia.pool.localetcd import EtcdCluster
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

TEMPLATE = "Debian Bookworm 12"
LEASE = 2


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _writes(db: Db, count: int) -> tuple[list[float], list[float], float, float]:
    creates, sets = [], []
    refs = []
    t0 = time.perf_counter()
    for i in range(count):
        t = time.perf_counter()
        refs.append(db.create("VM", {"name_label": f"vm{i}"}))
        creates.append(time.perf_counter() - t)
    create_rate = count / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for i, ref in enumerate(refs):
        t = time.perf_counter()
        db.set("VM", ref, "name_label", f"renamed{i}")
        sets.append(time.perf_counter() - t)
    return creates, sets, create_rate, count / (time.perf_counter() - t0)


def bench_writes(root: Path, count: int, fence_at: int) -> None:
    print(f"## db writes ({count} creates, then {count} sets; one process, one at a time)")
    with EtcdCluster(root / "etcd-writes", 1) as cluster:
        etcd_db = Db(MODEL, EtcdBackend(cluster.endpoints, "bench"))
        etcd_db.load()
        sqlite_db = Db(MODEL, SqliteBackend(root / "bench.db"))
        sqlite_db.load()
        for name, db in (("SQLite (embedded)", sqlite_db), ("etcd (pool)", etcd_db)):
            c, s, cr, sr = _writes(db, count)
            print(f"{name:18} create median {statistics.median(c) * 1e3:6.2f} ms p99 {_p(c, 0.99) * 1e3:6.2f} ms"
                  f" {cr:7.0f}/s | set median {statistics.median(s) * 1e3:6.2f} ms p99 {_p(s, 0.99) * 1e3:6.2f} ms"
                  f" {sr:7.0f}/s")  # fmt: skip
        assert isinstance(etcd_db.backend, EtcdBackend)
        _fence(etcd_db.backend, count)
        for first in range(count, fence_at, 1000):
            with etcd_db.batch():
                for i in range(first, min(first + 1000, fence_at)):
                    etcd_db.create("VM", {"name_label": f"vm{i}"})
        _fence(etcd_db.backend, fence_at)
        for db in (sqlite_db, etcd_db):
            db.backend.close()


def _fence(backend: EtcdBackend, objects: int, samples: int = 200) -> None:
    """What a member reads before it decides where a VM goes (``Dispatcher._must_catch_up``) and after
    a forwarded call: the newest object write's revision, from the one key every batch rewrites, beside
    finding it by a range over every object sorted by revision (what xenia read before)."""
    ways = (("one key", backend.newest_object_revision), ("sorted range", backend.newest_object_revision_by_range))
    assert ways[0][1]() == ways[1][1]()
    print(f"## the newest object write's revision ({objects} objects; {samples} reads)")
    for name, read in ways:
        took = []
        for _ in range(samples):
            t = time.perf_counter()
            read()
            took.append(time.perf_counter() - t)
        print(f"{name:18} median {statistics.median(took) * 1e3:6.2f} ms p99 {_p(took, 0.99) * 1e3:6.2f} ms")


async def _login(d: DaemonProcess) -> AsyncSession:
    s = AsyncSession(d.url)
    await s.login("root", ROOT_PASSWORD, "bench")
    return s


async def _propagation(writer: AsyncSession, watcher: AsyncSession, vm: str, samples: int) -> list[float]:
    out = []
    token = (await watcher.event_from(["VM"], "", 0.0))["token"]
    for i in range(samples):
        t = time.perf_counter()
        await writer.xenapi.VM.set_name_label(vm, f"p{i}")
        while True:
            batch = await watcher.event_from(["VM"], token, 30.0)
            token = batch["token"]
            if any(e["ref"] == vm and e["snapshot"]["name_label"] == f"p{i}" for e in batch["events"]):
                break
        out.append(time.perf_counter() - t)
    return out


async def _new_vm(s: AsyncSession, name: str) -> str:
    (template,) = await s.xenapi.VM.get_by_name_label(TEMPLATE)
    vm: str = await s.xenapi.VM.clone(template, name)
    await s.xenapi.VM.set_is_a_template(vm, False)
    return vm


async def bench_members(members: list[DaemonProcess], samples: int, per_member: int) -> None:
    sessions = [await _login(d) for d in members]
    vm = await _new_vm(sessions[0], "propagation")
    local = await _propagation(sessions[0], sessions[0], vm, samples)
    remote = await _propagation(sessions[0], sessions[1], vm, samples)
    print(f"## event propagation ({samples} changes)")
    print(f"same member       median {statistics.median(local) * 1e3:6.2f} ms p99 {_p(local, 0.99) * 1e3:6.2f} ms")
    print(f"other member      median {statistics.median(remote) * 1e3:6.2f} ms p99 {_p(remote, 0.99) * 1e3:6.2f} ms")

    print(f"## VM.get_all_records of {len(members)} x {per_member} VMs")
    names = itertools.count()
    for s in sessions:
        (template,) = await s.xenapi.VM.get_by_name_label(TEMPLATE)

        async def clone(s: AsyncSession = s, template: str = template) -> None:
            await s.xenapi.VM.clone(template, f"bulk{next(names)}")

        for start in range(0, per_member, 50):
            await asyncio.gather(*(clone() for _ in range(min(50, per_member - start))))
    for i, s in enumerate(sessions):
        counts: set[int] = set()
        while len(counts) != 1 or min(counts) < len(members) * per_member:  # until every member has them all
            counts = {sum(1 for r in (await x.xenapi.VM.get_all_records()).values() if r["name_label"].startswith("bulk"))
                      for x in sessions}  # fmt: skip
        t = time.perf_counter()
        records = await s.xenapi.VM.get_all_records()
        print(f"member {i}: {len(records)} VM records in {(time.perf_counter() - t) * 1e3:7.1f} ms")
    for s in sessions:
        await s.close()


async def bench_failover(members: list[DaemonProcess]) -> None:
    survivor, victim = await _login(members[0]), await _login(members[1])
    await survivor.xenapi.pool.enable_ha([], {})
    vm = await _new_vm(victim, "protected")
    await victim.xenapi.VM.set_ha_restart_priority(vm, "restart")
    victim_host = await victim.xenapi.session.get_this_host(victim.handle)
    await victim.xenapi.VM.start_on(vm, victim_host, False, False)
    await victim.close()
    t = time.perf_counter()
    members[1].kill()
    token = (await survivor.event_from(["VM"], "", 0.0))["token"]
    while not (await survivor.xenapi.VM.get_power_state(vm) == "Running"
               and await survivor.xenapi.VM.get_resident_on(vm) != victim_host):  # fmt: skip
        token = (await survivor.event_from(["VM"], token, 5.0))["token"]
    took = time.perf_counter() - t
    print("## failover (SIGKILL of a member until its protected VM runs on the survivor)")
    print(f"xenia, lease {LEASE} s: {took:5.2f} s   (xapi HA: host timeout 60 s by default, then the restart)")
    await survivor.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer writes and VMs (a smoke run)")
    args = parser.parse_args()
    count, samples, per_member = (200, 20, 100) if args.quick else (2000, 200, 3000)
    fence_at = 2000 if args.quick else 20000
    print(f"load average: {load_average()}")
    root = Path(tempfile.mkdtemp(prefix="xenia-bench-pool-"))
    try:
        bench_writes(root, count, fence_at)
        with EtcdCluster(root / "etcd-pool", 1) as cluster:
            members = [DaemonProcess(extra_args=["--etcd", cluster.endpoints, "--pool-serve-everywhere",
                                                 "--pool-host-timeout", str(LEASE)]) for _ in range(3)]  # fmt: skip
            try:
                for d in members:
                    d.start()
                asyncio.run(bench_members(members, samples, per_member))
                asyncio.run(bench_failover(members))
            finally:
                for d in members:
                    d.cleanup()
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    run_as_subreaper(main)
