"""Hardening of authentication and ownership (issue 9, items 5 to 9), through real clients.

- tasks belong to their owners (xapi's ``TaskHelper.assert_op_valid``);
- empty passwords are refused;
- the state directory and the files and sockets in it are private;
- failed logins lock a user name and a client address, without delaying anyone else;
- the session caps are per originator (root) and per user name (others), as xapi's.
"""

from __future__ import annotations

import http.client
import stat
import subprocess
import sys
import threading
import xmlrpc.client
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import XenAPI

from xenia.client import Failure, Session
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

DENIED = [
    "RBAC_PERMISSION_DENIED",
    "task.destroy/any",
    "No permission in user session. (Roles with this permission: pool-admin, pool-operator)",
]


def xenia_user(daemon: DaemonProcess, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xenia.cli.main", "user", "--socket", str(daemon.socket_path), *args],
                          capture_output=True, text=True, check=False)  # fmt: skip


def add_user(daemon: DaemonProcess, name: str, role: str) -> None:
    r = xenia_user(daemon, "add", name, "--role", role, "--password", f"{name}-pw")
    assert r.returncode == 0, r.stderr


class FromAddress(xmlrpc.client.Transport):
    """An XML-RPC transport whose connections leave from a chosen loopback address (127.0.0.0/8 is all local)."""

    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address

    def make_connection(self, host: Any) -> http.client.HTTPConnection:
        chost, self._extra_headers, _ = self.get_host_info(host)
        return http.client.HTTPConnection(chost, source_address=(self.address, 0))


def sdk(daemon: DaemonProcess, user: str, password: str, address: str = "127.0.0.1",
        originator: str = "xenia-tests") -> XenAPI.Session:  # fmt: skip
    session = XenAPI.Session(daemon.url, transport=FromAddress(address))
    session.xenapi.login_with_password(user, password, "2.0", originator)
    return session


def refused_login(daemon: DaemonProcess, user: str, password: str, address: str = "127.0.0.1") -> list[str]:
    with pytest.raises(XenAPI.Failure) as info:
        sdk(daemon, user, password, address)
    details: list[str] = info.value.details
    return details


# --------------------------------------------------------------------------- tasks


@pytest.fixture(scope="module")
def users(daemon: DaemonProcess) -> Iterator[dict[str, XenAPI.Session]]:
    for name, role in (("reader", "read-only"), ("vmadmin", "vm-admin"), ("poolop", "pool-operator")):
        add_user(daemon, name, role)
    sessions = {"root": sdk(daemon, "root", ROOT_PASSWORD)}
    sessions.update({name: sdk(daemon, name, f"{name}-pw") for name in ("reader", "vmadmin", "poolop")})
    yield sessions


TASK_CALLS: list[tuple[str, tuple[Any, ...]]] = [
    ("task.cancel", ()), ("task.set_status", ("success",)), ("task.set_progress", (0.5,)),
    ("task.set_result", ("<value>x</value>",)), ("task.set_error_info", (["X"],)), ("task.destroy", ()),
]  # fmt: skip


@pytest.mark.parametrize("who", ["reader", "vmadmin"])
def test_others_may_not_touch_roots_task(users: dict[str, XenAPI.Session], who: str) -> None:
    root = users["root"]
    task = root.xenapi.task.create("root's", "made by root")
    before = root.xenapi.task.get_record(task)
    for call, args in TASK_CALLS:
        with pytest.raises(XenAPI.Failure) as info:
            users[who].xenapi_request(call, (task, *args))
        assert info.value.details == DENIED, call
    after = root.xenapi.task.get_record(task)
    for key in ("status", "progress", "result", "error_info", "current_operations"):
        assert after[key] == before[key], key
    root.xenapi.task.destroy(task)


def test_owner_acts_on_own_task_from_another_session(daemon: DaemonProcess, users: dict[str, XenAPI.Session]) -> None:
    task = users["vmadmin"].xenapi.task.create("mine", "")
    other = sdk(daemon, "vmadmin", "vmadmin-pw", originator="second-tool")  # same user, another session
    other.xenapi.task.set_progress(task, 0.25)
    other.xenapi.task.set_error_info(task, ["E"])
    other.xenapi.task.set_result(task, "<value>r</value>")
    assert users["vmadmin"].xenapi.task.get_progress(task) == 0.25
    other.xenapi.task.cancel(task)
    assert users["vmadmin"].xenapi.task.get_status(task) == "cancelling"
    # ...but another read-only-ish user still may not
    with pytest.raises(XenAPI.Failure) as info:
        users["reader"].xenapi.task.destroy(task)
    assert info.value.details == DENIED
    other.xenapi.task.destroy(task)
    assert task not in users["root"].xenapi.task.get_all()


