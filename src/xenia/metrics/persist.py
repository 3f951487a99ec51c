"""RRDs on disk: one ``.npz`` file per object under ``<state dir>/rrd/<kind>/<uuid>.npz``.

numpy's own uncompressed archive format (no pickles): the source definitions, the time of the
last update and each archive's rows oldest first. A file is written beside its final name and
renamed over it, so a crash mid-save leaves the previous save whole. On restore the rows are
placed by time: a file saved at ``t`` into a bank whose clock is later is shifted by the rows
that passed, which are unknown (NaN), as xcp-rrdd does for an RRD it reloads after a gap.
The raw ring and the half-built consolidated points are not saved (their PDPs count as unknown).

The files are written by :func:`npz_bytes`, not ``np.savez``: at 10 000 VMs a save of every RRD
took some 25 s of CPU every 5 minutes through ``zipfile``'s per-member Python work (2.5 ms a file),
and starts slowed while it ran (issue 12). The members describing an RRD's sources are the same
for every VM of one layout, so they are encoded once (:func:`snapshot` hands out the same arrays,
whose encoding is remembered) and a file is those bytes, the archives' bytes and a stored
(uncompressed) zip around them, which ``np.load`` and :func:`_read` read as before.
"""

from __future__ import annotations

import io
import math
import os
import struct
import zipfile
import zlib
from collections.abc import Generator
from pathlib import Path
from typing import Any

import numpy as np

from xenia.metrics.registry import ObjectRrd, Registry
from xenia.metrics.rrd import STORE_DTYPE, Bank, DsDef, DsType

__all__ = ["load_all", "load_steps", "npz_bytes", "remove", "save", "snapshot", "snapshots"]

Snapshot = dict[str, np.ndarray]


def path_of(root: Path, kind: str, uuid: str) -> Path:
    return root / kind / f"{uuid}.npz"


#: (source definitions, extra sources, minmax) -> the arrays describing them: the VMs of one layout
#: record the same sources, so they share these arrays and their encoding
_described: dict[tuple[tuple[DsDef, ...], tuple[str, ...], bool], Snapshot] = {}
#: id of a shared array -> (the array, its npy bytes, their CRC-32)
_encoded: dict[int, tuple[np.ndarray, bytes, int]] = {}
_SHARED_LIMIT = 1024


def _description(defs: list[DsDef], extra: set[str], minmax: bool) -> Snapshot:
    key = (tuple(defs), tuple(sorted(extra)), minmax)  # a copy: an RRD's list grows when a source is added
    got = _described.get(key)
    if got is not None:
        return got
    d = defs
    arrays: Snapshot = {
        "names": np.array([x.name for x in d]),
        "units": np.array([x.units for x in d]),
        "descriptions": np.array([x.description for x in d]),
        "types": np.array([int(x.type) for x in d], dtype=np.int8),
        "mins": np.array([x.min for x in d]),
        "maxs": np.array([x.max for x in d]),
        "defaults": np.array([x.default for x in d]),
        "extra": np.array(key[1], dtype=str),
        "minmax": np.array(minmax),
    }
    if len(_described) >= _SHARED_LIMIT:  # layouts come and go over a daemon's life: start again
        _described.clear()
        _encoded.clear()
    _described[key] = arrays
    for array in arrays.values():
        _encoded[id(array)] = (array, *_npy(array))
    return arrays


def snapshot(bank: Bank, obj: ObjectRrd) -> Snapshot | None:
    """Copy what a save needs (cheap, on the event loop); None before the bank's first update."""
    return snapshots(bank, [obj])[0]


def snapshots(bank: Bank, objs: list[ObjectRrd]) -> list[Snapshot | None]:
    """:func:`snapshot` of several objects, each archive read once for all of them: a read per object
    and archive cost about 1 ms a VM on the event loop, some 10 s per save at 10 000 VMs (issue 12)."""
    if bank.last_updated is None:
        return [None] * len(objs)
    last_updated = np.array(bank.last_updated)
    out: list[Snapshot | None] = []
    for obj in objs:
        if not obj.defs:
            out.append(None)
            continue
        snap: Snapshot = dict(_description(obj.defs, obj.extra, obj.minmax))
        snap["last_updated"] = last_updated
        out.append(snap)
    kept = {minmax: {i for i, _ in bank.rings_of(minmax)} for minmax in (False, True)}
    for i, ring in enumerate(bank.rings):
        members = [(snap, obj) for snap, obj in zip(out, objs, strict=True) if snap is not None and i in kept[obj.minmax]]
        if not members:
            continue
        columns = ring.columns(np.concatenate([obj.idx for _, obj in members]), ring.archive.rows)
        columns = columns.astype(STORE_DTYPE)  # as the bank keeps them
        at = 0
        for snap, obj in members:
            snap[f"a{i}"] = columns[:, at : at + len(obj.idx)]
            at += len(obj.idx)
    return out


