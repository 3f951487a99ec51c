"""The asyncio shell: a unix-socket server speaking the xenstore protocol to the engine.

One :class:`Connection` per client. Requests are answered strictly in order (libxenstore relies on it);
watch events produced while a request is being handled are written after its reply, so an event never
lands inside a reply and ``WATCH``'s ``OK`` precedes its immediate event. A connection that breaks the
framing is dropped; any other bad input costs one ERROR reply.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from pathlib import Path

from .client import StoreClient
from .dispatch import dispatch
from .engine import Engine, Mode
from .history import History, Retention
from .persist import COMPACT_LIMIT, SNAPSHOT_INTERVAL, Journal
from .wire import PAYLOAD_MAX, Decoder, Op, Packet, ProtocolError, encode

__all__ = ["StoreServer"]

log = logging.getLogger(__name__)

#: transport buffer size above which output waits in the connection's own queue (where it is counted)
TRANSPORT_HIGH = 64 * 1024
#: requests are not read from a connection while this much of its output waits (replies are never
#: dropped, so a client that pipelines without reading stops being read instead)
READ_PAUSE = 256 * 1024
#: a privileged connection (dom0 tools) is dropped once this much output waits for it: its events
#: cannot be dropped silently, and a reconnecting toolstack re-reads what it watches
PRIVILEGED_BACKLOG = 16 * 1024 * 1024


class OutputAccount:
    """Bytes of output waiting per acting domain, over all its connections.

    cxenstored charges queued replies and watch events to the receiving domain's ``memory`` quota and
    drops a watch event that would exceed it (XSA-326, "add memory accounting for responses"); this is
    that account. dom0 is not limited by the quota (as in cxenstored) but by :data:`PRIVILEGED_BACKLOG`
    per connection.
    """

    def __init__(self) -> None:
        self.by_domid: dict[int, int] = {}

    def add(self, domid: int, n: int) -> None:
        left = self.by_domid.get(domid, 0) + n
        if left:
            self.by_domid[domid] = left
        else:
            del self.by_domid[domid]


class Connection:
    """One socket client: requests in order, output through a bounded, accounted queue.

    Output goes straight to the transport while its buffer is small; beyond :data:`TRANSPORT_HIGH` it
    waits in :attr:`_out`, where it is counted per domain. A watch event is dropped when an identical
    one is already waiting (cxenstored, XSA-326) or when it would take a guest past its ``memory``
    quota; a privileged connection is dropped past :data:`PRIVILEGED_BACKLOG`. Requests stop being
    read while more than :data:`READ_PAUSE` waits, so replies stay bounded too.
    """

    def __init__(
        self, engine: Engine, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, account: OutputAccount
    ) -> None:
        self.engine = engine
        self.reader = reader
        self.writer = writer
        self.transport = writer.transport
        self.transport.set_write_buffer_limits(high=TRANSPORT_HIGH)
        self.account = account
        self.decoder = Decoder()
        self._busy = False
        #: events raised while a request is handled, sent after its reply: (frame, domid charged, key)
        self._held: list[tuple[bytes, int, bytes | None]] = []
        #: frames waiting for the transport: (frame, domid charged, event payload or None)
        self._out: deque[tuple[bytes, int, bytes | None]] = deque()
        self._queued = 0
        self._pending_events: set[bytes] = set()
        self._room = asyncio.Event()
        self._room.set()
        self._flusher: asyncio.Task[None] | None = None
        self._dropped = False
        self.session = engine.open_session(self._deliver)

    # -- output ------------------------------------------------------------------------------------------

    def _deliver(self, epath: str, token: bytes) -> None:
        payload = epath.encode() + b"\0" + token + b"\0"
        if len(payload) > PAYLOAD_MAX or self._dropped:
            return  # as cxenstored: an event that does not fit is dropped
        key = None if epath.startswith("@") else payload
        if key is not None and key in self._pending_events:
            self.engine.stats.events_dropped += 1  # an identical event is still waiting
            return
        frame = encode(Packet(Op.WATCH_EVENT, 0, 0, payload))
        if not self._fits(len(frame)):
            return
        if self._busy:
            self._held.append((frame, self.session.domid, key))
            self._charge(len(frame), key)
        else:
            self._send(frame, key, None)

    def _fits(self, size: int) -> bool:
        """May an event of ``size`` bytes be queued? Drops it (guest) or the connection (dom0) if not."""
        domid = self.session.domid
        if self.session.privileged:
            if self._queued + size > PRIVILEGED_BACKLOG:
                log.warning("dropping connection: %d bytes of output wait for a client that does not read", self._queued)
                self._drop()
                return False
            return True
        quota = self.engine.quotas.memory
        if quota and self.account.by_domid.get(domid, 0) + size > quota:
            self.engine.stats.events_dropped += 1
            return False
        return True

    def _charge(self, size: int, key: bytes | None) -> None:
        self._queued += size
        self.account.add(self.session.domid, size)
        if key is not None:
            self._pending_events.add(key)

    def _send(self, frame: bytes, key: bytes | None, charged_to: int | None) -> None:
        """Write ``frame`` now if the transport has room, else queue it (``charged_to``: the domid it
        is already counted against, None if not counted yet)."""
        if self._dropped:
            return
        if not self._out and self.transport.get_write_buffer_size() <= TRANSPORT_HIGH:
            if charged_to is not None:
                self._uncharge(len(frame), charged_to, key)
            self.transport.write(frame)
            return
        if charged_to is None:
            self._charge(len(frame), key)
            charged_to = self.session.domid
        self._out.append((frame, charged_to, key))
        if self._flusher is None:
            self._flusher = asyncio.get_running_loop().create_task(self._flush_loop())

    def _uncharge(self, size: int, domid: int, key: bytes | None) -> None:
        self._queued -= size
        self.account.add(domid, -size)
        if key is not None:
            self._pending_events.discard(key)

    async def _flush_loop(self) -> None:
        try:
            while self._out and not self._dropped:
                while self._out and self.transport.get_write_buffer_size() <= TRANSPORT_HIGH:
                    frame, domid, key = self._out.popleft()
                    self._uncharge(len(frame), domid, key)
                    self.transport.write(frame)
                if self._queued <= READ_PAUSE // 2:
                    self._room.set()
                await self.writer.drain()
        except ConnectionError:
            self._drop()
        finally:
            self._flusher = None
            self._room.set()

    def _drop(self) -> None:
        """Forget queued output and abort the connection (its reader then sees EOF)."""
        if self._dropped:
            return
        self._dropped = True
        for frame, domid, key in self._out:
            self._uncharge(len(frame), domid, key)
        self._out.clear()
        for frame, domid, key in self._held:
            self._uncharge(len(frame), domid, key)
        self._held.clear()
        self._room.set()
        self.transport.abort()

    # -- input -------------------------------------------------------------------------------------------

    async def serve(self) -> None:
        pending: deque[Packet] = deque()
        try:
            while not self._dropped:
                if not pending:
                    data = await self.reader.read(65536)
                    if not data:
                        break
                    try:
                        pending.extend(self.decoder.feed(data))
                    except ProtocolError as exc:
                        log.warning("dropping connection: %s", exc)
                        break
                while pending and not self._dropped:
                    if self._queued > READ_PAUSE:
                        self._room.clear()
                        await self._room.wait()
                        continue
                    packet = pending.popleft()
                    self._busy = True
                    try:
                        reply = dispatch(self.engine, self.session, packet)
                    finally:
                        self._busy = False
                    self._send(encode(reply), None, None)
                    if self._held:
                        held, self._held = self._held, []
                        for frame, domid, key in held:
                            self._send(frame, key, domid)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self.engine.close_session(self.session)
            if self._flusher is not None:
                self._flusher.cancel()
                with contextlib.suppress(BaseException):
                    await self._flusher
            for frame, domid, key in self._out:
                self._uncharge(len(frame), domid, key)
            self._out.clear()
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()


def _offer_export(engine: Engine) -> None:
    """Offer ``CONTROL export <dir>``, importing the exporter (and dulwich, a tenth of the daemon's
    import time) on the first export rather than at every start-up."""

    def first_export(args: list[str]) -> str:
        from .export import install

        install(engine)  # replaces this hook with the exporter's own
        return str(engine.control_hooks["export"](args))

    engine.control_hooks["export"] = first_export


class StoreServer:
    """The store daemon: engine + persistence + socket. Use :meth:`start` and :meth:`close`."""

    def __init__(self, engine: Engine, socket_path: Path, journal: Journal | None) -> None:
        self.engine = engine
        self.socket_path = socket_path
        self.journal = journal
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._conns: set[Connection] = set()
        self.account = OutputAccount()
        self._history_task: asyncio.Task[None] | None = None

    @classmethod
    async def start(
        cls,
        state_dir: Path | None,
        socket_path: Path | None = None,
        *,
        mode: Mode = Mode.MERGE,
        retention: Retention | None = None,
        history_later: bool = False,
    ) -> StoreServer:
        """Load the state from ``state_dir/store`` (None = in memory only) and listen on ``socket_path``
        (default ``state_dir/xenstored.sock``). ``retention`` bounds the history (default
        :class:`~xenia.store.history.Retention`). The history before the newest snapshot, when it is
        replayed after start-up (see :meth:`Journal.older_history`), starts at once, or with
        ``history_later`` when the caller says so (:meth:`replay_older_history`): ``xenia serve`` waits
        until its API answers, so that replay does not slow the adoption of every domain."""
        engine = Engine(history=History(retention), mode=mode)
        journal = None
        if state_dir is not None:
            journal = Journal(Path(state_dir) / "store", min_interval=SNAPSHOT_INTERVAL, compact_limit=COMPACT_LIMIT)
            journal.load(engine)
        if socket_path is None:
            if state_dir is None:
                raise ValueError("need a socket path or a state directory")
            socket_path = Path(state_dir) / "xenstored.sock"
        self = cls(engine, Path(socket_path), journal)
        _offer_export(engine)
        self.socket_path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()
        self._server = await asyncio.start_unix_server(self._accept, path=str(self.socket_path))
        if not history_later:
            self.replay_older_history()
        return self

    def replay_older_history(self, gate: Callable[[], Awaitable[None]] | None = None) -> None:
        """Start replaying the history before the newest snapshot (if start-up left any), in the
        background, while the store serves: in a thread, or with ``gate`` on the event loop, in
        steps of 256 records each after awaiting ``gate`` (``xenia serve``: waits while a big answer
        is encoded, :mod:`xenia.util.foreground`; a thread would take the GIL from that answer)."""
        if self.journal is not None and self.journal.deferred and self._history_task is None:
            self._history_task = asyncio.get_running_loop().create_task(self._older_history(self.journal, gate))

    async def _older_history(self, journal: Journal, gate: Callable[[], Awaitable[None]] | None) -> None:
        """Into an engine of its own; merged on the loop (see :meth:`Journal.replay_older`)."""
        if gate is not None:
            for _ in journal.older_history(self.engine, step=256):
                await gate()
            return
        history = self.engine.history
        scratch = await asyncio.to_thread(journal.replay_older, history.retention, self.engine.mode)
        if scratch is not None:
            journal.adopt_older(self.engine, scratch)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        conn = Connection(self.engine, reader, writer, self.account)
        self._conns.add(conn)
        try:
            await conn.serve()
        finally:
            self._conns.discard(conn)
            self._tasks.discard(task)

    def client(self, domid: int = 0) -> StoreClient:
        """An in-process client of this daemon's store acting as ``domid``."""
        return StoreClient(self.engine, domid)

    async def close(self) -> None:
        """Stop listening, drop connections, write a final snapshot."""
        if self._history_task is not None:
            self._history_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._history_task
        if self._server is not None:
            self._server.close()
            for conn in list(self._conns):
                conn.writer.close()  # the reader sees EOF and the connection winds down
            await asyncio.gather(*self._tasks, return_exceptions=True)
            await self._server.wait_closed()
            self._server = None
        if self.journal is not None:
            self.journal.close(self.engine)
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()

    async def serve_forever(self) -> None:
        assert self._server is not None
        await self._server.serve_forever()
