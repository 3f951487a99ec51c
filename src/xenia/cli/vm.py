"""VM commands beyond the generic ones: install, uninstall, the power lifecycle, CD media.

Selectors follow xe: ``vm=`` (a name or a uuid), ``uuid=``, ``name-label=``;
when several VMs match, ``--multiple`` acts on each, otherwise it is an error.
Lifecycle calls run as tasks (see :mod:`xenia.cli.progress`), so ``--async``
prints the task ref and the default waits with a progress bar.
"""

from __future__ import annotations

import argparse
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from xenia.cli.fields import NULL_REF, parse_bool, parse_int
from xenia.cli.framework import CliFailure, Context, UsageError, XeCommand, register
from xenia.cli.objects import by_uuid
from xenia.cli.output import print_json, print_minimal, print_table
from xenia.cli.progress import run_task, wait
from xenia.client import Failure

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
SELECTORS = ("vm", "uuid", "name-label")

Rec = dict[str, Any]


def _lookup(ctx: Context, text: str, want_template: bool, uuids: bool = True) -> list[tuple[str, Rec]]:
    """VMs (or templates) whose uuid (if ``uuids``) or name is ``text``; snapshots never match."""
    if uuids and (UUID.match(text) or text.startswith("OpaqueRef:")):
        try:
            ref, rec = by_uuid(ctx, "VM", text)
            return [(ref, rec)] if not rec["is_a_snapshot"] else []
        except Failure as e:
            if e.code not in ("UUID_INVALID", "HANDLE_INVALID"):
                raise
    out = []
    for ref in ctx.call("VM.get_by_name_label", text):
        rec = ctx.call("VM.get_record", ref)
        if bool(rec["is_a_template"]) == want_template and not rec["is_a_snapshot"]:
            out.append((ref, rec))
    return out


def select_vms(ctx: Context) -> list[tuple[str, Rec]]:
    given = [(k, ctx.kv[k]) for k in SELECTORS if k in ctx.kv]
    if not given:
        raise UsageError(f"{ctx.command.name}: say which VM: vm=NAME-OR-UUID, uuid= or name-label=")
    if len(given) > 1:
        raise UsageError(f"{ctx.command.name}: give only one of vm=, uuid=, name-label=")
    key, text = given[0]
    if key == "uuid":
        vms = [by_uuid(ctx, "VM", text)]
    else:
        vms = _lookup(ctx, text, want_template=False, uuids=key == "vm")
    if not vms:
        raise CliFailure(f"no VM matches {key}={text}", "UUID_INVALID")
    if len(vms) > 1 and not ctx.args.multiple:
        raise UsageError(f"{len(vms)} VMs match {key}={text}: use uuid= or --multiple")
    return vms


def _flag(ctx: Context, name: str) -> bool:
    try:
        return parse_bool(ctx.kv.get(name, "false"))
    except ValueError as e:
        raise UsageError(f"{name}: {e}") from None


# ---------------------------------------------------------------------------- lifecycle

Choice = Callable[[Context], tuple[str, tuple[Any, ...]]]


def lifecycle(name: str, help: str, choose: Choice, extra: tuple[str, ...] = ()) -> XeCommand:
    def run(ctx: Context) -> int:
        method, params = choose(ctx)
        for ref, _ in select_vms(ctx):
            run_task(ctx, method, ref, *params)
        return 0

    return XeCommand(name, help, run, params=SELECTORS + extra, task=True)


def _start_args(ctx: Context) -> tuple[Any, ...]:
    return (_flag(ctx, "paused"), _flag(ctx, "force"))


LIFECYCLE = (
    lifecycle("vm-start", "start a halted VM [paused=true] [force=true]",
              lambda ctx: ("VM.start", _start_args(ctx)), ("paused", "force")),
    lifecycle("vm-shutdown", "shut a VM down: clean, or hard with force=true",
              lambda ctx: ("VM.hard_shutdown" if _flag(ctx, "force") else "VM.clean_shutdown", ()), ("force",)),
    lifecycle("vm-reboot", "reboot a VM: clean, or hard with force=true",
              lambda ctx: ("VM.hard_reboot" if _flag(ctx, "force") else "VM.clean_reboot", ()), ("force",)),
    lifecycle("vm-suspend", "suspend a running VM to disk", lambda ctx: ("VM.suspend", ())),
    lifecycle("vm-resume", "resume a suspended VM [paused=true] [force=true]",
              lambda ctx: ("VM.resume", _start_args(ctx)), ("paused", "force")),
    lifecycle("vm-pause", "pause a running VM", lambda ctx: ("VM.pause", ())),
    lifecycle("vm-unpause", "unpause a paused VM", lambda ctx: ("VM.unpause", ())),
)  # fmt: skip


