"""Fuzzing the XML-RPC and JSON-RPC codecs: property-based (hypothesis) and mutation, in process and live.

In process, against the codec functions:
- round trips: what Python's own ``xmlrpc.client`` and ``json`` write, xenia parses back to the same
  values; what xenia's type-directed encoders write, ``xmlrpc.client`` reads as xapi's wire forms;
- robustness: mutated requests (bytes flipped, cut, spliced, tags and hostile fragments inserted) either
  parse or raise the codec's ParseError, and what parses then unmarshals or raises one of the three
  unmarshalling errors -- never anything else.

Against a real daemon: a batch of mutated calls carrying a valid session, over keep-alive connections;
every answer must be a well-formed envelope or xapi's HTTP 500 parse-error page, no INTERNAL_ERROR may
carry a Python exception's name (a crash, not an answer), and the daemon must serve normally afterwards.

Each test runs for its share of ``XENIA_FUZZ_SECONDS`` (default 2 s under ``make test``; ``make fuzz``
gives 60).  A failing mutation prints its seed, so the case can be replayed.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import random
import re
import time
import xmlrpc.client
from collections.abc import Callable, Iterator
from typing import Any

import orjson
import pytest
import XenAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xenia.api.codec import jsonrpc
from xenia.api.codec import xmlrpc as codec
from xenia.api.methods import build_table
from xenia.api.unmarshal import BadEnum, BadValue, TypeMismatch, unmarshal
from xenia.datamodel import MODEL
from xenia.datamodel.meta import Kind, Type, parse_type
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

FUZZ_SECONDS = float(os.environ.get("XENIA_FUZZ_SECONDS", "2"))
TABLE = build_table()
#: hypothesis runs a few examples per call; the budget loop calls it until time is up
ROUND = settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def for_budget(test: Callable[[], None], share: float = 1.0) -> int:
    """Run ``test`` (a hypothesis test, fresh random examples each call) until its share of the budget is spent."""
    deadline = time.monotonic() + FUZZ_SECONDS * share
    rounds = 0
    while True:
        test()
        rounds += 1
        if time.monotonic() >= deadline:
            return rounds


# ------------------------------------------------------------------------ strategies

#: characters XML 1.0 can carry (no CR: XML turns it into LF, so a round trip would change it)
XML_CHARS = st.characters(min_codepoint=0x20, blacklist_categories=["Cs"], blacklist_characters="\ufffe\uffff") | (
    st.sampled_from("\t\n")
)
XML_TEXT = st.text(XML_CHARS, max_size=40)
FINITE = st.floats(allow_nan=False, allow_infinity=False)
INT32 = st.integers(min_value=-(2**31), max_value=2**31 - 1)
INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
METHOD = st.from_regex(r"[A-Za-z][A-Za-z0-9_.]{0,40}", fullmatch=True)

XML_VALUES = st.recursive(
    st.none() | st.booleans() | INT32 | FINITE | XML_TEXT,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(XML_TEXT, inner, max_size=5),
    max_leaves=25,
)
JSON_TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | INT64 | FINITE | JSON_TEXT,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(JSON_TEXT, inner, max_size=5),
    max_leaves=25,
)


def same(a: Any, b: Any) -> bool:
    """Equality that also holds for -0.0 == 0.0 and looks inside containers (float vs int kept apart)."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return bool(a == b)


# ------------------------------------------------------------------ XML-RPC properties


@ROUND
@given(method=METHOD, params=st.lists(XML_VALUES, max_size=6))
def _xml_roundtrip(method: str, params: list[Any]) -> None:
    body = xmlrpc.client.dumps(tuple(params), method, allow_none=True).encode()
    got_method, got_params, bad_utf8 = codec.parse_call(body)
    assert got_method == method and not bad_utf8
    assert same(got_params, params), (got_params, params)


def test_xml_parses_what_python_writes() -> None:
    for_budget(_xml_roundtrip, 0.15)


def _typed_value(t: Type) -> st.SearchStrategy[Any]:
    match t.kind:
        case Kind.STRING | Kind.REF:
            return XML_TEXT | st.text(st.sampled_from("\r\n<>&a"), max_size=8)
        case Kind.INT:
            return INT64
        case Kind.FLOAT:
            return FINITE
        case Kind.BOOL:
            return st.booleans()
        case Kind.DATETIME:
            return st.datetimes().map(lambda d: d.strftime("%Y%m%dT%H:%M:%SZ"))
        case Kind.ENUM:
            return st.sampled_from(MODEL.enums[t.name].values)
        case Kind.SET:
            assert t.elem is not None
            return st.lists(_typed_value(t.elem), max_size=4)
        case Kind.MAP:
            assert t.key is not None and t.elem is not None
            return st.dictionaries(_typed_value(t.key), _typed_value(t.elem), max_size=4)
    raise AssertionError(t)


