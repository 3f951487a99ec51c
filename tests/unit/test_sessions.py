"""Sessions in process: login, refusals, lockout, validation, idle expiry and xapi's session caps.

The caps and groups are xapi's ``Db_gc_util.timeout_sessions``: root's sessions (user name ``root``
or empty) count per originator, or in the anonymous group when the originator is empty; any other
user's per user name; a group over its cap loses its least recently active sessions.  The limits'
defaults are ``xapi_globs.ml``'s (500 per originator, 500 per user name, 400 anonymous, 24 h idle).
Time is a fake clock put in place of the module's ``time`` so that "least recently active" and
"idle for longer than" are exact.
"""

from __future__ import annotations

import types

import pytest

from xenia.api import sessions as sessions_module
from xenia.api.auth import hash_password
from xenia.api.faillock import LockoutPolicy
from xenia.api.sessions import SessionLimits, SessionManager, find_user, session_group
from xenia.datamodel import MODEL
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF, Role
from xenia.db import Db

HOST = "OpaqueRef:host"


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(sessions_module, "time", types.SimpleNamespace(monotonic=fake.monotonic))
    return fake


def manager(**limits: object) -> tuple[Db, SessionManager]:
    db = Db(MODEL)
    # cheap hashes for the test's users (the verifier reads the cost back from the stored hash)
    db.create("user", {"short_name": "root", "fullname": "root", "password_hash": hash_password("rootpw", 2),
                       "role": "pool-admin"})  # fmt: skip
    db.create("user", {"short_name": "ops", "fullname": "ops", "password_hash": hash_password("opspw", 2),
                       "role": "vm-operator"})  # fmt: skip
    db.create("user", {"short_name": "blank", "fullname": "blank", "password_hash": hash_password("", 2),
                       "role": "pool-admin"})  # fmt: skip
    db.create("user", {"short_name": "xo-user", "fullname": "xo", "password_hash": hash_password("xopw", 2),
                       "role": "pool-admin"})  # fmt: skip
    limits.setdefault("auth_fail_delay", 0.0)
    return db, SessionManager(db, HOST, SessionLimits(**limits))  # type: ignore[arg-type]


def local(sm: SessionManager, originator: str, uname: str = "") -> str:
    """A login on the local socket (root without a password) -- synchronous underneath."""
    return sm._open(uname or "root", originator, Role.POOL_ADMIN, superuser=True, user_ref=NULL_REF)


def test_defaults_are_xapis() -> None:
    limits = SessionLimits()
    assert limits.idle_timeout == 86400.0  # xapi_globs.inactive_session_timeout
    assert (limits.cap_per_originator, limits.cap_per_user, limits.cap_anonymous) == (500, 500, 400)
    assert limits.auth_fail_delay == 5.0  # docs/api.md: "default 5, xapi's"


@pytest.mark.parametrize(
    ("uname", "originator", "group"),
    [
        ("root", "", ("anonymous", "")),
        ("", "", ("anonymous", "")),
        ("root", "xo", ("originator", "xo")),
        ("", "xo", ("originator", "xo")),
        ("ops", "xo", ("user", "ops")),
        ("ops", "", ("user", "ops")),
    ],
)
def test_each_session_counts_in_xapis_group(uname: str, originator: str, group: tuple[str, str]) -> None:
    assert session_group(uname, originator) == group


def wire(text: str) -> str:
    """The string as a codec hands it over: built at run time, not the interned literal of this file."""
    return "".join(list(text))


def test_find_user_by_short_name() -> None:
    db, _ = manager()
    ref = find_user(db, wire("ops"))
    assert ref is not None and db.get("user", ref)["short_name"] == "ops"
    assert find_user(db, "nobody") is None


@pytest.mark.asyncio
async def test_local_login_is_root_without_a_password() -> None:
    db, sm = manager()
    ref = await sm.login("", "", "cli", local=True)
    rec = db.get("session", ref)
    assert rec["auth_user_name"] == "root" and rec["originator"] == "cli"
    assert rec["is_local_superuser"] is True and rec["this_user"] == NULL_REF and rec["this_host"] == HOST
    assert rec["role"] == "pool-admin" and rec["last_active"] == rec["validation_time"]
    s = sm.check(ref)
    assert s.superuser and s.role is Role.POOL_ADMIN and s.user == "root" and s.group == ("originator", "cli")