# ---------------------------------------------------------------------------- save / restore (xl save, xl restore)


def vm_save(ctx: Context) -> int:
    path = os.path.abspath(ctx.kv["file"])  # the daemon runs on this host: the file is the caller's path
    for ref, _ in select_vms(ctx):
        ctx.call("xenia.VM_save", ref, path, ctx.kv.get("bandwidth", ""))
    return 0


def vm_restore(ctx: Context) -> int:
    ref = ctx.call("xenia.VM_restore", os.path.abspath(ctx.kv["file"]), ctx.kv.get("bandwidth", ""))
    print(ctx.call("VM.get_uuid", ref), file=ctx.out)
    return 0


# ---------------------------------------------------------------------------- install / uninstall


def _template(ctx: Context, text: str) -> str:
    found = _lookup(ctx, text, want_template=True)
    found = [(r, v) for r, v in found if v["is_a_template"]]
    if not found:
        raise CliFailure(f"no template matches template={text}", "UUID_INVALID")
    if len(found) > 1:
        raise UsageError(f"{len(found)} templates are named {text!r}: give the uuid")
    return found[0][0]


def _point_disks_at(ctx: Context, vm: str, sr_uuid: str) -> None:
    """Make every disk of the provision spec (``other_config["disks"]``) go to this SR, as xe's sr-uuid= does."""
    spec = ctx.call("VM.get_other_config", vm).get("disks")
    if not spec:
        return
    try:
        root = ET.fromstring(spec)
    except ET.ParseError as e:
        raise CliFailure(f"the template's disks spec is not XML: {e}") from None
    for disk in root.iter("disk"):
        disk.set("sr", sr_uuid)
    ctx.call("VM.remove_from_other_config", vm, "disks")
    ctx.call("VM.add_to_other_config", vm, "disks", ET.tostring(root, encoding="unicode"))


def install(ctx: Context) -> int:
    template = _template(ctx, ctx.kv["template"])
    sr_uuid = ctx.kv.get("sr-uuid")
    if sr_uuid:
        by_uuid(ctx, "SR", sr_uuid)  # UUID_INVALID before anything is created
    vm: str = wait(ctx, ctx.call("Async.VM.clone", template, ctx.kv["new-name-label"]), "VM.clone")
    try:
        if "new-name-description" in ctx.kv:
            ctx.call("VM.set_name_description", vm, ctx.kv["new-name-description"])
        if sr_uuid:
            _point_disks_at(ctx, vm, sr_uuid)
        # provision makes the disks and turns the template into a VM, as xe's vm-install relies on
        try:
            wait(ctx, ctx.call("Async.VM.provision", vm), "VM.provision")
        except Failure as e:
            if e.code != "MESSAGE_METHOD_UNKNOWN":
                raise
            ctx.err.write("xenia: note: the daemon has no VM.provision yet; the VM is installed without disks\n")
            ctx.call("VM.set_is_a_template", vm, False)  # what VM.provision would have done first
    except BaseException:
        try:
            _destroy_with_disks(ctx, vm)  # no half-installed VM left behind
        except Exception as cleanup:
            ctx.err.write(f"xenia: could not remove the half-installed VM {vm}: {cleanup}\n")
        raise
    ctx.out.write(ctx.call("VM.get_uuid", vm) + "\n")
    return 0


