"""XML-RPC encoding of values whose datamodel type is not known, checked by the decoder every
Python XenAPI client uses (``xmlrpc.client.loads``): what goes out must read back as what went in,
except that integers travel as strings, as xapi sends its int64s (``<value>5</value>``)."""

from __future__ import annotations

import xmlrpc.client
from typing import Any

import pytest

from xenia.api.codec import xmlrpc as codec
from xenia.datamodel import MODEL
from xenia.datamodel.meta import parse_type


@pytest.mark.parametrize(
    "value",
    [True, False, 0, -5, 2**31 - 1, 1.5, "", "a<b>&c", [], [1, "x", True], ("t", 2), {}, {"k": [1, {"n": "v"}]}],
)
def test_encode_any_reads_back_with_the_sdks_decoder(value: Any) -> None:
    (got,), _ = xmlrpc.client.loads(codec.bare(codec.encode_any(value)))
    assert got == as_xapi_sends(value) and type(got) is type(as_xapi_sends(value))


def as_xapi_sends(value: Any) -> Any:
    if isinstance(value, bool | float | str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return {k: as_xapi_sends(v) for k, v in value.items()}
    return [as_xapi_sends(v) for v in value]


def test_bare_reply_is_a_method_response_with_one_param() -> None:
    params, method = xmlrpc.client.loads(codec.bare(codec.encode_any("OK")))
    assert (params, method) == (("OK",), None)


def test_success_wraps_the_value_in_xapis_status_struct() -> None:
    (doc,), _ = xmlrpc.client.loads(codec.success(codec.encode_any({"a": 1})))
    assert doc == {"Status": "Success", "Value": {"a": "1"}}


@pytest.mark.parametrize(
    ("text", "reads_back"),
    [
        ("a&b", "a&b"),
        ("a<b", "a<b"),
        ("x]]>y", "x]]>y"),  # "]]>" may not stand in XML text: ">" is escaped too
        ("line\r\nnext\r", "line\r\nnext\r"),  # a raw CR would be read as LF: sent as &#13;
        ("nul\x00 bell\x07 esc\x1b tab\t lf\n", "nul\ufffd bell\ufffd esc\ufffd tab\t lf\n"),
        ("\ufffe\uffff \ud800 \udfff", "\ufffd\ufffd \ufffd \ufffd"),
        ("caf\u00e9 \u2603 \U0001f600", "caf\u00e9 \u2603 \U0001f600"),
    ],
)
def test_any_stored_string_goes_out_as_xml_every_client_reads(text: str, reads_back: str) -> None:
    """A string holds what a client stored; what XML 1.0 cannot carry even escaped goes out as U+FFFD."""
    for encoded in (codec.encode_any(text), codec.encode_any({text: text}), codec.encode_any([text])):
        (got,), _ = xmlrpc.client.loads(codec.bare(encoded))
        assert got in (reads_back, {reads_back: reads_back}, [reads_back])
    (got,), _ = xmlrpc.client.loads(codec.failure(["E", text]))
    assert got == {"Status": "Failure", "ErrorDescription": ["E", reads_back]}


def encoders() -> codec.Encoders:
    return codec.Encoders(lambda cls: [(f.name, f.type) for f in MODEL.wire_fields(cls)])


def test_a_record_goes_out_field_by_field_with_each_fields_wire_form() -> None:
    """``VM_metrics record``: ints untyped, floats as doubles, datetimes as dateTime.iso8601, maps as structs;
    a field the record does not hold is left out (xapi sends what it has)."""
    rec = {"uuid": "u", "memory_actual": 2**33, "VCPUs_number": 2, "VCPUs_utilisation": {1: 0.5},
           "start_time": "20260101T00:00:00Z", "other_config": {"a": "b"}}  # fmt: skip
    encode = encoders().for_type(parse_type("VM_metrics record"))
    (got,), _ = xmlrpc.client.loads(codec.bare(encode(rec)))
    assert isinstance(got, dict)
    start = got.pop("start_time")
    assert isinstance(start, xmlrpc.client.DateTime) and start.value == "20260101T00:00:00Z"
    assert got == {"uuid": "u", "memory_actual": str(2**33), "VCPUs_number": "2", "VCPUs_utilisation": {"1": 0.5},
                   "other_config": {"a": "b"}}  # fmt: skip
    names = [f.name for f in MODEL.wire_fields("VM_metrics") if f.name in rec]
    assert list(got) == [n for n in names if n != "start_time"]  # the datamodel's order


def test_a_record_is_encoded_once_until_a_new_one_replaces_it() -> None:
    """The db hands out one record per object version: the same record gives the same text, held once; a
    new record (after a change) its own text, even where an equal-looking one was encoded before."""
    encode = encoders().for_type(parse_type("VBD record"))
    first = {"uuid": "u", "userdevice": "0"}
    text = encode(first)
    assert encode(first) is text
    changed = {"uuid": "u", "userdevice": "1"}
    assert "<value>1</value>" in encode(changed) and encode(first) is text


def test_results_of_every_kind_read_back_as_xapi_sends_them() -> None:
    enc = encoders()
    cases: list[tuple[str, Any, Any]] = [
        ("void", "ignored", ""),
        ("bool", 0, False),
        ("bool", 1, True),
        ("int", True, "1"),
        ("float", 3, 3.0),
        ("float", 0.1, 0.1),
        ("enum vm_power_state", "Halted", "Halted"),
        ("VM ref", "OpaqueRef:x", "OpaqueRef:x"),
        ("(VM ref -> string set) map", {"OpaqueRef:a": ["x<y"]}, {"OpaqueRef:a": ["x<y"]}),
        ("int set", [1, 2], ["1", "2"]),
        # an event's snapshot is a record of any class: encoded by its values' Python types
        (
            "event record",
            {
                "id": 7,
                "class": "vm",
                "operation": "mod",
                "ref": "OpaqueRef:x",
                "snapshot": {"name_label": "a", "VCPUs_max": 2, "is_a_template": False},
            },
            {
                "id": "7",
                "class": "vm",
                "operation": "mod",
                "ref": "OpaqueRef:x",
                "snapshot": {"name_label": "a", "VCPUs_max": "2", "is_a_template": False},
            },
        ),
    ]
    for type_text, value, expected in cases:
        (got,), _ = xmlrpc.client.loads(codec.bare(enc.for_type(parse_type(type_text))(value)))
        assert got == expected and type(got) is type(expected), type_text
    assert enc.for_type(parse_type("int set")) is enc.for_type(parse_type("int set"))  # compiled once


def test_a_defined_encoder_serves_its_type() -> None:
    enc = encoders()
    t = parse_type("string")
    enc.define(t, lambda v: "<value>defined</value>")
    assert enc.for_type(t)("x") == "<value>defined</value>"


def test_values_of_no_wire_type_go_out_as_their_text() -> None:
    """encode_any of something that is no XML-RPC type (a ref object, say) sends its ``str``; None is
    xapi's empty value."""

    class Thing:
        def __str__(self) -> str:
            return "thing<1>"

    (got,), _ = xmlrpc.client.loads(codec.bare(codec.encode_any([Thing(), None])))
    assert got == ["thing<1>", ""]
