"""The API as a typed client binding sees it, on top of :mod:`xenia.datamodel.walk`.

The walk lists every class and call; this module decides what a *typed* client gets: the fields a
record carries on the wire (hidden ones are left out, and ``<class> record``, which no static type
spells), the calls xapi's SDKs publish (hidden queries such as ``get_all_records_where`` and the
login calls, which take no session, are left out), every type that occurs, so a generator can emit
one definition per type, and the classes only referenced.  Nothing here is specific to C; naming
and type spelling live in each language's package.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from xenia.datamodel import MODEL, Model, walk
from xenia.datamodel.meta import ClassDef, EnumDef, Field, Kind, Message, Type, parse_type

#: classes a binding writes by hand: session carries the connection itself (as in xapi's SDKs)
HAND_WRITTEN = frozenset({"session"})


@dataclass(frozen=True, slots=True)
class ApiClass:
    """A class as a binding emits it."""

    cls: ClassDef
    fields: tuple[Field, ...]
    messages: tuple[Message, ...]
    #: names of the messages derived from the fields (getters, setters, create, ...), not declared
    implicit: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        return self.cls.name

    @property
    def has_handle(self) -> bool:
        """Events are values, not objects: no reference, no handle, no uuid."""
        return self.cls.in_db

    @property
    def has_uuid(self) -> bool:
        return "uuid" in {f.name for f in self.fields}


def record_fields(model: Model, cls: ClassDef) -> tuple[Field, ...]:
    """The fields a client's record holds: the wire fields whose type a client can spell."""
    return tuple(f for f in model.wire_fields(cls.name) if _spellable(f.type))


def _spellable(t: Type) -> bool:
    """``<class> record`` (event.snapshot) has no static type; a typed client skips it."""
    if t.kind is Kind.RECORD:
        return not t.name.startswith("<")
    return all(_spellable(x) for x in (t.elem, t.key) if x is not None)


def published_calls(cls: ClassDef) -> list[walk.ApiCall]:
    """The walk's calls a client binding publishes, each name once (implicit ones first)."""
    seen: set[str] = set()
    out: list[walk.ApiCall] = []
    for call in walk.calls(cls):
        msg = call.message
        if call.hidden or not msg.session_first or msg.name in seen or msg.name.endswith("_where"):
            continue
        seen.add(msg.name)
        out.append(call)
    return out


def client_messages(cls: ClassDef) -> tuple[Message, ...]:
    return tuple(call.message for call in published_calls(cls))


def api_classes(model: Model = MODEL) -> list[ApiClass]:
    """Every class a generator emits, in the walk's order, without the hand-written ones."""
    out = []
    for c in walk.classes(model):
        if c.name in HAND_WRITTEN:
            continue
        published = published_calls(c)
        implicit = frozenset(call.message.name for call in published if call.implicit)
        out.append(ApiClass(c, record_fields(model, c), tuple(call.message for call in published), implicit))
    return out


def referenced_classes(model: Model = MODEL) -> list[str]:
    """Classes named by a reference somewhere in the API but not served (``Bond ref set``):
    a typed binding still needs a handle type for them."""
    known = set(model.classes)
    out: set[str] = set()
    for t in all_types(model):
        for sub in walk_type(t):
            if sub.kind is Kind.REF and sub.name not in known:
                out.add(sub.name)
    return sorted(out)


def walk_type(t: Type) -> Iterator[Type]:
    """``t`` and every type inside it."""
    return walk.nested(t)


def all_types(model: Model = MODEL) -> list[Type]:
    """Every type in a record field, parameter or result, once each, in first-seen order."""
    seen: dict[str, Type] = {}
    for ac in api_classes(model):
        for f in ac.fields:
            seen.setdefault(str(f.type), f.type)
        for m in ac.messages:
            for p in m.params:
                if _spellable(p.type):
                    seen.setdefault(str(p.type), p.type)
            if _spellable(m.result_type) and m.result != "an event batch":
                seen.setdefault(m.result, m.result_type)
    return list(seen.values())


def enums(model: Model = MODEL) -> list[EnumDef]:
    """Enums a client sees: those some spellable type mentions."""
    used = {sub.name for t in all_types(model) for sub in walk_type(t) if sub.kind is Kind.ENUM}
    return [e for name, e in model.enums.items() if name in used]


__all__ = ["ApiClass", "api_classes", "all_types", "client_messages", "enums", "parse_type",
           "record_fields", "referenced_classes", "walk_type"]  # fmt: skip
