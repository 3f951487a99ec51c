"""Scale on one host (issue 12): RSS, a getter beside a 10 000-record answer, restart after SIGKILL.

A real ``xenia serve`` (sim driver; ``memory=16T`` so 10 000 guests fit and ``guest-delay=0``, as
bench/lifecycle.py) is filled with N running VMs (clone + start, several clients). Then:

* the daemon's RSS, and per running VM, and its peak while filling (VmHWM: RRD saves, store snapshots);
* ``VM.get_power_state`` latency (p50, p99, max) from one client over XML-RPC, counting only the
  calls that overlap another client's ``VM.get_all_records`` of every VM over XML-RPC (and over
  JSON-RPC; five rounds each), each client its own process;
* SIGKILL, then a restart on the same state directory: seconds until xenia listens (only once every
  domain is adopted) and until a call answers (a login and a query counting the VMs found Running:
  the work start-up leaves for the background must not hold the first client), and RSS after restart
  (just after, and once as long again has passed).

``--against main`` runs the same on the tree of git branch ``main`` (exported with ``git archive``
to a temporary directory, run with ``PYTHONPATH``) in the same run, and prints both side by side.

Runs as a child subreaper (``_common.run_as_subreaper``), peers and all: orphaned descendants are
reaped as soon as they exit, as init does on a normal host, and the output says how long they
waited.

    python bench/scale.py                       # 10 000 VMs, this tree
    python bench/scale.py --vms 2000 --against main
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import LeanConnection, http_post, run_as_subreaper

from xenia.client import Session
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

DRIVER = ["--driver-option", "memory=16T", "--driver-option", "guest-delay=0"]


def rss(pid: int, field: str = "VmRSS") -> int:
    """The process's resident bytes now (``VmHWM``: the most it has had resident)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def xml_call(method: str, *params: Any) -> bytes:
    return http_post("/", xmlrpc.client.dumps(params, method).encode(), "text/xml")


def json_call(method: str, *params: Any) -> bytes:
    import json

    body = json.dumps({"jsonrpc": "2.0", "method": method, "params": list(params), "id": 1}).encode()
    return http_post("/jsonrpc", body, "application/json")


def populate(daemon: DaemonProcess, count: int, clients: int) -> tuple[str, float]:
    """``count`` running VMs; returns the last one and the seconds it took."""
    s = Session(str(daemon.socket_path), timeout=600)
    s.login("root", "")
    template = s.call("VM.get_by_name_label", s.handle, "Other install media")[0]
    base = s.call("VM.clone", s.handle, template, "scale-base")
    s.call("VM.provision", s.handle, base)
    sessions: dict[int, Session] = {}

    def one(i: int) -> str:
        import threading

        me = threading.get_ident()
        c = sessions.get(me)
        if c is None:
            c = sessions[me] = Session(str(daemon.socket_path), timeout=600)
            c.login("root", "")
        vm: str = c.call("VM.clone", c.handle, base, f"scale-{i}")
        c.call("VM.start", c.handle, vm, False, False)
        return vm

    t = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        vms = list(pool.map(one, range(count)))
    return vms[-1], time.perf_counter() - t


def _login(port: int) -> tuple[LeanConnection, str]:
    conn = LeanConnection(("127.0.0.1", port))
    reply = xmlrpc.client.loads(conn.call(xml_call("session.login_with_password", "root", ROOT_PASSWORD, "2.0", "b")))
    answer: Any = reply[0][0]
    return conn, answer["Value"]


def _big_client(port: int, codec: str, rounds: int, out: Connection) -> None:
    conn, session = _login(port)
    request = (xml_call if codec == "xml" else json_call)("VM.get_all_records", session)
    out.send("ready")
    out.recv()
    windows: list[tuple[float, float]] = []
    size = 0
    for _ in range(rounds):
        t = time.monotonic()
        size = len(conn.call(request))
        windows.append((t, time.monotonic()))
    out.send((windows, size))


def _getter_client(port: int, vm: str, out: Connection) -> None:
    conn, session = _login(port)
    request = xml_call("VM.get_power_state", session, vm)
    out.send("ready")
    out.recv()
    calls: list[tuple[float, float]] = []  # (sent at, latency); monotonic clocks agree between processes
    while not out.poll():
        t = time.monotonic()
        conn.call(request)
        calls.append((t, time.monotonic() - t))
    out.send(calls)


