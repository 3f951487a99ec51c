"""Entry point of the ``xenia`` command: subcommands are registered by their modules."""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xenia", description="xenia: a XenAPI toolstack")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from xenia.cli import serve, user
    from xenia.store import cli as store_cli

    serve.add_commands(sub)
    user.add_commands(sub)
    store_cli.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    result: int = handler(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
