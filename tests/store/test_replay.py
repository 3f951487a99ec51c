"""Replay and restore in process: an engine loaded from the journal, or from a snapshot, is the engine
that wrote them (first principles: the same tree, ACLs, owners, indices, engine state and commits).

The cheap twins of test_journal.py (a store process killed with SIGKILL) and test_persist.py (a daemon
restarted): the real Journal on a temporary directory, no process, so the mutation run can afford
them for every mutant of ``store/engine.py``.
"""

from __future__ import annotations

import asyncio
import resource
import signal
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from xenia.store.engine import Effect, Engine, Quotas
from xenia.store.errors import XsError
from xenia.store.perms import DEFAULT_PERMS, parse_perms
from xenia.store.persist import Journal


def perms(*items: str) -> Any:
    return parse_perms([i.encode() for i in items])


def fingerprint(e: Engine) -> dict[str, Any]:
    """Everything a restart must keep: the tree in order with values and ACLs, the derived indices and
    owner counts, the engine state, and the head."""
    root = e.head.root
    return {
        "nodes": e.snapshot(),
        "owned": dict(root.owned),
        "names": dict(root.names),
        "uuids": dict(root.uuids),
        "state": e.state(),
        "quotas": vars(e.quotas),
        "head": (e.head.seq, e.head.time),
    }


def commits(e: Engine) -> list[tuple[Any, ...]]:
    return [(c.seq, c.time, c.domid, c.conn, c.message) for c in e.history.commits()]


def busy(e: Engine) -> None:
    """Every kind of commit and state change the journal records."""
    d = e.open_session(lambda p, t: None)
    for domid in (3, 4):
        e.request(d, "write", f"/local/domain/{domid}", b"")
        e.request(d, "set_perms", f"/local/domain/{domid}", perms(f"n{domid}", "r0"))
    g = e.open_session(lambda p, t: None, 3)
    e.request(g, "write", "data/a/b", b"guest-made")  # implicit parents owned by the guest
    e.request(d, "write", "/local/domain/3/name", b"web")
    e.request(d, "write", "/local/domain/4/vm", b"/vm/uuid-4")
    e.request(d, "write", "/", b"root value")
    e.request(d, "write", "/bin", bytes(range(256)))
    tx = e.transaction_start(d)  # removed and made again under the removed subtree in one commit
    e.request(d, "rm", "/local/domain/3/data", tx_id=tx)
    e.request(d, "write", "/local/domain/3/data/a/c", b"again", tx_id=tx)
    e.transaction_end(d, tx, True)
    tx = e.transaction_start(d)  # made and removed again in one commit: never recorded
    e.request(d, "write", "/tmp/x/y", b"1", tx_id=tx)
    e.request(d, "rm", "/tmp/x", tx_id=tx)
    e.request(d, "write", "/tmp/z", b"kept", tx_id=tx)
    e.transaction_end(d, tx, True)
    tx = e.transaction_start(d)  # removed, made again, removed again
    e.request(d, "rm", "/bin", tx_id=tx)
    e.request(d, "write", "/bin/x", b"", tx_id=tx)
    e.request(d, "rm", "/bin", tx_id=tx)
    e.transaction_end(d, tx, True)
    e.request(d, "write", "/r1", b"")
    e.request(d, "write", "/r2/x", b"")
    tx = e.transaction_start(d)  # two removals in one commit, and the root written beside another node
    e.request(d, "rm", "/r1", tx_id=tx)
    e.request(d, "rm", "/r2", tx_id=tx)
    e.request(d, "write", "/", b"root again", tx_id=tx)
    e.request(d, "write", "/r3", b"3", tx_id=tx)
    e.transaction_end(d, tx, True)
    e.request(d, "set_perms", "/local/domain/3/data/a", perms("n4", "b3"))  # an owner change
    e.request(d, "set_perms", "/local/domain/3/name", perms("n2"))  # to a lower domid
    e.request(d, "set_perms", "/", perms("n4", "r0"))  # even the root may belong to a guest
    e.request(d, "set_perms", "/", perms("n3", "r0"))  # and pass to another
    e.request(d, "set_perms", "@releaseDomain", perms("n0", "r3"))
    e.set_target(d, 7, 3)
    e.set_target(d, 4, 3)  # domain 4 a stub of 3: its release ends that
    e.introduce(d, 3, 300)
    e.introduce(d, 4, 400)
    e.introduce(d, 4, 401)
    e.release(d, 4)
    e.set_quota(d, "nodes", 3000)
    e.set_quota(d, "watches", 7)
    e.request(d, "rm", "/local/domain/4/vm")
    e.request(d, "write", "/local/domain/4/name", b"db")  # a commit of nothing but a name or a vm
    e.request(d, "write", "/local/domain/3/vm", b"/vm/uuid-3")