def getter_beside_big(port: int, vm: str, codec: str, rounds: int = 5) -> dict[str, float]:
    ctx = multiprocessing.get_context("fork")
    big_end, big_child = ctx.Pipe()
    get_end, get_child = ctx.Pipe()
    procs = [ctx.Process(target=_big_client, args=(port, codec, rounds, big_child)),
             ctx.Process(target=_getter_client, args=(port, vm, get_child))]  # fmt: skip
    for p in procs:
        p.start()
    assert big_end.recv() == "ready" and get_end.recv() == "ready"
    get_end.send("go")
    time.sleep(0.2)
    big_end.send("go")
    windows, size = big_end.recv()
    get_end.send("stop")
    calls = get_end.recv()
    for p in procs:
        p.join()
    # only the getter calls that overlapped a get_all_records call count
    lat = sorted(d for t, d in calls if any(t < end and t + d > start for start, end in windows))
    times = [end - start for start, end in windows]
    return {"big_s": statistics.median(times), "size_mb": size / 1e6, "calls": len(lat),
            "p50_ms": lat[len(lat) // 2] * 1e3, "p99_ms": lat[min(len(lat) - 1, int(0.99 * len(lat)))] * 1e3,
            "max_ms": lat[-1] * 1e3}  # fmt: skip


def count_running(daemon: DaemonProcess) -> int:
    s = Session(str(daemon.socket_path), timeout=600)
    s.login("root", "")
    where = 'field "power_state" = "Running" and field "is_control_domain" = "false"'
    return len(s.call("VM.get_all_records_where", s.handle, where))


def measure(label: str, src: Path | None, vms: int, clients: int) -> dict[str, Any]:
    state = Path(tempfile.mkdtemp(prefix="xeniascale", dir="/tmp"))
    # bytecode as an installed xenia has it (pip compiles on install), even where the environment says
    # PYTHONDONTWRITEBYTECODE: the first start writes it aside, the restart reads it
    pycache = tempfile.mkdtemp(prefix="xeniapyc", dir="/tmp")
    env = {"PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": pycache}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    daemon = DaemonProcess(state, DRIVER, env=env)
    out: dict[str, Any] = {"label": label}
    try:
        daemon.start(timeout=120)
        assert daemon.proc is not None
        out["rss_idle"] = rss(daemon.proc.pid)
        vm, out["populate_s"] = populate(daemon, vms, clients)
        out["rss"] = rss(daemon.proc.pid)
        out["rss_peak"] = rss(daemon.proc.pid, "VmHWM")  # the saves and snapshots while filling included
        print(f"  [{label}] {vms} running after {out['populate_s']:.0f} s; RSS {out['rss'] / 2**20:.0f} MiB",
              flush=True)  # fmt: skip
        for codec in ("xml", "json"):
            out[codec] = getter_beside_big(daemon.port, vm, codec)
            print(f"  [{label}] get_power_state beside get_all_records ({codec}): {out[codec]}", flush=True)
        daemon.proc.send_signal(signal.SIGKILL)
        daemon.proc.wait()
        t = time.perf_counter()
        daemon.start(timeout=600)
        out["listen_s"] = time.perf_counter() - t
        out["running_after"] = count_running(daemon)  # a login and a query: the API answers
        out["restart_s"] = time.perf_counter() - t
        out["rss_restarted"] = rss(daemon.proc.pid)
        time.sleep(out["restart_s"])  # the work start-up leaves for later (agents, older history) settles
        out["rss_settled"] = rss(daemon.proc.pid)
        print(f"  [{label}] restart after SIGKILL: listening in {out['listen_s']:.1f} s, API answering in "
              f"{out['restart_s']:.1f} s, {out['running_after']} running, RSS {out['rss_restarted'] / 2**20:.0f} MiB "
              f"({out['rss_settled'] / 2**20:.0f} MiB {out['restart_s']:.0f} s later)", flush=True)  # fmt: skip
    finally:
        daemon.stop()
        shutil.rmtree(state, ignore_errors=True)
        shutil.rmtree(pycache, ignore_errors=True)
    return out


def export_branch(branch: str) -> Path:
    root = Path(tempfile.mkdtemp(prefix="xeniatree", dir="/tmp"))
    archive = subprocess.run(["git", "archive", branch], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vms", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--against", default=None, help="also measure this git branch (e.g. main)")
    args = parser.parse_args()
    print(f"xenia scale bench: {args.vms} running sim VMs, {os.cpu_count()} CPUs", flush=True)
    results = [measure("this tree", None, args.vms, args.clients)]
    if args.against:
        tree = export_branch(args.against)
        try:
            results.append(measure(args.against, tree / "src", args.vms, args.clients))
        finally:
            shutil.rmtree(tree, ignore_errors=True)
    print()
    print(f"{'':>44} | " + " | ".join(f"{r['label']:>12}" for r in results))
    rows: list[tuple[str, Any]] = [
        ("daemon RSS (MiB)", lambda r: f"{r['rss'] / 2**20:.0f}"),
        ("daemon peak RSS while filling (MiB)", lambda r: f"{r['rss_peak'] / 2**20:.0f}"),
        ("RSS per running VM (KiB, above idle)", lambda r: f"{(r['rss'] - r['rss_idle']) / args.vms / 1024:.1f}"),
        ("populate: clone+start/s", lambda r: f"{args.vms / r['populate_s']:.0f}"),
        ("get_power_state p99 beside XML get_all (ms)", lambda r: f"{r['xml']['p99_ms']:.1f}"),
        ("get_power_state max beside XML get_all (ms)", lambda r: f"{r['xml']['max_ms']:.1f}"),
        ("XML get_all_records (s)", lambda r: f"{r['xml']['big_s']:.2f}"),
        ("get_power_state p99 beside JSON get_all (ms)", lambda r: f"{r['json']['p99_ms']:.1f}"),
        ("JSON get_all_records (s)", lambda r: f"{r['json']['big_s']:.2f}"),
        ("restart after SIGKILL, listening (s)", lambda r: f"{r['listen_s']:.1f}"),
        ("restart after SIGKILL, API answering (s)", lambda r: f"{r['restart_s']:.1f}"),
        ("VMs running after restart", lambda r: f"{r['running_after']}"),
        ("RSS after restart (MiB)", lambda r: f"{r['rss_restarted'] / 2**20:.0f}"),
        ("RSS after restart, settled (MiB)", lambda r: f"{r['rss_settled'] / 2**20:.0f}"),
    ]
    for name, fmt in rows:
        print(f"{name:>44} | " + " | ".join(f"{fmt(r):>12}" for r in results))
    return 0


if __name__ == "__main__":
    sys.exit(run_as_subreaper(main))
