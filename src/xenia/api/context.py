"""What a handler gets: the daemon's state (``App``) and the call being served (``Call``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xenia.api.sessions import ActiveSession, SessionManager
from xenia.datamodel import MODEL, Model
from xenia.db import Db

if TYPE_CHECKING:
    from xenia.api.methods import Method


@dataclass
class App:
    """The daemon's shared state, handed to every handler."""

    db: Db
    sessions: SessionManager
    host_ref: str
    pool_ref: str
    state_dir: Path
    model: Model = field(default_factory=lambda: MODEL)
    #: optional services other layers attach (tasks, events, ops, driver, store), by name
    services: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Call:
    """One API call in flight."""

    app: App
    method: Method
    session: ActiveSession | None
    local: bool
    #: the task this call runs under when it came in as ``Async.``
    task: str | None = None
    #: the client's address (TCP callers; empty on the local socket)
    peer: str = ""

    @property
    def db(self) -> Db:
        return self.app.db

    @property
    def session_ref(self) -> str:
        return self.session.ref if self.session is not None else "OpaqueRef:NULL"
