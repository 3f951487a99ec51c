"""Failed-login accounting: lock a user name or a source address after repeated failures.

As PAM's ``pam_faillock`` does for xapi's PAM stack: failures are counted per
key (a user name, a client address); after ``threshold`` failures within
``fail_interval`` seconds the key is locked, for ``lock_base`` seconds and twice
as long after every further failure, up to ``lock_max``.  While a key is locked
its attempts are refused without checking the password, so guessing costs the
attacker time and the daemon no hashing; a success clears the user name's count
(not the address's, or one valid account would let an address guess others).

Nothing here sleeps: the caller asks :meth:`FailureTable.locked` and answers at
once (after its usual failure delay, which awaits without holding anything), so
a locked key never delays another client.  Written here rather than taken from a
library because it is a few dozen lines over a bounded dict and must run inside
the event loop without I/O.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class LockoutPolicy:
    """Defaults as pam_faillock's (deny=3 is stricter than a tool that retries wants; 5 and 20 here)."""

    per_user: int = 5
    per_address: int = 20
    lock_base: float = 1.0
    lock_max: float = 600.0
    fail_interval: float = 900.0
    #: at most this many keys are remembered per table, the least recently failed forgotten first
    max_keys: int = 10_000


@dataclass(slots=True)
class _Failures:
    count: int
    last: float


class FailureTable:
    """Recent failures per key (one table for user names, one for addresses)."""

    def __init__(self, threshold: int, policy: LockoutPolicy, clock: Callable[[], float] = time.monotonic) -> None:
        self.threshold = threshold
        self.policy = policy
        self.clock = clock
        self._keys: OrderedDict[str, _Failures] = OrderedDict()

    def _current(self, key: str, now: float) -> _Failures | None:
        entry = self._keys.get(key)
        if entry is not None and now - entry.last > self.policy.fail_interval:
            del self._keys[key]
            return None
        return entry

    def lock_time(self, count: int) -> float:
        """How long ``count`` recent failures lock a key (0 below the threshold)."""
        if count < self.threshold:
            return 0.0
        return min(self.policy.lock_max, self.policy.lock_base * 2.0 ** min(count - self.threshold, 60))

    def locked(self, key: str) -> float:
        """Seconds ``key`` stays locked (0.0: not locked)."""
        now = self.clock()
        entry = self._current(key, now)
        if entry is None:
            return 0.0
        return max(0.0, entry.last + self.lock_time(entry.count) - now)

    def failures(self, key: str) -> int:
        entry = self._current(key, self.clock())
        return 0 if entry is None else entry.count

    def failed(self, key: str) -> None:
        now = self.clock()
        entry = self._current(key, now)
        if entry is None:
            self._keys[key] = _Failures(1, now)
            while len(self._keys) > self.policy.max_keys:
                self._keys.popitem(last=False)
        else:
            entry.count += 1
            entry.last = now
            self._keys.move_to_end(key)

    def clear(self, key: str) -> None:
        self._keys.pop(key, None)


class LoginGuard:
    """The two tables a login consults: by user name and by client address."""

    def __init__(self, policy: LockoutPolicy | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy or LockoutPolicy()
        self.users = FailureTable(self.policy.per_user, self.policy, clock)
        self.addresses = FailureTable(self.policy.per_address, self.policy, clock)

    def locked(self, uname: str, address: str) -> bool:
        return self.users.locked(uname) > 0 or (bool(address) and self.addresses.locked(address) > 0)

    def failed(self, uname: str, address: str) -> None:
        self.users.failed(uname)
        if address:
            self.addresses.failed(address)

    def succeeded(self, uname: str) -> None:
        self.users.clear(uname)
