"""The tree and its indices survive a restart; open transactions do not."""

from __future__ import annotations

import pytest

from xenia.store.errors import XsError

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
