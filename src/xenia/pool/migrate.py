"""``VM.pool_migrate``: a running VM moves to another member of the pool, memory only.

The members share the db, so the VM keeps its record (the same reference and uuid) and only its
``resident_on`` and ``domid`` change; its disks stay where they are (the destination must reach
their SRs, xapi's rule for a pool migration). The move is the migration library's
(:func:`xenia.migration.migrate`), with the same phases, progress, cancel and failure rule as
``VM.migrate_send``: the source member asks the destination member for a one-time token
(``xenia.VM_pool_migrate_receive``, a member-to-member call), streams the domain to the
destination's receiver, and the destination records the VM as its own when it runs it.

Two members write the one VM record, so the writes are ordered: the destination holds the VM's
lock from the HELLO until it has recorded the VM (its domain watcher cannot record a half-arrived
domain), and the source makes its last write (ending the operation) only once it sees the
destination's.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF
from xenia.db import Db
from xenia.migration import MigrationCancelled, MigrationError, migrate
from xenia.ops.migration import Migrations, _DriverSink, _options
from xenia.ops.migtask import TaskCancel, progress_to
from xenia.ops.spec import domain_spec
from xenia.ops.steps import TaskControl
from xenia.pool import placement
from xenia.pool.forward import PoolLink

__all__ = ["RECEIVE", "assert_can_receive", "receive", "send"]

log = logging.getLogger(__name__)

#: the member-to-member call that issues a token for one VM
RECEIVE = "xenia.VM_pool_migrate_receive"
#: seconds the source waits to see the destination's record of the VM
_SEEN_TIMEOUT = 30.0


def assert_can_receive(db: Db, vm: str, host: str, free: int) -> None:
    """xapi's ``assert_can_boot_here`` for a live VM: enabled, live, its SRs reachable, its memory free."""
    if not db.get("host", host)["enabled"]:
        raise ApiError("HOST_DISABLED", host)
    placement.assert_can_boot_on(db, vm, host, free)
    needed = domain_spec(db, vm).memory_target
    if needed > free:
        raise ApiError("HOST_NOT_ENOUGH_FREE_MEMORY", needed, free)


class _Adopted:
    """The destination's sink: the driver's sink for a VM whose record the pool already has."""

    def __init__(self, owner: Migrations, vm: str, inner: _DriverSink) -> None:
        self.owner, self.vm, self.inner = owner, vm, inner
        self.uuid = owner.db.get("VM", vm)["uuid"]
        self._locked = False

    async def accept(self, hello: dict[str, Any]) -> None:
        if hello.get("vm") != self.uuid:
            raise ValueError(f"the stream is VM {hello.get('vm')}, the token VM {self.uuid}")
        await self.owner.ops.lock(self.uuid).acquire()
        self._locked = True
        self.inner.spec = domain_spec(self.owner.db, self.vm)
        await self.inner.accept(hello)

    async def data(self, payload: bytes) -> None:
        await self.inner.data(payload)

    async def load(self, state: dict[str, Any]) -> dict[str, Any]:
        return await self.inner.load(state)

    async def commit(self) -> dict[str, Any]:
        try:
            done = await self.inner.commit()
            await self.owner.ops.arrived(self.vm)  # resident_on is this host from here on
        finally:
            self._unlock()
        return done

    async def abort(self) -> None:
        try:
            await self.inner.abort()
        finally:
            self._unlock()

    def _unlock(self) -> None:
        if self._locked:
            self._locked = False
            self.owner.ops.lock(self.uuid).release()


async def receive(owner: Migrations, vm: str) -> dict[str, str]:
    """On the destination member: a one-time token for ``vm``, and where to send it."""
    db = owner.db
    rec = db.get("VM", vm)
    if rec["resident_on"] == owner.host:
        raise ApiError("OPERATION_NOT_ALLOWED", f"VM {rec['uuid']} already runs on this host")
    assert_can_receive(db, vm, owner.host, await owner.driver.host.memory_free())
    inner = owner._driver_sink()

    async def factory(hello: dict[str, Any]) -> _Adopted:
        return _Adopted(owner, vm, inner)

    ticket = owner.receiver.expect(factory)
    host, port = owner.receiver.address
    return {"address": f"{host}:{port}", "token": ticket.token}


async def send(owner: Migrations, link: PoolLink, vm: str, host: str, options: dict[str, str],
               task: TaskControl) -> None:  # fmt: skip
    """On the VM's member: move it to ``host``; on any failure before the hand-over it runs on here."""
    db, ops = owner.db, owner.ops
    async with ops.operation(vm, "pool_migrate", task):
        opts = _options(options)
        opts.progress = progress_to(task)
        opts.cancel = TaskCancel(task)
        uuid = db.get("VM", vm)["uuid"]
        source = owner._driver_source(uuid)
        where = await link.call(host, RECEIVE, vm)
        address, _, port = str(where["address"]).rpartition(":")
        try:
            await migrate(source, (address, int(port)), str(where["token"]), opts)
        except MigrationCancelled as exc:
            raise ApiError("TASK_CANCELLED", task.ref) from exc
        except MigrationError as exc:
            if not exc.source_running:
                log.error("VM %s: pool migration failed in %s and the source is not running", uuid, exc.phase.value)
            raise ApiError("VM_MIGRATE_FAILED", vm, owner.host, host,
                           f"{exc.phase.value}: {exc.reason}: {exc.message}") from exc  # fmt: skip
        await ops.departed(vm)
        await _until_seen(db, vm, host)


async def _until_seen(db: Db, vm: str, host: str) -> None:
    """Wait until this member's copy of the db has the destination's record of the VM (its watch
    brings it), so this member's next write on the VM is not refused as made on a stale copy."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + _SEEN_TIMEOUT
    while db.exists("VM", vm) and db.get("VM", vm)["resident_on"] != host:
        if loop.time() > deadline:
            log.warning("VM %s moved to %s but this member has not seen it yet", vm, host)
            return
        await asyncio.sleep(0.01)


def resident_elsewhere(db: Db, vm: str, here: str) -> str | None:
    """The member the VM runs on when that is not this one (None: here, or nowhere)."""
    host: str = db.get("VM", vm)["resident_on"]
    return None if host in (NULL_REF, here) else host
