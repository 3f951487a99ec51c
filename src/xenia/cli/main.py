"""Entry point of the ``xenia`` command: subcommands are registered by their modules.

Exit statuses: 0 success; 1 the API (or the CLI on its behalf) refused — the
error code and parameters are printed as xe does; 2 usage error (bad arguments,
bad config); 3 the daemon could not be reached or answered gibberish.
"""

from __future__ import annotations

import argparse
import os
import sys

from xenia.cli.framework import EXIT_CONNECTION, EXIT_FAILURE, EXIT_USAGE, CliFailure, UsageError, add_global_options
from xenia.client import ConfigError, ConnectionFailed, Failure, ProtocolError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xenia",
        description="xenia: a XenAPI toolstack. Commands follow xe: `xenia vm-list power-state=running params=all`.",
    )
    add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from xenia.cli import completion, events, metrics, objects, serve, sim, user, vm

    serve.add_commands(sub)
    sim.add_commands(sub)
    user.add_commands(sub)
    objects.add_commands(sub)
    vm.add_commands(sub)
    events.add_commands(sub)
    metrics.add_commands(sub)
    completion.add_commands(sub)
    from xenia.store import cli as store_cli

    store_cli.add_commands(sub)
    return parser


def print_failure(e: Failure, json_output: bool) -> None:
    """As xe prints an API error: the code, then the parameters."""
    if json_output:
        from xenia.cli.output import print_json

        print_json(sys.stderr, {"error": e.code, "params": e.params})
        return
    print(f"Error code: {e.code}", file=sys.stderr)
    print(f"Error parameters: {', '.join(e.params)}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
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
