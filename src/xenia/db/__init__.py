"""The object database: in-memory tables and indexes, a change feed, a durable backend."""

from xenia.db.backend import Backend, MemoryBackend, StoredObject
from xenia.db.core import Change, Db, Record, new_ref, new_uuid
from xenia.db.sqlite import SqliteBackend

__all__ = ["Backend", "Change", "Db", "MemoryBackend", "Record", "SqliteBackend", "StoredObject", "new_ref", "new_uuid"]
