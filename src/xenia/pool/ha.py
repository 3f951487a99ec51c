"""What a pool member does when another member's lease goes, and when its own does: xapi's HA on etcd.

xapi's HA daemon decides liveness from heartbeats on the network and on a shared state file; in a
xenia pool the etcd lease is both (etcd's quorum is the arbiter a state file is for xapi).  One
member acts on a failure: the master if it is alive, else the alive member with the smallest
reference (which also becomes master, as xapi elects a new master).  It marks the host dead
(``host_metrics.live``), and when HA is enabled on the pool raises ``HA_HOST_FAILED``, marks the
host's VMs Halted and starts those with ``ha_restart_priority`` set (``restart``, ``best-effort``)
on the live member with the most free memory; a VM that cannot start gets ``HA_PROTECTED_VM_RESTART_FAILED``.  Without HA a
failed host's VMs stay as they were, as xapi leaves them for ``VM.power_state_reset``.

A member cut off from etcd for longer than its lease fences itself when HA is enabled, as xapi's
host does (it reboots): it destroys every domain it runs, since another member may already be
running them, and stops.  It cannot write to the db it lost, so it leaves a mark in its state
directory; started again (xapi's host boots again), it raises ``HA_HOST_WAS_FENCED`` on its host
once it is back in the pool, as xapi does at boot when HA is on and the host did not stop cleanly.
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from xenia.datamodel.errors import ApiError
from xenia.db import Db
from xenia.ops import record
from xenia.pool import placement
from xenia.util.clock import xapi_time

if TYPE_CHECKING:
    from xenia.ops.engine import Ops
    from xenia.pool.forward import PoolLink

log = logging.getLogger("xenia.pool")

#: the exit status of a member that fenced itself
FENCED_EXIT = 75
#: the mark a fenced member leaves in its state directory, for HA_HOST_WAS_FENCED when it comes back
FENCED_MARK = "ha-fenced"
PROTECTED = ("restart", "best-effort")


def host_message(db: Db, name: str, host: str, body: str, priority: int) -> None:
    db.create("message", {"name": name, "priority": priority, "cls": "Host", "obj_uuid": db.get("host", host)["uuid"],
                          "timestamp": xapi_time(), "body": body})  # fmt: skip


class HaMonitor:
    def __init__(self, db: Db, ops: Ops, host: str, pool: str, link: PoolLink, state_dir: Path | None = None) -> None:
        self.db = db
        self.mark = state_dir / FENCED_MARK if state_dir is not None else None
        self.link = link
        self.ops = ops
        self.host = host
        self.pool = pool
        self.alive: set[str] = set()
        self._handling: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def members_changed(self, alive: set[str]) -> None:
        """The watch's news (on the loop): act on members that are gone while the db says they live."""
        self.alive = alive | {self.host}
        if self._decider() != self.host:
            return
        for host in self.db.refs("host"):
            if host in self.alive or host in self._handling or not self._live(host):
                continue
            self._handling.add(host)
            task = asyncio.get_running_loop().create_task(self._host_failed(host))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _decider(self) -> str:
        master: str = self.db.get("pool", self.pool)["master"]
        return master if master in self.alive else min(self.alive)

    def _live(self, host: str) -> bool:
        metrics = self.db.get("host", host)["metrics"]
        return self.db.exists("host_metrics", metrics) and bool(self.db.get("host_metrics", metrics)["live"])

    async def _host_failed(self, host: str) -> None:
        db = self.db
        try:
            ha = bool(db.get("pool", self.pool)["ha_enabled"])
            name = db.get("host", host)["name_label"]
            protected: list[str] = []
            with db.batch():
                db.set("host_metrics", db.get("host", host)["metrics"], "live", False)
                if db.get("pool", self.pool)["master"] == host:
                    db.set("pool", self.pool, "master", self.host)
                if ha:
                    host_message(db, "HA_HOST_FAILED", host,
                                 f"Server '{name}' has failed; its VMs are restarted elsewhere.", 3)  # fmt: skip
                    for vm in db.referrers("VM", "resident_on", host):
                        rec = db.get("VM", vm)
                        if rec["is_control_domain"]:
                            continue
                        record.halted(db, vm)
                        if rec["ha_restart_priority"] in PROTECTED and not rec["is_a_template"]:
                            protected.append(vm)
            log.warning("host %s (%s) failed: its lease expired; %d protected VMs to restart", name, host, len(protected))
            for vm in protected:
                await self._restart(vm)
        except ApiError as e:
            log.error("handling the failure of host %s: %s", host, e)
        finally:
            self._handling.discard(host)

    async def _restart(self, vm: str) -> None:
        """On the possible host with the most free memory (this one or another member)."""
        try:
            await self.link.backend.caught_up()  # decided on the pool as etcd has it, as a placement call is
            free = await self.ops.driver.host.memory_free()
            host = placement.choose_host(self.db, vm, self.host, free)
            if host == self.host:
                await self.ops.start(vm, False)
            else:
                await self.link.call(host, "VM.start_on", vm, host, False, False)
        except ApiError as e:
            with self.db.batch():
                record.message(self.db, "HA_PROTECTED_VM_RESTART_FAILED", vm,
                               f"HA could not restart protected VM {self.db.get('VM', vm)['name_label']}: "
                               f"{' '.join(e.args)}", 2)  # fmt: skip

    async def fence(self) -> None:
        """Cut off from etcd: if HA is on, end every domain here (another member may run them now) and stop."""
        if not self.db.get("pool", self.pool)["ha_enabled"]:
            log.error("cut off from the pool's etcd; HA is disabled, so this host carries on without fencing")
            return
        driver = self.ops.driver
        for domain in await driver.vm.list_domains():
            try:
                await driver.vm.destroy(domain.vm_uuid)
            except Exception as e:  # fencing goes on whatever one domain does
                log.error("fencing: destroying %s failed: %s", domain.vm_uuid, e)
        if self.mark is not None:
            try:
                self.mark.write_text(xapi_time() + "\n")
            except OSError as e:
                log.error("fencing: cannot leave the mark %s: %s", self.mark, e)
        log.error("fenced: every domain of this host is destroyed; stopping (exit status %d)", FENCED_EXIT)
        os._exit(FENCED_EXIT)

    def report_fenced(self) -> None:
        """Back in the pool after fencing itself: xapi's ``HA_HOST_WAS_FENCED`` (priority 4) on this host,
        when HA is still enabled (as xapi checks at boot); the mark goes either way."""
        if self.mark is None or not self.mark.exists():
            return
        if self.db.get("pool", self.pool)["ha_enabled"]:
            host_message(self.db, "HA_HOST_WAS_FENCED", self.host, "", 4)
            log.warning("this host fenced itself (at %s) and is back in the pool", self.mark.read_text().strip())
        self.mark.unlink(missing_ok=True)

