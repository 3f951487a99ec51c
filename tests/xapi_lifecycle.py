"""xapi's VM lifecycle rules, written down from xapi's source as the tests' oracle.

Transcribed from ``ocaml/xapi/xapi_vm_lifecycle.ml`` (``allowed_power_states``,
``is_allowed_concurrently``, ``check_template``, ``check_snapshot``,
``check_op_for_feature``, the control-domain rules, ``ignored_ops``) and
nothing else: it does not import xenia's own lifecycle table, so a test that
compares the two catches a table that drifted from xapi's.  Only what xenia
documents it cannot do (``docs/api.md``: no export handlers yet, driver
capabilities) is taken off xapi's answer, as a literal list here.

Checks xapi makes for features xenia has none of (appliances, protection
policies, vGPUs, VUSBs, PCI passthrough, VDI on-boot reset, rolling upgrade,
VTPMs, nested virtualisation) can never fire on a xenia VM and are left out.
"""

from __future__ import annotations

from typing import Any

HALTED, PAUSED, RUNNING, SUSPENDED = "Halted", "Paused", "Running", "Suspended"
ALL = (HALTED, PAUSED, SUSPENDED, RUNNING)

#: vm_operations, in the datamodel's order (API.vm_operations__all)
VM_OPERATIONS = (
    "snapshot", "clone", "copy", "create_template", "revert", "checkpoint", "snapshot_with_quiesce", "provision",
    "start", "start_on", "pause", "unpause", "clean_shutdown", "clean_reboot", "hard_shutdown", "power_state_reset",
    "hard_reboot", "suspend", "csvm", "resume", "resume_on", "pool_migrate", "migrate_send", "get_boot_record",
    "send_sysrq", "send_trigger", "query_services", "shutdown", "call_plugin", "changing_memory_live",
    "awaiting_memory_live", "changing_dynamic_range", "changing_static_range", "changing_memory_limits",
    "changing_shadow_memory", "changing_shadow_memory_live", "changing_VCPUs", "changing_VCPUs_live",
    "changing_NVRAM", "assert_operation_valid", "data_source_op", "update_allowed_operations",
    "make_into_template", "import", "export", "metadata_export", "reverting", "destroy", "create_vtpm",
)  # fmt: skip

#: never listed in allowed_operations (xapi's ignored_ops)
IGNORED = {
    "create_template", "power_state_reset", "csvm", "get_boot_record", "send_sysrq", "send_trigger",
    "query_services", "shutdown", "call_plugin", "changing_memory_live", "awaiting_memory_live",
    "changing_memory_limits", "changing_shadow_memory_live", "changing_VCPUs", "assert_operation_valid",
    "data_source_op", "update_allowed_operations", "import", "reverting",
}  # fmt: skip

_RUNNING_ONLY = {
    "awaiting_memory_live", "call_plugin", "clean_reboot", "clean_shutdown", "changing_memory_live",
    "changing_shadow_memory_live", "changing_VCPUs_live", "data_source_op", "pause", "pool_migrate",
    "send_sysrq", "send_trigger", "snapshot_with_quiesce", "sysprep", "suspend",
}  # fmt: skip


def allowed_power_states(op: str, vm: dict[str, Any]) -> tuple[str, ...]:
    control = vm["is_control_domain"]
    if op == "import":
        return ()
    if op in ("changing_VCPUs", "changing_static_range", "changing_memory_limits"):
        return (HALTED, RUNNING) if control else (HALTED,)
    if op in ("changing_shadow_memory", "changing_NVRAM", "make_into_template", "provision", "start", "start_on"):
        return (HALTED,)
    if op == "unpause":
        return (PAUSED,)
    if op in ("csvm", "resume", "resume_on"):
        return (SUSPENDED,)
    if op in _RUNNING_ONLY:
        return (RUNNING,)
    if op == "changing_dynamic_range":
        return (HALTED, RUNNING)
    if op in ("clone", "copy"):
        # clone_suspended_vm_enabled is off by default in xapi
        return (HALTED, SUSPENDED) if vm["is_a_snapshot"] else (HALTED,)
    if op in ("create_template", "destroy", "export"):
        return (HALTED, SUSPENDED)
    if op == "hard_reboot":
        return (PAUSED, RUNNING)
    if op in ("checkpoint", "get_boot_record", "shutdown", "hard_shutdown"):
        return (PAUSED, SUSPENDED, RUNNING)
    if op == "migrate_send":
        return (HALTED, SUSPENDED, RUNNING)
    if op == "create_vtpm":
        return (HALTED,)
    return ALL  # assert_operation_valid, metadata_export, power_state_reset, revert, reverting, snapshot, ...


def allowed_concurrently(op: str, current: list[str]) -> bool:
    def aux(group: set[str]) -> bool:
        return op in group and all(o in group for o in current)

    if aux({"clone", "copy", "export"}) or aux({"snapshot", "checkpoint"}) or aux({"get_boot_record"}):
        return True
    if op == "hard_shutdown":
        return op not in current
    if op == "hard_reboot":
        return not any(o in ("hard_shutdown", "hard_reboot") for o in current)
    pairs = [(["snapshot_with_quiesce"], "snapshot"), (["migrate_send"], "metadata_export"),
             (["migrate_send"], "clean_shutdown"), (["migrate_send"], "clean_reboot")]  # fmt: skip
    return any(state == current and transition == op for state, transition in pairs)


_TEMPLATE_OK = {"changing_dynamic_range", "changing_static_range", "changing_memory_limits", "changing_shadow_memory",
                "changing_VCPUs", "changing_NVRAM", "clone", "copy", "export", "metadata_export", "provision"}  # fmt: skip
