"""The db: batches commit whole or not at all, indexes and derived sets follow every write, reload is exact."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from xenia.datamodel import MODEL
from xenia.datamodel.errors import ApiError
from xenia.db import Change, Db, SqliteBackend
from xenia.db.backend import MemoryBackend, StoredObject


def test_create_fills_defaults_and_uuid() -> None:
    db = Db(MODEL)
    vm = db.create("VM", {"name_label": "a"})
    rec = db.record("VM", vm)
    assert rec["name_label"] == "a"
    assert len(rec["uuid"]) == 36
    assert rec["power_state"] == "Halted"  # xapi's declared default
    assert rec["VBDs"] == [] and rec["other_config"] == {}
    assert db.by_uuid("VM", rec["uuid"]) == vm
    assert db.by_name_label("VM", "a") == [vm]


def test_derived_sets_follow_references() -> None:
    db = Db(MODEL)
    vm1, vm2 = db.create("VM"), db.create("VM")
    vbd = db.create("VBD", {"VM": vm1})
    assert db.field("VM", vm1, "VBDs") == [vbd]
    db.set("VBD", vbd, "VM", vm2)  # (not allowed through the API, but the index must follow)
    assert db.field("VM", vm1, "VBDs") == [] and db.field("VM", vm2, "VBDs") == [vbd]
    db.destroy("VBD", vbd)
    assert db.field("VM", vm2, "VBDs") == []


def test_failed_batch_is_undone_and_publishes_nothing() -> None:
    db = Db(MODEL)
    vm = db.create("VM", {"name_label": "before"})
    kept = db.create("VBD", {"VM": vm})
    seen: list[Change] = []
    db.subscribe(seen.extend)
    with pytest.raises(RuntimeError), db.batch():
        db.set("VM", vm, "name_label", "after")
        vbd = db.create("VBD", {"VM": vm})
        db.destroy("VBD", kept)
        raise RuntimeError("boom")
    assert db.get("VM", vm)["name_label"] == "before"
    assert db.by_name_label("VM", "after") == [] and db.by_name_label("VM", "before") == [vm]
    assert db.field("VM", vm, "VBDs") == [kept] and db.class_of.get(kept) == "VBD"  # the destroyed one is back
    assert not db.exists("VBD", vbd) and vbd not in db.class_of
    assert db.by_uuid("VBD", db.get("VBD", kept)["uuid"]) == kept
    assert seen == []


def test_a_finisher_sees_what_a_batch_touched_and_its_writes_join_the_batch() -> None:
    """A finisher (how ``allowed_operations`` follows a change) is called once per batch, before the
    commit, with every object the batch touched; what it writes is in the same commit: one change per
    object. Once removed it is called no more; an unsubscribed callback hears nothing more."""
    db = Db(MODEL)
    vm = db.create("VM")
    calls: list[list[tuple[str, str]]] = []

    def finish(touched: list[tuple[str, str]]) -> None:
        calls.append(touched)
        for cls, ref in touched:
            if cls == "VM":
                db.set("VM", ref, "name_description", "finished")

    remove = db.add_finisher(finish)
    seen: list[Change] = []
    unsubscribe = db.subscribe(seen.extend)
    vbd = db.create("VBD", {"VM": vm})
    assert calls == [[("VBD", vbd), ("VM", vm)]]
    assert [(c.cls, c.op, c.ref) for c in seen] == [("VBD", "add", vbd), ("VM", "mod", vm)]
    assert db.get("VM", vm)["name_description"] == "finished"
    remove()
    unsubscribe()
    db.set("VM", vm, "name_description", "plain")
    assert len(calls) == 1 and len(seen) == 2 and db.get("VM", vm)["name_description"] == "plain"


def test_a_given_uuid_is_kept() -> None:
    db = Db(MODEL)
    vm = db.create("VM", {"uuid": "6c8b2b6e-3b51-4a47-9d1b-2f1d6a0e4f11"})
    assert db.by_uuid("VM", "6c8b2b6e-3b51-4a47-9d1b-2f1d6a0e4f11") == vm


def test_change_feed_collapses_a_batch() -> None:
    db = Db(MODEL)
    vm = db.create("VM")
    seen: list[Change] = []
    db.subscribe(seen.extend)
    with db.batch():
        db.set("VM", vm, "name_label", "x")
        db.set("VM", vm, "name_label", "y")
        vbd = db.create("VBD", {"VM": vm})
    assert [(c.cls, c.op, c.ref) for c in seen] == [("VM", "mod", vm), ("VBD", "add", vbd)]
    assert seen[0].gen < seen[1].gen
    seen.clear()
    with db.batch():
        tmp = db.create("VBD", {"VM": vm})
        db.destroy("VBD", tmp)
    assert [(c.cls, c.op) for c in seen] == [("VM", "mod")]


def test_records_are_cached_until_changed() -> None:
    db = Db(MODEL)
    vm = db.create("VM", {"name_label": "a"})
    first = db.record("VM", vm)
    assert db.record("VM", vm) is first
    db.create("VBD", {"VM": vm})
    second = db.record("VM", vm)
    assert second is not first and len(second["VBDs"]) == 1
    assert db.record("VM", vm) is second  # cached again after the change


def test_a_record_with_nothing_derived_or_hidden_is_the_stored_one_itself() -> None:
    """A VBD's record as clients see it is exactly its stored fields: ``record`` hands out the stored
    dict, no copy per object per call (issue 12), and after a change the new one."""
    db = Db(MODEL)
    vbd = db.create("VBD", {"userdevice": "0"})
    assert db.record("VBD", vbd) is db.get("VBD", vbd)
    db.set("VBD", vbd, "userdevice", "1")
    assert db.record("VBD", vbd) is db.get("VBD", vbd) and db.record("VBD", vbd)["userdevice"] == "1"


def test_a_record_shows_its_derived_sets_and_never_a_hidden_field() -> None:
    """What a client reads: a VDI's ``VBDs`` and an SR's ``VDIs`` follow the references to them, and a
    user's password hash, stored beside its record, is never part of it."""
    db = Db(MODEL)
    sr = db.create("SR")
    vdi = db.create("VDI", {"SR": sr})
    vbd = db.create("VBD", {"VDI": vdi})
    assert db.record("VDI", vdi)["VBDs"] == [vbd] and db.record("SR", sr)["VDIs"] == [vdi]
    user = db.create("user", {"short_name": "alice", "password_hash": "$6$secret"})
    assert "password_hash" not in db.record("user", user) and db.get("user", user)["password_hash"] == "$6$secret"


