"""The datamodel's schema hash: reported, recorded in the db, and a db from another schema migrated or refused.

``tests/fixtures/db-0.1.0.sql`` is a db written by xenia 0.1.0 (the release before schema hashes):
a VM cloned from "Debian Bookworm 12", provisioned, started and shut down, with
``other_config = {"fixture": "previous release"}``, root's password ``old-release-pw``.
"""

from __future__ import annotations

import dataclasses
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import XenAPI

from xenia.datamodel import MODEL, Model
from xenia.datamodel.meta import RUN
from xenia.datamodel.schema import schema_hash
from xenia.db import Db, SqliteBackend
from xenia.db.migrate import RELEASE_0_1_0, SchemaError, snapshot_path
from xenia.testing.daemon import DaemonProcess

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "db-0.1.0.sql"


def old_db(state_dir: Path) -> Path:
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / "xenia.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(FIXTURE.read_text())
    return path


def meta(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT key, value FROM meta").fetchall())


def test_the_current_schema_is_recorded_for_future_migrations() -> None:
    assert snapshot_path(schema_hash()).exists(), (
        "the datamodel changed: record its schema with `make schema` and commit src/xenia/db/schemas/"
    )


def test_the_hash_ignores_docs_and_follows_fields() -> None:
    vm = MODEL.classes["VM"]
    reworded = dataclasses.replace(vm, doc="another wording")
    assert schema_hash(_with_class(reworded)) == schema_hash()
    grown = dataclasses.replace(vm, fields=(*vm.fields, RUN("xenia_new_field", "int", 7)))
    assert schema_hash(_with_class(grown)) != schema_hash()


def _with_class(cls: object) -> Model:
    assert isinstance(cls, type(MODEL.classes["VM"]))
    return Model({**MODEL.classes, cls.name: cls}, MODEL.enums, MODEL.errors, MODEL.relations)


def test_a_previous_release_db_is_migrated_and_served(tmp_path: Path) -> None:
    state = tmp_path / "state"
    path = old_db(state)
    assert "schema" not in meta(path)
    with DaemonProcess(state_dir=state, env={"XENIA_ROOT_PASSWORD": "unused"}) as d:
        session = XenAPI.Session(d.url)
        session.xenapi.login_with_password("root", "old-release-pw", "2.0", "schema-test")
        api = session.xenapi
        (vm,) = api.VM.get_by_name_label("written-by-0.1.0")
        rec = api.VM.get_record(vm)
        assert rec["other_config"] == {"fixture": "previous release"} and rec["power_state"] == "Halted"
        assert len(rec["VBDs"]) >= 1
        host = api.host.get_all()[0]
        reported = api.host.get_software_version(host)["db_schema"]
    assert re.fullmatch(r"[0-9a-f]{16}", reported)
    assert meta(path)["schema"] == reported == schema_hash()


def test_a_field_added_to_the_datamodel_gets_its_default_in_old_records(tmp_path: Path) -> None:
    vm = MODEL.classes["VM"]
    grown = _with_class(dataclasses.replace(vm, fields=(*vm.fields, RUN("xenia_new_field", "int", 7))))
    path = old_db(tmp_path / "state")
    db = Db(grown, SqliteBackend(path))
    assert db.load() > 0
    vms = [db.get("VM", ref) for ref in db.refs("VM")]
    assert vms and all(rec["xenia_new_field"] == 7 for rec in vms)
    (old,) = [rec for rec in vms if rec["name_label"] == "written-by-0.1.0"]
    assert old["other_config"] == {"fixture": "previous release"}
    db.backend.close()
    assert meta(path)["schema"] == schema_hash(grown)


def test_a_db_from_an_unknown_schema_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    state = tmp_path / "state"
    path = old_db(state)
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('schema', 'feedfacecafebeef')")
    done = subprocess.run([sys.executable, "-m", "xenia.cli.main", "serve", "--state-dir", str(state),
                           "--listen", "127.0.0.1:0"], capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2
    assert "feedfacecafebeef" in done.stderr and "does not know" in done.stderr


def test_a_record_with_fields_the_schema_does_not_have_is_refused(tmp_path: Path) -> None:
    path = old_db(tmp_path / "state")
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('schema', ?)", (RELEASE_0_1_0,))
    db = Db(MODEL, SqliteBackend(path))
    db.load()  # migrated and written back under the current schema
    db.backend.close()
    with sqlite3.connect(path) as conn:
        ref, data = conn.execute("SELECT ref, data FROM objects WHERE cls = 'VM' LIMIT 1").fetchone()
        conn.execute("UPDATE objects SET data = ? WHERE ref = ?", (data[:-1] + b',"smuggled":1}', ref))
    with pytest.raises(SchemaError, match="extra: smuggled"):
        Db(MODEL, SqliteBackend(path)).load()
