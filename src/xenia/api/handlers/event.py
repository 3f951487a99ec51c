"""event: ``event.from`` and the legacy ``register``/``next``/``unregister``, served by the EventHub."""

from __future__ import annotations

from typing import Any

from xenia.api.context import Call
from xenia.api.events import EventHub
from xenia.api.methods import handler


def _hub(call: Call) -> EventHub:
    hub: EventHub = call.app.services["events"]
    return hub


@handler("event.from")
async def from_(call: Call, classes: list[str], token: str, timeout: float) -> dict[str, Any]:
    return await _hub(call).from_(call.session_ref, classes, token, timeout)


@handler("event.next")
async def next_(call: Call) -> list[dict[str, Any]]:
    return await _hub(call).next(call.session_ref)


@handler("event.register")
def register(call: Call, classes: list[str]) -> None:
    _hub(call).register(call.session_ref, classes)


@handler("event.unregister")
def unregister(call: Call, classes: list[str]) -> None:
    _hub(call).unregister(call.session_ref, classes)


@handler("event.inject")
def inject(call: Call, cls: str, ref: str) -> str:
    return _hub(call).inject(cls, ref)


@handler("event.get_current_id")
def get_current_id(call: Call) -> int:
    return _hub(call).current + 1