def save(root: Path, kind: str, uuid: str, snap: Snapshot) -> None:
    """Write one object's snapshot atomically (in a thread: this is the slow part)."""
    final = path_of(root, kind, uuid)
    if not final.parent.is_dir():
        final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.tmp")
    with open(tmp, "wb") as f:
        f.write(npz_bytes(snap))
    os.replace(tmp, final)


#: npy header bytes by (dtype, shape): every RRD file repeats the same few
_npy_headers: dict[tuple[str, tuple[int, ...]], bytes] = {}


def _npy(array: np.ndarray) -> tuple[bytes, int]:
    """An array as an ``.npy`` file (format 1.0, the header ``np.save`` writes) and its CRC-32."""
    if not array.flags.c_contiguous:  # written in C order, as its header says (ascontiguousarray makes a 0-d array 1-d)
        array = array.copy(order="C")
    key = (array.dtype.str, array.shape)
    header = _npy_headers.get(key)
    if header is None:
        buf = io.BytesIO()
        np.lib.format.write_array_header_1_0(buf, np.lib.format.header_data_from_array_1_0(array))
        header = buf.getvalue()
        if len(_npy_headers) < 4096:
            _npy_headers[key] = header
    data = header + array.tobytes()
    return data, zlib.crc32(data)


#: a member's DOS time and date: 1980-01-01 00:00 (the zip format's first day; readers ignore it)
_DOS_TIME, _DOS_DATE = 0, (1 << 5) | 1


def npz_bytes(snap: Snapshot) -> bytes:
    """``snap`` as an ``.npz`` file: a zip of stored ``<name>.npy`` members, as ``np.savez`` writes."""
    parts: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, array in snap.items():
        shared = _encoded.get(id(array))
        data, crc = shared[1:] if shared is not None and shared[0] is array else _npy(array)
        member = f"{name}.npy".encode()
        size = len(data)
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, _DOS_TIME, _DOS_DATE, crc, size, size, len(member), 0)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, _DOS_TIME, _DOS_DATE, crc, size,
                                   size, len(member), 0, 0, 0, 0, 0o600 << 16, offset) + member)  # fmt: skip
        parts += (local, member, data)
        offset += len(local) + len(member) + size
    directory = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join(parts) + directory + end


def remove(root: Path, kind: str, uuid: str) -> None:
    path_of(root, kind, uuid).unlink(missing_ok=True)


#: npy header bytes -> (shape, Fortran order, dtype): every RRD file repeats the same few headers
_headers: dict[bytes, tuple[tuple[int, ...], bool, np.dtype[Any]]] = {}


def _read(path: Path) -> Snapshot | None:
    """The arrays of one file, as ``np.load`` reads them, at a fraction of its cost.

    ``np.load`` evaluates each member's header text (``ast.literal_eval``), some 3 ms a file and
    25 s at 10 000 VMs before a restart could answer (issue 12); the files of one daemon repeat the
    same few headers, so each distinct header is parsed once (by numpy) and remembered."""
    try:
        out: Snapshot = {}
        with zipfile.ZipFile(path) as z:
            for member in z.namelist():
                data = z.read(member)
                if data[:6] != b"\x93NUMPY":
                    raise ValueError(f"{member} is not an npy array")
                size = 2 if data[6] == 1 else 4
                end = 8 + size + int.from_bytes(data[8 : 8 + size], "little")
                header = data[:end]
                parsed = _headers.get(header)
                if parsed is None:
                    f = io.BytesIO(header)
                    version = np.lib.format.read_magic(f)
                    read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
                    parsed = read(f)
                    if parsed[2].hasobject:
                        raise ValueError(f"{member} holds objects")
                    if len(_headers) < 4096:
                        _headers[header] = parsed
                shape, fortran, dtype = parsed
                array = np.frombuffer(data, dtype, offset=end).reshape(shape, order="F" if fortran else "C")
                out[member.removesuffix(".npy")] = array
        return out
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return None


