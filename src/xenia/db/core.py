"""The object database: tables in memory, indexes, one change feed, a durable backend.

Records hold only *stored* fields; a set such as ``VM.VBDs`` is derived from the
index on ``VBD.VM`` whenever it is read, so it can never disagree with the VBDs
themselves.  Writes happen in batches: a batch either commits as a whole (in
memory, then durably in the backend, then on the change feed) or is undone.
Batches never span an ``await``: callers make their writes in one synchronous
stretch, so no other coroutine sees half a batch.
"""

from __future__ import annotations

import operator
import sys
import uuid as uuidlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from xenia.datamodel import Model
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF, ClassDef, Kind
from xenia.datamodel.schema import schema_hash
from xenia.db import migrate
from xenia.db.backend import Backend, MemoryBackend, StoredObject

Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of the change feed: an object was added, modified or deleted."""

    gen: int
    cls: str
    op: str  # "add" | "mod" | "del"
    ref: str
    #: for "del": the last record, since the object can no longer be read
    last: Record | None = None


Subscriber = Callable[[list[Change]], None]
#: called with the (class, ref) pairs a batch touched, while the batch can still take writes
Finisher = Callable[[list[tuple[str, str]]], None]


def new_ref() -> str:
    return f"OpaqueRef:{uuidlib.uuid4()}"


def new_uuid() -> str:
    return str(uuidlib.uuid4())


def share_strings(rec: Record, fields: frozenset[str]) -> None:
    """Intern the string values of ``fields`` in ``rec`` (in place, before the record is stored).

    References and enum values repeat across records: every VM's ``resident_on`` names the same host,
    its ``power_state`` is one of a few words; a reference parsed from a request or read back from the
    backend is a fresh string each time. Held once, they cost nothing per VM (issue 12).
    """
    intern = sys.intern
    for name in fields:
        value = rec.get(name)
        if type(value) is str:
            rec[name] = intern(value)


def _getter(fields: tuple[str, ...]) -> Callable[[Record], tuple[Any, ...]]:
    """The values of ``fields`` in a record, as a tuple, in one C-level call where it can be one."""
    if len(fields) > 1:
        return operator.itemgetter(*fields)
    return lambda rec: tuple(rec[f] for f in fields)


class _Table:
    __slots__ = ("cls", "rows", "by_uuid", "by_name", "by_ref_field", "ref_fields", "has_name", "shared")

    def __init__(self, cls: ClassDef, stored: list[str], ref_fields: list[str]) -> None:
        self.cls = cls
        #: stored fields whose string values repeat between records (references, enums): interned
        self.shared = frozenset(
            f.name for f in cls.fields if f.name in stored and f.type.kind in (Kind.REF, Kind.ENUM)
        )
        self.rows: dict[str, Record] = {}
        self.by_uuid: dict[str, str] = {}
        self.has_name = "name_label" in cls.by_name
        self.by_name: dict[str, dict[str, None]] = {}
        self.ref_fields = ref_fields
        #: field -> target ref -> ordered set of our refs
        self.by_ref_field: dict[str, dict[str, dict[str, None]]] = {f: {} for f in ref_fields}

    def index(self, ref: str, rec: Record) -> None:
        u = rec.get("uuid")
        if u:
            self.by_uuid[u] = ref
        if self.has_name:
            self.by_name.setdefault(rec.get("name_label", ""), {})[ref] = None
        for f in self.ref_fields:
            target = rec.get(f, NULL_REF)
            if target != NULL_REF:
                self.by_ref_field[f].setdefault(target, {})[ref] = None

    def unindex(self, ref: str, rec: Record) -> None:
        u = rec.get("uuid")
        if u and self.by_uuid.get(u) == ref:
            del self.by_uuid[u]
        if self.has_name:
            _discard(self.by_name, rec.get("name_label", ""), ref)
        for f in self.ref_fields:
            target = rec.get(f, NULL_REF)
            if target != NULL_REF:
                _discard(self.by_ref_field[f], target, ref)


def _discard(index: dict[str, dict[str, None]], key: str, ref: str) -> None:
    bucket = index.get(key)
    if bucket is not None:
        bucket.pop(ref, None)
        if not bucket:
            del index[key]


class Db:
    """The tables of every class in the model, with their indexes and change feed."""

    def __init__(self, model: Model, backend: Backend | None = None) -> None:
        self.model = model
        self.backend: Backend = backend if backend is not None else MemoryBackend()
        self.tables: dict[str, _Table] = {}
        self.class_of: dict[str, str] = {}
        #: generation of the last change to each object (drives caches and events)
        self.version: dict[str, int] = {}
        self.gen = 0
        self._subscribers: list[Subscriber] = []
        self._finishers: list[Finisher] = []
        self._batch: _Batch | None = None
        #: ref -> (version, wire record): records are shared while unchanged, so callers must not mutate them
        self._records: dict[str, tuple[int, Record]] = {}
        #: relations by the class whose reference field feeds them: cls -> [(field, target cls, set field)]
        self._feeds: dict[str, list[tuple[str, str]]] = {}
        for rel in model.relations:
            self._feeds.setdefault(rel.other_cls, []).append((rel.ref_field, rel.cls))
        #: classes whose stored record is exactly the wire record (no derived sets, no hidden fields):
        #: record() hands out the stored dict itself instead of a copy per object (issue 12)
        self._stored_is_wire: set[str] = set()
        #: how record() builds each class's wire record (worked out once, not per record: the first
        #: query after a restart builds 10 000 VM records; issue 12): a record of the wire fields in
        #: order to copy, one C-level fetch of the stored ones, and where the derived sets go among them
        self._wire_plans: dict[str, tuple[Record, Callable[[Record], tuple[Any, ...]], tuple[tuple[int, str], ...]]] = {}
        for name in model.classes:
            wire = [f.name for f in model.wire_fields(name)]
            derived_at = tuple((at, f) for at, f in enumerate(wire) if (name, f) in model.derived)
            fetched = tuple(f for f in wire if (name, f) not in model.derived)
            self._wire_plans[name] = (dict.fromkeys(wire), _getter(fetched), derived_at)
        for name, cls in model.classes.items():
            if not cls.in_db:
                continue
            stored = [f.name for f in model.stored_fields(name)]
            if stored == [f.name for f in model.wire_fields(name)]:
                self._stored_is_wire.add(name)
            ref_fields = [f.name for f in cls.fields if f.type.kind is Kind.REF and f.name in stored]
            self.tables[name] = _Table(cls, stored, ref_fields)

    # ----------------------------------------------------------------- loading

    def load(self) -> int:
        """Fill the tables from the backend; returns the number of objects loaded.

        A db written under another datamodel schema is migrated first (and the
        migrated objects written back), or refused with :class:`SchemaError`;
        a record whose fields are not exactly the schema's is refused too.
        """
        current = schema_hash(self.model)
        objects = list(self.backend.load())
        written_under = self.backend.get_meta(migrate.META_KEY)
        if written_under is None:
            written_under = migrate.RELEASE_0_1_0 if objects else current
        if written_under != current:
            objects = migrate.migrate(objects, written_under, self.model)
            self.backend.write(objects, ())
        self.backend.set_meta(migrate.META_KEY, current)
        fields = migrate.stored_schema(self.model)
        # one pass with the per-class lookups hoisted: 60 000 objects at 10 000 VMs, every
        # attribute and call per object a visible part of a restart (issue 12)
        tables, class_of, version, intern = self.tables, self.class_of, self.version, sys.intern
        last_cls = None
        table: _Table | None = None
        want: Any = None
        shared: tuple[str, ...] = ()
        count = 0
        for obj in objects:
            cls, rec = obj.cls, obj.record
            if cls != last_cls:
                table = tables.get(cls)
                if table is None:
                    raise migrate.SchemaError(f"the db holds a {cls} object, a class this datamodel does not store")
                want, shared, last_cls = fields[cls].keys(), tuple(table.shared), cls
            assert table is not None
            ref = intern(obj.ref)
            if rec.keys() != want:  # key views compare as sets, without building any
                migrate.check_record(StoredObject(cls, ref, rec), fields[cls])
            for name in shared:
                value = rec.get(name)
                if type(value) is str:
                    rec[name] = intern(value)
            table.rows[ref] = rec
            table.index(ref, rec)
            class_of[ref] = cls
            version[ref] = 0
            count += 1
        return count

    # ------------------------------------------------------------------- reads

    def table(self, cls: str) -> _Table:
        return self.tables[cls]

    def exists(self, cls: str, ref: str) -> bool:
        return ref in self.tables[cls].rows

    def get(self, cls: str, ref: str) -> Record:
        """The stored record (do not mutate); HANDLE_INVALID if there is none."""
        try:
            return self.tables[cls].rows[ref]
        except KeyError:
            raise ApiError("HANDLE_INVALID", cls, ref) from None

    def find(self, cls: str, ref: str) -> Record | None:
        """The stored record (do not mutate), None if there is none: one lookup where ``exists`` and
        ``get`` would make two (every VM's checks at start-up, issue 12)."""
        return self.tables[cls].rows.get(ref)

    def refs(self, cls: str) -> list[str]:
        return list(self.tables[cls].rows)

    def field(self, cls: str, ref: str, name: str) -> Any:
        rec = self.get(cls, ref)
        if name in rec:
            return rec[name]
        return self.derived(cls, ref, name)

    def derived(self, cls: str, ref: str, name: str) -> list[str]:
        rel = self.model.derived[(cls, name)]
        other = self.tables.get(rel.other_cls)
        if other is None:
            return []
        return list(other.by_ref_field[rel.ref_field].get(ref, ()))

    def record(self, cls: str, ref: str) -> Record:
        """The whole record as clients see it: stored fields plus derived sets, hidden fields left out.

        The result is cached until the object changes and shared between callers: do not mutate it.
        Where the wire record has exactly the stored fields it is the stored record itself.
        """
        if cls in self._stored_is_wire:
            return self.get(cls, ref)
        cached = self._records.get(ref)
        if cached is not None and cached[0] == self.version.get(ref, -1):
            return cached[1]
        rec = self.get(cls, ref)
        template, stored_of, derived_at = self._wire_plans[cls]
        try:
            values = list(stored_of(rec))
        except KeyError:  # a stored field missing: field by field, with its initial value
            out = self._record_slowly(cls, ref, rec)
        else:
            for at, name in derived_at:
                values.insert(at, self.derived(cls, ref, name))
            out = template.copy()  # its keys in order, at their final size: no rehash as it fills
            out.update(zip(template, values, strict=True))
        if self._batch is None and ref in self.version:
            self._records[ref] = (self.version[ref], out)
        return out

    def _record_slowly(self, cls: str, ref: str, rec: Record) -> Record:
        out: Record = {}
        for f in self.model.wire_fields(cls):
            name = f.name
            if name in rec:
                out[name] = rec[name]
            elif (cls, name) in self.model.derived:
                out[name] = self.derived(cls, ref, name)
            else:
                out[name] = f.initial()
        return out

    def by_uuid(self, cls: str, uuid: str) -> str:
        try:
            return self.tables[cls].by_uuid[uuid]
        except KeyError:
            raise ApiError("UUID_INVALID", cls, uuid) from None

    def by_name_label(self, cls: str, label: str) -> list[str]:
        return list(self.tables[cls].by_name.get(label, ()))

    def referrers(self, cls: str, field: str, target: str) -> list[str]:
        """Objects of ``cls`` whose reference ``field`` names ``target`` (an index lookup)."""
        return list(self.tables[cls].by_ref_field[field].get(target, ()))

    def before_batch(self, ref: str) -> Record | None:
        """Inside a batch (a finisher): the object's stored record as it was before the batch, None if
        the batch created it. Records are replaced, never changed in place, so this is the old one itself."""
        batch = self._batch
        assert batch is not None, "before_batch outside a batch"
        if ref in batch.undo:
            return batch.undo[ref][1]
        cls = self.class_of.get(ref)
        return None if cls is None else self.tables[cls].rows.get(ref)

    # ------------------------------------------------------------------ writes

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group writes: all commit (durably, then on the change feed) or none do."""
        if self._batch is not None:
            yield
            return
        batch = self._batch = _Batch()
        try:
            yield
            for finish in self._finishers:
                finish([(cls, ref) for ref, (cls, _op, _last) in list(batch.ops.items())])
        except BaseException:
            self._batch = None
            self._undo(batch)
            raise
        self._batch = None
        self._commit(batch)

    def create(self, cls: str, values: Record | None = None, ref: str | None = None) -> str:
        """Add an object; omitted fields take their defaults, ``uuid`` a fresh one."""
        table = self.tables[cls]
        ref = sys.intern(ref or new_ref())  # the same object as the references to it (share_strings)
        rec: Record = {}
        given = values or {}
        for f in self.model.stored_fields(cls):
            rec[f.name] = given[f.name] if f.name in given else f.initial()
        if "uuid" in rec and not rec["uuid"]:
            rec["uuid"] = new_uuid()
        share_strings(rec, table.shared)
        with self.batch():
            self._note(cls, ref, None)
            table.rows[ref] = rec
            table.index(ref, rec)
            self.class_of[ref] = cls
            self._touch(cls, ref, "add")
            self._touch_related(cls, rec)
        return ref

    def update(self, cls: str, ref: str, **values: Any) -> None:
        """Change some stored fields of an object."""
        table = self.tables[cls]
        old = self.get(cls, ref)
        new = dict(old)
        new.update(values)
        if not table.shared.isdisjoint(values):
            share_strings(new, table.shared.intersection(values))
        with self.batch():
            self._note(cls, ref, old)
            table.unindex(ref, old)
            table.rows[ref] = new
            table.index(ref, new)
            self._touch(cls, ref, "mod")
            self._touch_related_change(cls, old, new)

    def set(self, cls: str, ref: str, name: str, value: Any) -> None:
        self.update(cls, ref, **{name: value})

    def destroy(self, cls: str, ref: str) -> None:
        table = self.tables[cls]
        old = self.get(cls, ref)
        with self.batch():
            self._note(cls, ref, old)
            table.unindex(ref, old)
            del table.rows[ref]
            self.class_of.pop(ref, None)
            self._touch(cls, ref, "del", last=old)
            self._touch_related(cls, old)

    def apply_remote(self, upserts: list[StoredObject], deletes: list[str]) -> None:
        """Another pool member's committed batch (fed by the backend's watch): into the tables and onto
        the change feed, without writing it back or running finishers (its writer did both)."""
        assert self._batch is None, "a remote batch arrived inside a local one"
        batch = self._batch = _Batch()
        try:
            for obj in upserts:
                table = self.tables.get(obj.cls)
                if table is None:
                    continue
                old = table.rows.get(obj.ref)
                share_strings(obj.record, table.shared)
                self._note(obj.cls, obj.ref, old)
                if old is not None:
                    table.unindex(obj.ref, old)
                table.rows[obj.ref] = obj.record
                table.index(obj.ref, obj.record)
                self.class_of[obj.ref] = obj.cls
                self._touch(obj.cls, obj.ref, "add" if old is None else "mod")
                if old is None:
                    self._touch_related(obj.cls, obj.record)
                else:
                    self._touch_related_change(obj.cls, old, obj.record)
            for ref in deletes:
                cls = self.class_of.get(ref)
                if cls is not None:
                    self.destroy(cls, ref)
        except BaseException:
            self._batch = None
            self._undo(batch)
            raise
        self._batch = None
        self._commit(batch, durable=False)

    # ------------------------------------------------------------ change feed

    def add_finisher(self, finish: Finisher) -> Callable[[], None]:
        """Call ``finish(touched)`` at the end of every batch, before it commits: what it writes joins
        the batch (derived fields such as ``allowed_operations`` change in the same commit and event).
        Returns a function that removes it."""
        self._finishers.append(finish)
        return lambda: self._finishers.remove(finish)

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback`` with each committed batch of changes; returns an unsubscribe function."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback)

    # ---------------------------------------------------------------- internals

    def _note(self, cls: str, ref: str, old: Record | None) -> None:
        batch = self._batch
        assert batch is not None
        if ref not in batch.undo:
            batch.undo[ref] = (cls, old)

    def _touch(self, cls: str, ref: str, op: str, last: Record | None = None) -> None:
        batch = self._batch
        assert batch is not None
        self._records.pop(ref, None)
        prev = batch.ops.get(ref)
        if prev is None:
            batch.ops[ref] = (cls, op, last)
        elif op == "del":
            batch.ops[ref] = (cls, "del" if prev[1] != "add" else "gone", last)
        # add then mod stays add; mod then mod stays mod

    def _touch_related(self, cls: str, rec: Record) -> None:
        """The derived sets on the other side of ``rec``'s reference fields changed."""
        for ref_field, target_cls in self._feeds.get(cls, ()):
            target = rec.get(ref_field, NULL_REF)
            if target != NULL_REF and target in self.tables[target_cls].rows:
                self._touch(target_cls, target, "mod")

    def _touch_related_change(self, cls: str, old: Record, new: Record) -> None:
        for ref_field, target_cls in self._feeds.get(cls, ()):
            a, b = old.get(ref_field, NULL_REF), new.get(ref_field, NULL_REF)
            if a != b:
                for target in (a, b):
                    if target != NULL_REF and target in self.tables[target_cls].rows:
                        self._touch(target_cls, target, "mod")

    def _undo(self, batch: _Batch) -> None:
        for ref in batch.ops:
            self._records.pop(ref, None)
        for ref, (cls, old) in reversed(list(batch.undo.items())):
            table = self.tables[cls]
            current = table.rows.pop(ref, None)
            if current is not None:
                table.unindex(ref, current)
            if old is None:
                self.class_of.pop(ref, None)
            else:
                table.rows[ref] = old
                table.index(ref, old)
                self.class_of[ref] = cls

    def _commit(self, batch: _Batch, durable: bool = True) -> None:
        if not batch.ops:
            return
        upserts: list[StoredObject] = []
        deletes: list[str] = []
        for ref, (cls, op, _last) in batch.ops.items():
            if not self.tables[cls].cls.persistent:
                continue
            if op in ("del", "gone"):
                deletes.append(ref)
            elif ref in batch.undo or op == "add":
                upserts.append(StoredObject(cls, ref, self.tables[cls].rows[ref]))
        if durable and (upserts or deletes):
            try:
                self.backend.write(upserts, deletes)
            except BaseException:
                self._undo(batch)
                raise
        changes: list[Change] = []
        for ref, (cls, op, last) in batch.ops.items():
            if op == "gone":
                self.version.pop(ref, None)
                continue
            self.gen += 1
            if op == "del":
                self.version.pop(ref, None)
                self._records.pop(ref, None)
            else:
                self.version[ref] = self.gen
            changes.append(Change(self.gen, cls, op, ref, last))
        for subscriber in list(self._subscribers):
            subscriber(changes)


class _Batch:
    __slots__ = ("ops", "undo")

    def __init__(self) -> None:
        #: ref -> (class, op, last record for deletes), in order of first touch
        self.ops: dict[str, tuple[str, str, Record | None]] = {}
        #: ref -> (class, record before the batch or None if it did not exist)
        self.undo: dict[str, tuple[str, Record | None]] = {}
