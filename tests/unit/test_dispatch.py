"""Dispatch in process: xapi's order of checks, its error values, roles, ``Async.`` and the reply envelope.

The expected values are xapi's (``server_helpers.ml``, ``rbac.ml``, ``gen_server.ml`` via the
daemon-level twins of these tests in tests/functional/test_errors.py and test_rbac.py): a session
check before MESSAGE_METHOD_UNKNOWN, parameter counts without the session, roles checked under the
synchronous name before an ``Async.`` task exists.  The dispatcher runs on a db with a host, a pool
and a network, its real method table, and no driver: the handlers called here only read and write
the db.
"""

from __future__ import annotations

import asyncio
import dataclasses
import xmlrpc.client
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from xenia.api.auth import hash_password
from xenia.api.context import App, Call
from xenia.api.dispatch import Dispatcher, Reply
from xenia.api.sessions import POOL_ORIGINATOR, SessionLimits, SessionManager
from xenia.api.tasks import TaskManager
from xenia.datamodel import MODEL
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF, Role
from xenia.db import Db


@dataclasses.dataclass
class World:
    db: Db
    app: App
    dispatcher: Dispatcher
    pool: str
    network: str
    vm: str

    def session(self, user: str, role: Role, superuser: bool = False, originator: str = "tests") -> str:
        return self.app.sessions._open(user, originator, role, superuser, NULL_REF)

    @property
    def root(self) -> str:
        return self.session("root", Role.POOL_ADMIN, superuser=True)


@pytest.fixture(scope="module")
def world() -> World:
    db = Db(MODEL)
    host = db.create("host", {"name_label": "h"})
    pool = db.create("pool", {"master": host})
    db.create("user", {"short_name": "root", "fullname": "root", "password_hash": hash_password("pw", 2),
                       "role": "pool-admin"})  # fmt: skip
    sessions = SessionManager(db, host, SessionLimits(auth_fail_delay=0.0))
    app = App(db, sessions, host, pool, Path("/nonexistent"))
    dispatcher = Dispatcher(app)
    app.services["tasks"] = TaskManager(db, host)
    network = db.create("network", {"name_label": "net"})
    vm = db.create("VM", {"name_label": "vm"})
    return World(db, app, dispatcher, pool, network, vm)


@pytest.fixture
def fresh(world: World) -> Iterator[World]:
    """The shared world, with the dispatcher's table and settle hook put back afterwards."""
    table, aliases = world.dispatcher.table, world.dispatcher.aliases
    yield world
    world.dispatcher.table, world.dispatcher.aliases, world.dispatcher.settle = table, aliases, None


async def call(w: World, name: str, *params: Any, **kw: Any) -> Reply:
    return await w.dispatcher.call(name, list(params), **kw)


async def error(w: World, name: str, *params: Any, **kw: Any) -> list[str]:
    reply = await call(w, name, *params, **kw)
    assert not reply.ok and reply.error is not None, reply
    return reply.error


async def finished_task(w: World, ref: str) -> dict[str, Any]:
    for _ in range(100):
        rec = w.db.get("task", ref)
        if rec["status"] != "pending":
            return rec
        await asyncio.sleep(0.01)
    raise AssertionError(f"task {ref} still pending")


def decoded(w: World, reply: Reply) -> Any:
    (value,), _ = xmlrpc.client.loads(w.dispatcher.encode_xml(reply))
    return value


@pytest.mark.asyncio
async def test_unknown_methods_check_the_session_first(world: World) -> None:
    assert await error(world, "VM.no_such_call", "OpaqueRef:bad") == ["SESSION_INVALID", "OpaqueRef:bad"]
    assert await error(world, "VM.no_such_call", world.root) == ["MESSAGE_METHOD_UNKNOWN", "VM.no_such_call"]
    assert await error(world, "nothing") == ["MESSAGE_METHOD_UNKNOWN", "nothing"]
    assert await error(world, "Async.VM.no_such_call", world.root) == ["MESSAGE_METHOD_UNKNOWN", "Async.VM.no_such_call"]


@pytest.mark.asyncio
async def test_sessions_are_checked_on_every_session_call(world: World) -> None:
    assert await error(world, "VM.get_all", "OpaqueRef:bogus") == ["SESSION_INVALID", "OpaqueRef:bogus"]
    assert await error(world, "VM.get_all", 5) == ["SESSION_INVALID", "5"]
    assert (await call(world, "VM.get_all", world.root)).value == [world.vm]


