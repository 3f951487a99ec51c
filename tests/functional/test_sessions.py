"""Session expiry and the per-user and per-originator caps, oldest first."""

from __future__ import annotations

import time

import pytest

from xenia.client import Failure, Session
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess


def login(daemon: DaemonProcess, originator: str) -> Session:
    s = Session(daemon.url)
    s.handle = s.call("session.login_with_password", "root", ROOT_PASSWORD, "2.0", originator)
    return s


def alive(s: Session) -> bool:
    try:
        s.call("pool.get_all", s.handle)
    except Failure as e:
        assert e.details[0] == "SESSION_INVALID"
        return False
    return True


def test_caps_evict_oldest_first() -> None:
    with DaemonProcess(extra_args=["--sessions-per-originator", "3", "--sessions-per-user", "5"]) as daemon:
        a = [login(daemon, "tool-a") for _ in range(4)]
        assert [alive(s) for s in a] == [False, True, True, True]
        b = [login(daemon, "tool-b") for _ in range(3)]
        # 3 of tool-a and 3 of tool-b make 6 for root: the oldest of all goes
        assert [alive(s) for s in a[1:]] == [False, True, True]
        assert all(alive(s) for s in b)


def test_idle_sessions_expire() -> None:
    with DaemonProcess(extra_args=["--session-idle-timeout", "1"]) as daemon:
        idle = login(daemon, "idle")
        busy = login(daemon, "busy")
        for _ in range(6):
            time.sleep(0.3)
            assert alive(busy)
        assert not alive(idle)


def test_logout_invalidates(daemon: DaemonProcess) -> None:
    s = login(daemon, "x")
    s.call("session.logout", s.handle)
    with pytest.raises(Failure) as info:
        s.call("pool.get_all", s.handle)
    assert info.value.details == ["SESSION_INVALID", s.handle]
