"""Turn wire values into the values the datamodel types describe.

Both codecs hand over plain Python values; this module checks them against a
parameter's type and normalises them (``"1073741824"`` becomes an int, since
Python clients cannot send large ints as XML-RPC ``<int>``).  A value of the
wrong shape raises :class:`TypeMismatch`; dispatch turns that into xapi's error.
A value of the right shape that no field can hold -- an int outside int64, a
number too large for a double, a datetime that names no instant -- raises
:class:`BadValue` (``INVALID_VALUE``, as xapi answers a datetime its db layer
cannot parse), before it can reach the db or an encoder.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
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


class BadValue(Exception):
    """A value of the right type that is out of range (xapi's int64, double and datetime)."""

    def __init__(self, value: Any) -> None:
        self.value = value
        super().__init__(f"{value!r} is out of range"[:300])


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def _int64(value: int) -> int:
    if not INT64_MIN <= value <= INT64_MAX:
        raise BadValue(str(value))
    return value


def _double(value: float | int | str) -> float:
    """A finite double from an int or a decimal string; ``inf``/``nan`` spelled out pass as xapi's float_of_string."""
    try:
        result = float(value)
    except OverflowError:
        raise BadValue(str(value)) from None
    if math.isinf(result) and not (isinstance(value, str) and "inf" in value.lower()):
        raise BadValue(str(value))
    return result


def _valid_instant(text: str) -> bool:
    """Whether a ``YYYYMMDDTHH:MM:SS`` prefix names a real date and time (not month 13 or hour 99)."""
    try:
        datetime.strptime(text[:17], "%Y%m%dT%H:%M:%S")
    except ValueError:
        return False
    return True


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
                return _int64(value)
            if isinstance(value, str):
                try:
                    parsed = int(value.strip())
                except ValueError:
                    pass
                else:
                    return _int64(parsed)
        case Kind.FLOAT:
            if isinstance(value, float):
                return value
            if isinstance(value, int) and not isinstance(value, bool):
                return _double(value)
            if isinstance(value, str):
                try:
                    return _double(value)
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
                    if not _valid_instant(value):
                        raise BadValue(value)
                    return value
                m = _RFC3339.match(value)
                if m:
                    canonical = f"{m[1]}{m[2]}{m[3]}T{m[4]}Z"
                    if not _valid_instant(canonical):
                        raise BadValue(value)
                    return canonical
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
