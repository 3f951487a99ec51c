"""The lockout's arithmetic, on a clock the test moves (no waiting): thresholds, growth, forgetting, bounds."""

from __future__ import annotations

from xenia.api.faillock import FailureTable, LockoutPolicy, LoginGuard


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_lock_starts_at_the_threshold_and_doubles_up_to_the_maximum() -> None:
    clock = Clock()
    table = FailureTable(3, LockoutPolicy(lock_base=1.0, lock_max=10.0, fail_interval=900.0), clock)
    for _ in range(2):
        table.failed("alice")
        assert table.locked("alice") == 0.0
    locks = []
    for _ in range(6):
        table.failed("alice")
        locks.append(table.locked("alice"))
    assert locks == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    clock.now += 10.0
    assert table.locked("alice") == 0.0  # the lock ran out; the count stays until the interval passes
    table.failed("alice")
    assert table.locked("alice") == 10.0


def test_failures_are_forgotten_after_the_interval_and_cleared_by_success() -> None:
    clock = Clock()
    guard = LoginGuard(LockoutPolicy(per_user=2, per_address=3, fail_interval=60.0), clock)
    guard.failed("bob", "10.0.0.1")
    clock.now += 61.0
    guard.failed("bob", "10.0.0.1")
    assert not guard.locked("bob", "10.0.0.2") and guard.users.failures("bob") == 1
    guard.succeeded("bob")
    assert guard.users.failures("bob") == 0 and guard.addresses.failures("10.0.0.1") == 1
    for name in ("x", "y"):
        guard.failed(name, "10.0.0.1")
    assert guard.locked("carol", "10.0.0.1") and not guard.locked("carol", "10.0.0.9")
    assert not guard.locked("carol", "")  # the local socket has no address and is never locked


def test_the_table_is_bounded() -> None:
    table = FailureTable(1, LockoutPolicy(max_keys=100), Clock())
    for i in range(1000):
        table.failed(f"name-{i}")
    assert table.failures("name-999") == 1 and table.failures("name-0") == 0
    assert len(table._keys) == 100
