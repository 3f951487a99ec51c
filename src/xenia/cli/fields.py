"""How API fields look on the command line: xe's dashed names, flat text values, and back.

xe spells ``name_label`` as ``name-label`` and ``VCPUs_max`` as ``VCPUs-max``
(case kept), shows sets as ``a; b`` and maps as ``k: v; k2: v2``, and shows
object references as the referenced object's uuid.  The reverse direction turns
``key=value`` text into the API type, guided by the field's current value
(the CLI has no datamodel: it only talks to the daemon through the client).
"""

from __future__ import annotations

import re
from typing import Any

NULL_REF = "OpaqueRef:NULL"

#: reference fields per class and the class they point to; shown as uuids, set from uuids
REF_FIELDS: dict[str, dict[str, str]] = {
    "VM": {"resident_on": "host", "affinity": "host", "scheduled_to_be_resident_on": "host", "suspend_VDI": "VDI",
           "suspend_SR": "SR", "snapshot_of": "VM", "parent": "VM", "metrics": "VM_metrics",
           "guest_metrics": "VM_guest_metrics", "VBDs": "VBD", "VIFs": "VIF", "consoles": "console",
           "snapshots": "VM", "children": "VM"},
    "VBD": {"VM": "VM", "VDI": "VDI"},
    "VIF": {"VM": "VM", "network": "network"},
    "VDI": {"SR": "SR", "VBDs": "VBD", "snapshot_of": "VDI", "snapshots": "VDI"},
    "SR": {"VDIs": "VDI", "PBDs": "PBD"},
    "PBD": {"host": "host", "SR": "SR"},
    "network": {"VIFs": "VIF", "PIFs": "PIF"},
    "PIF": {"host": "host", "network": "network"},
    "host": {"resident_VMs": "VM", "PIFs": "PIF", "PBDs": "PBD", "metrics": "host_metrics",
             "suspend_image_sr": "SR", "crash_dump_sr": "SR", "control_domain": "VM", "host_CPUs": "host_cpu"},
    "pool": {"master": "host", "default_SR": "SR", "suspend_image_SR": "SR", "crash_dump_SR": "SR"},
    "task": {"resident_on": "host", "subtask_of": "task", "subtasks": "task"},
}  # fmt: skip

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B?)?\s*$", re.IGNORECASE)
_UNITS = {"K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def dashed(field: str) -> str:
    """API field name to CLI name: ``name_label`` -> ``name-label``."""
    return field.replace("_", "-")


def api_name(name: str, fields: list[str] | dict[str, Any]) -> str | None:
    """CLI name to the API field it means, among ``fields``: exact first, then ignoring case."""
    wanted = name.replace("-", "_")
    if wanted in fields:
        return wanted
    lowered = wanted.lower()
    for f in fields:
        if f.lower() == lowered:
            return f
    return None


def format_value(value: Any) -> str:
    """A value as xe prints it: ``true``, ``a; b``, ``k: v; k2: v2``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(format_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {format_value(v)}" for k, v in value.items())
    return str(value)


def parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "yes", "on", "1"):
        return True
    if lowered in ("false", "no", "off", "0"):
        return False
    raise ValueError(f"expected true or false, not {text!r}")


def parse_int(text: str) -> int:
    """An integer, with xe's binary size suffixes allowed: ``512MiB``, ``4GiB``, ``1T``."""
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"expected a number, not {text!r}")
    number, unit = match.groups()
    scale = _UNITS[unit[0].upper()] if unit else 1
    value = float(number) * scale
    if value != int(value):
        raise ValueError(f"expected a whole number, not {text!r}")
    return int(value)


def parse_map(text: str) -> dict[str, str]:
    """``k: v; k2: v2`` (as printed) or ``k=v,k2=v2``; empty text is the empty map."""
    out: dict[str, str] = {}
    if not text.strip():
        return out
    sep, kv = (";", ":") if ":" in text else (",", "=")
    for item in text.split(sep):
        if not item.strip():
            continue
        key, found, value = item.partition(kv)
        if not found:
            raise ValueError(f"expected key{kv}value, not {item.strip()!r}")
        out[key.strip()] = value.strip()
    return out


def parse_list(text: str) -> list[str]:
    """``a,b`` or ``a; b``; empty text is the empty set."""
    sep = ";" if ";" in text else ","
    return [item.strip() for item in text.split(sep) if item.strip()]


def parse_like(current: Any, text: str) -> Any:
    """``text`` converted to the type of the field's current value."""
    if isinstance(current, bool):
        return parse_bool(text)
    if isinstance(current, int):
        return parse_int(text)
    if isinstance(current, float):
        return float(text)
    if isinstance(current, list):
        return parse_list(text)
    if isinstance(current, dict):
        return parse_map(text)
    return text
