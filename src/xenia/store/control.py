"""CONTROL (type 0) commands: xenstore-control's few, plus xenia's own.

CONTROL is implementation-defined, so xenia uses it for what the wire protocol lacks: acting as another
domain (tests play guests over one socket), counters, the conflict mode, index lookups and the history.
All commands are privileged. Outputs that may exceed one payload are paged: ``history <offset> <cmd>
...`` answers ``M`` (more follows) or ``E`` (end) then up to :data:`PAGE` bytes from ``offset``.
"""

from __future__ import annotations

import datetime as dt

from . import history as hist
from . import paths
from .engine import Engine, Mode, Session
from .errors import XsError

__all__ = ["PAGE", "run"]

PAGE = 4000

HELP = """\
act-as <domid>           act as that domain on this connection (0 = dom0 again)
stats                    transaction counters
mode [merge|strict]      show or set the conflict rule
index-name <name>        domids named <name>
index-uuid <uuid>        domids of VM <uuid>
history <offset> log [path] | show <seq> | diff <a> <b> | at <time> <path>
export <dir>             write the retained history as a git repository
snapshot                 write a snapshot now and truncate the journal
check | help | log | logfile | memreport | print | quota
"""


def _text(engine: Engine, cmd: str, args: list[str]) -> str:
    h = engine.history
    try:
        if cmd == "log" and len(args) <= 1:
            path = paths.resolve(args[0], 0) if args else None
            return hist.format_log(h, path)
        if cmd == "show" and len(args) == 1:
            return hist.format_show(h, int(args[0]))
        if cmd == "diff" and len(args) == 2:
            return hist.format_diff(h, int(args[0]), int(args[1]))
        if cmd == "at" and len(args) == 2:
            when = _parse_time(args[0])
            commit = h.at(when)
            if commit is None:
                raise XsError("ENOENT", "no commit that old is retained")
            return f"# commit {commit.seq} {commit.stamp()}\n" + hist.format_subtree(
                commit.root, paths.resolve(args[1], 0)
            )
    except (KeyError, ValueError):
        raise XsError("ENOENT", "no such commit retained") from None
    raise XsError("EINVAL", f"bad history command {cmd} {args}")


def _parse_time(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        pass
    when = dt.datetime.fromisoformat(text)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.timestamp()


def _history(engine: Engine, args: list[str]) -> bytes:
    if len(args) < 2 or not args[0].isdigit():
        raise XsError("EINVAL", "history <offset> <command> ...")
    offset = int(args[0])
    data = _text(engine, args[1], args[2:]).encode()
    chunk = data[offset : offset + PAGE]
    more = offset + PAGE < len(data)
    return (b"M" if more else b"E") + chunk


def run(engine: Engine, s: Session, fields: list[bytes]) -> bytes:
    """Execute one CONTROL request; returns the reply payload."""
    if not s.privileged and not (fields and fields[0] == b"act-as" and s.domid == 0):
        raise XsError("EACCES")
    if not fields:
        raise XsError("EINVAL")
    args = [f.decode("utf-8", "replace") for f in fields]
    cmd, rest = args[0], args[1:]
    if cmd == "act-as" and len(rest) == 1 and rest[0].isdigit():
        s.domid = int(rest[0])
        return b"OK\0"
    if cmd == "stats":
        return engine.stats.text().encode() + b"\0"
    if cmd == "mode":
        if rest:
            try:
                engine.mode = Mode(rest[0])
            except ValueError:
                raise XsError("EINVAL", "mode is merge or strict") from None
        return engine.mode.value.encode() + b"\0"
    if cmd in ("index-name", "index-uuid") and len(rest) == 1:
        found = engine.lookup_name(rest[0]) if cmd == "index-name" else engine.lookup_uuid(rest[0])
        return " ".join(map(str, found)).encode() + b"\0"
    if cmd == "history":
        return _history(engine, rest)
    hook = engine.control_hooks.get(cmd)
    if hook is not None:
        return hook(rest).encode() + b"\0"
    if cmd == "help":
        return HELP.encode() + b"\0"
    if cmd in ("check", "log", "logfile", "memreport", "print", "quota", "quota-soft"):
        return b"OK\0"
    raise XsError("EINVAL", f"unknown control command {cmd}")
