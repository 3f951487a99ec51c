"""Lifecycle latency against the number of running VMs, on the simulator (issue 3).

LightVM's paper plots, for xl, VM creation time growing with the number of guests already
running. This bench measures xenia's curve: real ``xenia serve`` daemons (simulator, 16 TiB of host
memory, guests that act at once), one per level, filled with N running VMs (N = 10, 1 000 and
10 000), time VM.start, VM.hard_shutdown and VM.clean_shutdown of fresh VMs (median and p95), the
start throughput of several clients at once, and the daemon's RSS growth per running VM.

The levels are measured in turn, not one after the other (issue 12): every level's daemon is filled
first, all stay up, and the timed calls (10 on one level, then 10 on the next) and the throughput
rounds alternate between them. On this shared machine the same code's CPU per start moved by half
within 20 minutes (1.5 to 2.4 ms at 10 running, the other tenants' load on memory and caches);
measured one after the other, 10 running in the first minute and 10 000 half a minute later, that
drift fell on one side of the ratio. While one level has its turn, the others' daemons are stopped
(SIGSTOP to the process group, a snapshot's child included), so neither takes a CPU from the other.
A stopped daemon's timers keep running on the monotonic clock, so what fell due while it was stopped
(a metrics tick every 5 s, 60-100 ms at 10 000; a held-back store snapshot) ran all at once when it
was continued, at the head of its timed window: a pile-up no daemon that is never stopped sees (its
ticks fall in a window of starts at their rate, one per 5 s). Waiting for a quarter of a second of
idling, the catch-up at 10 000 running VMs took half a second in three turns of four. So after its
``turn`` a level waits until its process group has been idle for 20 ms (:func:`catch_up`, at most
3 s); the work that falls due during its window still counts. The waits are printed.

The timed calls go CHUNK (10) fresh VMs at a time: the chunk is started, shut down hard, started
again and shut down cleanly, each step on every level in turn, so a level runs at most 10 VMs more
than its count while it is timed (until stop 18 every timed start came first, and the level of 10
had 110 running by the last of 100). ``--samples`` (300 by default, 100 until stop 18) is the
number of fresh VMs, hence of each timed call, per level: the start's median ratio moved between
1.12 and 1.56 over runs of 100 on one tree.

The throughput phase starts ``--throughput`` fresh VMs (500 by default; 100 until issue 12's thru
pass) with every client at once, ``--rounds`` times (4 by default), shutting them down between
rounds untimed; starts/s and the CPU per start are over the rounds' starts together. At 10 000
running VMs the daemon's periodic work (a metrics tick every 5 s of some 60-250 ms, a full
collection, a store snapshot's fork every 4 000 records) falls in one window of 500 starts (about a
second on a fast machine) or not, and the ratio swung with it (0.67-0.84 in five runs of one tree);
four rounds average it in, as a user starting VMs for longer pays it. The same count at every
level, so at 10 running each round ends with 510.

Each level is measured on a settled daemon: after populating, the bench waits a metrics period and
the store's snapshot interval (15.5 s) and then until the CPU of the daemon's process group (a
snapshot's child included) over half a second is under 10 %. Populating 10 000 VMs in 20 s leaves
work behind it that has nothing to do with how many VMs run: the next ticks make the RRDs and
workload rows of the last thousands of new domains (250 ms of CPU at once here), and a snapshot of
the records populating wrote is held back until its interval ends (``store/persist.py``). Measured
straight after it, that work fell into the timed starts at 10 000 and into no phase at 10
(populated in 0.02 s). The wait is printed.

    python bench/lifecycle.py            # 10, 1 000, 10 000 running VMs
    python bench/lifecycle.py --quick    # 10, 100, 1 000
    python bench/lifecycle.py --levels 10,5000 --samples 50 --profile
    python bench/lifecycle.py --against main  # main's tree first, then this one, in one run

Runs as a child subreaper (``_common.run_as_subreaper``), peers and all: orphaned descendants are
reaped as soon as they exit, as init does on a normal host, and the output says how long they
waited.

Clients speak JSON-RPC over the local socket (``xenia.client``), several threads in parallel while
populating. ``--profile`` runs the daemon under cProfile and prints its top functions.
"""

