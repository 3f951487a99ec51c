"""The expression language of ``get_all_records_where``, as xapi's db filters write it.

Grammar (xapi's, plus the shorthand ``name="value"``)::

    expr   := term (("or") term)*
    term   := factor (("and") factor)*
    factor := "not" factor | "(" expr ")" | "true" | "false" | cmp
    cmp    := operand ("=" | "!=" | "<>") operand
    operand:= 'field' STRING | NAME | STRING

Field names may use xapi's db column spelling (``name__label``).  Values are
compared as xapi's db stores them: as strings (booleans ``true``/``false``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from xenia.datamodel.errors import ApiError

Predicate = Callable[[dict[str, Any]], bool]

_TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<op>!=|<>|=|\(|\))|(?P<word>[A-Za-z_][A-Za-z0-9_:.\-]*))')


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise _bad(text)
        pos = m.end()
        if m.group("str") is not None:
            out.append(("str", m.group("str")[1:-1].replace('\\"', '"').replace("\\\\", "\\")))
        elif m.group("op") is not None:
            out.append(("op", m.group("op")))
        else:
            out.append(("word", m.group("word")))
    return out


def _bad(text: str) -> ApiError:
    return ApiError("INVALID_VALUE", "expr", text)


def wire_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "(" + " ".join(f"'{wire_string(v)}'" for v in value) + ")"
    if isinstance(value, dict):
        return "(" + " ".join(f"('{k}' '{wire_string(v)}')" for k, v in value.items()) + ")"
    return str(value)


class _Parser:
    def __init__(self, text: str, fields: set[str]) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.pos = 0
        self.fields = fields

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise _bad(self.text)
        self.pos += 1
        return tok

    def parse(self) -> Predicate:
        pred = self.expr()
        if self.peek() is not None:
            raise _bad(self.text)
        return pred

    def expr(self) -> Predicate:
        left = self.term()
        while self.peek() == ("word", "or"):
            self.take()
            right = self.term()
            left = (lambda a, b: lambda r: a(r) or b(r))(left, right)
        return left

    def term(self) -> Predicate:
        left = self.factor()
        while self.peek() == ("word", "and"):
            self.take()
            right = self.factor()
            left = (lambda a, b: lambda r: a(r) and b(r))(left, right)
        return left

    def factor(self) -> Predicate:
        tok = self.peek()
        if tok == ("word", "not"):
            self.take()
            inner = self.factor()
            return lambda r: not inner(r)
        if tok == ("op", "("):
            self.take()
            inner = self.expr()
            if self.take() != ("op", ")"):
                raise _bad(self.text)
            return inner
        if tok in (("word", "true"), ("word", "false")):
            self.take()
            value = tok[1] == "true"
            return lambda r: value
        left = self.operand()
        kind, op = self.take()
        if kind != "op" or op not in ("=", "!=", "<>"):
            raise _bad(self.text)
        right = self.operand()
        equal = op == "="
        return lambda r: (left(r) == right(r)) == equal

    def operand(self) -> Callable[[dict[str, Any]], str]:
        kind, text = self.take()
        if kind == "word" and text == "field":
            kind, text = self.take()
            if kind != "str":
                raise _bad(self.text)
            return self.field(text)
        if kind == "word":
            return self.field(text)
        if kind == "str":
            return lambda r: text
        raise _bad(self.text)

    def field(self, name: str) -> Callable[[dict[str, Any]], str]:
        column = name.replace("__", "_")
        if column not in self.fields:
            raise _bad(self.text)
        return lambda r: wire_string(r.get(column, ""))


def compile_where(text: str, fields: set[str]) -> Predicate:
    """Compile an expression over records with the given field names; INVALID_VALUE if malformed."""
    if not text.strip():
        return lambda r: True
    return _Parser(text, fields).parse()
