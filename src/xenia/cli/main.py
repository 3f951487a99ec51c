"""Entry point of the ``xenia`` command: subcommands are registered by their modules.

Exit statuses: 0 success; 1 the API (or the CLI on its behalf) refused — the
error code and parameters are printed as xe does; 2 usage error (bad arguments,
bad config); 3 the daemon could not be reached or answered gibberish.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from typing import Any

from xenia.cli.errors import print_failure
from xenia.cli.framework import EXIT_CONNECTION, EXIT_FAILURE, EXIT_USAGE, CliFailure, UsageError, add_global_options
from xenia.client import ConfigError, ConnectionFailed, Failure, ProtocolError


class Parser(argparse.ArgumentParser):
    """argparse, except that an unknown command names the nearest ones instead of all hundred."""

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if isinstance(action, argparse._SubParsersAction) and value not in action.choices:
            near = difflib.get_close_matches(value, list(action.choices), n=5, cutoff=0.6)
            near += [c for c in action.choices if value in c and c not in near][: 8 - len(near)]
            hint = f"; did you mean {', '.join(near)}?" if near else "; `xenia --help` lists the commands"
            raise argparse.ArgumentError(action, f"unknown command {value!r}{hint}")
        super()._check_value(action, value)


def build_parser(serve_only: bool = False) -> argparse.ArgumentParser:
    """The whole command line; ``serve_only``: just ``serve`` (the daemon's start-up does not import
    the hundred other commands' modules: some 0.15 s of a restart, issue 12)."""
    parser = Parser(
        prog="xenia",
        description="xenia: a XenAPI toolstack. Commands follow xe: `xenia vm-list power-state=running params=all`.",
    )
    add_global_options(parser)
    # subcommands are plain parsers: the nearest-match check is only for the command name
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=argparse.ArgumentParser)
    from xenia.cli import serve

    serve.add_commands(sub)
    if serve_only:
        return parser
    from xenia.cli import completion, events, metrics, migrate, objects, pool, sim, storage, transfer, user, vm

    migrate.add_commands(sub)
    pool.add_commands(sub)
    sim.add_commands(sub)
    user.add_commands(sub)
    objects.add_commands(sub)
    vm.add_commands(sub)
    storage.add_commands(sub)
    transfer.add_commands(sub)
    events.add_commands(sub)
    metrics.add_commands(sub)
    completion.add_commands(sub)
    from xenia.store import cli as store_cli

    store_cli.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    parser = build_parser(serve_only=words[:1] == ["serve"])
    args, extra = parser.parse_known_args(argv)
    # key=value words after an option (``vm=a --multiple force=true``) belong to the command, as in xe
    if extra and all("=" in word and not word.startswith("-") for word in extra) and hasattr(args, "kv"):
        args.kv = [*args.kv, *extra]
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        result: int = handler(args)
    except Failure as e:
        print_failure(e, bool(getattr(args, "json", False)))
        return EXIT_FAILURE
    except CliFailure as e:
        print(f"xenia: {e}", file=sys.stderr)
        return EXIT_FAILURE
    except (UsageError, ConfigError) as e:
        print(f"xenia: {e}", file=sys.stderr)
        return EXIT_USAGE
    except (ConnectionFailed, ProtocolError) as e:
        print(f"xenia: {e}", file=sys.stderr)
        return EXIT_CONNECTION
    except KeyboardInterrupt:
        print("xenia: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `xenia vm-list | head`: the reader left; keep Python's exit-time flush from complaining
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return result


if __name__ == "__main__":
    sys.exit(main())