@pytest.mark.asyncio
async def test_parameter_counts_leave_the_session_out(world: World) -> None:
    root, vm = world.root, world.vm
    assert await error(world, "VM.get_record", root, vm, vm) == ["MESSAGE_PARAMETER_COUNT_MISMATCH", "VM.get_record", "1", "2"]
    assert await error(world, "VM.set_name_label", root, vm) == [
        "MESSAGE_PARAMETER_COUNT_MISMATCH", "VM.set_name_label", "2", "1"]  # fmt: skip
    # gen_server.ml: received = List.length __params - 1 for a message with a session, so -1 with none
    assert await error(world, "VM.get_all") == ["MESSAGE_PARAMETER_COUNT_MISMATCH", "VM.get_all", "0", "-1"]


@pytest.mark.asyncio
async def test_trailing_parameters_with_defaults_may_be_omitted(world: World) -> None:
    for params in (["root", "pw"], ["root", "pw", "2.0"], ["root", "pw", "2.0", "me"]):
        reply = await call(world, "session.login_with_password", *params)
        assert reply.ok and world.db.get("session", reply.value)["auth_user_name"] == "root"
    assert await error(world, "session.login_with_password", "root") == [
        "MESSAGE_PARAMETER_COUNT_MISMATCH", "session.login_with_password", "2", "1"]  # fmt: skip
    assert (await error(world, "session.login_with_password", "root", "pw", "2.0", "me", "extra"))[0] == (
        "MESSAGE_PARAMETER_COUNT_MISMATCH")  # fmt: skip


@pytest.mark.asyncio
async def test_wrong_types_and_enum_values(world: World) -> None:
    root, vm = world.root, world.vm
    details = await error(world, "VM.set_name_label", root, vm, 42)
    assert details[0] == "INTERNAL_ERROR" and "parameter value" in details[1]
    assert (await error(world, "VM.set_VCPUs_params", root, vm, ["not", "a", "map"]))[0] == "INTERNAL_ERROR"
    assert await error(world, "VM.set_actions_after_shutdown", root, vm, "explode") == ["INVALID_VALUE", "value", "explode"]
    assert world.db.get("VM", vm)["actions_after_shutdown"] != "explode"


@pytest.mark.asyncio
async def test_invalid_utf8_is_refused_before_anything_else(world: World) -> None:
    bad = "ro\ufffdot"  # how the codecs hand over bytes that were not UTF-8
    assert await error(world, "session.login_with_password", bad, "x", bad_utf8=True) == [
        "INVALID_VALUE", "Invalid UTF-8 string in parameter", bad]  # fmt: skip
    assert (await error(world, "VM.no_such_call", {"k": [bad]}, bad_utf8=True))[0] == "INVALID_VALUE"
    # U+FFFD sent as valid UTF-8 is an ordinary character
    root, vm = world.root, world.vm
    assert (await call(world, "VM.set_name_label", root, vm, bad)).ok
    assert world.db.get("VM", vm)["name_label"] == bad


@pytest.mark.asyncio
async def test_void_results_are_the_empty_string(world: World) -> None:
    reply = await call(world, "VM.set_name_label", world.root, world.vm, "renamed")
    assert reply.ok and reply.value == ""
    assert decoded(world, reply) == {"Status": "Success", "Value": ""}


@pytest.mark.asyncio
async def test_envelopes(world: World) -> None:
    assert decoded(world, await call(world, "VM.get_name_label", world.root, world.vm)) == {
        "Status": "Success", "Value": world.db.get("VM", world.vm)["name_label"]}  # fmt: skip
    assert decoded(world, await call(world, "nothing")) == {
        "Status": "Failure", "ErrorDescription": ["MESSAGE_METHOD_UNKNOWN", "nothing"]}  # fmt: skip
    methods = await call(world, "system.listMethods")
    listed = decoded(world, methods)  # bare: no Status envelope, as xapi
    assert listed == sorted(listed) and "VM.get_record" in listed and "session.login_with_password" in listed
    assert "Async.VM.clone" not in listed


@pytest.mark.asyncio
async def test_underscore_aliases_name_the_same_method(world: World) -> None:
    root, vm = world.root, world.vm
    assert (await call(world, "VM_get_name_label", root, vm)).value == (await call(world, "VM.get_name_label", root, vm)).value
    assert (await error(world, "Async.VM_clone", root, vm, "x"))[0] == "MESSAGE_METHOD_UNKNOWN"


