"""The API as a client binding sees it: classes, fields and messages, walked once for every generator.

Dispatch serves the same ``MODEL``; this module only decides what a *client* gets: the fields a
record carries on the wire (hidden ones are left out), the implicit messages xapi generates beside
the explicit ones (hidden queries such as ``get_all_records_where`` are left out, as xapi's SDKs
leave them out), and every type that occurs, so a generator can emit one definition per type.
Nothing here is specific to C; naming and type spelling live in each language's package.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from xenia.datamodel import MODEL, Model
from xenia.datamodel.implicit import implicit_messages
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


def client_messages(cls: ClassDef) -> tuple[Message, ...]:
    """Implicit (published) then explicit messages, each name once, as a client calls them."""
    seen: set[str] = set()
    out: list[Message] = []
    for imp in implicit_messages(cls):
        if not imp.hidden and imp.message.name not in seen:
            seen.add(imp.message.name)
            out.append(imp.message)
    for msg in cls.messages:
        if msg.session_first and msg.name not in seen and not msg.name.endswith("_where"):
            seen.add(msg.name)
            out.append(msg)
    return tuple(out)


def api_classes(model: Model = MODEL) -> list[ApiClass]:
    """Every class a generator emits, in declaration order, without the hand-written ones."""
    return [
        ApiClass(
            c, record_fields(model, c), client_messages(c), frozenset(i.message.name for i in implicit_messages(c))
        )  # fmt: skip
        for c in model.classes.values()
        if c.name not in HAND_WRITTEN
    ]


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
    yield t
    for sub in (t.key, t.elem):
        if sub is not None:
            yield from walk_type(sub)


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