def copy_command(name: str, method: str, help: str, extra: tuple[str, ...] = ()) -> XeCommand:
    """xe's vm-clone, vm-snapshot, vm-checkpoint, vm-copy: a new VM from each selected one, printed as its uuid."""

    def run(ctx: Context) -> int:
        params: tuple[Any, ...] = ()
        if method == "VM.copy":
            sr_uuid = ctx.kv.get("sr-uuid")
            params = (by_uuid(ctx, "SR", sr_uuid)[0] if sr_uuid else NULL_REF,)
        elif method == "VM.snapshot":
            ignored = [u.strip() for u in ctx.kv.get("ignore-vdi-uuids", "").split(",") if u.strip()]
            params = ([by_uuid(ctx, "VDI", u)[0] for u in ignored],)
        for ref, _ in select_vms(ctx):
            new = run_task(ctx, method, ref, ctx.kv["new-name-label"], *params)
            if new is None:  # --async printed the task instead
                continue
            if "new-name-description" in ctx.kv:
                ctx.call("VM.set_name_description", new, ctx.kv["new-name-description"])
            ctx.out.write(ctx.call("VM.get_uuid", new) + "\n")
        return 0

    return XeCommand(name, help, run, params=SELECTORS + ("new-name-label", "new-name-description") + extra,
                     required=("new-name-label",), task=True)  # fmt: skip


COPIES = (
    copy_command("vm-clone", "VM.clone", "copy a halted VM quickly (disks copy-on-write); prints the new uuid"),
    copy_command("vm-snapshot", "VM.snapshot", "snapshot a VM (disks copy-on-write); prints the snapshot's uuid",
                 ("ignore-vdi-uuids",)),
    copy_command("vm-checkpoint", "VM.checkpoint", "snapshot a VM with its memory; prints the checkpoint's uuid"),
    copy_command("vm-copy", "VM.copy", "copy a halted VM with full copies of its disks [sr-uuid=]; prints the new uuid",
                 ("sr-uuid",)),
)  # fmt: skip


def _disks(ctx: Context, rec: Rec) -> list[str]:
    """The VDIs that belong to a VM: its disks (not CDs) and its suspend image."""
    vdis = []
    for vbd in rec["VBDs"]:
        vbd_rec = ctx.call("VBD.get_record", vbd)
        if vbd_rec["type"] != "CD" and vbd_rec["VDI"] != NULL_REF:
            vdis.append(vbd_rec["VDI"])
    if rec.get("suspend_VDI", NULL_REF) != NULL_REF:
        vdis.append(rec["suspend_VDI"])
    return vdis


def _destroy_with_disks(ctx: Context, vm: str) -> list[tuple[str, str]]:
    """Destroy the VM, then each of its disks that no other VM uses; return what went, as (class, uuid)."""
    rec = ctx.call("VM.get_record", vm)
    vdis = _disks(ctx, rec)
    ctx.call("VM.destroy", vm)
    gone = [("VM", str(rec["uuid"]))]
    for vdi in vdis:
        vdi_rec = ctx.call("VDI.get_record", vdi)
        if vdi_rec["VBDs"]:
            ctx.err.write(f"xenia: VDI {vdi_rec['name_label']} ({vdi_rec['uuid']}) kept: another VM uses it\n")
            continue
        ctx.call("VDI.destroy", vdi)
        gone.append(("VDI", str(vdi_rec["uuid"])))
    return gone


def uninstall(ctx: Context) -> int:
    force = _flag(ctx, "force")
    gone: list[tuple[str, str]] = []
    for ref, rec in select_vms(ctx):
        if rec["is_control_domain"]:
            raise CliFailure("the control domain cannot be uninstalled", "OPERATION_NOT_ALLOWED")
        if rec["power_state"] != "Halted" and force:
            wait(ctx, ctx.call("Async.VM.hard_shutdown", ref), "VM.hard_shutdown")
        gone += _destroy_with_disks(ctx, ref)
    if ctx.json:
        print_json(ctx.out, [{"class": cls, "uuid": uuid} for cls, uuid in gone])
    elif ctx.minimal:
        print_minimal(ctx.out, [uuid for _, uuid in gone])
    else:
        for cls, uuid in gone:
            ctx.out.write(f"{cls} {uuid} destroyed\n")
    return 0


# ---------------------------------------------------------------------------- CD media