def test_an_object_changed_then_destroyed_in_one_batch_is_deleted(tmp_path: Path) -> None:
    """The batch's last word counts: a ``del`` (with the record it had) is published and the object is gone
    from the file too."""
    db = Db(MODEL, SqliteBackend(tmp_path / "x.db"))
    vm = db.create("VM", {"name_label": "a"})
    seen: list[Change] = []
    db.subscribe(seen.extend)
    with db.batch():
        db.set("VM", vm, "name_label", "b")
        db.destroy("VM", vm)
    assert [(c.op, c.ref) for c in seen] == [("del", vm)] and seen[0].last is not None
    assert seen[0].last["name_label"] == "b"
    db.backend.close()
    again = Db(MODEL, SqliteBackend(tmp_path / "x.db"))
    assert again.load() == 0


def test_unknown_ref_is_handle_invalid() -> None:
    db = Db(MODEL)
    with pytest.raises(ApiError) as info:
        db.get("VM", "OpaqueRef:nope")
    assert info.value.description == ["HANDLE_INVALID", "VM", "OpaqueRef:nope"]


def test_sqlite_reload_is_exact_and_skips_memory_only_classes(tmp_path: Path) -> None:
    db = Db(MODEL, SqliteBackend(tmp_path / "x.db"))
    vm = db.create("VM", {"name_label": "kept", "other_config": {"k": "v"}, "VCPUs_max": 4})
    vbd = db.create("VBD", {"VM": vm})
    db.set("VM", vm, "other_config", {"k": "changed"})  # a change is written, not only a creation
    session = db.create("session", {"auth_user_name": "root"})
    gone = db.create("VM", {"name_label": "gone"})
    db.destroy("VM", gone)
    with db.batch():  # a memory-only object first in a batch: the stored one after it is still written
        db.create("session", {"auth_user_name": "root"})
        late = db.create("VM", {"name_label": "late"})
    db.backend.close()
    again = Db(MODEL, SqliteBackend(tmp_path / "x.db"))
    assert again.load() == 3
    assert again.field("VM", late, "name_label") == "late"
    assert again.record("VM", vm) == db.record("VM", vm) and again.field("VM", vm, "other_config") == {"k": "changed"}
    assert again.field("VM", vm, "VBDs") == [vbd]
    assert not again.exists("session", session)
    assert not again.exists("VM", gone)