@pytest.fixture
def written(tmp_path: Path) -> tuple[Engine, Journal]:
    e = Engine()
    journal = Journal(tmp_path)
    journal.load(e)
    busy(e)
    return e, journal


def test_the_journal_replays_to_the_same_engine(written: tuple[Engine, Journal], tmp_path: Path) -> None:
    e = written[0]
    loaded = Engine()
    Journal(tmp_path).load(loaded)
    assert fingerprint(loaded) == fingerprint(e)
    assert commits(loaded)[1:] == commits(e)[1:]  # after the first: that one says where the line began
    # 3 owns /, its home, data, data/a/c and vm; 4 its home, name and data/a; 2 domain 3's name
    assert dict(loaded.head.root.owned) == {3: 5, 4: 3, 2: 1}
    assert loaded.special_perms["@releaseDomain"] == perms("n0", "r3")
    assert loaded.special_perms["@introduceDomain"] == DEFAULT_PERMS
    assert (loaded.targets, loaded.domains) == ({7: 3}, {3: 300})
    assert loaded.quotas.nodes == 3000 and loaded.quotas.watches == 7 and loaded.quotas.node_size == 2048
    s = loaded.open_session(lambda p, t: None)
    assert loaded.request(s, "directory", "/tmp") == ("z",)
    assert loaded.request(s, "directory", "/local/domain/3/data/a") == ("c",)
    assert loaded.lookup_name("web") == (3,) and loaded.lookup_uuid("uuid-4") == ()
    assert loaded.lookup_name("db") == (4,) and loaded.lookup_uuid("uuid-3") == (3,)
    assert loaded.request(s, "directory", "/") == ("tool", "local", "tmp", "r3")
    assert loaded.request(s, "read", "/") == b"root again"
    # docs/store.md: the log keeps no path of copies, so a replayed commit counts 4 x 320 bytes per
    # recorded node beside its 200
    cost = {c.seq: c.cost for c in loaded.history.commits()}
    fx = [len(r["e"]) for r in records(written[1]) if "e" in r]
    assert [cost[seq] for seq in range(1, len(fx) + 1)] == [200 + 4 * 320 * n for n in fx]


def test_a_snapshot_restores_the_same_engine(written: tuple[Engine, Journal], tmp_path: Path) -> None:
    e, journal = written
    journal.compact(e)
    loaded = Engine()
    Journal(tmp_path, defer_bytes=0).load(loaded)  # the newest snapshot, nothing replayed after it
    assert fingerprint(loaded) == fingerprint(e)
    assert [(c.seq, c.message) for c in loaded.history.commits()] == [(e.head.seq, "restored from snapshot")]
    assert (loaded.targets, loaded.domains, loaded.special_perms) == (e.targets, e.domains, e.special_perms)
    assert (loaded.targets, loaded.domains) == ({7: 3}, {3: 300})
    s = loaded.open_session(lambda p, t: None, 3)
    loaded.request(s, "write", "more", b"")  # the history goes on from the snapshot's commit
    assert loaded.head.seq == e.head.seq + 1


def test_restore_takes_records_in_any_order(tmp_path: Path) -> None:
    e = Engine()
    nodes = [("/", b"", DEFAULT_PERMS), ("/a/b", b"deep", perms("n5")), ("/a", b"top", perms("n5", "r1")),
             ("/c", b"", DEFAULT_PERMS)]  # fmt: skip
    state = {"quotas": {"nodes": 9}, "targets": {"6": 5}, "domains": {"5": 12},
             "special": {"@introduceDomain": ["n0", "r5"]}}  # fmt: skip
    e.restore(41, nodes, state, when=1234.5)
    assert e.snapshot() == [nodes[0], ("/a", b"top", perms("n5", "r1")), ("/a/b", b"deep", perms("n5")), nodes[3]]
    assert (e.head.seq, e.head.time, e.head.message) == (41, 1234.5, "restored from snapshot")
    assert [c.seq for c in e.history.commits()] == [41]
    assert vars(e.quotas) == {**vars(Quotas()), "nodes": 9}
    assert (e.targets, e.domains) == ({6: 5}, {5: 12})
    assert e.special_perms == {"@introduceDomain": perms("n0", "r5"), "@releaseDomain": DEFAULT_PERMS}
    assert dict(e.head.root.owned) == {5: 2}
    s = e.open_session(lambda p, t: None)
    e.request(s, "write", "/d", b"")
    assert e.head.seq == 42
    e.restore(1, [("/", b"", perms("n7")), ("/a", b"", DEFAULT_PERMS)], {})  # in order this time
    assert dict(e.head.root.owned) == {7: 1}  # the root's owner owns nothing else