def _cd_drives(ctx: Context, rec: Rec) -> list[tuple[str, Rec]]:
    drives = [(vbd, ctx.call("VBD.get_record", vbd)) for vbd in rec["VBDs"]]
    return sorted(((r, v) for r, v in drives if v["type"] == "CD"), key=lambda d: d[1]["userdevice"])


def _iso(ctx: Context, name: str) -> str:
    """The VDI named ``name``, preferring those on ISO SRs."""
    vdis = ctx.call("VDI.get_by_name_label", name)
    if not vdis:
        raise CliFailure(f"no VDI is named {name!r}", "UUID_INVALID")
    for vdi in vdis:
        sr = ctx.call("VDI.get_SR", vdi)
        if sr != NULL_REF and ctx.call("SR.get_content_type", sr) == "iso":
            return str(vdi)
    return str(vdis[0])


def cd_insert(ctx: Context) -> int:
    vdi = _iso(ctx, ctx.kv["cd-name"])
    for _ref, rec in select_vms(ctx):
        drives = _cd_drives(ctx, rec)
        if not drives:
            raise CliFailure(f"VM {rec['name_label']} ({rec['uuid']}) has no CD drive", "VM_NO_EMPTY_CD_VBD")
        empty = [d for d in drives if d[1]["empty"]]
        vbd = (empty or drives)[0][0]  # a full drive: let the daemon say VBD_NOT_EMPTY
        run_task(ctx, "VBD.insert", vbd, vdi)
    return 0


def cd_add(ctx: Context) -> int:
    """A CD drive holding the ISO ``cd-name`` at position ``device`` (xe's vm-cd-add), on a halted VM."""
    vdi = _iso(ctx, ctx.kv["cd-name"])
    for ref, _rec in select_vms(ctx):
        ctx.call("VBD.create", {"VM": ref, "VDI": vdi, "userdevice": ctx.kv["device"], "bootable": False,
                                "mode": "RO", "type": "CD", "empty": False, "other_config": {},
                                "qos_algorithm_type": "", "qos_algorithm_params": {}})  # fmt: skip
    return 0


def cd_eject(ctx: Context) -> int:
    for _ref, rec in select_vms(ctx):
        drives = _cd_drives(ctx, rec)
        if not drives:
            raise CliFailure(f"VM {rec['name_label']} ({rec['uuid']}) has no CD drive", "VM_NO_CD_DRIVE")
        full = [d for d in drives if not d[1]["empty"]]
        run_task(ctx, "VBD.eject", (full or drives)[0][0])  # all empty: let the daemon say VBD_IS_EMPTY
    return 0


def cd_remove(ctx: Context) -> int:
    """xe's vm-cd-remove: destroy the VM's CD drive holding the ISO ``cd-name`` (``<EMPTY>``: an empty drive)."""
    name = ctx.kv["cd-name"]
    for _ref, rec in select_vms(ctx):
        for vbd, vbd_rec in _cd_drives(ctx, rec):
            vdi = vbd_rec["VDI"]
            holds = ctx.call("VDI.get_name_label", vdi) == name if vdi != NULL_REF and not vbd_rec["empty"] else (
                name == "<EMPTY>")  # fmt: skip
            if holds:
                ctx.call("VBD.destroy", vbd)
                break
        else:
            raise CliFailure(f"VM {rec['name_label']} ({rec['uuid']}) has no CD drive holding {name!r}",
                             "VM_NO_CD_DRIVE")  # fmt: skip
    return 0


# ---------------------------------------------------------------------------- memory and vCPUs


def _bytes(ctx: Context, name: str) -> int:
    try:
        return parse_int(ctx.kv[name])
    except ValueError as e:
        raise UsageError(f"{name}: {e}") from None


def vm_call(name: str, help: str, params: tuple[str, ...], method: str,
            args: Callable[[Context], tuple[Any, ...]]) -> XeCommand:  # fmt: skip
    """A command that makes one call on each selected VM (templates included, as xe's memory commands do)."""

    def run(ctx: Context) -> int:
        values = args(ctx)  # the values are checked before any VM is looked up
        for ref, _ in select_vms(ctx):
            ctx.call(method, ref, *values)
        return 0

    return XeCommand(name, help, run, params=SELECTORS + params, required=params)


