"""The lifecycle table by example: each expected answer read off xapi's ``xapi_vm_lifecycle.ml``.

``check`` is what ``VM.assert_operation_valid`` and every lifecycle handler ask before they act,
``allowed_operations`` is the field clients read. The expected values here are literals taken from
xapi's source (``allowed_power_states``, ``is_allowed_concurrently``, ``check_template``,
``check_snapshot``, the control-domain rules, ``check_op_for_feature``, ``ignored_ops``, the order
of ``check_operation_error``), not from xenia's table; where xenia differs on purpose the test says
which document states it (docs/api.md, docs/migration.md).

Fast and in-process (records as plain dicts, as the db hands them to the table), so that
``make mutation`` can run it for every mutant of ``xenia/ops/lifecycle.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from xenia.ops.lifecycle import NO_GUEST, NOT_SERVED, Guest, allowed_operations, check, require, unsupported

REF = "OpaqueRef:7c1f3e2a-vm"
ALL_CAPABILITIES = {"pause", "clean_shutdown", "clean_reboot", "hard_reset", "suspend", "balloon", "vcpu_hotplug",
                    "disk_hotplug", "cd_media_change"}  # fmt: skip
#: a guest with a PV agent: xapi's ``has_pv_drivers`` (all features implied)
DRIVERS = Guest({}, pv_drivers=True, booted_pv=False)

#: xapi's ``allowed_power_states`` for a VM that is neither a control domain nor a snapshot, in its
#: order, as ``report_power_state_error`` lists them (``VM_BAD_POWER_STATE`` [vm, expected, actual])
XAPI_POWER_STATES = {
    "start": "halted", "start_on": "halted", "provision": "halted", "make_into_template": "halted",
    "changing_static_range": "halted", "changing_VCPUs": "halted", "clone": "halted", "copy": "halted",
    "unpause": "paused", "resume": "suspended", "resume_on": "suspended",
    "pause": "running", "clean_shutdown": "running", "clean_reboot": "running", "suspend": "running",
    "changing_VCPUs_live": "running", "changing_memory_live": "running", "pool_migrate": "running",
    "changing_dynamic_range": "halted, running",
    "destroy": "halted, suspended", "export": "halted, suspended",
    "hard_reboot": "paused, running", "migrate_send": "halted, suspended, running",
    "checkpoint": "paused, suspended, running", "shutdown": "paused, suspended, running",
    "hard_shutdown": "paused, suspended, running",
    "snapshot": "halted, paused, suspended, running", "revert": "halted, paused, suspended, running",
    "reverting": "halted, paused, suspended, running", "metadata_export": "halted, paused, suspended, running",
    "power_state_reset": "halted, paused, suspended, running",
}  # fmt: skip
STATES = ("Halted", "Paused", "Running", "Suspended")


def wire(text: str) -> str:
    """``text`` as a new string object, as the XML-RPC decoder or the db's SQLite rows hand it over
    (never the interned literal the code compares it with)."""
    return text.encode().decode()


def vm(power: str = "Halted", **fields: Any) -> dict[str, Any]:
    """A VM record with the fields the table reads, as a fresh VM has them."""
    rec: dict[str, Any] = {
        "power_state": wire(power), "is_a_template": False, "is_a_snapshot": False, "is_control_domain": False,
        "is_default_template": False, "other_config": {}, "blocked_operations": {}, "current_operations": {},
    }  # fmt: skip
    rec.update(fields)
    rec["other_config"] = {wire(k): wire(v) for k, v in rec["other_config"].items()}
    return rec


def answer(rec: dict[str, Any], op: str) -> list[str] | None:
    """What ``VM.assert_operation_valid`` answers: None or the error as it goes on the wire."""
    error = check(REF, rec, wire(op))
    return None if error is None else error.description


# ------------------------------------------------------------------ power states


@pytest.mark.parametrize("op", sorted(XAPI_POWER_STATES))
def test_power_states_and_their_error_follow_xapi(op: str) -> None:
    expected_states = XAPI_POWER_STATES[op]
    for state in STATES:
        got = answer(vm(state), op)
        if state.lower() not in expected_states.split(", "):
            assert got == ["VM_BAD_POWER_STATE", REF, expected_states, state.lower()], (op, state)
        elif op == "provision":  # xapi: only_provision_template, after the power state
            assert got == ["PROVISION_ONLY_ALLOWED_ON_TEMPLATE"], state
        elif op == "revert":
            assert got == ["REVERT_ONLY_ALLOWED_ON_SNAPSHOT"], state
        else:
            assert got is None, (op, state, got)


def test_require_raises_the_same_error() -> None:
    with pytest.raises(Exception) as refused:
        require(REF, vm("Halted"), "pause")
    assert refused.value.description == ["VM_BAD_POWER_STATE", REF, "running", "halted"]  # type: ignore[attr-defined]
    require(REF, vm("Running"), "pause")


def test_blocked_operation_comes_before_the_power_state() -> None:
    rec = vm("Running", blocked_operations={"start": "maintenance", "clone": "1"})
    assert answer(rec, "start") == ["OPERATION_BLOCKED", REF, "maintenance"]
    assert answer(rec, "clone") == ["OPERATION_BLOCKED", REF, "1"]
    assert answer(rec, "pause") is None
    assert answer(rec, "unpause") == ["VM_BAD_POWER_STATE", REF, "paused", "running"]


# ------------------------------------------------------------------ concurrency


@pytest.mark.parametrize(
    ("power", "running", "op", "allowed"),
    [
        # long copies run side by side: clone, copy, export (xapi's long_copies)
        ("Halted", ["clone"], "copy", True),
        ("Halted", ["clone"], "clone", True),
        ("Halted", ["copy", "export"], "clone", True),
        ("Halted", ["clone"], "start", False),
        ("Halted", ["clone"], "snapshot", False),
        ("Halted", ["clone"], "destroy", False),
        # snapshot and checkpoint together
        ("Running", ["snapshot"], "checkpoint", True),
        ("Running", ["checkpoint"], "snapshot", True),
        ("Running", ["snapshot"], "clean_shutdown", False),
        ("Running", ["snapshot"], "suspend", False),
        ("Running", ["snapshot", "checkpoint"], "pause", False),
        # the two groups do not mix
        ("Halted", ["snapshot"], "clone", False),
        ("Halted", ["clone", "snapshot"], "clone", False),
        ("Halted", ["clone", "snapshot"], "snapshot", False),
        # hard_shutdown cuts through anything but another hard_shutdown
        ("Running", ["snapshot"], "hard_shutdown", True),
        ("Running", ["clean_shutdown"], "hard_shutdown", True),
        ("Running", ["hard_reboot"], "hard_shutdown", True),
        ("Running", ["hard_shutdown"], "hard_shutdown", False),
        ("Running", ["clean_reboot", "hard_shutdown"], "hard_shutdown", False),
        # hard_reboot through anything but a hard stop
        ("Running", ["clean_reboot"], "hard_reboot", True),
        ("Running", ["suspend"], "hard_reboot", True),
        ("Running", ["hard_reboot"], "hard_reboot", False),
        ("Running", ["hard_shutdown"], "hard_reboot", False),
        ("Running", ["clean_shutdown"], "clean_reboot", False),
        ("Running", ["pause"], "pause", False),
        # a VM being sent to another pool may still be shut down, rebooted or have its metadata
        # exported (xapi's allowed_operations pairs), but only beside migrate_send alone
        ("Running", ["migrate_send"], "clean_shutdown", True),
        ("Running", ["migrate_send"], "clean_reboot", True),
        ("Running", ["migrate_send"], "metadata_export", True),
        ("Running", ["migrate_send"], "suspend", False),
        ("Running", ["migrate_send"], "pause", False),
        ("Running", ["migrate_send", "snapshot"], "clean_shutdown", False),
        ("Running", ["clean_shutdown"], "migrate_send", False),
    ],
)
def test_operations_in_progress_follow_xapi(power: str, running: list[str], op: str, allowed: bool) -> None:
    current = {f"OpaqueRef:task-{i}": other for i, other in enumerate(running)}
    got = answer(vm(power, current_operations=current), op)
    if allowed:
        assert got is None, got
    elif len(running) == 1:
        assert got == ["OTHER_OPERATION_IN_PROGRESS", "VM", REF, running[0], "OpaqueRef:task-0"]
    else:  # xapi's report_concurrent_operations_error: every operation and every task, in braces
        tasks = ",".join(current)
        assert got == ["OTHER_OPERATION_IN_PROGRESS", "VM", REF, "{" + ",".join(running) + "}", "{" + tasks + "}"]


def test_power_state_is_checked_before_operations_in_progress() -> None:
    rec = vm("Halted", current_operations={"OpaqueRef:t": "clone"})
    assert answer(rec, "pause") == ["VM_BAD_POWER_STATE", REF, "running", "halted"]


# ------------------------------------------------------------------ templates and snapshots


TEMPLATE_OK = ("clone", "copy", "provision", "changing_static_range", "changing_dynamic_range", "changing_VCPUs",
               "export", "metadata_export", "destroy")  # fmt: skip
TEMPLATE_REFUSED = ("start", "start_on", "snapshot", "make_into_template", "power_state_reset", "revert")


def test_a_template_does_what_check_template_lets_it() -> None:
    template = vm("Halted", is_a_template=True)
    for op in TEMPLATE_OK:
        assert answer(template, op) is None, op
    for op in TEMPLATE_REFUSED:  # revert too: check_template comes before the revert check
        assert answer(template, op) == ["VM_IS_TEMPLATE", REF, op]


@pytest.mark.parametrize(
    ("fields", "default"),
    [
        ({"is_default_template": True}, True),
        ({"other_config": {"default_template": "true"}}, True),
        # xapi's bool_of_assoc: "1", or "true" in any case
        ({"other_config": {"default_template": "1"}}, True),
        ({"other_config": {"default_template": "TRUE"}}, True),
        ({"other_config": {"default_template": "false"}}, False),
        ({"other_config": {"default_template": "0"}}, False),
        ({"other_config": {"default_template": "yes"}}, False),
        ({"other_config": {"other": "true"}}, False),
    ],
)
def test_a_default_template_is_never_destroyed(fields: dict[str, Any], default: bool) -> None:
    template = vm("Halted", is_a_template=True, **fields)
    assert answer(template, "destroy") == (["VM_IS_TEMPLATE", REF, "destroy"] if default else None)
    # check_template: destroy and migrate_send (cross-pool) unless it is a default template
    assert answer(template, "migrate_send") == (["VM_IS_TEMPLATE", REF, "migrate_send"] if default else None)
    assert answer(template, "clone") is None
    listed = allowed_operations(REF, template, NOT_SERVED)
    assert ("destroy" in listed) is not default
    assert set(listed) == {"clone", "copy", "provision", "changing_static_range", "changing_dynamic_range"} | (
        set() if default else {"destroy"}
    )


def test_template_checks_come_after_power_state_and_operations_in_progress() -> None:
    assert answer(vm("Running", is_a_template=True), "start") == ["VM_BAD_POWER_STATE", REF, "halted", "running"]
    busy = vm("Halted", is_a_template=True, current_operations={"OpaqueRef:t": "clone"})
    assert answer(busy, "start") == ["OTHER_OPERATION_IN_PROGRESS", "VM", REF, "clone", "OpaqueRef:t"]


SNAPSHOT_OK = ("revert", "clone", "copy", "export", "destroy", "metadata_export")
SNAPSHOT_REFUSED = ("start", "start_on", "provision", "snapshot", "make_into_template", "changing_static_range",
                    "changing_dynamic_range", "power_state_reset")  # fmt: skip


@pytest.mark.parametrize("template", [True, False])
def test_a_snapshot_does_what_check_snapshot_lets_it(template: bool) -> None:
    """A snapshot is checked as a snapshot whether or not it is also a template (xapi skips
    check_template for snapshots); provision is refused as VM_IS_SNAPSHOT before its own check."""
    snap = vm("Halted", is_a_snapshot=True, is_a_template=template)
    for op in SNAPSHOT_OK:
        assert answer(snap, op) is None, op
    for op in SNAPSHOT_REFUSED:
        assert answer(snap, op) == ["VM_IS_SNAPSHOT", REF, op]
    checkpoint = vm("Suspended", is_a_snapshot=True, is_a_template=template)
    assert answer(checkpoint, "hard_shutdown") is None
    assert answer(checkpoint, "revert") is None
    assert answer(checkpoint, "destroy") is None
    assert answer(checkpoint, "resume") == ["VM_IS_SNAPSHOT", REF, "resume"]
    # allowed_power_states: a snapshot is cloned or copied Suspended too (a checkpoint, with its image)
    assert answer(checkpoint, "clone") is None
    assert answer(checkpoint, "copy") is None
    assert answer(vm("Suspended"), "clone") == ["VM_BAD_POWER_STATE", REF, "halted", "suspended"]
    assert answer(checkpoint, "checkpoint") == ["VM_IS_SNAPSHOT", REF, "checkpoint"]


def test_provision_and_revert_need_a_template_and_a_snapshot() -> None:
    assert answer(vm("Halted"), "provision") == ["PROVISION_ONLY_ALLOWED_ON_TEMPLATE"]
    assert answer(vm("Halted", is_a_template=True), "provision") is None
    assert answer(vm("Running"), "revert") == ["REVERT_ONLY_ALLOWED_ON_SNAPSHOT"]
    assert answer(vm("Running", is_a_snapshot=True), "revert") is None


# ------------------------------------------------------------------ the control domain

DOM0 = ["OPERATION_NOT_ALLOWED", "This operation is not allowed on dom0"]
CONTROL = ["OPERATION_NOT_ALLOWED", "This operation is not allowed on a control domain"]


@pytest.mark.parametrize(
    ("power", "op", "expected"),
    [
        ("Running", "changing_VCPUs", DOM0),  # allowed running for a control domain, then refused for dom0
        ("Halted", "changing_VCPUs", DOM0),
        ("Paused", "changing_VCPUs", ["VM_BAD_POWER_STATE", REF, "halted, running", "paused"]),
        ("Halted", "destroy", DOM0),
        ("Running", "destroy", ["VM_BAD_POWER_STATE", REF, "halted, suspended", "running"]),
        ("Running", "changing_static_range", None),
        ("Paused", "changing_static_range", ["VM_BAD_POWER_STATE", REF, "halted, running", "paused"]),
        ("Running", "changing_memory_live", None),
        ("Running", "metadata_export", None),
        ("Halted", "start", None),
        ("Halted", "start_on", None),
        ("Halted", "changing_dynamic_range", None),
        ("Running", "start", ["VM_BAD_POWER_STATE", REF, "halted", "running"]),
        ("Running", "snapshot", CONTROL),
        ("Running", "hard_shutdown", CONTROL),
        ("Running", "clean_reboot", CONTROL),
        ("Running", "pause", CONTROL),
        ("Halted", "clone", CONTROL),
        ("Halted", "make_into_template", CONTROL),
    ],
)
def test_the_control_domain_follows_xapi(power: str, op: str, expected: list[str] | None) -> None:
    assert answer(vm(power, is_control_domain=True), op) == expected


def test_a_running_control_domain_is_not_ballooned() -> None:
    """xenia's one difference for dom0 (docs/api.md): its memory is the host's own."""
    dom0 = vm("Running", is_control_domain=True)
    assert answer(dom0, "changing_dynamic_range")[0] == "OPERATION_NOT_ALLOWED"  # type: ignore[index]
    assert allowed_operations(REF, dom0, unsupported(ALL_CAPABILITIES)) == ["changing_static_range"]
    halted = allowed_operations(REF, vm("Halted", is_control_domain=True), unsupported(ALL_CAPABILITIES))
    assert set(halted) == {"start", "start_on", "changing_dynamic_range", "changing_static_range"}


def test_an_ordinary_vm_may_not_change_vcpus_while_running() -> None:
    assert answer(vm("Running"), "changing_VCPUs") == ["VM_BAD_POWER_STATE", REF, "halted", "running"]
    assert answer(vm("Running"), "changing_static_range") == ["VM_BAD_POWER_STATE", REF, "halted", "running"]


# ------------------------------------------------------------------ allowed_operations

#: xapi's list for a VM with PV drivers, per power state, less its ignored_ops, migrate_send and
#: what xenia does not serve (export, metadata_export: docs/api.md)
LISTED = {
    "Halted": {"snapshot", "clone", "copy", "start", "start_on", "changing_dynamic_range", "changing_static_range",
               "make_into_template", "destroy"},
    "Paused": {"snapshot", "checkpoint", "unpause", "hard_shutdown", "hard_reboot"},
    "Running": {"snapshot", "checkpoint", "pause", "clean_shutdown", "clean_reboot", "hard_shutdown", "hard_reboot",
                "suspend", "changing_dynamic_range", "changing_VCPUs_live", "pool_migrate"},
    "Suspended": {"snapshot", "checkpoint", "hard_shutdown", "resume", "resume_on", "destroy"},
}  # fmt: skip


@pytest.mark.parametrize("state", STATES)
def test_allowed_operations_per_power_state(state: str) -> None:
    cannot = unsupported(ALL_CAPABILITIES)
    listed = allowed_operations(REF, vm(state), cannot, DRIVERS)
    assert set(listed) == LISTED[state]
    assert len(listed) == len(LISTED[state])
    again = allowed_operations(f"{REF}-other", vm(state), cannot, DRIVERS)  # same flags: the same answer
    assert again == listed
    listed.clear()  # the caller owns the list it got
    assert set(allowed_operations(REF, vm(state), cannot, DRIVERS)) == LISTED[state]


def test_what_the_driver_cannot_do_is_never_listed() -> None:
    assert unsupported(ALL_CAPABILITIES) == {"export", "metadata_export"}
    assert unsupported(set()) == {
        "export", "metadata_export", "pause", "unpause", "clean_shutdown", "clean_reboot", "suspend", "resume",
        "resume_on", "checkpoint", "changing_VCPUs_live", "changing_dynamic_range:live"}  # fmt: skip
    bare = unsupported(set())
    assert set(allowed_operations(REF, vm("Running"), bare, DRIVERS)) == {
        "snapshot", "hard_shutdown", "hard_reboot", "pool_migrate"}  # fmt: skip
    # changing_dynamic_range is missing only on a live VM: a halted one still changes its range
    assert "changing_dynamic_range" in allowed_operations(REF, vm("Halted"), bare, DRIVERS)
    no_balloon = unsupported(ALL_CAPABILITIES - {"balloon"})
    assert "changing_dynamic_range" not in allowed_operations(REF, vm("Paused"), no_balloon, DRIVERS)
    assert "changing_dynamic_range" not in allowed_operations(REF, vm("Running"), no_balloon, DRIVERS)
    assert set(allowed_operations(REF, vm("Suspended"), bare, DRIVERS)) == {"snapshot", "hard_shutdown", "destroy"}


def test_allowed_operations_with_operations_blocked_or_in_progress() -> None:
    cannot = unsupported(ALL_CAPABILITIES)
    blocked = vm("Halted", blocked_operations={"start": "no", "destroy": "kept"})
    assert set(allowed_operations(REF, blocked, cannot, DRIVERS)) == LISTED["Halted"] - {"start", "destroy"}
    other = vm("Halted", blocked_operations={"clone": "no"})  # the same flags, other operations blocked
    assert set(allowed_operations(REF, other, cannot, DRIVERS)) == LISTED["Halted"] - {"clone"}
    busy = vm("Halted", current_operations={"OpaqueRef:t": "clone"})
    assert set(allowed_operations(REF, busy, cannot, DRIVERS)) == {"clone", "copy"}
    stopping = vm("Running", current_operations={"OpaqueRef:t": "hard_shutdown"})
    assert allowed_operations(REF, stopping, cannot, DRIVERS) == []
    rebooting = vm("Running", current_operations={"OpaqueRef:t": "clean_reboot"})
    assert set(allowed_operations(REF, rebooting, cannot, DRIVERS)) == {"hard_shutdown", "hard_reboot"}
    # the same flags with nothing blocked or running: the whole list again (not a remembered one)
    assert set(allowed_operations(REF, vm("Halted"), cannot, DRIVERS)) == LISTED["Halted"]


def test_allowed_operations_of_templates_and_snapshots() -> None:
    cannot = unsupported(ALL_CAPABILITIES)
    snap = vm("Halted", is_a_template=True, is_a_snapshot=True)
    assert set(allowed_operations(REF, snap, cannot, DRIVERS)) == {"clone", "copy", "revert", "destroy"}
    checkpoint = vm("Suspended", is_a_template=True, is_a_snapshot=True)
    assert {"revert", "destroy", "hard_shutdown"} <= set(allowed_operations(REF, checkpoint, cannot, DRIVERS))
    assert not {"resume", "resume_on", "snapshot", "checkpoint"} & set(allowed_operations(REF, checkpoint, cannot))


# ------------------------------------------------------------------ the guest's features (strict check)

HVM_NO_AGENT = NO_GUEST


@pytest.mark.parametrize(
    ("state", "guest", "listed", "unlisted"),
    [
        # an HVM guest with no agent and no features: none of the operations that need its help
        ("Running", HVM_NO_AGENT, {"pause", "hard_shutdown", "hard_reboot", "snapshot", "changing_dynamic_range"},
         {"suspend", "checkpoint", "pool_migrate", "clean_shutdown", "clean_reboot", "changing_VCPUs_live"}),
        ("Paused", HVM_NO_AGENT, {"unpause", "hard_shutdown", "hard_reboot", "snapshot"}, {"checkpoint"}),
        # not live: nothing needs the guest (implicit support)
        ("Suspended", HVM_NO_AGENT, {"checkpoint", "resume"}, set()),
        # feature flags one by one
        ("Running", Guest({"feature-suspend": "1"}, False, False), {"suspend", "checkpoint", "pool_migrate"},
         {"clean_shutdown", "clean_reboot", "changing_VCPUs_live"}),
        ("Running", Guest({"feature-suspend": "0"}, False, False), set(), {"suspend", "checkpoint", "pool_migrate"}),
        ("Running", Guest({"feature-poweroff": "1"}, False, False), {"clean_shutdown"}, {"clean_reboot"}),
        ("Running", Guest({"feature-reboot": "1"}, False, False), {"clean_reboot"}, {"clean_shutdown"}),
        ("Running", Guest({"feature-shutdown": "1"}, False, False), {"clean_shutdown", "clean_reboot"},
         {"suspend", "changing_VCPUs_live"}),
        ("Running", Guest({"feature-vcpu-hotplug": "1"}, False, False), {"changing_VCPUs_live"}, {"clean_shutdown"}),
        # booted PV: every feature implied
        ("Running", Guest({}, False, True), {"suspend", "checkpoint", "pool_migrate", "clean_shutdown",
                                             "clean_reboot", "changing_VCPUs_live"}, set()),
        # data-cant-suspend-reason: never suspendable while live, whatever else the guest has
        ("Running", Guest({"data-cant-suspend-reason": "UEFI"}, True, False), {"clean_shutdown", "clean_reboot"},
         {"suspend", "checkpoint", "pool_migrate"}),
        ("Running", Guest({"data-cant-suspend-reason": "x", "feature-suspend": "1"}, False, True), {"clean_shutdown"},
         {"suspend", "checkpoint", "pool_migrate"}),
        ("Suspended", Guest({"data-cant-suspend-reason": "x"}, False, False), {"checkpoint"}, set()),
    ],
)
def test_allowed_operations_follow_the_guests_features(
    state: str, guest: Guest, listed: set[str], unlisted: set[str]
) -> None:
    got = set(allowed_operations(REF, vm(state), unsupported(ALL_CAPABILITIES), guest))
    assert listed <= got, listed - got
    assert not unlisted & got, unlisted & got
    assert got <= LISTED[state]


def test_the_call_itself_does_not_ask_the_guest() -> None:
    """check_operation_error with strict=false (the call, not the advisory list) lets a clean
    shutdown or a suspend through for a guest that has not said it can: the driver then decides."""
    assert answer(vm("Running"), "clean_shutdown") is None
    assert answer(vm("Running"), "suspend") is None
