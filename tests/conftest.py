"""Shared fixtures: a real daemon per test module, and SDK sessions against it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess


@pytest.fixture(scope="module")
def daemon() -> Iterator[DaemonProcess]:
    with DaemonProcess() as d:
        yield d


@pytest.fixture
def xapi(daemon: DaemonProcess) -> Iterator[XenAPI.Session]:
    """An SDK session over TCP (XML-RPC), logged in as root."""
    session = XenAPI.Session(daemon.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "xenia-tests")
    yield session
    with contextlib.suppress(XenAPI.Failure, OSError):
        session.xenapi.session.logout()
