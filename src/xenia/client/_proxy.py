"""``session.xenapi.VM.get_all()`` spelling, shared by the sync and async sessions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Proxy:
    """Builds the dotted wire name attribute by attribute; calling it makes the call.

    For a sync session the call returns the result; for an async session it
    returns an awaitable.  Dunder names are refused so that ``copy``, ``pickle``
    and the like never turn into RPCs (as in the XenAPI SDK).
    """

    __slots__ = ("_call", "_name")

    def __init__(self, call: Callable[..., Any], name: str = "") -> None:
        self._call = call
        self._name = name

    def __getattr__(self, name: str) -> Proxy:
        if name.startswith("__"):
            raise AttributeError(name)
        return Proxy(self._call, f"{self._name}.{name}" if self._name else name)

    def __call__(self, *params: Any) -> Any:
        return self._call(self._name, *params)

    def __repr__(self) -> str:
        return f"<xenapi method {self._name or '(root)'}>"
