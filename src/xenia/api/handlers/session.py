"""session: login, logout and password changes."""

from __future__ import annotations

from xenia.api.auth import hash_password_async, refuse_empty, verify_password_async
from xenia.api.context import Call
from xenia.api.methods import handler
from xenia.api.sessions import find_user
from xenia.datamodel.errors import ApiError


@handler("session.login_with_password")
async def login_with_password(call: Call, uname: str, pwd: str, version: str, originator: str) -> str:
    if not call.local and call.app.services.get("pool-redirect-logins"):
        # a pool member that is not the master answers as xapi's slaves do: go to the master
        master = call.db.get("pool", call.app.pool_ref)["master"]
        if master != call.app.host_ref:
            raise ApiError("HOST_IS_SLAVE", call.db.get("host", master)["address"])
    return await call.app.sessions.login(uname, pwd, originator, call.local, call.peer)


@handler("session.logout")
def logout(call: Call) -> None:
    call.app.sessions.logout(call.session_ref)


@handler("session.local_logout")
def local_logout(call: Call) -> None:
    call.app.sessions.logout(call.session_ref)


@handler("session.change_password")
async def change_password(call: Call, old_pwd: str, new_pwd: str) -> None:
    """Change the password of the session's user; root sessions need not know the old one."""
    session = call.session
    assert session is not None
    db = call.db
    user_ref = find_user(db, session.user)
    if user_ref is None:
        raise ApiError("SESSION_AUTHENTICATION_FAILED", session.user, "no such local user")
    if not session.superuser:
        ok = await verify_password_async(old_pwd, db.get("user", user_ref)["password_hash"])
        if not ok:
            raise ApiError("SESSION_AUTHENTICATION_FAILED", session.user, "Authentication failure")
    refuse_empty("new_pwd", new_pwd)
    db.set("user", user_ref, "password_hash", await hash_password_async(new_pwd))


@handler("session.get_all_subject_identifiers")
def get_all_subject_identifiers(call: Call) -> list[str]:
    """The subjects (external users and groups) with a session: xenia authenticates local users only,
    so there are none, which is xapi's answer without external authentication."""
    return []


@handler("session.logout_subject_identifier")
def logout_subject_identifier(call: Call, subject_identifier: str) -> None:
    """End the sessions of an external subject: local users are no subjects, so none ends (xapi never
    ends local superuser sessions this way either)."""
