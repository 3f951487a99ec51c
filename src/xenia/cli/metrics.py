"""Metrics at the command line: xe's ``vm-data-source-*`` and ``host-data-source-*`` commands, and
``xenia top``, a live table like xentop and virt-top refreshed by the cooked query
(``xenia.query_data_sources``: one call per refresh for every VM, reduced on the host).
"""

from __future__ import annotations

import argparse
import math
import time
from typing import Any

from xenia.cli.fields import format_value
from xenia.cli.framework import CliFailure, Context, UsageError, XeCommand, register
from xenia.cli.objects import by_uuid
from xenia.cli.output import print_json, print_records
from xenia.cli.vm import SELECTORS, select_vms

#: the devices ``top`` sums over (the cooked query asks by name; absent ones are NaN)
DISKS = ("xvda", "xvdb", "xvdc", "xvdd", "xvde", "xvdf")
NICS = ("0", "1", "2", "3")
SORT_KEYS = {"cpu": "CPU%", "mem": "MEM(MiB)", "disk": "DISK(KiB/s)", "net": "NET(KiB/s)", "name": "NAME"}


def _host(ctx: Context) -> str:
    given = ctx.kv.get("uuid") or ctx.kv.get("host-uuid") or ctx.kv.get("host")
    if given:
        if given.count("-") == 4:
            return by_uuid(ctx, "host", given)[0]
        found = ctx.call("host.get_by_name_label", given)
        if not found:
            raise CliFailure(f"no host matches {given}", "UUID_INVALID")
        return str(found[0])
    hosts = ctx.call("host.get_all")
    if len(hosts) != 1:
        raise UsageError(f"{ctx.command.name}: say which host: uuid=")
    return str(hosts[0])


def _targets(ctx: Context, cls: str) -> list[str]:
    return [ref for ref, _ in select_vms(ctx)] if cls == "VM" else [_host(ctx)]


def _list(cls: str) -> Any:
    def run(ctx: Context) -> int:
        for ref in _targets(ctx, cls):
            rows = [
                {
                    "name_label": r["name_label"],
                    "name_description": r["name_description"],
                    "enabled": r["enabled"],
                    "standard": r["standard"],
                    "min": r["min"],
                    "max": r["max"],
                    "units": r["units"],
                }
                for r in sorted(ctx.call(f"{cls}.get_data_sources", ref), key=lambda r: r["name_label"])
            ]
            if ctx.json:
                print_json(ctx.out, rows)
            else:
                print_records(ctx.out, rows, dict.fromkeys(rows[0], "RO") if rows else None)
        return 0

    return run


def _each(cls: str, message: str, prints: bool) -> Any:
    def run(ctx: Context) -> int:
        for ref in _targets(ctx, cls):
            value = ctx.call(f"{cls}.{message}", ref, ctx.kv["data-source"])
            if prints:
                ctx.out.write(f"{format_value(_num(value))}\n")
        return 0

    return run


def _num(value: float | None) -> float:
    """Unknown arrives as NaN over XML-RPC and as null over JSON-RPC."""
    return math.nan if value is None else float(value)


def _rate_sum(values: dict[str, dict[str, float]], names: list[str]) -> float:
    known = [v for n in names if not math.isnan(v := _num(values[n]["average"]))]
    return sum(known) if known else math.nan


def _fmt(value: float, scale: float = 1.0, digits: int = 1) -> str:
    return "-" if math.isnan(value) else f"{value / scale:.{digits}f}"


def top_rows(ctx: Context, window: float, names: dict[str, str]) -> list[dict[str, Any]]:
    """One refresh: a row per running VM, from a single cooked query."""
    disk = [f"vbd_{d}_{rw}" for d in DISKS for rw in ("read", "write")]
    net = [f"vif_{n}_{d}" for n in NICS for d in ("rx", "tx")]
    sources = ["cpu_usage", "memory", "memory_internal_free", *disk, *net]
    result: dict[str, dict[str, dict[str, float]]] = ctx.call(
        "xenia.query_data_sources", [], sources, float(window), ["average"]
    )
    rows = []
    for uuid, values in result.items():
        if uuid not in names:
            ref = ctx.call("VM.get_by_uuid", uuid)
            names[uuid] = str(ctx.call("VM.get_name_label", ref))
        cpu = _num(values["cpu_usage"]["average"]) * 100
        rows.append(
            {
                "NAME": names[uuid],
                "UUID": uuid[:8],
                "CPU%": cpu,
                "MEM(MiB)": _num(values["memory"]["average"]) / (1 << 20),
                "FREE(MiB)": _num(values["memory_internal_free"]["average"]) / 1024,
                "DISK(KiB/s)": _rate_sum(values, disk) / 1024,
                "NET(KiB/s)": _rate_sum(values, net) / 1024,
            }
        )
    return rows


