"""The commands every class gets: ``<class>-list``, ``-param-list``, ``-param-get``, ``-param-set``, ``-param-remove``.

Records come from ``<Class>.get_all_records``/``get_record``; what is printed,
filtered and set is the record's own fields under xe's dashed names, plus for
each reference field (``VBD.VM``) the derived ``vm-uuid`` and ``vm-name-label``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import Any

from xenia.cli.fields import NULL_REF, REF_FIELDS, api_name, dashed, format_value, parse_int, parse_like
from xenia.cli.framework import CliFailure, Context, UsageError, XeCommand, register
from xenia.cli.output import print_json, print_minimal, print_records, print_table
from xenia.client import Failure


@dataclass(frozen=True)
class ObjectClass:
    #: the name in command names: ``vm`` in ``vm-list``
    cli: str
    #: the XenAPI class
    api: str
    #: what ``<cli>-list`` shows without ``params=``
    columns: tuple[str, ...]
    #: filters applied unless the user gives the same key (``vm-list`` hides templates)
    defaults: dict[str, str] = field(default_factory=dict)


CLASSES = (
    ObjectClass("vm", "VM", ("uuid", "name-label", "power-state"), {"is-a-template": "false", "is-a-snapshot": "false"}),
    ObjectClass("template", "VM", ("uuid", "name-label", "name-description"),
                {"is-a-template": "true", "is-a-snapshot": "false"}),
    ObjectClass("snapshot", "VM", ("uuid", "name-label", "snapshot-of"), {"is-a-snapshot": "true"}),
    ObjectClass("vbd", "VBD", ("uuid", "vm-uuid", "vm-name-label", "vdi-uuid", "userdevice", "type", "empty")),
    ObjectClass("vif", "VIF", ("uuid", "vm-uuid", "vm-name-label", "device", "MAC", "network-uuid")),
    ObjectClass("vdi", "VDI", ("uuid", "name-label", "sr-name-label", "virtual-size", "type")),
    ObjectClass("sr", "SR", ("uuid", "name-label", "type", "content-type", "shared")),
    ObjectClass("pbd", "PBD", ("uuid", "host-uuid", "sr-uuid", "currently-attached")),
    ObjectClass("network", "network", ("uuid", "name-label", "bridge", "MTU")),
    ObjectClass("pif", "PIF", ("uuid", "device", "host-uuid", "network-uuid", "IP")),
    ObjectClass("host", "host", ("uuid", "name-label", "address", "enabled")),
    ObjectClass("pool", "pool", ("uuid", "name-label", "master")),
    ObjectClass("task", "task", ("uuid", "name-label", "status", "progress")),
)  # fmt: skip

BY_CLI = {c.cli: c for c in CLASSES}

# ---------------------------------------------------------------------------- reading


def uuid_of(ctx: Context, cls: str, ref: str) -> str:
    """The uuid of the object ``ref`` of class ``cls`` ("" for the null ref, the ref if unknown)."""
    if not ref or ref == NULL_REF:
        return ""
    try:
        return str(ctx.records(cls).get(ref, {}).get("uuid", ref))
    except Failure:
        return ref


def value_of(ctx: Context, cls: str, rec: dict[str, Any], name: str) -> Any:
    """The value shown for ``name`` (a dashed field or a derived ``<ref>-uuid``/``<ref>-name-label``)."""
    refs = REF_FIELDS.get(cls, {})
    f = api_name(name, rec)
    if f is not None:
        value = rec[f]
        target = refs.get(f)
        if target is None:
            return value
        if isinstance(value, list):
            return [uuid_of(ctx, target, v) for v in value]
        return uuid_of(ctx, target, str(value))
    for suffix in ("-uuid", "-name-label"):
        if name.lower().endswith(suffix):
            prefix = name[: -len(suffix)].lower()
            for ref_field, target in refs.items():
                if dashed(ref_field).lower() == prefix and ref_field in rec:
                    ref = str(rec[ref_field])
                    if suffix == "-uuid":
                        return uuid_of(ctx, target, ref)
                    if ref == NULL_REF:
                        return ""
                    try:
                        return ctx.records(target).get(ref, {}).get("name_label", "")
                    except Failure:
                        return ""
    raise UsageError(f"unknown parameter {name!r} for {cls} objects")


def select(ctx: Context, ocls: ObjectClass, filters: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:
    """The objects whose shown values equal every filter (case-insensitively, as xe users type them)."""
    wanted = {**{k: v for k, v in ocls.defaults.items() if k not in filters}, **filters}
    out = []
    for ref, rec in ctx.records(ocls.api).items():
        if all(format_value(value_of(ctx, ocls.api, rec, k)).lower() == v.lower() for k, v in wanted.items()):
            out.append((ref, rec))
    out.sort(key=lambda item: (str(item[1].get("name_label", "")), str(item[1].get("uuid", ""))))
    return out


def by_uuid(ctx: Context, api: str, uuid: str) -> tuple[str, dict[str, Any]]:
    """The object with this uuid (a ref is accepted too); UUID_INVALID from the daemon if none."""
    ref = uuid if uuid.startswith("OpaqueRef:") else ctx.call(f"{api}.get_by_uuid", uuid)
    return ref, ctx.call(f"{api}.get_record", ref)


def qualifiers(ctx: Context, api: str, rec: dict[str, Any]) -> dict[str, str]:
    """xe's ``RO``/``RW`` marks (``S``/``M`` prefixed for sets and maps), read from which setters exist."""
    methods = ctx.session.list_methods()
    out = {}
    for f, value in rec.items():
        kind = "S" if isinstance(value, list) else "M" if isinstance(value, dict) else ""
        out[dashed(f)] = kind + ("RW" if f"{api}.set_{f}" in methods else "RO")
    return out


