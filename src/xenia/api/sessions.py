"""Sessions: login, validation, expiry and the session caps.

As in xapi, a session is a ``session`` object in the db (kept in memory only:
after a restart clients get SESSION_INVALID and the SDK logs in again by
itself).  Requests on the local unix socket are root without a password.
Sessions idle for longer than ``idle_timeout`` expire.

The caps are xapi's (``Db_gc_util.timeout_sessions``): every session belongs to
exactly one group -- root's sessions (user name ``root`` or empty) to the group
of their originator, or to the anonymous group when the originator is empty;
any other user's to the group of that user name -- and a group over its cap
loses its least recently active sessions.  So a leaky script, which logs in
again and again under one originator, only ever logs out its own sessions.

Failed logins are counted per user name and per client address
(:mod:`xenia.api.faillock`); unknown names cost the same hashing as known ones.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NoReturn

from xenia.api.auth import unmatchable_hash, verify_password_async
from xenia.api.faillock import LockoutPolicy, LoginGuard
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF, Role
from xenia.db import Db
from xenia.util.clock import xapi_time

log = logging.getLogger(__name__)


def find_user(db: Db, name: str) -> str | None:
    """The local user with this short name (a handful of users: a scan is fine)."""
    return next((ref for ref in db.refs("user") if db.get("user", ref)["short_name"] == name), None)


#: the originator of the sessions pool members open on each other (xenia.pool.forward)
POOL_ORIGINATOR = "xenia-pool"

#: a session group: ("originator", name), ("user", name) or ("anonymous", "")
Group = tuple[str, str]


@dataclass
class SessionLimits:
    """xapi's values (``xapi_globs.ml``): 500 per originator, 500 per user name, 400 anonymous."""

    idle_timeout: float = 24 * 3600.0
    cap_per_user: int = 500
    cap_per_originator: int = 500
    cap_anonymous: int = 400
    auth_fail_delay: float = 5.0
    #: how often last_active is written back to the session record
    touch_interval: float = 60.0
    lockout: LockoutPolicy = field(default_factory=LockoutPolicy)


def session_group(uname: str, originator: str) -> Group:
    """The one group whose cap a session counts against (xapi's ``timeout_sessions``)."""
    if uname in ("", "root"):
        return ("originator", originator) if originator else ("anonymous", "")
    return ("user", uname)


@dataclass(slots=True)
class ActiveSession:
    """What dispatch needs to know about a session, without reading its record."""

    ref: str
    user: str
    originator: str
    role: Role
    superuser: bool
    last_seen: float
    last_written: float
    group: Group


class SessionManager:
    def __init__(self, db: Db, host_ref: str, limits: SessionLimits | None = None) -> None:
        self.db = db
        self.host_ref = host_ref
        self.limits = limits or SessionLimits()
        self.active: dict[str, ActiveSession] = {}
        self.groups: dict[Group, dict[str, None]] = {}
        self.guard = LoginGuard(self.limits.lockout)
        #: what an unknown user name's password is checked against, so that it costs the same
        self._dummy_hash = unmatchable_hash()
        #: called with a session ref when it ends (tasks and event registrations are collected)
        self.on_end: list[Callable[[str], None]] = []

    # ------------------------------------------------------------------ login

    async def login(self, uname: str, password: str, originator: str, local: bool, address: str = "") -> str:
        """Open a session: on the local socket without a password, over TCP for a local user's password.

        Every refusal is the same SESSION_AUTHENTICATION_FAILED after the same delay, whether the
        name is unknown, the password wrong or empty, or the name or address locked out.
        """
        if local:
            return self._open(uname or "root", originator, Role.POOL_ADMIN, superuser=True, user_ref=NULL_REF)
        if self.guard.locked(uname, address):
            log.debug("login refused for %r from %s: locked out", uname, address or "?")
            await self._refuse(uname)
        user_ref = find_user(self.db, uname)
        user = None if user_ref is None else self.db.get("user", user_ref)
        stored = self._dummy_hash if user is None else user["password_hash"]
        matches = await verify_password_async(password, stored)
        if not matches or password == "" or user is None or user_ref is None:
            self.guard.failed(uname, address)
            if self.guard.locked(uname, address):
                log.warning("failed login for %r from %s: locked out after repeated failures", uname, address or "?")
            await self._refuse(uname)
        self.guard.succeeded(uname)
        superuser = uname == "root"
        return self._open(uname, originator, Role.from_wire(user["role"]), superuser, NULL_REF if superuser else user_ref)

    async def _refuse(self, uname: str) -> NoReturn:
        """Answer a failed login after the delay (an await: other clients go on meanwhile)."""
        await asyncio.sleep(self.limits.auth_fail_delay)
        raise ApiError("SESSION_AUTHENTICATION_FAILED", uname, "Authentication failure")

    def _open(self, uname: str, originator: str, role: Role, superuser: bool, user_ref: str) -> str:
        now_wall = xapi_time()
        ref = self.db.create(
            "session",
            {
                "this_host": self.host_ref,
                "this_user": user_ref,
                "last_active": now_wall,
                "validation_time": now_wall,
                "is_local_superuser": superuser,
                "auth_user_name": uname,
                "originator": originator,
                "role": role.wire,
            },
        )
        now = time.monotonic()
        group = session_group(uname, originator)
        self.active[ref] = ActiveSession(ref, uname, originator, role, superuser, now, now, group)
        members = self.groups.setdefault(group, {})
        members[ref] = None
        cap = self._cap(group)
        if len(members) > cap:
            # the least recently active go (a scan, once per login over the cap: logins cost far more)
            by_activity = sorted((r for r in members if r != ref), key=lambda r: self.active[r].last_seen)
            for stale in by_activity[: len(members) - cap]:
                self.logout(stale)
        return ref

    def _cap(self, group: Group) -> int:
        kind = group[0]
        if kind == "originator":
            return self.limits.cap_per_originator
        if kind == "user":
            return self.limits.cap_per_user
        return self.limits.cap_anonymous

    # ------------------------------------------------------------- validation

    def check(self, ref: object) -> ActiveSession:
        """The live session behind ``ref``; SESSION_INVALID if there is none."""
        session = self.active.get(ref) if isinstance(ref, str) else None
        if session is None:
            raise ApiError("SESSION_INVALID", str(ref))
        now = time.monotonic()
        if now - session.last_seen > self.limits.idle_timeout:
            self.logout(session.ref)
            raise ApiError("SESSION_INVALID", str(ref))
        session.last_seen = now
        if now - session.last_written > self.limits.touch_interval:
            session.last_written = now
            self.db.set("session", session.ref, "last_active", xapi_time())
        return session

    # ----------------------------------------------------------------- logout

    def logout(self, ref: str) -> None:
        session = self.active.pop(ref, None)
        if session is None:
            return
        members = self.groups.get(session.group)
        if members is not None:
            members.pop(ref, None)
            if not members:
                del self.groups[session.group]
        for callback in list(self.on_end):
            callback(ref)
        if self.db.exists("session", ref):
            self.db.destroy("session", ref)

    def expire_idle(self) -> int:
        """Log out every session idle for longer than the limit; returns how many."""
        deadline = time.monotonic() - self.limits.idle_timeout
        stale = [ref for ref, s in self.active.items() if s.last_seen < deadline]
        for ref in stale:
            self.logout(ref)
        return len(stale)