SETTINGS = (
    vm_call("vm-memory-limits-set", "set all four memory limits at once (sizes: 512MiB, 2GiB ...)",
            ("static-min", "static-max", "dynamic-min", "dynamic-max"), "VM.set_memory_limits",
            lambda ctx: tuple(_bytes(ctx, k) for k in ("static-min", "static-max", "dynamic-min", "dynamic-max"))),
    vm_call("vm-memory-static-range-set", "set the static memory range of a halted VM", ("min", "max"),
            "VM.set_memory_static_range", lambda ctx: (_bytes(ctx, "min"), _bytes(ctx, "max"))),
    vm_call("vm-memory-dynamic-range-set", "set the dynamic memory range (within the static range)", ("min", "max"),
            "VM.set_memory_dynamic_range", lambda ctx: (_bytes(ctx, "min"), _bytes(ctx, "max"))),
    vm_call("vm-memory-set", "give a VM this much memory: static max and the dynamic range", ("memory",),
            "VM.set_memory", lambda ctx: (_bytes(ctx, "memory"),)),
    vm_call("vm-memory-target-set", "set the memory target: the dynamic range becomes target..target", ("target",),
            "VM.set_memory_dynamic_range", lambda ctx: (_bytes(ctx, "target"), _bytes(ctx, "target"))),
    vm_call("vm-vcpu-hotplug", "change the number of vCPUs of a running VM", ("new-vcpus",),
            "VM.set_VCPUs_number_live", lambda ctx: (_bytes(ctx, "new-vcpus"),)),
)  # fmt: skip


def drift(ctx: Context) -> int:
    """``xenia.vm_drift`` as a table: each field whose live and persistent values differ, and why."""
    rows = []
    for ref, rec in select_vms(ctx):
        for name, entry in sorted(ctx.call("xenia.vm_drift", ref).items()):
            rows.append({"vm": rec["name_label"], "field": name, "persistent": entry["persistent"],
                         "live": entry["live"], "state": entry["state"]})  # fmt: skip
    if ctx.json:
        print_json(ctx.out, rows)
    else:
        print_table(ctx.out, ["vm", "field", "persistent", "live", "state"], rows)
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    register(sub, XeCommand("vm-install", "install a VM from a template: clone, un-template, provision disks", install,
                            params=("template", "new-name-label", "new-name-description", "sr-uuid"),
                            required=("template", "new-name-label")))  # fmt: skip
    register(sub, XeCommand("vm-uninstall", "destroy a VM and its disks (not CDs); force=true shuts it down first",
                            uninstall, params=SELECTORS + ("force",)))  # fmt: skip
    register(sub, XeCommand("vm-save", "save a running VM's whole state to a file (as xl save); the VM is halted after",
                            vm_save, params=SELECTORS + ("file", "bandwidth"), required=("file",)))  # fmt: skip
    register(sub, XeCommand("vm-restore", "run the VM saved in a file again (as xl restore); prints its uuid",
                            vm_restore, params=("file", "bandwidth"), required=("file",)))  # fmt: skip
    for command in (*COPIES, *LIFECYCLE, *SETTINGS):
        register(sub, command)
    register(sub, XeCommand("vm-drift", "fields of a running VM whose live and persistent values differ", drift,
                            params=SELECTORS))  # fmt: skip
    register(sub, XeCommand("vm-cd-insert", "put an ISO (by VDI name) in the VM's CD drive", cd_insert,
                            params=SELECTORS + ("cd-name",), required=("cd-name",), task=True))  # fmt: skip
    register(sub, XeCommand("vm-cd-add", "add a CD drive holding an ISO (by VDI name) at position device=", cd_add,
                            params=SELECTORS + ("cd-name", "device"), required=("cd-name", "device")))  # fmt: skip
    register(sub, XeCommand("vm-cd-eject", "eject the VM's CD", cd_eject, params=SELECTORS, task=True))
    register(sub, XeCommand("vm-cd-remove", "remove the CD drive holding an ISO (by VDI name, or <EMPTY>)", cd_remove,
                            params=SELECTORS + ("cd-name",), required=("cd-name",)))  # fmt: skip