def _wire_form(t: Type, v: Any) -> Any:
    """What an XML-RPC client reads for value ``v`` of type ``t``, as xapi sends it (first principles:
    int64 goes untyped, so clients see a decimal string; map keys are always strings)."""
    match t.kind:
        case Kind.INT:
            return str(v)
        case Kind.SET:
            assert t.elem is not None
            elem = t.elem
            return [_wire_form(elem, x) for x in v]
        case Kind.MAP:
            assert t.elem is not None
            elem = t.elem
            return {str(k): _wire_form(elem, x) for k, x in v.items()}
    return v


TYPES = [parse_type(text) for text in (
    "string", "int", "float", "bool", "datetime", "VM ref", "enum vm_power_state", "string set", "int set",
    "(string -> string) map", "(string -> int) map", "(int -> float) map", "(string -> string set) map",
)]  # fmt: skip
ENCODERS = codec.Encoders(lambda cls: [(f.name, f.type) for f in MODEL.wire_fields(cls)])


@ROUND
@given(data=st.data())
def _typed_encoding(data: st.DataObject) -> None:
    t = data.draw(st.sampled_from(TYPES))
    value = data.draw(_typed_value(t))
    result: Any = xmlrpc.client.loads(codec.success(ENCODERS.for_type(t)(value)))[0][0]
    got = result["Value"]
    if t.kind is Kind.DATETIME:
        got = got.value
    assert result["Status"] == "Success" and same(got, _wire_form(t, value)), (t, value, got)


def test_typed_encoders_write_what_clients_read() -> None:
    for_budget(_typed_encoding, 0.1)


@ROUND
@given(description=st.lists(XML_TEXT | st.text(st.sampled_from("\r<>&x"), max_size=6), min_size=1, max_size=4))
def _xml_failure(description: list[str]) -> None:
    (result,), _ = xmlrpc.client.loads(codec.failure(description))
    assert result == {"Status": "Failure", "ErrorDescription": description}


def test_xml_failures_carry_any_text() -> None:
    for_budget(_xml_failure, 0.05)


# ----------------------------------------------------------------- JSON-RPC properties


@ROUND
@given(method=METHOD, params=st.lists(JSON_VALUES, max_size=6), rid=st.integers(0, 2**63 - 1) | JSON_TEXT,
       v2=st.booleans())  # fmt: skip
def _json_roundtrip(method: str, params: list[Any], rid: int | str, v2: bool) -> None:
    doc: dict[str, Any] = {"method": method, "params": params, "id": rid}
    if v2:
        doc["jsonrpc"] = "2.0"
    call = jsonrpc.parse_call(json.dumps(doc).encode())
    assert call.method == method and call.id == rid and call.v2 == v2 and not call.bad_utf8
    assert same(call.params, params)
    answer = json.loads(jsonrpc.success(call, params))
    assert same(answer["result"], params) and answer["id"] == rid
    error = json.loads(jsonrpc.failure(call, ["CODE", method]))
    assert (error["error"]["data"] if v2 else error["error"][1:]) == [method]


def test_json_parses_and_answers_what_clients_send() -> None:
    for_budget(_json_roundtrip, 0.15)


# ----------------------------------------------------------- unmarshalling properties

PARAM_TYPES = sorted({p.type for m in TABLE.values() for p in m.params}, key=str)


@ROUND
@given(data=st.data())
def _unmarshal_any(data: st.DataObject) -> None:
    t = data.draw(st.sampled_from(PARAM_TYPES))
    value = data.draw(JSON_VALUES | st.integers() | st.text(st.sampled_from("0123456789e.-+TZ:"), max_size=30))
    try:
        result = unmarshal(value, t)
    except (TypeMismatch, BadEnum, BadValue):
        return
    if t.kind is Kind.INT:
        assert -(2**63) <= result < 2**63
    if t.kind is Kind.FLOAT:
        assert isinstance(result, float)


def test_unmarshal_takes_anything() -> None:
    for_budget(_unmarshal_any, 0.1)


# --------------------------------------------------------------------- mutation fuzzer