from __future__ import annotations

import argparse
import os
import pstats
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import run_as_subreaper

from xenia.client import Session
from xenia.store.persist import SNAPSHOT_INTERVAL
from xenia.testing.daemon import DaemonProcess


class ProfiledDaemon(DaemonProcess):
    """The daemon under cProfile (stats written to ``<state>/daemon.prof`` on SIGTERM)."""

    def __init__(self, state_dir: Path, extra_args: list[str]) -> None:
        super().__init__(state_dir=state_dir, extra_args=extra_args)
        self.prof = state_dir / "daemon.prof"
        runner = state_dir / "profiled_serve.py"
        runner.write_text(
            "import cProfile, signal, sys\n"
            "from xenia.cli.main import main\n"
            "p = cProfile.Profile()\n"
            "def stop(*_):\n"
            f"    p.disable(); p.dump_stats({str(self.prof)!r}); sys.exit(0)\n"
            "signal.signal(signal.SIGTERM, stop)\n"
            "p.enable()\n"
            "try:\n"
            "    sys.argv = ['xenia'] + sys.argv[1:]; main()\n"
            "finally:\n"
            f"    p.disable(); p.dump_stats({str(self.prof)!r})\n"
        )
        self._runner = runner

    def start(self, timeout: float = 60.0) -> DaemonProcess:
        # DaemonProcess runs ``python -m xenia.cli.main serve ...``; swap in the profiling runner
        import subprocess

        real_popen = subprocess.Popen

        def popen(args: list[str], **kw: Any) -> Any:
            args = [args[0], str(self._runner), *args[3:]]
            return real_popen(args, **kw)

        subprocess.Popen = popen  # type: ignore[assignment,misc]
        try:
            return super().start(timeout)
        finally:
            subprocess.Popen = real_popen  # type: ignore[misc]


def connect(daemon: DaemonProcess) -> Session:
    session = Session(str(daemon.socket_path), timeout=600)
    session.login("root", "")
    return session


def rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class Pool:
    """A few client sessions, one per thread, to keep the daemon busy while populating."""

    def __init__(self, daemon: DaemonProcess, size: int) -> None:
        self.local = threading.local()
        self.daemon = daemon
        self.executor = ThreadPoolExecutor(size)

    def session(self) -> Session:
        s: Session | None = getattr(self.local, "session", None)
        if s is None:
            s = self.local.session = connect(self.daemon)
        return s

    def map(self, fn: Callable[[Session, int], Any], count: int) -> list[Any]:
        return list(self.executor.map(lambda i: fn(self.session(), i), range(count)))


def cpu_seconds(pid: int) -> float:
    """CPU time of a process so far, every thread, user and system (``/proc/<pid>/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def runqueue_wait(pid: int) -> float:
    """Seconds the process's threads have spent runnable but waiting for a CPU (``/proc/<pid>/task/*/schedstat``,
    second field): the part of a slower window that other processes on the machine took, not the daemon's work."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            pass  # a thread that ended meanwhile
    return total / 1e9


def minor_faults(pid: int) -> int:
    """Minor page faults of a process so far (``/proc/<pid>/stat`` field minflt): after each store
    snapshot's fork, every page the daemon writes faults once (copy-on-write), and that grows with its heap."""
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[7])


#: timed calls made on one level before the next level's turn
CHUNK = 10
#: the settling wait: a metrics period (5 s) and a store snapshot held back under churn (SNAPSHOT_INTERVAL)
SETTLE = max(5.0, SNAPSHOT_INTERVAL) + 0.5


def group_cpu(pgid: int) -> float:
    """CPU seconds so far of every process in a process group (the daemon and a store snapshot's child),
    to the nanosecond (``schedstat``; ``stat`` counts 10 ms ticks, too coarse for :func:`catch_up`)."""
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if int((proc / "stat").read_text().rsplit(")", 1)[1].split()[2]) != pgid:
                continue
            for task in (proc / "task").iterdir():
                total += int((task / "schedstat").read_text().split()[0])
        except OSError:
            continue  # gone meanwhile
    return total / 1e9


