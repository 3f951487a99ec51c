"""Errors of a migration, save or restore: each one names the phase that failed.

Seed 003 asks for "fine-grained errors instead of success/failure". A caller learns three things
from a :class:`MigrationError`: *where* it failed (:class:`Phase`), *why* in a machine-readable
word (:attr:`MigrationError.reason`), and *what state the VM is in now*
(:attr:`MigrationError.source_running`). The rule the library keeps: whatever fails before the
hand-over, the source VM runs again and the destination has nothing left of it.

Hierarchy::

    MigrationError
     ├── MigrationCancelled      the caller cancelled (only possible before the switch-over)
     ├── MigrationTimedOut       the total timeout passed and the policy was ``cancel``
     └── DestinationRefused      the receiver said no (bad token, not enough memory, bad stream)
"""

from __future__ import annotations

import enum

__all__ = ["DestinationRefused", "MigrationCancelled", "MigrationError", "MigrationTimedOut", "Phase"]


class Phase(enum.Enum):
    """The fixed steps of every migration, in order (the same for every driver and guest OS)."""

    PREPARE = "prepare"  #: check the VM and the options, capture the VM's description
    CONNECT = "connect"  #: reach the receiver and have the token admitted
    SEND_MEMORY = "send_memory"  #: pre-copy: memory sent while the VM runs, dirty pages again
    SWITCH_OVER = "switch_over"  #: source paused, last dirty pages and device state sent
    HAND_OVER = "hand_over"  #: the destination runs the VM; the source lets go
    CLEAN_UP = "clean_up"  #: the source's domain is destroyed, resources released

    @property
    def cancellable(self) -> bool:
        """True while a cancel can still leave the VM running on the source untouched."""
        return self in (Phase.PREPARE, Phase.CONNECT, Phase.SEND_MEMORY)


class MigrationError(Exception):
    """A migration failed in :attr:`phase`.

    :param phase: the phase that failed.
    :param reason: a short machine-readable word (``connection_lost``, ``refused``, ``driver``,
        ``protocol``, ``cancelled``, ``timeout``, ``verify``).
    :param message: for people; never parsed.
    :param source_running: whether the VM runs (or is as it was) on the source afterwards.
    :param cause: the lower-level exception, kept so it is never lost.
    """

    def __init__(
        self,
        phase: Phase,
        reason: str,
        message: str,
        *,
        source_running: bool = True,
        cause: BaseException | None = None,
    ) -> None:
        super().__init__(f"{phase.value}: {message}")
        self.phase = phase
        self.reason = reason
        self.message = message
        self.source_running = source_running
        self.cause = cause
        if cause is not None:
            self.__cause__ = cause


class MigrationCancelled(MigrationError):
    """The caller cancelled before the switch-over; the VM runs on the source."""

    def __init__(self, phase: Phase) -> None:
        super().__init__(phase, "cancelled", "the migration was cancelled")


class MigrationTimedOut(MigrationError):
    """The total timeout passed with policy ``cancel``; the VM runs on the source."""

    def __init__(self, phase: Phase, timeout: float) -> None:
        super().__init__(phase, "timeout", f"the migration did not finish within {timeout:g} s")


class DestinationRefused(MigrationError):
    """The receiver refused the stream (its ``code`` says why)."""

    def __init__(self, phase: Phase, code: str, message: str) -> None:
        super().__init__(phase, "refused", f"the destination refused: {code}: {message}")
        self.code = code
