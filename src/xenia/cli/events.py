"""``task-cancel`` and ``event-watch``: the task and event side of the CLI (``task-list`` is generic)."""

from __future__ import annotations

import argparse
from typing import Any

import orjson

from xenia.cli.framework import Context, UsageError, XeCommand, register
from xenia.cli.objects import by_uuid


def task_cancel(ctx: Context) -> int:
    ref, _ = by_uuid(ctx, "task", ctx.kv["uuid"])
    ctx.call("task.cancel", ref)
    return 0


def _describe(event: dict[str, Any]) -> str:
    snapshot = event.get("snapshot") or {}
    who = snapshot.get("uuid") or event.get("ref", "")
    extra = []
    for key in ("name_label", "power_state", "status"):
        if key in snapshot and snapshot[key] != "":
            extra.append(f"{key.replace('_', '-')}={snapshot[key]}")
    if "progress" in snapshot and snapshot.get("status") == "pending":
        extra.append(f"progress={snapshot['progress']}")
    return " ".join([event.get("id", ""), event.get("class", ""), event.get("operation", ""), who, *extra]).strip()


def event_watch(ctx: Context) -> int:
    """Print events as they come: one line each, or one JSON object per line with --json."""
    classes = ctx.words or ["*"]
    try:
        count = int(ctx.kv.get("count", "0"))
        timeout = float(ctx.kv.get("timeout", "30"))
    except ValueError as e:
        raise UsageError(f"event-watch: {e}") from None
    token = ctx.kv.get("token", "")
    # without a token the first answer is the current state, an ``add`` per object: printed, never counted,
    # so count=N waits for N changes
    dump = not token
    seen = 0
    while True:
        batch = ctx.session.event_from(classes, token, timeout)
        token = batch["token"]
        for event in batch["events"]:
            line = orjson.dumps(event).decode() if ctx.json else _describe(dict(event))
            ctx.out.write(line + "\n")
            seen += 0 if dump else 1
            if count and seen >= count:
                ctx.out.flush()
                return 0
        dump = False
        ctx.out.flush()


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    register(sub, XeCommand("task-cancel", "ask a running task to stop (uuid= or its ref)", task_cancel,
                            params=("uuid",), required=("uuid",)))  # fmt: skip
    register(sub, XeCommand("event-watch", "print the objects, then their changes: [CLASS|CLASS/REF ...] [count=N changes] [timeout=S]",
                            event_watch, params=("count", "timeout", "token"), words="classes"))  # fmt: skip