def test_pool_operator_may_act_on_any_task(users: dict[str, XenAPI.Session]) -> None:
    task = users["reader"].xenapi.task.create("reader's", "")
    users["poolop"].xenapi.task.set_progress(task, 0.5)
    users["poolop"].xenapi.task.cancel(task)
    assert users["reader"].xenapi.task.get_status(task) == "cancelling"
    users["root"].xenapi.task.destroy(task)
    assert task not in users["root"].xenapi.task.get_all()


def test_async_task_of_root_cannot_be_cancelled_by_reader(users: dict[str, XenAPI.Session]) -> None:
    root = users["root"]
    template = next(ref for ref, rec in root.xenapi.VM.get_all_records().items() if rec["is_a_template"])
    task = root.xenapi.Async.VM.clone(template, "cloned by root")
    with pytest.raises(XenAPI.Failure) as info:
        users["reader"].xenapi.task.cancel(task)
    assert info.value.details == DENIED
    with pytest.raises(XenAPI.Failure) as info:
        users["reader"].xenapi.task.destroy(task)
    assert info.value.details == DENIED
    assert task in root.xenapi.task.get_all()


# ------------------------------------------------------------------ empty passwords


def test_empty_passwords_are_refused(daemon: DaemonProcess) -> None:
    r = xenia_user(daemon, "add", "nopw", "--password", "")
    assert r.returncode == 1 and "INVALID_VALUE password" in r.stderr, (r.returncode, r.stderr)
    assert "nopw" not in xenia_user(daemon, "list").stdout
    local = Session(str(daemon.socket_path))
    local.login("root", "")  # the local socket stays password-free for root, as xapi's
    with pytest.raises(Failure) as info:
        local.call_with_session("xenia.user_add", "nopw2", "", "read-only")
    assert info.value.details == ["INVALID_VALUE", "password", ""]
    add_user(daemon, "haspw", "read-only")
    with pytest.raises(Failure) as info:
        local.call_with_session("xenia.user_passwd", "haspw", "")
    assert info.value.details == ["INVALID_VALUE", "password", ""]
    sdk(daemon, "haspw", "haspw-pw")  # the password did not change
    root = sdk(daemon, "root", ROOT_PASSWORD)
    with pytest.raises(XenAPI.Failure) as failure:
        root.xenapi.session.change_password(ROOT_PASSWORD, "")
    assert failure.value.details == ["INVALID_VALUE", "new_pwd", ""]
    assert refused_login(daemon, "root", "") == ["SESSION_AUTHENTICATION_FAILED", "root", "Authentication failure"]


# --------------------------------------------------------------------- private state


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _assert_private(state: Path) -> None:
    assert _mode(state) == 0o700
    for name in ("xenia.db", "xenia.db-wal", "xenia.db-shm"):
        assert _mode(state / name) == 0o600, name
    store_files = [p for p in (state / "store").rglob("*") if p.is_file()]
    assert store_files, "the store keeps its journal under store/"
    for path in store_files:
        assert _mode(path) & 0o077 == 0, path
    assert _mode(state / "store") == 0o700
    for sock in ("xapi.sock", "xenstored.sock"):
        assert stat.S_ISSOCK((state / sock).lstat().st_mode)
        assert _mode(state / sock) == 0o600, sock


