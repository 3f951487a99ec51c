"""Sessions: login, validation, expiry and the per-user and per-originator caps.

As in xapi, a session is a ``session`` object in the db (kept in memory only:
after a restart clients get SESSION_INVALID and the SDK logs in again by
itself).  Requests on the local unix socket are root without a password.
Sessions idle for longer than ``idle_timeout`` expire; each user name and
each originator may hold at most ``cap`` sessions, the oldest going first.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from xenia.api.auth import verify_password
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF, Role
from xenia.db import Db
from xenia.util.clock import xapi_time


def find_user(db: Db, name: str) -> str | None:
    """The local user with this short name (a handful of users: a scan is fine)."""
    return next((ref for ref in db.refs("user") if db.get("user", ref)["short_name"] == name), None)


@dataclass
class SessionLimits:
    idle_timeout: float = 24 * 3600.0
    cap_per_user: int = 500
    cap_per_originator: int = 500
    auth_fail_delay: float = 5.0
    #: how often last_active is written back to the session record
    touch_interval: float = 60.0


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


class SessionManager:
    def __init__(self, db: Db, host_ref: str, limits: SessionLimits | None = None) -> None:
        self.db = db
        self.host_ref = host_ref
        self.limits = limits or SessionLimits()
        self.active: dict[str, ActiveSession] = {}
        self._by_user: dict[str, OrderedDict[str, None]] = {}
        self._by_originator: dict[str, OrderedDict[str, None]] = {}
        #: called with a session ref when it ends (tasks and event registrations are collected)
        self.on_end: list[Callable[[str], None]] = []

    # ------------------------------------------------------------------ login

    async def login(self, uname: str, password: str, originator: str, local: bool) -> str:
        if local:
            return self._open(uname or "root", originator, Role.POOL_ADMIN, superuser=True, user_ref=NULL_REF)
        user_ref = find_user(self.db, uname)
        user = None if user_ref is None else self.db.get("user", user_ref)
        ok = user is not None and await asyncio.to_thread(verify_password, password, user["password_hash"])
        if not ok or user is None or user_ref is None:
            await asyncio.sleep(self.limits.auth_fail_delay)
            raise ApiError("SESSION_AUTHENTICATION_FAILED", uname, "Authentication failure")
        superuser = uname == "root"
        return self._open(uname, originator, Role.from_wire(user["role"]), superuser, NULL_REF if superuser else user_ref)

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
        self.active[ref] = ActiveSession(ref, uname, originator, role, superuser, now, now)
        self._remember(self._by_user, uname, ref, self.limits.cap_per_user)
        self._remember(self._by_originator, originator, ref, self.limits.cap_per_originator)
        return ref

    def _remember(self, index: dict[str, OrderedDict[str, None]], key: str, ref: str, cap: int) -> None:
        refs = index.setdefault(key, OrderedDict())
        refs[ref] = None
        while len(refs) > cap:
            oldest = next(iter(refs))
            self.logout(oldest)

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
        for index, key in ((self._by_user, session.user), (self._by_originator, session.originator)):
            refs = index.get(key)
            if refs is not None:
                refs.pop(ref, None)
                if not refs:
                    del index[key]
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
