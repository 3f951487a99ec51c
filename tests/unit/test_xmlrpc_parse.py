"""XML-RPC requests as clients write them, read by xenia's parser and checked against the decoder every
Python XenAPI client carries (``xmlrpc.client``): the same values, except where xapi reads differently
(a ``<base64>`` is a string; a ``<dateTime.iso8601>`` its text), and a clear refusal of what is not an
XML-RPC call (xapi answers such a body with HTTP 500)."""

from __future__ import annotations

import xmlrpc.client
from typing import Any

import pytest

from xenia.api.codec import xmlrpc as codec

CALL = "<?xml version='1.0'?><methodCall><methodName>m</methodName><params>{}</params></methodCall>"


def call(*values: str) -> bytes:
    """A call whose params are the given ``<value>`` elements, as written by hand."""
    return CALL.format("".join(f"<param>{v}</param>" for v in values)).encode()


def as_xapi_reads(value: Any) -> Any:
    """What the SDK's decoder gives, in the form xenia hands to the API (xapi's reading)."""
    if isinstance(value, xmlrpc.client.Binary):
        return value.data.decode("utf-8", "replace")
    if isinstance(value, xmlrpc.client.DateTime):
        return value.value
    if isinstance(value, dict):
        return {k: as_xapi_reads(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_xapi_reads(v) for v in value]
    return value


@pytest.mark.parametrize(
    "params",
    [
        (),
        ("OpaqueRef:abc", "a<b>&c \"q\" 'x'", "", " spaced \t", "caf\u00e9 \u2603"),
        (0, -7, 2**31 - 1, True, False, 1.5, -0.25, 1e300),
        ({"a": [1, {"b": "c"}], "": "empty name", "k<&>": False}, [], {}, [[[]]]),
        (None, [None, "x"]),
        (xmlrpc.client.Binary(b"hello \xff"), xmlrpc.client.DateTime("20260101T00:00:00Z")),
    ],
)
def test_a_call_reads_as_the_sdks_decoder_reads_it(params: tuple[Any, ...]) -> None:
    body = xmlrpc.client.dumps(params, "VM.get_record", allow_none=True).encode()
    expected, method = xmlrpc.client.loads(body, use_builtin_types=False)
    assert codec.parse_call(body) == ("VM.get_record", [as_xapi_reads(v) for v in expected], False)
    assert method == "VM.get_record"


def test_untyped_and_empty_values_are_strings_kept_as_sent() -> None:
    body = call("<value>  a b </value>", "<value></value>", "<value><string></string></value>",
                "<value><struct><member><name>k</name><value>v</value></member></struct></value>",
                "<value><array><data><value>x</value><value/></data></array></value>")  # fmt: skip
    expected, _ = xmlrpc.client.loads(body)
    assert codec.parse_call(body)[1] == list(expected) == ["  a b ", "", "", {"k": "v"}, ["x", ""]]


def test_a_value_after_a_struct_or_array_closes_goes_to_the_enclosing_container() -> None:
    body = call("<value><array><data><value><struct><member><name>a</name><value><array><data></data></array>"
                "</value></member><member><name>b</name><value>after</value></member></struct></value>"
                "<value><i4>2</i4></value></data></array></value>", "<value>last</value>")  # fmt: skip
    assert codec.parse_call(body)[1] == [[{"a": [], "b": "after"}, 2], "last"]


def test_bytes_that_are_not_utf8_are_flagged_and_replaced() -> None:
    raw = call("<value><string>a?b</string></value>").replace(b"a?b", b"a\xffb")
    assert codec.parse_call(raw) == ("m", ["a\ufffdb"], True)


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (call("<value><int>1.5</int></value>"), "bad integer"),
        (call("<value><i8></i8></value>"), "bad integer"),
        (
            call("<value><struct><member><name>a</name><value>1</value><value>2</value></member></struct></value>"),
            "struct member without <name>",
        ),
        (call("<value><double>one</double></value>"), "bad double"),
        (call("<value><boolean>true</boolean></value>"), "bad boolean"),
        (call("<value><base64>a</base64></value>"), "bad base64"),
        (call("<value><name>x</name></value>"), "<name> outside <struct>"),
        (call("<value><array><data><name>x</name></data></array></value>"), "<name> outside <struct>"),
        (call("<value><struct><member><value>x</value></member></struct></value>"), "struct member without <name>"),
        (b"<methodCall><methodName>m</methodName><value>x</value></methodCall>", "value outside <params>"),
        (b"<methodCall><methodName>m</methodName><value><string>x</string></value></methodCall>", "outside <params>"),
        (b"<methodCall><params><param><value>x</value></param></params></methodCall>", "no methodName"),
        (b"<methodCall><methodName>m</methodName><params>", "no element found"),
        (b"", "no element found"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><methodCall><methodName>&a;</methodName></methodCall>', "document type"),
        (b'<?xml version="1.0"?><!DOCTYPE methodCall SYSTEM "http://x/y.dtd"><methodCall/>', "document type"),
    ],
)
def test_what_is_not_an_xml_rpc_call_is_refused(body: bytes, why: str) -> None:
    with pytest.raises(codec.ParseError, match=why):
        codec.parse_call(body)


def test_whitespace_around_an_int_and_the_method_name_is_stripped() -> None:
    """xapi's reader keeps it (and fails); xenia's choice, written in docs/testing.md, is to strip it."""
    body = (
        b"<methodCall><methodName> VM.get_all </methodName><params>"
        b"<param><value><int> 42 </int></value></param></params></methodCall>"
    )
    method, params = codec.parse_call(body)[:2]
    assert (method, list(params)) == ("VM.get_all", [42])


def test_entities_without_a_doctype_are_refused_not_expanded() -> None:
    with pytest.raises(codec.ParseError, match="undefined entity"):
        codec.parse_call(b"<methodCall><methodName>&a;</methodName></methodCall>")


def test_deep_nesting_is_read_without_recursion() -> None:
    depth = 5000
    body = call("<value><array><data>" * depth + "<value>core</value>" + "</data></array></value>" * depth)
    (value,) = codec.parse_call(body)[1]
    for _ in range(depth - 1):
        (value,) = value
    assert value == ["core"]
