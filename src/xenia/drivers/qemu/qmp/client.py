"""An asyncio QMP client with an explicit connection lifecycle.

Modelled on the shape of QEMU's own ``qemu.qmp`` library (runstates, a ``require`` guard, errors
that keep their cause, an upper half called by users and a bottom half run by the reader task),
written for xenia's needs:

* **Events go to handlers, never into an unbounded buffer.** ``qemu.qmp`` queues every event on a
  listener that cannot be removed; a daemon keeping one connection per VM for months must not.
  Here a handler is a plain callable invoked on the event loop for each event; whoever wants a
  queue builds one with the size it can afford (see :class:`EventQueue`).
* **Disconnection is a state, not an exception from ``disconnect()``.** When QEMU quits or dies,
  every waiting command fails with :class:`DisconnectedError`, ``on_disconnect`` runs once, and
  the client returns to :attr:`Runstate.IDLE`. ``disconnect()`` never raises.

Runstates::

    IDLE --connect()--> CONNECTING --greeting+qmp_capabilities--> RUNNING
      ^                     |  (failure: ConnectError, back to IDLE)   |
      +----------- DISCONNECTING <--- disconnect() / EOF / reset ------+
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import functools
import itertools
import os
import socket
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, ParamSpec, TypeVar

from xenia.drivers.qemu.qmp.errors import (
    ConnectError,
    DisconnectedError,
    ExecuteError,
    ProtocolError,
    QMPError,
    StateError,
)
from xenia.drivers.qemu.qmp.framing import (
    Decoder,
    ErrorReply,
    Event,
    Greeting,
    Return,
    encode_command,
)

__all__ = ["EventHandler", "EventQueue", "QMPClient", "Runstate", "require"]

P = ParamSpec("P")
R = TypeVar("R")

#: ``handler(event)``, called on the event loop; must be quick and must not raise.
EventHandler = Callable[[Event], None]


class Runstate(enum.Enum):
    """Where the client is in its connection lifecycle."""

    IDLE = "idle"
    CONNECTING = "connecting"
    RUNNING = "running"
    DISCONNECTING = "disconnecting"


def require(
    state: Runstate,
) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Awaitable[R]]]:
    """Decorate an upper-half coroutine method so it raises :class:`StateError` outside ``state``."""

    def decorator(func: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
        @functools.wraps(func)
        async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            self = args[0]
            assert isinstance(self, QMPClient)
            if self.runstate is not state:
                raise StateError(
                    f"{func.__name__}() needs the client {state.value}, it is {self.runstate.value}",
                    self.runstate,
                    state,
                )
            return await func(*args, **kwargs)

        return wrapper

    return decorator


def upper_half(func: Callable[P, R]) -> Callable[P, R]:
    """Marker: runs in the caller's task."""
    return func


def bottom_half(func: Callable[P, R]) -> Callable[P, R]:
    """Marker: runs in the client's reader task."""
    return func