def test_a_moved_reference_is_a_change_of_both_ends_and_never_of_a_destroyed_one() -> None:
    """A VBD moving between VMs changes both VMs' ``VBDs`` sets: each gets a ``mod`` (as xapi's db does
    for the objects on both sides of a one-to-many relation) and a record read after it, even one read
    before and cached, shows its new set. An end that no longer exists gets no change at all."""
    db = Db(MODEL)
    seen: list[Change] = []
    db.subscribe(seen.extend)
    for _ in range(8):  # refs are random: some sort below OpaqueRef:NULL, some above
        a, b = db.create("VM"), db.create("VM")
        seen.clear()
        vbd = db.create("VBD", {"VM": a})
        assert [(c.cls, c.op, c.ref) for c in seen] == [("VBD", "add", vbd), ("VM", "mod", a)]
        assert db.record("VM", a)["VBDs"] == [vbd] and db.record("VM", b)["VBDs"] == []  # both cached now
        seen.clear()
        db.set("VBD", vbd, "VM", b)
        assert sorted((c.cls, c.op, c.ref) for c in seen) == sorted([("VBD", "mod", vbd), ("VM", "mod", a),
                                                                     ("VM", "mod", b)])  # fmt: skip
        assert db.record("VM", a)["VBDs"] == [] and db.record("VM", b)["VBDs"] == [vbd]
        seen.clear()
        db.set("VBD", vbd, "userdevice", "1")  # the reference stays: the VMs did not change
        assert [(c.cls, c.op, c.ref) for c in seen] == [("VBD", "mod", vbd)]
        db.destroy("VM", b)  # the VBD now points at a destroyed VM
        seen.clear()
        db.set("VBD", vbd, "VM", a)  # and moves away from it
        assert sorted((c.cls, c.op, c.ref) for c in seen) == sorted([("VBD", "mod", vbd), ("VM", "mod", a)])
        db.destroy("VM", a)
        seen.clear()
        db.destroy("VBD", vbd)
        assert [(c.cls, c.op, c.ref) for c in seen] == [("VBD", "del", vbd)]


def test_a_destroyed_objects_uuid_is_uuid_invalid() -> None:
    """xapi's get_by_uuid of an object that is gone is UUID_INVALID, never the dead ref."""
    db = Db(MODEL)
    vm = db.create("VM")
    uuid = db.field("VM", vm, "uuid")
    db.destroy("VM", vm)
    with pytest.raises(ApiError) as err:
        db.by_uuid("VM", uuid)
    assert err.value.code == "UUID_INVALID"


def test_a_failed_durable_write_is_undone_and_publishes_nothing(tmp_path: Path) -> None:
    """A batch the backend cannot make durable (here its file is closed under it) is refused whole: the
    tables, indexes, derived sets and cached records are as before, and no change is published."""
    db = Db(MODEL, SqliteBackend(tmp_path / "x.db"))
    vm = db.create("VM", {"name_label": "before"})
    cached = db.record("VM", vm)
    seen: list[Change] = []
    db.subscribe(seen.extend)
    db.backend.close()
    with pytest.raises(sqlite3.ProgrammingError):
        with db.batch():
            db.set("VM", vm, "name_label", "after")
            db.create("VBD", {"VM": vm})
    assert seen == [] and db.gen == 1
    assert db.by_name_label("VM", "after") == [] and db.by_name_label("VM", "before") == [vm]
    assert db.record("VM", vm) == cached and db.refs("VBD") == []


def remote(source: Db, *refs: str) -> list[StoredObject]:
    """The objects another pool member committed, as its backend's watch hands them over."""
    return [StoredObject(source.class_of[ref], ref, dict(source.get(source.class_of[ref], ref))) for ref in refs]