_SNAPSHOT_OK = {"revert", "clone", "copy", "export", "destroy", "hard_shutdown", "metadata_export"}
_CONTROL_DOMAIN_OK = {"data_source_op", "changing_memory_live", "awaiting_memory_live", "metadata_export",
                      "changing_dynamic_range", "changing_memory_limits", "changing_static_range", "start",
                      "start_on", "changing_VCPUs", "destroy"}  # fmt: skip


def _has_pv_drivers(gm: dict[str, Any] | None) -> bool:
    """xapi's ``has_pv_drivers (of_guest_metrics gm)``: a guest agent reported its version."""
    return gm is not None and "major" in gm.get("PV_drivers_version", {})


def _lacks(gm: dict[str, Any] | None, feature: str) -> bool:
    return gm is None or gm.get("other", {}).get(feature) != "1"


def refusal(ref: str, vm: dict[str, Any], op: str, gm: dict[str, Any] | None = None,
            metrics: dict[str, Any] | None = None, strict: bool = True) -> list[str] | None:  # fmt: skip
    """xapi's ``check_operation_error``: the error ``[code, *params]`` for ``op``, or None."""
    power = vm["power_state"]
    blocked = vm.get("blocked_operations", {})
    if op in blocked:
        return ["OPERATION_BLOCKED", ref, blocked[op]]
    states = allowed_power_states(op, vm)
    if power not in states:
        return ["VM_BAD_POWER_STATE", ref, ", ".join(s.lower() for s in states), power.lower()]
    current = list(vm.get("current_operations", {}).values())
    if current and not allowed_concurrently(op, current):
        (task, other), *_ = vm["current_operations"].items()
        return ["OTHER_OPERATION_IN_PROGRESS", "VM", ref, other, task]
    if vm["is_a_template"] and not vm["is_a_snapshot"]:
        flag = vm.get("other_config", {}).get("default_template", "")
        default = vm.get("is_default_template") or flag == "1" or flag.lower() == "true"  # bool_of_assoc
        if not (op in _TEMPLATE_OK or (op in ("destroy", "migrate_send") and not default)):
            return ["VM_IS_TEMPLATE", ref, op]
    if vm["is_a_snapshot"] and op not in _SNAPSHOT_OK:
        return ["VM_IS_SNAPSHOT", ref, op]
    if op == "provision" and not vm["is_a_template"]:
        return ["PROVISION_ONLY_ALLOWED_ON_TEMPLATE"]
    if op == "revert" and not vm["is_a_snapshot"]:
        return ["REVERT_ONLY_ALLOWED_ON_SNAPSHOT"]
    if vm["is_control_domain"]:
        if op in ("changing_VCPUs", "destroy"):
            return ["OPERATION_NOT_ALLOWED", "This operation is not allowed on dom0"]
        if op not in _CONTROL_DOMAIN_OK:
            return ["OPERATION_NOT_ALLOWED", "This operation is not allowed on a control domain"]
    return _feature_refusal(ref, vm, op, gm, metrics, strict)


def _feature_refusal(ref: str, vm: dict[str, Any], op: str, gm: dict[str, Any] | None,
                     metrics: dict[str, Any] | None, strict: bool) -> list[str] | None:  # fmt: skip
    live = vm["power_state"] in (RUNNING, PAUSED)
    booted_pv = metrics is not None and metrics.get("current_domain_type") in ("pv", "pv_in_pvh", "pvh")
    implicit = not live or booted_pv or _has_pv_drivers(gm)
    if op in ("suspend", "checkpoint", "pool_migrate", "migrate_send") and live:
        reason = None if gm is None else gm.get("other", {}).get("data-cant-suspend-reason")
        if reason is not None:
            return ["VM_NON_SUSPENDABLE", ref, reason]
        if not implicit and strict and _lacks(gm, "feature-suspend"):
            return ["VM_LACKS_FEATURE", ref]
        return None
    if implicit:
        return None
    if op == "clean_shutdown" and strict and _lacks(gm, "feature-shutdown") and _lacks(gm, "feature-poweroff"):
        return ["VM_LACKS_FEATURE", ref]
    if op == "clean_reboot" and strict and _lacks(gm, "feature-shutdown") and _lacks(gm, "feature-reboot"):
        return ["VM_LACKS_FEATURE", ref]
    if op == "changing_VCPUs_live" and _lacks(gm, "feature-vcpu-hotplug"):
        return ["VM_LACKS_FEATURE", ref]
    return None


def xapi_allowed_operations(ref: str, vm: dict[str, Any], gm: dict[str, Any] | None = None,
                            metrics: dict[str, Any] | None = None) -> set[str]:  # fmt: skip
    """What xapi's ``update_allowed_operations`` would list for this VM."""
    return {op for op in VM_OPERATIONS if op not in IGNORED and refusal(ref, vm, op, gm, metrics) is None}


#: what xenia documents it cannot do (docs/api.md, "allowed_operations"): no message serves these yet
XENIA_NOT_SERVED = {"export", "metadata_export", "create_template", "snapshot_with_quiesce",
                    "migrate_send", "csvm", "changing_shadow_memory", "changing_NVRAM", "create_vtpm",
                    "sysprep"}  # fmt: skip


def expected_allowed_operations(ref: str, vm: dict[str, Any], gm: dict[str, Any] | None = None,
                                metrics: dict[str, Any] | None = None) -> set[str]:  # fmt: skip
    """xapi's list less what xenia documents it does not serve (on the simulator, every driver feature is there).

    xenia does not balloon the control domain, whose memory is the host's own (docs/api.md)."""
    expected = xapi_allowed_operations(ref, vm, gm, metrics) - XENIA_NOT_SERVED
    if vm["is_control_domain"] and vm["power_state"] == RUNNING:
        expected.discard("changing_dynamic_range")
    return expected