def show(ctx: Context, api: str, rows: list[dict[str, Any]], names: list[str] | None) -> None:
    """Print selected objects as ``--minimal``, ``--json``, a table, or (``params=all``) record blocks."""
    table = [{n: value_of(ctx, api, rec, n) for n in (names or [dashed(f) for f in rec])} for rec in rows]
    if ctx.minimal:
        first = names[0] if names else "uuid"
        print_minimal(ctx.out, [row.get(first, "") for row in table])
    elif ctx.json:
        print_json(ctx.out, table)
    elif names is None:
        print_records(ctx.out, table)
    else:
        print_table(ctx.out, names, table)


# ---------------------------------------------------------------------------- commands


def list_command(ocls: ObjectClass) -> XeCommand:
    def run(ctx: Context) -> int:
        filters = dict(ctx.kv)
        params = filters.pop("params", None)
        rows = [rec for _, rec in select(ctx, ocls, filters)]
        if params == "all":
            names = None
        elif params:
            names = [p.strip() for p in params.split(",") if p.strip()]
        else:
            names = list(ocls.columns)
        if names is not None and rows:
            for n in names:
                value_of(ctx, ocls.api, rows[0], n)  # unknown names are a usage error even for one row
        show(ctx, ocls.api, rows, names)
        return 0

    return XeCommand(f"{ocls.cli}-list", f"list {ocls.cli} objects (filters: any FIELD=VALUE)", run,
                     params=("params", "uuid", "name-label"), open_params=True)  # fmt: skip


def param_list_command(ocls: ObjectClass) -> XeCommand:
    def run(ctx: Context) -> int:
        _, rec = by_uuid(ctx, ocls.api, ctx.kv["uuid"])
        row = {dashed(f): value_of(ctx, ocls.api, rec, dashed(f)) for f in rec}
        if ctx.json:
            print_json(ctx.out, row)
        else:
            print_records(ctx.out, [row], qualifiers(ctx, ocls.api, rec))
        return 0

    return XeCommand(f"{ocls.cli}-param-list", f"show every field of one {ocls.cli}", run,
                     params=("uuid",), required=("uuid",))  # fmt: skip


def param_get_command(ocls: ObjectClass) -> XeCommand:
    def run(ctx: Context) -> int:
        _, rec = by_uuid(ctx, ocls.api, ctx.kv["uuid"])
        value = value_of(ctx, ocls.api, rec, ctx.kv["param-name"])
        key = ctx.kv.get("param-key")
        if key is not None:
            if not isinstance(value, dict):
                raise UsageError(f"{ctx.kv['param-name']} is not a map: param-key does not apply")
            if key not in value:
                raise CliFailure(f"key {key!r} not found in map {ctx.kv['param-name']}", "MAP_KEY_NOT_FOUND")
            value = value[key]
        if ctx.json:
            print_json(ctx.out, value)
        else:
            ctx.out.write(format_value(value) + "\n")
        return 0

    return XeCommand(f"{ocls.cli}-param-get", f"print one field of one {ocls.cli}", run,
                     params=("uuid", "param-name", "param-key"), required=("uuid", "param-name"))  # fmt: skip


