"""Session expiry and logout (the caps: tests/functional/test_security.py)."""

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
