"""The simulator driver: the whole driver protocol, in process, with no hypervisor.

It is a product in its own right (the default backend of ``xenia serve``, like libvirt's
``test:///default``), and the reference the conformance suite holds other drivers to. It keeps
its domains in ``<state_dir>/sim/domains.sqlite`` (see :mod:`.state`), lets tests drive time
(:mod:`.clock`) and break any step (:mod:`.faults`), and simulates guests (:mod:`.guest`).

Options (``DriverConfig.options``, all strings):

``memory``       host memory for domains, bytes or with a K/M/G/T suffix (binary); default 256G
``cpus``         host CPU count; default the real machine's
``hostname``     default the real machine's
``guest-delay``  seconds a cooperative guest takes to act on a request; default 2
``clock``        ``real`` (default) or ``virtual`` (a fresh :class:`VirtualClock`)
``disable``      comma-separated capability values to leave out (e.g. ``pause,suspend``)
``faults``       comma-separated ``NAME=ACTION`` fault specs armed at construction
``state``        ``disk`` (default: ``<state_dir>/sim/domains.sqlite``) or ``memory`` (gone with the process)
``migration-memory``  bytes of modelled guest memory a migration moves (at most the VM's); default 4M
``dirty-rate``   bytes per second a running simulated guest dirties (for migration); default 1M
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from xenia.drivers.base import (
    AttentionCallback,
    Capability,
    DiskState,
    DomainSpec,
    DomainState,
    DriverConfig,
    HostInfo,
    RunState,
    ShutdownReason,
    Unsubscribe,
)
from xenia.drivers.errors import (
    DomainExists,
    InvalidArgument,
    InvalidState,
    NoSuchDomain,
    NoSuchImage,
    NotEnoughMemory,
    NotSupported,
)
from xenia.drivers.sim.clock import Clock, RealClock, VirtualClock
from xenia.drivers.sim.devices import SimConsole, SimDisk, SimMetrics, SimNet
from xenia.drivers.sim.faults import Faults
from xenia.drivers.sim.guest import BALLOON_TICK, GuestProfile, balloon_floor, balloon_rate, crash_after, profile_of
from xenia.drivers.sim.state import SimDomain, SimStore, spec_from_json, spec_to_json
from xenia.drivers.sim.storage import SimStorage
from xenia.drivers.sim.xsguest import StoreGuests
from xenia.util.foreground import Foreground

if TYPE_CHECKING:
    from xenia.store.client import StoreClient

__all__ = ["SUSPEND_FORMAT", "SimDriver", "parse_size"]

log = logging.getLogger(__name__)

GiB = 1024**3
#: The ``format`` tag of the simulator's suspend images.
SUSPEND_FORMAT = "xenia-sim-suspend"
_OPTIONS = frozenset(
    {"memory", "cpus", "hostname", "guest-delay", "clock", "disable", "faults", "state", "migration-memory", "dirty-rate"}
)
_LIVE = (RunState.RUNNING, RunState.PAUSED)


def parse_size(text: str) -> int:
    """Parse ``"256G"``, ``"512M"``, ``"1073741824"`` (binary units) into bytes."""
    units = {"K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
    t = text.strip().upper().removesuffix("IB").removesuffix("B")
    mult = 1
    if t and t[-1] in units:
        mult, t = units[t[-1]], t[:-1]
    try:
        value = int(t) * mult
    except ValueError:
        raise InvalidArgument(f"size {text!r}: want bytes or a K/M/G/T suffix") from None
    if value <= 0:
        raise InvalidArgument(f"size {text!r}: must be positive")
    return value


def _positive_float(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InvalidArgument(f"option {name}={text!r}: not a number") from None
    if value < 0:
        raise InvalidArgument(f"option {name}={text!r}: negative")
    return value


def _check_spec(spec: DomainSpec) -> None:
    if not 0 < spec.vcpus_at_startup <= spec.vcpus_max:
        raise InvalidArgument(f"VM {spec.vm_uuid}: need 0 < vcpus_at_startup <= vcpus_max")
    if not 0 < spec.memory_dynamic_min <= spec.memory_target <= spec.memory_dynamic_max <= spec.memory_static_max:
        raise InvalidArgument(f"VM {spec.vm_uuid}: need 0 < dynamic_min <= target <= dynamic_max <= static_max")


class SimDriver:
    """The simulator. Construct through the registry (``create("sim", state_dir)``) or directly.

    :param clock: overrides the ``clock`` option (tests pass a shared :class:`VirtualClock`).
    """

    name = "sim"

    def __init__(self, config: DriverConfig, *, clock: Clock | None = None) -> None:
        opts = dict(config.options)
        unknown = set(opts) - _OPTIONS
        if unknown:
            raise InvalidArgument(f"unknown sim driver options: {', '.join(sorted(unknown))}")
        if clock is None:
            kind = opts.get("clock", "real")
            if kind not in ("real", "virtual"):
                raise InvalidArgument(f"option clock={kind!r}: want real or virtual")
            clock = VirtualClock() if kind == "virtual" else RealClock()
        #: The simulator's time (a :class:`VirtualClock` in tests).
        self.clock: Clock = clock
        #: The fault points; see :mod:`xenia.drivers.sim.faults`.
        self.faults = Faults(clock)
        #: when set (``xenia serve``), booting the simulated guests after a restart gives way to the
        #: big answers being encoded (:mod:`xenia.util.foreground`)
        self.foreground: Foreground | None = None
        for text in filter(None, (s.strip() for s in opts.get("faults", "").split(","))):
            self.faults.set_spec(text)
        caps = set(Capability) - {Capability.MIGRATE}
        for value in filter(None, (s.strip() for s in opts.get("disable", "").split(","))):
            try:
                caps.discard(Capability(value))
            except ValueError:
                raise InvalidArgument(f"option disable: unknown capability {value!r}") from None
        self.capabilities: frozenset[Capability] = frozenset(caps)
        self.memory_total = parse_size(opts.get("memory", "256G"))
        self.cpu_count = int(opts.get("cpus", str(os.cpu_count() or 1)))
        self.hostname = opts.get("hostname") or socket.gethostname()
        self.guest_delay = _positive_float("guest-delay", opts.get("guest-delay", "2"))
        #: the memory model of :mod:`xenia.migration.sim`
        self.migration_memory = parse_size(opts.get("migration-memory", "4M"))
        self.dirty_rate = parse_size(opts.get("dirty-rate", "1M"))
        self.state_dir = Path(config.state_dir) / "sim"
        kind = opts.get("state", "disk")
        if kind not in ("disk", "memory"):
            raise InvalidArgument(f"option state={kind!r}: want disk or memory")
        self.in_memory = kind == "memory"

        self._store: SimStore | None = None
        #: set by :meth:`attach_store`: guests then talk through the store
        self.guests: StoreGuests | None = None
        self._domains: dict[str, SimDomain] = {}
        self._reserved = 0
        self._last_domid = 0
        self._subscribers: list[AttentionCallback] = []

        self.host = SimHost(self)
        self.vm = SimVm(self)
        self.disk = SimDisk(self)
        self.net = SimNet(self)
        self.console = SimConsole(self)
        self.metrics = SimMetrics(self)
        self.storage = SimStorage(self)

    # -- lifecycle ------------------------------------------------------------------------

    async def open(self) -> None:
        """Open the state table and adopt every recorded domain (re-arming guest timers)."""
        if self._store is not None:
            return
        self._store = SimStore(None if self.in_memory else self.state_dir)
        self._last_domid = self._store.last_domid()
        for dom in self._store.load():
            self._domains[dom.spec.vm_uuid] = dom
            self._reserved += dom.reserved()
            self._last_domid = max(self._last_domid, dom.domid)
            if dom.pending is not None and dom.run_state is RunState.RUNNING:
                self._arm(dom, dom.pending, dom.pending_due - self.clock.now())

    def attach_store(self, store: StoreClient) -> None:
        """Let cooperative guests take requests through the store (see :mod:`.xsguest`)."""
        self.guests = StoreGuests(self, store)
        booted = [(dom.spec.vm_uuid, dom.domid) for dom in self._domains.values()
                  if dom.run_state is not RunState.SHUTDOWN and GuestProfile(dom.profile).cooperative]  # fmt: skip
        if booted:
            self.guests.spawn(self.guests.boot_all(booted))

    def guest_request(self, vm_uuid: str, domid: int, reason: ShutdownReason) -> None:
        """A guest read a shutdown/reboot request from the store: it acts after its delay."""
        dom = self._domains.get(vm_uuid)
        if dom is None or dom.domid != domid or dom.run_state is RunState.SHUTDOWN:
            return
        self.arm(dom, reason.value, self.guest_delay)
        self.save(dom)

    async def close(self) -> None:
        """Cancel timers and close the table. Domains stay recorded for the next :meth:`open`."""
        for dom in self._domains.values():
            if dom.timer is not None:
                dom.timer.cancel()
                dom.timer = None
        self._domains.clear()
        self._reserved = 0
        if self._store is not None:
            self._store.close()
            self._store = None

    def subscribe(self, callback: AttentionCallback) -> Unsubscribe:
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    # -- test and demo hooks --------------------------------------------------------------

    def export_domains(self) -> tuple[list[bytes], int]:
        """Every domain and the domid counter, for :meth:`import_domains` (snapshots of a test double)."""
        return self.store.dump()

    async def import_domains(self, domains: list[bytes], last_domid: int) -> None:
        """Replace every domain with ``domains`` from :meth:`export_domains`, as :meth:`open` adopts them:
        guest timers re-armed, cooperative guests watching their control key again."""
        self.require_open()
        for dom in self._domains.values():
            if dom.timer is not None:
                dom.timer.cancel()
                dom.timer = None
            if self.guests is not None:
                await self.guests.gone(dom.spec.vm_uuid)
        self._domains.clear()
        self._reserved = 0
        self._last_domid = last_domid
        for dom in self.store.replace_all(domains, last_domid):
            self._domains[dom.spec.vm_uuid] = dom
            self._reserved += dom.reserved()
            if dom.pending is not None and dom.run_state is RunState.RUNNING:
                self._arm(dom, dom.pending, dom.pending_due - self.clock.now())
            if self.guests is not None and dom.run_state is not RunState.SHUTDOWN and GuestProfile(dom.profile).cooperative:
                await self.guests.boot(dom.spec.vm_uuid, dom.domid)

    def guest_stops(self, vm_uuid: str, reason: ShutdownReason) -> None:
        """Make the guest power off / reboot / crash by itself now (as a real guest may at any time)."""
        dom = self.get(vm_uuid)
        if dom.run_state is not RunState.RUNNING:
            raise InvalidState(vm_uuid, dom.run_state.value, (RunState.RUNNING.value,))
        self.stop(dom, reason)
        self.save(dom)
        self.notify(vm_uuid)

    # -- helpers shared by the parts ------------------------------------------------------

    @property
    def store(self) -> SimStore:
        self.require_open()
        assert self._store is not None
        return self._store

    def require_open(self) -> None:
        """Raise :class:`InvalidState` unless :meth:`open` has been called (and not :meth:`close`)."""
        if self._store is None:
            raise InvalidState("-", "closed", detail="the sim driver is not open")

    def require(self, cap: Capability) -> None:
        """Raise :class:`NotSupported` unless ``cap`` is declared."""
        if cap not in self.capabilities:
            raise NotSupported(cap.value, driver=self.name)

    def get(self, vm_uuid: str) -> SimDomain:
        self.require_open()
        dom = self._domains.get(vm_uuid)
        if dom is None:
            raise NoSuchDomain(vm_uuid)
        return dom

    def get_in(self, vm_uuid: str, states: tuple[RunState, ...]) -> SimDomain:
        dom = self.get(vm_uuid)
        if dom.run_state not in states:
            raise InvalidState(vm_uuid, dom.run_state.value, tuple(s.value for s in states))
        return dom

    def domains(self) -> list[SimDomain]:
        return sorted(self._domains.values(), key=lambda d: d.domid)

    def save(self, dom: SimDomain) -> None:
        self.store.put(dom)

    def notify(self, vm_uuid: str) -> None:
        """Signal attention to every subscriber; a failing subscriber never stops the others."""
        for callback in list(self._subscribers):
            try:
                callback(vm_uuid)
            except Exception:
                log.exception("attention callback failed for VM %s", vm_uuid)

    def memory_free(self) -> int:
        return max(0, self.memory_total - self._reserved)

    def reserve(self, dom: SimDomain, actual: int, target: int) -> None:
        """Change a domain's memory, keeping the host's reservation total in step."""
        self._reserved -= dom.reserved()
        dom.memory_actual, dom.memory_target = actual, target
        self._reserved += dom.reserved()

    def add_domain(
        self, spec: DomainSpec, *, vcpus: int, actual: int, target: int, disks: dict[str, DiskState]
    ) -> SimDomain:
        """Record a new paused domain with a fresh domid (memory was checked by the caller)."""
        if spec.vm_uuid in self._domains:
            raise DomainExists(spec.vm_uuid, self._domains[spec.vm_uuid].domid)
        dom = SimDomain(
            spec=spec,
            domid=self._last_domid + 1,
            run_state=RunState.PAUSED,
            shutdown_reason=None,
            vcpus=vcpus,
            memory_actual=actual,
            memory_target=target,
            start_time=self.clock.now(),
            profile=profile_of(spec.other_config).value,
            disks=disks,
            nics={n.device: n for n in spec.nics},
        )
        self.store.put_domain_and_domid(dom)
        self._last_domid = dom.domid
        self._domains[spec.vm_uuid] = dom
        self._reserved += dom.reserved()
        if self.guests is not None and GuestProfile(dom.profile).cooperative:
            self.guests.spawn(self.guests.boot(spec.vm_uuid, dom.domid))
        return dom

    def remove_domain(self, dom: SimDomain) -> None:
        if self.guests is not None:
            self.guests.spawn(self.guests.gone(dom.spec.vm_uuid))
        self.cancel_pending(dom)
        self.store.delete(dom.spec.vm_uuid)
        del self._domains[dom.spec.vm_uuid]
        self._reserved -= dom.reserved()

    def stop(self, dom: SimDomain, reason: ShutdownReason) -> None:
        """Move a domain to SHUTDOWN(reason), stopping its clocks and guest timers."""
        self.cancel_pending(dom)
        dom.run_seconds = dom.running_seconds(self.clock.now())
        dom.running_since = None
        dom.run_state = RunState.SHUTDOWN
        dom.shutdown_reason = reason

    def cancel_pending(self, dom: SimDomain) -> None:
        if dom.timer is not None:
            dom.timer.cancel()
            dom.timer = None
        dom.pending = None

    def _arm(self, dom: SimDomain, action: str, delay: float) -> None:
        """Schedule the guest's next own action (replacing any pending one)."""
        if dom.timer is not None:
            dom.timer.cancel()
        delay = max(0.0, delay)
        dom.pending, dom.pending_due = action, self.clock.now() + delay
        uuid, domid = dom.spec.vm_uuid, dom.domid
        dom.timer = self.clock.call_later(delay, lambda: self._guest_acts(uuid, domid))

    def arm(self, dom: SimDomain, action: str, delay: float) -> None:
        """Schedule a guest action; while the domain is paused it waits for the unpause."""
        if dom.run_state is RunState.RUNNING:
            self._arm(dom, action, delay)
        else:
            self.cancel_pending(dom)
            dom.pending, dom.pending_due = action, self.clock.now() + delay

    def _guest_acts(self, vm_uuid: str, domid: int) -> None:
        dom = self._domains.get(vm_uuid)
        if dom is None or dom.domid != domid or dom.pending is None or self._store is None:
            return  # a stale timer: the domain went away or was recreated
        dom.timer = None
        if dom.run_state is not RunState.RUNNING:
            return  # paused: the action stays pending until the guest runs again
        action = dom.pending
        dom.pending = None
        if action == "balloon":
            actual = self._balloon_step(dom)
            self.reserve(dom, actual, dom.memory_target)
            if actual != max(dom.memory_target, min(dom.memory_actual, balloon_floor(dom.spec.other_config))):
                self._arm(dom, "balloon", BALLOON_TICK)  # on its way: the next step follows
        else:
            self.stop(dom, ShutdownReason(action))
        self.save(dom)
        self.notify(vm_uuid)

    @staticmethod
    def _balloon_step(dom: SimDomain) -> int:
        """Where the guest's balloon is after its next move: toward the target, never below the guest's
        floor (a balloon asked for more than the guest can give stops short), at the guest's rate."""
        config = dom.spec.other_config
        goal = max(dom.memory_target, min(dom.memory_actual, balloon_floor(config)))
        rate = balloon_rate(config)
        if rate is None:
            return goal
        move = max(1, int(rate * BALLOON_TICK))
        return dom.memory_actual + max(-move, min(move, goal - dom.memory_actual))

    def on_running(self, dom: SimDomain) -> None:
        """Bookkeeping when a domain (re)starts running: counters, pending and crash timers."""
        dom.running_since = self.clock.now()
        if self.guests is not None and GuestProfile(dom.profile).cooperative:
            self.guests.spawn(self.guests.report(dom.domid, tuple(dom.nics.values()), dom.memory_actual))
        if dom.pending is not None:
            self._arm(dom, dom.pending, dom.pending_due - self.clock.now())
        elif GuestProfile(dom.profile) is GuestProfile.CRASH:
            self._arm(dom, ShutdownReason.CRASH.value, crash_after(dom.spec.other_config))


