"""``xenia migrate-receive``: the migration receiver alone, for library use without a daemon.

It opens a driver on a state directory (as ``xenia serve`` would, without the API), listens,
prints one JSON line ``{"address": "HOST:PORT", "token": "..."}`` and takes ``--count``
migrations (a fresh token printed after each), then exits. Arrived VMs stay with the driver:
QEMU processes run on, simulated domains are in the state directory for the next ``xenia serve``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_commands"]


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("migrate-receive", help="receive migrating VMs into a driver, without a daemon")
    p.add_argument("--listen", default="127.0.0.1:0", metavar="HOST:PORT", help="where to listen (port 0: any)")
    p.add_argument("--driver", default="sim", choices=["sim", "qemu"], help="the driver the VMs arrive in")
    p.add_argument("--state-dir", type=Path, default=Path("var"), help="the driver's state directory")
    p.add_argument("--driver-option", action="append", default=[], metavar="KEY=VALUE", help="a driver option")
    p.add_argument("--token", default=None, help="the first token (default: a random one)")
    p.add_argument("--count", type=int, default=1, help="migrations to take before exiting")
    p.set_defaults(handler=_receive)


def _receive(args: argparse.Namespace) -> int:
    return asyncio.run(_serve(args))


async def _serve(args: argparse.Namespace) -> int:
    from xenia.drivers import registry
    from xenia.drivers.qemu import QemuDriver
    from xenia.drivers.sim import SimDriver
    from xenia.migration import Receiver, Sink
    from xenia.migration.qemu import QemuSink
    from xenia.migration.sim import SimSink

    options = dict(opt.split("=", 1) for opt in args.driver_option)
    driver = registry.create(args.driver, args.state_dir.resolve(), options)
    await driver.open()

    async def sink(hello: dict[str, Any]) -> Sink:
        if isinstance(driver, SimDriver):
            return SimSink(driver)
        assert isinstance(driver, QemuDriver)
        return QemuSink(driver)

    host, _, port = args.listen.rpartition(":")
    receiver = Receiver(host or "127.0.0.1", int(port or 0))
    await receiver.start()
    failures = 0
    try:
        token = args.token
        for _ in range(args.count):
            ticket = receiver.expect(sink, token=token, ttl=365 * 86400.0)
            token = None
            address = f"{receiver.address[0]}:{receiver.address[1]}"
            print(json.dumps({"address": address, "token": ticket.token}), flush=True)
            try:
                done = await ticket.outcome
                print(json.dumps({"received": done}), flush=True)
            except Exception as exc:
                failures += 1
                print(f"xenia: incoming migration failed: {exc!r}", file=sys.stderr, flush=True)
    finally:
        await receiver.close()
        await driver.close()
    return 1 if failures else 0
