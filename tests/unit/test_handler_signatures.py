"""Every explicit message's handler takes exactly the parameters its declaration lists.

The dispatcher passes the declared parameters positionally; a handler with one parameter too
many or too few would fail only when a client calls it.
"""

from __future__ import annotations

import inspect

import pytest

from xenia.api.methods import build_table
from xenia.datamodel import MODEL

TABLE = build_table()


def _explicit() -> list[str]:
    return sorted(f"{c.name}.{m.name}" for c in MODEL.classes.values() for m in c.messages)


@pytest.mark.parametrize("wire", _explicit())
def test_handler_takes_the_declared_parameters(wire: str) -> None:
    method = TABLE[wire]
    params = list(inspect.signature(method.handler).parameters.values())[1:]  # after the Call
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params):
        return
    declared = [p.name for p in method.params]
    assert len(params) == len(declared), f"{wire}: handler takes {[p.name for p in params]}, declared {declared}"
