"""Generic handlers for the implicit messages: one function per kind, any class.

``serve(cls, implicit)`` returns the handler for e.g. ``VM.get_name_label``.
Classes customise an implicit message by registering an explicit handler of the
same name (``VM.create`` fills in metrics objects, for instance); the generic
operations below remain available to those handlers as plain functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xenia.api.context import Call
from xenia.api.unmarshal import BadEnum, BadValue, TypeMismatch, unmarshal
from xenia.datamodel import MODEL
from xenia.datamodel.errors import ApiError
from xenia.datamodel.implicit import Implicit
from xenia.datamodel.meta import NULL_REF, Kind, Qualifier, Type
from xenia.db import Db, Record
from xenia.db.query import compile_where

Handler = Callable[..., Any]


def check_ref(db: Db, t: Type, value: Any) -> None:
    """Refuse a reference to an object that does not exist (NULL is always allowed)."""
    if t.kind is Kind.REF and value != NULL_REF and t.name in db.tables and not db.exists(t.name, value):
        raise ApiError("HANDLE_INVALID", t.name, value)


def get_record(db: Db, cls: str, ref: str) -> Record:
    if not db.exists(cls, ref):
        raise ApiError("HANDLE_INVALID", cls, ref)
    return db.record(cls, ref)


def get_all_records(db: Db, cls: str, where: str | None = None) -> dict[str, Record]:
    if where is None:
        return {ref: db.record(cls, ref) for ref in db.refs(cls)}
    pred = compile_where(where, set(MODEL.cls(cls).by_name))
    out: dict[str, Record] = {}
    for ref in db.refs(cls):
        rec = db.record(cls, ref)
        if pred(rec):
            out[ref] = rec
    return out


def constructor_record(db: Db, cls: str, args: dict[str, Any]) -> Record:
    """Check and normalise a create(record) argument: RW and RO/constructor fields, defaults filled."""
    values: Record = {}
    for f in MODEL.cls(cls).fields:
        if f.qualifier is Qualifier.RO_RUNTIME or f.hidden:
            continue
        if f.name not in args:
            if not f.has_default:
                raise ApiError("INTERNAL_ERROR", f'Dispatcher_FieldNotFound("{f.name}")')
            continue
        try:
            value = unmarshal(args[f.name], f.type)
        except TypeMismatch:
            raise ApiError("FIELD_TYPE_ERROR", f.name) from None
        except (BadEnum, BadValue) as e:
            raise ApiError("INVALID_VALUE", f.name, e.value) from None
        check_ref(db, f.type, value)
        values[f.name] = value
    return values


def create(call: Call, cls: str, args: dict[str, Any]) -> str:
    return call.db.create(cls, constructor_record(call.db, cls, args))


def serve(cls: str, imp: Implicit) -> Handler:  # noqa: C901 - one closure per kind of implicit message
    """The handler for one implicit message of ``cls``."""
    field = imp.field
    match imp.op:
        case "get_record":
            return lambda call, ref: get_record(call.db, cls, ref)
        case "get_by_uuid":
            return lambda call, uuid: call.db.by_uuid(cls, uuid)
        case "get_by_name_label":
            return lambda call, label: call.db.by_name_label(cls, label)
        case "get_all":
            return lambda call: call.db.refs(cls)
        case "get_all_records":
            return lambda call: get_all_records(call.db, cls)
        case "get_all_records_where":
            return lambda call, expr: get_all_records(call.db, cls, expr)
        case "get_all_where":
            return lambda call, expr: list(get_all_records(call.db, cls, expr))
        case "get_field":
            def get_field(call: Call, ref: str) -> Any:
                if not call.db.exists(cls, ref):
                    raise ApiError("HANDLE_INVALID", cls, ref)
                return call.db.field(cls, ref, field)
            return get_field
        case "set_field":
            ftype = MODEL.cls(cls).by_name[field].type

            def set_field(call: Call, ref: str, value: Any) -> None:
                call.db.get(cls, ref)
                check_ref(call.db, ftype, value)
                call.db.set(cls, ref, field, value)
            return set_field
        case "add_to_map":
            return lambda call, ref, key, value: add_to_map(call.db, cls, ref, field, key, value)
        case "remove_from_map":
            return lambda call, ref, key: remove_from_map(call.db, cls, ref, field, key)
        case "add_to_set":
            return lambda call, ref, value: add_to_set(call.db, cls, ref, field, value)
        case "remove_from_set":
            return lambda call, ref, value: remove_from_set(call.db, cls, ref, field, value)
        case "create":
            return lambda call, args: create(call, cls, args)
        case "destroy":
            def destroy(call: Call, ref: str) -> None:
                call.db.get(cls, ref)
                call.db.destroy(cls, ref)
            return destroy
    raise AssertionError(imp.op)


def add_to_map(db: Db, cls: str, ref: str, field: str, key: Any, value: Any) -> None:
    current: dict[Any, Any] = db.get(cls, ref)[field]
    if key in current:
        raise ApiError("MAP_DUPLICATE_KEY", cls, field, db.get(cls, ref).get("uuid", ref), key)
    db.set(cls, ref, field, {**current, key: value})


def remove_from_map(db: Db, cls: str, ref: str, field: str, key: Any) -> None:
    current: dict[Any, Any] = db.get(cls, ref)[field]
    if key in current:
        db.set(cls, ref, field, {k: v for k, v in current.items() if k != key})


def add_to_set(db: Db, cls: str, ref: str, field: str, value: Any) -> None:
    current: list[Any] = db.get(cls, ref)[field]
    if value not in current:
        db.set(cls, ref, field, [*current, value])


def remove_from_set(db: Db, cls: str, ref: str, field: str, value: Any) -> None:
    current: list[Any] = db.get(cls, ref)[field]
    if value in current:
        db.set(cls, ref, field, [v for v in current if v != value])
