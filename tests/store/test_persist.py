"""The tree and its indices survive a restart; open transactions do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from xenia.store.engine import Engine
from xenia.store.errors import XsError
from xenia.store.persist import Journal

from .conftest import Daemon


def test_restart_keeps_tree_and_index(daemon: Daemon) -> None:
    c = daemon.client()
    c.write("/local/domain/3/name", "db")
    c.write("/local/domain/3/vm", "/vm/u-3")
    c.set_perms("/local/domain/3", ["n3", "r0"])
    c.write("/bin", b"\x00\xff")
    tx = c.start()
    c.write("/uncommitted", "x", tx)
    c.close()
    daemon.restart()
    c = daemon.client()
    assert c.read("/local/domain/3/name") == b"db"
    assert c.get_perms("/local/domain/3") == ["n3", "r0"]
    assert c.read("/bin") == b"\x00\xff"
    assert c.control("index-name", "db") == b"3"
    assert c.control("index-uuid", "u-3") == b"3"
    with pytest.raises(XsError):
        c.read("/uncommitted")


def test_journal_replay_without_clean_shutdown(daemon: Daemon) -> None:
    c = daemon.client()
    for i in range(20):
        c.write(f"/j/{i}", str(i))
    c.rm("/j/5")
    # simulate a crash: load a second engine from the files as they are now (no final snapshot)
    from xenia.store.engine import Engine
    from xenia.store.persist import Journal

    e = Engine()
    j = Journal(daemon.state_dir / "store")
    j.load(e)
    s = e.open_session(lambda p, t: None)
    assert e.request(s, "directory", "/j") == tuple(str(i) for i in range(20) if i != 5)


def test_replay_across_segments_rebuilds_tree_order_indices_and_history(tmp_path: Path) -> None:
    """Hundreds of domains (a persistent child map), removals, re-creations and an owner change, over
    several snapshot/log pairs: a fresh engine loaded from the files equals the one that wrote them."""
    from xenia.store.engine import Engine
    from xenia.store.perms import parse_perms
    from xenia.store.persist import Journal

    e = Engine()
    journal = Journal(tmp_path, compact_after=150, keep_segments=1)
    journal.load(e)
    s = e.open_session(lambda p, t: None)
    for dom in range(1, 301):
        tx = e.transaction_start(s)
        for key in ("name", "vm", "memory/target", "device/vbd/1/state"):
            e.request(s, "write", f"/local/domain/{dom}/{key}", f"{key}-{dom}".encode(), tx_id=tx)
        e.transaction_end(s, tx, True)
    for dom in range(1, 301, 3):
        e.request(s, "rm", f"/local/domain/{dom}")
    for dom in range(1, 301, 6):
        e.request(s, "write", f"/local/domain/{dom}/name", b"again")
    e.request(s, "set_perms", "/local/domain/2", parse_perms([b"n2"]))
    journal.settle()  # the snapshots are written in the background; pruning follows the last one
    assert len(list(tmp_path.glob("journal-*.log"))) == 2  # older pairs were pruned
    loaded = Engine()
    Journal(tmp_path).load(loaded)
    s2 = loaded.open_session(lambda p, t: None)
    assert loaded.snapshot() == e.snapshot()
    assert loaded.request(s2, "directory", "/local/domain") == e.request(s, "directory", "/local/domain")
    assert dict(loaded.head.root.owned) == dict(e.head.root.owned) == {2: 1}  # only that node changed owner
    assert dict(loaded.head.root.names) == dict(e.head.root.names)
    assert loaded.head.seq == e.head.seq
    assert loaded.history.commits()[-1].message == e.history.commits()[-1].message


def _two_segments(tmp_path: Path) -> Engine:
    """An engine whose journal holds an older snapshot/log pair and the current one."""
    e = Engine()
    journal = Journal(tmp_path, compact_after=100)
    journal.load(e)
    s = e.open_session(lambda p, t: None)
    for dom in range(1, 151):
        e.request(s, "write", f"/local/domain/{dom}/name", f"vm-{dom}".encode())
    journal.settle()
    assert len(list(tmp_path.glob("snapshot-*.json"))) == 2
    return e


def test_more_acls_than_the_codec_caches_are_written_and_read_back(tmp_path: Path) -> None:
    """Every domain has ACLs of its own: past the codec's cache size (it starts afresh when full) each
    node's permissions still reach the journal, and a crash's replay (no snapshot) brings them back."""
    from xenia.store.perms import parse_perms
    from xenia.store.persist import _PermsCodec

    domains = _PermsCodec.LIMIT + 100
    e = Engine()
    Journal(tmp_path, compact_after=10**9).load(e)
    s = e.open_session(lambda p, t: None)
    for dom in range(1, domains + 1):
        e.request(s, "write", f"/local/domain/{dom}/name", b"x")
        e.request(s, "set_perms", f"/local/domain/{dom}/name", parse_perms([f"n{dom}".encode(), b"r0"]))
    loaded = Engine()
    Journal(tmp_path).load(loaded)
    s2 = loaded.open_session(lambda p, t: None)
    for dom in (1, _PermsCodec.LIMIT, domains):
        assert loaded.request(s2, "get_perms", f"/local/domain/{dom}/name") == e.request(
            s, "get_perms", f"/local/domain/{dom}/name")
    assert loaded.snapshot() == e.snapshot()


def test_a_big_older_segment_is_replayed_after_start_into_the_same_history(tmp_path: Path) -> None:
    e = _two_segments(tmp_path)
    whole = Engine()
    Journal(tmp_path).load(whole)  # the older pair's log is small: replayed at start, as before
    quick = Engine()
    journal = Journal(tmp_path, defer_bytes=0)
    journal.load(quick)
    assert quick.snapshot() == e.snapshot() and quick.head.seq == e.head.seq
    assert dict(quick.head.root.names) == dict(e.head.root.names)
    assert quick.history.commits()[0].seq == 100  # the newest snapshot: nothing before it yet
    s = quick.open_session(lambda p, t: None)
    quick.request(s, "write", "/local/domain/7/name", b"renamed while the history loads")
    steps = sum(1 for _ in journal.older_history(quick, step=10))
    assert steps >= 10  # it let the caller serve in between
    seqs = [c.seq for c in quick.history.commits()]
    assert seqs == [c.seq for c in whole.history.commits()] + [e.head.seq + 1]
    assert [c.message for c in quick.history.commits()][:-1] == [c.message for c in whole.history.commits()]
    assert quick.history.commits()[-1].message == "write /local/domain/7/name"
    # the daemon's way: the replay in one call (a thread's), adopted on the loop after a later write
    threaded = Engine()
    journal = Journal(tmp_path, defer_bytes=0)
    journal.load(threaded)
    before = [c.seq for c in threaded.history.commits()]
    scratch = journal.replay_older(threaded.history.retention, threaded.mode)
    assert scratch is not None and [c.seq for c in threaded.history.commits()] == before  # untouched until adopted
    s = threaded.open_session(lambda p, t: None)
    threaded.request(s, "write", "/local/domain/7/name", b"again")
    journal.adopt_older(threaded, scratch)
    assert [c.seq for c in threaded.history.commits()] == seqs + [e.head.seq + 2]
    assert threaded.history.commits()[-1].message == "write /local/domain/7/name"


def test_a_corrupt_older_segment_leaves_the_head_and_the_newer_history(tmp_path: Path) -> None:
    e = _two_segments(tmp_path)
    older = min(tmp_path.glob("journal-*.log"), key=lambda p: int(p.stem.split("-")[1]))
    data = older.read_bytes()
    older.write_bytes(data[:100] + b"X" + data[101:])
    loaded = Engine()
    journal = Journal(tmp_path, defer_bytes=0)
    journal.load(loaded)
    before = [c.seq for c in loaded.history.commits()]
    assert list(journal.older_history(loaded)) == []  # gives up at the bad record, before any yield
    assert [c.seq for c in loaded.history.commits()] == before
    assert loaded.snapshot() == e.snapshot()


def test_a_snapshot_bigger_than_one_piece_is_one_json_object_that_restores_the_tree(tmp_path: Path) -> None:
    """The snapshot file is written a piece of nodes at a time (issue 12): across piece boundaries it is
    still one JSON object, and an engine loaded from it has the same nodes, values, ACLs and order."""
    import orjson

    from xenia.store.perms import parse_perms

    e = Engine()
    journal = Journal(tmp_path)
    journal.load(e)
    s = e.open_session(lambda p, t: None)
    tx = e.transaction_start(s)
    for i in range(Journal.SNAPSHOT_PIECE + 100):
        e.request(s, "write", f"/many/{i % 7}/{i}", f"v{i}\x00\xff".encode("latin-1"), tx_id=tx)
    e.transaction_end(s, tx, True)
    e.request(s, "set_perms", "/many/3", parse_perms([b"n5", b"r0"]))
    assert journal.compact(e).startswith(f"snapshot of {len(e.snapshot())} nodes")
    snap = orjson.loads(journal.snapshot_path(e.head.seq).read_bytes())
    assert snap["seq"] == e.head.seq and len(snap["nodes"]) == 4 * len(e.snapshot()) > 4 * Journal.SNAPSHOT_PIECE
    loaded = Engine()
    Journal(tmp_path).load(loaded)
    assert loaded.snapshot() == e.snapshot()
    s2 = loaded.open_session(lambda p, t: None)
    assert loaded.request(s2, "directory", "/many/3") == e.request(s, "directory", "/many/3")


def _written_engine(tmp_path: Path) -> tuple[Engine, Journal]:
    """An engine with nested, binary, re-owned and big (persistent-map) directories, journaled."""
    from xenia.store.perms import parse_perms

    e = Engine()
    journal = Journal(tmp_path)
    journal.load(e)
    s = e.open_session(lambda p, t: None)
    for i in range(150):  # past BIG: the children live in a hash map, their order in the stamps
        e.request(s, "write", f"/local/domain/{i}/name", f"vm-{i}".encode())
    e.request(s, "write", "/local/domain/7/data", b"\x00\xff")
    e.request(s, "set_perms", "/local/domain/7", parse_perms([b"n7", b"r0"]))
    return e, journal


def test_a_snapshot_of_the_previous_format_still_loads(tmp_path: Path) -> None:
    """A state directory written by format 2 (a [path, value, ACL] list per node) restores the same
    tree, order, owners and indices, and the next snapshot is written in the current format."""
    import orjson

    from xenia.store.persist import FORMAT

    e, journal = _written_engine(tmp_path)
    journal.compact(e)
    nodes = [[p, v.decode("latin-1"), [str(x) for x in perms]] for p, v, perms in e.snapshot()]
    old = {"format": 2, "seq": e.head.seq, "time": e.head.time, "state": e.state(), "nodes": nodes}
    journal.snapshot_path(e.head.seq).write_bytes(orjson.dumps(old))
    loaded = Engine()
    again = Journal(tmp_path, defer_bytes=0)  # the newest snapshot, the one rewritten
    again.load(loaded)
    assert loaded.snapshot() == e.snapshot()
    assert dict(loaded.head.root.owned) == dict(e.head.root.owned) == {7: 1}
    assert loaded.lookup_name("vm-149") == (149,)
    s = loaded.open_session(lambda p, t: None)
    assert list(loaded.request(s, "directory", "/local/domain")) == [str(i) for i in range(150)]
    loaded.request(s, "write", "/more", b"1")
    again.compact(loaded)
    assert orjson.loads(again.snapshot_path(loaded.head.seq).read_bytes())["format"] == FORMAT == 4


def test_a_snapshot_of_format_3_still_loads(tmp_path: Path) -> None:
    """Format 3 (each node's value inline, no value table) restores the same tree, order, owners and
    indices as the format 4 snapshot it is made from."""
    import orjson

    e, journal = _written_engine(tmp_path)
    journal.compact(e)
    path = journal.snapshot_path(e.head.seq)
    snap = orjson.loads(path.read_bytes())
    assert len(snap["values"]) < len(snap["nodes"]) // 4  # shared: the table is not one entry per node
    values = snap.pop("values")
    snap["nodes"][1::4] = [values[i] for i in snap["nodes"][1::4]]
    path.write_bytes(orjson.dumps({**snap, "format": 3}))
    loaded = Engine()
    Journal(tmp_path, defer_bytes=0).load(loaded)
    assert loaded.snapshot() == e.snapshot()
    assert dict(loaded.head.root.owned) == dict(e.head.root.owned) == {7: 1}
    assert loaded.lookup_name("vm-149") == (149,)
    assert loaded.request(loaded.open_session(lambda p, t: None), "read", "/local/domain/7/data") == b"\x00\xff"


@pytest.mark.parametrize("counts", ["more", "fewer", "twin"])
def test_a_snapshot_whose_child_counts_make_no_tree_stops_the_start(tmp_path: Path, counts: str) -> None:
    """Child counts that claim more nodes than follow, leave nodes over, or give a directory two
    children of one name: an unreadable snapshot (JournalError), never a tree silently different."""
    import orjson

    from xenia.store.persist import JournalError

    e, journal = _written_engine(tmp_path)
    journal.compact(e)
    path = journal.snapshot_path(e.head.seq)
    snap = orjson.loads(path.read_bytes())
    flat = snap["nodes"]
    if counts == "more":
        flat[3] += 1
    elif counts == "fewer":
        flat[3] -= 1
    else:  # /local/domain/149 named as its sibling 148 (the last four nodes: 148, its name, 149, its name)
        flat[-8] = flat[-16]
    path.write_bytes(orjson.dumps(snap))
    with pytest.raises(JournalError, match="unreadable snapshot"):
        Journal(tmp_path, defer_bytes=0).load(Engine())  # the newest snapshot, the one rewritten
