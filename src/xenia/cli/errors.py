"""API errors as xe prints them: the code, the parameters, then each parameter under its name.

xe names a failure's parameters from xapi's datamodel (``vm: <uuid> (<name>)``,
``expected: halted``, ``actual: running``) and shows every object reference as
its uuid and name.  The CLI has no datamodel (it talks to the daemon only over
the wire), so it carries the names of the errors a command-line user meets,
copied from xapi's ``datamodel_errors.ml``; references in any error are
looked up among the classes the CLI lists.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from xenia.cli.output import print_json
from xenia.client import Failure

if TYPE_CHECKING:
    from xenia.cli.framework import Context

#: parameter names of common errors, as xapi's datamodel declares them
ERROR_PARAMS: dict[str, tuple[str, ...]] = {
    "VM_BAD_POWER_STATE": ("vm", "expected", "actual"),
    "VM_IS_TEMPLATE": ("vm",),
    "VM_IS_SNAPSHOT": ("vm", "operation"),
    "VM_NO_EMPTY_CD_VBD": ("vm",),
    "VM_HVM_REQUIRED": ("vm",),
    "VM_MISSING_PV_DRIVERS": ("vm",),
    "VM_REQUIRES_SR": ("vm", "sr"),
    "VM_NOT_RESIDENT_HERE": ("vm", "host"),
    "VM_SHUTDOWN_TIMEOUT": ("vm", "timeout"),
    "VBD_NOT_EMPTY": ("vbd",),
    "VBD_IS_EMPTY": ("vbd",),
    "VBD_TRAY_LOCKED": ("vbd",),
    "VDI_IN_USE": ("vdi", "operation"),
    "VDI_IS_NOT_ISO": ("vdi", "type"),
    "SR_FULL": ("requested", "maximum"),
    "OTHER_OPERATION_IN_PROGRESS": ("class", "object", "operation_type", "operation_ref"),
    "OPERATION_NOT_ALLOWED": ("reason",),
    "HANDLE_INVALID": ("class", "handle"),
    "UUID_INVALID": ("type", "uuid"),
    "INVALID_VALUE": ("field", "value"),
    "FIELD_TYPE_ERROR": ("field",),
    "MEMORY_CONSTRAINT_VIOLATION": ("constraint",),
    "HOST_NOT_ENOUGH_FREE_MEMORY": ("needed", "available"),
    "DEVICE_ALREADY_EXISTS": ("device",),
    "TASK_CANCELLED": ("task",),
    "MESSAGE_METHOD_UNKNOWN": ("method",),
    "SESSION_AUTHENTICATION_FAILED": ("username", "message"),
    "RBAC_PERMISSION_DENIED": ("permission", "message"),
}

#: the class a named parameter points to, so its ref is looked up there first
_PARAM_CLASS = {"vm": "VM", "vbd": "VBD", "vdi": "VDI", "vif": "VIF", "sr": "SR", "host": "host", "task": "task",
                "network": "network", "object": ""}  # fmt: skip
#: where a reference of unknown class is looked for, most likely first
_CLASSES = ("VM", "VBD", "VDI", "VIF", "SR", "host", "network", "task", "PBD", "PIF", "pool")


def _describe_ref(ctx: Context, ref: str, hint: str) -> str:
    """``<uuid> (<name>)`` for a reference, as xe shows one; the ref itself when nothing has it."""
    for cls in ([hint] if hint else []) + [c for c in _CLASSES if c != hint]:
        try:
            rec = ctx.call(f"{cls}.get_record", ref)
        except Failure:
            continue
        name = rec.get("name_label", "")
        return f"{rec.get('uuid', ref)} ({name})" if name else str(rec.get("uuid", ref))
    return ref


def shown_params(e: Failure, ctx: Context | None) -> list[str]:
    """The parameters with every live reference shown as its uuid and name (needs a logged-in session)."""
    names = ERROR_PARAMS.get(e.code, ())
    if ctx is None or not ctx.logged_in or e.code == "HANDLE_INVALID":
        return list(e.params)
    out = []
    for i, value in enumerate(e.params):
        if value.startswith("OpaqueRef:") and value != "OpaqueRef:NULL":
            name = names[i] if i < len(names) else ""
            value = _describe_ref(ctx, value, _PARAM_CLASS.get(name, ""))
        out.append(value)
    return out


def print_failure(e: Failure, json_output: bool, ctx: Context | None = None) -> None:
    """``Error code:``/``Error parameters:`` as xe prints an unknown error, then ``name: value`` lines."""
    params = shown_params(e, ctx)
    names = ERROR_PARAMS.get(e.code, ())
    if json_output:
        doc: dict[str, object] = {"error": e.code, "params": e.params}
        if names:
            doc["named"] = dict(zip(names, params, strict=False))
        print_json(sys.stderr, doc)
        return
    print(f"Error code: {e.code}", file=sys.stderr)
    print(f"Error parameters: {', '.join(params)}", file=sys.stderr)
    for name, value in zip(names, params, strict=False):
        print(f"{name}: {value}", file=sys.stderr)