def _render(rows: list[dict[str, Any]], sort: str) -> str:
    key = SORT_KEYS[sort]
    numeric = key != "NAME"
    rows = sorted(
        rows,
        key=lambda r: (-(r[key] if not math.isnan(r[key]) else -1.0), r["NAME"]) if numeric else (r["NAME"], 0.0),
    )
    columns = ["NAME", "UUID", "CPU%", "MEM(MiB)", "FREE(MiB)", "DISK(KiB/s)", "NET(KiB/s)"]
    cells = [[r["NAME"], r["UUID"]] + [_fmt(r[c]) for c in columns[2:]] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = [
        "  ".join(c.rjust(w) if i > 1 else c.ljust(w) for i, (c, w) in enumerate(zip(columns, widths, strict=True)))
    ]
    for row in cells:
        lines.append(
            "  ".join(v.rjust(w) if i > 1 else v.ljust(w) for i, (v, w) in enumerate(zip(row, widths, strict=True)))
        )
    return "\n".join(line.rstrip() for line in lines) + "\n"


def top(ctx: Context) -> int:
    sort = ctx.kv.get("sort", "cpu")
    if sort not in SORT_KEYS:
        raise UsageError(f"top: sort= one of {', '.join(SORT_KEYS)}")
    try:
        interval = float(ctx.kv.get("interval", "5"))
        iterations = int(ctx.kv.get("iterations", "0"))
        window = float(ctx.kv.get("window", ctx.kv.get("interval", "5")))
    except ValueError:
        raise UsageError("top: interval=, window= and iterations= are numbers") from None
    names: dict[str, str] = {}
    live = ctx.out.isatty() and iterations != 1
    n = 0
    while True:
        rows = top_rows(ctx, window, names)
        if ctx.json:
            print_json(ctx.out, rows)
        else:
            if live:
                ctx.out.write("\x1b[H\x1b[2J")
            stamp = time.strftime("%H:%M:%S")
            ctx.out.write(f"xenia top - {stamp}  {len(rows)} running VMs, {window:g} s averages, sorted by {sort}\n")
            ctx.out.write(_render(rows, sort))
        ctx.out.flush()
        n += 1
        if iterations and n >= iterations:
            return 0
        time.sleep(interval)


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    host_params = ("uuid", "host", "host-uuid")
    for cls, prefix, params in (("VM", "vm", SELECTORS), ("host", "host", host_params)):
        register(sub, XeCommand(f"{prefix}-data-source-list", f"list the {cls}'s data sources (recorded or not)",
                                _list(cls), params=params))  # fmt: skip
        register(sub, XeCommand(f"{prefix}-data-source-query", f"the newest 5 s average of one of the {cls}'s sources",
                                _each(cls, "query_data_source", True), params=params + ("data-source",),
                                required=("data-source",)))  # fmt: skip
        register(sub, XeCommand(f"{prefix}-data-source-record", f"start recording a non-default source of the {cls}",
                                _each(cls, "record_data_source", False), params=params + ("data-source",),
                                required=("data-source",)))  # fmt: skip
        register(sub, XeCommand(f"{prefix}-data-source-forget", f"forget the recorded history of a {cls} source",
                                _each(cls, "forget_data_source_archives", False), params=params + ("data-source",),
                                required=("data-source",)))  # fmt: skip
    register(sub, XeCommand("top", "a live table of running VMs (CPU, memory, disk, network), like xentop; "
                            "sort=cpu|mem|disk|net|name interval=5 window=5 iterations=0 (forever)", top,
                            params=("sort", "interval", "window", "iterations")))  # fmt: skip
