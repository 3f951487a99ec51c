"""message: alerts for the administrator.  xapi declares their readers explicitly; they are the generic ones."""

from __future__ import annotations

from typing import Any

from xenia.api.context import Call
from xenia.api.implicit import get_all_records, get_record
from xenia.api.methods import handler
from xenia.datamodel.errors import ApiError
from xenia.db import Record
from xenia.util.clock import parse_xapi_time, xapi_time


@handler("message.get_all")
def get_all(call: Call) -> list[str]:
    return call.db.refs("message")


@handler("message.get_all_records")
def get_all_records_(call: Call) -> dict[str, Record]:
    return get_all_records(call.db, "message")


@handler("message.get_all_records_where")
def get_all_records_where(call: Call, expr: str) -> dict[str, Record]:
    return get_all_records(call.db, "message", expr)


@handler("message.get_record")
def get_record_(call: Call, ref: str) -> Record:
    return get_record(call.db, "message", ref)


@handler("message.get_by_uuid")
def get_by_uuid(call: Call, uuid: str) -> str:
    return call.db.by_uuid("message", uuid)


@handler("message.get_since")
def get_since(call: Call, since: str) -> dict[str, Any]:
    cutoff = parse_xapi_time(since)
    out: dict[str, Any] = {}
    for ref in call.db.refs("message"):
        rec = call.db.record("message", ref)
        if parse_xapi_time(rec["timestamp"]) > cutoff:
            out[ref] = rec
    return out


@handler("message.destroy")
def destroy(call: Call, ref: str) -> None:
    call.db.get("message", ref)
    call.db.destroy("message", ref)


#: the classes a message may be about, and where xapi looks their uuid up (``check_uuid``)
_CLS_TABLES = {"VM": "VM", "Host": "host", "SR": "SR", "Pool": "pool", "VDI": "VDI"}


def _known_uuid(call: Call, cls: str, uuid: str) -> bool:
    table = _CLS_TABLES.get(cls)
    if table is None:
        return False  # VMPP, VMSS, PVS_proxy, Certificate: classes xenia does not serve
    try:
        call.db.by_uuid(table, uuid)
    except ApiError:
        return False
    return True


@handler("message.create")
def create(call: Call, name: str, priority: int, cls: str, obj_uuid: str, body: str) -> str:
    if not _known_uuid(call, cls, obj_uuid):
        raise ApiError("UUID_INVALID", cls, obj_uuid)
    return call.db.create("message", {"name": name, "priority": priority, "cls": cls, "obj_uuid": obj_uuid,
                                      "timestamp": xapi_time(), "body": body})  # fmt: skip


@handler("message.get")
def get(call: Call, cls: str, obj_uuid: str, since: str) -> dict[str, Any]:
    """The object's messages newer than ``since`` (xapi answers UUID_INVALID [] for an unknown object)."""
    if not _known_uuid(call, cls, obj_uuid):
        raise ApiError("UUID_INVALID")
    cutoff = parse_xapi_time(since)
    out: dict[str, Any] = {}
    for ref in call.db.refs("message"):
        rec = call.db.record("message", ref)
        if rec["cls"] == cls and rec["obj_uuid"] == obj_uuid and parse_xapi_time(rec["timestamp"]) > cutoff:
            out[ref] = rec
    return out


@handler("message.destroy_many")
def destroy_many(call: Call, messages: list[str]) -> None:
    """One by one, as xapi: an unknown message stops the call with HANDLE_INVALID, the earlier ones are gone."""
    for ref in messages:
        destroy(call, ref)
