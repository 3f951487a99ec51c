"""A Python client for xenia (and any XenAPI server speaking JSON-RPC), sync and asyncio.

::

    from xenia.client import connect
    with connect() as session:              # $XENIA_URL / config file / local socket
        for ref in session.xenapi.VM.get_all():
            print(session.xenapi.VM.get_name_label(ref))

    task = session.xenapi.Async.VM.clone(template, "new")
    vm = session.task_result(task)          # waits (event.from, else polling)

``session.xenapi.Class.message(args)`` reads as with the XenAPI SDK; errors
raise :class:`Failure` (``.code``, ``.params``, ``.details``).  The asyncio
twin is :class:`AsyncSession` / :func:`connect_async`.  Both run on one
sans-I/O core (:mod:`xenia.client.protocol`, :mod:`xenia.client.tasks`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xenia.client.errors import ClientError, ConfigError, ConnectionFailed, Failure, ProtocolError
from xenia.client.settings import DEV_SOCKET, SYSTEM_SOCKET, ConnectionSettings, resolve_settings
from xenia.client.sync import Session, connect
from xenia.client.tasks import EventBatch, EventRecord, TaskRecord, parse_result

if TYPE_CHECKING:
    from xenia.client.aio import AsyncSession, connect_async


def __getattr__(name: str) -> Any:
    """The asyncio half loads on first use: the CLI and other sync callers never pay for importing asyncio."""
    if name in ("AsyncSession", "connect_async"):
        from xenia.client import aio

        return getattr(aio, name)
    raise AttributeError(f"module 'xenia.client' has no attribute {name!r}")


#: kept for callers of the first client, which defaulted to the development socket
DEFAULT_SOCKET = DEV_SOCKET

__all__ = [
    "Session",
    "AsyncSession",
    "connect",
    "connect_async",
    "ConnectionSettings",
    "resolve_settings",
    "TaskRecord",
    "EventRecord",
    "EventBatch",
    "parse_result",
    "ClientError",
    "Failure",
    "ConnectionFailed",
    "ProtocolError",
    "ConfigError",
    "DEFAULT_SOCKET",
    "SYSTEM_SOCKET",
]
