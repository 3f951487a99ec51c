"""Where the db keeps its durable copy.

The in-memory tables are the working copy; a backend holds what must survive a
crash.  ``write`` returns only once the batch is durable, and the API answers a
call only after that, so a call that returned success is never lost.  The
embedded backend is SQLite; a pool of hosts will put the same interface on
etcd.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple, Protocol


class StoredObject(NamedTuple):
    """One object as the backend keeps it (a tuple: a restart with 10 000 VMs makes 60 000 of them,
    and a frozen dataclass's ``__init__`` cost a tenth of a second of it; issue 12)."""

    cls: str
    ref: str
    record: dict[str, Any]


class Backend(Protocol):
    def load(self) -> Iterator[StoredObject]:
        """Every object, for the start-up reload."""
        ...

    def write(self, upserts: Iterable[StoredObject], deletes: Iterable[str]) -> None:
        """Apply one batch atomically and durably."""
        ...

    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def close(self) -> None: ...


class MemoryBackend:
    """A backend that keeps nothing: for unit tests of the db logic and throw-away daemons."""

    def __init__(self) -> None:
        self.objects: dict[str, StoredObject] = {}
        self.meta: dict[str, str] = {}

    def load(self) -> Iterator[StoredObject]:
        yield from list(self.objects.values())

    def write(self, upserts: Iterable[StoredObject], deletes: Iterable[str]) -> None:
        for obj in upserts:
            self.objects[obj.ref] = obj
        for ref in deletes:
            self.objects.pop(ref, None)

    def get_meta(self, key: str) -> str | None:
        return self.meta.get(key)

    def set_meta(self, key: str, value: str) -> None:
        self.meta[key] = value

    def close(self) -> None:
        pass