@pytest.mark.asyncio
async def test_roles_are_checked_from_the_message(world: World) -> None:
    operator = world.session("op", Role.VM_OPERATOR)
    denied = await error(world, "VM.set_name_label", operator, world.vm, "by-operator")
    allowed = ", ".join(Role.VM_ADMIN.allowed())
    assert denied == ["RBAC_PERMISSION_DENIED", "vm.set_name_label",
                      f"No permission in user session. (Roles with this permission: {allowed})"]  # fmt: skip
    assert world.db.get("VM", world.vm)["name_label"] != "by-operator"
    assert (await call(world, "VM.add_tags", operator, world.vm, "seen")).ok  # vm-operator may tag
    admin = world.session("admin", Role.VM_ADMIN)  # exactly the least role
    assert (await call(world, "VM.set_name_label", admin, world.vm, "by-admin")).ok
    reader = world.session("reader", Role.READ_ONLY)
    assert (await call(world, "VM.get_all_records", reader)).ok


@pytest.mark.asyncio
async def test_root_only_messages_need_the_local_superuser(world: World) -> None:
    admin = world.session("admin", Role.POOL_ADMIN)
    denied = await error(world, "session.change_password", admin, "old", "new")
    assert denied[:2] == ["RBAC_PERMISSION_DENIED", "session.change_password"]
    # the superuser gets past the role check to the handler (which then checks the passwords)
    assert (await error(world, "session.change_password", world.root, "", ""))[0] != "RBAC_PERMISSION_DENIED"


@pytest.mark.asyncio
async def test_async_calls_are_checked_like_the_synchronous_form_before_any_task(world: World) -> None:
    tasks_before = set(world.db.refs("task"))
    operator = world.session("op", Role.POOL_OPERATOR)
    denied = await error(world, "Async.network.add_purpose", operator, world.network, "nbd")
    assert denied[:2] == ["RBAC_PERMISSION_DENIED", "network.add_purpose"]
    assert await error(world, "Async.network.add_purpose", "OpaqueRef:bad", world.network, "nbd") == [
        "SESSION_INVALID", "OpaqueRef:bad"]  # fmt: skip
    assert (await error(world, "Async.network.add_purpose", world.root, world.network))[0] == (
        "MESSAGE_PARAMETER_COUNT_MISMATCH")  # fmt: skip
    assert await error(world, "Async.VM.get_record", world.root, world.vm) == [
        "Fault", "No async mode for this operation (rpc: Async.VM.get_record)"]  # fmt: skip
    assert set(world.db.refs("task")) == tasks_before


@pytest.mark.asyncio
async def test_async_calls_answer_a_task_that_holds_the_outcome(world: World) -> None:
    root = world.root
    reply = await call(world, "Async.pool.has_extension", root, world.pool, "none")
    assert reply.ok and reply.type is not None and reply.type.name == "task"
    rec = await finished_task(world, reply.value)
    assert rec["status"] == "success" and rec["result"] == "<value><boolean>0</boolean></value>"
    assert rec["name_label"] == "Async.pool.has_extension" and rec["session"] == root
    reply = await call(world, "Async.network.add_purpose", root, "OpaqueRef:gone", "nbd")
    rec = await finished_task(world, reply.value)
    assert rec["status"] == "failure" and rec["error_info"] == ["HANDLE_INVALID", "network", "OpaqueRef:gone"]


def _raising(exc: Exception, coroutine: bool) -> Any:
    def sync(call: Call, *args: Any) -> Any:
        raise exc

    async def async_(call: Call, *args: Any) -> Any:
        raise exc

    return async_ if coroutine else sync


@pytest.mark.asyncio
@pytest.mark.parametrize("coroutine", [False, True])
async def test_a_failing_handler_is_an_error_reply_and_the_dispatcher_goes_on(fresh: World, coroutine: bool) -> None:
    d = fresh.dispatcher
    method = d.table["VM.get_all"]
    d.table = {**d.table, "VM.get_all": dataclasses.replace(method, handler=_raising(KeyError("ops"), coroutine),
                                                            is_coroutine=coroutine)}  # fmt: skip
    assert await error(fresh, "VM.get_all", fresh.root) == ["INTERNAL_ERROR", "KeyError: 'ops'"]
    d.table["VM.get_all"] = dataclasses.replace(
        method, handler=_raising(ApiError("VM_BAD_POWER_STATE", "a", "b", "c"), coroutine), is_coroutine=coroutine)
    assert await error(fresh, "VM.get_all", fresh.root) == ["VM_BAD_POWER_STATE", "a", "b", "c"]
    d.table = {**d.table, "VM.get_all": method}
    assert (await call(fresh, "VM.get_all", fresh.root)).ok


