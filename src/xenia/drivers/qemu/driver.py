"""The QEMU/KVM driver: every domain is a QEMU process driven over QMP.

Construction touches nothing (``QemuDriver(DriverConfig(state_dir, options))``); :meth:`open`
creates ``state_dir/qemu``, picks the accelerator and adopts the QEMU processes recorded there.
Domains live in ``state_dir/qemu/d<domid>/`` (see :mod:`.process`).

Options (all strings): ``accel`` (``auto``, default; ``kvm``; ``tcg``), ``binary`` (the emulator,
default ``qemu-system-x86_64``), ``memory`` (bytes the driver may give to domains; default the
host's MemTotal minus 1 GiB), ``agent-interval`` (seconds between two reports of a guest agent once
settled, default 60: see :mod:`.agent`).

With a store attached (:meth:`QemuDriver.attach_store`, as the daemon does) what a guest's QEMU
guest agent reports is written under the domain's store path in the keys Xen guest agents use.

Attention is signalled for the QMP events STOP, RESUME, SHUTDOWN, RESET, POWERDOWN,
DEVICE_TRAY_MOVED, GUEST_PANICKED, BALLOON_CHANGE (once the target is reached) and MIGRATION (in
a final state), and at once when a QEMU process exits on its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xenia.drivers.base import (
    AttentionCallback,
    Capability,
    DiskKind,
    DomainSpec,
    DomainState,
    DriverConfig,
    HostInfo,
    RunState,
    ShutdownReason,
    Unsubscribe,
)
from xenia.drivers.errors import (
    BackendFailure,
    DomainExists,
    DriverError,
    InvalidArgument,
    InvalidState,
    NoSuchDomain,
    NoSuchImage,
    NotEnoughMemory,
    NotSupported,
)
from xenia.drivers.qemu import qos
from xenia.drivers.qemu.agent import AGENT_INTERVAL, AgentRelay
from xenia.drivers.qemu.argv import Accel, LaunchOptions, build_argv, validate
from xenia.drivers.qemu.devices import QemuConsole, QemuDisk, QemuNet
from xenia.drivers.qemu.domain import Domain
from xenia.drivers.qemu.host import host_info, meminfo, probe_accel
from xenia.drivers.qemu.metrics import QemuMetrics
from xenia.drivers.qemu.net import host_bridges, open_tap, tap_name
from xenia.drivers.qemu.process import (
    DomainPaths,
    ExitWatch,
    bind_listener,
    kill_group,
    process_matches,
    read_pid,
    spawn,
)
from xenia.drivers.qemu.qmp import QMPError
from xenia.drivers.qemu.record import DomainRecord
from xenia.drivers.qemu.storage import QemuStorage, image_format
from xenia.drivers.qemu.suspend import restore_from_file, save_to_file
from xenia.drivers.qemu.timing import Timings

if TYPE_CHECKING:
    from xenia.store.client import StoreClient, StoreTransaction

__all__ = ["QemuDriver"]

log = logging.getLogger(__name__)

GiB = 1024**3
_OPTIONS = frozenset({"accel", "binary", "memory", "agent-interval"})
#: How long a QEMU may take from exec to its QMP greeting before start counts as failed.
START_TIMEOUT = 60.0
#: Seconds QEMU gets to exit on SIGTERM before destroy sends SIGKILL.
TERM_GRACE = 5.0
#: A guest request (power button, Ctrl-Alt-Del) is repeated this often, for this long.
REQUEST_PERIOD, REQUEST_LIMIT = 1.0, 60.0

CAPABILITIES = frozenset(
    {
        Capability.PAUSE,
        Capability.CLEAN_SHUTDOWN,
        Capability.CLEAN_REBOOT,
        Capability.HARD_RESET,
        Capability.SUSPEND,
        Capability.BALLOON,
        Capability.VCPU_HOTPLUG,
        Capability.CD_MEDIA_CHANGE,
        Capability.DISK_HOTPLUG,
        Capability.NIC_HOTPLUG,
        Capability.CONSOLE,
        Capability.METRICS,
        Capability.STORAGE,
        Capability.CLONE,
        Capability.SNAPSHOT,
    }
)


class QemuHost:
    """:class:`~xenia.drivers.base.HostOps`: static facts plus memory bookkeeping."""

    def __init__(self, driver: QemuDriver) -> None:
        self._driver = driver

    async def info(self) -> HostInfo:
        return host_info(self._driver.memory_total)

    async def memory_free(self) -> int:
        return self._driver.memory_free()


class QemuVm:
    """:class:`~xenia.drivers.base.VmOps` over QMP."""

    def __init__(self, driver: QemuDriver) -> None:
        self._d = driver

    async def create(self, spec: DomainSpec) -> DomainState:
        with self._d.timings.measure("create", spec.vm_uuid):
            return await self._d.launch(spec, None)

    async def resume(self, spec: DomainSpec, path: str) -> DomainState:
        self._d.need(Capability.SUSPEND)
        try:
            with open(path, "rb") as f:
                magic = f.read(4)
        except OSError as exc:
            raise NoSuchImage(path, cause=exc) from exc
        if magic != b"QEVM":
            raise NoSuchImage(path)
        with self._d.timings.measure("resume", spec.vm_uuid):
            return await self._d.launch(spec, path)

    async def unpause(self, vm_uuid: str) -> None:
        dom = self._d.domain(vm_uuid)
        async with dom.lock:
            with self._d.timings.measure("unpause", vm_uuid):
                await dom.require(RunState.PAUSED)
                await dom.execute("cont")

    async def pause(self, vm_uuid: str) -> None:
        self._d.need(Capability.PAUSE)
        dom = self._d.domain(vm_uuid)
        async with dom.lock:
            with self._d.timings.measure("pause", vm_uuid):
                await dom.require(RunState.RUNNING)
                await dom.execute("stop")

    async def request_shutdown(self, vm_uuid: str) -> None:
        self._d.need(Capability.CLEAN_SHUTDOWN)
        await self._request(vm_uuid, "system_powerdown", None, "powerdown")

    async def request_reboot(self, vm_uuid: str) -> None:
        self._d.need(Capability.CLEAN_REBOOT)
        keys = [{"type": "qcode", "data": k} for k in ("ctrl", "alt", "delete")]
        await self._request(vm_uuid, "send-key", {"keys": keys}, "reboot")

    async def _request(self, vm_uuid: str, command: str, arguments: dict[str, object] | None, agent_mode: str) -> None:
        """Press the button (or keys) now and again until the guest acts, and ask its guest agent
        (``guest-shutdown`` ``agent_mode``) if the guest has not acted after a few seconds."""
        dom = self._d.domain(vm_uuid)
        async with dom.lock:
            await dom.require(RunState.RUNNING)
            await dom.execute(command, arguments)
            dom.repeat_until_shutdown(command, arguments, period=REQUEST_PERIOD, limit=REQUEST_LIMIT,
                                      agent_mode=agent_mode)  # fmt: skip

    async def destroy(self, vm_uuid: str) -> None:
        await self._d.destroy(vm_uuid)

    async def reset(self, vm_uuid: str) -> None:
        self._d.need(Capability.HARD_RESET)
        dom = self._d.domain(vm_uuid)
        async with dom.lock:
            await dom.require(RunState.RUNNING, RunState.PAUSED)
            with self._d.timings.measure("reset", vm_uuid):
                dom.expect_host_reset()
                await dom.execute("system_reset")

    async def suspend(self, vm_uuid: str, path: str) -> None:
        self._d.need(Capability.SUSPEND)
        dom = self._d.domain(vm_uuid)
        async with dom.lock:
            state = await dom.require(RunState.RUNNING, RunState.PAUSED)
            with self._d.timings.measure("suspend", vm_uuid):
                await save_to_file(dom, path, was_running=state is RunState.RUNNING)
            dom.record.shutdown_reason = ShutdownReason.SUSPEND
            dom.persist()
        self._d.notify(vm_uuid)

    async def set_memory_target(self, vm_uuid: str, target: int) -> None:
        self._d.need(Capability.BALLOON)
        dom = self._d.domain(vm_uuid)
        spec = dom.record.spec
        if not 0 < target <= spec.memory_static_max:
            raise InvalidArgument(f"memory target {target} outside (0, {spec.memory_static_max}]")
        async with dom.lock:
            await dom.require(RunState.RUNNING, RunState.PAUSED)
            await dom.execute("balloon", {"value": target})
            dom.record.memory_target = target
            dom.persist()

    async def set_vcpus(self, vm_uuid: str, count: int) -> None:
        """Hot-add vCPUs at once (``device_add`` into free slots); hot-removal of vCPUs that were
        hot-added is *requested* (``device_del``) and completes when the guest releases them."""
        self._d.need(Capability.VCPU_HOTPLUG)
        dom = self._d.domain(vm_uuid)
        vcpus_max = dom.record.spec.vcpus_max
        if not 1 <= count <= vcpus_max:
            raise InvalidArgument(f"VCPU values must satisfy 0 < VCPUs <= VCPUs_max ({vcpus_max}), got {count}")
        async with dom.lock:
            await dom.require(RunState.RUNNING, RunState.PAUSED)
            slots = await dom.execute("query-hotpluggable-cpus")
            plugged = [s for s in slots if "qom-path" in s]
            free = sorted((s for s in slots if "qom-path" not in s), key=_slot_key)
            for slot in free[: max(0, count - len(plugged))]:
                props = slot["props"]
                await dom.execute("device_add", {"driver": slot["type"], "id": _vcpu_id(props), **props})
            surplus = len(plugged) - count
            if surplus > 0:
                removable = sorted(
                    (s for s in plugged if str(s["qom-path"]).startswith("/machine/peripheral/")),
                    key=_slot_key,
                    reverse=True,
                )
                if len(removable) < surplus:
                    raise InvalidState(
                        vm_uuid, f"{len(plugged)} vcpus", (), detail="only hot-plugged vCPUs can be removed"
                    )
                for slot in removable[:surplus]:
                    await dom.execute("device_del", {"id": str(slot["qom-path"]).rsplit("/", 1)[1]})

    async def get_state(self, vm_uuid: str) -> DomainState:
        return await self._d.domain(vm_uuid).state()

    async def list_domains(self) -> list[DomainState]:
        domains = sorted(self._d.domains.values(), key=lambda d: d.domid)
        return list(await asyncio.gather(*(d.state() for d in domains)))


def _slot_key(slot: dict[str, Any]) -> tuple[int, ...]:
    props = slot["props"]
    return tuple(int(props.get(k, 0)) for k in ("socket-id", "die-id", "core-id", "thread-id"))


def _vcpu_id(props: dict[str, Any]) -> str:
    return "vcpu-" + "-".join(str(props.get(k, 0)) for k in ("socket-id", "die-id", "core-id", "thread-id"))


class QemuDriver:
    """The ``qemu`` driver (registered in :mod:`xenia.drivers.registry`)."""

    name = "qemu"

    def __init__(self, config: DriverConfig) -> None:
        opts = dict(config.options)
        unknown = set(opts) - _OPTIONS
        if unknown:
            raise InvalidArgument(f"unknown qemu driver options: {', '.join(sorted(unknown))}")
        self.base = Path(config.state_dir) / "qemu"
        self.binary = opts.get("binary", "qemu-system-x86_64")
        self._accel_option = opts.get("accel", "auto")
        self._memory_option = opts.get("memory")
        try:
            self.agent_interval = float(opts.get("agent-interval", AGENT_INTERVAL))
        except ValueError as exc:
            raise InvalidArgument(f"option agent-interval must be seconds, got {opts['agent-interval']!r}") from exc
        if not self.agent_interval > 0:
            raise InvalidArgument(f"option agent-interval must be positive, got {self.agent_interval}")
        #: set by :meth:`attach_store`: guest agents' reports go there
        self.store: StoreClient | None = None
        self._agent_updates = 0
        self.capabilities: frozenset[Capability] = CAPABILITIES
        #: The accelerator chosen by :meth:`open`.
        self.accel = Accel.TCG
        self.memory_total = 0
        #: Live domains by VM uuid (including adopted ones).
        self.domains: dict[str, Domain] = {}
        #: VMs whose QEMU was recorded in the state directory but had died when :meth:`open` ran.
        self.vanished: list[str] = []
        self._subscribers: list[AttentionCallback] = []
        #: Durations of recent lifecycle steps (create, resume, unpause, pause, suspend, reset, destroy).
        self.timings = Timings()
        self.host = QemuHost(self)
        self.vm = QemuVm(self)
        self.disk = QemuDisk(self)
        self.net = QemuNet(self)
        self.console = QemuConsole(self)
        self.metrics = QemuMetrics(self)
        self.storage = QemuStorage()

    # ------------------------------------------------------------------------------------------
    # Lifecycle and events

    async def open(self) -> None:
        self.accel = probe_accel(self._accel_option)
        if self._memory_option is not None:
            try:
                self.memory_total = int(self._memory_option)
            except ValueError as exc:
                raise InvalidArgument(f"option memory must be bytes, got {self._memory_option!r}") from exc
        else:
            self.memory_total = max(0, meminfo("MemTotal") - GiB)
        self.base.mkdir(parents=True, exist_ok=True)
        for entry in sorted(self.base.glob("d*")):
            if entry.is_dir():
                await self._adopt(DomainPaths(entry))

    def attach_store(self, store: StoreClient) -> None:
        """Write what guest agents report under their domains' store paths (see :mod:`.agent`)."""
        self.store = store
        for dom in self.domains.values():
            if dom.agent is not None:  # adopted: what its agent said before the store came is written now
                dom.agent.keys = {}
                dom.agent.poke()

    async def publish_agent_keys(self, domid: int, keys: Mapping[str, str], gone: Sequence[str]) -> bool:
        """Write a guest agent's keys under ``/local/domain/<domid>`` and touch ``data/updated`` (last,
        as Xen's agents do: ops watches it); False while the domain has no store path yet."""
        store = self.store
        if store is None:
            return True  # no store: the relay keeps the keys, nothing reads them
        base = f"/local/domain/{domid}"
        if not await store.exists(base):
            return False
        self._agent_updates += 1
        updated = str(self._agent_updates)

        async def write(tx: StoreTransaction) -> None:
            for key in gone:
                if await tx.exists(f"{base}/{key}"):
                    await tx.rm(f"{base}/{key}")
            for key, value in keys.items():
                await tx.write(f"{base}/{key}", value)
            await tx.write(f"{base}/data/updated", updated)

        await store.transact(write)
        return True

    def _start_agent(self, dom: Domain) -> None:
        """Relay the domain's guest agent from now on (its first question goes out at once)."""
        dom.agent = AgentRelay(dom.paths.agent, dom.domid, lambda: dom.record.spec.nics, self.publish_agent_keys,
                               self.agent_interval, lambda: self.notify(dom.vm_uuid))  # fmt: skip
        dom.agent.start()

    async def close(self) -> None:
        for dom in self.domains.values():
            dom.close()
            await dom.qmp.disconnect()
        self.domains.clear()

    def subscribe(self, callback: AttentionCallback) -> Unsubscribe:
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscribers.remove(callback)

        return unsubscribe

    def notify(self, vm_uuid: str) -> None:
        """Tell every subscriber that ``vm_uuid`` needs attention."""
        for callback in list(self._subscribers):
            try:
                callback(vm_uuid)
            except Exception:  # a subscriber must not break the driver (contract says: must not raise)
                log.exception("attention callback failed for %s", vm_uuid)

    # ------------------------------------------------------------------------------------------
    # Helpers for the parts

    def need(self, capability: Capability) -> None:
        """Raise :class:`NotSupported` unless ``capability`` is declared."""
        if capability not in self.capabilities:
            raise NotSupported(capability.value, driver=self.name)

    def domain(self, vm_uuid: str) -> Domain:
        """The live domain of ``vm_uuid`` (:class:`NoSuchDomain` if none)."""
        try:
            return self.domains[vm_uuid]
        except KeyError:
            raise NoSuchDomain(vm_uuid) from None

    def memory_free(self) -> int:
        held = sum(d.record.memory_target for d in self.domains.values())
        return max(0, self.memory_total - held)

    def _next_domid(self) -> int:
        counter = self.base / "next-domid"
        try:
            domid = int(counter.read_text())
        except (OSError, ValueError):
            domid = 1
        used = {d.domid for d in self.domains.values()}
        while domid in used or DomainPaths.for_domid(self.base, domid).root.exists():
            domid += 1
        tmp = counter.with_suffix(".tmp")
        tmp.write_text(str(domid + 1))
        os.replace(tmp, counter)
        return domid

    # ------------------------------------------------------------------------------------------
    # Start (create and resume share it)

    async def launch(self, spec: DomainSpec, image: str | None) -> DomainState:
        """Start a paused domain for ``spec``; from the suspend image ``image`` if given."""
        if spec.vm_uuid in self.domains:
            raise DomainExists(spec.vm_uuid, self.domains[spec.vm_uuid].domid)
        validate(spec)
        free = self.memory_free()
        if spec.memory_target > free:
            raise NotEnoughMemory(spec.memory_target, free)
        domid = self._next_domid()
        paths = DomainPaths.for_domid(self.base, domid)
        record = DomainRecord(
            spec=spec,
            domid=domid,
            accel=self.accel,
            start_time=time.time(),
            memory_target=spec.memory_target,
            media={d.userdevice: d.path for d in spec.disks if d.kind is DiskKind.CD},
        )
        dom = Domain(record, paths, self.notify)
        self.domains[spec.vm_uuid] = dom  # reserves the uuid and the memory while starting
        try:
            await self._spawn(dom, image)
            if image is not None:
                await restore_from_file(dom, image)
            if spec.memory_target < spec.memory_static_max:
                await dom.execute("balloon", {"value": spec.memory_target})
            await qos.apply_at_start(dom)
            await self._features(dom)
            self._start_agent(dom)
            return await dom.state()
        except BaseException as exc:
            await self._discard(dom)
            if isinstance(exc, DriverError | asyncio.CancelledError):
                raise
            if isinstance(exc, OSError | QMPError):
                raise BackendFailure(f"cannot start QEMU for VM {spec.vm_uuid}: {exc}", cause=exc) from exc
            raise

    async def _spawn(self, dom: Domain, image: str | None) -> None:
        paths, spec = dom.paths, dom.record.spec
        paths.root.mkdir(parents=True)
        qmp_sock = bind_listener(paths.qmp)
        serial_sock = bind_listener(paths.serial)
        agent_sock = bind_listener(paths.agent)
        image_fd = os.open(image, os.O_RDONLY | os.O_CLOEXEC) if image is not None else None
        taps: dict[str, int] = {}
        try:
            bridges = host_bridges()
            for nic in spec.nics:
                if nic.bridge in bridges:
                    taps[nic.device] = open_tap(tap_name(dom.domid, nic.device), nic.bridge, nic.mtu)
            formats = {
                d.userdevice: image_format(d.path) for d in spec.disks if d.path is not None and d.kind is DiskKind.DISK
            }
            opts = LaunchOptions(
                qmp_fd=qmp_sock.fileno(),
                serial_fd=serial_sock.fileno(),
                pidfile=str(paths.pidfile),
                accel=dom.record.accel,
                binary=self.binary,
                disk_formats=formats,
                incoming=image is not None,
                tap_fds=taps,
                agent_fd=agent_sock.fileno(),
            )
            argv = build_argv(spec, opts)
            dom.persist()
            fds = [qmp_sock.fileno(), serial_sock.fileno(), agent_sock.fileno(), *taps.values()]
            fds += [image_fd] if image_fd is not None else []
            proc = spawn(argv, log=paths.log, pass_fds=fds)
        finally:
            qmp_sock.close()
            serial_sock.close()
            agent_sock.close()
            for fd in taps.values():
                os.close(fd)
        dom.pid = proc.pid
        dom.incoming_fd = image_fd
        dom.watch = ExitWatch(proc.pid, dom.on_exit, child=proc)
        try:
            await dom.qmp.connect(str(paths.qmp), timeout=START_TIMEOUT)
        except QMPError as exc:
            raise BackendFailure(
                f"QEMU for VM {spec.vm_uuid} did not start: {self._log_tail(paths)}", cause=exc
            ) from exc

    @staticmethod
    async def _features(dom: Domain) -> None:
        """Know at once what a resumed or adopted guest can do (its PM state came with it); watch
        a new one until its OS says."""
        try:
            if await dom.probe_features():
                return
        except (QMPError, ValueError, IndexError) as exc:
            log.info("VM %s: cannot read the guest's ACPI power-button state: %s", dom.vm_uuid, exc)
            return
        dom.watch_features()

    @staticmethod
    def _log_tail(paths: DomainPaths) -> str:
        try:
            return paths.log.read_text(errors="replace").strip()[-2000:] or "(no output)"
        except OSError:
            return "(no log)"

    # ------------------------------------------------------------------------------------------
    # Destroy

    async def destroy(self, vm_uuid: str) -> None:
        dom = self.domain(vm_uuid)
        async with dom.lock:
            with self.timings.measure("destroy", vm_uuid):
                await self._discard(dom)

    async def _discard(self, dom: Domain) -> None:
        """Kill the process (if any), wait for its exit, delete its directory, forget it."""
        dom.destroying = True
        if dom.pid is not None and not dom.exited and dom.watch is not None:
            # SIGTERM first: QEMU exits in a few ms and flushes its block caches (qcow2 metadata)
            # on the way out; SIGKILL to the whole group if it does not.
            with contextlib.suppress(ProcessLookupError):
                os.kill(dom.pid, signal.SIGTERM)
            try:
                await asyncio.wait_for(dom.watch.wait(), TERM_GRACE)
            except TimeoutError:
                kill_group(dom.pid, signal.SIGKILL)
                try:
                    await asyncio.wait_for(dom.watch.wait(), 30)
                except TimeoutError:
                    log.warning("QEMU %d of VM %s did not exit after SIGKILL", dom.pid, dom.vm_uuid)
        dom.close()
        await dom.qmp.disconnect()
        if dom.incoming_fd is not None:
            os.close(dom.incoming_fd)
            dom.incoming_fd = None
        shutil.rmtree(dom.paths.root, ignore_errors=True)
        if self.domains.get(dom.vm_uuid) is dom:
            del self.domains[dom.vm_uuid]

    # ------------------------------------------------------------------------------------------
    # Adoption

    async def _adopt(self, paths: DomainPaths) -> None:
        try:
            record = DomainRecord.load(paths.record)
        except (OSError, ValueError, KeyError) as exc:
            log.warning("ignoring %s: unreadable record (%s)", paths.root, exc)
            shutil.rmtree(paths.root, ignore_errors=True)
            return
        pid = read_pid(paths.pidfile)
        if pid is None or not process_matches(pid, record.spec.vm_uuid):
            log.info("VM %s: its QEMU is gone", record.spec.vm_uuid)
            self.vanished.append(record.spec.vm_uuid)
            shutil.rmtree(paths.root, ignore_errors=True)
            return
        dom = Domain(record, paths, self.notify)
        dom.pid = pid
        dom.watch = ExitWatch(pid, dom.on_exit)
        try:
            await dom.qmp.connect(str(paths.qmp), timeout=10)
        except QMPError as exc:
            log.warning("VM %s: cannot reconnect to QEMU %d (%s); reporting it crashed", record.spec.vm_uuid, pid, exc)
            if record.shutdown_reason is None:
                record.shutdown_reason = ShutdownReason.CRASH
        else:
            await self._features(dom)
            self._start_agent(dom)
        self.domains[record.spec.vm_uuid] = dom
