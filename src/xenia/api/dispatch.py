"""Dispatch: from (method name, params) to a result or a XenAPI error.

The checks run in xapi's order: invalid UTF-8 in any parameter, method name,
parameter count, unmarshalling, session, role, and only then the handler.  The
same dispatcher serves XML-RPC and JSON-RPC; the codecs only frame what it
returns.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from xenia.api.codec import xmlrpc
from xenia.api.context import App, Call
from xenia.api.methods import Method, build_table
from xenia.api.sessions import POOL_ORIGINATOR, ActiveSession
from xenia.api.unmarshal import BadEnum, BadValue, TypeMismatch, has_invalid_utf8, unmarshal
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF, Kind, Type, parse_type

log = logging.getLogger(__name__)

_STRING_SET = parse_type("string set")
_TASK_REF = parse_type("task ref")


@dataclass(slots=True)
class Reply:
    ok: bool
    value: Any = None
    type: Type | None = None
    error: list[str] | None = None
    #: xapi answers ``system.listMethods`` without the Status envelope
    bare: bool = False


class _CatchUpFirst(Exception):
    """Raised by ``_prepare`` when a pool member must catch up before the call (``Dispatcher._must_catch_up``)."""


def _internal(name: str, e: Exception) -> Reply:
    log.error("internal error in %s", name, exc_info=e)
    return Reply(False, error=["INTERNAL_ERROR", f"{type(e).__name__}: {e}"])


def _record_fields(app: App) -> xmlrpc.RecordFields:
    def fields(cls: str) -> list[tuple[str, Type]]:
        return [(f.name, f.type) for f in app.model.wire_fields(cls)]

    return fields


class Dispatcher:
    def __init__(self, app: App, table: dict[str, Method] | None = None) -> None:
        self.app = app
        self.table = table if table is not None else build_table(app.model)
        self.aliases = {f"{m.cls}_{m.message.name}": m for m in self.table.values()}
        self.encoders = xmlrpc.Encoders(_record_fields(app))
        #: JSON-RPC results of these types go through their encoder, which may hand out one encoding
        #: (an ``orjson.Fragment``) shared by many answers: an event batch woken for 1 000 watchers
        self.json_encoders: dict[Type, Callable[[Any], Any]] = {}
        #: in a pool: waits until this member's copy of the db holds every write etcd has now; run
        #: before the calls that need it (:meth:`_must_catch_up`)
        self.settle: Callable[[], Awaitable[None]] | None = None
        #: per method: the positions and classes of its arguments that name db objects (``_unseen``)
        self._ref_params: dict[str, list[tuple[int, str]]] = {}
        app.services["dispatcher"] = self

    def lookup(self, name: str) -> tuple[Method | None, bool]:
        """The method for a wire name, and whether it was called as ``Async.``."""
        if name.startswith("Async."):
            return self.table.get(name[len("Async.") :]), True
        method = self.table.get(name)
        if method is None:
            method = self.aliases.get(name)
        return method, False

    async def call(self, name: str, params: list[Any], *, local: bool = False, bad_utf8: bool = False,
                   peer: str = "") -> Reply:  # fmt: skip
        """Serve one call (the general path, for callers that can always await)."""
        reply = self.call_nowait(name, params, local=local, bad_utf8=bad_utf8, peer=peer)
        return reply if isinstance(reply, Reply) else await reply

    def call_nowait(
        self, name: str, params: list[Any], *, local: bool = False, bad_utf8: bool = False, peer: str = "",
        settled: bool = False,
    ) -> Reply | Coroutine[Any, Any, Reply]:  # fmt: skip
        """Serve a call without a coroutine when its handler is synchronous (most getters and setters).

        Returns the reply, or a coroutine to await when the handler is asynchronous, or when a pool
        member must first catch up with etcd (``settled``: it has).
        """
        try:
            call, args = self._prepare(name, params, local, bad_utf8, peer, settled)
            if isinstance(call, Reply):
                return call
            method = call.method
            if method.is_coroutine:
                return self._finish_async(call, args)
            return self._reply(method, method.handler(call, *args))
        except _CatchUpFirst:
            return self._after_catching_up(name, params, local, bad_utf8, peer)
        except ApiError as e:
            return Reply(False, error=e.description)
        except Exception as e:  # every non-API failure becomes INTERNAL_ERROR; the daemon goes on
            return _internal(name, e)

    async def _after_catching_up(self, name: str, params: list[Any], local: bool, bad_utf8: bool, peer: str) -> Reply:
        """The call again once this member's copy holds every write etcd has (:meth:`_must_catch_up`)."""
        assert self.settle is not None
        await self.settle()
        reply = self.call_nowait(name, params, local=local, bad_utf8=bad_utf8, peer=peer, settled=True)
        return reply if isinstance(reply, Reply) else await reply

    def _must_catch_up(self, method: Method, session: ActiveSession | None, args: list[Any]) -> bool:
        """On a pool member: the call runs once this member's copy holds every write etcd has when it
        is a call another member forwards here (it must see what that member just wrote), a decision on
        where a VM may go (:attr:`Method.placement`), or names an object the copy lacks (:meth:`_unseen`)."""
        return (method.placement or (session is not None and session.originator == POOL_ORIGINATOR)
                or self._unseen(method, args))  # fmt: skip

    def _unseen(self, method: Method, args: list[Any]) -> bool:
        """A pool member's copy lacks an object an argument names: made through another member a moment
        ago, its watch may not have brought it yet. xapi's clients call the master, which has every
        object; here the call waits for the copy to catch up (one etcd read), and only then would it
        answer HANDLE_INVALID. An argument naming an object that exists costs a dict lookup."""
        refs = self._ref_params.get(method.wire)
        if refs is None:
            tables = self.app.db.tables
            refs = self._ref_params[method.wire] = [
                (i, p.type.name) for i, p in enumerate(method.params) if p.type.kind is Kind.REF and p.type.name in tables
            ]
        db = self.app.db
        return any(isinstance(args[i], str) and args[i] != NULL_REF and not db.exists(cls, args[i]) for i, cls in refs)

    async def _finish_async(self, call: Call, args: list[Any]) -> Reply:
        try:
            return self._reply(call.method, await call.method.handler(call, *args))
        except ApiError as e:
            return Reply(False, error=e.description)
        except Exception as e:
            return _internal(call.method.wire, e)

    @staticmethod
    def _reply(method: Method, result: Any) -> Reply:
        return Reply(True, "" if method.result.kind is Kind.VOID else result, method.result)

    def _prepare(
        self, name: str, params: list[Any], local: bool, bad_utf8: bool, peer: str, settled: bool = False
    ) -> tuple[Call | Reply, list[Any]]:
        """Every check before the handler, in xapi's order; a Reply when the call ends here."""
        if bad_utf8:
            bad = has_invalid_utf8(params)
            if bad is not None:
                raise ApiError("INVALID_VALUE", "Invalid UTF-8 string in parameter", bad)
        if name == "system.listMethods":
            return Reply(True, sorted(self.table), _STRING_SET, bare=True), []
        if name.startswith("system.isAlive"):
            return Reply(True, params[0] if params else "", None), []
        method, is_async = self.lookup(name)
        if method is None:
            if params:
                self.app.sessions.check(params[0])
            raise ApiError("MESSAGE_METHOD_UNKNOWN", name)
        if is_async and not method.message.is_async:
            raise ApiError("Fault", f"No async mode for this operation (rpc: {name})")
        args, session_ref = self._unmarshal(method, params)
        session: ActiveSession | None = None
        if method.session_first:
            session = self.app.sessions.check(session_ref)
            if not session.superuser and (session.role < method.min_role or method.message.root_only):
                raise ApiError(
                    "RBAC_PERMISSION_DENIED",
                    method.permission,
                    f"No permission in user session. (Roles with this permission: {method.roles_text})",
                )
        if self.settle is not None and not settled and self._must_catch_up(method, session, args):
            raise _CatchUpFirst
        call = Call(self.app, method, session, local, peer=peer)
        if is_async:
            task_ref: str = self.app.services["tasks"].spawn(call, args)
            return Reply(True, task_ref, _TASK_REF), []
        return call, args

    def _unmarshal(self, method: Method, params: list[Any]) -> tuple[list[Any], Any]:
        offset = 1 if method.session_first else 0
        given = len(params) - offset
        if not (method.required <= given <= len(method.params)):
            raise ApiError("MESSAGE_PARAMETER_COUNT_MISMATCH", method.wire, method.required, given)  # xapi: len(params) - 1, so -1 with no session
        session_ref = params[0] if offset else None
        if offset and not isinstance(session_ref, str):
            raise ApiError("SESSION_INVALID", str(session_ref))
        args: list[Any] = []
        for i, param in enumerate(method.params):
            if i < given:
                value = params[offset + i]
                try:
                    args.append(unmarshal(value, param.type))
                except TypeMismatch as e:
                    raise ApiError(
                        "INTERNAL_ERROR", f"type error in parameter {param.name}: expected {e.expected}, got {e.value!r}"
                    ) from None
                except (BadEnum, BadValue) as e:
                    raise ApiError("INVALID_VALUE", param.name, e.value) from None
            else:
                args.append(param.default)
        return args, session_ref

    def encode_xml(self, reply: Reply) -> bytes:
        if not reply.ok:
            assert reply.error is not None
            return xmlrpc.failure(reply.error)
        enc = self.encoders.for_type(reply.type) if reply.type is not None else xmlrpc.encode_any
        body = enc(reply.value)
        return xmlrpc.bare(body) if reply.bare else xmlrpc.success(body)