def test_state_is_private_and_laxer_modes_are_tightened(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir(mode=0o755)
    state.chmod(0o755)
    with DaemonProcess(state_dir=state) as daemon:
        session = sdk(daemon, "root", ROOT_PASSWORD)
        session.xenapi.VM.set_name_description(session.xenapi.VM.get_all()[0], "a write, so the WAL has content")
        _assert_private(state)
    # an earlier version (or an administrator) left everything readable: the next start tightens it
    for path in [state, *state.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    with DaemonProcess(state_dir=state) as daemon:
        sdk(daemon, "root", ROOT_PASSWORD)
        _assert_private(state)


# -------------------------------------------------------------------------- lockout


LOCKOUT_ARGS = ["--login-failures-per-user", "3", "--login-failures-per-address", "6",
                "--login-lock-seconds", "600", "--auth-fail-delay", "0"]  # fmt: skip
FAILED = "SESSION_AUTHENTICATION_FAILED"


def test_failed_logins_lock_the_user_name_not_others() -> None:
    with DaemonProcess(extra_args=LOCKOUT_ARGS) as daemon:
        for name in ("alice", "bob"):
            add_user(daemon, name, "read-only")
        for _ in range(3):
            assert refused_login(daemon, "alice", "guess")[0] == FAILED
        # locked: even the right password is refused, from any address, with the same answer
        assert refused_login(daemon, "alice", "alice-pw") == [FAILED, "alice", "Authentication failure"]
        assert refused_login(daemon, "alice", "alice-pw", "127.0.0.2")[0] == FAILED
        # another user from the same address is not affected
        sdk(daemon, "bob", "bob-pw")
        # a success clears the user's count (not the address's): two failures, a success, twice
        for _ in range(2):
            for _ in range(2):
                assert refused_login(daemon, "bob", "guess", "127.0.0.5")[0] == FAILED
            sdk(daemon, "bob", "bob-pw", "127.0.0.5")
        # the local socket is never locked out
        local = Session(str(daemon.socket_path))
        local.login("alice", "")
        assert local.call_with_session("pool.get_all")


def test_failed_logins_lock_the_address_not_others() -> None:
    with DaemonProcess(extra_args=LOCKOUT_ARGS) as daemon:
        add_user(daemon, "carol", "read-only")
        # spraying unknown names from one address: each name fails only twice, the address six times
        for i in range(3):
            for _ in range(2):
                assert refused_login(daemon, f"nobody{i}", "guess", "127.0.0.3")[0] == FAILED
        assert refused_login(daemon, "carol", "carol-pw", "127.0.0.3")[0] == FAILED
        # from another address the same user logs in
        sdk(daemon, "carol", "carol-pw", "127.0.0.4")


def test_failed_logins_delay_no_other_client() -> None:
    with DaemonProcess(extra_args=["--auth-fail-delay", "5"]) as daemon:
        answered: list[str] = []

        def guess(i: int) -> None:
            refused_login(daemon, "root", f"guess{i}", f"127.0.1.{i}")
            answered.append("guess")

        # logged in first: the guesses lock root's name over TCP, which is the point of the lockout
        other = sdk(daemon, "root", ROOT_PASSWORD, "127.0.0.9")
        local = Session(str(daemon.socket_path))
        local.login("root", "")
        guesses = [threading.Thread(target=guess, args=(i,)) for i in range(10)]
        for t in guesses:
            t.start()
        assert other.xenapi.pool.get_all() and local.call_with_session("pool.get_all")
        answered.append("benign")
        for t in guesses:
            t.join()
        # the benign client was answered while every failed login was still waiting out its delay
        assert answered[0] == "benign" and answered.count("guess") == 10


# ------------------------------------------------------------------------ session caps


def login(daemon: DaemonProcess, originator: str, user: str = "root", password: str = ROOT_PASSWORD) -> Session:
    s = Session(daemon.url)
    s.handle = s.call("session.login_with_password", user, password, "2.0", originator)
    return s


def alive(s: Session) -> bool:
    try:
        s.call("pool.get_all", s.handle)
    except Failure as e:
        assert e.details[0] == "SESSION_INVALID"
        return False
    return True


def test_a_leaky_originator_logs_out_only_its_own_sessions() -> None:
    # the scenario (2 000 sessions, then 600 logins with new originators), scaled down
    args = ["--sessions-per-originator", "3", "--sessions-per-user", "3", "--sessions-anonymous", "3"]
    with DaemonProcess(extra_args=args) as daemon:
        earlier = [login(daemon, f"tool-{i}") for i in range(3) for _ in range(3)]
        newer = [login(daemon, f"new-{i}") for i in range(5)]
        assert all(alive(s) for s in earlier + newer)
        leaky = [login(daemon, "leaky") for _ in range(5)]
        assert [alive(s) for s in leaky] == [False, False, True, True, True]
        assert all(alive(s) for s in earlier + newer)
        # within a group the least recently active go first
        group = earlier[:3]
        assert alive(group[0])  # used just now: group[1] is now the least recently active
        login(daemon, "tool-0")
        assert [alive(s) for s in group] == [True, False, True]


def test_other_users_are_capped_per_user_name_and_anonymous_root_apart() -> None:
    args = ["--sessions-per-originator", "2", "--sessions-per-user", "2", "--sessions-anonymous", "2"]
    with DaemonProcess(extra_args=args) as daemon:
        add_user(daemon, "dave", "read-only")
        roots = [login(daemon, "tool") for _ in range(2)]
        dave = [login(daemon, f"script-{i}", "dave", "dave-pw") for i in range(3)]
        assert [alive(s) for s in dave] == [False, True, True]  # xapi groups a user's sessions by name
        anonymous = [login(daemon, "") for _ in range(3)]
        assert [alive(s) for s in anonymous] == [False, True, True]
        assert all(alive(s) for s in roots)
