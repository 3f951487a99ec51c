"""Editions, the pool's licence state, the host's power-on mode and https_only, through the official SDK.

xapi: ``host.apply_edition`` asks v6d, which answers INVALID_EDITION [edition] for a name it
does not know; ``pool.apply_edition`` applies to every host; ``pool.get_license_state`` is the
lowest edition and its earliest expiry ("never" when there is none); ``set_power_on_mode``
stores the mode and its configuration together.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import XenAPI

from tests.functional.test_new_user_defects import finished
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess


@pytest.fixture(scope="module")
def session(daemon: DaemonProcess) -> Iterator[XenAPI.Session]:
    s = XenAPI.Session(daemon.url)
    s.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "licensing")
    yield s
    s.xenapi.session.logout()


def error(fn: Any, *args: Any) -> list[str]:
    with pytest.raises(XenAPI.Failure) as info:
        fn(*args)
    details: list[str] = info.value.details
    return details


def test_editions_and_license_state(session: XenAPI.Session) -> None:
    api = session.xenapi
    host, pool = api.host.get_all()[0], api.pool.get_all()[0]
    editions = api.host.get_editions(host)
    assert api.host.get_edition(host) in editions
    assert api.host.get_license_params(host)["expiry"] == "never"
    assert api.pool.get_license_state(pool) == {"edition": api.host.get_edition(host), "expiry": "never"}
    api.host.apply_edition(host, editions[0], False)
    assert api.host.get_edition(host) == editions[0]

    assert error(api.host.apply_edition, host, "enterprise-per-socket", True) == \
        ["INVALID_EDITION", "enterprise-per-socket"]  # fmt: skip
    assert error(api.pool.apply_edition, pool, "") == ["INVALID_EDITION", ""]
    assert api.host.get_edition(host) == editions[0]  # a refused edition changes nothing
    assert error(api.host.apply_edition, "OpaqueRef:NULL", editions[0], False) == \
        ["HANDLE_INVALID", "host", "OpaqueRef:NULL"]  # fmt: skip

    task = api.Async.pool.apply_edition(pool, editions[0])  # xapi serves it as a task too
    assert finished(api, task)["status"] == "success"
    api.task.destroy(task)
    assert api.pool.get_license_state(pool)["edition"] == editions[0]


def test_power_on_mode_is_stored_with_its_config(session: XenAPI.Session) -> None:
    api = session.xenapi
    host = api.host.get_all()[0]
    assert api.host.get_power_on_mode(host) == ""
    api.host.set_power_on_mode(host, "iLO", {"power_on_ip": "192.0.2.9", "power_on_user": "admin"})
    record = api.host.get_record(host)
    assert (record["power_on_mode"], record["power_on_config"]) == \
        ("iLO", {"power_on_ip": "192.0.2.9", "power_on_user": "admin"})  # fmt: skip
    api.host.set_power_on_mode(host, "wake-on-lan", {})  # the old configuration goes with the old mode
    assert (api.host.get_power_on_mode(host), api.host.get_power_on_config(host)) == ("wake-on-lan", {})
    api.host.set_power_on_mode(host, "", {})
    assert api.host.get_power_on_mode(host) == ""


def test_https_only_needs_a_tls_listener(session: XenAPI.Session) -> None:
    """This daemon serves plain HTTP only: closing it would leave no TCP listener, so xenia refuses."""
    api = session.xenapi
    host, pool = api.host.get_all()[0], api.pool.get_all()[0]
    assert api.host.get_https_only(host) is False
    for fn, ref in ((api.host.set_https_only, host), (api.pool.set_https_only, pool)):
        assert error(fn, ref, True)[0] == "OPERATION_NOT_ALLOWED"
    api.host.set_https_only(host, False)  # what it already is: nothing to do
    assert api.host.get_https_only(host) is False
    assert api.pool.get_all_records()  # still serving over plain HTTP


def test_local_auth_max_threads(session: XenAPI.Session, daemon: DaemonProcess) -> None:
    """xapi's semaphore on local password checks: logins still all succeed, one check at a time."""
    api = session.xenapi
    pool = api.pool.get_all()[0]
    assert error(api.pool.set_local_auth_max_threads, pool, "0") == ["INVALID_VALUE", "value", "0"]
    api.pool.set_local_auth_max_threads(pool, "1")
    try:

        def login_logout(_: int) -> bool:
            s = XenAPI.Session(daemon.url)
            s.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "threads")
            s.xenapi.session.logout()
            return True

        with ThreadPoolExecutor(4) as pool_of_clients:
            assert all(pool_of_clients.map(login_logout, range(8)))
    finally:
        api.pool.set_local_auth_max_threads(pool, "2")