def settle(pid: int, wait: float = SETTLE, idle: float = 0.1, limit: float = 60.0) -> float:
    """Wait until the daemon has settled after populating (see the module docstring): ``wait`` seconds,
    then until its process group's CPU over half a second is below ``idle`` of a core (at most ``limit``
    seconds in all). Returns the seconds waited."""
    started = time.perf_counter()
    time.sleep(wait)
    wait_idle(pid, 0.5, idle, limit - wait)
    return time.perf_counter() - started


def catch_up(pid: int) -> float:
    """After a level's daemon is continued: wait until what fell due while it was stopped has run (the
    module docstring), at most 3 s. Returns the seconds waited. The idle span it looks for is short
    (20 ms), so the wait adds as little idling as it can before the timed calls: a daemon serving
    calls is never idle for long. With a quarter of a second the start's median ratio at 10 000
    printed 1.10-1.32 in five runs; without any wait (stop 16) 1.11-1.19 in four."""
    return wait_idle(pid, 0.02, 0.1, 3.0)


def wait_idle(pgid: int, span: float, idle: float, limit: float) -> float:
    """Sleep until the process group's CPU over ``span`` seconds is below ``idle`` of a core, or until
    ``limit`` seconds have passed. Returns the seconds waited."""
    started = time.perf_counter()
    while True:
        cpu = group_cpu(pgid)
        time.sleep(span)
        if group_cpu(pgid) - cpu < idle * span or time.perf_counter() - started >= limit:
            return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def on_each(pool: Pool, method: str, vms: list[str], *extra: Any) -> None:
    """Call ``method`` on every VM, spread over the pool's clients."""

    def one(session: Session, i: int) -> None:
        session.call(method, session.handle, vms[i], *extra)

    pool.map(one, len(vms))


def clone_many(pool: Pool, base: str, prefix: str, count: int) -> list[str]:
    """``count`` halted clones of ``base``, spread over the pool's clients."""
    return pool.map(lambda session, i: session.call("VM.clone", session.handle, base, f"{prefix}-{i}"), max(0, count))


def clone_and_start(pool: Pool, base: str, first: int, count: int) -> None:
    def one(session: Session, i: int) -> None:
        vm = session.call("VM.clone", session.handle, base, f"bench-{first + i}")
        session.call("VM.start", session.handle, vm, False, False)

    pool.map(one, count)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="levels 10, 100, 1000")
    parser.add_argument("--levels", default=None, help="comma-separated numbers of running VMs")
    parser.add_argument("--samples", type=int, default=300, help="timed starts/shutdowns per level")
    parser.add_argument("--clients", type=int, default=4, help="parallel clients for populating and throughput")
    parser.add_argument("--throughput", type=int, default=500, help="fresh VMs the clients start at once")
    parser.add_argument("--rounds", type=int, default=4, help="throughput rounds (start all, shut down all)")
    parser.add_argument("--profile", action="store_true", help="run the daemon under cProfile and print its top")
    parser.add_argument("--against", default=None, help="first measure this git branch's tree (e.g. main)")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")] if args.levels else [10, 100, 1000] if args.quick else [
        10, 1000, 10000]  # fmt: skip
    samples = min(args.samples, 30) if args.quick and args.samples == 300 else args.samples

    if args.against:
        from scale import export_branch

        tree = export_branch(args.against)
        try:
            print(f"--- the tree of branch {args.against}, in the same run", flush=True)
            run(args, levels, samples, {"PYTHONPATH": str(tree / "src")})
        finally:
            import shutil

            shutil.rmtree(tree, ignore_errors=True)
        print("--- this tree", flush=True)
    return run(args, levels, samples, {})


