"""The journal keeps exactly the acknowledged writes across SIGKILL (issue 9, item 4).

Every test runs the store as its own process and kills it with SIGKILL, so only what reached the journal
survives; a restart on the same state directory must show every acknowledged write and nothing else.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from xenia.store.errors import XsError
from xenia.store.sockclient import SyncClient
from xenia.store.wire import Op

from .conftest import StoreProcess


def restart(store: StoreProcess) -> StoreProcess:
    store.kill()
    return StoreProcess(store.state)


def journal_file(state: Path) -> Path:
    found = [p for p in (state / "store").iterdir() if p.name.startswith("journal")]
    assert len(found) == 1, found
    return found[0]


def test_stub_domain_write_under_its_target_survives(store: StoreProcess) -> None:
    with SyncClient(store.socket) as dom0:
        dom0.write("/local/domain/5/device-model", "")
        dom0.set_perms("/local/domain/5/device-model", ["n5"])
        dom0.request(Op.SET_TARGET, b"7\x005\x00")  # SET_TARGET: domain 7 is the stub domain of domain 5
    with SyncClient(store.socket) as stub:
        stub.control("act-as", "7")
        stub.write("/local/domain/5/device-model/state", "running")  # acknowledged via the target's rights
    store = restart(store)
    try:
        with SyncClient(store.socket) as dom0:
            assert dom0.read("/local/domain/5/device-model/state") == b"running"
        with SyncClient(store.socket) as stub:  # the target relation itself survived as well
            stub.control("act-as", "7")
            stub.write("/local/domain/5/device-model/state", "paused")
    finally:
        store.kill()


def test_guest_writes_above_default_quota_after_set_quota_survive(store: StoreProcess) -> None:
    with SyncClient(store.socket) as dom0:
        dom0.write("/local/domain/9/data", "")
        dom0.set_perms("/local/domain/9/data", ["n9"])
        dom0.request(Op.SET_QUOTA, b"nodes\x003000\x00")  # SET_QUOTA above the default of 1000
    with SyncClient(store.socket) as guest:
        guest.control("act-as", "9")
        for i in range(1200):
            guest.write(f"/local/domain/9/data/{i // 100}/{i % 100}", str(i))
    store = restart(store)
    try:
        with SyncClient(store.socket) as dom0:
            got = sum(len(dom0.directory(f"/local/domain/9/data/{d}")) for d in range(12))
            assert got == 1200
            assert dom0.read("/local/domain/9/data/11/99") == b"1199"
            assert dom0.request(Op.GET_QUOTA, b"nodes\x00") == b"3000\x00"
    finally:
        store.kill()


def test_corrupt_record_stops_the_start_loudly(store: StoreProcess) -> None:
    with SyncClient(store.socket) as dom0:
        for i in range(20):
            dom0.write(f"/c/{i}", "v" * 10)
    store.kill()
    path = journal_file(store.state)
    data = bytearray(path.read_bytes())
    middle = data.index(b"/c/10")
    data[middle + 1] = ord("x")  # a flipped byte in a record that is followed by good ones
    path.write_bytes(bytes(data))
    out = subprocess.run(
        [sys.executable, "-m", "xenia.store.cli", "store-serve", "--state-dir", str(store.state)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert out.returncode != 0
    assert "journal" in out.stderr and "record at byte" in out.stderr


def test_torn_last_record_is_cut_before_appending(store: StoreProcess) -> None:
    with SyncClient(store.socket) as dom0:
        dom0.write("/t/before", "1")
    store.kill()
    with journal_file(store.state).open("ab") as f:
        f.write(b'0badc0de {"s":99,"t":0,"d":0,"c":0,"m":"write /t/x","e":[["p","/t/x"')  # a write cut short
    store = StoreProcess(store.state)
    with SyncClient(store.socket) as dom0:
        with pytest.raises(XsError):
            dom0.read("/t/x")
        dom0.write("/t/after", "2")
    store = restart(store)
    try:
        with SyncClient(store.socket) as dom0:
            assert dom0.read("/t/before") == b"1"
            assert dom0.read("/t/after") == b"2"
    finally:
        store.kill()


def test_failed_journal_write_is_eio_and_not_applied(store: StoreProcess) -> None:
    """A full disk, as RLIMIT_FSIZE on the daemon: the journal cannot grow, so nothing may change."""
    with SyncClient(store.socket) as dom0:
        dom0.write("/f/ok", "1")
        size = journal_file(store.state).stat().st_size
        _, hard = resource.prlimit(store.proc.pid, resource.RLIMIT_FSIZE)
        resource.prlimit(store.proc.pid, resource.RLIMIT_FSIZE, (size + 3000, hard))
        refused = None
        for i in range(10):
            try:
                dom0.write(f"/f/big{i}", "x" * 1000)
            except XsError as exc:
                assert exc.name == "EIO"
                refused = i
                break
        assert refused is not None, "the file size limit never hit the journal"
        with pytest.raises(XsError) as err:
            dom0.read(f"/f/big{refused}")
        assert err.value.name == "ENOENT"  # not applied in memory
        with pytest.raises(XsError):  # a transaction's commit is refused the same way
            tx = dom0.start()
            dom0.write("/f/tx", "y" * 1000, tx)
            dom0.end(tx)
        with pytest.raises(XsError):
            dom0.read("/f/tx")
        resource.prlimit(store.proc.pid, resource.RLIMIT_FSIZE, (hard, hard))  # space again
        dom0.write("/f/later", "2")
    store = restart(store)
    try:
        with SyncClient(store.socket) as dom0:
            names = dom0.directory("/f")
            assert names == ["ok", *[f"big{i}" for i in range(refused)], "later"]
            assert dom0.read("/f/later") == b"2"
    finally:
        store.kill()
