"""The operations layer: every VM lifecycle call as a named plan of steps, run through the driver.

An operation is checked against the lifecycle table, registered in the VM's
``current_operations`` (so a concurrent call gets OTHER_OPERATION_IN_PROGRESS,
as from xapi), and run under the VM's lock, so no two operations -- nor an
operation and a reconciliation -- overlap on one VM while different VMs
proceed in parallel.  Plans are documented in ``docs/operations.md``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF
from xenia.db import Change, Db, Record, new_ref
from xenia.db.etcd import again_on_conflict
from xenia.drivers.base import DomainState, Driver, RunState, ShutdownReason
from xenia.drivers.errors import DriverError, NoSuchDomain
from xenia.migration import MigrationCancelled, MigrationError, MigrationOptions
from xenia.migration import suspend as suspend_image
from xenia.ops import guestkeys, lifecycle, liveconfig, record
from xenia.ops.guestagent import GuestAgents
from xenia.ops.migtask import TaskCancel, progress_to
from xenia.ops.spec import domain_spec, sr_path
from xenia.ops.steps import Action, NoTask, Step, TaskControl, run_steps
from xenia.store.client import StoreClient
from xenia.util.foreground import Foreground

log = logging.getLogger(__name__)

#: operations that only read their VM, so several may run on it at once
_SHARED = frozenset({"clone", "copy", "snapshot", "export"})
#: guest features a clean shutdown / reboot needs
#: records whose changes can change what a VM allows, and the VM field that points at them
_VM_FACTS = {"VM_guest_metrics": "guest_metrics", "VM_metrics": "metrics"}
#: the fields of those records that what a VM allows depends on (``record._guest``): the metrics
#: collector rewrites ``VM_metrics.VCPUs_utilisation`` of thousands of VMs a minute, which changes none
_FACT_FIELDS = {"VM_guest_metrics": ("other", "PV_drivers_version"), "VM_metrics": ("current_domain_type",)}
_CLEAN_NEEDS = {"clean_shutdown": "feature-poweroff", "clean_reboot": "feature-reboot"}
#: VM.other_config key: bytes per second a suspend image is written and read at (none: no cap)
SUSPEND_BANDWIDTH = "xenia-suspend-bandwidth"


#: adopted VMs whose guest agents :meth:`Ops.follow_adopted` follows between two turns of the event loop
FOLLOW_SLICE = 64


class Ops:
    def __init__(self, db: Db, driver: Driver, host: str, *, shutdown_timeout: float = 120.0,
                 store: StoreClient | None = None, console_url: str = "https://127.0.0.1/console") -> None:  # fmt: skip
        self.db = db
        #: the ``location`` of console objects, less their ``?uuid=``: where the daemon serves CONNECT /console
        self.console_url = console_url
        self.driver = driver
        self.host = host
        #: the store, as dom0: guest-visible keys of running VMs live there
        self.store = store
        #: what each running VM's guest agent reports through the store, read into its guest metrics
        self.agents = GuestAgents(db, store) if store is not None else None
        #: the name each running VM has in the store, so only real renames are written
        self._store_names: dict[str, str] = {}
        self.shutdown_timeout = shutdown_timeout
        #: seconds a balloon may stand still short of its target before it counts as partial
        self.balloon_stall = liveconfig.BALLOON_STALL
        #: seconds VM.wait_memory_target_live waits (xapi's wait_memory_target_timeout)
        self.memory_target_timeout = 256.0
        self._locks: dict[str, asyncio.Lock] = {}
        #: per VM uuid: set when the driver signals attention (wakes operations waiting on the guest)
        self._signals: dict[str, asyncio.Event] = {}
        self._pending: set[str] = set()
        self._unsubscribe = driver.subscribe(self._on_attention)
        self._background: set[asyncio.Task[None]] = set()
        #: when set, following adopted agents gives way to the big answers being encoded
        self.foreground: Foreground | None = None
        self._unwatch_db = db.subscribe(self._on_db_changes)
        #: operations this driver cannot carry out, left out of every VM's allowed_operations
        self.cannot = lifecycle.unsupported({c.value for c in driver.capabilities})
        self._unfinish = db.add_finisher(self._refresh_allowed)
        #: (VM, domid) adopted at start-up whose guest agents are yet to be followed
        self._adopted: list[tuple[str, int]] = []

    def _refresh_allowed(self, touched: list[tuple[str, str]]) -> None:
        """Keep ``allowed_operations`` true in the same commit as any change to a VM (a template
        becoming a VM, a power state, an operation starting): the one place that maintains it."""
        db = self.db
        vms: set[str] = set()
        for cls, ref in touched:
            if cls == "VM":
                vms.add(ref)
            elif cls in _VM_FACTS and self._fact_changed(cls, ref):
                vms.update(db.referrers("VM", _VM_FACTS[cls], ref))  # a guest's features or boot mode
        for vm in vms:
            if db.exists("VM", vm):
                record.refresh_allowed(db, vm, self.cannot)
                liveconfig.refresh_requires_reboot(db, vm)

    def _fact_changed(self, cls: str, ref: str) -> bool:
        """Whether a VM's guest metrics or metrics record, touched in this batch, came, went or changed
        a field that what the VM allows depends on."""
        before = self.db.before_batch(ref)
        if before is None or not self.db.exists(cls, ref):
            return True
        now = self.db.get(cls, ref)
        return any(before[f] != now[f] for f in _FACT_FIELDS[cls])

    def _on_db_changes(self, changes: list[Change]) -> None:
        """A running VM's new name goes to the store (with its index) after the db committed it."""
        for change in changes:
            if change.cls == "VM" and change.op != "del" and self.db.exists("VM", change.ref):
                rec = self.db.get("VM", change.ref)
                live = rec["domid"] >= 0 and not rec["is_control_domain"]
                if self.store is not None and live and self._store_names.get(change.ref) != rec["name_label"]:
                    self._store_names[change.ref] = rec["name_label"]
                    self._spawn(guestkeys.rename(self.store, rec["domid"], rec["uuid"], rec["name_label"]))

    def follow_balloon(self, vm: str, uuid: str, target: int) -> None:
        """Watch a balloon request in the background until it arrives or stalls (xenia.ops.liveconfig)."""
        self._spawn(liveconfig.follow_balloon(self, vm, uuid, target))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # ------------------------------------------------------------ plumbing

    def lock(self, vm_uuid: str) -> asyncio.Lock:
        lock = self._locks.get(vm_uuid)
        if lock is None:
            lock = self._locks[vm_uuid] = asyncio.Lock()
        return lock

    @asynccontextmanager
    async def operation(self, vm: str, op: str, task: TaskControl | None = None) -> AsyncIterator[str]:
        """Check ``op`` on ``vm``, show it in ``current_operations``, and hold the VM's lock while it runs."""
        db = self.db
        key = task.ref if task is not None and task.ref != NULL_REF else new_ref()

        def begin() -> Record:
            rec = db.get("VM", vm)
            lifecycle.require(vm, rec, op)
            db.set("VM", vm, "current_operations", {**rec["current_operations"], key: op})
            return rec

        # in a pool another member may write the VM meanwhile (clones of one template): each mark is
        # made again on the VM as that member left it (xenia.pool.retry)
        rec = again_on_conflict(db.backend, begin)
        try:
            if op in _SHARED:
                yield key  # reads the VM only: runs beside its kin (xapi's compatible operations)
            else:
                async with self.lock(rec["uuid"]):
                    yield key
        finally:
            free: int | None = None
            try:
                free = await self._host_memory_free()
            finally:

                def end() -> None:
                    # one commit (one sqlite write, one event batch) for the operation's end and the
                    # host's memory, rather than two on every operation (issue 12)
                    with db.batch():
                        if db.exists("VM", vm):
                            current = dict(db.get("VM", vm)["current_operations"])
                            current.pop(key, None)
                            db.set("VM", vm, "current_operations", current)
                        if free is not None:
                            record.host_memory(db, self.host, free)

                again_on_conflict(db.backend, end)

    async def _host_memory_free(self) -> int | None:
        """The host's free memory as the driver reports it (None, logged, when it cannot)."""
        try:
            return await self.driver.host.memory_free()
        except DriverError as e:
            log.warning("cannot read host memory: %s", e)
            return None

    async def _update_host_memory(self) -> None:
        free = await self._host_memory_free()
        if free is not None:
            record.host_memory(self.db, self.host, free)

    def _uuid(self, vm: str) -> str:
        uuid: str = self.db.get("VM", vm)["uuid"]
        return uuid

    async def _run(self, vm: str, op: str, steps: list[Step], task: TaskControl | None) -> None:
        try:
            await run_steps(f"VM.{op}", vm, steps, task or NoTask())
        except BaseException:
            await self._settle(vm)
            raise

    async def _settle(self, vm: str) -> None:
        """After a failed plan, read the driver afresh: a step without undo (destroy) may have changed what runs.

        A reboot whose create fails after its destroy leaves no domain; without this the VM would stay
        Running in the db.  The caller holds the VM's lock.
        """
        if not self.db.exists("VM", vm):
            return
        try:
            await self.reconcile(self._uuid(vm))
        except (DriverError, ApiError) as e:
            log.warning("reconciling VM %s after a failed operation failed: %s", vm, e)

    # ------------------------------------------------------------- steps

    def _check_memory(self, vm: str) -> Step:
        async def check() -> None:
            needed = domain_spec(self.db, vm).memory_target
            free = await self.driver.host.memory_free()
            if needed > free:
                raise ApiError("HOST_NOT_ENOUGH_FREE_MEMORY", needed, free)

        return Step("check_resources", check)

    def _create(self, vm: str) -> Step:
        uuid = self._uuid(vm)

        async def create() -> None:
            await self.driver.vm.create(domain_spec(self.db, vm))
            liveconfig.booted(self.db, vm)

        return Step("create_domain", create, self._destroy_quietly(uuid))

    def _destroy_quietly(self, uuid: str) -> Action:
        async def destroy() -> None:
            with contextlib.suppress(NoSuchDomain):
                await self.driver.vm.destroy(uuid)

        return destroy

    def _unpause(self, vm: str) -> Step:
        uuid = self._uuid(vm)
        return Step("unpause", lambda: self.driver.vm.unpause(uuid))

    def _destroy(self, vm: str) -> Step:
        uuid = self._uuid(vm)
        quietly = self._destroy_quietly(uuid)

        async def destroy() -> None:
            await self._forget_keys(vm)
            await quietly()

        return Step("destroy_domain", destroy)

    async def _forget_keys(self, vm: str) -> None:
        """Remove the guest-visible keys of the VM's current domain (as the db knows it)."""
        domid = self.db.get("VM", vm)["domid"]
        if self.agents is not None:
            await self.agents.forget(vm)
        if self.store is not None and domid >= 0:
            await guestkeys.remove_keys(self.store, domid, self._uuid(vm))

    def _write_keys(self, vm: str) -> Step:
        uuid = self._uuid(vm)
        written: list[int] = []

        async def write() -> None:
            if self.store is None:
                return
            domid = (await self.driver.vm.get_state(uuid)).domid
            await guestkeys.write_keys(self.store, self.db, vm, domid)
            self._store_names[vm] = self.db.get("VM", vm)["name_label"]
            written.append(domid)
            await self._follow_agent(vm, domid)

        async def remove() -> None:
            if self.agents is not None:
                await self.agents.forget(vm)
            if self.store is not None and written:
                await guestkeys.remove_keys(self.store, written[0], uuid)

        return Step("write_store_keys", write, remove)

    async def _follow_agent(self, vm: str, domid: int) -> None:
        if self.agents is not None:
            await self.agents.follow(vm, domid)

    def _record_live(self, vm: str) -> Step:
        uuid = self._uuid(vm)

        async def mark() -> None:
            state = await self.driver.vm.get_state(uuid)
            protocols = await self._console_protocols(uuid)
            with self.db.batch():  # the state and its consoles in one commit and one event batch
                record.live(self.db, vm, self.host, state)
                self._record_consoles(vm, protocols)

        return Step("record_state", mark)

    async def _sync_consoles(self, vm: str, vm_uuid: str) -> None:
        """Console objects for the protocols the running domain serves (none where the driver has no consoles)."""
        self._record_consoles(vm, await self._console_protocols(vm_uuid))

    async def _console_protocols(self, vm_uuid: str) -> list[str]:
        try:
            infos = await self.driver.console.consoles(vm_uuid)
        except DriverError as e:
            log.info("no consoles for VM %s: %s", vm_uuid, e)
            infos = []
        return [i.protocol.value for i in infos]

    def _record_consoles(self, vm: str, protocols: list[str]) -> None:
        if self.db.exists("VM", vm) and self.db.get("VM", vm)["power_state"] in ("Running", "Paused"):
            record.consoles(self.db, vm, protocols, self.console_url)

    def _record_halted(self, vm: str) -> Step:
        async def mark() -> None:
            record.halted(self.db, vm)

        return Step("record_state", mark)

    def _wait_shutdown(self, vm: str, reason: ShutdownReason) -> Step:
        uuid = self._uuid(vm)

        async def wait() -> None:
            deadline = asyncio.get_running_loop().time() + self.shutdown_timeout
            signal = self._signals.setdefault(uuid, asyncio.Event())
            while True:
                signal.clear()
                state = await self.driver.vm.get_state(uuid)
                if state.run_state is RunState.SHUTDOWN:
                    if state.shutdown_reason is reason:
                        return
                    raise ApiError("VM_CRASHED", vm) if state.shutdown_reason is ShutdownReason.CRASH else (
                        ApiError("INTERNAL_ERROR", f"guest stopped with {state.shutdown_reason}"))
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    raise ApiError("VM_SHUTDOWN_TIMEOUT", vm, self.shutdown_timeout)
                try:
                    await asyncio.wait_for(signal.wait(), timeout=min(remaining, 1.0))
                except TimeoutError:
                    pass

        return Step(f"wait_{reason.value}", wait)

    def _request(self, vm: str, name: str, ask: Action, task: TaskControl | None) -> Step:
        """Ask the guest to stop or reboot.  A request the guest has been given cannot be taken back
        (it may already be acting on it), so from here on the task cannot be cancelled: ``task.cancel``
        answers OPERATION_NOT_ALLOWED instead of claiming a cancellation the guest would ignore."""

        async def request() -> None:
            if task is not None:
                task.set_cancellable(False)
            await ask()

        return Step(name, request)

    def _needs_guest(self, vm: str, op: str) -> None:
        """A clean operation needs a guest that can be asked (xapi: VM_MISSING_PV_DRIVERS)."""
        feature = _CLEAN_NEEDS[op]
        gm = self.db.get("VM", vm)["guest_metrics"]
        features = self.db.get("VM_guest_metrics", gm)["other"] if self.db.exists("VM_guest_metrics", gm) else {}
        if feature not in features:
            raise ApiError("VM_MISSING_PV_DRIVERS", vm)

    # -------------------------------------------------------- operations

    async def start(self, vm: str, paused: bool, task: TaskControl | None = None,
                    op: str = "start") -> None:  # fmt: skip
        async with self.operation(vm, op, task):
            steps = [self._check_memory(vm), self._create(vm), self._write_keys(vm)]
            if not paused:
                steps.append(self._unpause(vm))
            steps.append(self._record_live(vm))
            await self._run(vm, op, steps, task)

    async def pause(self, vm: str, task: TaskControl | None = None) -> None:
        async with self.operation(vm, "pause", task):
            uuid = self._uuid(vm)
            steps = [Step("pause", lambda: self.driver.vm.pause(uuid)), self._record_live(vm)]
            await self._run(vm, "pause", steps, task)

    async def unpause(self, vm: str, task: TaskControl | None = None) -> None:
        async with self.operation(vm, "unpause", task):
            await self._run(vm, "unpause", [self._unpause(vm), self._record_live(vm)], task)

    async def clean_shutdown(self, vm: str, task: TaskControl | None = None) -> None:
        async with self.operation(vm, "clean_shutdown", task):
            self._needs_guest(vm, "clean_shutdown")
            uuid = self._uuid(vm)
            steps = [
                self._request(vm, "request_shutdown", lambda: self.driver.vm.request_shutdown(uuid), task),
                self._wait_shutdown(vm, ShutdownReason.POWEROFF),
                self._destroy(vm),
                self._record_halted(vm),
            ]
            await self._run(vm, "clean_shutdown", steps, task)

    async def hard_shutdown(self, vm: str, task: TaskControl | None = None) -> None:
        async with self.operation(vm, "hard_shutdown", task):
            if self.db.get("VM", vm)["power_state"] == "Suspended":
                steps = [Step("discard_suspend_image", lambda: self._discard_suspend_image(vm)),
                         self._record_halted(vm)]  # fmt: skip
            else:
                steps = [self._destroy(vm), self._record_halted(vm)]
            await self._run(vm, "hard_shutdown", steps, task)

    async def shutdown(self, vm: str, task: TaskControl | None = None) -> None:
        """Clean if the guest can be asked, else hard; a clean attempt that fails falls back to hard too.

        As xapi's VM.shutdown: the call is checked as ``shutdown`` first (so it is refused as a whole,
        never half-way), then ``clean_shutdown`` is tried and any failure of it -- no drivers, a timeout,
        a failed step -- ends in ``hard_shutdown``.
        """
        lifecycle.require(vm, self.db.get("VM", vm), "shutdown")
        try:
            if self.db.get("VM", vm)["power_state"] == "Running":
                self._needs_guest(vm, "clean_shutdown")
                await self.clean_shutdown(vm, task)
                return
        except ApiError as e:
            if e.code == "TASK_CANCELLED":
                raise
            log.info("VM.shutdown: clean shutdown of %s failed (%s); shutting it down hard", vm, e.code)
        await self.hard_shutdown(vm, task)

    async def clean_reboot(self, vm: str, task: TaskControl | None = None) -> None:
        async with self.operation(vm, "clean_reboot", task):
            self._needs_guest(vm, "clean_reboot")
            uuid = self._uuid(vm)
            steps = [
                self._request(vm, "request_reboot", lambda: self.driver.vm.request_reboot(uuid), task),
                self._wait_shutdown(vm, ShutdownReason.REBOOT),
                self._destroy(vm),
                self._create(vm),
                self._write_keys(vm),
                self._unpause(vm),
                self._record_live(vm),
            ]
            await self._run(vm, "clean_reboot", steps, task)

    async def hard_reboot(self, vm: str, task: TaskControl | None = None) -> None:
        async with self.operation(vm, "hard_reboot", task):
            steps = [self._destroy(vm), self._create(vm), self._write_keys(vm), self._unpause(vm),
                     self._record_live(vm)]  # fmt: skip
            await self._run(vm, "hard_reboot", steps, task)

    # --------------------------------------------------- suspend / resume

    def _suspend_sr(self) -> str:
        pool = self.db.refs("pool")[0]
        sr: str = self.db.get("pool", pool)["suspend_image_SR"]
        if sr == NULL_REF or not self.db.exists("SR", sr):
            sr = self.db.get("pool", pool)["default_SR"]
        return sr

    async def suspend(self, vm: str, task: TaskControl | None = None) -> None:
        async with self.operation(vm, "suspend", task):
            uuid = self._uuid(vm)
            db = self.db
            sr = self._suspend_sr()
            holder: dict[str, str] = {}

            async def make_vdi() -> None:
                spec = domain_spec(db, vm)
                holder["vdi"] = db.create("VDI", {
                    "name_label": f"Suspend image for {spec.name}", "SR": sr, "type": "suspend",
                    "virtual_size": spec.memory_static_max, "read_only": False, "sharable": False,
                })  # fmt: skip
                db.set("VDI", holder["vdi"], "location", f"{db.get('VDI', holder['vdi'])['uuid']}.suspend")

            async def drop_vdi() -> None:
                if db.exists("VDI", holder.get("vdi", "")):
                    db.destroy("VDI", holder["vdi"])

            async def write() -> None:
                path = sr_path(db, sr) / db.get("VDI", holder["vdi"])["location"]
                if not suspend_image.supported(self.driver):
                    await self.driver.vm.suspend(uuid, str(path))
                    return
                options = self._image_options(vm, task, 1, 4)
                await self._library(vm, task, suspend_image.suspend_to(self.driver, uuid, str(path), options))

            async def mark() -> None:
                record.suspended(db, vm, holder["vdi"])

            steps = [Step("create_suspend_vdi", make_vdi, drop_vdi), Step("write_image", write),
                     self._destroy(vm), Step("record_state", mark)]  # fmt: skip
            await self._run(vm, "suspend", steps, task)

    async def checkpoint_live(self, vm: str, snapshot: Callable[[], Awaitable[str]],
                              discard: Callable[[str], Awaitable[None]], task: TaskControl | None = None,
                              ) -> tuple[str, str]:  # fmt: skip
        """A running or paused VM's memory image and disk snapshot, taken while it is briefly
        suspended (as xapi's checkpoint: suspend, snapshot the disks, resume).  The caller holds the
        operation; returns the snapshot VM and the VDI holding the memory image."""
        uuid = self._uuid(vm)
        db = self.db
        paused = db.get("VM", vm)["power_state"] == "Paused"
        sr = self._suspend_sr()
        made: dict[str, str] = {}

        async def make_vdi() -> None:
            spec = domain_spec(db, vm)
            made["vdi"] = db.create("VDI", {
                "name_label": f"Checkpoint image for {spec.name}", "SR": sr, "type": "suspend",
                "virtual_size": spec.memory_static_max, "read_only": False, "sharable": False,
            })  # fmt: skip
            db.set("VDI", made["vdi"], "location", f"{db.get('VDI', made['vdi'])['uuid']}.suspend")

        def image_path() -> Path:
            location: str = db.get("VDI", made["vdi"])["location"]
            return sr_path(db, sr) / location

        async def drop_vdi() -> None:
            if db.exists("VDI", made.get("vdi", "")):
                path = image_path()
                db.destroy("VDI", made["vdi"])
                await asyncio.to_thread(lambda: path.unlink(missing_ok=True))

        async def write() -> None:
            await self.driver.vm.suspend(uuid, str(image_path()))

        async def disks() -> None:
            made["snapshot"] = await snapshot()

        async def drop_disks() -> None:
            if "snapshot" in made:
                await discard(made["snapshot"])

        async def restore() -> None:
            await self.driver.vm.resume(domain_spec(db, vm), str(image_path()))

        steps = [Step("create_checkpoint_vdi", make_vdi, drop_vdi), Step("write_image", write), self._destroy(vm),
                 Step("snapshot_disks", disks, drop_disks),
                 Step("restore_domain", restore, self._destroy_quietly(uuid)), self._write_keys(vm)]  # fmt: skip
        if not paused:
            steps.append(self._unpause(vm))
        steps.append(self._record_live(vm))
        await self._run(vm, "checkpoint", steps, task)
        return made["snapshot"], made["vdi"]

    async def resume(self, vm: str, paused: bool, task: TaskControl | None = None,
                     op: str = "resume") -> None:  # fmt: skip
        async with self.operation(vm, op, task):
            uuid = self._uuid(vm)
            db = self.db

            async def restore() -> None:
                vdi = db.get("VM", vm)["suspend_VDI"]
                path = str(sr_path(db, db.get("VDI", vdi)["SR"]) / db.get("VDI", vdi)["location"])
                spec = domain_spec(db, vm)
                if suspend_image.supported(self.driver) and await asyncio.to_thread(suspend_image.is_saved_vm, path):
                    options = self._image_options(vm, task, 1, len(steps))
                    await self._library(vm, task, suspend_image.resume_from(self.driver, spec, path, options))
                else:  # written by the driver itself (before suspend went through the library)
                    await self.driver.vm.resume(spec, path)
                liveconfig.booted(db, vm)

            steps = [self._check_memory(vm), Step("restore_domain", restore, self._destroy_quietly(uuid)),
                     self._write_keys(vm)]  # fmt: skip
            if not paused:
                steps.append(self._unpause(vm))
            steps += [Step("discard_suspend_image", lambda: self._discard_suspend_image(vm)), self._record_live(vm)]
            await self._run(vm, op, steps, task)

    def _image_options(self, vm: str, task: TaskControl | None, step: int, steps: int) -> MigrationOptions:
        """The library's options for a suspend image: the task's progress within the step, its
        cancel, and the VM's ``other_config:xenia-suspend-bandwidth`` cap (bytes/s), if set."""
        options = MigrationOptions()
        cap = self.db.get("VM", vm)["other_config"].get(SUSPEND_BANDWIDTH, "")
        if cap:
            try:
                options.bandwidth = float(cap)
            except ValueError:
                raise ApiError("INVALID_VALUE", f"other_config:{SUSPEND_BANDWIDTH}", cap) from None
            if not options.bandwidth > 0:
                raise ApiError("INVALID_VALUE", f"other_config:{SUSPEND_BANDWIDTH}", cap)
        if task is not None:
            options.progress = progress_to(task, step / steps, (step + 1) / steps)
            options.cancel = TaskCancel(task)
        return options

    async def _library(self, vm: str, task: TaskControl | None, work: Awaitable[Any]) -> None:
        """Run a suspend image's save or restore; the library's own failures as XenAPI errors
        (a driver's error is raised as itself and mapped by the step runner)."""
        try:
            await work
        except MigrationCancelled as exc:
            raise ApiError("TASK_CANCELLED", task.ref if task is not None else NULL_REF) from exc
        except MigrationError as exc:
            raise ApiError("INTERNAL_ERROR", f"{exc.phase.value}: {exc.reason}: {exc.message}") from exc

    async def _discard_suspend_image(self, vm: str) -> None:
        db = self.db
        vdi = db.get("VM", vm)["suspend_VDI"]
        with db.batch():
            db.set("VM", vm, "suspend_VDI", NULL_REF)
            if db.exists("VDI", vdi):
                path = sr_path(db, db.get("VDI", vdi)["SR"]) / db.get("VDI", vdi)["location"]
                db.destroy("VDI", vdi)
            else:
                path = None
        if path is not None:
            await asyncio.to_thread(lambda: Path(path).unlink(missing_ok=True))

    # --------------------------------------------------------- attention

    def _on_attention(self, vm_uuid: str) -> None:
        signal = self._signals.get(vm_uuid)
        if signal is not None:
            signal.set()
        if vm_uuid in self._pending:
            return
        self._pending.add(vm_uuid)
        self._spawn(self._attend(vm_uuid))

    async def _attend(self, vm_uuid: str) -> None:
        # let an operation that is waiting on the guest see the change first
        await asyncio.sleep(0)
        async with self.lock(vm_uuid):
            self._pending.discard(vm_uuid)
            try:
                await self.reconcile(vm_uuid)
            except (DriverError, ApiError) as e:
                log.warning("reconciling VM %s failed: %s", vm_uuid, e)
            # a guest that stopped (or was restarted, or ballooned) changed what the host has free
            await self._update_host_memory()

    async def reconcile(self, vm_uuid: str) -> None:
        """Read the driver's state afresh and bring the db in line (caller holds the VM's lock)."""
        db = self.db
        try:
            vm = db.by_uuid("VM", vm_uuid)
        except ApiError:
            return
        try:
            state: DomainState | None = await self.driver.vm.get_state(vm_uuid)
        except NoSuchDomain:
            state = None
        await self._apply(vm, vm_uuid, state)

    async def _apply(self, vm: str, vm_uuid: str, state: DomainState | None) -> None:
        db = self.db
        rec = db.get("VM", vm)
        power = rec["power_state"]
        if state is None:
            if rec["resident_on"] not in (NULL_REF, self.host):
                return  # it runs on another pool member (moved there by VM.pool_migrate, or started there)
            if power in ("Running", "Paused"):
                await self._forget_keys(vm)
                record.halted(db, vm)
            return
        if state.run_state in (RunState.RUNNING, RunState.PAUSED):
            record.live(db, vm, self.host, state)
            await self._follow_agent(vm, state.domid)
            if self._consoles_stale(vm):
                await self._sync_consoles(vm, vm_uuid)
            return
        await self._guest_stopped(vm, vm_uuid, state.shutdown_reason)

    def _consoles_stale(self, vm: str) -> bool:
        """Whether a live VM's console objects must be made again: none yet (adopted), or the daemon's address changed."""
        consoles = self.db.referrers("console", "VM", vm)
        prefix = self.console_url + "?"
        return not consoles or any(not self.db.get("console", c)["location"].startswith(prefix) for c in consoles)

    async def _guest_stopped(self, vm: str, vm_uuid: str, reason: ShutdownReason | None) -> None:
        """The guest stopped by itself: follow the VM's actions_after_* (xapi's policy, here, not in the driver)."""
        db = self.db
        rec = db.get("VM", vm)
        await self._forget_keys(vm)
        if reason is ShutdownReason.SUSPEND and rec["suspend_VDI"] != NULL_REF:
            await self.driver.vm.destroy(vm_uuid)
            record.suspended(db, vm, rec["suspend_VDI"])
            return
        action = {
            ShutdownReason.REBOOT: rec["actions_after_reboot"],
            ShutdownReason.CRASH: rec["actions_after_crash"],
        }.get(reason or ShutdownReason.POWEROFF, rec["actions_after_shutdown"])
        if reason is ShutdownReason.CRASH:
            record.message(db, "VM_CRASHED", vm, f"VM {rec['name_label']} crashed; action: {action}")
        if action == "preserve":
            return
        await self.driver.vm.destroy(vm_uuid)
        if action in ("restart", "coredump_and_restart", "rename_restart"):
            try:
                state = await self.driver.vm.create(domain_spec(db, vm))
                liveconfig.booted(db, vm)
                if self.store is not None:
                    await guestkeys.write_keys(self.store, db, vm, state.domid)
                    await self._follow_agent(vm, state.domid)
                await self.driver.vm.unpause(vm_uuid)
                record.live(db, vm, self.host, await self.driver.vm.get_state(vm_uuid))
                await self._sync_consoles(vm, vm_uuid)
                return
            except DriverError as e:
                log.warning("restarting VM %s failed: %s", vm_uuid, e)
                await self._destroy_quietly(vm_uuid)()
        record.halted(db, vm)

    async def adopt_all(self) -> None:
        """At start-up: match the driver's domains with the db (the driver is right about what runs).

        In bulk, so a restart with 10 000 running VMs takes seconds: one driver listing, then every
        live domain and every VM's housekeeping recorded in one db batch (one durable write), then
        the guest agents followed. Only the rare cases -- a domain no VM owns, a guest that stopped
        while xenia was down, a VM whose domain is gone -- take the per-VM path with its store calls.
        """
        db = self.db
        domains = {d.vm_uuid: d for d in await self.driver.vm.list_domains()}
        live: list[tuple[str, DomainState]] = []
        stopped: list[tuple[str, str, DomainState]] = []
        for vm_uuid, state in domains.items():
            try:
                vm = db.by_uuid("VM", vm_uuid)
            except ApiError:
                log.warning("destroying domain %s of unknown VM %s", state.domid, vm_uuid)
                await self._destroy_quietly(vm_uuid)()
                continue
            if state.run_state in (RunState.RUNNING, RunState.PAUSED):
                live.append((vm, state))
            else:
                stopped.append((vm, vm_uuid, state))
        lost: list[str] = []
        for vm, _state in live:
            # the store kept the names of domains that ran on (a rename commits to the db first and
            # is written to the store after); knowing them, adoption writes no rename per VM
            self._store_names[vm] = db.get("VM", vm)["name_label"]
        with db.batch():
            for vm, state in live:
                if not record.is_recorded_live(db, vm, self.host, state):
                    record.live(db, vm, self.host, state)
            for vm in db.refs("VM"):
                rec = db.get("VM", vm)
                if rec["resident_on"] not in (NULL_REF, self.host):
                    continue  # another pool member's: it answers for its own domains
                if rec["current_operations"]:
                    db.set("VM", vm, "current_operations", {})
                if rec["is_control_domain"]:
                    record.refresh_allowed(db, vm, self.cannot)
                    continue
                if rec["power_state"] in ("Running", "Paused") and rec["uuid"] not in domains:
                    lost.append(vm)
                else:
                    record.refresh_allowed(db, vm, self.cannot)
        for vm, vm_uuid, state in stopped:
            async with self.lock(vm_uuid):
                await self._apply(vm, vm_uuid, state)
        for vm in lost:
            rec = db.get("VM", vm)
            await self._forget_keys(vm)
            record.halted(db, vm)
            record.message(db, "VM_DOMAIN_LOST", vm,
                           f"The domain of VM {rec['name_label']} was gone when xenia started; "
                           "the VM is marked Halted.")  # fmt: skip
        for vm, state in live:
            if self._consoles_stale(vm):
                await self._sync_consoles(vm, state.vm_uuid)
        self._adopted = [(vm, state.domid) for vm, state in live]
        await self._update_host_memory()

    async def arrived(self, vm: str) -> None:
        """A VM's domain came here by migration (:mod:`xenia.ops.migration`): record it as a started one."""
        uuid = self._uuid(vm)
        await self._write_keys(vm).do()
        await self._record_live(vm).do()
        await self._update_host_memory()
        log.info("VM %s arrived by migration", uuid)

    async def departed(self, vm: str) -> None:
        """A VM's domain left by migration: forget its guest-visible keys (the caller removes the record)."""
        await self._forget_keys(vm)
        self._store_names.pop(vm, None)

    def follow_adopted_later(self) -> None:
        """Start :meth:`follow_adopted` in the background (cancelled by :meth:`close`)."""
        self._spawn(self.follow_adopted())

    async def follow_adopted(self) -> None:
        """Follow the guest agents of the domains :meth:`adopt_all` adopted.

        Run once the API answers (in the background): each costs a store watch and a read of the
        agent's keys, 10 000 of them seconds, and the guest metrics they refresh are those the db
        kept. A VM an operation reached first is left to that operation.

        The in-process store's calls never suspend, so this yields to the event loop every
        :data:`FOLLOW_SLICE` VMs: otherwise the 10 000 watches, and the agents' reads their first
        events start, would all run in one stretch of the loop, and the first client after a
        restart would wait for them."""
        adopted, self._adopted = self._adopted, []
        if self.agents is None:
            return
        for n, (vm, domid) in enumerate(adopted):
            if n % FOLLOW_SLICE == FOLLOW_SLICE - 1:
                await (self.foreground.wait_idle() if self.foreground is not None else asyncio.sleep(0))
            if not self.db.exists("VM", vm):
                continue
            async with self.lock(self._uuid(vm)):
                rec = self.db.get("VM", vm)
                if rec["domid"] == domid and rec["power_state"] in ("Running", "Paused"):
                    await self.agents.follow(vm, domid)

    def store_names(self) -> dict[str, str]:
        """The name each running VM has in the store (part of a test double's snapshot)."""
        return dict(self._store_names)

    async def reset(self, store_names: dict[str, str]) -> None:
        """Forget the operations in flight, for a test double's restore (:mod:`xenia.testing.snapshot`):
        background work is cancelled, VM locks and guest signals dropped, store names set to ``store_names``."""
        work = list(self._background)
        for task in work:
            task.cancel()
        await asyncio.gather(*work, return_exceptions=True)
        self._store_names = dict(store_names)
        self._locks.clear()
        self._signals.clear()
        self._pending.clear()

    async def close(self) -> None:
        if self.agents is not None:
            await self.agents.close()
        self._unsubscribe()
        self._unwatch_db()
        self._unfinish()
        for task in list(self._background):
            task.cancel()