class Level:
    """A daemon of its own filled to ``count`` running VMs, and what was measured on it."""

    def __init__(self, count: int, daemon: DaemonProcess, clients: int) -> None:
        self.count = count
        assert daemon.proc is not None
        self.pid = daemon.proc.pid
        self.session = connect(daemon)
        h = self.session.handle
        template = self.session.call("VM.get_by_name_label", h, "Other install media")[0]
        self.base = self.session.call("VM.clone", h, template, "bench-base")
        self.session.call("VM.provision", h, self.base)  # un-templates it, as xapi
        self.pool = Pool(daemon, clients)
        self.row: dict[str, Any] = {"level": count, "start": [], "hard": [], "clean": [], "rates": [],
                                    "start_first": [], "start_rest": []}  # fmt: skip
        self.fresh: list[str] = []
        self.burst: list[str] = []
        self.timed = Meter(self.pid)  #: the timed starts
        self.window = Meter(self.pid)  #: the throughput rounds
        self.caught_up: list[float] = []  #: seconds each turn waited for the work that fell due meanwhile

    def turn(self, runs: list[Level]) -> None:
        """This level's turn: every other level's daemon stopped (SIGSTOP to its process group, its
        snapshot child included), this one running once it has caught up (:func:`catch_up`)."""
        for other in runs:
            os.killpg(other.pid, signal.SIGCONT if other is self else signal.SIGSTOP)
        self.caught_up.append(catch_up(self.pid))

    def call(self, method: str, vm: str, *extra: Any) -> float:
        t = time.perf_counter()
        self.session.call(method, self.session.handle, vm, *extra)
        return time.perf_counter() - t


