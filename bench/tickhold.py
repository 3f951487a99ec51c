"""How long a metrics tick holds the event loop at N running sim VMs (issue 12), beside another tree.

The collector's real code (``MetricsService``) on the simulator with a virtual clock, in one process
per tree and level: N VMs (4 vCPUs, a disk and a NIC each, with their VM, VM_metrics, VBD and VDI
records), then ``--ticks`` ticks 5 s apart, each run one loop turn at a time: a turn's duration is
what a call arriving then would wait for. Then a save of every RRD and their restore into a fresh
collector (what a restart does after listening), and that collector's first tick. Prints, per
phase, the longest loop turn and the sum of the turns, in ms.

With ``--churn K``, K running domains are destroyed and K fresh VMs started before each tick after
the first two (what VMs starting and stopping at a steady rate do between ticks), and the ticks'
share of the rebuilds that a changed set of domains asks for is printed per piece (ms per tick,
the mean over those ticks, timers around the functions named).

    python bench/tickhold.py --levels 10,10000 --against main
    python bench/tickhold.py --levels 10000 --churn 50 --ticks 12 --against main
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import load_average, run_as_subreaper

MiB = 1 << 20


async def _turns(coro: Coroutine[Any, Any, Any]) -> tuple[float, float]:
    """Run ``coro`` one loop turn at a time: (longest turn, sum of turns) in ms."""
    task = asyncio.ensure_future(coro)
    turns: list[float] = []
    while not task.done():
        started = time.perf_counter()
        await asyncio.sleep(0)
        turns.append(time.perf_counter() - started)
    await task
    return max(turns) * 1e3, sum(turns) * 1e3


#: (label, module, qualified name) of the functions whose time a ``--churn`` run prints: the
#: rebuilds a changed set of domains asks for (a name a tree lacks is left out for that tree; of two
#: names with one label, the first the tree has is timed: they are one rebuild in two versions)
PIECES = (
    ("sim: wave arrays", "xenia.drivers.sim.devices", "_GroupWaves.changed"),
    ("sim: wave arrays", "xenia.drivers.sim.devices", "_GroupWaves.__init__"),
    ("sim: workload rows", "xenia.drivers.sim.devices", "SimMetrics._make_rows"),
    ("sim: sample in all", "xenia.drivers.sim.devices", "SimMetrics.sample"),
    ("new RRDs laid out", "xenia.metrics.collect", "MetricsService._prepare"),
    ("  of which bank reset", "xenia.metrics.rrd", "Bank.reset"),
    ("block plan (kept rows)", "xenia.metrics.collect", "MetricsService._replan_block"),
    ("block plan (whole)", "xenia.metrics.collect", "MetricsService._plan_block"),
    ("previous disks matched", "xenia.metrics.collect", "MetricsService._prev_disk_rows"),
    ("SR slots of the disks", "xenia.metrics.collect", "MetricsService._add_block_increments"),
)


def _time_pieces() -> dict[str, float]:
    """Wrap :data:`PIECES` with timers; returns the seconds each label has taken so far."""
    import importlib
    import inspect

    spent: dict[str, float] = {}
    for label, module, name in PIECES:
        owner: Any = importlib.import_module(module)
        *path, attr = name.split(".")
        for part in path:
            owner = getattr(owner, part, None)
        fn = getattr(owner, attr, None) if owner is not None else None
        if fn is None or label in spent:
            continue
        spent[label] = 0.0

        def wrap(fn: Any, label: str) -> Any:
            if inspect.iscoroutinefunction(fn):

                async def timed_async(*args: Any, **kwargs: Any) -> Any:
                    started = time.perf_counter()
                    try:
                        return await fn(*args, **kwargs)
                    finally:
                        spent[label] += time.perf_counter() - started

                return timed_async

            def timed(*args: Any, **kwargs: Any) -> Any:
                started = time.perf_counter()
                try:
                    return fn(*args, **kwargs)
                finally:
                    spent[label] += time.perf_counter() - started

            return timed

        setattr(owner, attr, wrap(fn, label))
    return spent


async def _child(n: int, ticks: int, churn: int = 0) -> dict[str, tuple[float, float]]:
    from xenia.datamodel import MODEL
    from xenia.db import Db
    from xenia.drivers.base import DiskSpec, DomainSpec, DriverConfig, NicSpec
    from xenia.drivers.sim import SimDriver, VirtualClock
    from xenia.firstboot import initialise
    from xenia.metrics.collect import MetricsConfig, MetricsService

    tmp = Path(tempfile.mkdtemp(prefix="xeniatickhold"))
    try:
        clock = VirtualClock(start=86_400.0 * 20_000)
        options = {"guest-delay": "2", "cpus": "16", "memory": "4000G", "state": "memory"}
        drv = SimDriver(DriverConfig(state_dir=tmp / "sim", options=options), clock=clock)
        await drv.open()
        image = tmp / "disk.img"
        image.touch()
        db = Db(MODEL)
        ident = initialise(db, tmp / "state")
        pbd = next(p for p in db.referrers("PBD", "host", ident.host_ref) if db.get("PBD", p)["currently_attached"])
        sr = db.get("PBD", pbd)["SR"]

        async def start_fresh() -> str:
            u = str(uuid.uuid4())
            spec = DomainSpec(
                vm_uuid=u, name="t", vcpus_max=4, vcpus_at_startup=4, memory_static_max=64 * MiB,
                memory_dynamic_min=64 * MiB, memory_dynamic_max=64 * MiB, memory_target=64 * MiB,
                disks=(DiskSpec("0", str(image)),), nics=(NicSpec("0", "00:16:3e:00:00:01", "xenbr0"),),
            )  # fmt: skip
            vm = db.create("VM", {"uuid": u, "name_label": "t", "metrics": db.create("VM_metrics", {}),
                                  "power_state": "Running"})  # fmt: skip
            db.create("VBD", {"VM": vm, "VDI": db.create("VDI", {"SR": sr}), "userdevice": "0", "type": "Disk"})
            await drv.vm.create(spec)
            await drv.vm.unpause(u)
            return u

        running = [await start_fresh() for _ in range(n)]
        spent = _time_pieces() if churn else {}
        gc.collect()
        gc.freeze()  # as xenia serve does with what start-up loaded: the turns measured are the tick's
        out: dict[str, tuple[float, float]] = {}
        service = MetricsService(db, drv, ident.host_ref, tmp / "state", MetricsConfig())
        service._unsubscribe = db.subscribe(service._on_changes)
        steady: list[tuple[float, float]] = []
        for i in range(ticks):
            if churn and i == 2:
                spent.update(dict.fromkeys(spent, 0.0))
            if churn and i >= 2:
                for u in running[:churn]:
                    await drv.vm.destroy(u)
                running = running[churn:] + [await start_fresh() for _ in range(churn)]
            got = await _turns(service.tick())
            if i < 2:
                out[f"tick {i + 1}"] = got
            else:
                steady.append(got)
            await clock.run_for(5)
        if steady:
            out[f"ticks 3-{ticks} (worst)"] = (max(s[0] for s in steady), max(s[1] for s in steady))
            out[f"ticks 3-{ticks} (mean)"] = (
                sum(s[0] for s in steady) / len(steady),
                sum(s[1] for s in steady) / len(steady),
            )
        for label, seconds in spent.items():  # per tick; the first number is unused (no longest turn)
            out[f"{label} (per tick)"] = (float("nan"), seconds * 1e3 / max(1, len(steady)))
        if churn:  # a save and restore of every RRD measures nothing about churn
            await drv.close()
            return out
        out["save every RRD"] = await _turns(service.save_all())
        again = MetricsService(db, drv, ident.host_ref, tmp / "state", MetricsConfig())
        out["restore every RRD"] = await _turns(again._restore())
        out["first tick after the restore"] = await _turns(again.tick())
        await drv.close()
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _cell(turns: tuple[float, float]) -> str:
    longest, total = turns
    return f"{total:7.1f}" if longest != longest else f"{longest:7.1f} / {total:7.1f}"


def _measure(src: Path | None, n: int, ticks: int, churn: int) -> dict[str, tuple[float, float]]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    proc = subprocess.run([sys.executable, __file__, "--child", str(n), "--ticks", str(ticks), "--churn", str(churn)], env=env,
                          capture_output=True, text=True, timeout=3600, check=True)  # fmt: skip
    result: dict[str, tuple[float, float]] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default="10,10000")
    parser.add_argument("--ticks", type=int, default=8)
    parser.add_argument(
        "--churn", type=int, default=0, help="domains stopped and fresh VMs started before each tick after the second"
    )
    parser.add_argument("--against", default=None, help="also measure this git branch (e.g. main)")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(asyncio.run(_child(args.child, args.ticks, args.churn))))
        return 0
    trees: list[tuple[str, Path | None]] = [("this tree", None)]
    exported = None
    if args.against:
        from scale import export_branch

        exported = export_branch(args.against)
        trees.append((args.against, exported / "src"))
    print(f"metrics tick loop holds: longest turn / all turns (ms), load average {load_average()}", flush=True)
    try:
        for n in (int(x) for x in args.levels.split(",")):
            results = [(label, _measure(src, n, args.ticks, args.churn)) for label, src in trees]
            print(f"\n{f'{n} running VMs':>36} | " + " | ".join(f"{label:>17}" for label, _ in results))
            for phase in dict.fromkeys(p for _, r in results for p in r):
                cells = [_cell(r[phase]) if phase in r else "-" for _, r in results]
                print(f"{phase:>36} | " + " | ".join(f"{c:>17}" for c in cells), flush=True)
    finally:
        if exported is not None:
            shutil.rmtree(exported, ignore_errors=True)
    print(f"load average after: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main() if "--child" in sys.argv else run_as_subreaper(main))
