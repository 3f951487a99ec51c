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
from xenia.metrics.rrd import DsDef, DsType


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
