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
from pathlib import Path

from .client import StoreClient
from .dispatch import dispatch
from .engine import Engine, Mode
from .persist import Journal
from .wire import PAYLOAD_MAX, Decoder, Op, Packet, ProtocolError, encode

__all__ = ["StoreServer"]

log = logging.getLogger(__name__)
#: a client that stops reading gets dropped once this much output is queued for it
MAX_BACKLOG = 32 * 1024 * 1024


class Connection:
    def __init__(self, engine: Engine, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.engine = engine
        self.reader = reader
        self.writer = writer
        self.decoder = Decoder()
        self._busy = False
        self._held: list[bytes] = []
        self.session = engine.open_session(self._deliver)

    def _deliver(self, epath: str, token: bytes) -> None:
        payload = epath.encode() + b"\0" + token + b"\0"
        if len(payload) > PAYLOAD_MAX:
            return  # as cxenstored: an event that does not fit is dropped
        frame = encode(Packet(Op.WATCH_EVENT, 0, 0, payload))
        if self._busy:
            self._held.append(frame)
        elif not self.writer.is_closing():
            self.writer.write(frame)

    async def serve(self) -> None:
        try:
            while True:
                data = await self.reader.read(65536)
                if not data:
                    break
                try:
                    packets = self.decoder.feed(data)
                except ProtocolError as exc:
                    log.warning("dropping connection: %s", exc)
                    break
                for packet in packets:
                    self._busy = True
                    reply = dispatch(self.engine, self.session, packet)
                    self._busy = False
                    self.writer.write(encode(reply))
                    if self._held:
                        self.writer.writelines(self._held)
                        self._held.clear()
                transport = self.writer.transport
                if transport.get_write_buffer_size() > MAX_BACKLOG:
                    log.warning("dropping connection: client does not read its replies")
                    break
                await self.writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self.engine.close_session(self.session)
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()


class StoreServer:
    """The store daemon: engine + persistence + socket. Use :meth:`start` and :meth:`close`."""

    def __init__(self, engine: Engine, socket_path: Path, journal: Journal | None) -> None:
        self.engine = engine
        self.socket_path = socket_path
        self.journal = journal
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._conns: set[Connection] = set()

    @classmethod
    async def start(
        cls, state_dir: Path | None, socket_path: Path | None = None, *, mode: Mode = Mode.MERGE
    ) -> StoreServer:
        """Load the state from ``state_dir/store`` (None = in memory only) and listen on ``socket_path``
        (default ``state_dir/xenstored.sock``)."""
        engine = Engine(mode=mode)
        journal = None
        if state_dir is not None:
            journal = Journal(Path(state_dir) / "store")
            journal.load(engine)
        if socket_path is None:
            if state_dir is None:
                raise ValueError("need a socket path or a state directory")
            socket_path = Path(state_dir) / "xenstored.sock"
        self = cls(engine, Path(socket_path), journal)
        from .export import install as install_export

        install_export(engine)
        self.socket_path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()
        self._server = await asyncio.start_unix_server(self._accept, path=str(self.socket_path))
        return self

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        conn = Connection(self.engine, reader, writer)
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
