"""``xenia store-*`` subcommands. :func:`add_commands` registers them on xenia's parser.

``store-serve`` runs the daemon alone; the history commands talk to a running daemon over its socket
(CONTROL ``history`` / ``export``), found with ``--socket``, ``$XENSTORED_PATH`` or
``<state-dir>/xenstored.sock``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from pathlib import Path

from .engine import Mode
from .errors import XsError
from .history import Retention
from .sockclient import SyncClient, socket_path

__all__ = ["add_commands", "main"]


def _serve(args: argparse.Namespace) -> int:
    from .server import StoreServer

    async def run() -> None:
        retention = Retention(recent=args.history_recent, budget=int(args.history_budget_mib * 2**20))
        server = await StoreServer.start(
            Path(args.state_dir), Path(args.socket) if args.socket else None, mode=Mode(args.mode), retention=retention
        )
        print(f"xenia store listening on {server.socket_path}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        await server.close()

    from .persist import JournalError

    logging.basicConfig(level=logging.INFO)
    try:
        asyncio.run(run())
    except JournalError as exc:
        print(f"xenia store-serve: cannot load the store's state: {exc}", file=sys.stderr)
        return 1
    return 0


def _client(args: argparse.Namespace) -> SyncClient:
    return SyncClient(socket_path(args.socket, args.state_dir))


def _history(*cmd: str) -> object:
    def handler(args: argparse.Namespace) -> int:
        values = [str(getattr(args, name)) for name in cmd[1:] if getattr(args, name) is not None]
        try:
            with _client(args) as c:
                sys.stdout.write(c.history(cmd[0], *values))
        except (OSError, XsError) as exc:
            print(f"xenia {cmd[0]}: {exc}", file=sys.stderr)
            return 1
        return 0

    return handler


def _export(args: argparse.Namespace) -> int:
    try:
        with _client(args) as c:
            print(c.control("export", str(Path(args.dir).resolve())).decode())
    except (OSError, XsError) as exc:
        print(f"xenia store-export: {exc}", file=sys.stderr)
        return 1
    return 0


def add_commands(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``store-serve``, ``store-log``, ``store-show``, ``store-diff``, ``store-at``,
    ``store-export`` on xenia's command line."""

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--state-dir", default="var", help="state directory (default ./var)")
        p.add_argument("--socket", help="store socket (default $XENSTORED_PATH or <state-dir>/xenstored.sock)")

    p = subparsers.add_parser("store-serve", help="run the xenstore-compatible store daemon alone")
    common(p)
    p.add_argument("--mode", choices=[m.value for m in Mode], default="merge", help="transaction conflict rule")
    p.add_argument("--history-recent", type=int, default=Retention.recent, help="recent commits all kept (default %(default)s)")
    p.add_argument(
        "--history-budget-mib", type=float, default=Retention.budget / 2**20,
        help="estimated memory of the retained history, MiB (default %(default)s)",
    )  # fmt: skip
    p.set_defaults(handler=_serve)

    p = subparsers.add_parser("store-log", help="list retained store commits, newest first")
    common(p)
    p.add_argument("path", nargs="?", help="only commits that changed this path or below")
    p.set_defaults(handler=_history("log", "path"))

    p = subparsers.add_parser("store-show", help="show one store commit and its changes")
    common(p)
    p.add_argument("commit", type=int)
    p.set_defaults(handler=_history("show", "commit"))

    p = subparsers.add_parser("store-diff", help="changes between two store commits")
    common(p)
    p.add_argument("a", type=int)
    p.add_argument("b", type=int)
    p.set_defaults(handler=_history("diff", "a", "b"))

    p = subparsers.add_parser("store-at", help="a subtree as it was at a time (ISO 8601 or epoch seconds)")
    common(p)
    p.add_argument("time")
    p.add_argument("path")
    p.set_defaults(handler=_history("at", "time", "path"))

    p = subparsers.add_parser("store-export", help="write the retained store history as a git repository")
    common(p)
    p.add_argument("dir")
    p.set_defaults(handler=_export)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="xenia-store")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    with contextlib.suppress(BrokenPipeError):
        result: int = args.handler(args)
        return result
    return 0


if __name__ == "__main__":
    sys.exit(main())
