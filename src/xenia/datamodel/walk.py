"""One walk over the datamodel for everything generated from it.

Dispatch, the schema hash, the typed Python client and the API reference all
need the same thing: every class, with every message a client can call on it
(the implicit ones xapi derives from the fields, then the explicit ones), and
the types those messages take and return.  This module is that walk, so no
generator keeps its own list of what the API is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from xenia.datamodel import MODEL, Model
from xenia.datamodel.implicit import implicit_messages
from xenia.datamodel.meta import ClassDef, Kind, Message, Type


@dataclass(frozen=True, slots=True)
class ApiCall:
    """A message as a client calls it: ``VM.get_record``, ``VM.start``, ..."""

    cls: ClassDef
    message: Message
    #: derived from the fields (getters, setters, get_record, create, ...) rather than declared
    implicit: bool
    #: xapi serves it but leaves it out of its published datamodel (get_all_records_where)
    hidden: bool = False

    @property
    def wire(self) -> str:
        return f"{self.cls.name}.{self.message.name}"


def classes(model: Model = MODEL) -> list[ClassDef]:
    """The classes in a stable order (by name, case-insensitively, as xapi's documentation lists them)."""
    return sorted(model.classes.values(), key=lambda c: c.name.lower())


def calls(cls: ClassDef) -> Iterator[ApiCall]:
    """Every message of ``cls``: implicit first, in xapi's order, then the explicit ones as declared."""
    for imp in implicit_messages(cls):
        yield ApiCall(cls, imp.message, True, imp.hidden)
    for msg in cls.messages:
        yield ApiCall(cls, msg, False)


def all_calls(model: Model = MODEL) -> Iterator[ApiCall]:
    for cls in classes(model):
        yield from calls(cls)


def nested(t: Type) -> Iterator[Type]:
    """``t`` and every type inside it (set elements, map keys and values)."""
    yield t
    if t.kind is Kind.SET and t.elem is not None:
        yield from nested(t.elem)
    elif t.kind is Kind.MAP and t.key is not None and t.elem is not None:
        yield from nested(t.key)
        yield from nested(t.elem)
