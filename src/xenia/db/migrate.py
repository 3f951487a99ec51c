"""Bring a db written under an older datamodel to the current one, or refuse to load it.

The db records the schema hash it was written under (``xenia.datamodel.schema``).
Every schema that ever reached main is recorded beside this module
(``schemas/<hash>.json``: each class's stored fields and their types), so a
db from any of them can be migrated: a field the current datamodel added gets
its declared default, a field it removed is dropped, and a field whose type
changed needs a converter written for that change (``CONVERTERS``) or the
daemon refuses to start.  A db from a schema this xenia does not know (a newer
release, say) is refused with a message saying so.  Nothing is ever loaded
with fields missing or extra.

Why a recorded snapshot per schema rather than hand-written steps: most
datamodel changes only add fields or messages, and the snapshot lets that
common case migrate by itself while still failing loudly on the rare change
(a type, a removed class) that needs a human.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xenia
from xenia.datamodel import MODEL, Model
from xenia.datamodel.schema import schema_hash
from xenia.db.backend import StoredObject

SCHEMA_DIR = Path(__file__).parent / "schemas"
#: the meta key the db keeps its schema hash under
META_KEY = "schema"
#: dbs written before schema hashes existed (xenia 0.1.0) have no meta key; this was their schema
RELEASE_0_1_0 = "ada7e54a9782f34d"

#: (from schema, class, field) -> converter of a stored value, for fields whose type changed
Converter = Callable[[Any], Any]
CONVERTERS: dict[tuple[str, str, str], Converter] = {}


class SchemaError(Exception):
    """The db cannot be loaded under this datamodel; the message says why and what to do."""


@dataclass(frozen=True)
class Snapshot:
    """A recorded schema: per class, its stored fields and their types."""

    schema: str
    release: str
    stored: dict[str, dict[str, str]]


def stored_schema(model: Model = MODEL) -> dict[str, dict[str, str]]:
    return {
        name: {f.name: f.type_text for f in model.stored_fields(name)}
        for name, cls in sorted(model.classes.items())
        if cls.in_db and cls.persistent
    }


def snapshot_path(schema: str) -> Path:
    return SCHEMA_DIR / f"{schema}.json"


def record_current(model: Model = MODEL) -> Path:
    """Write the current schema's snapshot (``make schema`` after a datamodel change)."""
    schema = schema_hash(model)
    path = snapshot_path(schema)
    doc = {"schema": schema, "release": xenia.__version__, "stored": stored_schema(model)}
    path.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
    return path


def load_snapshot(schema: str) -> Snapshot | None:
    path = snapshot_path(schema)
    if not path.exists():
        return None
    doc = json.loads(path.read_text())
    return Snapshot(doc["schema"], doc["release"], doc["stored"])


def migrate(objects: Iterable[StoredObject], stored_schema_hash: str, model: Model = MODEL) -> list[StoredObject]:
    """The objects of a db written under ``stored_schema_hash``, as the current datamodel stores them."""
    old = load_snapshot(stored_schema_hash)
    current = schema_hash(model)
    if old is None:
        raise SchemaError(
            f"the db was written under datamodel schema {stored_schema_hash}, which this xenia "
            f"({xenia.__version__}, schema {current}) does not know; run the xenia that wrote it, or a newer one"
        )
    new_fields = stored_schema(model)
    out: list[StoredObject] = []
    for obj in objects:
        if obj.cls not in new_fields:
            raise SchemaError(f"the db holds {obj.cls} objects, a class schema {current} no longer stores")
        out.append(StoredObject(obj.cls, obj.ref, _migrate_record(obj, old, new_fields[obj.cls], model)))
    return out


def _migrate_record(obj: StoredObject, old: Snapshot, fields: dict[str, str], model: Model) -> dict[str, Any]:
    before = old.stored.get(obj.cls, {})
    cls = model.cls(obj.cls)
    rec: dict[str, Any] = {}
    for name, type_text in fields.items():
        if name not in before:
            rec[name] = cls.by_name[name].initial()
        elif before[name] == type_text:
            rec[name] = obj.record[name]
        else:
            convert = CONVERTERS.get((old.schema, obj.cls, name))
            if convert is None:
                raise SchemaError(
                    f"{obj.cls}.{name} changed type from {before[name]} to {type_text} since schema {old.schema} "
                    "and no converter is declared for it (xenia.db.migrate.CONVERTERS)"
                )
            rec[name] = convert(obj.record[name])
    return rec


def check_record(obj: StoredObject, fields: dict[str, str]) -> None:
    """Refuse a record whose fields are not exactly what the current schema stores."""
    if obj.record.keys() != fields.keys():  # key views compare as sets, without building any
        have, want = set(obj.record), set(fields)
        missing = ", ".join(sorted(want - have)) or "none"
        extra = ", ".join(sorted(have - want)) or "none"
        raise SchemaError(f"{obj.cls} {obj.ref} does not match the db's schema (missing: {missing}; extra: {extra})")