def test_another_members_batches_are_applied_published_and_not_written_back() -> None:
    """A pool member's committed batch arrives from the backend: it enters the tables with its indexes and
    derived sets, is published like a local one (add, mod, del; an end of a moved reference as a mod),
    and is not written to the backend again (its writer did that)."""
    writer, member = Db(MODEL), Db(MODEL)
    seen: list[Change] = []
    member.subscribe(seen.extend)
    a, b = writer.create("VM", {"name_label": "a"}), writer.create("VM", {"name_label": "b"})
    vbd = writer.create("VBD", {"VM": a})
    future = StoredObject("xenia_future", "OpaqueRef:f", {})  # a class of a newer member: skipped, not the rest
    member.apply_remote([future, *remote(writer, a, b, vbd)], [])
    assert [(c.cls, c.op, c.ref) for c in seen] == [("VM", "add", a), ("VM", "add", b), ("VBD", "add", vbd)]
    assert member.record("VM", a)["VBDs"] == [vbd] and member.by_uuid("VM", writer.get("VM", b)["uuid"]) == b
    assert not member.exists("VM", "OpaqueRef:f") and isinstance(member.backend, MemoryBackend)
    assert member.backend.objects == {}
    seen.clear()
    writer.set("VM", a, "name_label", "renamed")
    writer.set("VBD", vbd, "VM", b)
    member.apply_remote(remote(writer, a, vbd), [])
    assert sorted((c.cls, c.op, c.ref) for c in seen) == sorted([("VM", "mod", a), ("VBD", "mod", vbd),
                                                                 ("VM", "mod", b)])  # fmt: skip
    assert member.by_name_label("VM", "a") == [] and member.by_name_label("VM", "renamed") == [a]
    assert member.record("VM", a)["VBDs"] == [] and member.record("VM", b)["VBDs"] == [vbd]
    seen.clear()
    member.apply_remote([], [vbd, "OpaqueRef:never-seen"])
    assert [(c.cls, c.op, c.ref) for c in seen] == [("VBD", "del", vbd), ("VM", "mod", b)]
    assert not member.exists("VBD", vbd) and member.record("VM", b)["VBDs"] == []
    assert member.backend.objects == {}
    older = remote(writer, b)[0]
    del older.record["name_description"]  # from a member of an older schema, which lacks the field
    member.apply_remote([older], [])
    assert member.record("VM", b)["name_description"] == ""  # its initial value, the record in wire order
    assert list(member.record("VM", b)) == list(writer.record("VM", b)) == [f.name for f in MODEL.wire_fields("VM")]


def test_an_index_keeps_the_others_when_one_of_a_name_or_a_target_goes() -> None:
    """Two VMs of one name, two VBDs of one VM: destroying one leaves the other found by name and in the
    VM's set; a reference written from a client's string is held as the referenced object's own ref."""
    db = Db(MODEL)
    a, b = db.create("VM", {"name_label": "twin"}), db.create("VM", {"name_label": "twin"})
    v1, v2 = db.create("VBD", {"VM": a}), db.create("VBD", {"VM": a})
    db.destroy("VM", b)
    db.destroy("VBD", v1)
    assert db.by_name_label("VM", "twin") == [a] and db.record("VM", a)["VBDs"] == [v2]
    db.set("VBD", v2, "VM", "".join(a))  # an equal string, as parsed from a request
    assert db.get("VBD", v2)["VM"] is a
    db.set("VBD", v2, "userdevice", "1")
    assert db.get("VBD", v2)["VM"] is a and db.referrers("VBD", "VM", a) == [v2]


def _rows_in_the_database_file(path: Path, tmp: Path, table: str = "objects") -> int:
    """Rows in the database file itself, without its WAL: what checkpoints have copied there."""
    alone = tmp / "alone.db"
    alone.write_bytes(path.read_bytes())
    conn = sqlite3.connect(alone)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.OperationalError:  # not even the table yet: it is still in the WAL
        return 0
    finally:
        conn.close()
        alone.unlink()


