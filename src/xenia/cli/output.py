"""Printing: aligned tables and xe-style records for people, JSON for scripts, ``--minimal`` for shells."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TextIO

import orjson

from xenia.cli.fields import format_value


def print_json(out: TextIO, value: Any) -> None:
    out.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")


def print_minimal(out: TextIO, values: Sequence[Any]) -> None:
    """xe's ``--minimal``: the values joined by commas on one line."""
    out.write(",".join(format_value(v) for v in values) + "\n")


def print_table(out: TextIO, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    """A header and one aligned line per row; the last column is not padded."""
    cells = [[format_value(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    out.write(line([c.upper() for c in columns]) + "\n")
    for r in cells:
        out.write(line(r) + "\n")


def print_records(out: TextIO, rows: Sequence[dict[str, Any]], qualifiers: dict[str, str] | None = None) -> None:
    """xe's record blocks: ``name ( RW): value`` aligned on the colon, a blank line between records."""
    qualifiers = qualifiers or {}
    for i, row in enumerate(rows):
        if i:
            out.write("\n")
        labels = {k: f"{k} ({qualifiers[k]:>3})" if k in qualifiers else k for k in row}
        width = max((len(v) for v in labels.values()), default=0)
        for key, value in row.items():
            out.write(f"{labels[key].rjust(width)}: {format_value(value)}\n")