#: RRDs restored together: one bank allocation for the group and one write per archive, where one
#: allocation and a write per archive for each RRD cost some 2 ms, 20 s at 10 000 VMs (issue 12); 256
#: a group held the event loop up to 0.27 s at 10 000 VMs, 64 some 60 ms
RESTORE_GROUP = 64

_DEF_FIELDS = ("names", "types", "units", "descriptions", "mins", "maxs", "defaults")


def load_all(root: Path, registry: Registry) -> int:
    """Restore every saved RRD; returns how many. Unreadable files are skipped (and kept)."""
    steps = load_steps(root, registry)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            count: int = done.value
            return count


def load_steps(root: Path, registry: Registry, files_per_step: int = 16) -> Generator[None, None, int]:
    """:func:`load_all` in steps: yields after every ``files_per_step`` files read and after each
    group restored, so a caller on the event loop can serve between them (``xenia serve`` restores
    10 000 VMs' RRDs after its API answers, not before: reading them took 6-12 s, issue 12). Returns
    how many were restored."""
    found: list[tuple[str, str, Snapshot]] = []
    for kind in ("host", "vm", "sr"):
        folder = root / kind
        # names, not Paths through glob: globbing 10 000 files held the loop 0.2 s (issue 12)
        try:
            names = sorted(name for name in os.listdir(folder) if name.endswith(".npz"))
        except FileNotFoundError:
            names = []
        for n, name in enumerate(names):
            if n % files_per_step == files_per_step - 1:
                yield
            snap = _read(folder / name)
            if snap is not None:
                found.append((kind, name[: -len(".npz")], snap))
    if not found:
        return 0
    bank = registry.bank
    bank.restored(max(float(s["last_updated"]) for _, _, s in found))
    defs: dict[tuple[object, ...], list[DsDef]] = {}
    for start in range(0, len(found), RESTORE_GROUP):
        yield
        _restore_group(registry, found[start : start + RESTORE_GROUP], defs)
    return len(found)


def _defs(snap: Snapshot, cache: dict[tuple[object, ...], list[DsDef]]) -> list[DsDef]:
    """The source definitions a snapshot holds; VMs of one layout share them (one set of objects)."""
    key = tuple(x for f in _DEF_FIELDS for x in (snap[f].dtype.str, snap[f].tobytes()))
    got = cache.get(key)
    if got is None:
        got = cache[key] = [
            DsDef(str(n), DsType(int(t)), str(u), str(desc), float(lo), float(hi), bool(default))
            for n, t, u, desc, lo, hi, default in zip(*(snap[f] for f in _DEF_FIELDS), strict=True)
        ]
    return got


def _restore_group(
    registry: Registry, group: list[tuple[str, str, Snapshot]], cache: dict[tuple[object, ...], list[DsDef]]
) -> None:
    bank = registry.bank
    assert bank.last_updated is not None
    restored: list[tuple[ObjectRrd, list[DsDef], Snapshot]] = []
    for kind, uuid, snap in group:
        obj = registry.obtain(kind, uuid, bool(snap["minmax"]) if "minmax" in snap else True)
        obj.extra = {str(x) for x in snap["extra"]}
        restored.append((obj, _defs(snap, cache), snap))
    registry.add_sources_many([(obj, defs) for obj, defs, _ in restored])
    cols = [obj.idx[[obj.pos[d.name] for d in defs]] for obj, defs, _ in restored]
    for i, ring in enumerate(bank.rings):
        key = f"a{i}"
        rows = ring.archive.rows
        period = ring.archive.period
        parts: list[np.ndarray] = []
        into: list[np.ndarray] = []
        for (_, defs, snap), where in zip(restored, cols, strict=True):
            if key not in snap:
                continue
            shift = math.floor(bank.last_updated / period) - math.floor(float(snap["last_updated"]) / period)
            if 0 <= shift < rows and snap[key].shape == (rows, len(defs)):
                part = snap[key]
                if shift:
                    part = np.full((rows, len(defs)), np.nan)
                    part[: rows - shift] = snap[key][shift:]
                parts.append(part)
                into.append(where)
        if parts:  # the rest stays unknown, as the allocation left it
            ring.store.write(ring.order(), np.concatenate(into), np.concatenate(parts, axis=1))
