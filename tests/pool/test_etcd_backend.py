"""The etcd backend under the db, against a real one-member etcd: what two members' db copies see.

No daemon here: two :class:`Db` objects on one prefix stand for two members, so the order of their
writes is the test's, not a race's.
"""

from __future__ import annotations

import asyncio
import itertools

import pytest

from xenia.datamodel import MODEL
from xenia.datamodel.errors import ApiError
from xenia.db import Change, Db
from xenia.db.etcd import EtcdBackend, WriteConflict
from xenia.pool.localetcd import EtcdCluster

_prefixes = itertools.count()


def _member(cluster: EtcdCluster, prefix: str) -> Db:
    db = Db(MODEL, EtcdBackend(cluster.endpoints, prefix))
    db.load()
    return db


def _watching(cluster: EtcdCluster, prefix: str) -> tuple[Db, EtcdBackend]:
    """A member whose copy follows the others' writes through its watch (on the running loop)."""
    db = _member(cluster, prefix)
    backend = db.backend
    assert isinstance(backend, EtcdBackend)
    backend.attach(db, asyncio.get_running_loop())
    return db, backend


def test_objects_written_by_one_member_load_on_another(etcd_one: EtcdCluster) -> None:
    prefix = f"t{next(_prefixes)}"
    first = _member(etcd_one, prefix)
    with first.batch():
        net = first.create("network", {"name_label": "n1", "bridge": "xenbr9"})
        vm = first.create("VM", {"name_label": "a"})
    with first.batch():  # made in an order that is not the order of their keys
        for name in ("c", "a", "b"):
            first.create("VIF", {"VM": vm, "device": name}, ref=f"OpaqueRef:{name * 8}-0000-0000-0000-000000000000")
    first.destroy("network", net)
    second = _member(etcd_one, prefix)
    assert second.refs("VM") == [vm]
    assert second.record("VM", vm) == first.record("VM", vm)
    assert [second.get("VIF", v)["device"] for v in second.record("VM", vm)["VIFs"]] == ["c", "a", "b"]
    assert not second.exists("network", net)


def test_a_write_from_a_stale_copy_is_refused_and_leaves_nothing(etcd_one: EtcdCluster) -> None:
    """Two members change one object: the one that had not seen the other's write loses, whole."""
    prefix = f"t{next(_prefixes)}"
    first = _member(etcd_one, prefix)
    vm = first.create("VM", {"name_label": "before"})
    second = _member(etcd_one, prefix)  # loaded now, and never fed by a watch: stale after the next write
    first.set("VM", vm, "name_label", "first")
    with pytest.raises(ApiError) as err, second.batch():
        second.create("VM", {"name_label": "made in the same batch"})
        second.set("VM", vm, "name_label", "second")
    assert err.value.code == "INTERNAL_ERROR"
    assert second.get("VM", vm)["name_label"] == "before"
    assert [second.get("VM", r)["name_label"] for r in second.refs("VM")] == ["before"]
    third = _member(etcd_one, prefix)
    assert [third.get("VM", r)["name_label"] for r in third.refs("VM")] == ["first"]


def test_a_refused_write_brings_what_the_winner_left_so_it_can_be_made_again(etcd_one: EtcdCluster) -> None:
    """The refusal carries etcd's objects as the other member left them (read in the same round trip):
    with them the loser's copy is current (a changed object changed, a removed one gone, on its change
    feed too) and the same write, made again, goes through (what xenia.pool.retry does)."""
    prefix = f"t{next(_prefixes)}"

    async def scenario() -> None:
        first = _member(etcd_one, prefix)
        vm = first.create("VM", {"name_label": "before"})
        other = first.create("VM", {"name_label": "other"})
        second, backend = _watching(etcd_one, prefix)
        seen: list[tuple[str, str]] = []
        second.subscribe(lambda changes: seen.extend((c.op, c.ref) for c in changes))
        first.set("VM", vm, "name_label", "first")  # no await before the next write: its watch is behind
        first.destroy("VM", other)
        with pytest.raises(WriteConflict) as err, second.batch():
            second.set("VM", vm, "name_description", "second")
            second.set("VM", other, "name_description", "second")
        assert err.value.code == "INTERNAL_ERROR"
        assert {key.decode().rpartition("/")[2]: value is not None for key, value, _rev in err.value.fresh} == {
            vm: True, other: False}  # fmt: skip
        assert second.get("VM", vm)["name_label"] == "before" and seen == []
        backend.refresh(err.value)
        assert second.get("VM", vm)["name_label"] == "first" and not second.exists("VM", other)
        assert sorted(seen) == sorted([("mod", vm), ("del", other)])
        second.set("VM", vm, "name_description", "second")
        third = _member(etcd_one, prefix)
        records = [third.get("VM", ref) for ref in third.refs("VM")]
        assert [(r["name_label"], r["name_description"]) for r in records] == [("first", "second")]
        backend.close()

    asyncio.run(scenario())