def _ref_value(ctx: Context, target: str, text: str) -> str:
    if not text:
        return NULL_REF
    ref, _ = by_uuid(ctx, target, text)
    return ref


PlannedCall = tuple[str, tuple[Any, ...]]


@dataclass
class Change:
    """The calls that make one ``field=value`` true, and those that put the old value back."""

    do: list[PlannedCall]
    undo: list[PlannedCall]


def plan_set(ctx: Context, api: str, ref: str, rec: dict[str, Any], key: str, text: str) -> Change:
    """The change ``field=value`` or ``map-field:key=value`` makes; checks the field and the value first."""
    methods = ctx.session.list_methods()
    name, colon, map_key = key.partition(":")
    f = api_name(name, rec)
    if f is None:
        raise UsageError(f"unknown parameter {name!r} for {api} objects")
    if colon:
        current = rec[f]
        if not isinstance(current, dict):
            raise UsageError(f"{name} is not a map: {key}= does not apply")
        if f"{api}.add_to_{f}" in methods:
            remove = [(f"{api}.remove_from_{f}", (ref, map_key))]
            restore = [(f"{api}.add_to_{f}", (ref, map_key, current[map_key]))] if map_key in current else []
            return Change([*(remove if map_key in current else []), (f"{api}.add_to_{f}", (ref, map_key, text))],
                          [*remove, *restore])  # fmt: skip
        if f"{api}.set_{f}" not in methods:
            raise UsageError(f"{name} is read-only")
        return Change([(f"{api}.set_{f}", (ref, {**current, map_key: text}))], [(f"{api}.set_{f}", (ref, current))])
    if f"{api}.set_{f}" not in methods:
        raise UsageError(f"{name} is read-only")
    target = REF_FIELDS.get(api, {}).get(f)
    value: Any
    try:
        if target is None:
            value = parse_like(rec[f], text)
        elif isinstance(rec[f], list):
            value = [_ref_value(ctx, target, s.strip()) for s in text.split(",") if s.strip()]
        else:
            value = _ref_value(ctx, target, text)
    except ValueError as e:
        raise UsageError(f"{name}: {e}") from None
    return Change([(f"{api}.set_{f}", (ref, value))], [(f"{api}.set_{f}", (ref, rec[f]))])


MEMORY = ("memory_static_min", "memory_static_max", "memory_dynamic_min", "memory_dynamic_max")


def _vm_constraints(ctx: Context, ref: str, rec: dict[str, Any], changes: dict[str, Change]) -> list[Change]:
    """The VM's changes in an order its constraints allow, whatever order the user wrote them in.

    The four memory limits become one ``VM.set_memory_limits`` (or, for the dynamic pair alone,
    ``VM.set_memory_dynamic_range``, which a running VM accepts), so static_min <= dynamic_min <=
    dynamic_max <= static_max is checked once on the final values; VCPUs_max goes first when it
    grows and last when it shrinks, so VCPUs_at_startup <= VCPUs_max holds at every step.
    """
    methods = ctx.session.list_methods()
    memory = {f: changes.pop(f).do[0][1][1] for f in MEMORY if f in changes}
    grouped: list[Change] = []
    if memory:
        new = {f: memory.get(f, rec[f]) for f in MEMORY}
        if set(memory) <= {"memory_dynamic_min", "memory_dynamic_max"} and "VM.set_memory_dynamic_range" in methods:
            grouped.append(Change([("VM.set_memory_dynamic_range", (ref, new["memory_dynamic_min"], new["memory_dynamic_max"]))],
                                  [("VM.set_memory_dynamic_range", (ref, rec["memory_dynamic_min"], rec["memory_dynamic_max"]))]))  # fmt: skip
        elif "VM.set_memory_limits" in methods:
            grouped.append(Change([("VM.set_memory_limits", (ref, *(new[f] for f in MEMORY)))],
                                  [("VM.set_memory_limits", (ref, *(rec[f] for f in MEMORY)))]))  # fmt: skip
        else:  # a server without the grouped calls: one field at a time, as given
            changes.update({f: plan_set(ctx, "VM", ref, rec, f, str(v)) for f, v in memory.items()})
    if "VCPUs_max" in changes and "VCPUs_at_startup" in changes:
        growing = changes["VCPUs_max"].do[0][1][1] >= rec["VCPUs_max"]
        first, second = ("VCPUs_max", "VCPUs_at_startup") if growing else ("VCPUs_at_startup", "VCPUs_max")
        grouped += [changes.pop(first), changes.pop(second)]
    return [*grouped, *changes.values()]


