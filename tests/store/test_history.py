"""History: thinning keeps constant size; log/show/diff/at; export to git; git bisect finds a key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from xenia.store import cli
from xenia.store.engine import Engine
from xenia.store.history import Commit, History, Retention
from xenia.store.perms import DEFAULT_PERMS
from xenia.store.sockclient import SyncClient
from xenia.store.tree import EMPTY, Node, Root

from .conftest import Daemon, StoreProcess


def test_thinning_is_bounded_and_dense_recently() -> None:
    h = History(Retention(recent=64, tiers=((100.0, 1.0), (1000.0, 10.0)), budget=2**40))
    e = Engine(history=h)
    s = e.open_session(lambda p, t: None)
    for i in range(5000):
        e.request(s, "write", "/counter", str(i).encode())
    assert len(h) <= h.capacity == 64 + 101 + 101
    seqs = [c.seq for c in h.commits()]
    assert seqs == sorted(seqs) and seqs[-1] == 5000
    assert seqs[-64:] == list(range(5000 - 63, 5001))  # dense recent


ROOT = Root.empty(Node(b"", DEFAULT_PERMS, EMPTY))


def commit(seq: int, when: float, cost: int = 0) -> Commit:
    return Commit(seq, ROOT, when, 0, 0, f"c{seq}", cost)


def test_time_tiers_keep_one_commit_per_slot_and_drop_past_the_span() -> None:
    """Ten commits a second for 3 hours: the recent ones all, one a second for the last hour, one a
    minute before that."""
    h = History(Retention(recent=20, tiers=((3600.0, 1.0), (86400.0, 60.0)), budget=2**40))
    for i in range(10 * 3 * 3600):
        h.append(commit(i + 1, 1_000_000.0 + i / 10))
    kept = h.commits()
    now = kept[-1].time
    recent = kept[-20:]
    assert [c.seq for c in recent] == list(range(kept[-1].seq - 19, kept[-1].seq + 1))
    hour = [c for c in kept[:-20] if c.time >= now - 3600]
    seconds = [int(c.time) for c in hour]
    assert len(seconds) == len(set(seconds)) and len(hour) >= 3590  # one per second
    older = [c for c in kept if c.time < now - 3600]
    minutes = [int(c.time // 60) for c in older]
    assert len(minutes) == len(set(minutes)) and 115 <= len(older) <= 121  # one per minute, 2 hours
    assert len(h) <= h.capacity


def test_byte_budget_drops_the_oldest_first() -> None:
    h = History(Retention(recent=1000, tiers=(), budget=10_000))
    for i in range(500):
        h.append(commit(i + 1, float(i), cost=100))
    assert h.bytes <= 10_000
    assert [c.seq for c in h.commits()] == list(range(401, 501))


def test_log_show_diff_at_through_cli(daemon: Daemon, capsys) -> None:
    c = daemon.client()
    c.write("/h/a", "1")
    c.write("/other", "x")
    c.write("/h/a", "2")
    sock = ["--socket", str(daemon.socket)]
    assert cli.main(["store-log", *sock, "/h"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "write /h/a" in lines[0]
    seq = lines[0].split()[0]
    assert cli.main(["store-show", *sock, seq]) == 0
    out = capsys.readouterr().out
    assert f"commit {seq}" in out and '~ /h/a: "1" -> "2"' in out
    assert cli.main(["store-diff", *sock, "0", seq]) == 0
    out = capsys.readouterr().out
    assert '+ /h/a = "2" [n0]' in out and '+ /other = "x" [n0]' in out
    first = lines[1].split()[1]  # the ISO time of the first /h commit
    assert cli.main(["store-at", *sock, first, "/h"]) == 0
    assert '/h/a = "1"' in capsys.readouterr().out


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def test_export_git_log_and_bisect(daemon: Daemon, tmp_path: Path) -> None:
    c = daemon.client()
    for i in range(30):
        c.write(f"/local/domain/{i}/name", f"vm{i}")
    out = tmp_path / "repo"
    assert cli.main(["store-export", "--socket", str(daemon.socket), str(out)]) == 0
    retained = len(daemon.engine.history)
    assert len(git(out, "log", "--oneline").splitlines()) == retained
    assert (out / "local/domain/29/name/.value").read_text() == "vm29"
    # bisect for the commit that created /local/domain/17/name
    commits = git(out, "rev-list", "--reverse", "HEAD").split()
    git(out, "bisect", "start", "HEAD", commits[0])
    result = subprocess.run(
        ["git", "-C", str(out), "bisect", "run", "sh", "-c", "test ! -e local/domain/17/name/.value"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert "is the first bad commit" in result
    first_bad = result.split(" is the first bad commit")[0].split()[-1]
    assert "write /local/domain/17/name" in git(out, "show", "-s", "--format=%B", first_bad)


def store_log(socket: Path, *args: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-m", "xenia.store.cli", "store-log", "--socket", str(socket), *args],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return out.stdout.splitlines()


def test_history_survives_sigkill_and_snapshots(store: StoreProcess) -> None:
    """After SIGKILL the history up to the last acknowledged write is there, with its numbers, also across
    a snapshot taken in between (the log before a snapshot is kept)."""
    with SyncClient(store.socket) as c:
        for i in range(5):
            c.write(f"/h/{i}", str(i))
        c.control("snapshot")
        for i in range(5, 10):
            c.write(f"/h/{i}", str(i))
    before = store_log(store.socket, "/h")
    assert len(before) == 10 and "write /h/9" in before[0] and "write /h/0" in before[-1]
    store.kill()
    store = StoreProcess(store.state)
    try:
        assert store_log(store.socket, "/h") == before
        with SyncClient(store.socket) as c:
            c.write("/h/10", "10")
        after = store_log(store.socket, "/h")
        assert after[1:] == before
        assert int(after[0].split()[0]) == int(before[0].split()[0]) + 1  # numbering goes on
    finally:
        store.kill()


def test_incremental_export_and_bisect_across_a_restart(store: StoreProcess, tmp_path: Path) -> None:
    repo = tmp_path / "export"

    def export() -> str:
        with SyncClient(store.socket) as c:
            return c.control("export", str(repo)).decode()

    with SyncClient(store.socket) as c:
        for i in range(20):
            c.write(f"/local/domain/{i}/name", f"vm{i}")
    assert export().startswith("exported ")
    first = len(git(repo, "log", "--oneline").splitlines())
    store.kill()  # SIGKILL: no clean snapshot, the journal alone carries the history
    store = StoreProcess(store.state)
    try:
        with SyncClient(store.socket) as c:
            for i in range(20, 30):
                c.write(f"/local/domain/{i}/name", f"vm{i}")
        assert export().startswith("exported 10 commits")  # only what is new since the last export
        commits = git(repo, "rev-list", "--reverse", "HEAD").split()
        assert len(commits) == first + 10
        assert (repo / "local/domain/29/name/.value").read_text() == "vm29"
        git(repo, "bisect", "start", "HEAD", commits[0])
        result = subprocess.run(
            ["git", "-C", str(repo), "bisect", "run", "sh", "-c", "test ! -e local/domain/17/name/.value"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        first_bad = result.split(" is the first bad commit")[0].split()[-1]
        assert "write /local/domain/17/name" in git(repo, "show", "-s", "--format=%B", first_bad)
        git(repo, "bisect", "reset")
        git(repo, "bisect", "start", "HEAD", commits[0])
        result = subprocess.run(
            ["git", "-C", str(repo), "bisect", "run", "sh", "-c", "test ! -e local/domain/25/name/.value"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        first_bad = result.split(" is the first bad commit")[0].split()[-1]
        assert "write /local/domain/25/name" in git(repo, "show", "-s", "--format=%B", first_bad)
    finally:
        store.kill()
