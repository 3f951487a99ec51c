"""A deliberate mistake the typed client must reject at type-check time: a VDI ref where a VM ref is expected."""

from __future__ import annotations

from xenia.client import Session
from xenia.client.typed import TypedClient


def mistake(session: Session) -> None:
    api = TypedClient(session)
    vdi = api.VDI.get_all()[0]
    api.VM.start(vdi, False, False)
