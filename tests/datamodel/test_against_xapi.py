"""xenia's datamodel agrees with xapi's: names, types, qualifiers, defaults, messages, errors, roles.

The facts come from ``tests/fixtures/xapi_datamodel.json``, extracted from xapi's own
datamodel dump by ``tools/extract_fixture.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from xenia.datamodel import MODEL
from xenia.datamodel.implicit import implicit_messages
from xenia.datamodel.meta import Field, Kind, Type

XAPI: dict[str, Any] = json.loads((Path(__file__).parent.parent / "fixtures" / "xapi_datamodel.json").read_text())
CLASSES = sorted(MODEL.classes)


def xapi_default(text: str, t: Type) -> Any:
    """Read a default in xapi's syntax ('{}', '"0:0"', 'OpaqueRef:NULL', '1.', ...)."""
    if t.kind is Kind.SET:
        inner = text.strip("{}() ")
        assert t.elem is not None
        return [] if not inner else [xapi_default(v.strip(), t.elem) for v in inner.split(",")]
    if t.kind is Kind.MAP:
        inner = text.strip("{} ")
        if not inner:
            return {}
        pairs = (item.partition("->") for item in inner.split(","))
        return {k.strip().strip('"'): v.strip().strip('"') for k, _, v in pairs}
    if t.kind is Kind.BOOL:
        return text == "true"
    if t.kind is Kind.INT:
        return int(text)
    if t.kind is Kind.FLOAT:
        return float(text)
    if t.kind is Kind.STRING and text.startswith('"'):
        return text[1:-1]
    return text


def test_every_class_served_exists_in_xapi() -> None:
    assert set(CLASSES) <= set(XAPI)


@pytest.mark.parametrize("cls", CLASSES)
def test_fields_agree(cls: str) -> None:
    ours = [f for f in MODEL.cls(cls).fields if not f.hidden]
    theirs = XAPI[cls]["fields"]
    assert [f.name for f in ours] == [f["name"] for f in theirs]
    for f, x in zip(ours, theirs, strict=True):
        assert f.type_text == x["type"], f.name
        assert f.qualifier.value == x["qualifier"], f.name
        _check_default(f, x)


def _check_default(f: Field, x: dict[str, Any]) -> None:
    if "default" in x:
        assert f.has_default, f"{f.name} lacks xapi's default {x['default']}"
        assert f.default == xapi_default(x["default"], f.type), f.name
    else:
        assert not f.has_default, f"{f.name} has a default xapi does not declare"


@pytest.mark.parametrize("cls", CLASSES)
def test_enums_agree(cls: str) -> None:
    for name, values in XAPI[cls]["enums"].items():
        assert MODEL.enums[name].values == tuple(values), name


def _params(m: dict[str, Any]) -> list[list[str]]:
    return [p for p in m["params"] if p[1] != "session_id"]


@pytest.mark.parametrize("cls", CLASSES)
def test_implicit_messages_agree(cls: str) -> None:
    ours = {i.message.name: i.message for i in implicit_messages(MODEL.cls(cls)) if not i.hidden}
    theirs = {m["name"]: m for m in XAPI[cls]["messages"] if m["implicit"]}
    assert set(ours) == set(theirs)
    for name, m in theirs.items():
        msg = ours[name]
        assert [[p.type_text, p.name] for p in msg.params] == _params(m), name
        assert msg.result == m["result"], name
        assert list(msg.roles) == m["roles"], name


@pytest.mark.parametrize("cls", CLASSES)
def test_explicit_messages_agree(cls: str) -> None:
    theirs = {m["name"]: m for m in XAPI[cls]["messages"] if not m["implicit"]}
    for msg in MODEL.cls(cls).messages:
        assert msg.name in theirs, f"{cls}.{msg.name} is not a xapi message"
        m = theirs[msg.name]
        assert [[p.type_text, p.name] for p in msg.params] == _params(m), msg.name
        assert msg.result == m["result"], msg.name
        assert list(msg.errors) == m["errors"], msg.name
        assert list(msg.roles) == m["roles"], msg.name
        assert msg.session_first == any(p[1] == "session_id" for p in m["params"]), msg.name


def test_declared_errors_are_known() -> None:
    for cls in MODEL.classes.values():
        for msg in cls.messages:
            for code in msg.errors:
                assert code in MODEL.errors, f"{cls.name}.{msg.name} declares unknown error {code}"


def test_every_type_parses_and_names_something() -> None:
    for cls in MODEL.classes.values():
        for f in cls.fields:
            t = f.type
            while t.kind in (Kind.SET, Kind.MAP):
                assert t.elem is not None
                t = t.elem
            if t.kind is Kind.ENUM:
                assert t.name in MODEL.enums, f"{cls.name}.{f.name}"
