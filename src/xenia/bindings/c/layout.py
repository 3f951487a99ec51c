"""The ABI layout of the public record structs: field order and reserved size, kept in a file.

Seed 000 asked for padding "in all structures, to make it easier to preserve ABI compatibility".
A record struct is a union of its fields and a reserved byte array of fixed size, so its size
never changes while the fields fit; the fields keep the order the layout file records, and fields
a later datamodel adds go after them, wherever the datamodel declares them.  The layout file is
committed; the generator refuses a datamodel that would move or drop a recorded field or outgrow
the reserve (that is a new major version of the binding, and a deliberate ``--write-layout``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

#: every field of a record is at most 8 bytes (pointer, int64_t, double, time_t)
SLOT = 8
#: room for this many more fields in a class that enters the layout
MIN_SPARE_FIELDS = 16


@dataclass
class RecordLayout:
    size: int
    fields: list[str]


class LayoutError(Exception):
    """The datamodel no longer fits the recorded ABI."""


def initial_size(n_fields: int) -> int:
    """Bytes reserved for a record: its fields (plus the handle) and half as many again, at least 16 more."""
    slots = n_fields + 1 + max(MIN_SPARE_FIELDS, n_fields // 2)
    return -(-slots * SLOT // 64) * 64


def load(path: Path | None) -> dict[str, RecordLayout]:
    if path is None or not path.exists():
        return {}
    raw = json.loads(path.read_text())
    return {name: RecordLayout(v["size"], list(v["fields"])) for name, v in raw.items()}


def save(path: Path, layouts: dict[str, RecordLayout]) -> None:
    data = {name: {"size": lay.size, "fields": lay.fields} for name, lay in sorted(layouts.items())}
    path.write_text(json.dumps(data, indent=1) + "\n")


def arrange(cls: str, declared: list[str], layouts: dict[str, RecordLayout]) -> RecordLayout:
    """The order and size for ``cls``: recorded fields first, in their recorded order, then new ones."""
    known = layouts.get(cls)
    if known is None:
        lay = RecordLayout(initial_size(len(declared)), list(declared))
    else:
        gone = [f for f in known.fields if f not in declared]
        if gone:
            raise LayoutError(f"{cls}: fields {gone} left the datamodel; the record's ABI would break")
        lay = RecordLayout(known.size, known.fields + [f for f in declared if f not in known.fields])
    if (len(lay.fields) + 1) * SLOT > lay.size:
        raise LayoutError(f"{cls}: {len(lay.fields)} fields outgrow the {lay.size} bytes reserved")
    layouts[cls] = lay
    return lay