@pytest.mark.asyncio
async def test_password_logins_take_the_users_role() -> None:
    db, sm = manager()
    root = await sm.login(wire("root"), wire("rootpw"), "xo", local=False, address="10.0.0.1")
    rec = db.get("session", root)
    assert rec["is_local_superuser"] is True and rec["this_user"] == NULL_REF and rec["role"] == "pool-admin"
    assert sm.check(root).superuser
    ops = await sm.login(wire("ops"), wire("opspw"), "xo", local=False, address="10.0.0.1")
    rec = db.get("session", ops)
    assert rec["is_local_superuser"] is False and rec["this_user"] == find_user(db, "ops")
    assert rec["role"] == "vm-operator" and rec["auth_user_name"] == "ops"
    s = sm.check(ops)
    assert not s.superuser and s.role is Role.VM_OPERATOR and s.group == ("user", "ops")
    other = await sm.login("xo-user", "xopw", "xo", local=False, address="10.0.0.1")  # only root is the superuser
    assert db.get("session", other)["is_local_superuser"] is False and not sm.check(other).superuser


@pytest.mark.asyncio
@pytest.mark.parametrize(("uname", "password"), [("root", "wrong"), ("nobody", "x"), ("blank", ""), ("root", "")])
async def test_every_refusal_is_the_same_and_opens_nothing(uname: str, password: str) -> None:
    db, sm = manager()
    with pytest.raises(ApiError) as e:
        await sm.login(uname, password, "xo", local=False, address="10.0.0.1")
    assert e.value.description == ["SESSION_AUTHENTICATION_FAILED", uname, "Authentication failure"]
    assert db.refs("session") == [] and sm.active == {}


async def _refused(sm: SessionManager, uname: str, password: str, address: str) -> bool:
    try:
        await sm.login(uname, password, "xo", local=False, address=address)
    except ApiError as e:
        assert e.code == "SESSION_AUTHENTICATION_FAILED"
        return True
    return False


@pytest.mark.asyncio
async def test_a_user_name_locks_after_repeated_failures_and_a_success_clears_its_count() -> None:
    _, sm = manager(lockout=LockoutPolicy(per_user=2, per_address=100, lock_base=600.0))
    assert await _refused(sm, "ops", "bad", "10.0.0.1")
    assert not await _refused(sm, "ops", "opspw", "10.0.0.1")
    assert await _refused(sm, "ops", "bad", "10.0.0.2")
    assert not await _refused(sm, "ops", "opspw", "10.0.0.2")  # the success cleared the first failure
    assert await _refused(sm, "ops", "bad", "10.0.0.2")
    assert await _refused(sm, "ops", "bad", "10.0.0.3")
    assert await _refused(sm, "ops", "opspw", "10.0.0.4")  # locked: the right password is refused too
    assert not await _refused(sm, "root", "rootpw", "10.0.0.4")  # other names are not


@pytest.mark.asyncio
async def test_an_address_locks_after_repeated_failures_whatever_the_name() -> None:
    _, sm = manager(lockout=LockoutPolicy(per_user=100, per_address=2, lock_base=600.0))
    assert await _refused(sm, "ops", "bad", "10.0.0.9")
    assert await _refused(sm, "root", "bad", "10.0.0.9")
    assert await _refused(sm, "root", "rootpw", "10.0.0.9")
    assert not await _refused(sm, "root", "rootpw", "10.0.0.1")


def test_check_refuses_what_is_not_a_live_session(clock: Clock) -> None:
    _, sm = manager()
    for bad in (None, 7, "OpaqueRef:nope", ["OpaqueRef:x"]):
        with pytest.raises(ApiError) as e:
            sm.check(bad)
        assert e.value.description == ["SESSION_INVALID", str(bad)]


def test_idle_sessions_expire_and_use_keeps_them_alive(clock: Clock) -> None:
    db, sm = manager(idle_timeout=10.0)
    ref = local(sm, "cli")
    ended: list[str] = []
    sm.on_end.append(ended.append)
    clock.now += 6
    sm.check(ref)
    clock.now += 9  # 15 s after login, 9 s after its last use
    assert sm.check(ref).ref == ref
    clock.now += 10.5
    with pytest.raises(ApiError) as e:
        sm.check(ref)
    assert e.value.description == ["SESSION_INVALID", ref]
    assert not db.exists("session", ref) and ended == [ref]
    with pytest.raises(ApiError):
        sm.check(ref)


