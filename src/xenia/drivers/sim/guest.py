"""Simulated guest profiles: how the "OS" inside a simulated domain reacts.

The profile is chosen per VM by ``other_config["xenia-sim-guest"]``:

``pv`` (default)  a Linux guest with PV drivers: honours clean shutdown, reboot and balloon
                  requests after the driver's ``guest-delay`` seconds, then signals attention.
``no-drivers``    a guest without PV drivers: accepts requests and ignores them, and its
                  ``memory_actual`` never follows a balloon target (ops must time out / hard stop).
``crash``         like ``no-drivers``, but crashes ``other_config["xenia-sim-crash-after"]``
                  seconds (default 30) after it first runs: SHUTDOWN(CRASH) plus attention.

A cooperative guest's balloon: ``other_config["xenia-sim-balloon-floor"]`` (bytes) is the least memory it
gives back (asked for less, it stops there: a partial balloon); ``other_config["xenia-sim-balloon-rate"]``
(bytes per second) makes it move at that speed, in steps of :data:`BALLOON_TICK` seconds, instead of all at
once after the driver's ``guest-delay``.

Whatever the profile, ``other_config["xenia-sim-cd-locked"] = "true"`` makes the guest keep its CD
trays locked (as a Linux guest does while the disc is mounted): ejecting fails as QEMU's does.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from xenia.drivers.errors import InvalidArgument

__all__ = ["BALLOON_FLOOR_KEY", "BALLOON_RATE_KEY", "BALLOON_TICK", "CD_LOCKED_KEY", "balloon_floor", "balloon_rate", "CRASH_AFTER_KEY", "DEFAULT_CRASH_AFTER", "GUEST_KEY", "GuestProfile", "crash_after",
           "profile_of", "tray_locked"]

#: ``other_config`` key naming the guest profile.
GUEST_KEY = "xenia-sim-guest"
#: ``other_config`` key giving a ``crash`` guest's lifetime in seconds.
CRASH_AFTER_KEY = "xenia-sim-crash-after"
DEFAULT_CRASH_AFTER = 30.0
#: ``other_config`` key: "true" when the guest keeps its CD trays locked.
CD_LOCKED_KEY = "xenia-sim-cd-locked"
#: ``other_config`` key: the least memory (bytes) the guest's balloon driver gives back.
BALLOON_FLOOR_KEY = "xenia-sim-balloon-floor"
#: ``other_config`` key: how fast (bytes per second) the guest's balloon moves.
BALLOON_RATE_KEY = "xenia-sim-balloon-rate"
#: seconds between the steps of a balloon moving at a rate
BALLOON_TICK = 0.1


class GuestProfile(enum.Enum):
    """The simulated guest's behaviour."""

    PV = "pv"
    NO_DRIVERS = "no-drivers"
    CRASH = "crash"

    @property
    def cooperative(self) -> bool:
        """Whether the guest honours shutdown, reboot and balloon requests."""
        return self is GuestProfile.PV


_PROFILES: dict[str, GuestProfile] = {p.value: p for p in GuestProfile}
_DEFAULT_PROFILE = GuestProfile.PV.value


def profile_of(other_config: Mapping[str, str]) -> GuestProfile:
    """The profile a VM's ``other_config`` asks for (:class:`InvalidArgument` if unknown)."""
    name = other_config.get(GUEST_KEY, _DEFAULT_PROFILE)
    profile = _PROFILES.get(name)  # a dict lookup: every domain's state asks (10 000 at adoption, issue 12)
    if profile is None:
        known = ", ".join(p.value for p in GuestProfile)
        raise InvalidArgument(f"other_config[{GUEST_KEY!r}]={name!r}: unknown guest profile; one of {known}")
    return profile


def crash_after(other_config: Mapping[str, str]) -> float:
    """Seconds a ``crash`` guest runs before crashing."""
    raw = other_config.get(CRASH_AFTER_KEY)
    if raw is None:
        return DEFAULT_CRASH_AFTER
    try:
        value = float(raw)
    except ValueError:
        raise InvalidArgument(f"other_config[{CRASH_AFTER_KEY!r}]={raw!r}: not a number") from None
    if value < 0:
        raise InvalidArgument(f"other_config[{CRASH_AFTER_KEY!r}]={raw!r}: negative")
    return value


def tray_locked(other_config: Mapping[str, str]) -> bool:
    """Whether the guest keeps its CD trays locked."""
    return other_config.get(CD_LOCKED_KEY) == "true"


def _non_negative(other_config: Mapping[str, str], key: str) -> float | None:
    raw = other_config.get(key)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise InvalidArgument(f"other_config[{key!r}]={raw!r}: not a number") from None
    if value < 0:
        raise InvalidArgument(f"other_config[{key!r}]={raw!r}: negative")
    return value


def balloon_floor(other_config: Mapping[str, str]) -> int:
    """The least memory the guest gives back (0: as little as asked)."""
    return int(_non_negative(other_config, BALLOON_FLOOR_KEY) or 0)


def balloon_rate(other_config: Mapping[str, str]) -> float | None:
    """Bytes per second the balloon moves (None, or 0: all at once)."""
    return _non_negative(other_config, BALLOON_RATE_KEY) or None