def test_replay_refuses_what_does_not_fit() -> None:
    e = Engine()
    e.replay_commit(1, 10.0, 0, 1, "write /x/y", [("p", "/x", b"", DEFAULT_PERMS), ("p", "/x/y", b"1", DEFAULT_PERMS)])
    for seq in (0, 1):
        with pytest.raises(ValueError, match=f"commit {seq} replayed after commit 1"):
            e.replay_commit(seq, 11.0, 0, 1, "again", [])
    with pytest.raises(ValueError, match="commit 2 removes /nothing, which does not exist"):
        e.replay_commit(2, 11.0, 0, 1, "rm /nothing", [("r", "/nothing")])
    with pytest.raises(ValueError, match="commit 2: unknown effect 'x'"):
        e.replay_commit(2, 11.0, 0, 1, "odd", [("x", "/x")])
    with pytest.raises(ValueError, match="unknown state record 'colour'"):
        e.replay_state({"k": "colour", "value": 1})
    assert e.head.seq == 1 and e.snapshot()[-2:] == [("/x", b"", DEFAULT_PERMS), ("/x/y", b"1", DEFAULT_PERMS)]
    # records before a removal take effect before it; records after it, after it
    fx = [("p", "/x/z", b"", DEFAULT_PERMS), ("r", "/x"), ("p", "/x", b"new", DEFAULT_PERMS)]
    e.replay_commit(2, 12.0, 3, 4, "tx", fx)
    assert e.snapshot()[-1] == ("/x", b"new", DEFAULT_PERMS)
    assert (e.head.seq, e.head.time, e.head.domid, e.head.conn, e.head.message) == (2, 12.0, 3, 4, "tx")
    assert [c.seq for c in e.history.commits()] == [0, 1, 2]
    e.replay_commit(5, 13.0, 0, 1, "a gap is the journal's to notice", [])
    assert e.head.seq == 5
    # a node made without a record of its own: refused by its path, the head and counts as they were
    before = fingerprint(e)
    orphans: list[tuple[list[Effect], str]] = [([("p", "/x/m/n", b"1", perms("n4"))], "/x/m"),
                                               ([("p", "/q/r", b"", DEFAULT_PERMS)], "/q")]  # fmt: skip
    for orphan, missing in orphans:
        with pytest.raises(ValueError, match=f"^{missing} would be created without a record of its own$"):
            e.replay_commit(6, 14.0, 0, 1, "orphan", orphan)
    assert fingerprint(e) == before


def test_a_replayed_commit_keeps_the_indices() -> None:
    """The name and uuid indices follow the replayed name and vm keys (first principles: they index
    /local/domain/<id>/name and the uuid in .../vm), whether or not the commit repeats the domain's own
    record, as the journal's transactions do for each key below it."""
    e = Engine()
    home = [("p", "/local", b"", DEFAULT_PERMS), ("p", "/local/domain", b"", DEFAULT_PERMS),
            ("p", "/local/domain/7", b"", perms("n7", "r0"))]  # fmt: skip
    e.replay_commit(1, 1.0, 0, 1, "intro", [*home, ("p", "/local/domain/7/name", b"web", perms("n7")),
                                            ("p", "/local/domain/7/vm", b"/vm/u7", perms("n7"))])  # fmt: skip
    assert (e.lookup_name("web"), e.lookup_uuid("u7"), dict(e.head.root.owned)) == ((7,), (7,), {7: 3})
    e.replay_commit(2, 2.0, 0, 1, "data", [home[2], ("p", "/local/domain/7/data", b"", perms("n7")),
                                           ("p", "/local/domain/7/data/x", b"1", perms("n7"))])  # fmt: skip
    assert (e.lookup_name("web"), e.lookup_uuid("u7"), dict(e.head.root.owned)) == ((7,), (7,), {7: 5})
    e.replay_commit(3, 3.0, 0, 1, "rename", [home[2], ("p", "/local/domain/7/name", b"db", perms("n7"))])
    assert (e.lookup_name("web"), e.lookup_name("db")) == ((), (7,))
    e.replay_commit(4, 4.0, 0, 1, "give", [("p", "/local/domain/7/data/x", b"2", perms("n8"))])
    assert dict(e.head.root.owned) == {7: 4, 8: 1}


