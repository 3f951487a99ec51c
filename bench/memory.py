"""Where a running VM's bytes go (issue 12): memory per running VM, by component.

For each level N, a real ``xenia serve`` (sim driver, as bench/scale.py) is filled with N running
VMs and SIGKILLed; then the same daemon (``xenia.daemon.Daemon``) is started in this process on that
state directory under ``tracemalloc``, so every live allocation is charged to the source file that
made it. Files are grouped into components -- db records and indexes, encoding caches, store nodes,
store history, driver state, ops, metrics RRDs and per-VM asyncio objects -- and each is printed as KiB per
running VM, beside the process's RSS. What start-up builds is what the daemon holds after a restart;
encoding caches are filled by one ``VM.get_all_records`` before the snapshot.

Runs as a child subreaper (``_common.run_as_subreaper``), peers and all: orphaned descendants are
reaped as soon as they exit, as init does on a normal host, and the output says how long they
waited.

    python bench/memory.py                 # 10 and 1 000 running VMs
    python bench/memory.py --levels 10,3000
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import signal
import sys
import tempfile
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import run_as_subreaper
from scale import DRIVER, populate, rss

from xenia.daemon import Daemon, DaemonConfig
from xenia.testing.daemon import DaemonProcess

#: (component, path fragments of the files whose allocations it owns), first match wins
COMPONENTS: list[tuple[str, tuple[str, ...]]] = [
    ("store history", ("xenia/store/history", "xenia/store/persist")),
    ("store nodes", ("xenia/store/",)),
    ("encoding caches", ("xenia/api/codec/", "xenia/api/dispatch", "xenia/api/events")),
    ("db records + indexes", ("xenia/db/",)),
    ("driver state", ("xenia/drivers/",)),
    ("ops (locks, watches, names)", ("xenia/ops/",)),
    ("metrics RRDs", ("xenia/metrics/", "numpy/")),
    ("asyncio objects", ("asyncio/", "uvloop")),
    ("sqlite, json, other", ("",)),
]


def component(filename: str) -> str:
    for name, fragments in COMPONENTS:
        if any(f in filename for f in fragments):
            return name
    return COMPONENTS[-1][0]


def prepare(vms: int) -> Path:
    state = Path(tempfile.mkdtemp(prefix="xeniamem", dir="/tmp"))
    daemon = DaemonProcess(state, DRIVER)
    daemon.start(timeout=120)
    assert daemon.proc is not None
    populate(daemon, vms, 4)
    daemon.proc.send_signal(signal.SIGKILL)
    daemon.proc.wait()
    for sock in state.glob("*.sock"):
        sock.unlink()
    return state


async def measure(state: Path) -> tuple[dict[str, int], int]:
    tracemalloc.start()
    daemon = Daemon(DaemonConfig(state, listen=None, driver_options={"memory": "16T", "guest-delay": "0"}))
    await daemon.start()
    assert daemon.api is not None
    dispatcher = daemon.api.dispatcher
    session = (await dispatcher.call("session.login_with_password", ["root", "", "1.0", "bench"], local=True)).value
    reply = await dispatcher.call("VM.get_all_records", [session], local=True)
    dispatcher.encode_xml(reply)
    del reply
    snapshot = tracemalloc.take_snapshot()
    by: dict[str, int] = {}
    others: list[tuple[int, str]] = []
    for stat in snapshot.statistics("filename"):
        name = component(stat.traceback[0].filename)
        by[name] = by.get(name, 0) + stat.size
        if name == COMPONENTS[-1][0]:
            others.append((stat.size, stat.traceback[0].filename))
    for size, filename in sorted(others, reverse=True)[:6]:
        print(f"    {COMPONENTS[-1][0]}: {size / 2**20:8.1f} MiB in {filename}")
    resident = rss_self()
    tracemalloc.stop()
    await daemon.stop()
    return by, resident


def rss_self() -> int:
    import os

    return rss(os.getpid())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default="10,1000")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    results: dict[int, tuple[dict[str, int], int]] = {}
    for n in levels:
        state = prepare(n)
        try:
            results[n] = asyncio.run(measure(state))
        finally:
            shutil.rmtree(state, ignore_errors=True)
        print(f"  measured {n} running VMs", flush=True)
    print(f"\n{'KiB per running VM (traced, after restart)':>44} | " + " | ".join(f"{n:>8}" for n in levels))
    for name, _ in COMPONENTS:
        print(f"{name:>44} | " + " | ".join(f"{results[n][0].get(name, 0) / n / 1024:>8.1f}" for n in levels))
    print(f"{'total traced':>44} | " + " | ".join(f"{sum(results[n][0].values()) / n / 1024:>8.1f}" for n in levels))
    print(f"{'process RSS (MiB)':>44} | " + " | ".join(f"{results[n][1] / 2**20:>8.0f}" for n in levels))
    return 0


if __name__ == "__main__":
    sys.exit(run_as_subreaper(main))
