"""``xenia sim``: the simulator as a service for any language's tests (Go, Node, C, Ansible, CI jobs).

It is :class:`xenia.testing.Simulator` (the ``xenia serve`` daemon, state in memory) in the
foreground: it makes what a scenario file describes, prints where to connect, and serves until
SIGTERM or SIGINT.  ``--json`` prints the connection details as one JSON line instead, for scripts.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xenia.testing.scenario import Scenario
    from xenia.testing.simulator import Simulator


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("sim", help="serve a simulated XenAPI host from a scenario file (for tests and CI)")
    p.add_argument("--scenario", type=Path, default=None, help="TOML (or YAML) file: host, templates, VMs, faults")
    p.add_argument("--listen", default=None, help="TCP HOST:PORT (default 127.0.0.1:8080; port 0 picks a free one)")
    p.add_argument("--password", default=None,
                   help="root's password (default: the scenario's, $XENIA_ROOT_PASSWORD, else 'xenia')")  # fmt: skip
    p.add_argument("--state-dir", type=Path, default=None, help="keep state there (default: in memory, thrown away)")
    p.add_argument("--fault", action="append", default=[], metavar="NAME=ACTION",
                   help="arm a fault point (as in the scenario's [faults]), e.g. vm.create=fail")  # fmt: skip
    p.add_argument("--guest-delay", type=float, default=0.05, help="seconds a simulated guest takes to shut down")
    p.add_argument("--json", action="store_true", help="print the connection details as one JSON line")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from xenia.cli.framework import UsageError
    from xenia.testing import scenario as sc
    from xenia.testing.simulator import DEFAULT_PASSWORD, Simulator

    try:
        scenario = sc.load(args.scenario) if args.scenario is not None else sc.Scenario()
        if args.fault:
            scenario = replace(scenario, faults=scenario.faults + sc.Scenario.from_dict({"faults": args.fault}).faults)
    except (sc.ScenarioError, OSError) as e:
        raise UsageError(str(e)) from None
    password = args.password or scenario.password or os.environ.get("XENIA_ROOT_PASSWORD") or DEFAULT_PASSWORD
    options = {**scenario.host.driver_options(), "guest-delay": str(args.guest_delay)}
    listen = args.listen or scenario.listen or "127.0.0.1:8080"
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    with Simulator(args.state_dir, password=password, listen=listen, driver_options=options) as sim:
        sim.run(sc.apply(sim.daemon, scenario), timeout=300)
        _announce(sim, scenario, args)
        stop.wait()
    return 0


def _announce(sim: Simulator, scenario: Scenario, args: argparse.Namespace) -> None:
    if args.json:
        print(json.dumps({"url": sim.url, "username": sim.username, "password": sim.password,
                          "socket": str(sim.socket_path), "jsonrpc": f"{sim.url}/jsonrpc"}), flush=True)  # fmt: skip
        return
    vms = sum(v.count for v in scenario.vms)
    source = f"scenario {args.scenario}" if args.scenario else "no scenario"
    print("\n".join([
        f"xenia sim: XenAPI at {sim.url}/ (XML-RPC) and {sim.url}/jsonrpc (JSON-RPC)",
        f"xenia sim: log in as {sim.username} with password {sim.password}",
        f"xenia sim: local socket {sim.socket_path} (root without a password)",
        f"xenia sim: {source}: {vms} VMs, {len(scenario.templates)} extra templates, {len(scenario.faults)} fault points",
        "xenia sim: ready (SIGTERM or Ctrl-C stops it)",
    ]), flush=True)  # fmt: skip
