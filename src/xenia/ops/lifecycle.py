"""The VM lifecycle table: which operation is allowed in which power state, and why not.

One table, as xapi's ``xapi_vm_lifecycle.ml``: a new operation must declare
where it is allowed, and both the checks that refuse a call and the
``allowed_operations`` field clients read come from it.  Check order follows
xapi: blocked operations, power state, other operations in progress, templates,
snapshots, the control domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xenia.datamodel.errors import ApiError

HALTED, PAUSED, RUNNING, SUSPENDED = "Halted", "Paused", "Running", "Suspended"
ANY = (HALTED, PAUSED, RUNNING, SUSPENDED)

#: operation -> power states it is allowed in (order is the order errors list them)
ALLOWED: dict[str, tuple[str, ...]] = {
    "start": (HALTED,),
    "start_on": (HALTED,),
    "pause": (RUNNING,),
    "unpause": (PAUSED,),
    "clean_shutdown": (RUNNING,),
    "hard_shutdown": (PAUSED, SUSPENDED, RUNNING),
    "shutdown": (PAUSED, SUSPENDED, RUNNING),
    "clean_reboot": (RUNNING,),
    "hard_reboot": (PAUSED, RUNNING),
    "suspend": (RUNNING,),
    "resume": (SUSPENDED,),
    "resume_on": (SUSPENDED,),
    "clone": (HALTED,),
    "copy": (HALTED,),
    "snapshot": ANY,
    "checkpoint": (PAUSED, SUSPENDED, RUNNING),
    "revert": ANY,
    "reverting": ANY,
    "provision": (HALTED,),
    "destroy": (HALTED, SUSPENDED),
    "make_into_template": (HALTED,),
    "power_state_reset": ANY,
    "changing_dynamic_range": (HALTED, RUNNING),
    "changing_static_range": (HALTED,),
    "changing_VCPUs": (HALTED,),
    "changing_VCPUs_live": (RUNNING,),
    "changing_memory_live": (RUNNING,),
    "export": (HALTED, SUSPENDED),
    "metadata_export": ANY,
    "migrate_send": (HALTED, SUSPENDED, RUNNING),  # xapi: a Paused VM does not migrate
    "pool_migrate": (RUNNING,),
}

#: operations advertised in ``allowed_operations`` (xapi leaves out its internal ones)
ADVERTISED = (
    "snapshot", "clone", "copy", "revert", "checkpoint", "provision", "start", "start_on", "pause", "unpause",
    "clean_shutdown", "clean_reboot", "hard_shutdown", "hard_reboot", "suspend", "resume", "resume_on",
    "changing_dynamic_range", "changing_static_range", "changing_VCPUs_live", "export", "metadata_export",
    "make_into_template", "destroy", "pool_migrate",
)  # fmt: skip

#: operations that may run side by side on one VM (xapi's compatible sets)
_COMPATIBLE = ({"clone", "copy", "export"}, {"snapshot", "checkpoint"})
#: what may start while exactly one other operation runs (xapi's state machine: a VM being sent
#: to another pool may still be shut down, rebooted or have its metadata exported)
_ALONGSIDE = {"migrate_send": {"metadata_export", "clean_shutdown", "clean_reboot"}}

#: what a template may do (xapi: changing_*, clone, copy, export, provision, and destroy and migrate_send
#: unless it is a default template)
_TEMPLATE_OK = {"clone", "copy", "export", "metadata_export", "provision", "destroy", "migrate_send",
                "changing_static_range", "changing_dynamic_range", "changing_VCPUs"}  # fmt: skip
_SNAPSHOT_OK = {"revert", "reverting", "clone", "copy", "export", "destroy", "hard_shutdown", "metadata_export"}
#: what a control domain may do (xapi_vm_lifecycle.ml's list; changing_VCPUs and destroy are refused for dom0)
_CONTROL_DOMAIN_OK = {"data_source_op", "changing_memory_live", "awaiting_memory_live", "metadata_export",
                      "changing_dynamic_range", "changing_memory_limits", "changing_static_range", "start",
                      "start_on"}  # fmt: skip
#: operations a control domain may also do while running (xapi's allowed_power_states)
_CONTROL_DOMAIN_RUNNING = {"changing_VCPUs", "changing_static_range", "changing_memory_limits"}


def _refusal(ref: str, rec: dict[str, Any], op: str) -> tuple[object, ...] | None:
    """Why ``op`` may not run on the VM now, as ``(code, *params)``, or None if it may.

    A plain tuple, because ``allowed_operations`` asks this for every operation after every change
    and needs only the yes or no."""
    blocked = rec.get("blocked_operations", {})
    if op in blocked:
        return ("OPERATION_BLOCKED", ref, blocked[op])
    allowed = ALLOWED.get(op)
    if allowed is None:
        return ("OPERATION_NOT_ALLOWED", f"unknown operation {op}")
    state = rec["power_state"]
    if rec.get("is_control_domain") and op in _CONTROL_DOMAIN_RUNNING:
        allowed = (*allowed, RUNNING)
    elif op in ("clone", "copy") and rec.get("is_a_snapshot"):
        allowed = (HALTED, SUSPENDED)  # a checkpoint is cloned with its memory image (xapi)
    if state not in allowed:
        return ("VM_BAD_POWER_STATE", ref, ", ".join(s.lower() for s in allowed), state.lower())
    current = rec.get("current_operations", {})
    if current:
        running = set(current.values())
        alongside = len(current) == 1 and op in _ALONGSIDE.get(next(iter(running)), ())
        if not any(running | {op} <= group for group in _COMPATIBLE) and not _may_interrupt(op, running) \
                and not alongside:
            return ("OTHER_OPERATION_IN_PROGRESS", "VM", ref, *_in_progress(current))
    if rec.get("is_a_template") and not rec.get("is_a_snapshot") and (
            op not in _TEMPLATE_OK or (op in ("destroy", "migrate_send") and is_default_template(rec))):
        return ("VM_IS_TEMPLATE", ref, op)
    if rec.get("is_a_snapshot") and op not in _SNAPSHOT_OK:
        return ("VM_IS_SNAPSHOT", ref, op)
    if op == "provision" and not rec.get("is_a_template"):
        return ("PROVISION_ONLY_ALLOWED_ON_TEMPLATE",)
    if op == "revert" and not rec.get("is_a_snapshot"):
        return ("REVERT_ONLY_ALLOWED_ON_SNAPSHOT",)
    if rec.get("is_control_domain"):
        if op in ("changing_VCPUs", "destroy"):  # xapi says "dom0" for these; xenia's one control domain is dom0
            return ("OPERATION_NOT_ALLOWED", "This operation is not allowed on dom0")
        if op not in _CONTROL_DOMAIN_OK:
            return ("OPERATION_NOT_ALLOWED", "This operation is not allowed on a control domain")
        if op == "changing_dynamic_range" and state == RUNNING:  # xenia's difference: see docs/api.md
            return ("OPERATION_NOT_ALLOWED", "xenia does not balloon the control domain")
    return None


def _in_progress(current: dict[str, str]) -> tuple[str, str]:
    """The operations in progress and their tasks as xapi's ``report_concurrent_operations_error``
    names them: the one operation and its task, or every one of each as ``{a,b}``."""
    if len(current) == 1:
        ((task, op),) = current.items()
        return op, task
    return "{" + ",".join(current.values()) + "}", "{" + ",".join(current) + "}"


def is_default_template(rec: dict[str, Any]) -> bool:
    """xapi's test: the field, or the older ``other_config:default_template`` flag read as its
    ``bool_of_assoc`` reads it ("1", or "true" in any case)."""
    flag = rec.get("other_config", {}).get("default_template")
    return bool(rec.get("is_default_template")) or flag == "1" or (flag is not None and flag.lower() == "true")


def check(ref: str, rec: dict[str, Any], op: str) -> ApiError | None:
    """Why ``op`` may not run on the VM now, or None if it may."""
    refusal = _refusal(ref, rec, op)
    return None if refusal is None else ApiError(str(refusal[0]), *refusal[1:])


def _may_interrupt(op: str, running: set[str]) -> bool:
    """A hard stop may cut through anything but another hard stop (xapi's rule)."""
    if op == "hard_shutdown":
        return "hard_shutdown" not in running
    if op == "hard_reboot":
        return not running & {"hard_shutdown", "hard_reboot"}
    return False


def require(ref: str, rec: dict[str, Any], op: str) -> None:
    error = check(ref, rec, op)
    if error is not None:
        raise error


#: advertised operations xenia has no message or handler for yet: never listed
NOT_SERVED = frozenset({"export", "metadata_export"})
#: driver capability -> the operations that need it (``changing_dynamic_range`` only on a live VM)
_NEEDS: dict[str, tuple[str, ...]] = {
    "pause": ("pause", "unpause"),
    "clean_shutdown": ("clean_shutdown",),
    "clean_reboot": ("clean_reboot",),
    "suspend": ("suspend", "resume", "resume_on", "checkpoint"),
    "vcpu_hotplug": ("changing_VCPUs_live",),
    "balloon": ("changing_dynamic_range:live",),
}


def unsupported(capabilities: set[str] | frozenset[str]) -> frozenset[str]:
    """What the driver cannot do, as operation names (``op:live`` when only a live VM cannot)."""
    missing = {op for cap, ops in _NEEDS.items() if cap not in capabilities for op in ops}
    return frozenset(missing | NOT_SERVED)


@dataclass(frozen=True, slots=True)
class Guest:
    """What a running guest told xapi about itself, as ``check_op_for_feature`` reads it."""

    #: ``VM_guest_metrics.other``: ``feature-*`` flags, ``data-cant-suspend-reason``
    other: dict[str, str]
    #: a guest agent reported its version (``PV_drivers_version`` has ``major``)
    pv_drivers: bool
    #: ``VM_metrics.current_domain_type`` is PV, PV-in-PVH or PVH
    booted_pv: bool

    def lacks(self, feature: str) -> bool:
        return self.other.get(feature) != "1"


NO_GUEST = Guest({}, False, False)


def _feature_refusal(rec: dict[str, Any], op: str, guest: Guest) -> str | None:
    """xapi's strict ``check_op_for_feature``: the operations a live guest must support, for ``allowed_operations``."""
    live = rec["power_state"] in (RUNNING, PAUSED)
    implicit = not live or guest.booted_pv or guest.pv_drivers
    if op in ("suspend", "checkpoint", "pool_migrate") and live:
        if "data-cant-suspend-reason" in guest.other:
            return "VM_NON_SUSPENDABLE"
        return None if implicit or not guest.lacks("feature-suspend") else "VM_LACKS_FEATURE"
    if implicit:
        return None
    if op == "clean_shutdown" and guest.lacks("feature-shutdown") and guest.lacks("feature-poweroff"):
        return "VM_LACKS_FEATURE"
    if op == "clean_reboot" and guest.lacks("feature-shutdown") and guest.lacks("feature-reboot"):
        return "VM_LACKS_FEATURE"
    if op == "changing_VCPUs_live" and guest.lacks("feature-vcpu-hotplug"):
        return "VM_LACKS_FEATURE"
    return None


def allowed_operations(ref: str, rec: dict[str, Any], cannot: frozenset[str] = NOT_SERVED,
                       guest: Guest = NO_GUEST) -> list[str]:  # fmt: skip
    """The VM's ``allowed_operations``: every advertised operation its checks (and, as xapi's
    strict check, the guest's features) let through and xenia can carry out here (``cannot``: from
    :func:`unsupported`), so clients never see an operation that then fails for want of a handler,
    a driver feature or a guest that answers."""
    # the list depends on a handful of flags only: computed once per combination, since every change
    # to any VM recomputes its list (10 000 VMs adopted at start-up; every start, twice with its own
    # operation in current_operations)
    current = rec.get("current_operations") or {}
    blocked = rec.get("blocked_operations") or {}
    key = (rec["power_state"], bool(rec.get("is_a_template")), bool(rec.get("is_a_snapshot")),
           is_default_template(rec), bool(rec.get("is_control_domain")), cannot,
           tuple(sorted(guest.other.items())), guest.pv_drivers, guest.booted_pv,
           tuple(sorted(current.values())) if current else (), tuple(sorted(blocked)) if blocked else ())  # fmt: skip
    known = _ALLOWED_BY_FLAGS.get(key)
    if known is None:
        if len(_ALLOWED_BY_FLAGS) >= 4096:
            _ALLOWED_BY_FLAGS.clear()
        known = _ALLOWED_BY_FLAGS[key] = tuple(_allowed(ref, rec, cannot, guest))
    return list(known)


#: allowed_operations by what decides them (the operations in progress and blocked among it)
_ALLOWED_BY_FLAGS: dict[tuple[object, ...], tuple[str, ...]] = {}


def _allowed(ref: str, rec: dict[str, Any], cannot: frozenset[str], guest: Guest) -> list[str]:
    live = rec["power_state"] in (RUNNING, PAUSED)
    return [op for op in ADVERTISED
            if op not in cannot and not (live and f"{op}:live" in cannot) and _refusal(ref, rec, op) is None
            and _feature_refusal(rec, op, guest) is None]  # fmt: skip