class SimHost:
    """:class:`~xenia.drivers.base.HostOps` of the simulator."""

    def __init__(self, sim: SimDriver) -> None:
        self._sim = sim

    async def info(self) -> HostInfo:
        return HostInfo(
            hostname=self._sim.hostname,
            cpu_count=self._sim.cpu_count,
            cpu_vendor="xenia-sim",
            cpu_model="Simulated CPU",
            cpu_speed_mhz=2000,
            cpu_flags=("fpu", "pae", "sse2", "vmx"),
            memory_total=self._sim.memory_total,
        )

    async def memory_free(self) -> int:
        return self._sim.memory_free()


class SimVm:
    """:class:`~xenia.drivers.base.VmOps` of the simulator."""

    def __init__(self, sim: SimDriver) -> None:
        self._sim = sim

    async def _check_new(self, spec: DomainSpec, needed: int) -> dict[str, DiskState]:
        """Checks shared by create and resume; fires the per-device fault points."""
        sim = self._sim
        _check_spec(spec)
        profile_of(spec.other_config)
        crash_after(spec.other_config)
        existing = sim._domains.get(spec.vm_uuid)
        if existing is not None:
            raise DomainExists(spec.vm_uuid, existing.domid)
        if needed > sim.memory_free():
            raise NotEnoughMemory(needed, sim.memory_free())
        disks: dict[str, DiskState] = {}
        for d in spec.disks:
            await sim.faults.hit("disk.plug")
            if d.userdevice in disks:
                raise InvalidArgument(f"VM {spec.vm_uuid}: two disks at userdevice {d.userdevice}")
            if d.path is not None and not os.path.exists(d.path):
                raise NoSuchImage(d.path)
            disks[d.userdevice] = DiskState(d.userdevice, d.path, d.kind, d.mode, tray_open=False, qos=d.qos)
        seen: set[str] = set()
        for n in spec.nics:
            await sim.faults.hit("nic.plug")
            if n.device in seen:
                raise InvalidArgument(f"VM {spec.vm_uuid}: two NICs at device {n.device}")
            seen.add(n.device)
        return disks

    async def create(self, spec: DomainSpec) -> DomainState:
        sim = self._sim
        sim.require_open()
        await sim.faults.hit("vm.create")
        disks = await self._check_new(spec, spec.memory_target)
        dom = sim.add_domain(
            spec, vcpus=spec.vcpus_at_startup, actual=spec.memory_target, target=spec.memory_target, disks=disks
        )
        return dom.state()

    async def unpause(self, vm_uuid: str) -> None:
        sim = self._sim
        sim.get(vm_uuid)
        await sim.faults.hit("vm.unpause")
        dom = sim.get_in(vm_uuid, (RunState.PAUSED,))
        dom.run_state = RunState.RUNNING
        sim.on_running(dom)
        sim.save(dom)

    async def pause(self, vm_uuid: str) -> None:
        sim = self._sim
        sim.require(Capability.PAUSE)
        sim.get(vm_uuid)
        await sim.faults.hit("vm.pause")
        dom = sim.get_in(vm_uuid, (RunState.RUNNING,))
        if dom.timer is not None:
            dom.timer.cancel()
            dom.timer = None
        dom.run_seconds = dom.running_seconds(sim.clock.now())
        dom.running_since = None
        dom.run_state = RunState.PAUSED
        sim.save(dom)

    async def _request(self, vm_uuid: str, cap: Capability, point: str, action: ShutdownReason) -> None:
        sim = self._sim
        sim.require(cap)
        sim.get(vm_uuid)
        await sim.faults.hit(point)
        dom = sim.get_in(vm_uuid, (RunState.RUNNING,))
        if sim.guests is not None:
            await sim.guests.request(dom.domid, action)
        elif GuestProfile(dom.profile).cooperative:
            sim.arm(dom, action.value, sim.guest_delay)
            sim.save(dom)

    async def request_shutdown(self, vm_uuid: str) -> None:
        await self._request(vm_uuid, Capability.CLEAN_SHUTDOWN, "vm.shutdown", ShutdownReason.POWEROFF)

    async def request_reboot(self, vm_uuid: str) -> None:
        await self._request(vm_uuid, Capability.CLEAN_REBOOT, "vm.reboot", ShutdownReason.REBOOT)

    async def destroy(self, vm_uuid: str) -> None:
        sim = self._sim
        sim.get(vm_uuid)
        await sim.faults.hit("vm.destroy")
        sim.remove_domain(sim.get(vm_uuid))

    async def reset(self, vm_uuid: str) -> None:
        sim = self._sim
        sim.require(Capability.HARD_RESET)
        sim.get(vm_uuid)
        await sim.faults.hit("vm.reset")
        dom = sim.get_in(vm_uuid, _LIVE)
        sim.cancel_pending(dom)
        dom.vcpus = dom.spec.vcpus_at_startup
        if dom.run_state is RunState.RUNNING:
            sim.on_running(dom)  # the rebooted guest's crash timer starts afresh
        sim.save(dom)

    def capture(self, vm_uuid: str) -> dict[str, Any]:
        """The domain's whole state as a suspend image (JSON-able), leaving the domain as it is.

        Suspend writes it to a file; :mod:`xenia.migration` sends it to another host.
        """
        sim = self._sim
        dom = sim.get_in(vm_uuid, _LIVE)
        return {
            "format": SUSPEND_FORMAT,
            "version": 1,
            "spec": spec_to_json(dom.spec),
            "vcpus": dom.vcpus,
            "memory_actual": dom.memory_actual,
            "memory_target": dom.memory_target,
            "run_seconds": dom.running_seconds(sim.clock.now()),
            "cds": {k: [d.path, d.tray_open] for k, d in dom.disks.items()},
        }

    async def suspend(self, vm_uuid: str, path: str) -> None:
        sim = self._sim
        sim.require(Capability.SUSPEND)
        sim.get(vm_uuid)
        await sim.faults.hit("vm.suspend.write")
        domid = sim.get_in(vm_uuid, _LIVE).domid
        image = orjson.dumps(self.capture(vm_uuid))
        await asyncio.to_thread(_write_file, path, image)
        dom = sim.get(vm_uuid)
        if dom.domid != domid:
            raise InvalidState(vm_uuid, "recreated", detail="the domain changed while it was being suspended")
        sim.stop(dom, ShutdownReason.SUSPEND)
        sim.save(dom)

    async def restore_image(self, spec: DomainSpec, image: dict[str, Any], origin: str) -> DomainState:
        """A new paused domain from a :meth:`capture` image (``origin`` names it in errors)."""
        sim = self._sim
        sim.require_open()
        if image.get("format") != SUSPEND_FORMAT:
            raise NoSuchImage(origin)
        saved = spec_from_json(image["spec"])
        if saved.vm_uuid != spec.vm_uuid:
            raise InvalidArgument(f"suspend image {origin} belongs to VM {saved.vm_uuid}, not {spec.vm_uuid}")
        actual, target = int(image["memory_actual"]), int(image["memory_target"])
        disks = await self._check_new(spec, max(actual, target))
        for key, (media, tray_open) in image.get("cds", {}).items():
            old = disks.get(key)
            if old is not None and media is None:
                disks[key] = DiskState(old.userdevice, None, old.kind, old.mode, tray_open=bool(tray_open), qos=old.qos)
        vcpus = min(int(image["vcpus"]), spec.vcpus_max)
        dom = sim.add_domain(spec, vcpus=vcpus, actual=actual, target=target, disks=disks)
        dom.run_seconds = float(image["run_seconds"])
        sim.save(dom)
        return dom.state()

    async def resume(self, spec: DomainSpec, path: str) -> DomainState:
        sim = self._sim
        sim.require(Capability.SUSPEND)
        sim.require_open()
        await sim.faults.hit("vm.resume.read")
        image = await asyncio.to_thread(_read_image, path)
        return await self.restore_image(spec, image, path)

    async def set_memory_target(self, vm_uuid: str, target: int) -> None:
        sim = self._sim
        sim.require(Capability.BALLOON)
        sim.get(vm_uuid)
        await sim.faults.hit("vm.balloon")
        dom = sim.get_in(vm_uuid, _LIVE)
        spec = dom.spec
        if not 0 < target <= spec.memory_static_max:
            raise InvalidArgument(
                f"memory target {target} outside (0, {spec.memory_static_max}]"
            )
        extra = max(dom.memory_actual, target) - dom.reserved()
        if extra > sim.memory_free():
            raise NotEnoughMemory(extra, sim.memory_free())
        sim.reserve(dom, dom.memory_actual, target)
        if GuestProfile(dom.profile).cooperative and dom.pending not in ("poweroff", "reboot"):
            sim.arm(dom, "balloon", sim.guest_delay)
        sim.save(dom)

    async def set_vcpus(self, vm_uuid: str, count: int) -> None:
        sim = self._sim
        sim.require(Capability.VCPU_HOTPLUG)
        sim.get(vm_uuid)
        await sim.faults.hit("vm.vcpus")
        dom = sim.get_in(vm_uuid, _LIVE)
        if not 0 < count <= dom.spec.vcpus_max:
            raise InvalidArgument(f"vCPU count {count} outside [1, {dom.spec.vcpus_max}]")
        dom.vcpus = count
        sim.save(dom)

    async def get_state(self, vm_uuid: str) -> DomainState:
        return self._sim.get(vm_uuid).state()

    async def list_domains(self) -> list[DomainState]:
        self._sim.require_open()
        return [d.state() for d in self._sim.domains()]


def _write_file(path: str, data: bytes) -> None:
    """Write atomically, so a crash mid-suspend never leaves a half image under ``path``."""
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def _read_image(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as f:
            data = orjson.loads(f.read())
    except FileNotFoundError as exc:
        raise NoSuchImage(path, cause=exc) from exc
    except orjson.JSONDecodeError as exc:
        raise NoSuchImage(path, cause=exc) from exc
    if not isinstance(data, dict) or data.get("format") != SUSPEND_FORMAT:
        raise NoSuchImage(path)
    return data
