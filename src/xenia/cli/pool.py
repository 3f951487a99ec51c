"""``xenia pool-up``: a pool to try on one machine: a local etcd and several ``xenia serve`` members.

Member i listens on 127.0.0.<i>:<port> (every loopback address is this machine), so each host has
an address of its own, as in a real pool: a login to a member that is not the master answers
``HOST_IS_SLAVE`` with the master's address, and the same port works there.  ``--etcd`` points the
members at an existing cluster instead of starting one (docs/pools.md).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("pool-up", help="start a local etcd and a pool of xenia daemons (Ctrl-C stops them)")
    p.add_argument("--state-dir", type=Path, default=Path("var/pool"), help="one directory per member, and etcd's")
    p.add_argument("--hosts", type=int, default=3, help="how many members")
    p.add_argument("--port", type=int, default=8080, help="the API port of every member (on 127.0.0.<n>)")
    p.add_argument("--etcd", default="", metavar="URL[,URL...]", help="an existing etcd cluster (default: start one)")
    p.add_argument("--etcd-port", type=int, default=23790, help="client port of the local etcd (peers: the next)")
    p.add_argument("--driver", default="sim", choices=["sim", "qemu"])
    p.add_argument("--pool-host-timeout", type=int, default=30, help="seconds before a silent member counts as failed")
    p.set_defaults(handler=run)


def _wait_listening(proc: subprocess.Popen[bytes], address: str, port: int, log: Path) -> None:
    import socket

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"a member exited with {proc.returncode}; see {log}")
        try:
            with socket.create_connection((address, port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"a member did not start in time; see {log}")


def run(args: argparse.Namespace) -> int:
    from xenia.pool.localetcd import EtcdCluster

    state = args.state_dir.resolve()
    state.mkdir(parents=True, exist_ok=True)
    cluster = None
    endpoints = args.etcd
    if not endpoints:
        cluster = EtcdCluster(state / "etcd", 1, base_port=args.etcd_port).start()
        endpoints = cluster.endpoints
    members: list[subprocess.Popen[bytes]] = []
    try:
        for i in range(1, args.hosts + 1):
            address = f"127.0.0.{i}"
            member_dir = state / f"host{i}"
            member_dir.mkdir(parents=True, exist_ok=True)
            log = member_dir / "daemon.log"
            argv = [sys.executable, "-m", "xenia.cli.main", "serve", "--state-dir", str(member_dir),
                    "--listen", f"{address}:{args.port}", "--driver", args.driver, "--etcd", endpoints,
                    "--pool-host-timeout", str(args.pool_host_timeout)]  # fmt: skip
            with open(log, "ab") as out:
                members.append(subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True))
            _wait_listening(members[-1], address, args.port, log)
            print(f"host{i}: http://{address}:{args.port}  (log {log})", flush=True)
        password = os.environ.get("XENIA_ROOT_PASSWORD") or _read(state / "host1" / "root-password")
        print(f"pool master: http://127.0.0.1:{args.port}  user root, password {password or '(as set before)'}")
        print(f"etcd: {endpoints}   Ctrl-C stops the pool", flush=True)
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
        while all(m.poll() is None for m in members):
            time.sleep(0.5)
        print("a member stopped; stopping the pool", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        for m in reversed(members):
            if m.poll() is None:
                m.send_signal(signal.SIGTERM)
        for m in members:
            try:
                m.wait(timeout=30)
            except subprocess.TimeoutExpired:
                m.kill()
        if cluster is not None:
            cluster.stop()


def _read(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return ""
