"""xenia's own calls, outside the XenAPI datamodel: local users and the simulator's fault points.

They live under the ``xenia.`` prefix so they can never collide with a XenAPI
name, and only the local superuser may call them.  The ``xenia user`` command
uses them over the local socket.
"""

from __future__ import annotations

from typing import Any

from xenia.api.auth import hash_password_async, refuse_empty
from xenia.api.context import Call
from xenia.api.methods import extension
from xenia.api.sessions import find_user
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import Role
from xenia.drivers.errors import DriverError


def _require_root(call: Call) -> None:
    if call.session is None or not call.session.superuser:
        raise ApiError("USER_IS_NOT_LOCAL_SUPERUSER", call.session.user if call.session else "")


@extension("xenia.user_add", ("string name", "string password", "string role"))
async def user_add(call: Call, name: str, password: str, role: str) -> str:
    _require_root(call)
    try:
        Role.from_wire(role)
    except KeyError:
        raise ApiError("INVALID_VALUE", "role", role) from None
    if not name or find_user(call.db, name) is not None:
        raise ApiError("INVALID_VALUE", "name", name)
    refuse_empty("password", password)
    digest = await hash_password_async(password)
    return call.db.create("user", {"short_name": name, "fullname": name, "password_hash": digest, "role": role})


@extension("xenia.user_passwd", ("string name", "string password"))
async def user_passwd(call: Call, name: str, password: str) -> None:
    _require_root(call)
    ref = find_user(call.db, name)
    if ref is None:
        raise ApiError("INVALID_VALUE", "name", name)
    refuse_empty("password", password)
    call.db.set("user", ref, "password_hash", await hash_password_async(password))


@extension("xenia.user_del", ("string name",))
def user_del(call: Call, name: str) -> None:
    _require_root(call)
    ref = find_user(call.db, name)
    if ref is None or name == "root":
        raise ApiError("INVALID_VALUE", "name", name)
    call.db.destroy("user", ref)
    for session in list(call.app.sessions.active.values()):
        if session.user == name:
            call.app.sessions.logout(session.ref)


@extension("xenia.user_list", (), result="(string -> string) map")
def user_list(call: Call) -> dict[str, str]:
    _require_root(call)
    db = call.db
    return {db.get("user", r)["short_name"]: db.get("user", r)["role"] for r in db.refs("user")}


def _faults(call: Call) -> Any:
    """The driver's fault points (the simulator has them; a real hypervisor does not)."""
    _require_root(call)
    faults = getattr(call.app.services["ops"].driver, "faults", None)
    if faults is None:
        raise ApiError("NOT_IMPLEMENTED", "fault points: the driver has none")
    return faults


@extension("xenia.fault_set", ("string name", "string action"))
def fault_set(call: Call, name: str, action: str) -> None:
    """Arm a fault point (``vm.create`` ``fail``, ``delay:5``, ``hang``, ``kill``, ``fail-once``)."""
    try:
        _faults(call).set(name, action)
    except DriverError as e:
        raise ApiError("INVALID_VALUE", name, f"{action}: {e}") from None


@extension("xenia.fault_clear", ("string name",))
def fault_clear(call: Call, name: str) -> None:
    """Disarm one fault point, or all of them with the name ``*``; an unknown (or empty) name is INVALID_VALUE."""
    try:
        _faults(call).clear(None if name == "*" else name)
    except DriverError as e:
        raise ApiError("INVALID_VALUE", "name", name) from e


@extension("xenia.fault_list", (), result="(string -> string) map")
def fault_list(call: Call) -> dict[str, str]:
    return {name: str(spec) for name, spec in _faults(call).list().items()}
