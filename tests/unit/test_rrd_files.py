"""An RRD file as xenia writes it (``metrics.persist.npz_bytes``) is a zip of ``.npy`` members that
numpy's own ``np.load`` reads back exactly, as the daemon's reader does: the writer replaced
``np.savez`` (issue 12), so the format must not have moved."""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path

import numpy as np

from xenia.metrics import persist
from xenia.metrics.registry import Registry
from xenia.metrics.rrd import Bank, DsDef, DsType

T0 = 1_700_000_000.0


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))


def test_a_file_reads_back_with_numpy_and_the_daemon_reader(tmp_path: Path) -> None:
    defs = [
        DsDef("cpu0", DsType.DERIVE, "(fraction)", "CPU0 usage", 0.0, 1.0),
        DsDef("memory", DsType.GAUGE, "B", "Mémoire", max=math.inf, default=False),
    ]
    described = persist._description(defs, {"cpu0"}, True)
    assert persist._description(defs, {"cpu0"}, True) is described  # one set of arrays per layout
    archive = np.arange(24, dtype=np.float32).reshape(12, 2)
    archive[3, 1] = np.nan
    snap = {
        **described,
        "last_updated": np.array(1234.5),
        "a0": archive,
        "a3": np.full((5, 2), np.nan, dtype=np.float32),
    }
    data = persist.npz_bytes(snap)
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None  # every member's CRC-32 right
    with np.load(io.BytesIO(data)) as loaded:
        assert sorted(loaded.files) == sorted(snap)
        for name, array in snap.items():
            assert same(loaded[name], array), name
    assert list(described["names"]) == ["cpu0", "memory"] and list(described["descriptions"]) == [
        "CPU0 usage",
        "Mémoire",
    ]
    persist.save(tmp_path, "vm", "u", snap)
    back = persist._read(persist.path_of(tmp_path, "vm", "u"))
    assert back is not None and all(same(back[name], array) for name, array in snap.items())


def test_snapshots_of_several_rrds_hold_each_ones_values_and_sources() -> None:
    """A save copies a chunk of RRDs with one read per archive: each still gets its own columns (fed
    values known from first principles: a GAUGE's average of a constant is that constant), its own
    archives (MIN and MAX only where it has them) and its current sources (one added later shows)."""
    bank = Bank()
    registry = Registry(bank)
    gauge = [DsDef("memory", DsType.GAUGE, "B"), DsDef("free", DsType.GAUGE, "B")]
    plain = registry.obtain("vm", "plain", minmax=False)
    full = registry.obtain("vm", "full", minmax=True)
    for obj in (plain, full):
        registry.add_sources(obj, gauge)
    first = persist.snapshots(bank, [plain, full])
    assert first == [None, None]  # nothing fed yet: nothing to save
    for t in range(0, 3600, 5):
        bank.update(T0 + t, np.concatenate([plain.idx, full.idx]), np.array([1.0, 2.0, 10.0, 20.0]))
    registry.add_sources(full, [DsDef("late", DsType.GAUGE, "B")])
    one, two = persist.snapshots(bank, [plain, full])
    assert one is not None and two is not None
    assert list(one["names"]) == ["memory", "free"] and list(two["names"]) == ["memory", "free", "late"]
    averages = [i for i, ring in enumerate(bank.rings) if ring.archive.cf.value == "AVERAGE"]
    assert {k for k in one if k.startswith("a")} == {f"a{i}" for i in averages}
    assert {k for k in two if k.startswith("a")} == {f"a{i}" for i in range(len(bank.rings))}
    newest = averages[0]  # the 5 s archive: its newest rows are the values fed
    assert one[f"a{newest}"][-1].tolist() == [1.0, 2.0]
    assert two[f"a{newest}"][-1, :2].tolist() == [10.0, 20.0] and math.isnan(two[f"a{newest}"][-1, 2])
    for snap in (one, two):  # and each one a file numpy reads back
        with np.load(io.BytesIO(persist.npz_bytes(snap))) as loaded:
            assert all(same(loaded[name], array) for name, array in snap.items())


def test_layouts_given_to_many_rrds_at_once_give_each_its_own_sources() -> None:
    """The first tick after a restart lays out every VM's RRD with one bank allocation: each object
    still gets its own indices for the default sources plus those it was asked to record, and a value
    fed to one shows in its archives only (a GAUGE's average of a constant is that constant)."""
    bank = Bank()
    registry = Registry(bank)
    defs = (DsDef("memory", DsType.GAUGE, "B"), DsDef("free", DsType.GAUGE, "B", default=False))
    objs = [registry.obtain("vm", f"vm{i}") for i in range(3)]
    objs[1].extra.add("free")
    registry.set_layout_many(objs, "layout", defs)
    assert [obj.layout for obj in objs] == ["layout"] * 3
    assert [len(obj.feed) for obj in objs] == [1, 2, 1]
    feeds = np.concatenate([obj.feed for obj in objs])
    assert len(set(feeds.tolist())) == 4  # no index shared
    for t in range(0, 600, 5):
        bank.update(T0 + t, feeds, np.array([1.0, 2.0, 3.0, 4.0]))
    newest = next(i for i, ring in enumerate(bank.rings) if ring.archive.cf.value == "AVERAGE")
    snaps = persist.snapshots(bank, objs)
    assert [s[f"a{newest}"][-1].tolist() for s in snaps if s is not None] == [[1.0], [2.0, 3.0], [4.0]]
