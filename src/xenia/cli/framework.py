"""The frame every xe-style command shares: ``key=value`` arguments, the session, exit codes.

A command is declared once as an :class:`XeCommand` (name, the parameter names
it takes, its handler); :func:`register` adds it to argparse and to the table
the completion script is generated from.  Handlers get a :class:`Context` that
opens the session on first use and caches object lookups for one invocation.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from xenia.cli.errors import print_failure
from xenia.client import ConnectionFailed, ConnectionSettings, Failure, ProtocolError, Session, resolve_settings

#: exit statuses: success, the API said no, the command line was wrong, the daemon was unreachable
EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_CONNECTION = 0, 1, 2, 3


class UsageError(Exception):
    """The arguments are wrong before any call is made (exit status 2)."""


class CliFailure(Exception):
    """Something the user asked for does not exist or cannot be done (exit status 1), found by the CLI itself.

    ``code`` follows xapi's error codes where one fits (``UUID_INVALID``, ``VM_NO_EMPTY_CD_VBD`` ...).
    """

    def __init__(self, message: str, code: str = "") -> None:
        self.code = code
        super().__init__(message)


Handler = Callable[["Context"], int]


@dataclass(frozen=True)
class XeCommand:
    name: str
    help: str
    handler: Handler
    #: parameter names this command takes (for checking and completion)
    params: tuple[str, ...] = ()
    #: parameters that must be given
    required: tuple[str, ...] = ()
    #: any other ``field=value`` is accepted too (filters of the *-list commands, fields of param-set)
    open_params: bool = False
    #: bare words are accepted and collected in ``Context.words`` (event-watch's classes)
    words: str | None = None
    #: the command starts a task: --async and progress options apply
    task: bool = False
    #: the command takes ``--live`` / ``--persistent`` (which configuration a change targets; docs/liveconfig.md)
    scoped: bool = False


#: every registered xe-style command, by name (completion reads it)
COMMANDS: dict[str, XeCommand] = {}


def _common_options(task: bool) -> argparse.ArgumentParser:
    """Options accepted after the command name too; SUPPRESS keeps the main parser's values unless given."""
    p = argparse.ArgumentParser(add_help=False)
    add_global_options(p, argparse.SUPPRESS)
    if task:
        p.add_argument("--async", dest="async_", action="store_true", default=argparse.SUPPRESS,
                       help="start the operation and print its task ref instead of waiting")  # fmt: skip
    return p


def add_global_options(p: argparse.ArgumentParser, default: Any = None) -> None:
    def d(value: Any) -> Any:
        return value if default is None else default

    g = p.add_argument_group("connection")
    g.add_argument("--url", default=d(None), help="http(s)://host:port or a unix socket path (env XENIA_URL)")
    g.add_argument("--user", "-u", default=d(None), help="user name (env XENIA_USER, default root)")
    g.add_argument("--password", "-pw", default=d(None), help="password (env XENIA_PASSWORD)")
    g.add_argument("--config", default=d(None), help="config file (env XENIA_CONFIG, default ~/.config/xenia/cli.toml)")
    o = p.add_argument_group("output")
    o.add_argument("--json", action="store_true", default=d(False), help="machine-readable JSON output")
    o.add_argument("--minimal", action="store_true", default=d(False), help="comma-separated uuids (or first param)")
    o.add_argument("--multiple", action="store_true", default=d(False), help="act on every object that matches")
    o.add_argument("--no-progress", dest="progress", action="store_false", default=d(None),
                   help="never draw a progress bar")  # fmt: skip
    o.add_argument("--progress", dest="progress", action="store_true", default=d(None),
                   help="draw a progress bar even when stderr is not a terminal")  # fmt: skip


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], command: XeCommand) -> None:
    COMMANDS[command.name] = command
    p = sub.add_parser(command.name, help=command.help, description=command.help,
                       parents=[_common_options(command.task)])  # fmt: skip
    metavar = "KEY=VALUE" if not command.words else f"{command.words.upper()}|KEY=VALUE"
    if command.scoped:
        p.add_argument("--live", action="store_true", help="apply to the running VM (with --persistent: both)")
        p.add_argument("--persistent", action="store_true",
                       help="change the configuration the next boot uses (with --live: both)")
    p.add_argument("kv", nargs="*", metavar=metavar, help=f"parameters: {', '.join(command.params) or 'none'}")
    p.set_defaults(handler=run_xe, xe_command=command)


