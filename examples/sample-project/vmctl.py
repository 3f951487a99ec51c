"""vmctl: a tiny tool on the official XenAPI SDK, the kind of project xenia's pytest plugin is for.

It makes VMs from templates, drives their power states, stops them cleanly when the guest lets it
(hard otherwise), and waits for state changes by watching events rather than polling.
"""

from __future__ import annotations

import time
from typing import Any

import XenAPI

NULL = "OpaqueRef:NULL"


def connect(url: str, user: str, password: str) -> Any:
    session = XenAPI.Session(url)
    session.xenapi.login_with_password(user, password, "2.0", "vmctl")
    return session


def create_vm(api: Any, name: str, template: str = "Generic Linux BIOS") -> str:
    """A new halted VM with the template's disks."""
    templates = [t for t in api.VM.get_by_name_label(template) if api.VM.get_is_a_template(t)]
    if not templates:
        raise LookupError(f"no template {template!r}")
    vm: str = api.VM.clone(templates[0], name)
    api.VM.provision(vm)
    api.VM.set_is_a_template(vm, False)
    return vm


def disks(api: Any, vm: str) -> list[str]:
    return [vdi for vdi in (api.VBD.get_VDI(vbd) for vbd in api.VM.get_VBDs(vm)) if vdi != NULL]


def start(api: Any, vm: str) -> bool:
    """Start ``vm`` unless it runs already; resumes a suspended one. Returns whether it did anything."""
    state = api.VM.get_power_state(vm)
    if state == "Running":
        return False
    if state == "Paused":
        api.VM.unpause(vm)
    elif state == "Suspended":
        api.VM.resume(vm, False, False)
    else:
        api.VM.start(vm, False, False)
    return True


def start_all(api: Any, names: list[str]) -> dict[str, str]:
    """Start every named VM; returns the error code of each one that failed (the others run)."""
    failed = {}
    for name in names:
        for vm in api.VM.get_by_name_label(name):
            try:
                start(api, vm)
            except XenAPI.Failure as e:
                failed[name] = e.details[0]
    return failed


def stop(api: Any, vm: str) -> str:
    """Stop ``vm``: cleanly if its guest can be asked, else hard. Returns how ("clean" or "hard")."""
    if api.VM.get_power_state(vm) == "Halted":
        return "none"
    try:
        api.VM.clean_shutdown(vm)
        return "clean"
    except XenAPI.Failure as e:
        if e.details[0] not in ("VM_MISSING_PV_DRIVERS", "VM_SHUTDOWN_TIMEOUT", "VM_BAD_POWER_STATE"):
            raise
    api.VM.hard_shutdown(vm)
    return "hard"


def delete(api: Any, vm: str) -> None:
    """Stop ``vm`` and destroy it with its disks."""
    stop(api, vm)
    owned = disks(api, vm)
    api.VM.destroy(vm)
    for vdi in owned:
        api.VDI.destroy(vdi)


def wait_for_power_state(api: Any, vm: str, wanted: str, timeout: float = 30.0) -> float:
    """Block until ``vm`` reaches ``wanted``, watching VM events; returns the seconds waited."""
    began = time.monotonic()
    token = ""
    while True:
        batch = api.event_from(["vm"], token, 5.0)
        token = batch["token"]
        if api.VM.get_power_state(vm) == wanted:
            return time.monotonic() - began
        if time.monotonic() - began > timeout:
            raise TimeoutError(f"VM {vm} did not reach {wanted} in {timeout} s")


def wait_task(api: Any, task: str, timeout: float = 30.0) -> str:
    """Wait for a task by watching its events; returns its result, raises its error as XenAPI.Failure,
    or TimeoutError (leaving the task alone) when it is still pending after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    token = ""
    while api.task.get_status(task) == "pending":
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"task {task} still pending after {timeout} s")
        token = api.event_from([f"task/{task}"], token, min(remaining, 5.0))["token"]
    status = api.task.get_status(task)
    try:
        if status == "success":
            return str(api.task.get_result(task))
        raise XenAPI.Failure(api.task.get_error_info(task))
    finally:
        api.task.destroy(task)


def api_version(api: Any) -> str:
    """The pool master's XenAPI version, "MAJOR.MINOR" (tools gate newer calls on it)."""
    host = api.pool.get_master(api.pool.get_all()[0])
    return f"{api.host.get_API_version_major(host)}.{api.host.get_API_version_minor(host)}"