class Meter:
    """A daemon's CPU, minor faults and wait for a CPU summed over the spans measured."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.cpu = self.faults = self.wait = self.elapsed = 0.0
        self._at: tuple[float, float, int, float] | None = None

    def __enter__(self) -> Meter:
        self._at = (time.perf_counter(), cpu_seconds(self.pid), minor_faults(self.pid), runqueue_wait(self.pid))
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self._at is not None
        t, cpu, faults, wait = self._at
        self.elapsed += time.perf_counter() - t
        self.cpu += cpu_seconds(self.pid) - cpu
        self.faults += minor_faults(self.pid) - faults
        self.wait += runqueue_wait(self.pid) - wait


def timed_calls(runs: list[Level], samples: int) -> None:
    """The timed calls of one client, CHUNK fresh VMs at a time: each chunk is started, shut down hard,
    started again (untimed) and shut down cleanly, each step on every level in turn, so a level runs at
    most CHUNK VMs more than its count while it is timed (module docstring)."""
    steps = (("start", "VM.start", (False, False)), ("hard", "VM.hard_shutdown", ()),
             (None, "VM.start", (False, False)), ("clean", "VM.clean_shutdown", ()))  # fmt: skip
    for first in range(0, samples, CHUNK):
        for phase, method, extra_args in steps:
            for level in runs:
                level.turn(runs)
                with level.timed if phase == "start" else nullcontext():
                    took = [level.call(method, vm, *extra_args) for vm in level.fresh[first : first + CHUNK]]
                if phase is not None:
                    level.row[phase] += took
                if phase == "start":  # by place in the turn: the first call after the switch apart
                    level.row["start_first"] += took[:1]
                    level.row["start_rest"] += took[1:]


def run(args: argparse.Namespace, levels: list[int], samples: int, env: dict[str, str]) -> int:
    """Every level on a daemon of its own, all alive at once; the timed calls and the throughput rounds
    alternate between them (module docstring: the machine's drift falls on every level alike)."""
    states: list[Path] = []
    daemons: list[DaemonProcess] = []
    extra = ["--driver-option", "memory=16T", "--driver-option", "guest-delay=0"]
    print(f"xenia lifecycle bench: {os.cpu_count()} CPUs, {samples} samples per level, {args.clients} clients, "
          f"{args.rounds} throughput rounds of {args.throughput} starts, levels interleaved", flush=True)  # fmt: skip
    try:
        runs: list[Level] = []
        rss_at: dict[int, int] = {}
        for count in levels:
            state = Path(tempfile.mkdtemp(prefix="xeniabench", dir="/tmp"))
            states.append(state)
            daemon = ProfiledDaemon(state, extra) if args.profile else DaemonProcess(state, extra, env=env)
            daemons.append(daemon)
            daemon.start()
            level = Level(count, daemon, args.clients)
            if not runs:
                rss_at[0] = rss(level.pid)  # before any VM runs (the base for a single level)
            t0 = time.perf_counter()
            clone_and_start(level.pool, level.base, 0, count)
            level.row.update(populate=time.perf_counter() - t0, batch=count)
            rss_at[count] = rss(level.pid)
            runs.append(level)
        for level in runs:
            level.row["settled"] = settle(level.pid)
            # fresh halted VMs for the timed calls (not counted as running between samples)
            level.fresh = [level.session.call("VM.clone", level.session.handle, level.base, f"probe-{i}")
                           for i in range(samples)]  # fmt: skip
        timed_calls(runs, samples)
        for level in runs:
            level.turn(runs)
            level.burst = level.fresh + clone_many(level.pool, level.base, "burst", args.throughput - len(level.fresh))
        # throughput: every client starts its share of the fresh VMs at once, each level in turn, --rounds times
        for _ in range(args.rounds):
            for level in runs:
                level.turn(runs)
                with level.window as meter:
                    before = meter.elapsed
                    on_each(level.pool, "VM.start", level.burst, False, False)
                level.row["rates"].append(len(level.burst) / (meter.elapsed - before))
                on_each(level.pool, "VM.hard_shutdown", level.burst)
        for level in runs:
            os.killpg(level.pid, signal.SIGCONT)
        rows = []
        for level in runs:
            on_each(level.pool, "VM.destroy", level.burst)
            started = len(level.burst) * args.rounds
            w = level.window
            level.row.update(
                rate=started / w.elapsed,
                # the daemon's CPU per start while they ran, its background work included: unlike starts/s,
                # other processes on the machine barely move it
                cpu=w.cpu / started,
                faults=w.faults / started,
                # how much of the windows the daemon was ready to run and waited for a core: on a shared
                # machine starts/s follows it (the CPU per start does not)
                wait=w.wait / w.elapsed,
                busy=w.cpu / w.elapsed,
                burst=len(level.burst),
                # the timed starts, one client: the daemon's CPU per start, and the time it waited for a core
                # per start (a median that moved with the machine's load rather than with the daemon's work)
                timed_cpu=level.timed.cpu / samples,
                timed_wait=level.timed.wait / samples,
            )
            r = level.row
            print(f"  {r['level']:>6} running: populated in {r['populate']:.1f} s "
                  f"({r['batch'] / r['populate'] if r['populate'] else 0:.0f} clone+start/s), settled in "
                  f"{r['settled']:.1f} s; start median {statistics.median(r['start']) * 1e3:.2f} ms; starts/s per "
                  f"round {' '.join(f'{x:.0f}' for x in r['rates'])}; caught up after a turn in "
                  f"{statistics.median(level.caught_up):.2f} s (median; max {max(level.caught_up):.2f})",
                  flush=True)  # fmt: skip
            rows.append(r)

        summarize(rows, rss_at)
        print(f"populating {levels[-1]} VMs (clone + start each, {args.clients} clients) took "
              f"{rows[-1]['populate']:.0f} s")  # fmt: skip
    finally:
        for daemon in daemons:
            if daemon.proc is not None and daemon.proc.poll() is None:
                os.killpg(daemon.proc.pid, signal.SIGCONT)  # a stopped daemon cannot stop cleanly
            daemon.stop()
        for daemon in daemons:
            if args.profile and isinstance(daemon, ProfiledDaemon) and daemon.prof.exists():
                print("\ndaemon profile, top 25 by own time:")
                pstats.Stats(str(daemon.prof), stream=sys.stdout).sort_stats("tottime").print_stats(25)
            daemon.cleanup()
        import shutil

        for state in states:
            shutil.rmtree(state, ignore_errors=True)
    return 0


def summarize(rows: list[dict[str, Any]], rss_at: dict[int, int]) -> None:
    """The table of every level, the flatness ratios (last level against the first) and the RSS growth
    per running VM (``rss_at[0]``: before any VM ran, the base when there is a single level)."""
    levels = [r["level"] for r in rows]
    print()
    print(f"{'running VMs':>12} | {'start med':>9} {'p95':>8} | {'hard_shutdown':>13} {'p95':>8} | "
          f"{'clean_shutdown':>14} {'p95':>8} | {'starts/s':>8} | {'RSS':>8}")  # fmt: skip
    print("-" * 106)
    for r in rows:
        ms = [statistics.median(r["start"]), percentile(r["start"], 0.95), statistics.median(r["hard"]),
              percentile(r["hard"], 0.95), statistics.median(r["clean"]), percentile(r["clean"], 0.95)]  # fmt: skip
        print(f"{r['level']:>12} | {ms[0] * 1e3:>7.2f}ms {ms[1] * 1e3:>6.2f}ms | {ms[2] * 1e3:>11.2f}ms "
              f"{ms[3] * 1e3:>6.2f}ms | {ms[4] * 1e3:>12.2f}ms {ms[5] * 1e3:>6.2f}ms | {r['rate']:>8.0f} | "
              f"{rss_at[r['level']] / 2**20:>6.0f}MB")  # fmt: skip
    first, last = rows[0], rows[-1]
    if len(rows) > 1:  # a ratio needs two levels
        for key, label in (("start", "VM.start"), ("hard", "VM.hard_shutdown"), ("clean", "VM.clean_shutdown")):
            ratio = statistics.median(last[key]) / statistics.median(first[key])
            print(f"flatness {label}: median at {last['level']} / at {first['level']} = {ratio:.2f}")
        print(f"flatness starts/s: at {last['level']} / at {first['level']} = {last['rate'] / first['rate']:.2f}")
        if "cpu" in first and "cpu" in last:
            print(f"daemon CPU per start while starting: {first['cpu'] * 1e3:.1f} ms at {first['level']}, "
                  f"{last['cpu'] * 1e3:.1f} ms at {last['level']} ({last['cpu'] / first['cpu']:.2f}x)")  # fmt: skip
        if "timed_cpu" in first and "timed_cpu" in last:
            print(f"timed VM.start (one client), daemon CPU / wait for a CPU per start: {first['timed_cpu'] * 1e3:.1f}"
                  f" / {first['timed_wait'] * 1e3:.1f} ms at {first['level']}, {last['timed_cpu'] * 1e3:.1f} / "
                  f"{last['timed_wait'] * 1e3:.1f} ms at {last['level']}")  # fmt: skip
        if first.get("start_first") and first.get("start_rest") and last.get("start_first") and last.get("start_rest"):
            place = {r["level"]: (statistics.median(r["start_first"]), statistics.median(r["start_rest"]))
                     for r in (first, last)}  # fmt: skip
            print("timed VM.start median, the first call of a turn / the others: "
                  + ", ".join(f"{a * 1e3:.2f} / {b * 1e3:.2f} ms at {lvl}" for lvl, (a, b) in place.items())
                  + f"; the others' ratio {place[last['level']][1] / place[first['level']][1]:.2f}")  # fmt: skip
        if "faults" in first and "faults" in last:
            print(f"daemon minor page faults per start while starting: {first['faults']:.0f} at {first['level']}, "
                  f"{last['faults']:.0f} at {last['level']}")  # fmt: skip
        if "wait" in first and "wait" in last:  # the rest of the window it waited for its clients
            print(f"daemon while starting, share of the window on a CPU / waiting for one: {first['busy']:.0%} / "
                  f"{first['wait']:.0%} at {first['level']}, {last['busy']:.0%} / {last['wait']:.0%} at "
                  f"{last['level']}")  # fmt: skip
    if "burst" in rows[0]:
        rounds = len(rows[0].get("rates", [])) or 1
        print(f"starts/s and CPU per start: {rows[0]['burst']} fresh VMs started by the clients at once, "
              f"{rounds} round{'s' if rounds > 1 else ''}, on a settled daemon")  # fmt: skip
    hi = levels[-1]
    lo = levels[0] if levels[0] < hi else 0  # one level: the growth from no VM running
    if hi == lo:  # a single level of 0 running VMs: no growth to divide
        return
    per_vm = (rss_at[hi] - rss_at[lo]) / (hi - lo)
    print(f"daemon RSS growth per running VM: {per_vm / 1024:.1f} KiB "
          f"({rss_at[lo] / 2**20:.0f} MB at {lo}, {rss_at[hi] / 2**20:.0f} MB at {hi})")  # fmt: skip


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


if __name__ == "__main__":
    print(f"at the start: {_load()}", flush=True)
    status = run_as_subreaper(main)
    print(f"at the end: {_load()} (a figure taken under load moves; compare only with its peer in the same run)")
    sys.exit(status)
