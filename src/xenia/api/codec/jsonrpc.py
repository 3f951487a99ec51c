"""JSON-RPC 1.0 and 2.0 as xapi speaks them, sans I/O.

Version: no ``jsonrpc`` member means 1.0, ``"2.0"`` means 2.0, anything else is
malformed.  ``id`` must be a string or an integer (xapi takes no notifications).
Errors go out as ``[code, params...]`` in 1.0 and as
``{"code": 1, "message": CODE, "data": [params...]}`` in 2.0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

_DUMP_OPTS = orjson.OPT_NON_STR_KEYS


class ParseError(Exception):
    """Malformed JSON-RPC: xapi answers HTTP 500."""


@dataclass(frozen=True, slots=True)
class JsonCall:
    method: str
    params: list[Any]
    id: Any
    v2: bool
    bad_utf8: bool = False


def parse_call(body: bytes) -> JsonCall:
    bad_utf8 = False
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError:
        # orjson refuses invalid UTF-8; xapi checks strings after parsing, so retry leniently
        try:
            text = body.decode("utf-8", "replace")
            doc = orjson.loads(text)
            bad_utf8 = True
        except orjson.JSONDecodeError as e:
            raise ParseError(str(e)) from None
    if not isinstance(doc, dict):
        raise ParseError("request is not an object")
    version = doc.get("jsonrpc")
    if version is None:
        v2 = False
    elif version == "2.0":
        v2 = True
    else:
        raise ParseError(f"unknown jsonrpc version {version!r}")
    method = doc.get("method")
    if not isinstance(method, str):
        raise ParseError("method must be a string")
    rid = doc.get("id")
    if isinstance(rid, bool) or not isinstance(rid, str | int):
        raise ParseError("id must be a string or an integer")
    params = doc.get("params")
    if v2:
        if params is None:
            params = []
        elif isinstance(params, dict):
            params = [params]
    if not isinstance(params, list):
        raise ParseError("params must be an array")
    return JsonCall(method, params, rid, v2, bad_utf8)


def success(call: JsonCall, value: Any) -> bytes:
    if call.v2:
        return orjson.dumps({"jsonrpc": "2.0", "result": value, "id": call.id}, option=_DUMP_OPTS)
    return orjson.dumps({"result": value, "error": None, "id": call.id}, option=_DUMP_OPTS)


def failure(call: JsonCall, description: list[str]) -> bytes:
    if call.v2:
        error = {"code": 1, "message": description[0], "data": description[1:]}
        return orjson.dumps({"jsonrpc": "2.0", "error": error, "id": call.id})
    return orjson.dumps({"result": None, "error": description, "id": call.id})


def bare(call: JsonCall, value: Any) -> bytes:
    return success(call, value)
