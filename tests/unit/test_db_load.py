"""The db's start-up load, in-process: a db file of an older schema migrated and stamped, a file it cannot
read refused before anything is loaded, and what is loaded indexed and held as the running db holds it.

``tests/fixtures/db-0.1.0.sql`` is a db written by xenia 0.1.0 (the release before schema hashes; see
``tests/functional/test_schema.py``, which serves it through a daemon): 32 objects, among them the VM
``written-by-0.1.0`` with ``other_config = {"fixture": "previous release"}`` and a VBD.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

import orjson
import pytest

from xenia.datamodel import MODEL, Model
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF, RUN
from xenia.datamodel.schema import schema_hash
from xenia.db import Change, Db, SqliteBackend
from xenia.db.backend import StoredObject
from xenia.db.migrate import RELEASE_0_1_0, SCHEMA_DIR, SchemaError, snapshot_path, stored_schema

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "db-0.1.0.sql"


def old_db(tmp_path: Path, schema: str | None = None) -> Path:
    """The 0.1.0 db as a file, stamped with ``schema`` if given (0.1.0 itself wrote no stamp)."""
    path = tmp_path / "xenia.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(FIXTURE.read_text())
        if schema is not None:
            conn.execute("INSERT INTO meta(key, value) VALUES ('schema', ?)", (schema,))
    return path


def rows(path: Path) -> dict[str, tuple[str, dict[str, object]]]:
    """The objects as the file holds them: ref -> (class, record)."""
    with sqlite3.connect(path) as conn:
        return {ref: (cls, orjson.loads(data)) for ref, cls, data in conn.execute("SELECT ref, cls, data FROM objects")}


def stamp(path: Path) -> str | None:
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    return None if row is None else str(row[0])


def test_loaded_objects_are_cached_changed_and_deleted_like_created_ones(tmp_path: Path) -> None:
    """A loaded object's record is cached until it changes, and its first change (generation 1 of this
    run) is seen at once; references and enum values read from the file are held once, as the db holds
    the references it makes (issue 12: a reference costs nothing per object that names it)."""
    path = old_db(tmp_path)
    db = Db(MODEL, SqliteBackend(path))
    db.load()
    seen: list[Change] = []
    db.subscribe(seen.extend)
    (vm,) = db.by_name_label("VM", "written-by-0.1.0")
    first = db.record("VM", vm)
    assert db.record("VM", vm) is first
    (vbd,) = first["VBDs"]
    assert db.get("VBD", vbd)["VM"] is vm  # the VBD's reference is the VM's own ref string
    halted = [state for ref in db.refs("VM") if (state := db.get("VM", ref)["power_state"]) == "Halted"]
    assert len(halted) == 5 and all(state is halted[0] for state in halted)
    # a null reference names nothing: no bucket of every halted VM in the index. (This test comes first: a
    # create interns the datamodel's own NULL_REF, and a load after it finds its null references identical
    # to that one; a daemon loads first, and then they are only equal.)
    assert db.referrers("VM", "resident_on", NULL_REF) == []
    assert db.gen == 0  # the generation counts this run's changes
    db.set("VM", vm, "name_label", "renamed")
    assert [(c.gen, c.op, c.ref) for c in seen] == [(1, "mod", vm)] and db.gen == 1
    assert db.record("VM", vm)["name_label"] == "renamed"
    uuid = first["uuid"]
    db.destroy("VBD", vbd)
    db.destroy("VM", "".join(vm))  # the ref as a client sends it: an equal string, not the same object
    with pytest.raises(ApiError, match="UUID_INVALID"):
        db.by_uuid("VM", uuid)
    assert db.by_name_label("VM", "renamed") == [] and not db.exists("VM", vm)
    db.backend.close()
    assert vm not in rows(path) and vbd not in rows(path)


@pytest.mark.parametrize("written_under", [None, RELEASE_0_1_0])
def test_a_db_of_the_previous_release_is_migrated_written_back_and_stamped(
    tmp_path: Path, written_under: str | None
) -> None:
    """Unstamped with objects in it means 0.1.0; either way every record gains the fields added since (with
    their declared defaults), keeps every value it had, and goes back to the file under the current stamp."""
    path = old_db(tmp_path, written_under)
    before = rows(path)
    db = Db(MODEL, SqliteBackend(path))
    assert db.load() == len(before) == 32
    db.backend.close()
    assert stamp(path) == schema_hash()
    after = rows(path)
    fields = stored_schema()
    assert after.keys() == before.keys()
    for ref, (cls, rec) in after.items():
        assert set(rec) == set(fields[cls]), f"{cls} {ref} written back with the old fields"
        assert {k: v for k, v in rec.items() if k in before[ref][1]} == before[ref][1]
        assert db.get(cls, ref) == rec
    (vm,) = db.by_name_label("VM", "written-by-0.1.0")
    vm_rec = db.record("VM", vm)
    assert "xenia_live" not in before[vm][1] and after[vm][1]["xenia_live"] == ""  # added since, its default
    assert vm_rec["other_config"] == {"fixture": "previous release"} and vm_rec["power_state"] == "Halted"
    assert db.by_uuid("VM", vm_rec["uuid"]) == vm
    (vbd,) = vm_rec["VBDs"]
    assert db.get("VBD", vbd)["VM"] == vm
    again = Db(MODEL, SqliteBackend(path))  # stamped now: loaded as it is
    assert again.load() == 32 and again.record("VM", vm) == vm_rec


def test_a_new_empty_db_is_stamped_with_the_current_schema(tmp_path: Path) -> None:
    db = Db(MODEL, SqliteBackend(tmp_path / "xenia.db"))
    assert db.load() == 0
    db.backend.close()
    assert stamp(tmp_path / "xenia.db") == schema_hash()


def test_a_db_of_an_unknown_schema_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    path = old_db(tmp_path, "feedfacecafebeef")
    before = rows(path)
    db = Db(MODEL, SqliteBackend(path))
    with pytest.raises(SchemaError, match="feedfacecafebeef.*does not know"):
        db.load()
    db.backend.close()
    assert db.refs("VM") == [] and stamp(path) == "feedfacecafebeef" and rows(path) == before


def test_an_unmigrated_record_under_the_current_stamp_is_refused(tmp_path: Path) -> None:
    """Stamped current, the records are taken as they are: a 0.1.0 VM record lacks a field and is refused
    (nothing is ever loaded with fields missing)."""
    path = old_db(tmp_path, schema_hash())
    with pytest.raises(SchemaError, match=r"does not match the db's schema \(missing: \w"):  # (xenia_live, ...)
        Db(MODEL, SqliteBackend(path)).load()


def test_an_object_of_a_class_the_datamodel_does_not_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "xenia.db"
    db = Db(MODEL, SqliteBackend(path))
    db.load()
    db.create("VM", {"name_label": "kept"})
    db.backend.close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO objects(ref, cls, data) VALUES ('OpaqueRef:x', 'xenia_gone', '{}')")
    with pytest.raises(SchemaError, match="xenia_gone object, a class this datamodel does not store"):
        Db(MODEL, SqliteBackend(path)).load()


def test_a_datamodel_not_yet_recorded_loads_the_db_it_wrote(tmp_path: Path) -> None:
    """A datamodel edited but not yet recorded (``make schema`` not run: no snapshot of its schema) still
    loads a db stamped with its own schema: only a db of another schema needs a snapshot to migrate."""
    vm = MODEL.classes["VM"]
    grown = Model({**MODEL.classes, "VM": dataclasses.replace(vm, fields=(*vm.fields, RUN("xenia_new_field", "int", 7)))},
                  MODEL.enums, MODEL.errors, MODEL.relations)  # fmt: skip
    assert not snapshot_path(schema_hash(grown)).exists()
    db = Db(grown, SqliteBackend(tmp_path / "xenia.db"))
    db.load()
    ref = db.create("VM", {"name_label": "kept"})
    db.backend.close()
    again = Db(grown, SqliteBackend(tmp_path / "xenia.db"))
    assert again.load() == 1
    assert again.get("VM", ref)["xenia_new_field"] == 7


def test_a_db_of_a_recorded_schema_is_migrated_whichever_way_its_hash_sorts(tmp_path: Path) -> None:
    """Whichever recorded schema stamped the db (a hash has no order: one sorting below the current and one
    above), its records come out with exactly the current fields, keeping the values both schemas have."""
    current = schema_hash()
    vm_fields = stored_schema()["VM"]
    vm_cls = MODEL.cls("VM")
    recorded = sorted(p.stem for p in SCHEMA_DIR.glob("*.json") if p.stem != current)
    assert len(recorded) >= 10
    for schema in {recorded[0], recorded[-1]}:
        old_fields = json.loads(snapshot_path(schema).read_text())["stored"]["VM"]
        rec = {name: vm_cls.by_name[name].initial() if name in vm_fields else None for name in old_fields}
        rec.update(uuid="0f5e6b0c-1d5e-4c4a-9a57-3e4b2b1c0d9e", name_label=f"from {schema}")
        backend = SqliteBackend(tmp_path / f"{schema}.db")
        backend.write([StoredObject("VM", "OpaqueRef:old", rec)], [])
        backend.set_meta("schema", schema)
        db = Db(MODEL, backend)
        assert db.load() == 1, schema
        got = db.get("VM", "OpaqueRef:old")
        assert set(got) == set(vm_fields) and got["name_label"] == f"from {schema}", schema
        assert backend.get_meta("schema") == current
        backend.close()
