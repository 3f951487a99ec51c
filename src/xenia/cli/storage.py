"""Storage commands beyond the generic ones: ``sr-scan`` and ``vdi-create``, with xe's parameter names."""

from __future__ import annotations

import argparse

from xenia.cli.fields import parse_bool, parse_int
from xenia.cli.framework import Context, UsageError, XeCommand, register
from xenia.cli.objects import by_uuid

VDI_TYPES = ("system", "user", "ephemeral", "suspend", "crashdump", "ha_statefile", "metadata", "redo_log", "rrd",
             "pvs_cache", "cbt_metadata")  # fmt: skip
VDI_CREATE_PARAMS = ("sr-uuid", "name-label", "virtual-size", "type", "sharable", "name-description")


def sr_scan(ctx: Context) -> int:
    ref, _ = by_uuid(ctx, "SR", ctx.kv["uuid"])
    ctx.call("SR.scan", ref)
    return 0


def vdi_create(ctx: Context) -> int:
    """xe's vdi-create: an empty disk of ``virtual-size`` bytes on the SR; prints its uuid."""
    unknown = [k for k in ctx.kv if k not in VDI_CREATE_PARAMS and not k.startswith("sm-config:")]
    if unknown:
        raise UsageError(f"vdi-create: unknown parameter {unknown[0]!r} (takes: {', '.join(VDI_CREATE_PARAMS)}, "
                         "sm-config:KEY)")  # fmt: skip
    try:
        size = parse_int(ctx.kv["virtual-size"])
        sharable = parse_bool(ctx.kv.get("sharable", "false"))
    except ValueError as e:
        raise UsageError(f"vdi-create: {e}") from None
    vdi_type = ctx.kv.get("type", "user")
    if vdi_type not in VDI_TYPES:
        raise UsageError(f"vdi-create: type must be one of {', '.join(VDI_TYPES)}")
    sr, _ = by_uuid(ctx, "SR", ctx.kv["sr-uuid"])
    sm_config = {k.partition(":")[2]: v for k, v in ctx.kv.items() if k.startswith("sm-config:")}
    vdi = ctx.call("VDI.create", {"name_label": ctx.kv["name-label"], "name_description": ctx.kv.get("name-description", ""),
                                  "SR": sr, "virtual_size": size, "type": vdi_type, "sharable": sharable,
                                  "read_only": False, "other_config": {}, "xenstore_data": {}, "sm_config": sm_config,
                                  "tags": []})  # fmt: skip
    ctx.out.write(ctx.call("VDI.get_uuid", vdi) + "\n")
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    register(sub, XeCommand("sr-scan", "look for disks added to or removed from an SR's storage", sr_scan,
                            params=("uuid",), required=("uuid",)))  # fmt: skip
    register(sub, XeCommand("vdi-create", "create an empty disk: sr-uuid= name-label= virtual-size= [type=] [sharable=]",
                            vdi_create, params=VDI_CREATE_PARAMS, required=("sr-uuid", "name-label", "virtual-size"),
                            open_params=True))  # fmt: skip
