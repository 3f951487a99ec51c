"""How soon does ``event.from`` wake a watcher after a change, and how many changes does it deliver?

Runs two real daemons in one run: xenia as it is (a change wakes watchers at
once) and the baseline, which is xenia itself with a fixed 50 ms delay before
each answer (``--event-batch-delay 0.05``): xapi's ``event.from`` rule emulated
in xenia, not xapi.  It isolates what the rule costs in wake-up latency and
nothing else; the throughput figure is xenia's alone, since under continuous
writes a batching delay never sleeps and cannot change it.  For 1, 100 and 1000 watchers
(asyncio JSON-RPC long-polls, one connection each) it measures the time from
just before a client's ``VM.set_name_label`` is sent to the moment each watcher
has the event (median and p99), then the changes per second delivered while
writers change 50 VMs as fast as they can.  Watchers and writers live in this
process, so client-side parsing counts too, as it would for a real client.

    .venv/bin/python bench/events.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from dataclasses import dataclass, field

from _common import load_average

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess
from xenia.testing.longpoll import AioRpc

HOST = "127.0.0.1"


@dataclass
class Figures:
    latency: dict[int, list[float]] = field(default_factory=dict)  # watchers -> seconds
    changes_per_s: float = 0.0
    delivered_per_s: float = 0.0


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


async def connect(port: int, session: str) -> AioRpc:
    c = await AioRpc(HOST, port).connect()
    c.session = session
    return c


async def latency(port: int, session: str, vm: str, watchers: int, rounds: int) -> list[float]:
    """Change one VM ``rounds`` times; each time, wait until every watcher has the change."""
    clients = [await connect(port, session) for _ in range(watchers)]
    writer = await connect(port, session)
    token = (await writer.xenapi("event.from", [f"vm/{vm}"], "", 1.0))["token"]
    seen: dict[str, list[float]] = {}
    everyone = asyncio.Event()
    stop = False

    async def watch(c: AioRpc) -> None:
        t = token
        while not stop:
            out = await c.xenapi("event.from", [f"vm/{vm}"], t, 60.0)
            now = time.perf_counter()
            t = out["token"]
            for ev in out["events"]:
                arrivals = seen.setdefault(ev["snapshot"]["name_label"], [])
                arrivals.append(now)
                if len(arrivals) == watchers:
                    everyone.set()

    tasks = [asyncio.ensure_future(watch(c)) for c in clients]
    await asyncio.sleep(0.5 + watchers / 1000)  # every watcher parked
    out: list[float] = []
    for k in range(rounds):
        everyone.clear()
        name = f"round {k} of {watchers}"
        start = time.perf_counter()
        await writer.xenapi("VM.set_name_label", vm, name)
        await asyncio.wait_for(everyone.wait(), 60)
        out.extend(t - start for t in seen[name])
        await asyncio.sleep(0.01)
    stop = True
    await writer.xenapi("VM.set_name_label", vm, "done")  # release the watchers
    await asyncio.gather(*tasks, return_exceptions=True)
    for c in [*clients, writer]:
        await c.close()
    return out


async def throughput(port: int, session: str, vms: list[str], watchers: int, seconds: float) -> tuple[float, float]:
    """Writers change ``vms`` flat out; returns (changes made per s, events delivered per s per watcher)."""
    clients = [await connect(port, session) for _ in range(watchers)]
    writers = [await connect(port, session) for _ in range(4)]
    token = (await writers[0].xenapi("event.from", ["vm"], "", 1.0))["token"]
    delivered = [0] * watchers
    made = 0
    running = True

    async def watch(i: int, c: AioRpc) -> None:
        t = token
        while running:
            out = await c.xenapi("event.from", ["vm"], t, 5.0)
            t = out["token"]
            delivered[i] += len(out["events"])

    async def write(n: int, w: AioRpc) -> None:
        nonlocal made
        k = 0
        while running:
            await w.xenapi("VM.set_name_label", vms[(n + 4 * k) % len(vms)], f"w{n}-{k}")
            made += 1
            k += 1

    tasks = [asyncio.ensure_future(watch(i, c)) for i, c in enumerate(clients)]
    await asyncio.sleep(0.3)
    start = time.perf_counter()
    wtasks = [asyncio.ensure_future(write(n, w)) for n, w in enumerate(writers)]
    await asyncio.sleep(seconds)
    running = False
    elapsed = time.perf_counter() - start
    await asyncio.gather(*wtasks)
    got = sum(delivered)
    await asyncio.gather(*tasks, return_exceptions=True)
    for c in [*clients, *writers]:
        await c.close()
    return made / elapsed, got / watchers / elapsed


async def measure(port: int, counts: list[int], rounds: int, with_throughput: bool) -> Figures:
    admin = await AioRpc(HOST, port).connect()
    await admin.login("root", ROOT_PASSWORD, "bench-events")
    tmpl = (await admin.xenapi("VM.get_by_name_label", "Generic Linux BIOS"))[0]
    vms = [await admin.xenapi("VM.clone", tmpl, f"bench {i}") for i in range(50)]
    figures = Figures()
    for n in counts:
        figures.latency[n] = await latency(port, admin.session, vms[0], n, rounds if n < 1000 else max(5, rounds // 3))
    if with_throughput:
        figures.changes_per_s, figures.delivered_per_s = await throughput(port, admin.session, vms, 10, 3.0)
    await admin.close()
    return figures


def run_mode(batch_delay: float, counts: list[int], rounds: int) -> Figures:
    with DaemonProcess(extra_args=["--event-batch-delay", str(batch_delay)]) as d:
        return asyncio.run(measure(d.port, counts, rounds, with_throughput=batch_delay == 0))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run)")
    args = ap.parse_args()
    counts = [1, 100, 1000]
    rounds = 10 if args.quick else 40
    before = load_average()
    xenia = run_mode(0.0, counts, rounds)
    xapi = run_mode(0.05, counts, rounds)
    after = load_average()
    ms = 1000.0
    print("event.from wake-up latency, change sent -> watcher has it (ms)")
    print(f"before the run: {before}; after: {after}")
    print("baseline: xenia with a fixed 50 ms delay before each event.from answer (xapi's rule, emulated)")
    print(f"{'watchers':>9} | {'xenia median':>12} {'p99':>8} | {'50ms-delay median':>17} {'p99':>8} | {'ratio':>6}")
    for n in counts:
        a, b = xenia.latency[n], xapi.latency[n]
        ma, mb = statistics.median(a) * ms, statistics.median(b) * ms
        print(f"{n:>9} | {ma:>12.2f} {pct(a, 0.99) * ms:>8.2f} | {mb:>17.2f} {pct(b, 0.99) * ms:>8.2f} |"
              f" {mb / ma:>5.1f}x")
    print()
    print("throughput with 10 watchers of every VM, 4 writers changing 50 VMs (xenia alone: no peer)")
    print(f"{xenia.changes_per_s:8.0f} changes/s made, {xenia.delivered_per_s:8.0f} events/s delivered "
          "per watcher (bursts on one VM collapse into one event)")


if __name__ == "__main__":
    main()
