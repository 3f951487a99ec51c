"""JSON-RPC request parsing: the rules xapi's JSON-RPC layer applies to an incoming call.

xapi answers a call whose ``id`` is not a string or an integer (``true``, ``null``, ``1.5``, a list,
or no ``id``: xapi takes no notifications) as malformed, and checks strings for valid UTF-8 only
after parsing, so a body with invalid UTF-8 still parses and the call is refused later with
INVALID_VALUE (tests/functional/test_errors.py sends one over XML-RPC).
"""

from __future__ import annotations

import orjson
import pytest

from xenia.api.codec import jsonrpc


@pytest.mark.parametrize("rid", [b'"x"', b"0", b"-7", b"12345678901234"])
def test_string_and_integer_ids_are_taken(rid: bytes) -> None:
    call = jsonrpc.parse_call(b'{"method": "a.b", "params": [], "id": ' + rid + b"}")
    assert call.id == orjson.loads(rid)


@pytest.mark.parametrize("rid", [b"true", b"false", b"null", b"1.5", b"[1]", b'{"a": 1}', None])
def test_other_ids_are_malformed(rid: bytes | None) -> None:
    body = b'{"method": "a.b", "params": []' + (b', "id": ' + rid if rid is not None else b"") + b"}"
    with pytest.raises(jsonrpc.ParseError):
        jsonrpc.parse_call(body)


def test_valid_utf8_is_not_flagged() -> None:
    call = jsonrpc.parse_call('{"method": "a.b", "params": ["héllo"], "id": 1}'.encode())
    assert (call.params, call.bad_utf8) == (["héllo"], False)


def test_invalid_utf8_still_parses_and_is_flagged_for_the_dispatcher() -> None:
    call = jsonrpc.parse_call(b'{"method": "a.b", "params": ["h\xffllo"], "id": 1}')
    assert call.bad_utf8 is True
    assert call.params == ["h\ufffdllo"]
    assert call.method == "a.b"


def test_invalid_json_is_malformed_even_after_the_lenient_retry() -> None:
    with pytest.raises(jsonrpc.ParseError):
        jsonrpc.parse_call(b'{"method": "a.b", "params": ["h\xff"], "id": ')


@pytest.mark.parametrize("version", [b'"1.0"', b'"2.1"', b'"3.0"', b"2"])
def test_versions_other_than_absent_or_2_0_are_malformed(version: bytes) -> None:
    """ocaml-rpc's Jsonrpc: no ``jsonrpc`` member is version 1, ``"2.0"`` version 2, anything else
    raises Malformed_method_request ("Invalid version")."""
    with pytest.raises(jsonrpc.ParseError):
        jsonrpc.parse_call(b'{"jsonrpc": ' + version + b', "method": "a.b", "params": [], "id": 1}')


def test_success_envelopes_per_version() -> None:
    """Version 1 answers carry ``error: null`` beside the result; version 2 answers carry
    ``jsonrpc: "2.0"`` and no ``error`` member (JSON-RPC 2.0, section 5)."""
    v1 = jsonrpc.parse_call(b'{"method": "a.b", "params": [], "id": "x"}')
    v2 = jsonrpc.parse_call(b'{"jsonrpc": "2.0", "method": "a.b", "id": 3}')
    assert orjson.loads(jsonrpc.success(v1, {"k": 1})) == {"result": {"k": 1}, "error": None, "id": "x"}
    assert orjson.loads(jsonrpc.success(v2, "OpaqueRef:a")) == {"jsonrpc": "2.0", "result": "OpaqueRef:a", "id": 3}