@pytest.fixture
def file_size_limit() -> Iterator[Any]:
    """Limits the size of files this process writes (a full disk for the journal's appends); writes
    past it fail with EFBIG instead of raising SIGXFSZ."""
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    old = resource.getrlimit(resource.RLIMIT_FSIZE)

    def limit(size: int) -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, old[1]))

    try:
        yield limit
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old)
        signal.signal(signal.SIGXFSZ, old_handler)


def test_a_journal_write_that_fails_is_eio_and_changes_nothing(tmp_path: Path, file_size_limit: Any) -> None:
    e = Engine()
    journal = Journal(tmp_path)
    journal.load(e)
    d = e.open_session(lambda p, t: None)
    e.request(d, "write", "/ok", b"1")
    before = fingerprint(e)
    size = journal.journal_path().stat().st_size
    file_size_limit(size + 100)  # a record that does not fit is written in part, then cut off again
    big = b"x" * 8192

    def refused(fn: Any, *args: Any) -> None:
        with pytest.raises(XsError) as exc:
            fn(*args)
        assert exc.value.name == "EIO"

    refused(e.request, d, "write", "/big", big)
    tx = e.transaction_start(d)
    e.request(d, "write", "/tx", big, tx_id=tx)
    refused(e.transaction_end, d, tx, True)
    assert journal.journal_path().stat().st_size == size
    file_size_limit(size)  # no room for any record: state changes are refused and not applied either
    refused(e.set_quota, d, "nodes", 1)
    refused(e.set_target, d, 5, 1)
    refused(e.introduce, d, 5, 1)
    refused(e.request, d, "set_perms", "@introduceDomain", parse_perms([b"n0", b"r1"]))
    assert fingerprint(e) == before and e.stats.commits == 1 and 5 not in e.domains
    file_size_limit(resource.getrlimit(resource.RLIMIT_FSIZE)[1])
    e.request(d, "write", "/later", b"2")
    loaded = Engine()
    Journal(tmp_path).load(loaded)
    assert fingerprint(loaded) == fingerprint(e)
    s = loaded.open_session(lambda p, t: None)
    assert loaded.request(s, "directory", "/") == ("tool", "local", "ok", "later")


def records(journal: Journal) -> list[dict[str, Any]]:
    """The journal's records as docs/store.md describes them: ``<crc32 hex> <json>`` lines."""
    out = []
    for line in journal.journal_path().read_bytes().splitlines():
        crc, body = line.split(b" ", 1)
        assert int(crc, 16) == zlib.crc32(body)
        out.append(orjson.loads(body))
    return out


def test_a_commit_records_exactly_the_nodes_it_created_or_changed(tmp_path: Path) -> None:
    e = Engine()
    journal = Journal(tmp_path)
    journal.load(e)
    d = e.open_session(lambda p, t: None)
    g = e.open_session(lambda p, t: None, 5)
    e.request(d, "write", "/a/b/c", b"1")
    e.request(d, "write", "/a/b/c", b"2")  # the path above it is unchanged
    e.request(d, "write", "/a/b/c", b"1")
    e.request(d, "set_perms", "/a/b", perms("n0", "r5"))
    e.request(d, "set_perms", "/a", perms("n0", "b5"))
    e.request(g, "write", "/a/g/h", b"")  # made by a guest: owned by it
    e.request(d, "rm", "/a/b")
    e.request(d, "mkdir", "/a/g")  # nothing changes: no record
    e.introduce(d, 5, int("70000"))  # parsed from each request, as the server does
    e.introduce(d, 5, int("70000"))  # nothing changes: no record
    e.set_quota(d, "watches", 9)
    assert [r.get("e", r.get("k")) for r in records(journal)] == [
        [["p", "/a", "", ["n0"]], ["p", "/a/b", "", ["n0"]], ["p", "/a/b/c", "1", ["n0"]]],
        [["p", "/a/b/c", "2", ["n0"]]],
        [["p", "/a/b/c", "1", ["n0"]]],
        [["p", "/a/b", "", ["n0", "r5"]]],
        [["p", "/a", "", ["n0", "b5"]]],
        [["p", "/a/g", "", ["n5", "b5"]], ["p", "/a/g/h", "", ["n5", "b5"]]],
        [["r", "/a/b"]],
        "introduce",
        "quota",
    ]
    assert [(r["s"], r["d"], r["c"], r["m"]) for r in records(journal) if "s" in r][-2:] == [
        (6, 5, g.id, "write /a/g/h"), (7, 0, d.id, "rm /a/b")
    ]  # fmt: skip


