"""RRDs on disk: one ``.npz`` file per object under ``<state dir>/rrd/<kind>/<uuid>.npz``.

numpy's own uncompressed archive format (no pickles): the source definitions, the time of the
last update and each archive's rows oldest first. A file is written beside its final name and
renamed over it, so a crash mid-save leaves the previous save whole. On restore the rows are
placed by time: a file saved at ``t`` into a bank whose clock is later is shifted by the rows
that passed, which are unknown (NaN), as xcp-rrdd does for an RRD it reloads after a gap.
The raw ring and the half-built consolidated points are not saved (their PDPs count as unknown).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np

from xenia.metrics.registry import ObjectRrd, Registry
from xenia.metrics.rrd import STORE_DTYPE, Bank, DsDef, DsType

__all__ = ["load_all", "remove", "save", "snapshot"]

Snapshot = dict[str, np.ndarray]


def path_of(root: Path, kind: str, uuid: str) -> Path:
    return root / kind / f"{uuid}.npz"


def snapshot(bank: Bank, obj: ObjectRrd) -> Snapshot | None:
    """Copy what a save needs (cheap, on the event loop); None before the bank's first update."""
    if bank.last_updated is None or not obj.defs:
        return None
    d = obj.defs
    snap: Snapshot = {
        "names": np.array([x.name for x in d]),
        "units": np.array([x.units for x in d]),
        "descriptions": np.array([x.description for x in d]),
        "types": np.array([int(x.type) for x in d], dtype=np.int8),
        "mins": np.array([x.min for x in d]),
        "maxs": np.array([x.max for x in d]),
        "defaults": np.array([x.default for x in d]),
        "extra": np.array(sorted(obj.extra), dtype=str),
        "last_updated": np.array(bank.last_updated),
        "minmax": np.array(obj.minmax),
    }
    for i, _ in bank.rings_of(obj.minmax):
        ring = bank.rings[i]
        snap[f"a{i}"] = ring.columns(obj.idx, ring.archive.rows).astype(STORE_DTYPE)  # as the bank keeps them
    return snap


def save(root: Path, kind: str, uuid: str, snap: Snapshot) -> None:
    """Write one object's snapshot atomically (in a thread: this is the slow part)."""
    final = path_of(root, kind, uuid)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.tmp")
    with open(tmp, "wb") as f:
        np.savez(f, **snap)  # type: ignore[arg-type]
    os.replace(tmp, final)


def remove(root: Path, kind: str, uuid: str) -> None:
    path_of(root, kind, uuid).unlink(missing_ok=True)


def _read(path: Path) -> Snapshot | None:
    try:
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    except (OSError, ValueError, KeyError):
        return None


def load_all(root: Path, registry: Registry) -> int:
    """Restore every saved RRD; returns how many. Unreadable files are skipped (and kept)."""
    found: list[tuple[str, str, Snapshot]] = []
    for kind in ("host", "vm", "sr"):
        for path in sorted((root / kind).glob("*.npz")):
            snap = _read(path)
            if snap is not None:
                found.append((kind, path.stem, snap))
    if not found:
        return 0
    bank = registry.bank
    if bank.last_updated is None:
        newest = max(float(s["last_updated"]) for _, _, s in found)
        bank.last_updated = newest
    for kind, uuid, snap in found:
        _restore(registry, kind, uuid, snap)
    return len(found)


def _restore(registry: Registry, kind: str, uuid: str, snap: Snapshot) -> None:
    bank = registry.bank
    assert bank.last_updated is not None
    defs = [
        DsDef(str(n), DsType(int(t)), str(u), str(desc), float(lo), float(hi), bool(default))
        for n, t, u, desc, lo, hi, default in zip(
            snap["names"], snap["types"], snap["units"], snap["descriptions"], snap["mins"], snap["maxs"],
            snap["defaults"], strict=True,
        )
    ]  # fmt: skip
    obj = registry.obtain(kind, uuid, bool(snap["minmax"]) if "minmax" in snap else True)
    obj.extra = {str(x) for x in snap["extra"]}
    registry.add_sources(obj, defs)
    cols = obj.idx[[obj.pos[d.name] for d in defs]]
    saved_at = float(snap["last_updated"])
    for i, ring in enumerate(bank.rings):
        key = f"a{i}"
        if key not in snap:
            continue
        rows = ring.archive.rows
        period = ring.archive.period
        shift = math.floor(bank.last_updated / period) - math.floor(saved_at / period)
        data = np.full((rows, len(defs)), np.nan)
        if 0 <= shift < rows and snap[key].shape == (rows, len(defs)):
            data[: rows - shift] = snap[key][shift:]
        ring.store.write(ring.order(), cols, data)
