"""The meta-model: what a XenAPI class, field, message, error and enum *is*.

Everything xenia serves is declared once with these types (in ``classes/``) and
everything else -- dispatch, type checking of parameters, the wire codecs, the
db schema, role checks -- is derived from those declarations.  Types are written
exactly as xapi's datamodel spells them ("(string -> enum vm_operations) map",
"VM ref set") and parsed here, so a declaration can be compared with xapi's
own datamodel dump character for character.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Qualifier(enum.Enum):
    """Who may write a field, and when (seed 002: RO(run), RO(ins), RW)."""

    RW = "RW"
    RO_CONSTRUCTOR = "RO/constructor"
    RO_RUNTIME = "RO/runtime"


class Kind(enum.Enum):
    """The shape of a type; primitives are distinguished by name."""

    STRING = "string"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    DATETIME = "datetime"
    VOID = "void"
    ENUM = "enum"
    REF = "ref"
    SET = "set"
    MAP = "map"
    RECORD = "record"


_PRIMITIVES = {k.value: k for k in (Kind.STRING, Kind.INT, Kind.FLOAT, Kind.BOOL, Kind.DATETIME, Kind.VOID)}


@dataclass(frozen=True, slots=True)
class Type:
    """A XenAPI type.  ``name`` names the enum, the referenced class or the record's class."""

    kind: Kind
    name: str = ""
    elem: Type | None = None  # set element, or map value
    key: Type | None = None  # map key

    def __str__(self) -> str:
        match self.kind:
            case Kind.ENUM:
                return f"enum {self.name}"
            case Kind.REF:
                return f"{self.name} ref"
            case Kind.RECORD:
                return f"{self.name} record"
            case Kind.SET:
                return f"{self.elem} set"
            case Kind.MAP:
                return f"({self.key} -> {self.elem}) map"
            case _:
                return str(self.kind.value)

    def zero(self) -> Any:
        """The value a field of this type holds when nothing else is known."""
        match self.kind:
            case Kind.STRING | Kind.VOID:
                return ""
            case Kind.INT:
                return 0
            case Kind.FLOAT:
                return 0.0
            case Kind.BOOL:
                return False
            case Kind.DATETIME:
                return EPOCH
            case Kind.REF:
                return NULL_REF
            case Kind.SET:
                return []
            case Kind.MAP | Kind.RECORD:
                return {}
            case Kind.ENUM:
                return ""


EPOCH = "19700101T00:00:00Z"
#: the one result type xapi spells as prose: what ``event.from`` returns (events, valid_ref_counts, token)
EVENT_BATCH = "an event batch"
NULL_REF = "OpaqueRef:NULL"


def parse_type(text: str) -> Type:
    """Parse xapi's spelling of a type, e.g. ``(string -> enum vm_operations) map``."""
    text = text.strip()
    if text == EVENT_BATCH:
        return Type(Kind.RECORD, name=EVENT_BATCH)
    if text.endswith(" set"):
        return Type(Kind.SET, elem=parse_type(text[: -len(" set")]))
    if text.endswith(" map") and text.startswith("("):
        inner = text[1 : -len(") map")]
        key, _, value = inner.partition(" -> ")
        return Type(Kind.MAP, key=parse_type(key), elem=parse_type(value))
    if text.startswith("enum "):
        return Type(Kind.ENUM, name=text[len("enum ") :])
    if text.endswith(" ref"):
        return Type(Kind.REF, name=text[: -len(" ref")])
    if text.endswith(" record"):
        return Type(Kind.RECORD, name=text[: -len(" record")])
    try:
        return Type(_PRIMITIVES[text])
    except KeyError:
        raise ValueError(f"unknown XenAPI type {text!r}") from None


