"""Big answers encoded a slice at a time, so one client's 10 000-record answer does not stall the others.

``VM.get_all_records`` of 10 000 VMs is tens of megabytes on the wire; encoded in one go it holds the
event loop for as long, and every other client's getter waits behind it. These generators encode a
map or a set ``SLICE`` entries at a time and yield the bytes of each slice: the server awaits between
slices (``asyncio.sleep(0)``), so calls that arrived meanwhile are served in between. The bytes are
the same as the one-piece encoders' (a test checks it); only answers with more than ``SLICE``
entries take this path, the common small answer keeps the synchronous fast path.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

import orjson

from xenia.api.codec import jsonrpc, xmlrpc
from xenia.datamodel.meta import Kind, Type

#: entries encoded between two yields to the event loop: about a millisecond of work for VM records
SLICE = 64

_SENTINEL = b'"result":0'


def is_large(value: Any, t: Type | None) -> bool:
    """Whether an answer is big enough to be encoded in slices (a map or set of more than ``SLICE``)."""
    return (
        t is not None
        and t.kind in (Kind.MAP, Kind.SET)
        and isinstance(value, dict | list | tuple | set | frozenset)
        and len(value) > SLICE
    )


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, SLICE)):
        yield chunk


def xml_success(encoders: xmlrpc.Encoders, value: Any, t: Type) -> Iterator[bytes]:
    """The XML-RPC success envelope around ``value`` (a map or set of type ``t``), slice by slice."""
    assert t.elem is not None
    elem = encoders.for_type(t.elem)
    esc = xmlrpc.escape
    head, tail = xmlrpc.success("\0").split(b"\0")
    if t.kind is Kind.MAP:
        yield head + b"<value><struct>"
        for chunk in _chunks(list(value.items())):
            yield "".join(f"<member><name>{esc(str(k))}</name>{elem(v)}</member>" for k, v in chunk).encode()
        yield b"</struct></value>" + tail
    else:
        yield head + b"<value><array><data>"
        for chunk in _chunks(list(value)):
            yield "".join(map(elem, chunk)).encode()
        yield b"</data></array></value>" + tail


def json_success(call: jsonrpc.JsonCall, value: Any, t: Type) -> Iterator[bytes]:
    """The JSON-RPC success envelope around ``value`` (a map or set), slice by slice."""
    head, tail = jsonrpc.success(call, 0).split(_SENTINEL, 1)
    opts = orjson.OPT_NON_STR_KEYS
    if t.kind is Kind.MAP:
        yield head + b'"result":{'
        first = True
        for chunk in _chunks(list(value.items())):
            body = orjson.dumps(dict(chunk), option=opts)[1:-1]
            yield body if first else b"," + body
            first = False
        yield b"}" + tail
    else:
        yield head + b'"result":['
        first = True
        for chunk in _chunks(list(value)):
            body = orjson.dumps(chunk, option=opts)[1:-1]
            yield body if first else b"," + body
            first = False
        yield b"]" + tail
