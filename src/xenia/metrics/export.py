"""The wire formats of RRD data: xapi's ``rrd_updates`` (XML and JSON), the rrdtool-style dump
of ``/host_rrd`` and ``/vm_rrd`` (XML and JSON), and the Prometheus text format of ``/metrics``.

Shapes and number formatting follow ``ocaml/libs/xapi-rrd/lib/rrd_updates.ml`` and ``rrd.ml``
(``%0.15g``; ``NaN``, ``Infinity``, ``-Infinity``; zero as ``0.0``; every JSON scalar a string).
Archive choice follows ``find_best_rras``: the finest archive of the asked consolidation
function whose rows are at least ``interval`` long and which still reaches back to ``start``,
else the coarsest one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
import orjson

from xenia.metrics.registry import ObjectRrd
from xenia.metrics.rrd import HEARTBEAT, STEP, Bank, Cf, DsType

__all__ = ["NoArchive", "Updates", "f_to_s", "prometheus", "rrd_dump", "rrd_updates", "updates_json", "updates_xml"]

_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>'


class NoArchive(LookupError):
    """No archive answers the request (xcp-rrdd's ``No_RRA_Available``)."""


def f_to_s(x: float) -> str:
    """xcp-rrdd's ``Utils.f_to_s``."""
    if x != x:
        return "NaN"
    if x == 0.0:
        return "0.0"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return f"{x:0.15g}"


def _choose(bank: Bank, interval: int, cf: Cf | None, start: int) -> list[int]:
    """Indices of the archives to export (``find_best_rras``)."""
    rings = [i for i, a in enumerate(bank.archives) if cf is None or a.cf is cf]
    if not rings:
        raise NoArchive(cf)
    assert bank.last_updated is not None
    last_pdp = math.floor(bank.last_updated / STEP) * STEP
    pdp_interval = interval // STEP

    def contains(t: float, i: int) -> bool:
        a = bank.archives[i]
        return a.pdp_per_row >= pdp_interval and t > last_pdp - STEP * a.rows * a.pdp_per_row

    first = next((i for i in rings if contains(start, i)), None)
    if first is None:
        coarsest = bank.archives[rings[-1]]
        start = 1 + last_pdp - STEP * coarsest.rows * coarsest.pdp_per_row
        return [i for i in rings if contains(start, i)]
    a = bank.archives[first]
    return [i for i in rings if bank.archives[i].rows == a.rows and bank.archives[i].pdp_per_row == a.pdp_per_row]


@dataclass(frozen=True)
class Updates:
    start: int
    step: int
    end: int
    legend: list[str]
    times: list[int]  #: newest first
    data: np.ndarray  #: rows x columns, newest first


def rrd_updates(
    bank: Bank, objects: Sequence[tuple[str, ObjectRrd]], start: int, interval: int, cf: Cf | None
) -> Updates:
    """``Rrd_updates.create_multi``: ``objects`` are (legend prefix such as ``vm:<uuid>``, RRD)."""
    if bank.last_updated is None or not objects:
        raise NoArchive("no data yet")
    if start < 0:
        start = int(start + bank.last_updated)
    chosen = _choose(bank, interval, cf, start)
    if not chosen or (cf in (Cf.MIN, Cf.MAX) and not any(obj.minmax for _, obj in objects)):
        raise NoArchive(cf)  # find_best_rras finds no such archive in any of the RRDs
    first = bank.archives[chosen[0]]
    step = first.period
    last_cdp = math.floor(bank.last_updated / step) * step
    first_cdp = math.floor(start / step) * step + step
    rows = 0
    while rows < first.rows and last_cdp - rows * step >= start:
        rows += 1
    legend: list[str] = []
    blocks: list[np.ndarray] = []
    all_idx = np.concatenate([obj.idx for _, obj in objects])
    per_ring = {i: bank.rings[i].columns(all_idx, rows)[::-1] if rows else np.empty((0, len(all_idx))) for i in chosen}
    offset = 0
    for prefix, obj in objects:
        k = len(obj.idx)
        has = {i for i, _ in bank.rings_of(obj.minmax)}  # a VM's RRD may have no MIN and MAX
        for i in chosen:
            if i not in has:
                continue
            cf_name = bank.archives[i].cf.value
            legend += [f"{cf_name}:{prefix}:{d.name}" for d in obj.defs]
            blocks.append(per_ring[i][:, offset : offset + k])
        offset += k
    data = np.concatenate(blocks, axis=1) if blocks else np.empty((rows, 0))
    times = [last_cdp - i * step for i in range(rows)]
    return Updates(first_cdp, step, last_cdp, legend, times, data)


def updates_xml(u: Updates) -> bytes:
    out = [_XML_HEAD, "<xport><meta>"]
    out.append(f"<start>{u.start}</start><step>{u.step}</step><end>{u.end}</end>")
    out.append(f"<rows>{len(u.times)}</rows><columns>{len(u.legend)}</columns><legend>")
    out += [f"<entry>{escape(e)}</entry>" for e in u.legend]
    out.append("</legend></meta><data>")
    for t, row in zip(u.times, u.data.tolist(), strict=True):
        out.append(f"<row><t>{t}</t>" + "".join(f"<v>{f_to_s(v)}</v>" for v in row) + "</row>")
    out.append("</data></xport>")
    return "".join(out).encode()


def updates_json(u: Updates) -> bytes:
    return orjson.dumps(
        {
            "meta": {
                "start": str(u.start),
                "step": str(u.step),
                "end": str(u.end),
                "rows": str(len(u.times)),
                "columns": str(len(u.legend)),
                "legend": u.legend,
            },
            "data": [
                {"t": str(t), "values": [f_to_s(v) for v in row]}
                for t, row in zip(u.times, u.data.tolist(), strict=True)
            ],
        }
    )


_TYPE_NAMES = {DsType.GAUGE: "GAUGE", DsType.ABSOLUTE: "ABSOLUTE", DsType.DERIVE: "DERIVE"}


def rrd_dump(bank: Bank, obj: ObjectRrd, json: bool = False) -> bytes:
    """The whole RRD of one object, as ``Rrd.xml_to_output`` / ``Rrd.json_to_string`` write it."""
    idx = obj.idx
    last = bank.last_updated or 0.0
    ds = [
        {
            "name": d.name,
            "type": _TYPE_NAMES[d.type],
            "minimal_heartbeat": f_to_s(HEARTBEAT),
            "min": f_to_s(d.min),
            "max": f_to_s(d.max),
            "last_ds": f_to_s(float(bank.last_raw[i])) if bank.last_raw[i] == bank.last_raw[i] else "0.0",
            "value": f_to_s(float(bank.pdp_value[i])),
            "unknown_sec": str(int(bank.unknown_sec[i])),
        }
        for d, i in zip(obj.defs, idx.tolist(), strict=True)
    ]
    rras: list[dict[str, Any]] = []
    for i, a in bank.rings_of(obj.minmax):
        ring = bank.rings[i]
        rows = ring.columns(idx, a.rows).tolist()
        rras.append(
            {
                "cf": a.cf.value,
                "pdp_per_row": str(a.pdp_per_row),
                "xff": f_to_s(a.xff),
                "cdp": [(f_to_s(float(ring.acc[i])), str(int(ring.unknown[i]))) for i in idx.tolist()],
                "rows": [[f_to_s(v) for v in row] for row in rows],
            }
        )
    if json:
        return orjson.dumps(
            {
                "version": "0003",
                "step": str(STEP),
                "lastupdate": f_to_s(last),
                "ds": [{**x, "last_updated": f_to_s(last)} for x in ds],
                "rra": [
                    {
                        "cf": r["cf"],
                        "pdp_per_row": r["pdp_per_row"],
                        "params": {"xff": r["xff"]},
                        "cdp_prep": {
                            "ds": [
                                {"primary_value": "0.0", "secondary_value": "0.0", "value": v, "unknown_datapoints": u}
                                for v, u in r["cdp"]
                            ]
                        },
                        "database": r["rows"],
                    }
                    for r in rras
                ],
            }
        )
    out = [_XML_HEAD, f"<rrd><version>0003</version><step>{STEP}</step><lastupdate>{int(last)}</lastupdate>"]
    for x in ds:
        out.append("<ds>" + "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in x.items()) + "</ds>")
    for r in rras:
        out.append(f"<rra><cf>{r['cf']}</cf><pdp_per_row>{r['pdp_per_row']}</pdp_per_row>")
        out.append(f"<params><xff>{r['xff']}</xff></params><cdp_prep>")
        out += [
            "<ds><primary_value>0.0</primary_value><secondary_value>0.0</secondary_value>"
            f"<value>{v}</value><unknown_datapoints>{u}</unknown_datapoints></ds>"
            for v, u in r["cdp"]
        ]
        out.append("</cdp_prep><database>")
        out += ["<row>" + "".join(f"<v>{v}</v>" for v in row) + "</row>" for row in r["rows"]]
        out.append("</database></rra>")
    out.append("</rrd>")
    return "".join(out).encode()


# -- Prometheus --------------------------------------------------------------------------------

_DEVICE = re.compile(r"^(vbd|vif|pif)_(?!aggr_)([^_]+)_(.+)$")
_CPU = re.compile(r"^cpu(\d+)$")
#: the host's per-SR statistics, ``iops_total_<first 8 characters of the SR uuid>``
_SR_STAT = re.compile(r"^(.+)_([0-9a-f]{8})$")


def _family(kind: str, name: str) -> tuple[str, str]:
    """(metric family, extra labels) of a DS: ``cpu3`` -> ``xenia_vm_cpu``, ``cpu="3"``."""
    m = _CPU.match(name)
    if m:
        return f"xenia_{kind}_cpu", f',cpu="{m.group(1)}"'
    m = _DEVICE.match(name)
    if m:
        label = "vif" if m.group(1) == "vif" else "device"
        return f"xenia_{kind}_{m.group(1)}_{m.group(3)}", f',{label}="{m.group(2)}"'
    m = _SR_STAT.match(name) if kind == "host" else None
    if m:
        return f"xenia_host_sr_{m.group(1)}", f',sr="{m.group(2)}"'
    return f"xenia_{kind}_{re.sub(r'[^a-zA-Z0-9_]', '_', name)}", ""


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class PrometheusCache:
    """The scrape's fixed text, rebuilt only when the set of objects, their names or their
    recorded sources change: per family, one ``%``-template holding every series' text
    (``family{labels} %.12g``) and the bank indices of its values, so a scrape is one numpy
    gather and one C-level string formatting per family. Twelve significant digits (beyond any
    counter's precision; bytes exact below a terabyte) format about twice as fast as ``repr``'s
    shortest round trip, which was most of a scrape's cost at 10 000 VMs."""

    def __init__(self) -> None:
        self._stamp: list[tuple[int, int, str]] = []
        self._families: list[tuple[str, np.ndarray]] = []

    def families(self, objects: Sequence[tuple[ObjectRrd, str]]) -> list[tuple[str, np.ndarray]]:
        stamp = [(id(o), len(o.defs), name) for o, name in objects]
        if stamp == self._stamp:
            return self._families
        grouped: dict[str, tuple[list[str], list[int]]] = {}
        for obj, name in objects:
            base = f'uuid="{obj.uuid}",name="{_label(name)}"'.replace("%", "%%")
            for d, i in zip(obj.defs, obj.idx.tolist(), strict=True):
                family, extra = _family(obj.kind, d.name)
                prefixes, idx = grouped.setdefault(family, ([], []))
                prefixes.append(f"{family}{{{base}{extra}}} %.12g")
                idx.append(i)
        self._families = [
            (f"# TYPE {f} gauge\n" + "\n".join(p) + "\n", np.array(i, dtype=np.int64))
            for f, (p, i) in sorted(grouped.items())
        ]
        self._stamp = stamp
        return self._families


def prometheus(bank: Bank, objects: Sequence[tuple[ObjectRrd, str]], cache: PrometheusCache) -> bytes:
    """Every recorded source's latest rate, grouped by family as the text format requires
    (``nan``/``inf``, Python's spellings, are accepted by Prometheus's parser)."""
    rates = bank.last_rates
    out: list[str] = []
    for template, idx in cache.families(objects):
        values = rates[idx].tolist() if len(rates) else [math.nan] * len(idx)
        out.append(template % tuple(values))
    return "".join(out).encode()