def parse_kv(command: XeCommand, items: list[str]) -> tuple[dict[str, str], list[str]]:
    """``key=value`` items into a dict (checked against the command), and the bare words."""
    kv: dict[str, str] = {}
    words: list[str] = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            if command.words:
                words.append(item)
                continue
            raise UsageError(f"{command.name}: expected KEY=VALUE, got {item!r}")
        if key in kv:
            raise UsageError(f"{command.name}: {key} given twice")
        if not command.open_params and key not in command.params:
            raise UsageError(f"{command.name}: unknown parameter {key!r} (takes: {', '.join(command.params) or 'none'})")
        kv[key] = value
    missing = [k for k in command.required if k not in kv]
    if missing:
        raise UsageError(f"{command.name}: missing {', '.join(f'{k}=' for k in missing)}")
    return kv, words


@dataclass
class Context:
    """One invocation: the parsed options, the ``key=value`` parameters, the session (opened lazily)."""

    args: argparse.Namespace
    command: XeCommand
    kv: dict[str, str]
    words: list[str]
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    _session: Session | None = None
    _records: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    @property
    def json(self) -> bool:
        return bool(self.args.json)

    @property
    def minimal(self) -> bool:
        return bool(self.args.minimal)

    @property
    def async_(self) -> bool:
        return bool(getattr(self.args, "async_", False))

    @property
    def show_progress(self) -> bool:
        if self.args.progress is not None:
            return bool(self.args.progress)
        return self.err.isatty() and not self.json

    def settings(self) -> ConnectionSettings:
        return resolve_settings(url=self.args.url, user=self.args.user, password=self.args.password,
                                config=self.args.config, originator="xenia-cli")  # fmt: skip

    @property
    def session(self) -> Session:
        if self._session is None:
            self._session = open_session(self.settings())
        return self._session

    @property
    def logged_in(self) -> bool:
        return self._session is not None

    def call(self, method: str, *params: Any) -> Any:
        """An API call with the session prepended."""
        return self.session.call_with_session(method, *params)

    def records(self, cls: str) -> dict[str, dict[str, Any]]:
        """``cls.get_all_records()``, fetched once per invocation."""
        if cls not in self._records:
            self._records[cls] = self.call(f"{cls}.get_all_records")
        return self._records[cls]

    def forget(self, cls: str) -> None:
        self._records.pop(cls, None)

    def close(self) -> None:
        if self._session is not None:
            if self.async_:
                # the printed task belongs to this session: logging out would have it collected, so the
                # session is left to expire (as the idle-session limit and the per-originator cap allow)
                self._session.close_connection()
            else:
                try:
                    self._session.close()
                except (Failure, OSError, ProtocolError):  # the command's outcome matters more than a logout
                    self._session.close_connection()
            self._session = None


NO_SERVER_HINT = "no server was given: say where it is with --url URL, XENIA_URL or `url` in the config file"


def open_session(settings: ConnectionSettings) -> Session:
    """A logged-in session.  Over TCP without a password, ask on a terminal, otherwise stop at once.

    Sending an empty password would only earn SESSION_AUTHENTICATION_FAILED after the
    daemon's failed-login delay, and teach the user nothing.
    """
    session = Session.from_settings(settings)
    password = settings.password
    if not password and not session.is_local:
        if not sys.stdin.isatty():
            raise UsageError(f"no password for {settings.user} at {settings.url}: give --password, set XENIA_PASSWORD, "
                             "or `password`/`password_file` in the config file")  # fmt: skip
        password = getpass.getpass(f"password for {settings.user} at {settings.url}: ")
    try:
        session.login(settings.user, password, settings.originator)
    except ConnectionFailed as e:
        session.close_connection()
        if settings.sources.get("url") == "default":
            raise ConnectionFailed(e.url, e.cause, NO_SERVER_HINT) from e
        raise
    except BaseException:
        session.close_connection()
        raise
    return session


def run_xe(args: argparse.Namespace) -> int:
    command: XeCommand = args.xe_command
    kv, words = parse_kv(command, args.kv)
    ctx = Context(args, command, kv, words)
    try:
        return command.handler(ctx)
    except Failure as e:
        print_failure(e, ctx.json, ctx)  # while the session is open: references are shown by name
        return EXIT_FAILURE
    finally:
        ctx.close()