def test_a_snapshot_is_taken_after_compact_after_commits(tmp_path: Path) -> None:
    e = Engine()
    journal = Journal(tmp_path, compact_after=3, keep_segments=1, background=False)
    journal.load(e)
    d = e.open_session(lambda p, t: None)
    for i in range(7):
        e.request(d, "write", f"/k{i}", b"")
    assert sorted(p.name for p in tmp_path.glob("snapshot-*.json")) == ["snapshot-3.json", "snapshot-6.json"]
    assert [r["s"] for r in records(journal)] == [7]


def test_a_state_directory_of_earlier_versions_is_replayed_and_converted(tmp_path: Path) -> None:
    """``journal.jsonl``: one JSON list of requests ``[kind, path, arg, domid]`` a line (values as
    latin-1 text); its kinds are read from JSON, not written in the code."""
    lines = [
        [["write", "/local/domain/5", "", 0], ["set_perms", "/local/domain/5", ["n5"], 0]],
        [["mkdir", "/local/domain/5/m/n", None, 5], ["write", "/local/domain/5/w", "v\u00ff", 5]],
        [["write", "/gone/x", "", 0], ["rm", "/gone", None, 0]],
    ]
    (tmp_path / "journal.jsonl").write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    e = Engine()
    Journal(tmp_path).load(e)
    s = e.open_session(lambda p, t: None)
    assert e.request(s, "directory", "/local/domain/5") == ("m", "w")
    assert e.request(s, "get_perms", "/local/domain/5/m/n") == perms("n5")
    assert e.request(s, "read", "/local/domain/5/w") == b"v\xff"
    assert e.request(s, "directory", "/") == ("tool", "local")
    assert dict(e.head.root.owned) == {5: 4}
    assert not (tmp_path / "journal.jsonl").exists() and list(tmp_path.glob("snapshot-*.json"))
    loaded = Engine()
    Journal(tmp_path).load(loaded)
    assert loaded.snapshot() == e.snapshot()


def churned(directory: Path, writes: int, **spacing: Any) -> Journal:
    """A journal in the foreground after ``writes`` writes, its snapshots spaced by ``spacing`` (an hour's
    interval: only the limit starts one after the empty store's own at load)."""
    e = Engine()
    journal = Journal(directory, compact_after=3, min_interval=3600, background=False, **spacing)
    journal.load(e)
    d = e.open_session(lambda p, t: None)
    for i in range(writes):
        e.request(d, "write", f"/k{i}", b"")
    return journal


def test_snapshots_are_spaced_by_the_minimum_interval_until_the_log_reaches_its_limit(tmp_path: Path) -> None:
    """Under churn a snapshot starts at most once a ``min_interval`` (each forks the daemon), but never
    later than ``compact_limit`` records: what a restart replays stays bounded."""
    journal = churned(tmp_path, 16, compact_limit=7, keep_segments=5)
    # the empty store's own at load starts the interval: then a snapshot only at the limit, 7 records on
    assert sorted(p.name for p in tmp_path.glob("snapshot-*.json")) == [
        "snapshot-0.json", "snapshot-14.json", "snapshot-7.json"
    ]  # fmt: skip
    assert [r["s"] for r in records(journal)] == [15, 16]


def test_a_snapshot_held_back_is_taken_when_the_interval_ends_though_no_write_follows(tmp_path: Path) -> None:
    """The writes stop before the interval ends: the snapshot comes in the quiet time after it, not with
    the first write after the pause."""

    async def scenario() -> tuple[list[str], list[str]]:
        e = Engine()
        journal = Journal(tmp_path, compact_after=3, compact_limit=100, min_interval=0.2, background=False)
        journal.load(e)  # the empty store's snapshot-0 starts the interval
        d = e.open_session(lambda p, t: None)
        for i in range(4):
            e.request(d, "write", f"/k{i}", b"")
        held = sorted(p.name for p in tmp_path.glob("snapshot-*.json"))
        await asyncio.sleep(0.5)
        return held, sorted(p.name for p in tmp_path.glob("snapshot-*.json"))

    held, later = asyncio.run(scenario())
    assert held == ["snapshot-0.json"]
    assert later == ["snapshot-0.json", "snapshot-4.json"]


def test_longer_pairs_keep_about_as_many_commits_not_as_many_pairs(tmp_path: Path) -> None:
    """Pairs a heavy churn made at the limit (9 commits) span more than ``keep_segments`` pairs of
    ``compact_after`` (2 x 3): the newest snapshot and one older one are kept, not three."""
    churned(tmp_path, 27, compact_limit=9, keep_segments=2)
    assert sorted(int(p.stem.split("-")[1]) for p in tmp_path.glob("snapshot-*.json")) == [18, 27]
    assert sorted(int(p.stem.split("-")[1]) for p in tmp_path.glob("journal-*.log")) == [18, 27]
