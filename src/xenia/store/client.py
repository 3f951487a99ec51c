"""In-process API to the store, for the rest of xenia (ops, the simulator's guests).

It talks to the :class:`~xenia.store.engine.Engine` directly -- no socket, no encoding -- with the same
semantics a wire client gets: permissions and quotas of the acting domain, watches, branch transactions.
Methods are ``async`` so callers need not change if the store ever moves out of process.

Example::

    dom0 = server.client()
    async def start(tx: StoreTransaction) -> None:
        await tx.write("/local/domain/5/name", "web")
        await tx.write("/local/domain/5/memory/target", "524288")
    await dom0.transact(start)          # retried on EAGAIN
    guest = server.client(domid=5)
    await guest.watch("control/shutdown", on_shutdown)   # relative to /local/domain/5
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from .engine import Engine, Session
from .errors import XsError
from .perms import Perms, format_perms, parse_perms

__all__ = ["StoreClient", "StoreTransaction", "Watch", "XsError"]

T = TypeVar("T")
Callback = Callable[[str, str], Awaitable[None] | None]


def _perms(perms: list[str] | Perms) -> Perms:
    return parse_perms([str(p).encode() for p in perms])


def _bytes(value: bytes | str) -> bytes:
    return value.encode() if isinstance(value, str) else value


class _Ops:
    """Tree operations shared by a client and a transaction (``_tx`` = 0 outside transactions)."""

    _engine: Engine
    _session: Session
    _tx: int

    async def read(self, path: str) -> bytes:
        """The value at ``path``. :raises XsError: ENOENT, EACCES..."""
        value: bytes = self._engine.request(self._session, "read", path, tx_id=self._tx)
        return value

    async def read_str(self, path: str, default: str | None = None) -> str | None:
        """The value decoded as UTF-8, or ``default`` when the node does not exist."""
        try:
            return (await self.read(path)).decode("utf-8", "replace")
        except XsError as exc:
            if exc.name == "ENOENT":
                return default
            raise

    async def exists(self, path: str) -> bool:
        try:
            await self.read(path)
        except XsError as exc:
            if exc.name == "ENOENT":
                return False
            raise
        return True

    async def write(self, path: str, value: bytes | str) -> None:
        """Set ``path`` to ``value``, creating missing parents."""
        self._engine.request(self._session, "write", path, _bytes(value), tx_id=self._tx)

    async def mkdir(self, path: str) -> None:
        self._engine.request(self._session, "mkdir", path, tx_id=self._tx)

    async def rm(self, path: str) -> None:
        """Remove ``path`` and everything below it."""
        self._engine.request(self._session, "rm", path, tx_id=self._tx)

    async def directory(self, path: str) -> list[str]:
        """Child names, in creation order."""
        return list(self._engine.request(self._session, "directory", path, tx_id=self._tx))

    async def get_perms(self, path: str) -> list[str]:
        perms: Perms = self._engine.request(self._session, "get_perms", path, tx_id=self._tx)
        return format_perms(perms).decode().rstrip("\0").split("\0")

    async def set_perms(self, path: str, perms: list[str]) -> None:
        """``perms`` like ``["n0", "r5"]``: owner and default first."""
        self._engine.request(self._session, "set_perms", path, _perms(perms), tx_id=self._tx)


class StoreTransaction(_Ops):
    """Operations inside one transaction: a branch, invisible to others until :meth:`commit`."""

    def __init__(self, client: StoreClient) -> None:
        self._engine = client._engine
        self._session = client._session
        self._tx = self._engine.transaction_start(self._session)
        self.id = self._tx
        self._done = False

    async def commit(self) -> None:
        """:raises XsError: EAGAIN when it really conflicts with a commit made since it started."""
        self._done = True
        self._engine.transaction_end(self._session, self._tx, True)

    async def abort(self) -> None:
        if not self._done:
            self._done = True
            self._engine.transaction_end(self._session, self._tx, False)

    async def lookup_name(self, name: str) -> list[int]:
        """Index lookup that sees this transaction's own writes."""
        return list(self._engine.lookup_name(name, self._session.transactions[self._tx]))

    async def __aenter__(self) -> StoreTransaction:
        return self

    async def __aexit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None and not self._done:
            await self.commit()
        else:
            await self.abort()