TOKENS = [
    b"<value>", b"</value>", b"<array><data>", b"</data></array>", b"<struct>", b"</struct>", b"<member>",
    b"<name>", b"</name>", b"<int>", b"</int>", b"<i8>99999999999999999999999</i8>", b"<double>1e400</double>",
    b"<boolean>2</boolean>", b"<base64>!!</base64>", b"<nil/>", b"<dateTime.iso8601>20261399T99:99:99Z",
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"&a;", b"&#0;", b"&#xFFFE;", b"<![CDATA[x]]>", b"<?pi x?>", b"\xff\xfe",
    b"\x00", b"\r\n", b"{", b"}", b"[", b"]", b'"', b"\\u0000", b"\\ud800", b"null", b"1e999", b"-0",
    b"18446744073709551616", b'"jsonrpc":"1.0"', b'"params":{}', b'"id":true', b",", b":", b"OpaqueRef:NULL",
]


def mutate(rng: random.Random, body: bytes, corpus: list[bytes]) -> bytes:
    """One to four random edits of ``body``."""
    data = bytearray(body)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(7)
        pos = rng.randint(0, len(data))
        if op == 0 and data:
            data[min(pos, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            data[pos:pos] = rng.choice(TOKENS)
        elif op == 2:
            del data[pos : pos + rng.randint(1, 16)]
        elif op == 3:
            chunk = data[pos : pos + rng.randint(1, 64)]
            data[pos:pos] = chunk * rng.randint(1, 8)
        elif op == 4:
            other = rng.choice(corpus)
            cut = rng.randint(0, len(other))
            data = data[:pos] + bytearray(other[cut:])
        elif op == 5:
            data[pos:pos] = bytes([rng.randrange(256)])
        else:
            data = data[: rng.randint(0, len(data))]
    return bytes(data)


def _check_parsed(method: str, params: list[Any]) -> None:
    """What a codec hands over unmarshals against the method's types, or fails with an unmarshalling error."""
    m = TABLE.get(method)
    if m is None:
        return
    offset = 1 if m.session_first else 0
    for p, value in zip(m.params, params[offset:], strict=False):
        try:
            unmarshal(value, p.type)
        except (TypeMismatch, BadEnum, BadValue):
            pass


def xml_corpus(session: str = "OpaqueRef:x", vm: str = "OpaqueRef:vm") -> list[bytes]:
    calls: list[tuple[str, tuple[Any, ...]]] = [
        ("session.login_with_password", ("root", "pw", "2.0", "fuzz")),
        ("VM.get_record", (session, vm)),
        ("VM.set_name_description", (session, vm, "fuzzed <&> text")),
        ("VM.set_user_version", (session, vm, "12")),
        ("VM.add_to_other_config", (session, vm, "fuzz", "value")),
        ("VM.set_VCPUs_params", (session, vm, {"weight": "256", "cap": "0"})),
        ("VM.get_all_records_where", (session, 'field "power_state" = "Halted"')),
        ("message.get_since", (session, xmlrpc.client.DateTime("20260101T00:00:00Z"))),
        ("event.from", (session, ["vm"], "", 0.0)),
        ("task.create", (session, "fuzz", "task")),
        ("system.listMethods", ()),
    ]
    return [xmlrpc.client.dumps(args, name, allow_none=True).encode() for name, args in calls]


def json_corpus(session: str = "OpaqueRef:x", vm: str = "OpaqueRef:vm") -> list[bytes]:
    calls: list[tuple[str, list[Any]]] = [
        ("VM.get_record", [session, vm]),
        ("VM.set_name_description", [session, vm, "fuzzed \u00e9 text"]),
        ("VM.set_user_version", [session, vm, 12]),
        ("VM.set_VCPUs_params", [session, vm, {"weight": "256"}]),
        ("message.get_since", [session, "20260101T00:00:00Z"]),
        ("task.create", [session, "fuzz", "task"]),
        ("event.from", [session, ["vm"], "", 0.0]),
    ]
    out = [orjson.dumps({"jsonrpc": "2.0", "method": n, "params": p, "id": i}) for i, (n, p) in enumerate(calls)]
    out += [orjson.dumps({"method": n, "params": p, "id": str(i)}) for i, (n, p) in enumerate(calls)]
    return out


def _mutation_round(seed: int, corpus: list[bytes], parse: Callable[[bytes], tuple[str, list[Any]]],
                    error: type[Exception], count: int) -> None:  # fmt: skip
    rng = random.Random(seed)
    for i in range(count):
        body = mutate(rng, rng.choice(corpus), corpus)
        try:
            method, params = parse(body)
        except error:
            continue
        except Exception as e:  # anything but the codec's own error is a bug
            raise AssertionError(f"seed {seed} case {i}: {type(e).__name__}: {e} for {body!r}") from e
        try:
            _check_parsed(method, params)
        except Exception as e:
            raise AssertionError(f"seed {seed} case {i}: unmarshal raised {type(e).__name__}: {e}") from e


def _xml_parse(body: bytes) -> tuple[str, list[Any]]:
    method, params, _ = codec.parse_call(body)
    return method, params


def _json_parse(body: bytes) -> tuple[str, list[Any]]:
    call = jsonrpc.parse_call(body)
    return call.method, call.params


@pytest.mark.parametrize("kind", ["xml", "json"])
def test_mutated_requests_parse_or_fail_cleanly(kind: str) -> None:
    corpus, parse, error = (
        (xml_corpus(), _xml_parse, codec.ParseError) if kind == "xml" else (json_corpus(), _json_parse, jsonrpc.ParseError)
    )
    deadline = time.monotonic() + FUZZ_SECONDS * 0.1
    seeds = 0
    while True:
        seed = random.randrange(2**32)
        _mutation_round(seed, corpus, parse, error, 500)
        seeds += 1
        if time.monotonic() >= deadline:
            break
    assert seeds >= 1


# ------------------------------------------------------------------ against a daemon

#: INTERNAL_ERROR texts that are a Python exception escaping a handler (``dispatch._internal``)
CRASH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(Error|Exception|Exit|Interrupt): ")


class Client:
    """One keep-alive HTTP connection, reopened when the daemon closes it (as after a 500)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def post(self, path: str, body: bytes, ctype: str) -> tuple[int, bytes]:
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request("POST", path, body, {"Content-Type": ctype})
                resp = self.conn.getresponse()
                data = resp.read()
            except (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
                continue
            if resp.will_close:
                self.conn.close()
                self.conn = None
            return resp.status, data
        raise AssertionError("unreachable")


def _envelope_problem(kind: str, status: int, data: bytes) -> str | None:
    """What is wrong with an answer, if anything."""
    if status == 500:
        return None if (b"Parse_error" in data or b"Malformed" in data) else f"HTTP 500 without a parse error: {data[:200]!r}"
    if status != 200:
        return f"HTTP {status}: {data[:200]!r}"
    if kind == "xml":
        try:
            (result,), _ = xmlrpc.client.loads(data)
        except Exception as e:
            return f"unreadable XML-RPC answer ({e}): {data[:200]!r}"
        if isinstance(result, list):  # system.listMethods answers bare
            return None
        if not isinstance(result, dict) or result.get("Status") not in ("Success", "Failure"):
            return f"no Status: {data[:200]!r}"
        error = result.get("ErrorDescription") or []
    else:
        try:
            answer = json.loads(data)
        except ValueError as e:
            return f"unreadable JSON-RPC answer ({e}): {data[:200]!r}"
        raw = answer.get("error")
        if raw is None:
            return None if "result" in answer else f"neither result nor error: {data[:200]!r}"
        error = [raw["message"], *raw.get("data", [])] if isinstance(raw, dict) else raw
    if error and error[0] == "INTERNAL_ERROR" and len(error) > 1 and CRASH.match(str(error[1])):
        return f"a crash answered as INTERNAL_ERROR: {error}"
    return None


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[DaemonProcess, XenAPI.Session]]:
    with DaemonProcess() as daemon:
        session = XenAPI.Session(daemon.url)
        session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "fuzz")
        yield daemon, session


def test_mutated_calls_against_a_daemon(live: tuple[DaemonProcess, XenAPI.Session]) -> None:
    daemon, session = live
    vm = next(r for r, rec in session.xenapi.VM.get_all_records().items() if not rec["is_control_domain"])
    handle = session._session
    corpora = {"xml": xml_corpus(handle, vm), "json": json_corpus(handle, vm)}
    paths = {"xml": ("/RPC2", "text/xml"), "json": ("/jsonrpc", "application/json")}
    client = Client(daemon.port)
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    deadline = time.monotonic() + FUZZ_SECONDS * 0.25
    sent = 0
    problems: list[str] = []
    while time.monotonic() < deadline or sent < 50:
        kind = rng.choice(("xml", "json"))
        body = mutate(rng, rng.choice(corpora[kind]), corpora[kind])
        status, data = client.post(*paths[kind][:1], body, paths[kind][1])
        problem = _envelope_problem(kind, status, data)
        if problem is not None:
            problems.append(f"{problem} <- {body[:300]!r}")
        sent += 1
    print(f"codec fuzz: {sent} mutated calls against the daemon, seed {seed}, {len(problems)} problems")
    assert not problems, f"seed {seed}, {len(problems)} of {sent}:\n" + "\n".join(problems[:10])
    # the daemon serves normally afterwards, new clients included
    fresh = XenAPI.Session(daemon.url)
    fresh.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "after-fuzz")
    assert fresh.xenapi.VM.get_record(vm)["uuid"]
    fresh.xenapi.session.logout()
