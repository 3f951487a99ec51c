"""message: alerts for the administrator.  xapi declares their readers explicitly; they are the generic ones."""

from __future__ import annotations

from typing import Any

from xenia.api.context import Call
from xenia.api.implicit import get_all_records, get_record
from xenia.api.methods import handler
from xenia.db import Record
from xenia.util.clock import parse_xapi_time


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
