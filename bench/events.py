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
The daemon's own send times (the kernel's receive stamp of each answer) and its CPU per change
(the scheduler's count, every thread) are printed beside: the clients share the daemon's cores.

Runs as a child subreaper (``_common.run_as_subreaper``), peers and all:
orphaned descendants are reaped as soon as they exit, as init does on a normal
host, and the output says how long they waited.

    .venv/bin/python bench/events.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import selectors
import socket
import statistics
import struct
import time
from dataclasses import dataclass, field

import orjson
from _common import load_average, run_as_subreaper

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess
from xenia.testing.longpoll import AioRpc

HOST = "127.0.0.1"
_SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux
_SCM_TIMESTAMPNS = _SO_TIMESTAMPNS


@dataclass
class Figures:
    latency: dict[int, list[float]] = field(default_factory=dict)  # watchers -> seconds
    sent: dict[int, list[float]] = field(default_factory=dict)  # watchers -> seconds, the daemon's send times
    cpu: dict[int, float] = field(default_factory=dict)  # watchers -> the daemon's CPU seconds per change
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


def _rpc_bytes(method: str, *params: object) -> bytes:
    body = orjson.dumps({"jsonrpc": "2.0", "method": method, "params": list(params), "id": 1})
    return (f"POST /jsonrpc HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)


def _read_answer(sock: socket.socket, stamp: bool) -> tuple[bytes, float]:
    """One answer's body, and (with ``stamp``) when its first byte reached this host's kernel."""
    buf, when = b"", 0.0
    while b"\r\n\r\n" not in buf or len(buf) < _answer_end(buf):
        data, anc, _flags, _addr = sock.recvmsg(1 << 20, socket.CMSG_SPACE(16))
        if not data:
            raise ConnectionError("daemon closed")
        for level, kind, raw in anc:
            if not buf and level == socket.SOL_SOCKET and kind == _SCM_TIMESTAMPNS and stamp:
                sec, nsec = struct.unpack("qq", raw[:16])
                when = sec + nsec / 1e9
        buf += data
    return buf[buf.index(b"\r\n\r\n") + 4 :], when


def _answer_end(buf: bytes) -> int:
    end = buf.index(b"\r\n\r\n") + 4
    head = buf[:end].lower()
    i = head.index(b"content-length:") + 15
    return end + int(head[i : head.index(b"\r\n", i)])


def daemon_cpu(pid: int) -> float:
    """The daemon's CPU seconds so far, every thread: the scheduler's own count in nanoseconds
    (``/proc/PID/task/*/schedstat``), not ``/proc/PID/stat``'s 10 ms ticks."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[0])
        except FileNotFoundError:  # a thread that ended meanwhile
            pass
    return total / 1e9


def server_send_times(port: int, pid: int, session: str, vm: str, watchers: int,
                      rounds: int) -> tuple[list[float], float]:  # fmt: skip
    """Like :func:`latency`, but each arrival is the kernel's receive stamp of the answer's first byte
    (``SO_TIMESTAMPNS``; over loopback, the moment the daemon wrote it): the daemon's own send time,
    whatever the watchers' process costs to parse a thousand answers.  Also the daemon's CPU per
    change (the change, every answer, the calls finishing; not the watchers' next calls): what the
    send times cost, a figure other processes on the machine stretch far less than the times."""
    socks = []
    for _ in range(watchers):
        s = socket.create_connection((HOST, port))
        s.setsockopt(socket.SOL_SOCKET, _SO_TIMESTAMPNS, 1)
        socks.append(s)
    writer = socket.create_connection((HOST, port))
    writer.sendall(_rpc_bytes("event.from", session, [f"vm/{vm}"], "", 1.0))
    token = orjson.loads(_read_answer(writer, False)[0])["result"]["token"]
    tokens = {s: token for s in socks}
    out: list[float] = []
    cpu = 0.0
    with selectors.DefaultSelector() as sel:
        for s in socks:
            sel.register(s, selectors.EVENT_READ, s)
        for k in range(rounds):
            for s in socks:
                s.sendall(_rpc_bytes("event.from", session, [f"vm/{vm}"], tokens[s], 60.0))
            time.sleep(0.5 + watchers / 1000)  # every watcher parked
            before = daemon_cpu(pid)
            start = time.time()  # the kernel stamps with the real-time clock
            writer.sendall(_rpc_bytes("VM.set_name_label", session, vm, f"send {k} of {watchers}"))
            pending = set(socks)
            while pending:
                for key, _ in sel.select(60):
                    s = key.data
                    body, when = _read_answer(s, True)
                    tokens[s] = orjson.loads(body)["result"]["token"]
                    out.append(when - start)
                    pending.discard(s)
            _read_answer(writer, False)
            time.sleep(0.05)  # the woken calls' tasks finish
            cpu += daemon_cpu(pid) - before
    for s in [*socks, writer]:
        s.close()
    return out, cpu / rounds


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


async def measure(port: int, pid: int, counts: list[int], rounds: int, with_throughput: bool) -> Figures:
    admin = await AioRpc(HOST, port).connect()
    await admin.login("root", ROOT_PASSWORD, "bench-events")
    tmpl = (await admin.xenapi("VM.get_by_name_label", "Generic Linux BIOS"))[0]
    vms = [await admin.xenapi("VM.clone", tmpl, f"bench {i}") for i in range(50)]
    figures = Figures()
    for n in counts:
        figures.latency[n] = await latency(port, admin.session, vms[0], n, rounds if n < 1000 else max(5, rounds // 3))
        figures.sent[n], figures.cpu[n] = await asyncio.to_thread(
            server_send_times, port, pid, admin.session, vms[1], n, rounds if n < 1000 else max(5, rounds // 3))
    if with_throughput:
        figures.changes_per_s, figures.delivered_per_s = await throughput(port, admin.session, vms, 10, 3.0)
    await admin.close()
    return figures


def run_mode(batch_delay: float, counts: list[int], rounds: int) -> Figures:
    with DaemonProcess(extra_args=["--event-batch-delay", str(batch_delay)]) as d:
        assert d.proc is not None
        return asyncio.run(measure(d.port, d.proc.pid, counts, rounds, with_throughput=batch_delay == 0))


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
    print("the daemon's send times: change sent -> the answer's first byte in the watcher's kernel (ms)")
    print(f"{'watchers':>9} | {'xenia median':>12} {'p99':>8} | {'50ms-delay median':>17} {'p99':>8}")
    for n in counts:
        a, b = xenia.sent[n], xapi.sent[n]
        print(f"{n:>9} | {statistics.median(a) * ms:>12.2f} {pct(a, 0.99) * ms:>8.2f} |"
              f" {statistics.median(b) * ms:>17.2f} {pct(b, 0.99) * ms:>8.2f}")
    for n in counts:
        print(f"the daemon's CPU per change with {n} watchers: xenia {xenia.cpu[n] * ms:.2f} ms,"
              f" 50ms-delay {xapi.cpu[n] * ms:.2f} ms")
    print()
    print("throughput with 10 watchers of every VM, 4 writers changing 50 VMs (xenia alone: no peer)")
    print(f"{xenia.changes_per_s:8.0f} changes/s made, {xenia.delivered_per_s:8.0f} events/s delivered "
          "per watcher (bursts on one VM collapse into one event)")


if __name__ == "__main__":
    run_as_subreaper(main)