def test_the_wal_is_checkpointed_by_the_checkpointer_thread_not_by_the_writing_commit(tmp_path: Path) -> None:
    """The writing connection (the event loop's) never checkpoints, even past SQLite's default of 1 000 WAL
    pages; after ``CHECKPOINT_EVERY`` batches the checkpointer's thread copies the WAL into the file. Its
    page cache is ``CACHE_KIB``, not SQLite's 2 000 KiB: a 10 000-VM file's pages stay cached."""
    from xenia.db.sqlite import CACHE_KIB, CHECKPOINT_EVERY

    path = tmp_path / "x.db"
    backend = SqliteBackend(path)
    assert backend._conn.execute("PRAGMA cache_size").fetchone()[0] == -CACHE_KIB
    page = {"blob": "x" * 4000}  # about a page each
    try:
        for batch in range(8):  # 1 600 pages in all: SQLite's own rule would have checkpointed in a commit
            backend.write([StoredObject("VM", f"OpaqueRef:{batch}-{i}", page) for i in range(200)], [])
        assert _rows_in_the_database_file(path, tmp_path) == 0
        for i in range(CHECKPOINT_EVERY - 8):
            backend.write([StoredObject("VM", f"OpaqueRef:small-{i}", {"n": i})], [])
        expected = 8 * 200 + CHECKPOINT_EVERY - 8
        deadline = time.monotonic() + 60  # a wait for the thread, not a timed assertion
        while (found := _rows_in_the_database_file(path, tmp_path)) != expected and time.monotonic() < deadline:
            time.sleep(0.05)
        assert found == expected
    finally:
        backend.close()
    again = SqliteBackend(path)
    assert len(list(again.load())) == expected
    # the load read every page with SQLite's small cache; the writes after it have the large one again
    assert again._conn.execute("PRAGMA cache_size").fetchone()[0] == -CACHE_KIB
    again.close()


def test_a_wal_grown_past_its_bound_is_started_over_and_emptied(tmp_path: Path) -> None:
    """A passive checkpoint copies the WAL but never shortens it; under steady writing SQLite never starts
    it over, and filling 10 000 VMs left a 1 GB log. Past ``RESET_FRAMES`` frames the checkpointer also
    restarts and truncates it, and every row is still there."""
    from xenia.db.sqlite import CHECKPOINT_EVERY, RESET_FRAMES

    path = tmp_path / "x.db"
    wal = tmp_path / "x.db-wal"
    backend = SqliteBackend(path)
    page = {"blob": "x" * 4000}  # about a page each
    batches = RESET_FRAMES // 200 + 2
    try:
        for batch in range(batches):
            backend.write([StoredObject("VM", f"OpaqueRef:{batch}-{i}", page) for i in range(200)], [])
        assert wal.stat().st_size > RESET_FRAMES * 4096
        for i in range(CHECKPOINT_EVERY - batches):
            backend.write([StoredObject("VM", f"OpaqueRef:small-{i}", {"n": i})], [])
        deadline = time.monotonic() + 60  # a wait for the thread, not a timed assertion
        while wal.stat().st_size > 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert wal.stat().st_size == 0
    finally:
        backend.close()
    again = SqliteBackend(path)
    assert len(list(again.load())) == batches * 200 + CHECKPOINT_EVERY - batches
    again.close()


def test_the_simulators_table_is_checkpointed_by_the_same_thread_not_by_its_commits(tmp_path: Path) -> None:
    """The simulator's table of domains (``sim/domains.sqlite``) is written on the event loop too: its
    connection never checkpoints, the db's checkpointer thread does, every ``CHECKPOINT_EVERY`` writes."""
    from xenia.db.sqlite import CACHE_KIB, CHECKPOINT_EVERY
    from xenia.drivers.base import DomainSpec, RunState
    from xenia.drivers.sim.state import SimDomain, SimStore

    store = SimStore(tmp_path)
    path = tmp_path / "domains.sqlite"
    try:
        assert store._db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        assert store._db.execute("PRAGMA cache_size").fetchone()[0] == -CACHE_KIB  # a domain's pages stay cached
        mib = 1 << 20
        for i in range(CHECKPOINT_EVERY):
            u = f"00000000-0000-4000-8000-{i:012d}"
            spec = DomainSpec(vm_uuid=u, name="d", vcpus_max=1, vcpus_at_startup=1, memory_static_max=64 * mib,
                              memory_dynamic_min=64 * mib, memory_dynamic_max=64 * mib, memory_target=64 * mib)  # fmt: skip
            store.put(SimDomain(spec, i + 1, RunState.PAUSED, None, 1, 64 * mib, 64 * mib, 0.0, "hvm"))
        deadline = time.monotonic() + 60  # a wait for the thread, not a timed assertion
        while (found := _rows_in_the_database_file(path, tmp_path, "domains")) != CHECKPOINT_EVERY:
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert found == CHECKPOINT_EVERY
    finally:
        store.close()
    again = SimStore(tmp_path)
    assert len(again.load()) == CHECKPOINT_EVERY
    again.close()
