#!/usr/bin/env python3
"""Soak: SIGKILL loop with acknowledged-write checking, then hostile clients and a full disk, each beside a
benign client whose latency is measured while the attack runs.

    python bench/soak.py              # the full run: 1 000 kills, 20 s per attack (about half an hour)
    python bench/soak.py --quick      # 25 kills, 4 s per attack (a minute or two)
    python bench/soak.py --kills 200 --attack-seconds 10

Phases, each printed as one line:

- ``kill-loop``: start the daemon, write through the API (``VM.set_name_description``) and the store
  (``xenstored.sock``) from one client, SIGKILL the daemon at a random moment mid-write, restart it and
  read everything back.  A value older than the last acknowledged write is a loss; the write in flight may
  land or not.  Prints kills, acknowledged writes, losses and the restart time.
- one line per attack against a running daemon: clients that pipeline requests and never read (authenticated
  ``VM.get_all_records`` and unauthenticated ``system.listMethods``), requests queued behind a long poll,
  1 100 half-open connections (headers never finished), 40 parallel wrong-password logins, and a full disk
  (the state directory on a small loop-mounted ext4, else under ``prlimit --fsize``) while a writer keeps
  writing, followed by a SIGKILL and a check that no acknowledged write was lost.  Each line has the peak
  RSS above the daemon's baseline, the benign client's call count, p50/p99/max latency and its failures
  (a call that got no answer in 5 s counts as a hang).

Runs as a child subreaper (``_common.run_as_subreaper``), peers and all: orphaned descendants are reaped as
soon as they exit, as init does on a normal host, and the output says how long they waited.

The goals (issue 9): 0 losses in >= 1 000 kills, 0 hangs, RSS never more than 100 MiB above baseline,
benign p99 under 50 ms during every attack.  The script measures and prints; ``--check`` makes it exit 1
when a goal is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing
import os
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from _common import run_as_subreaper

from xenia.store.sockclient import SyncClient
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

MiB = 1024 * 1024
BENIGN_TIMEOUT = 5.0
BENIGN_USER = ("benign", "benign-password")
BENIGN_ADDRESS = "127.0.0.2"
VMS = 4


# ----------------------------------------------------------------------------- a small JSON-RPC client


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.path)
        self.sock = sock


class Rpc:
    """JSON-RPC over one keep-alive HTTP connection (what a script would do; no SDK overhead).

    ``port`` is a TCP port on 127.0.0.1, or the path of the daemon's local socket.
    """

    def __init__(self, port: int | Path, timeout: float = 30.0, source: str | None = None) -> None:
        self.conn: http.client.HTTPConnection
        if isinstance(port, Path):
            self.conn = _UnixConnection(str(port), timeout)
        else:
            address = (source, 0) if source else None
            self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=address)
        self.session = ""

    def call(self, method: str, *params: Any) -> Any:
        body = json.dumps({"jsonrpc": "2.0", "method": method, "params": list(params), "id": 1})
        self.conn.request("POST", "/jsonrpc", body, {"Content-Type": "application/json"})
        resp = self.conn.getresponse()
        data = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"HTTP {resp.status}: {data[:200]!r}")
        answer = json.loads(data)
        if "error" in answer and answer["error"] is not None:
            raise RuntimeError(f"{answer['error']}")
        return answer["result"]

    def login(self, originator: str = "soak", user: str = "root", password: str = ROOT_PASSWORD) -> Rpc:
        self.session = self.call("session.login_with_password", user, password, "2.0", originator)
        return self

    def with_session(self, method: str, *params: Any) -> Any:
        return self.call(method, self.session, *params)

    def close(self) -> None:
        self.conn.close()


def rss(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


# ----------------------------------------------------------------------------------- benign client


def _benign(port: int, stop: Any, out: Connection) -> None:
    """A well-behaved client: one read after another, each with a deadline; latencies go back to the parent."""
    latencies: list[float] = []
    failures = 0
    rpc: Rpc | None = None
    while not stop.is_set():
        t0 = time.perf_counter()
        try:
            if rpc is None:  # its own user and address: lockouts caused by attackers must not touch it
                rpc = Rpc(port, timeout=BENIGN_TIMEOUT, source=BENIGN_ADDRESS).login("benign", *BENIGN_USER)
                t0 = time.perf_counter()
            rpc.with_session("pool.get_all_records")
            latencies.append(time.perf_counter() - t0)
        except Exception:
            failures += 1
            if rpc is not None:
                rpc.close()
            rpc = None
            time.sleep(0.05)
        time.sleep(0.01)
    out.send((latencies, failures))


@dataclass
class Benign:
    port: int
    stop: Any = None
    proc: Any = None
    reader: Connection | None = None

    def __enter__(self) -> Benign:
        ctx = multiprocessing.get_context("fork")
        self.stop = ctx.Event()
        self.reader, writer = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_benign, args=(self.port, self.stop, writer), daemon=True)
        proc.start()
        self.proc = proc
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.is_alive():
            self.stop.set()
            self.proc.join(timeout=BENIGN_TIMEOUT + 5)

    def result(self) -> tuple[list[float], int]:
        assert self.reader is not None and self.proc is not None
        self.stop.set()
        if not self.reader.poll(BENIGN_TIMEOUT + 10):
            self.proc.kill()
            return [], -1
        latencies, failures = self.reader.recv()
        self.proc.join(timeout=5)
        return sorted(latencies), failures


def quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(q * len(values)))]


@dataclass
class AttackResult:
    name: str
    rss_above: int = 0
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    served_after: bool = True
    note: str = ""

    def line(self) -> str:
        lat = self.latencies
        return (f"{self.name:<22} rss+{self.rss_above / MiB:6.1f} MiB  benign calls {len(lat):5d}  "
                f"p50 {quantile(lat, 0.5) * 1000:7.1f} ms  p99 {quantile(lat, 0.99) * 1000:7.1f} ms  "
                f"max {(lat[-1] if lat else float('nan')) * 1000:7.1f} ms  failures/hangs {self.failures}  "
                f"serves after: {'yes' if self.served_after else 'NO'}{'  ' + self.note if self.note else ''}")  # fmt: skip

    def meets_goals(self) -> bool:
        return (self.rss_above <= 100 * MiB and self.failures == 0 and self.served_after
                and bool(self.latencies) and quantile(self.latencies, 0.99) < 0.050)  # fmt: skip


def run_attack(daemon: DaemonProcess, name: str, attack: Callable[[threading.Event], str], seconds: float) -> AttackResult:
    """Baseline RSS, then the attack in a thread beside the benign client, sampling RSS until it stops."""
    assert daemon.proc is not None
    pid = daemon.proc.pid
    with contextlib.suppress(RuntimeError):  # INVALID_VALUE: the user is there from an earlier attack
        Rpc(daemon.socket_path).login().with_session("xenia.user_add", *BENIGN_USER, "read-only")
    baseline = rss(pid)
    stop = threading.Event()
    notes: list[str] = []
    result = AttackResult(name)
    with Benign(daemon.port) as benign:
        time.sleep(0.3)  # the benign client is logged in and running before the attack starts
        worker = threading.Thread(target=lambda: notes.append(attack(stop)), daemon=True)
        worker.start()
        peak = baseline
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            peak = max(peak, rss(pid))
            time.sleep(0.1)
        result.latencies, result.failures = benign.result()
        stop.set()
        worker.join(timeout=30)
    result.rss_above = peak - baseline
    result.note = " ".join(n for n in notes if n)
    try:  # over the local socket: a TCP login for root may be locked out by a guessing attack
        Rpc(daemon.socket_path, timeout=10).login("after-attack").with_session("pool.get_all")
    except Exception as e:
        result.served_after = False
        result.note += f" after: {e}"
    return result


# ------------------------------------------------------------------------------------------ attacks


def _raw_post(path: str, body: str, host: str = "x") -> bytes:
    data = body.encode()
    return (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: text/xml\r\n"
            f"Content-Length: {len(data)}\r\n\r\n").encode() + data  # fmt: skip


def _xml(method: str, *params: str) -> str:
    ps = "".join(f"<param><value><string>{p}</string></value></param>" for p in params)
    return f"<?xml version='1.0'?><methodCall><methodName>{method}</methodName><params>{ps}</params></methodCall>"


def _pipeline_without_reading(port: int, request: bytes, connections: int, stop: threading.Event,
                              limit: int = 0) -> str:  # fmt: skip
    """Open ``connections`` and keep sending ``request`` on each, never reading, until the server stops taking."""
    socks: list[socket.socket] = []
    sent = 0
    try:
        for _ in range(connections):
            s = socket.create_connection(("127.0.0.1", port))
            s.setblocking(False)
            socks.append(s)
        while not stop.is_set():
            progressed = False
            for s in socks:
                try:
                    s.send(request)
                    sent += len(request)
                    progressed = True
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    pass
                if limit and sent >= limit:
                    break
            if limit and sent >= limit:
                stop.wait()
            elif not progressed:
                time.sleep(0.05)
    finally:
        for s in socks:
            s.close()
    return f"sent {sent / MiB:.0f} MiB unread"


def attack_unread_records(port: int, session: str) -> Callable[[threading.Event], str]:
    request = _raw_post("/RPC2", _xml("VM.get_all_records", session))
    return lambda stop: _pipeline_without_reading(port, request, 20, stop)


def attack_unread_listmethods(port: int) -> Callable[[threading.Event], str]:
    request = _raw_post("/RPC2", _xml("system.listMethods"))
    return lambda stop: _pipeline_without_reading(port, request, 10, stop)


def attack_behind_long_poll(port: int, session: str) -> Callable[[threading.Event], str]:
    poll = _raw_post("/jsonrpc", json.dumps({"jsonrpc": "2.0", "method": "event.from", "id": 1,
                                             "params": [session, ["vm"], "", 30.0]}))  # fmt: skip
    filler = _raw_post("/RPC2", _xml("pool.get_all", session))

    def run(stop: threading.Event) -> str:
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(poll)
        s.setblocking(False)
        sent = 0
        try:
            while not stop.is_set() and sent < 60 * MiB:
                try:
                    sent += s.send(filler * 64)
                except (BlockingIOError, InterruptedError):
                    time.sleep(0.05)
                except OSError:
                    break
            stop.wait()
        finally:
            s.close()
        return f"queued {sent / MiB:.0f} MiB"

    return run


def attack_half_open(port: int, count: int = 1100) -> Callable[[threading.Event], str]:
    def run(stop: threading.Event) -> str:
        socks: list[socket.socket] = []
        refused = 0
        try:
            for _ in range(count):
                try:
                    s = socket.create_connection(("127.0.0.1", port), timeout=2)
                    s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")
                    socks.append(s)
                except OSError:
                    refused += 1
                if stop.is_set():
                    break
            stop.wait()
            closed = 0
            for s in socks:
                s.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    if s.recv(1) == b"":
                        closed += 1
        finally:
            for s in socks:
                s.close()
        return f"held {len(socks)} (refused {refused}, closed by the server {closed})"

    return run


def attack_guessing(port: int, parallel: int = 40) -> Callable[[threading.Event], str]:
    def run(stop: threading.Event) -> str:
        refused = 0
        lock = threading.Lock()

        def guess(i: int) -> None:
            nonlocal refused
            while not stop.is_set():
                try:
                    Rpc(port, timeout=60).call("session.login_with_password", "root", f"guess-{i}", "2.0", "guess")
                except Exception:
                    with lock:
                        refused += 1

        threads = [threading.Thread(target=guess, args=(i,), daemon=True) for i in range(parallel)]
        for t in threads:
            t.start()
        stop.wait()
        for t in threads:
            t.join(timeout=15)
        return f"{refused} wrong guesses answered"

    return run


def login_timing(daemon: DaemonProcess, rounds: int) -> str:
    """Median time of a failed login for an existing name and for an unknown one, interleaved.

    Both include the same ``--auth-fail-delay``; what differs without the dummy hash is the scrypt work."""
    Rpc(daemon.socket_path).login().with_session("xenia.user_add", "timed", "timed-password", "read-only")
    known: list[float] = []
    unknown: list[float] = []
    for i in range(rounds):
        for name, out in (("timed", known), (f"nobody-{i}", unknown)):
            rpc = Rpc(daemon.port, timeout=30, source=f"127.0.3.{i % 250 + 1}")
            t0 = time.perf_counter()
            with contextlib.suppress(RuntimeError):
                rpc.call("session.login_with_password", name, f"wrong-{i}", "2.0", "timing")
            out.append(time.perf_counter() - t0)
            rpc.close()
        if i % 4 == 3:  # stay under the per-user lockout threshold: a success clears the count
            Rpc(daemon.port).login("timing", "timed", "timed-password")
    known.sort()
    unknown.sort()
    k, u = quantile(known, 0.5), quantile(unknown, 0.5)
    return (f"login-timing           failed login, median of {rounds}: existing name {k * 1000:.1f} ms, "
            f"unknown name {u * 1000:.1f} ms, difference {(k - u) * 1000:+.1f} ms")  # fmt: skip


# -------------------------------------------------------------------------------- kill loop


@dataclass
class Writes:
    """Acknowledged writes, per key: the last acknowledged value, and the one in flight when the daemon died."""

    acked: dict[str, int] = field(default_factory=dict)
    inflight: dict[str, int] = field(default_factory=dict)
    count: int = 0
    losses: int = 0
    errors: int = 0

    def check(self, key: str, found: int | None) -> None:
        last = self.acked.get(key)
        if last is None:
            return
        if found is None or (found != last and found != self.inflight.get(key)):
            self.losses += 1
            print(f"  LOSS {key}: acknowledged {last}, found {found}", flush=True)
        if found is not None:
            self.acked[key] = found  # a write in flight that landed is the new baseline


def setup_vms(daemon: DaemonProcess) -> list[str]:
    rpc = Rpc(daemon.port).login()
    records = rpc.with_session("VM.get_all_records")
    template = next(ref for ref, rec in records.items() if rec["is_a_template"])
    vms = [rpc.with_session("VM.clone", template, f"soak-{i}") for i in range(VMS)]
    rpc.close()
    return vms


def write_until_killed(daemon: DaemonProcess, vms: list[str], writes: Writes, seq: list[int], kill_after: float,
                       rng: random.Random) -> None:  # fmt: skip
    """Write through the API and the store until a timer SIGKILLs the daemon mid-write."""
    rpc = Rpc(daemon.port, timeout=10).login()
    store = SyncClient(daemon.state_dir / "xenstored.sock")
    timer = threading.Timer(kill_after, daemon.kill)
    timer.start()
    try:
        while True:
            seq[0] += 1
            n = seq[0]
            i = rng.randrange(VMS)
            use_store = rng.random() < 0.5
            key = f"store/{i}" if use_store else f"api/{i}"
            writes.inflight[key] = n
            try:
                if use_store:
                    store.write(f"/soak/{i}", str(n))
                else:
                    rpc.with_session("VM.set_name_description", vms[i], str(n))
            except Exception:
                break
            writes.acked[key] = n
            writes.count += 1
    finally:
        timer.join()
        rpc.close()
        with contextlib.suppress(Exception):
            store.close()


def verify(daemon: DaemonProcess, vms: list[str], writes: Writes) -> None:
    rpc = Rpc(daemon.port, timeout=30).login("verify")
    with SyncClient(daemon.state_dir / "xenstored.sock") as store:
        for i, vm in enumerate(vms):
            text = rpc.with_session("VM.get_name_description", vm)
            writes.check(f"api/{i}", int(text) if text.isdigit() else None)
            try:
                value: int | None = int(store.read(f"/soak/{i}"))
            except Exception:
                value = None
            writes.check(f"store/{i}", value)
    rpc.close()
    writes.inflight.clear()


def kill_loop(base: Path, kills: int, seed: int, minutes: float) -> tuple[int, Writes, list[float]]:
    rng = random.Random(seed)
    daemon = DaemonProcess(state_dir=base / "kill-state")
    daemon.log_path = base / "kill.log"
    daemon.start()
    vms = setup_vms(daemon)
    writes = Writes()
    seq = [0]
    restarts: list[float] = []
    done = 0
    report_every = max(1, min(50, kills // 10))
    deadline = time.monotonic() + minutes * 60
    try:
        while done < kills and time.monotonic() < deadline:
            write_until_killed(daemon, vms, writes, seq, rng.uniform(0.005, 0.15), rng)
            done += 1
            t0 = time.perf_counter()
            daemon.start()
            restarts.append(time.perf_counter() - t0)
            verify(daemon, vms, writes)
            if done % report_every == 0:
                print(f"  ... {done} kills, {writes.count} acknowledged writes, {writes.losses} losses", flush=True)
    finally:
        daemon.stop()
    return done, writes, restarts


# -------------------------------------------------------------------------------------- full disk


@contextlib.contextmanager
def small_filesystem(base: Path, size_mib: int) -> Iterator[tuple[Path, str]]:
    """A loop-mounted ext4 of ``size_mib`` (needs root); otherwise a plain directory for ``prlimit --fsize``."""
    image, mount = base / "disk.img", base / "disk"
    mount.mkdir()
    mounted = False
    if os.geteuid() == 0 and shutil.which("mkfs.ext4"):
        with open(image, "wb") as f:
            f.truncate(size_mib * MiB)
        ok = subprocess.run(["mkfs.ext4", "-q", "-F", str(image)], capture_output=True).returncode == 0
        mounted = ok and subprocess.run(["mount", "-o", "loop", str(image), str(mount)],
                                        capture_output=True).returncode == 0  # fmt: skip
    try:
        yield mount, ("loop-mounted ext4" if mounted else "prlimit")
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(mount)], check=False)
        image.unlink(missing_ok=True)


def fill(path: Path) -> int:
    """Write zeros until the file system (or the file size limit) says no; returns the bytes written."""
    written = 0
    with contextlib.suppress(OSError), open(path, "wb") as f:
        chunk = b"\0" * MiB
        while True:
            f.write(chunk)
            f.flush()
            written += len(chunk)
    return written


def full_disk(base: Path, seconds: float) -> tuple[AttackResult, Writes]:
    with small_filesystem(base, 64) as (mount, kind):
        state = mount / "state"
        daemon = DaemonProcess(state_dir=state)
        daemon.log_path = base / "full-disk.log"
        daemon.start()
        vms = setup_vms(daemon)
        writes = Writes()
        filler = state / "filler"
        if kind == "prlimit":
            assert daemon.proc is not None
            used = sum(p.stat().st_size for p in state.rglob("*") if p.is_file())
            subprocess.run(["prlimit", f"--pid={daemon.proc.pid}", f"--fsize={used + 4 * MiB}"], check=True)
        else:
            fill(filler)

        def writer(stop: threading.Event) -> str:
            rng = random.Random(1)
            rpc = Rpc(daemon.port, timeout=10).login("full-disk-writer")
            store = SyncClient(daemon.state_dir / "xenstored.sock")
            n = 0
            while not stop.is_set():
                n += 1
                i = rng.randrange(VMS)
                use_store = rng.random() < 0.5
                key = f"store/{i}" if use_store else f"api/{i}"
                writes.inflight[key] = n
                try:
                    if use_store:
                        store.write(f"/soak/{i}", str(n))
                    else:
                        rpc.with_session("VM.set_name_description", vms[i], str(n))
                    writes.acked[key] = n
                    writes.count += 1
                except OSError:  # the store dropped the connection: reconnect
                    writes.errors += 1
                    with contextlib.suppress(Exception):
                        store.close()
                    store = SyncClient(daemon.state_dir / "xenstored.sock")
                except Exception:  # the write was refused with an error: the disk is full
                    writes.errors += 1
                    time.sleep(0.01)
            rpc.close()
            return f"{kind}: {writes.count} writes acknowledged, {writes.errors} refused while full"

        result = run_attack(daemon, "full disk", writer, seconds)
        # the moment of truth: crash while full, free the space, restart, and read everything back
        daemon.kill()
        filler.unlink(missing_ok=True)
        try:
            daemon.start()
            verify(daemon, vms, writes)
        except Exception as e:
            result.served_after = False
            result.note += f" restart after full disk: {e}"
        finally:
            daemon.stop()
    return result, writes


# ----------------------------------------------------------------------------------------- main


def raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="25 kills and 4 s per attack")
    parser.add_argument("--kills", type=int, default=None, help="SIGKILLs in the kill loop (default 1000)")
    parser.add_argument("--attack-seconds", type=float, default=None, help="seconds per attack (default 20)")
    parser.add_argument("--kill-minutes", type=float, default=float("inf"),
                        help="stop the kill loop after this long even if fewer kills were done (a loaded machine)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--skip-kills", action="store_true", help="only the attacks")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal of issue 9 is missed")
    args = parser.parse_args(argv)
    kills = args.kills if args.kills is not None else (25 if args.quick else 1000)
    seconds = args.attack_seconds if args.attack_seconds is not None else (4.0 if args.quick else 20.0)
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    raise_fd_limit()
    missed: list[str] = []  # each goal missed, named in the last line
    base = Path(tempfile.mkdtemp(prefix="xenia-soak-"))
    print(f"soak: seed {seed}, {kills} kills, {seconds:.0f} s per attack, work in {base}", flush=True)
    try:
        if not args.skip_kills and kills > 0:
            t0 = time.monotonic()
            done, writes, restarts = kill_loop(base, kills, seed, args.kill_minutes)
            restarts.sort()
            print(f"kill-loop              kills {done}  acknowledged writes {writes.count}  losses {writes.losses}  "
                  f"restart p50 {quantile(restarts, 0.5):.2f} s max {restarts[-1]:.2f} s  "
                  f"({time.monotonic() - t0:.0f} s)", flush=True)  # fmt: skip
            if writes.losses:
                missed.append(f"{writes.losses} losses in the kill loop")
            if done < 1000:
                missed.append(f"{done} kills, not the goal's 1000 (--kills / --quick make a shorter run)")
        daemon = DaemonProcess(state_dir=base / "attack-state")
        daemon.log_path = base / "attack.log"
        daemon.start()
        try:
            print(login_timing(daemon, 12 if seconds < 10 else 40), flush=True)

            def session() -> str:
                return Rpc(daemon.socket_path).login("attacker").session

            attacks: list[tuple[str, Callable[[], Callable[[threading.Event], str]]]] = [
                ("unread get_all_records", lambda: attack_unread_records(daemon.port, session())),
                ("unread listMethods", lambda: attack_unread_listmethods(daemon.port)),
                ("queued behind poll", lambda: attack_behind_long_poll(daemon.port, session())),
                ("1100 half-open", lambda: attack_half_open(daemon.port)),
                ("40 login guessers", lambda: attack_guessing(daemon.port)),
            ]
            for name, make_attack in attacks:
                result = run_attack(daemon, name, make_attack(), seconds)
                print(result.line(), flush=True)
                if not result.meets_goals():
                    missed.append(name)
                if not result.served_after:
                    daemon.kill()
                    daemon.start()
        finally:
            daemon.stop()
        result, writes = full_disk(base, seconds)
        print(result.line(), flush=True)
        print(f"full-disk restart      acknowledged writes {writes.count}  losses {writes.losses}", flush=True)
        if not result.meets_goals() or writes.losses:
            missed.append("full disk")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(f"soak: {'goals missed: ' + '; '.join(missed) if missed else 'all goals met'}", flush=True)
    return 1 if missed and args.check else 0


if __name__ == "__main__":
    sys.exit(run_as_subreaper(main))