@pytest.mark.asyncio
async def test_synchronous_handlers_answer_without_a_coroutine(world: World) -> None:
    root = world.root
    reply = world.dispatcher.call_nowait("VM.get_name_label", [root, world.vm])
    assert isinstance(reply, Reply) and reply.ok
    pending = world.dispatcher.call_nowait("session.login_with_password", ["root", "pw"])
    assert not isinstance(pending, Reply)
    assert (await pending).ok


@pytest.mark.asyncio
@pytest.mark.parametrize("coroutine", [False, True])
async def test_calls_forwarded_by_a_pool_member_first_catch_up(fresh: World, coroutine: bool) -> None:
    seen: list[str] = []
    d = fresh.dispatcher
    if coroutine:
        getter = d.table["VM.get_name_label"]

        async def handler(call: Call, *args: Any) -> Any:
            return getter.handler(call, *args)

        d.table = {**d.table, "VM.get_name_label": dataclasses.replace(getter, handler=handler, is_coroutine=True)}

    async def settle() -> None:
        await asyncio.sleep(0)
        seen.append("settled")

    fresh.dispatcher.settle = settle
    # the originator as the login decoded it from the wire (not this module's constant)
    member = fresh.session("root", Role.POOL_ADMIN, superuser=True, originator="".join(list(POOL_ORIGINATOR)))
    assert (await call(fresh, "VM.get_name_label", member, fresh.vm)).value == fresh.db.get("VM", fresh.vm)["name_label"]
    assert seen == ["settled"]
    assert (await call(fresh, "VM.get_name_label", fresh.root, fresh.vm)).ok
    assert seen == ["settled"]  # a client's own call does not wait
    xo = fresh.session("root", Role.POOL_ADMIN, superuser=True, originator="xo-server")
    assert (await call(fresh, "VM.get_name_label", xo, fresh.vm)).ok and seen == ["settled"]
    assert (await error(fresh, "VM.get_name_label", member, "OpaqueRef:gone"))[0] == "HANDLE_INVALID"
    d.table = {**d.table, "VM.get_name_label": dataclasses.replace(d.table["VM.get_name_label"],
                                                                   handler=_raising(KeyError("x"), coroutine))}  # fmt: skip
    assert await error(fresh, "VM.get_name_label", member, fresh.vm) == ["INTERNAL_ERROR", "KeyError: 'x'"]


@pytest.mark.asyncio
async def test_is_alive_answers_its_parameter(world: World) -> None:
    # xapi's connection check (xmlrpc_client.ml): "system.isAlive:<uuid>" with the uuid, answered with it
    reply = await call(world, "system.isAlive:1234-abcd", "1234-abcd")
    assert decoded(world, reply) == {"Status": "Success", "Value": "1234-abcd"}


def test_internal_callers_pass_strings_through_unchecked(world: World) -> None:
    # without the codec's flag, U+FFFD is a character like any other (only the codecs know what was sent)
    reply = world.dispatcher.call_nowait("VM.set_name_label", [world.root, world.vm, "a\ufffd"])
    assert isinstance(reply, Reply) and reply.ok and world.db.get("VM", world.vm)["name_label"] == "a\ufffd"


@pytest.mark.asyncio
async def test_a_role_above_the_least_one_may_call(world: World) -> None:
    operator = world.session("pool-op", Role.POOL_OPERATOR)  # above vm-admin, not the superuser
    assert (await call(world, "VM.set_name_label", operator, world.vm, "by-pool-operator")).ok
    assert world.db.get("VM", world.vm)["name_label"] == "by-pool-operator"


@pytest.mark.asyncio
async def test_a_call_is_not_local_unless_its_connection_says_so(world: World) -> None:
    # on the local socket root needs no password; a caller that does not say where it came from is remote
    pending = world.dispatcher.call_nowait("session.login_with_password", ["root", "wrong"])
    reply = pending if isinstance(pending, Reply) else await pending
    assert reply.error is not None and reply.error[0] == "SESSION_AUTHENTICATION_FAILED"
    assert (await call(world, "session.login_with_password", "root", "wrong", local=True)).ok
    assert (await error(world, "session.login_with_password", "root", "wrong"))[0] == "SESSION_AUTHENTICATION_FAILED"


@pytest.mark.asyncio
async def test_is_alive_answers_its_first_parameter(world: World) -> None:
    assert (await call(world, "system.isAlive:x", "first", "second")).value == "first"