def test_destroying_what_another_member_changed_is_refused(etcd_one: EtcdCluster) -> None:
    prefix = f"t{next(_prefixes)}"
    first = _member(etcd_one, prefix)
    vm = first.create("VM", {"name_label": "x"})
    second = _member(etcd_one, prefix)
    first.set("VM", vm, "name_label", "y")
    with pytest.raises(ApiError):
        second.destroy("VM", vm)
    assert second.exists("VM", vm)


def test_the_watch_brings_other_members_commits_onto_the_change_feed(etcd_one: EtcdCluster) -> None:
    """A member's tables and change feed follow another's commits (adds, changes, deletions), and its
    own writes conditioned on what the watch brought succeed."""
    prefix = f"t{next(_prefixes)}"

    async def scenario() -> None:
        first = _member(etcd_one, prefix)
        second, backend = _watching(etcd_one, prefix)
        seen: list[Change] = []
        arrived = asyncio.Event()

        def feed(changes: list[Change]) -> None:
            seen.extend(changes)
            arrived.set()

        second.subscribe(feed)

        async def next_changes() -> list[tuple[str, str, str]]:
            await asyncio.wait_for(arrived.wait(), 30)
            arrived.clear()
            out = [(c.op, c.cls, c.ref) for c in seen]
            seen.clear()
            return out

        with first.batch():
            vm = first.create("VM", {"name_label": "a"})
            vif_net = first.create("network", {"name_label": "n"})
            vif = first.create("VIF", {"VM": vm, "network": vif_net, "device": "0"})
        assert sorted(await next_changes()) == sorted([("add", "VM", vm), ("add", "network", vif_net),
                                                       ("add", "VIF", vif)])  # fmt: skip
        assert second.record("VM", vm)["VIFs"] == [vif]
        first.set("VM", vm, "name_label", "b")
        assert await next_changes() == [("mod", "VM", vm)]
        assert second.get("VM", vm)["name_label"] == "b"
        second.set("VM", vm, "name_label", "c")  # conditioned on the revision the watch brought
        assert await next_changes() == [("mod", "VM", vm)]  # its own write, on its own feed
        first.destroy("VIF", vif)
        changes = await next_changes()
        assert ("del", "VIF", vif) in changes and ("mod", "VM", vm) in changes
        assert second.record("VM", vm)["VIFs"] == []
        assert second.get("VM", vm)["name_label"] == "c"
        backend.close()

    asyncio.run(scenario())


def test_caught_up_holds_until_another_member_s_newest_write_is_in_the_copy(etcd_one: EtcdCluster) -> None:
    """What a member awaits before it decides where a VM goes, and after a call it forwarded: its copy
    then has every write etcd had, the newest of them a removal here (no object is left to show it)."""
    prefix = f"t{next(_prefixes)}"

    async def scenario() -> None:
        first = _member(etcd_one, prefix)
        vm = first.create("VM", {"name_label": "before"})
        gone = first.create("VM", {"name_label": "to be removed"})
        second, backend = _watching(etcd_one, prefix)
        for round_ in range(20):
            await backend.caught_up()
            assert second.exists("VM", gone)
            first.set("VM", vm, "name_label", f"changed {round_}")
            await backend.caught_up()
            assert second.get("VM", vm)["name_label"] == f"changed {round_}"
            first.destroy("VM", gone)  # the newest write, and no object written since shows it
            assert second.exists("VM", gone)  # nothing awaited yet: the watch's news waits for the loop
            assert backend.newest_object_revision() > backend.revision  # the member knows it is behind
            await backend.caught_up()
            assert not second.exists("VM", gone)
            gone = first.create("VM", {"name_label": "to be removed"})
        backend.close()

    asyncio.run(scenario())


def test_a_member_behind_a_compaction_resynchronises(etcd_one: EtcdCluster) -> None:
    """A member whose copy is older than etcd's compacted history reads everything afresh: changes
    and deletions made meanwhile arrive, on its change feed too."""
    prefix = f"t{next(_prefixes)}"

    async def scenario() -> None:
        first = _member(etcd_one, prefix)
        kept = first.create("VM", {"name_label": "kept"})
        dropped = first.create("VM", {"name_label": "dropped"})
        second = _member(etcd_one, prefix)  # its copy, at this revision
        first.set("VM", kept, "name_label", "changed")
        first.destroy("VM", dropped)
        added = first.create("VM", {"name_label": "added"})
        backend = first.backend
        assert isinstance(backend, EtcdBackend)
        head = int(backend._call("kv/range", {"key": "AA=="})["header"]["revision"])
        backend._call("kv/compaction", {"revision": str(head), "physical": True})
        arrived = asyncio.Event()
        second.subscribe(lambda changes: arrived.set())
        watcher = second.backend
        assert isinstance(watcher, EtcdBackend)
        watcher.attach(second, asyncio.get_running_loop())
        await asyncio.wait_for(arrived.wait(), 30)
        assert second.get("VM", kept)["name_label"] == "changed"
        assert not second.exists("VM", dropped)
        assert second.get("VM", added)["name_label"] == "added"
        second.set("VM", kept, "name_label", "written after the resync")  # its revisions are current
        watcher.close()

    asyncio.run(scenario())