class Role(enum.IntEnum):
    """xapi's roles, totally ordered: a message allowed to a role is allowed to every role above it."""

    READ_ONLY = 0
    VM_OPERATOR = 1
    VM_ADMIN = 2
    VM_POWER_ADMIN = 3
    POOL_OPERATOR = 4
    POOL_ADMIN = 5

    @property
    def wire(self) -> str:
        return self.name.lower().replace("_", "-")

    @classmethod
    def from_wire(cls, name: str) -> Role:
        return cls[name.upper().replace("-", "_")]

    def allowed(self, client_cert: bool = False) -> tuple[str, ...]:
        """The role names allowed, highest first, in the order xapi lists them."""
        names = [r.wire for r in sorted(Role, reverse=True) if r >= self]
        if client_cert:
            names.insert(names.index("vm-operator") + 1 if "vm-operator" in names else len(names), "client-cert")
        return tuple(names)


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a class: name, type, qualifier, default and doc."""

    name: str
    type_text: str
    qualifier: Qualifier
    doc: str = ""
    #: the datamodel default; ``MISSING`` when a constructor must be given the field.
    default: Any = None
    has_default: bool = False
    #: least role that may call the implicit setters of an RW field.
    write_role: Role = Role.VM_ADMIN
    #: xapi keeps some fields internal: they are in the db but never on the wire.
    hidden: bool = False
    #: the setters also admit the TLS-client-certificate role
    write_client_cert: bool = False

    @property
    def type(self) -> Type:
        return _type_cache(self.type_text)

    def initial(self) -> Any:
        """The value a new object gets when the creator says nothing.

        xapi declares a few reference defaults as ``Null``; on the wire a null reference is
        always ``OpaqueRef:NULL``.
        """
        value = self.default if self.has_default else self.type.zero()
        if value == "Null" and self.type.kind is Kind.REF:
            return NULL_REF
        return _copy(value)


def _copy(value: Any) -> Any:
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value


_TYPES: dict[str, Type] = {}


def _type_cache(text: str) -> Type:
    t = _TYPES.get(text)
    if t is None:
        t = _TYPES[text] = parse_type(text)
    return t


@dataclass(frozen=True, slots=True)
class Param:
    type_text: str
    name: str
    doc: str = ""
    #: a default makes the parameter optional at the end of the list (xapi's ``param_release`` defaults).
    default: Any = None
    has_default: bool = False

    @property
    def type(self) -> Type:
        return _type_cache(self.type_text)


@dataclass(frozen=True, slots=True)
class Message:
    """An explicit message of a class, implemented by one hand-written handler."""

    name: str
    params: tuple[Param, ...]
    result: str = "void"
    doc: str = ""
    errors: tuple[str, ...] = ()
    min_role: Role = Role.READ_ONLY
    client_cert: bool = False
    #: whether the message also exists as ``Async.<class>.<name>``, returning a task.
    is_async: bool = False
    #: login calls take no session as first parameter.
    session_first: bool = True
    #: no role suffices: only the local superuser (root) may call it
    root_only: bool = False

    @property
    def result_type(self) -> Type:
        return _type_cache(self.result)

    @property
    def roles(self) -> tuple[str, ...]:
        return () if self.root_only else self.min_role.allowed(self.client_cert)


@dataclass(frozen=True, slots=True)
class EnumDef:
    name: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ErrorDef:
    """A wire error: its code and the names of its parameters, in order."""

    code: str
    params: tuple[str, ...] = ()
    doc: str = ""


@dataclass(frozen=True, slots=True)
class ClassDef:
    """A XenAPI class, its fields, its explicit messages and the implicit ones it has."""

    name: str
    doc: str
    fields: tuple[Field, ...]
    messages: tuple[Message, ...] = ()
    enums: tuple[EnumDef, ...] = ()
    #: implicit messages xapi generates for this class
    has_get_all: bool = True
    has_constructor: bool = False
    has_destructor: bool = False
    #: least role for create/destroy
    ctor_role: Role = Role.VM_ADMIN
    #: getters of these classes also admit the TLS-client-certificate role
    client_cert: bool = True
    #: objects of the class live in the db (events are not objects)
    in_db: bool = True
    #: whether xapi generates the implicit messages (``message`` declares its readers explicitly)
    implicit: bool = True
    has_get_by_name_label: bool = True
    #: objects survive a daemon restart (xapi keeps sessions and tasks in memory only)
    persistent: bool = True
    #: fields by name, derived
    by_name: dict[str, Field] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_name.update({f.name: f for f in self.fields})

    @property
    def table(self) -> str:
        """The name xapi uses for the class in HANDLE_INVALID and events (lowercase in events)."""
        return self.name

    def message(self, name: str) -> Message | None:
        for m in self.messages:
            if m.name == name:
                return m
        return None


def RW(name: str, type_text: str, default: Any = None, *, doc: str = "", role: Role = Role.VM_ADMIN,
       has_default: bool | None = None, client_cert: bool = False) -> Field:
    """A read-write field (implicit setters exist)."""
    return Field(name, type_text, Qualifier.RW, doc, default,
                 default is not None if has_default is None else has_default, role, write_client_cert=client_cert)


def INS(name: str, type_text: str, default: Any = None, *, doc: str = "", has_default: bool | None = None,
        hidden: bool = False) -> Field:
    """A field set by the constructor and read-only afterwards (RO/constructor)."""
    return Field(name, type_text, Qualifier.RO_CONSTRUCTOR, doc, default,
                 default is not None if has_default is None else has_default, hidden=hidden)


def RUN(name: str, type_text: str, default: Any = None, *, doc: str = "", has_default: bool | None = None,
        hidden: bool = False) -> Field:
    """A field the server computes (RO/runtime)."""
    return Field(name, type_text, Qualifier.RO_RUNTIME, doc, default,
                 default is not None if has_default is None else has_default, hidden=hidden)


def P(type_text: str, name: str, doc: str = "", **kw: Any) -> Param:
    if "default" in kw:
        return Param(type_text, name, doc, kw["default"], True)
    return Param(type_text, name, doc)


#: the session parameter every message but login takes first
SESSION = Param("session ref", "session_id", "Reference to a valid session")
