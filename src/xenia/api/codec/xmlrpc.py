"""XML-RPC, sans I/O: request bytes to Python values, results to response bytes.

Parsing uses expat directly and refuses any document type declaration, so
entity expansion ("billion laughs") and external entities never happen.
Encoding is directed by the datamodel type of the result, because xapi's wire
form depends on it: an ``int`` goes out as an untyped value (clients see a
string), a ``datetime`` as ``<dateTime.iso8601>``, a ``float`` as ``<double>``.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any
from xml.parsers import expat

from xenia.datamodel.meta import Kind, Type

# ---------------------------------------------------------------------- parse


class ParseError(Exception):
    """The body is not a well-formed XML-RPC call: xapi answers HTTP 500."""


#: marks strings in which the client sent bytes that are not UTF-8
INVALID_UTF8 = "\ufffd"


class _CallBuilder:
    """Builds (method, params) from expat events with an explicit stack."""

    def __init__(self) -> None:
        self.method: str | None = None
        self.params: list[Any] = []
        self.stack: list[Any] = []  # containers being built: list (array) or [dict, pending member name]
        self.text: list[str] = []
        self.value_typed = False
        self.in_params = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.text = []
        if tag == "value":
            self.value_typed = False
        elif tag == "array":
            self.value_typed = True
            self.stack.append([])
        elif tag == "struct":
            self.value_typed = True
            self.stack.append(_Struct())
        elif tag == "params":
            self.in_params = True
        elif tag in ("string", "int", "i4", "i8", "boolean", "double", "dateTime.iso8601", "base64", "nil"):
            self.value_typed = True

    def data(self, text: str) -> None:
        self.text.append(text)

    def end(self, tag: str) -> None:
        text = "".join(self.text)
        self.text = []
        if tag == "methodName":
            self.method = text.strip()
        elif tag in ("string", "dateTime.iso8601"):
            self._emit(text)
        elif tag in ("int", "i4", "i8"):
            try:
                self._emit(int(text.strip()))
            except ValueError:
                raise ParseError(f"bad integer {text!r}") from None
        elif tag == "boolean":
            if text.strip() not in ("0", "1"):
                raise ParseError(f"bad boolean {text!r}")
            self._emit(text.strip() == "1")
        elif tag == "double":
            try:
                self._emit(float(text.strip()))
            except ValueError:
                raise ParseError(f"bad double {text!r}") from None
        elif tag == "base64":
            try:
                self._emit(base64.b64decode(text).decode("utf-8", "replace"))
            except ValueError:
                raise ParseError("bad base64") from None
        elif tag == "nil":
            self._emit(None)
        elif tag == "value":
            if not self.value_typed:
                self._emit(text)
            self.value_typed = True
        elif tag == "name":
            top = self.stack[-1] if self.stack else None
            if not isinstance(top, _Struct):
                raise ParseError("<name> outside <struct>")
            top.name = text
        elif tag in ("array", "struct"):
            done = self.stack.pop()
            self._emit(done.members if isinstance(done, _Struct) else done)
            self.value_typed = True

    def _emit(self, value: Any) -> None:
        self.value_typed = True
        if not self.stack:
            if not self.in_params:
                raise ParseError("value outside <params>")
            self.params.append(value)
            return
        top = self.stack[-1]
        if isinstance(top, _Struct):
            if top.name is None:
                raise ParseError("struct member without <name>")
            top.members[top.name] = value
            top.name = None
        else:
            top.append(value)


class _Struct:
    __slots__ = ("members", "name")

    def __init__(self) -> None:
        self.members: dict[str, Any] = {}
        self.name: str | None = None


def _refuse_doctype(*_args: object) -> None:
    raise ParseError("document type declarations are not accepted")


def parse_call(body: bytes) -> tuple[str, list[Any], bool]:
    """Parse a methodCall; returns (method, params, had_invalid_utf8)."""
    try:
        text = body.decode("utf-8")
        bad_utf8 = False
    except UnicodeDecodeError:
        text = body.decode("utf-8", "replace")
        bad_utf8 = True
    builder = _CallBuilder()
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.ExternalEntityRefHandler = _refuse_doctype  # type: ignore[assignment]
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        parser.Parse(text, True)
    except expat.ExpatError as e:
        raise ParseError(str(e)) from None
    except RecursionError:
        raise ParseError("nesting too deep") from None
    if builder.method is None:
        raise ParseError("no methodName")
    return builder.method, builder.params, bad_utf8


# --------------------------------------------------------------------- encode

Encoder = Callable[[Any], str]


#: characters XML 1.0 cannot carry, even escaped: a string holding one (a client may store any string)
#: goes out with U+FFFD in its place, so the answer stays a document every XML-RPC client can parse
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def escape(text: str) -> str:
    if _NOT_XML.search(text):
        text = _NOT_XML.sub("\ufffd", text)
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def _enc_string(v: Any) -> str:
    return f"<value>{escape(str(v))}</value>"


def _enc_int(v: Any) -> str:
    return f"<value>{int(v)}</value>"


def _enc_float(v: Any) -> str:
    return f"<value><double>{float(v)!r}</double></value>"


def _enc_bool(v: Any) -> str:
    return "<value><boolean>1</boolean></value>" if v else "<value><boolean>0</boolean></value>"


def _enc_datetime(v: Any) -> str:
    return f"<value><dateTime.iso8601>{escape(str(v))}</dateTime.iso8601></value>"


def encode_any(v: Any) -> str:
    """Encode by Python type, for values whose datamodel type is not known."""
    if isinstance(v, bool):
        return _enc_bool(v)
    if isinstance(v, int):
        return _enc_int(v)
    if isinstance(v, float):
        return _enc_float(v)
    if isinstance(v, str):
        return _enc_string(v)
    if isinstance(v, dict):
        return "<value><struct>" + "".join(
            f"<member><name>{escape(str(k))}</name>{encode_any(x)}</member>" for k, x in v.items()
        ) + "</struct></value>"
    if isinstance(v, list | tuple):
        return "<value><array><data>" + "".join(encode_any(x) for x in v) + "</data></array></value>"
    if v is None:
        return "<value></value>"
    return _enc_string(v)


RecordFields = Callable[[str], list[tuple[str, Type]]]


class Encoders:
    """Type-directed encoders, compiled once per type.

    ``record_fields(cls)`` returns the wire fields of a class with their types,
    so that ``VM record`` values are encoded field by field.
    """

    def __init__(self, record_fields: RecordFields) -> None:
        self._record_fields = record_fields
        self._cache: dict[Type, Encoder] = {}
        #: id(record) -> (record, its encoding); holding the record keeps its id from being reused
        self._encoded: dict[int, tuple[Any, str]] = {}

    def define(self, t: Type, enc: Encoder) -> None:
        """Encode values of ``t`` with ``enc``: for results the datamodel cannot describe field by field
        (``event.from``'s batch, whose snapshots are records of any class)."""
        self._cache[t] = enc

    def for_type(self, t: Type) -> Encoder:
        enc = self._cache.get(t)
        if enc is None:
            enc = self._cache[t] = self._compile(t)
        return enc

    def _compile(self, t: Type) -> Encoder:
        match t.kind:
            case Kind.STRING | Kind.REF | Kind.ENUM:
                return _enc_string
            case Kind.INT:
                return _enc_int
            case Kind.FLOAT:
                return _enc_float
            case Kind.BOOL:
                return _enc_bool
            case Kind.DATETIME:
                return _enc_datetime
            case Kind.VOID:
                return lambda v: "<value></value>"
            case Kind.SET:
                assert t.elem is not None
                elem = self.for_type(t.elem)
                return lambda v: "<value><array><data>" + "".join(map(elem, v)) + "</data></array></value>"
            case Kind.MAP:
                assert t.elem is not None
                val = self.for_type(t.elem)
                return lambda v: "<value><struct>" + "".join(
                    f"<member><name>{escape(str(k))}</name>{val(x)}</member>" for k, x in v.items()
                ) + "</struct></value>"
            case Kind.RECORD:
                if t.name == "<class>":
                    return encode_any
                return self._record(t.name)
        raise AssertionError(t)

    #: encoded records kept, at most, before the cache starts afresh
    CACHE_LIMIT = 25_000

    def _record(self, cls: str) -> Encoder:
        parts: list[tuple[str, str, Encoder]] | None = None
        cache = self._encoded

        def encode(rec: Any) -> str:
            # the db hands out one shared, never-mutated dict per object version, so identity
            # says "unchanged": a record is encoded once per change, not once per read
            hit = cache.get(id(rec))
            if hit is not None and hit[0] is rec:
                return hit[1]
            text = build(rec)
            if len(cache) >= self.CACHE_LIMIT:
                cache.clear()
            cache[id(rec)] = (rec, text)
            return text

        def build(rec: Any) -> str:
            nonlocal parts
            if parts is None:
                parts = [
                    (name, f"<member><name>{escape(name)}</name>", self.for_type(ftype))
                    for name, ftype in self._record_fields(cls)
                ]
            out = ["<value><struct>"]
            for name, head, enc in parts:
                if name in rec:
                    out.append(head)
                    out.append(enc(rec[name]))
                    out.append("</member>")
            out.append("</struct></value>")
            return "".join(out)

        return encode


_HEAD = '<?xml version="1.0"?><methodResponse><params><param>'
_TAIL = "</param></params></methodResponse>"
_SUCCESS = _HEAD + "<value><struct><member><name>Status</name><value>Success</value></member><member><name>Value</name>"
_SUCCESS_TAIL = "</member></struct></value>" + _TAIL


def success(encoded_value: str) -> bytes:
    return (_SUCCESS + encoded_value + _SUCCESS_TAIL).encode()


def failure(description: list[str]) -> bytes:
    items = "".join(f"<value>{escape(s)}</value>" for s in description)
    return (
        _HEAD
        + "<value><struct><member><name>Status</name><value>Failure</value></member>"
        + f"<member><name>ErrorDescription</name><value><array><data>{items}</data></array></value></member>"
        + "</struct></value>"
        + _TAIL
    ).encode()


def bare(encoded_value: str) -> bytes:
    """A result without the Status envelope (xapi's ``system.listMethods``)."""
    return (_HEAD + encoded_value + _TAIL).encode()
