"""History: thinning keeps constant size; log/show/diff/at; export to git; git bisect finds a key."""

from __future__ import annotations

import subprocess
from pathlib import Path

from xenia.store import cli
from xenia.store.engine import Engine
from xenia.store.history import History

from .conftest import Daemon


def test_thinning_is_bounded_and_dense_recently() -> None:
    h = History(recent=64, tiers=4, per_tier=16)
    e = Engine(history=h)
    s = e.open_session(lambda p, t: None)
    for i in range(5000):
        e.request(s, "write", "/counter", str(i).encode())
    assert len(h) <= h.capacity == 64 + 4 * 16
    seqs = [c.seq for c in h.commits()]
    assert seqs == sorted(seqs) and seqs[-1] == 5000
    assert seqs[-64:] == list(range(5000 - 63, 5001))  # dense recent
    gaps = [b - a for a, b in zip(seqs, seqs[1:], strict=False)]
    assert max(gaps) > 1  # sparser further back


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