class QMPClient:
    """One connection to one QEMU monitor.

    :param name: a label for error messages and logs (usually the VM uuid).
    :param on_disconnect: called once (on the loop) each time a RUNNING connection ends, with the
        exception that ended it (``None`` for a requested :meth:`disconnect`).
    """

    def __init__(self, name: str = "qmp", *, on_disconnect: Callable[[BaseException | None], None] | None = None):
        self.name = name
        #: The greeting of the current connection (``None`` before the first connect).
        self.greeting: Greeting | None = None
        self._runstate = Runstate.IDLE
        self._on_disconnect = on_disconnect
        self._handlers: list[EventHandler] = []
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._reader_task: asyncio.Task[None] | None = None
        self._write_lock = asyncio.Lock()

    # ------------------------------------------------------------------------------------------
    # Public interface

    @property
    def runstate(self) -> Runstate:
        """The current :class:`Runstate`."""
        return self._runstate

    def add_event_handler(self, handler: EventHandler) -> Callable[[], None]:
        """Call ``handler`` for every event from now on; returns a function that removes it."""
        self._handlers.append(handler)

        def remove() -> None:
            with contextlib.suppress(ValueError):
                self._handlers.remove(handler)

        return remove

    @upper_half
    @require(Runstate.IDLE)
    async def connect(self, target: str | socket.socket, *, timeout: float = 30.0) -> None:
        """Connect to a monitor, read its greeting and negotiate capabilities.

        :param target: a unix socket path, or an already-connected stream socket (used when the
            path is too long for ``sockaddr_un``, or the caller made the socket itself).
        :param timeout: overall deadline for connect + greeting + negotiation, in seconds.
        :raises ConnectError: anything failed; the client is back in IDLE and ``.exc`` says why.
        """
        self._runstate = Runstate.CONNECTING
        try:
            async with asyncio.timeout(timeout):
                if isinstance(target, socket.socket):
                    reader, writer = await asyncio.open_unix_connection(sock=target)
                else:
                    reader, writer = await asyncio.open_unix_connection(target)
                self._reader, self._writer = reader, writer
                self.greeting = await self._read_greeting(reader)
                self._reader_task = asyncio.create_task(self._bh_read_loop(), name=f"qmp-reader-{self.name}")
                self._runstate = Runstate.RUNNING
                await self._execute("qmp_capabilities", None)
        except asyncio.CancelledError:
            await self._teardown(None, notify=False)
            raise
        except (OSError, QMPError, EOFError, TimeoutError) as exc:
            await self._teardown(None, notify=False)
            raise ConnectError(f"cannot connect QMP monitor of {self.name}", exc) from exc

    @upper_half
    @require(Runstate.RUNNING)
    async def execute(self, command: str, arguments: dict[str, Any] | None = None) -> Any:
        """Run one command and return its ``return`` value.

        :raises ExecuteError: QEMU answered with an error.
        :raises DisconnectedError: the connection ended before the reply.
        """
        return await self._execute(command, arguments)

    @upper_half
    @require(Runstate.RUNNING)
    async def execute_with_fd(self, command: str, arguments: dict[str, Any] | None, fd: int) -> Any:
        """Run one command with file descriptor ``fd`` attached (SCM_RIGHTS), e.g. ``getfd``.

        QEMU takes the descriptor from the same ``sendmsg`` as the command's bytes, so the
        message is sent directly on the socket, after the stream's buffer has drained.
        """
        writer = self._writer
        if writer is None:
            raise DisconnectedError(f"{self.name}: not connected")
        msg_id = next(self._ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[msg_id] = future
        try:
            async with self._write_lock:
                await writer.drain()
                raw = writer.get_extra_info("socket")
                with socket.socket(fileno=os.dup(raw.fileno())) as sock:
                    socket.send_fds(sock, [encode_command(command, arguments, msg_id)], [fd])
        except (OSError, RuntimeError) as exc:
            self._pending.pop(msg_id, None)
            raise DisconnectedError(f"{self.name}: cannot send {command}", exc) from exc
        try:
            reply = await future
        finally:
            self._pending.pop(msg_id, None)
        if isinstance(reply, ErrorReply):
            raise ExecuteError(command, reply.error_class, reply.desc)
        return reply

    @upper_half
    async def disconnect(self) -> None:
        """Close the connection (if any) and return to IDLE. Never raises; idempotent."""
        await self._teardown(None, notify=True)

    # ------------------------------------------------------------------------------------------
    # Session machinery

    async def _read_greeting(self, reader: asyncio.StreamReader) -> Greeting:
        decoder = Decoder()
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                raise EOFError("connection closed before the QMP greeting")
            messages = decoder.feed(chunk)
            if messages:
                first = messages[0]
                if not isinstance(first, Greeting) or len(messages) > 1 or decoder.pending:
                    raise ProtocolError(f"expected a lone QMP greeting, got {messages!r}")
                return first

    async def _execute(self, command: str, arguments: dict[str, Any] | None) -> Any:
        writer = self._writer
        if writer is None:
            raise DisconnectedError(f"{self.name}: not connected")
        msg_id = next(self._ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[msg_id] = future
        try:
            async with self._write_lock:
                writer.write(encode_command(command, arguments, msg_id))
                await writer.drain()
        except (OSError, RuntimeError) as exc:
            self._pending.pop(msg_id, None)
            raise DisconnectedError(f"{self.name}: cannot send {command}", exc) from exc
        try:
            reply = await future
        finally:
            self._pending.pop(msg_id, None)
        if isinstance(reply, ErrorReply):
            raise ExecuteError(command, reply.error_class, reply.desc)
        return reply

    async def _teardown(self, exc: BaseException | None, *, notify: bool) -> None:
        """Return to IDLE from any state, failing every waiting command."""
        was_running = self._runstate is Runstate.RUNNING
        if self._runstate is Runstate.IDLE:
            return
        self._runstate = Runstate.DISCONNECTING
        task, self._reader_task = self._reader_task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        writer, self._writer, self._reader = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
        pending, self._pending = self._pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(DisconnectedError(f"{self.name}: connection closed", exc))
        self._runstate = Runstate.IDLE
        if notify and was_running and self._on_disconnect is not None:
            self._on_disconnect(exc)

    # ------------------------------------------------------------------------------------------
    # Bottom half

    @bottom_half
    async def _bh_read_loop(self) -> None:
        reader = self._reader
        assert reader is not None
        decoder = Decoder()
        ended: BaseException
        try:
            while True:
                chunk = await reader.read(65536)
                if not chunk:
                    ended = EOFError("QEMU closed the monitor")
                    break
                for message in decoder.feed(chunk):
                    self._bh_dispatch(message)
        except asyncio.CancelledError:
            raise
        except (OSError, ProtocolError) as exc:
            ended = exc
        # Detach ourselves first so the teardown does not try to cancel the running task.
        self._reader_task = None
        await self._teardown(ended, notify=True)

    @bottom_half
    def _bh_dispatch(self, message: object) -> None:
        if isinstance(message, Event):
            for handler in list(self._handlers):
                handler(message)
            return
        if isinstance(message, Return | ErrorReply):
            future = self._pending.get(message.id) if isinstance(message.id, int) else None
            if future is not None and not future.done():
                future.set_result(message.value if isinstance(message, Return) else message)


class EventQueue:
    """A bounded queue of events for code that wants to *wait* for them (tests, the driver).

    Attach with :meth:`attach`; when full the oldest event is dropped, so a forgotten queue can
    never grow without bound.

    :param names: only keep events with these names (all events if empty).
    :param maxlen: the bound.
    """

    def __init__(self, names: Iterable[str] = (), maxlen: int = 256) -> None:
        self._names = frozenset(names)
        self._events: deque[Event] = deque(maxlen=maxlen)
        self._changed = asyncio.Event()

    def attach(self, client: QMPClient) -> Callable[[], None]:
        """Start receiving ``client``'s events; returns the detach function."""
        return client.add_event_handler(self.put)

    def put(self, event: Event) -> None:
        """Add an event (the :data:`EventHandler` interface)."""
        if not self._names or event.name in self._names:
            self._events.append(event)
            self._changed.set()

    async def get(self, predicate: Callable[[Event], bool] | None = None) -> Event:
        """Remove and return the first queued event matching ``predicate``, waiting for one."""
        while True:
            for event in self._events:
                if predicate is None or predicate(event):
                    self._events.remove(event)
                    return event
            self._changed.clear()
            await self._changed.wait()

    def clear(self) -> None:
        """Drop every queued event."""
        self._events.clear()