class Watch:
    """Handle returned by :meth:`StoreClient.watch`; pass it to :meth:`StoreClient.unwatch`."""

    def __init__(self, path: str, token: str) -> None:
        self.path = path
        self.token = token


class StoreClient(_Ops):
    """A session on the store acting as ``domid`` (0 = dom0, privileged)."""

    _tokens = itertools.count(1)

    def __init__(self, engine: Engine, domid: int = 0) -> None:
        self._engine = engine
        self._tx = 0
        self._callbacks: dict[str, Callback] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._session = engine.open_session(self._deliver, domid)

    @property
    def domid(self) -> int:
        return self._session.domid

    def transaction(self) -> StoreTransaction:
        """``async with client.transaction() as tx:`` commits on success, aborts on an exception."""
        return StoreTransaction(self)

    async def transact(self, body: Callable[[StoreTransaction], Awaitable[T]], attempts: int = 100) -> T:
        """Run ``body`` in a transaction, retrying it on EAGAIN (xenstore's usual client loop)."""
        for attempt in range(attempts):
            tx = self.transaction()
            try:
                result = await body(tx)
                await tx.commit()
                return result
            except XsError as exc:
                await tx.abort()
                if exc.name != "EAGAIN" or attempt == attempts - 1:
                    raise
            except BaseException:
                await tx.abort()
                raise
        raise AssertionError("unreachable")

    async def watch(self, path: str, callback: Callback, token: str | None = None) -> Watch:
        """Call ``callback(path, token)`` now (xenstore's initial event) and on every change at or below
        ``path``. Relative paths watch under the domain's home and report relative paths. Callbacks run
        as soon as the event loop gets control; coroutine callbacks become tasks."""
        token = token if token is not None else f"xenia-{next(self._tokens)}"
        self._callbacks[token] = callback
        try:
            self._engine.watch(self._session, path, token.encode())
        except XsError:
            del self._callbacks[token]
            raise
        return Watch(path, token)

    async def unwatch(self, watch: Watch) -> None:
        self._engine.unwatch(self._session, watch.path, watch.token.encode())
        self._callbacks.pop(watch.token, None)

    def _deliver(self, epath: str, token: bytes) -> None:
        callback = self._callbacks.get(token.decode())
        if callback is None:
            return
        asyncio.get_running_loop().call_soon(self._run, callback, epath, token.decode())

    def _run(self, callback: Callback, epath: str, token: str) -> None:
        result: Any = callback(epath, token)
        if inspect.isawaitable(result):
            task = asyncio.ensure_future(result)
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def read_tree(self, path: str) -> dict[str, bytes]:
        """Every childless node's value below ``path``, by relative path, in one request
        (:meth:`Engine.read_tree`); empty when ``path`` does not exist."""
        return self._engine.read_tree(self._session, path)

    async def lookup_name(self, name: str) -> list[int]:
        """Domids whose ``name`` key is ``name`` (index; O(1) at any number of domains)."""
        return list(self._engine.lookup_name(name))

    async def lookup_uuid(self, uuid: str) -> list[int]:
        """Domids of the VM with this uuid (from ``/local/domain/<id>/vm``)."""
        return list(self._engine.lookup_uuid(uuid))

    async def get_domain_path(self, domid: int) -> str:
        return f"/local/domain/{domid}"

    async def introduce(self, domid: int) -> None:
        """Announce a domain (fires ``@introduceDomain``)."""
        self._engine.introduce(self._session, domid)

    async def release(self, domid: int) -> None:
        """Forget a domain (fires ``@releaseDomain``)."""
        self._engine.release(self._session, domid)

    async def close(self) -> None:
        """Drop watches and abort open transactions."""
        self._engine.close_session(self._session)
        self._callbacks.clear()