def apply_all_or_nothing(ctx: Context, changes: list[Change]) -> None:
    """Make every change, or, when the server refuses one, undo those made and raise the refusal."""
    done: list[Change] = []
    try:
        for change in changes:
            done.append(change)  # undone too if it fails half-way (a map key removed, not yet re-added)
            for method, params in change.do:
                ctx.call(method, *params)
    except Failure:
        for change in reversed(done):
            for method, params in change.undo:
                try:
                    ctx.call(method, *params)
                except Failure:  # e.g. the key the failed change never removed: nothing to put back
                    pass
        raise


def param_set_command(ocls: ObjectClass) -> XeCommand:
    def run(ctx: Context) -> int:
        fields = {k: v for k, v in ctx.kv.items() if k != "uuid"}
        if not fields:
            raise UsageError(f"{ocls.cli}-param-set: nothing to set (give FIELD=VALUE or MAP:KEY=VALUE)")
        ref, rec = by_uuid(ctx, ocls.api, ctx.kv["uuid"])
        scope = _scope(ctx)
        if scope is not None:
            return _scoped_set(ctx, ref, rec, fields, scope)
        changes: dict[str, Change] = {}
        for key, text in fields.items():  # every field is checked before anything is changed
            # keyed by the API's field name (a map key as given), so the VM's constraints find theirs
            changes[key if ":" in key else api_name(key, rec) or key] = plan_set(ctx, ocls.api, ref, rec, key, text)
        ordered = _vm_constraints(ctx, ref, rec, changes) if ocls.api == "VM" else list(changes.values())
        apply_all_or_nothing(ctx, ordered)
        return 0

    return XeCommand(f"{ocls.cli}-param-set", f"set fields of one {ocls.cli}: FIELD=VALUE, MAP:KEY=VALUE", run,
                     params=("uuid",), required=("uuid",), open_params=True, scoped=ocls.api == "VM")  # fmt: skip


def _scope(ctx: Context) -> str | None:
    """``--live`` / ``--persistent`` as a ``xenia.vm_set`` scope; None without either (xapi's setters)."""
    live, persistent = getattr(ctx.args, "live", False), getattr(ctx.args, "persistent", False)
    if live and persistent:
        return "both"
    return "live" if live else "persistent" if persistent else None


def _scoped_set(ctx: Context, ref: str, rec: dict[str, Any], fields: dict[str, str], scope: str) -> int:
    """Each field through ``xenia.vm_set`` with the scope (the server says which fields take one); prints what
    was applied where."""
    planned = []
    for key, text in fields.items():  # every field is checked before anything is changed
        name = api_name(key, rec)
        if name is None or ":" in key:
            raise UsageError(f"--live/--persistent: {key} is not a field of VM")
        try:
            planned.append((name, str(parse_int(text))))
        except ValueError as e:
            raise UsageError(f"{key}: {e}") from None
    rows = []
    for name, value in planned:
        answer = ctx.call("xenia.vm_set", ref, name, value, scope)
        rows.append({"field": name, "persistent": answer["persistent"], "live": answer["live"]})
    if ctx.json:
        print_json(ctx.out, rows)
    else:
        print_table(ctx.out, ["field", "persistent", "live"], rows)
    return 0


def param_remove_command(ocls: ObjectClass) -> XeCommand:
    def run(ctx: Context) -> int:
        ref, rec = by_uuid(ctx, ocls.api, ctx.kv["uuid"])
        name = ctx.kv["param-name"]
        f = api_name(name, rec)
        if f is None or not isinstance(rec[f], dict | list):
            raise UsageError(f"{name} is not a map or set field of {ocls.api}")
        if isinstance(rec[f], dict):
            ctx.call(f"{ocls.api}.remove_from_{f}", ref, ctx.kv["param-key"])
        else:
            ctx.call(f"{ocls.api}.remove_{f}", ref, ctx.kv["param-key"])
        return 0

    return XeCommand(f"{ocls.cli}-param-remove", f"remove a key from a map (or a member of a set) of one {ocls.cli}",
                     run, params=("uuid", "param-name", "param-key"),
                     required=("uuid", "param-name", "param-key"))  # fmt: skip


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for ocls in CLASSES:
        register(sub, list_command(ocls))
        register(sub, param_list_command(ocls))
        register(sub, param_get_command(ocls))
        register(sub, param_set_command(ocls))
        register(sub, param_remove_command(ocls))
