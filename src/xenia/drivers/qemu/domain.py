"""One live QEMU domain: its process, its QMP connection, and the facts derived from events.

A :class:`Domain` turns QMP events and the process exit into two things: updates of the few facts
QEMU cannot be asked later (why it shut down), and "needs attention" signals for ops. It never
acts on an event by itself (events are signals, never commands).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from xenia.drivers.base import (
    DiskKind,
    DiskState,
    DomainState,
    RunState,
    ShutdownReason,
)
from xenia.drivers.errors import BackendFailure, InvalidState, Timeout
from xenia.drivers.qemu.agent import AgentRelay, AgentUnavailable
from xenia.drivers.qemu.argv import AGENT_PORT_ID, disk_id
from xenia.drivers.qemu.process import DomainPaths, ExitWatch
from xenia.drivers.qemu.qmp import DisconnectedError, Event, EventQueue, ExecuteError, QMPClient, QMPError
from xenia.drivers.qemu.record import DomainRecord

__all__ = ["ATTENTION_EVENTS", "Domain"]

log = logging.getLogger(__name__)

#: Events that make a VM "need attention" (BALLOON_CHANGE only once the target is reached,
#: MIGRATION only in a final state).
ATTENTION_EVENTS = frozenset(
    {
        "STOP",
        "RESUME",
        "SHUTDOWN",
        "RESET",
        "POWERDOWN",
        "DEVICE_TRAY_MOVED",
        "BALLOON_CHANGE",
        "MIGRATION",
        "GUEST_PANICKED",
    }
)

#: QEMU's SHUTDOWN ``reason`` -> the protocol's reason (others: host-initiated, not a guest fact).
_SHUTDOWN_REASONS = {
    "guest-shutdown": ShutdownReason.POWEROFF,
    "guest-reset": ShutdownReason.REBOOT,
    "guest-panic": ShutdownReason.CRASH,
}

BALLOON_SLACK = 1024 * 1024

#: What a guest that listens to the ACPI power button can do, in Xen's terms: it powers off on
#: ``system_powerdown`` and, having an OS with a keyboard driver, reboots on Ctrl-Alt-Del.
ACPI_FEATURES = frozenset({"feature-poweroff", "feature-reboot"})
#: What a guest whose QEMU guest agent answers can do: ``guest-shutdown`` powers it off or reboots it.
AGENT_FEATURES = frozenset({"feature-poweroff", "feature-reboot"})
#: PM1_EN (at the PM block base + 2) bit the OS sets when it handles the fixed power button.
PWRBTN_EN = 0x0100
#: How often the power-button bit is read until the guest sets it (slower after the first minutes:
#: a guest without ACPI, e.g. firmware alone, may never set it).
FEATURE_POLL, FEATURE_POLL_SLOW, FEATURE_POLL_FAST_FOR = 0.5, 5.0, 180.0
#: Seconds after a host reset during which a guest RESET is taken as the firmware's own.
HOST_RESET_WINDOW = 2.0
#: Seconds a guest has to act on a power-button press or Ctrl-Alt-Del before the same request
#: goes to its guest agent (if one answers), for guests that do not honour ACPI.
AGENT_FALLBACK = 5.0


class Domain:
    """The driver's handle on one QEMU process.

    :param notify: ``notify(vm_uuid)``: the driver's fan-out of attention signals.
    """

    def __init__(self, record: DomainRecord, paths: DomainPaths, notify: Callable[[str], None]) -> None:
        self.record = record
        self.paths = paths
        self.qmp = QMPClient(record.spec.vm_uuid)
        self.qmp.add_event_handler(self._on_event)
        self.pid: int | None = None
        self.watch: ExitWatch | None = None
        #: Serialises operations on this domain (no two steps on one VM overlap).
        self.lock = asyncio.Lock()
        #: Set by destroy so the exit is not reported as a crash.
        self.destroying = False
        self._notify = notify
        self._shutdown_repeat: asyncio.Task[None] | None = None
        #: A suspend image opened for ``-incoming`` (closed when the domain goes).
        self.incoming_fd: int | None = None
        #: Until this loop time, a guest RESET is the firmware finishing a host reset.
        self._host_reset_until = 0.0
        self._tasks: set[asyncio.Task[None]] = set()
        #: What the guest can do (see :meth:`probe_features`); reported in :class:`DomainState`.
        self.guest_features: frozenset[str] = frozenset()
        self._pm_base = 0
        self._feature_watch: asyncio.Task[None] | None = None
        #: The relay of the guest agent's reports (set by the driver once the domain runs).
        self.agent: AgentRelay | None = None

    @property
    def vm_uuid(self) -> str:
        return self.record.spec.vm_uuid

    @property
    def domid(self) -> int:
        return self.record.domid

    @property
    def exited(self) -> bool:
        """Whether the QEMU process has exited."""
        return self.watch is not None and self.watch.exited

    def persist(self) -> None:
        """Save the record (called after every change of a remembered fact)."""
        try:
            self.record.save(self.paths.record)
        except OSError as exc:  # the domain keeps running; only adoption would lose the fact
            log.warning("cannot save record of %s: %s", self.vm_uuid, exc)

    # ------------------------------------------------------------------------------------------
    # Signals from QEMU

    def on_exit(self) -> None:
        """The process exited: unless we destroyed it, that is a crash of the domain."""
        if not self.destroying and self.record.shutdown_reason is None:
            self.record.shutdown_reason = ShutdownReason.CRASH
            self.persist()
        self._stop_repeating()
        if not self.destroying:
            self._notify(self.vm_uuid)

    def _on_event(self, event: Event) -> None:
        if event.name == "SHUTDOWN":
            reason = _SHUTDOWN_REASONS.get(str(event.data.get("reason", "")))
            if reason is not None and event.data.get("guest", False) and self.record.shutdown_reason is None:
                self.record.shutdown_reason = reason
                self.persist()
            self._stop_repeating()
        elif event.name == "RESET":
            self._on_reset(bool(event.data.get("guest", False)))
            if self.guest_features:  # a reset machine has no OS listening until one boots again
                self.guest_features = frozenset()
                self.watch_features()
        elif event.name == "VSERPORT_CHANGE" and event.data.get("id") == AGENT_PORT_ID and event.data.get("open"):
            if self.agent is not None:  # the agent opened its port: it runs, ask it
                self.agent.poke()
        elif event.name == "RESUME" and self.agent is not None and not self.agent.answering:
            self.agent.poke()  # a guest that arrived by migration or resume has its agent running already
        elif event.name == "GUEST_PANICKED" and self.record.shutdown_reason is None:
            self.record.shutdown_reason = ShutdownReason.CRASH
            self.persist()
        if event.name not in ATTENTION_EVENTS:
            return
        if event.name == "BALLOON_CHANGE":
            actual = int(event.data.get("actual", 0))
            if abs(actual - self.record.memory_target) > BALLOON_SLACK:
                return
        if event.name == "MIGRATION" and event.data.get("status") not in ("completed", "failed", "cancelled"):
            return
        self._notify(self.vm_uuid)

    def expect_host_reset(self) -> None:
        """Called before ``system_reset``: SeaBIOS answers a host reset with resets of its own
        (two ``guest`` RESETs ~0.07 s later, measured) that must not be taken for a guest reboot.
        Every guest RESET in the window is ignored; the window is short enough that no guest can
        boot and reboot itself inside it."""
        self._host_reset_until = asyncio.get_running_loop().time() + HOST_RESET_WINDOW

    def _on_reset(self, by_guest: bool) -> None:
        """A guest that resets itself is rebooting: freeze it and report SHUTDOWN(REBOOT).

        This is what ``-no-reboot`` would do, without also turning host resets into shutdowns.
        """
        loop = asyncio.get_running_loop()
        if not by_guest or self.record.shutdown_reason is not None:
            return
        if loop.time() < self._host_reset_until:
            return  # SeaBIOS resets the machine (twice) right after a host reset
        self.record.shutdown_reason = ShutdownReason.REBOOT
        self.persist()
        self._stop_repeating()
        task = loop.create_task(self._freeze())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _freeze(self) -> None:
        with contextlib.suppress(QMPError):
            await self.qmp.execute("stop")

    # ------------------------------------------------------------------------------------------
    # QMP helpers

    async def execute(self, command: str, arguments: dict[str, Any] | None = None) -> Any:
        """Run a QMP command, turning failures into driver errors that keep their cause."""
        if self.exited:
            raise InvalidState(self.vm_uuid, "shutdown", ("running", "paused"), detail="the QEMU process has exited")
        try:
            return await self.qmp.execute(command, arguments)
        except ExecuteError as exc:
            raise BackendFailure(f"QEMU refused {command} for VM {self.vm_uuid}: {exc.desc}", cause=exc) from exc
        except QMPError as exc:
            raise BackendFailure(f"QMP {command} failed for VM {self.vm_uuid}: {exc}", cause=exc) from exc

    async def status(self) -> str:
        """QEMU's run status (``running``, ``paused``, ``shutdown``, ...), or ``exited``."""
        if self.exited:
            return "exited"
        try:
            result = await self.qmp.execute("query-status")
        except DisconnectedError:
            return "exited"
        except QMPError as exc:
            raise BackendFailure(f"query-status failed for VM {self.vm_uuid}: {exc}", cause=exc) from exc
        return str(result["status"])

    def run_state(self, status: str) -> tuple[RunState, ShutdownReason | None]:
        """Map QEMU's status plus the remembered reason to the protocol's run state."""
        reason = self.record.shutdown_reason
        if reason is not None:  # once shut down, a domain only awaits destroy
            return RunState.SHUTDOWN, reason
        if status == "exited":
            return RunState.SHUTDOWN, ShutdownReason.CRASH
        if status in ("guest-panicked", "internal-error"):
            return RunState.SHUTDOWN, ShutdownReason.CRASH
        if status == "shutdown":
            return RunState.SHUTDOWN, ShutdownReason.POWEROFF
        if status == "running":
            return RunState.RUNNING, None
        return RunState.PAUSED, None

    async def require(self, *allowed: RunState) -> RunState:
        """Return the current run state, or raise :class:`InvalidState` if not in ``allowed``."""
        state, _ = self.run_state(await self.status())
        if state not in allowed:
            raise InvalidState(self.vm_uuid, state.value, tuple(s.value for s in allowed))
        return state

    async def memory_actual(self) -> int:
        """The balloon's ``actual`` (bytes the guest may use now)."""
        if self.exited:
            return self.record.spec.memory_static_max
        try:
            return int((await self.qmp.execute("query-balloon"))["actual"])
        except QMPError:
            return self.record.spec.memory_static_max

    async def vcpu_threads(self) -> list[int]:
        """Host thread ids of the vCPUs, in vCPU index order (read afresh: hot-plug changes them)."""
        cpus = await self.execute("query-cpus-fast")
        return [int(c["thread-id"]) for c in sorted(cpus, key=lambda c: int(c["cpu-index"]))]

    async def vcpu_count(self) -> int:
        """vCPUs present now (the spec's count once the process has gone)."""
        if self.exited:
            return self.record.spec.vcpus_at_startup
        try:
            return len(await self.qmp.execute("query-cpus-fast"))
        except QMPError:
            return self.record.spec.vcpus_at_startup

    async def state(self) -> DomainState:
        """Read the domain's facts afresh."""
        run_state, reason = self.run_state(await self.status())
        spec = self.record.spec
        vcpus = await self.vcpu_count()
        disks = tuple(
            DiskState(
                userdevice=d.userdevice,
                path=self.record.media.get(d.userdevice) if d.kind is DiskKind.CD else d.path,
                kind=d.kind,
                mode=d.mode,
                tray_open=d.kind is DiskKind.CD and d.userdevice in self.record.trays_open,
                qos=d.qos,
            )
            for d in spec.disks
        )
        return DomainState(
            vm_uuid=spec.vm_uuid,
            domid=self.domid,
            run_state=run_state,
            shutdown_reason=reason,
            vcpus=vcpus,
            memory_actual=await self.memory_actual(),
            memory_target=self.record.memory_target,
            start_time=self.record.start_time,
            disks=disks,
            nics=spec.nics,
            guest_features=self.features() if run_state is not RunState.SHUTDOWN else frozenset(),
        )

    def cd(self, userdevice: str) -> str:
        """The qdev id of CD drive ``userdevice``."""
        return disk_id(userdevice)

    # ------------------------------------------------------------------------------------------
    # What the guest can do

    def features(self) -> frozenset[str]:
        """What the guest can do: its OS's ACPI handling, and what its guest agent can do while it answers."""
        agent = AGENT_FEATURES if self.agent is not None and self.agent.answering else frozenset()
        return self.guest_features | agent

    async def probe_features(self) -> bool:
        """Read whether the guest OS handles the ACPI power button; set :attr:`guest_features`.

        Xen guests advertise ``feature-poweroff`` in xenstore; a QEMU guest advertises nothing,
        but an OS that installs a power-button handler enables the fixed power-button event
        (PWRBTN_EN in the ICH9 PM1_EN register). That register is device state in QEMU, read
        here with the monitor's port read, so "the guest will honour ``system_powerdown``" is a
        fact the driver can see, not a guess: firmware alone and a booting kernel leave it clear.
        """
        if self.exited:
            return False
        if not self._pm_base:
            lpc = await self.qmp.execute("qom-get", {"path": "/machine", "property": "acpi-device"})
            self._pm_base = int(await self.qmp.execute("qom-get", {"path": str(lpc), "property": "pm_io_base"}))
            if not self._pm_base:
                return False  # the firmware has not placed the PM block yet
        out = await self.qmp.execute("human-monitor-command", {"command-line": f"i/h {self._pm_base + 2:#x}"})
        enabled = bool(int(str(out).rsplit("=", 1)[1], 16) & PWRBTN_EN)
        self.guest_features = ACPI_FEATURES if enabled else frozenset()
        return enabled

    def watch_features(self) -> None:
        """Read the power-button bit until the guest sets it, then signal attention (ops records
        the features in VM_guest_metrics, which clean shutdown and reboot require)."""
        if self._feature_watch is not None:
            self._feature_watch.cancel()
        self._feature_watch = asyncio.get_running_loop().create_task(self._watch_features())

    async def _watch_features(self) -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            while not self.exited and not self.destroying:
                if await self.probe_features():
                    self._notify(self.vm_uuid)
                    return
                fast = loop.time() - started < FEATURE_POLL_FAST_FOR
                await asyncio.sleep(FEATURE_POLL if fast else FEATURE_POLL_SLOW)
        except (QMPError, ValueError, IndexError) as exc:  # the process went, or a QEMU without the bit
            if not self.exited and not self.destroying:
                log.info("VM %s: cannot read the guest's ACPI power-button state: %s", self.vm_uuid, exc)

    # ------------------------------------------------------------------------------------------
    # Requests that must reach a guest that may still be booting

    def repeat_until_shutdown(
        self,
        command: str,
        arguments: dict[str, Any] | None,
        *,
        period: float,
        limit: float,
        agent_mode: str | None = None,
    ) -> None:
        """Repeat a guest request (power button, Ctrl-Alt-Del) until the guest acts on it.

        Like Xen's ``control/shutdown`` key, which waits in xenstore until the guest reads it, a
        request made while the guest is still booting must not be lost: an ACPI button press
        before the guest's handler runs is. The press is repeated every ``period`` seconds while
        the domain keeps running, for at most ``limit`` seconds. A guest still running
        :data:`AGENT_FALLBACK` seconds after the first press is also asked through its guest agent
        (``guest-shutdown`` with ``agent_mode``), once, as soon as an agent answers: a guest that ignores
        ACPI but runs qemu-ga goes down cleanly all the same. A guest that ignores both keeps
        running.
        """
        self._stop_repeating()
        task = asyncio.create_task(self._repeat(command, arguments, period, limit, agent_mode))
        self._shutdown_repeat = task

    async def _repeat(self, command: str, arguments: dict[str, Any] | None, period: float, limit: float,
                      agent_mode: str | None) -> None:  # fmt: skip
        loop = asyncio.get_running_loop()
        started = loop.time()
        deadline = started + limit
        with contextlib.suppress(QMPError, BackendFailure, InvalidState, Timeout):
            while loop.time() < deadline:
                await asyncio.sleep(period)
                if self.exited or await self.status() != "running":
                    return
                await self.qmp.execute(command, arguments)
                if (agent_mode is not None and loop.time() - started >= AGENT_FALLBACK and self.agent is not None
                        and self.agent.answering):  # fmt: skip
                    # asked once, when the agent answers: a guest still booting at the first try (its
                    # agent not up yet) is asked once it is
                    mode, agent_mode = agent_mode, None
                    with contextlib.suppress(AgentUnavailable):
                        await self.agent.tell("guest-shutdown", {"mode": mode})

    def _stop_repeating(self) -> None:
        task, self._shutdown_repeat = self._shutdown_repeat, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()

    async def wait_event(
        self, queue: EventQueue, predicate: Callable[[Event], bool], timeout: float, what: str
    ) -> Event:
        """Wait for an event from ``queue`` matching ``predicate``, failing if QEMU exits."""
        assert self.watch is not None
        getter = asyncio.ensure_future(queue.get(predicate))
        exited = asyncio.ensure_future(self.watch.wait())
        try:
            done, _ = await asyncio.wait({getter, exited}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            exited.cancel()
        if getter in done:
            return getter.result()
        getter.cancel()
        if exited in done:
            raise BackendFailure(f"QEMU of VM {self.vm_uuid} exited during {what}")
        raise Timeout(what, timeout)

    def close(self) -> None:
        """Forget the process without touching it (driver close: the domain keeps running)."""
        self._stop_repeating()
        if self._feature_watch is not None:
            self._feature_watch.cancel()
            self._feature_watch = None
        if self.agent is not None:
            self.agent.close()
        if self.watch is not None:
            self.watch.close()
