"""pyxs (PyPI) against the daemon: it numbers requests and matches replies by req_id."""

from __future__ import annotations

import pytest
from pyxs import Client, PyXSError
from pyxs._internal import Op

from .conftest import Daemon


def test_pyxs_basic(daemon: Daemon) -> None:
    with Client(unix_socket_path=str(daemon.socket)) as c:
        c[b"/foo/bar"] = b"baz"
        assert c[b"/foo/bar"] == b"baz"
        assert c.list(b"/foo") == [b"bar"]
        assert c.exists(b"/foo/bar")
        c.mkdir(b"/foo/dir")
        assert c.list(b"/foo") == [b"bar", b"dir"]
        c.set_perms(b"/foo/bar", [b"n0", b"r3"])
        assert c.get_perms(b"/foo/bar") == [b"n0", b"r3"]
        assert c.get_domain_path(7) == b"/local/domain/7"
        c.delete(b"/foo")
        assert not c.exists(b"/foo")
        with pytest.raises(PyXSError):
            c.read(b"/foo/bar")


def test_pyxs_transaction_and_conflict(daemon: Daemon) -> None:
    with Client(unix_socket_path=str(daemon.socket)) as a, Client(unix_socket_path=str(daemon.socket)) as b:
        a[b"/t/k"] = b"1"
        a.transaction()
        assert a[b"/t/k"] == b"1"
        b[b"/t/k"] = b"2"  # changes what a read
        a[b"/t/k"] = b"3"
        assert a.commit() is False  # EAGAIN
        assert b[b"/t/k"] == b"2"
        a.transaction()
        a[b"/t/other"] = b"x"
        assert a.commit() is True


def test_pyxs_watch(daemon: Daemon) -> None:
    with Client(unix_socket_path=str(daemon.socket)) as c:
        m = c.monitor()
        m.watch(b"/w", b"tok")
        events = m.wait()
        assert next(events) == (b"/w", b"tok")
        c[b"/w/x"] = b"1"
        assert next(events) == (b"/w/x", b"tok")


def test_pyxs_domains(daemon: Daemon) -> None:
    with Client(unix_socket_path=str(daemon.socket)) as c:
        m = c.monitor()
        m.watch(b"@introduceDomain", b"intro")
        events = m.wait()
        assert next(events) == (b"@introduceDomain", b"intro")
        c.introduce_domain(3, 1234, 5)
        assert next(events) == (b"@introduceDomain", b"intro")
        assert c.is_domain_introduced(3)
        # pyxs itself refuses release_domain unless /proc/xen says control_d; send it raw
        c.ack(Op.RELEASE, b"3\0")
        assert not c.is_domain_introduced(3)
