"""Named fault points: make any simulator step fail, hang, slow down, or kill the daemon.

Every step of the simulator calls :meth:`Faults.hit` with its point name *before* it changes
anything, so an injected failure leaves state as it was. Points are switched at run time
(``driver.faults.set("vm.create", "fail")``) or from specs ``NAME=ACTION`` as passed by
``xenia serve --fault``. Actions:

``fail``          raise :class:`~xenia.drivers.errors.BackendFailure` every time
``fail-once``     raise once, then clear the point
``hang``          block until the caller is cancelled (e.g. by its timeout)
``delay:SECONDS`` wait SECONDS on the simulator's clock, then carry on
``kill``          SIGKILL the whole process (a daemon crash mid-operation)

(xapi's "fist points", minus the files in /tmp; the lesson of Nova's scenario subclasses.)
"""

from __future__ import annotations

import asyncio
import enum
import os
import signal
from dataclasses import dataclass

from xenia.drivers.errors import BackendFailure, InvalidArgument
from xenia.drivers.sim.clock import Clock

__all__ = ["FAULT_POINTS", "FaultAction", "FaultInjected", "FaultSpec", "Faults", "parse_fault"]

#: Every fault point of the simulator, one per step.
FAULT_POINTS: tuple[str, ...] = (
    "vm.create",
    "vm.unpause",
    "vm.pause",
    "vm.shutdown",
    "vm.reboot",
    "vm.destroy",
    "vm.reset",
    "vm.suspend.write",
    "vm.resume.read",
    "vm.migrate.prepare",
    "vm.migrate.send",
    "vm.migrate.switch",
    "vm.migrate.load",
    "vm.migrate.commit",
    "vm.balloon",
    "vm.vcpus",
    "disk.plug",
    "disk.unplug",
    "disk.insert",
    "disk.eject",
    "nic.plug",
    "nic.unplug",
    "console.list",
    "metrics.sample",
    "storage.create",
    "storage.destroy",
    "storage.resize",
    "storage.clone",
    "storage.snapshot",
)


class FaultAction(enum.Enum):
    """What an armed fault point does when hit."""

    FAIL = "fail"
    FAIL_ONCE = "fail-once"
    HANG = "hang"
    DELAY = "delay"
    KILL = "kill"


@dataclass(frozen=True, slots=True)
class FaultSpec:
    """An armed fault: the action and, for ``delay``, the seconds."""

    action: FaultAction
    seconds: float = 0.0

    def __str__(self) -> str:
        if self.action is FaultAction.DELAY:
            return f"delay:{self.seconds:g}"
        return str(self.action.value)


class FaultInjected(Exception):
    """The cause kept inside the :class:`BackendFailure` raised by a ``fail`` fault."""

    def __init__(self, point: str) -> None:
        super().__init__(f"fault injected at {point}")
        self.point = point


def _parse_action(text: str) -> FaultSpec:
    name, sep, arg = text.strip().partition(":")
    try:
        action = FaultAction(name)
    except ValueError:
        choices = ", ".join(a.value for a in FaultAction)
        raise InvalidArgument(f"unknown fault action {text!r}; one of {choices}") from None
    if action is FaultAction.DELAY:
        try:
            seconds = float(arg)
        except ValueError:
            raise InvalidArgument(f"fault action {text!r}: want delay:SECONDS") from None
        if seconds < 0:
            raise InvalidArgument(f"fault action {text!r}: negative delay")
        return FaultSpec(action, seconds)
    if sep:
        raise InvalidArgument(f"fault action {name!r} takes no argument")
    return FaultSpec(action)


def parse_fault(text: str) -> tuple[str, FaultSpec]:
    """Parse ``NAME=ACTION`` (e.g. ``vm.create=delay:2.5``) into a point name and spec."""
    name, sep, action = text.partition("=")
    if not sep:
        raise InvalidArgument(f"fault {text!r}: want NAME=ACTION")
    name = name.strip()
    _check_point(name)
    return name, _parse_action(action)


def _check_point(name: str) -> None:
    if name not in FAULT_POINTS:
        raise InvalidArgument(f"unknown fault point {name!r}; known: {', '.join(FAULT_POINTS)}")


class Faults:
    """The armed fault points of one simulator instance (not persisted: a restart disarms them)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._armed: dict[str, FaultSpec] = {}

    def set(self, name: str, action: str | FaultSpec) -> None:
        """Arm point ``name`` with ``action`` (a spec string such as ``"delay:1"``, or a spec)."""
        _check_point(name)
        self._armed[name] = action if isinstance(action, FaultSpec) else _parse_action(action)

    def set_spec(self, text: str) -> None:
        """Arm a point from ``NAME=ACTION`` text."""
        name, spec = parse_fault(text)
        self._armed[name] = spec

    def clear(self, name: str | None = None) -> None:
        """Disarm one point, or all of them when ``name`` is None."""
        if name is None:
            self._armed.clear()
        else:
            _check_point(name)
            self._armed.pop(name, None)

    def list(self) -> dict[str, FaultSpec]:
        """The armed points and their actions."""
        return dict(self._armed)

    async def hit(self, name: str) -> None:
        """Called by each step before it acts; does nothing unless ``name`` is armed."""
        spec = self._armed.get(name)
        if spec is None:
            return
        match spec.action:
            case FaultAction.FAIL | FaultAction.FAIL_ONCE:
                if spec.action is FaultAction.FAIL_ONCE:
                    del self._armed[name]
                cause = FaultInjected(name)
                raise BackendFailure(str(cause), cause=cause)
            case FaultAction.HANG:
                await asyncio.Event().wait()
            case FaultAction.DELAY:
                await self._clock.sleep(spec.seconds)
            case FaultAction.KILL:
                os.kill(os.getpid(), signal.SIGKILL)
