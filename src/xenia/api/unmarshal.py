"""Turn wire values into the values the datamodel types describe.

Both codecs hand over plain Python values; this module checks them against a
parameter's type and normalises them (``"1073741824"`` becomes an int, since
Python clients cannot send large ints as XML-RPC ``<int>``).  A value of the
wrong shape raises :class:`TypeMismatch`; dispatch turns that into xapi's error.
"""

from __future__ import annotations

import re
from typing import Any

from xenia.datamodel import MODEL
from xenia.datamodel.meta import Kind, Type

_DATETIME = re.compile(r"^\d{8}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:?\d{2})?$")
_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")


class TypeMismatch(Exception):
    def __init__(self, expected: Type, value: Any) -> None:
        self.expected = expected
        self.value = value
        super().__init__(f"expected {expected}, got {value!r}"[:300])


class BadEnum(Exception):
    def __init__(self, enum: str, value: str) -> None:
        self.enum = enum
        self.value = value
        super().__init__(f"{value!r} is not a value of enum {enum}")


def unmarshal(value: Any, t: Type) -> Any:  # noqa: C901, PLR0912 - one flat match over kinds
    match t.kind:
        case Kind.STRING | Kind.REF:
            if isinstance(value, str):
                return value
        case Kind.INT:
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            if isinstance(value, str):
                try:
                    return int(value.strip())
                except ValueError:
                    pass
        case Kind.FLOAT:
            if isinstance(value, float | int) and not isinstance(value, bool):
                return float(value)
            if isinstance(value, str):
                try:
                    return float(value)
                except ValueError:
                    pass
        case Kind.BOOL:
            if isinstance(value, bool):
                return value
            if value in ("true", "false"):
                return value == "true"
        case Kind.DATETIME:
            if isinstance(value, str):
                if _DATETIME.match(value):
                    return value
                m = _RFC3339.match(value)
                if m:
                    return f"{m[1]}{m[2]}{m[3]}T{m[4]}Z"
        case Kind.ENUM:
            if isinstance(value, str):
                enum = MODEL.enums.get(t.name)
                if enum is not None and value not in enum.values:
                    raise BadEnum(t.name, value)
                return value
        case Kind.SET:
            if isinstance(value, list):
                assert t.elem is not None
                elem = t.elem
                return [unmarshal(v, elem) for v in value]
        case Kind.MAP:
            if isinstance(value, dict):
                assert t.key is not None and t.elem is not None
                key, elem = t.key, t.elem
                return {unmarshal(k, key): unmarshal(v, elem) for k, v in value.items()}
        case Kind.RECORD:
            if isinstance(value, dict):
                return value
        case Kind.VOID:
            return value
    raise TypeMismatch(t, value)


def has_invalid_utf8(value: Any) -> str | None:
    """The first string in ``value`` that carried bytes that were not UTF-8 (marked U+FFFD)."""
    if isinstance(value, str):
        return value if "\ufffd" in value else None
    if isinstance(value, list):
        for v in value:
            bad = has_invalid_utf8(v)
            if bad is not None:
                return bad
    if isinstance(value, dict):
        for k, v in value.items():
            bad = has_invalid_utf8(k) or has_invalid_utf8(v)
            if bad is not None:
                return bad
    return None
