"""The dispatch table, built from the datamodel at start-up.

Each wire name (``VM.get_record``) maps to a :class:`Method`: its declaration
from the datamodel plus the handler that serves it.  Implicit messages get the
generic handlers of :mod:`xenia.api.implicit` unless a class registered its own;
every explicit message must have exactly one registered handler, or the table
refuses to build -- the guarantee Xend, which assembled its API from name
lists at run time, never had.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xenia.api import implicit
from xenia.datamodel import MODEL, Model
from xenia.datamodel.implicit import implicit_messages
from xenia.datamodel.meta import Message, Param, Role, Type

Handler = Callable[..., Any]

#: explicit handlers (and overrides of implicit ones), by wire name; filled by ``xenia.api.handlers``
HANDLERS: dict[str, Handler] = {}
#: the wire names whose handlers decide where a VM may go (:attr:`Method.placement`)
PLACEMENT: set[str] = set()


def handler(wire: str, *, placement: bool = False) -> Callable[[Handler], Handler]:
    """Register the handler of one message, e.g. ``@handler("VM.clone")``; ``placement``: it decides
    where a VM may go, on every pool member's state (:attr:`Method.placement`)."""

    def register(fn: Handler) -> Handler:
        if wire in HANDLERS:
            raise ValueError(f"two handlers for {wire}")
        HANDLERS[wire] = fn
        if placement:
            PLACEMENT.add(wire)
        return fn

    return register


#: xenia's own calls outside the XenAPI datamodel (``xenia.*``), with their declarations
EXTENSIONS: dict[str, tuple[Message, Handler]] = {}


def extension(
    wire: str, params: tuple[str, ...], result: str = "void", min_role: Role = Role.POOL_ADMIN
) -> Callable[[Handler], Handler]:
    """Register a ``xenia.*`` call; ``params`` are ``"<type> <name>"`` strings."""

    def register(fn: Handler) -> Handler:
        plist = tuple(Param(p.rsplit(" ", 1)[0], p.rsplit(" ", 1)[1]) for p in params)
        EXTENSIONS[wire] = (Message(wire.split(".", 1)[1], plist, result, min_role=min_role), fn)
        return fn

    return register


@dataclass(frozen=True, slots=True)
class Method:
    wire: str
    cls: str
    message: Message
    handler: Handler
    is_coroutine: bool
    #: parameters after the session, and how many of them have no default
    params: tuple[Param, ...]
    required: int
    result: Type
    min_role: Role
    #: the permission name RBAC_PERMISSION_DENIED reports (lowercased wire name)
    permission: str
    roles_text: str
    #: it decides where a VM may go: on a pool member it runs once the member's copy holds every write
    #: etcd has (``Dispatcher``), as xapi's master decides on its one db; a host disabled, or memory
    #: taken, through another member a moment ago counts
    placement: bool = False

    @property
    def session_first(self) -> bool:
        return self.message.session_first


def _method(cls: str, msg: Message, fn: Handler) -> Method:
    required = len(msg.params)
    while required > 0 and msg.params[required - 1].has_default:
        required -= 1
    wire = f"{cls}.{msg.name}"
    return Method(
        wire=wire,
        cls=cls,
        message=msg,
        handler=fn,
        is_coroutine=inspect.iscoroutinefunction(fn),
        params=msg.params,
        required=required,
        result=msg.result_type,
        min_role=msg.min_role,
        permission=wire.lower(),
        roles_text=", ".join(r for r in msg.roles if r != "client-cert") or "local root only",
        placement=wire in PLACEMENT,
    )


def build_table(model: Model = MODEL) -> dict[str, Method]:
    from xenia.api import handlers  # noqa: F401 - importing registers the explicit handlers

    table: dict[str, Method] = {}
    used: set[str] = set()
    for cls_name, cls in model.classes.items():
        for imp in implicit_messages(cls):
            wire = f"{cls_name}.{imp.message.name}"
            fn = HANDLERS.get(wire)
            if fn is not None:
                used.add(wire)
            else:
                fn = implicit.serve(cls_name, imp)
            table[wire] = _method(cls_name, imp.message, fn)
        for msg in cls.messages:
            wire = f"{cls_name}.{msg.name}"
            fn = HANDLERS.get(wire)
            if fn is None:
                raise RuntimeError(f"explicit message {wire} is declared but has no handler")
            used.add(wire)
            table[wire] = _method(cls_name, msg, fn)
    for wire, (msg, fn) in EXTENSIONS.items():
        table[wire] = _method(wire.split(".", 1)[0], msg, fn)
    stray = set(HANDLERS) - used
    if stray:
        raise RuntimeError(f"handlers for undeclared messages: {sorted(stray)}")
    return table
