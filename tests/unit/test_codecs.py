"""The codecs: XML-RPC parse and type-directed encode, JSON-RPC versions, HTTP framing, unmarshalling."""

from __future__ import annotations

import xmlrpc.client
from typing import Any

import pytest

from xenia.api.codec import jsonrpc
from xenia.api.codec import xmlrpc as codec
from xenia.api.unmarshal import BadEnum, TypeMismatch, unmarshal
from xenia.datamodel import MODEL
from xenia.datamodel.meta import parse_type


def encoders() -> codec.Encoders:
    return codec.Encoders(lambda cls: [(f.name, f.type) for f in MODEL.wire_fields(cls)])


def roundtrip(value: Any, type_text: str) -> Any:
    body = codec.success(encoders().for_type(parse_type(type_text))(value))
    (result,), _ = xmlrpc.client.loads(body)
    assert isinstance(result, dict) and result["Status"] == "Success"
    return result["Value"]


def test_xml_encoding_follows_xapi() -> None:
    assert roundtrip(2**40, "int") == str(2**40)  # untyped: clients see a string
    assert roundtrip(1.5, "float") == 1.5
    assert roundtrip(True, "bool") is True
    assert roundtrip("a<b&c", "string") == "a<b&c"
    dt = roundtrip("20260101T00:00:00Z", "datetime")
    assert isinstance(dt, xmlrpc.client.DateTime) and dt.value == "20260101T00:00:00Z"
    assert roundtrip({"k": 3}, "(string -> int) map") == {"k": "3"}
    assert roundtrip({1: 0.5}, "(int -> float) map") == {"1": 0.5}
    assert roundtrip(["a"], "string set") == ["a"]
    assert roundtrip("", "void") == ""


def test_xml_parse_accepts_every_int_form_and_nesting() -> None:
    body = (b"<methodCall><methodName>m</methodName><params>"
            b"<param><value><int>1</int></value></param><param><value><i4>2</i4></value></param>"
            b"<param><value><i8>8589934592</i8></value></param><param><value>untyped</value></param>"
            b"<param><value><struct><member><name>a</name><value><array><data><value><boolean>1</boolean></value>"
            b"</data></array></value></member></struct></value></param>"
            b"<param><value><dateTime.iso8601>20260101T00:00:00Z</dateTime.iso8601></value></param>"
            b"</params></methodCall>")  # fmt: skip
    method, params, bad = codec.parse_call(body)
    assert method == "m" and not bad
    assert params == [1, 2, 8589934592, "untyped", {"a": [True]}, "20260101T00:00:00Z"]


def test_xml_parse_refuses_doctype() -> None:
    with pytest.raises(codec.ParseError):
        codec.parse_call(b'<!DOCTYPE x [<!ENTITY a "b">]><methodCall><methodName>&a;</methodName></methodCall>')


def test_xml_failure_envelope() -> None:
    (result,), _ = xmlrpc.client.loads(codec.failure(["HANDLE_INVALID", "VM", "x"]))
    assert result == {"Status": "Failure", "ErrorDescription": ["HANDLE_INVALID", "VM", "x"]}


def test_jsonrpc_versions() -> None:
    v1 = jsonrpc.parse_call(b'{"method": "a.b", "params": [1], "id": "x"}')
    assert not v1.v2 and v1.params == [1]
    v2 = jsonrpc.parse_call(b'{"jsonrpc": "2.0", "method": "a.b", "id": 3}')
    assert v2.v2 and v2.params == []
    assert jsonrpc.parse_call(b'{"jsonrpc": "2.0", "method": "a.b", "params": {"k": 1}, "id": 3}').params == [{"k": 1}]
    assert jsonrpc.failure(v1, ["E", "p"]) == b'{"result":null,"error":["E","p"],"id":"x"}'
    assert jsonrpc.failure(v2, ["E", "p"]) == b'{"jsonrpc":"2.0","error":{"code":1,"message":"E","data":["p"]},"id":3}'


def test_unmarshal() -> None:
    assert unmarshal("1073741824", parse_type("int")) == 1073741824
    assert unmarshal({"a": "1"}, parse_type("(string -> int) map")) == {"a": 1}
    with pytest.raises(TypeMismatch):
        unmarshal("x", parse_type("int"))
    with pytest.raises(TypeMismatch):
        unmarshal(True, parse_type("int"))
    with pytest.raises(BadEnum):
        unmarshal("Sleeping", parse_type("enum vm_power_state"))
    assert unmarshal("2026-01-02T03:04:05Z", parse_type("datetime")) == "20260102T03:04:05Z"