def test_idle_expiry_soon_after_boot(clock: Clock) -> None:
    clock.now = 5.0  # the monotonic clock counts from boot: small values are real
    _, sm = manager(idle_timeout=10.0)
    ref = local(sm, "cli")
    clock.now = 20.0
    with pytest.raises(ApiError):
        sm.check(ref)


def test_last_active_is_written_back_once_per_touch_interval(clock: Clock) -> None:
    clock.now = 10.0  # soon after boot, as the monotonic clock may be
    db, sm = manager(touch_interval=60.0)
    ref = local(sm, "cli")
    old = "19700101T00:00:00Z"
    db.set("session", ref, "last_active", old)
    clock.now += 60  # exactly the interval: not yet (xapi refreshes only once the threshold is passed)
    sm.check(ref)
    assert db.get("session", ref)["last_active"] == old
    clock.now += 1  # 61 s since the last write
    sm.check(ref)
    assert db.get("session", ref)["last_active"] > "2000"
    db.set("session", ref, "last_active", old)
    clock.now += 50  # 50 s since that write
    sm.check(ref)
    assert db.get("session", ref)["last_active"] == old


def test_expire_idle_logs_out_exactly_the_idle(clock: Clock) -> None:
    db, sm = manager(idle_timeout=10.0)
    old = local(sm, "a")
    clock.now += 5
    young = local(sm, "b")
    clock.now += 7  # old: idle 12 s, young: 7 s
    assert sm.expire_idle() == 1
    assert not db.exists("session", old) and db.exists("session", young)
    assert sm.expire_idle() == 0
    sm.check(young)


def test_a_group_over_its_cap_loses_its_least_recently_active(clock: Clock) -> None:
    db, sm = manager(cap_per_originator=2)
    ended: list[str] = []
    sm.on_end.append(ended.append)
    first = local(sm, "leaky")
    clock.now += 1
    second = local(sm, "leaky")
    other = local(sm, "other")
    clock.now += 1
    sm.check(first)  # now the first is the more recently active
    clock.now += 1
    third = local(sm, "leaky")
    assert ended == [second] and not db.exists("session", second)
    for ref in (first, other):
        sm.check(ref)
    clock.now += 1
    sm.check(third)
    clock.now += 1
    fourth = local(sm, "leaky")
    assert ended == [second, first]
    assert {s.ref for s in sm.active.values()} == {third, fourth, other}


def test_a_user_counts_across_originators_and_anonymous_sessions_apart(clock: Clock) -> None:
    _, sm = manager(cap_per_user=2, cap_anonymous=1, cap_per_originator=5)
    users = []
    for originator in ("a", "b", "c"):
        users.append(sm._open("ops", originator, Role.VM_OPERATOR, False, "OpaqueRef:u"))
        clock.now += 1
    anonymous = [local(sm, ""), local(sm, "")]
    rooted = local(sm, "a")
    live = set(sm.active)
    assert live == {users[1], users[2], anonymous[1], rooted}


def test_under_the_cap_nobody_is_logged_out(clock: Clock) -> None:
    _, sm = manager(cap_per_originator=10)
    refs = []
    for _ in range(10):
        refs.append(local(sm, "x"))
        clock.now += 1
    assert set(sm.active) == set(refs)
    refs.append(local(sm, "x"))
    assert set(sm.active) == set(refs[1:])


def test_logging_out_one_session_keeps_the_others_counted(clock: Clock) -> None:
    _, sm = manager(cap_per_originator=3)
    refs = []
    for _ in range(2):
        refs.append(local(sm, "x"))
        clock.now += 1
    sm.logout(refs[1])
    sm.logout(refs[1])  # twice: nothing more happens
    sm.logout("OpaqueRef:never")
    for _ in range(3):
        refs.append(local(sm, "x"))
        clock.now += 1
    assert set(sm.active) == set(refs[2:])
    for ref in refs[2:]:
        sm.logout(ref)
    assert sm.active == {} and sm.groups == {}


def test_logout_tells_every_listener_once(clock: Clock) -> None:
    db, sm = manager()
    heard: list[tuple[str, str]] = []
    sm.on_end.append(lambda ref: heard.append(("tasks", ref)))
    sm.on_end.append(lambda ref: heard.append(("events", ref)))
    ref = local(sm, "x")
    sm.logout(ref)
    sm.logout(ref)
    assert heard == [("tasks", ref), ("events", ref)] and db.refs("session") == []
