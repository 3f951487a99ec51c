"""Operations on a running VM's domain are made by the member the VM runs on (xapi's ``forward_vm_op``).

A member's driver holds only its own domains: ``VBD.plug`` or ``VM.set_VCPUs_number_live`` asked of
a member for a VM that runs on another would find no domain there.  xapi's message forwarding layer
sends such calls to the VM's ``resident_on`` host (``forward_vm_op`` while the VM is Running or
Paused; ``forward_vbd_op`` and ``forward_vif_op`` whenever the device's VM is resident somewhere).
xenia does the same in one place, for every message in the lists below: at start-up a pool member
wraps those messages' handlers in the dispatch table (:func:`install`); the wrapper makes the same
XenAPI call on the VM's member (:meth:`PoolLink.call`, which also waits for this member's copy of the
db to hold what that member wrote) or, when the VM runs here or nowhere, runs the handler.  The
handlers themselves know nothing of pools, and a host alone (SQLite) keeps its table untouched.

The member that forwards has made the RBAC checks for its client; the member that runs the call
checks again what it checks for any call (the VM's state, the arguments), on a copy of the db that
has caught up with etcd.  A call reaching a member the VM has just left is forwarded on from there.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from xenia.api.context import Call
from xenia.api.methods import Handler, Method
from xenia.datamodel.meta import NULL_REF
from xenia.db import Db
from xenia.pool.forward import PoolLink

_LIVE = ("Running", "Paused")

#: VM messages made where the VM runs while it is Running or Paused (xapi's ``forward_vm_op``), and
#: xenia's own calls that read or change a running domain
VM_OPS = (
    "VM.pause", "VM.unpause", "VM.clean_shutdown", "VM.hard_shutdown", "VM.shutdown", "VM.clean_reboot",
    "VM.hard_reboot", "VM.suspend", "VM.checkpoint", "VM.set_memory_dynamic_range", "VM.set_memory_dynamic_max",
    "VM.set_memory_dynamic_min", "VM.set_memory_target_live", "VM.wait_memory_target_live",
    "VM.set_VCPUs_number_live", "VM.get_data_sources", "VM.record_data_source", "VM.query_data_source",
    "VM.forget_data_source_archives", "xenia.vm_drift", "xenia.vm_live_config", "xenia.vm_set",
)  # fmt: skip

#: VBD and VIF messages made where their VM is resident (xapi's ``forward_vbd_op``/``forward_vif_op``);
#: the QoS setters too, since xenia applies them to the running device at once (docs/qos.md)
_QOS = ("set_qos_algorithm_type", "set_qos_algorithm_params", "add_to_qos_algorithm_params",
        "remove_from_qos_algorithm_params")  # fmt: skip
DEVICE_OPS = (
    *(f"VBD.{m}" for m in ("plug", "unplug", "unplug_force", "insert", "eject", *_QOS)),
    *(f"VIF.{m}" for m in ("plug", "unplug", "unplug_force", "move", "set_locking_mode", "configure_ipv4",
                           "configure_ipv6", "set_ipv4_allowed", "add_ipv4_allowed", "remove_ipv4_allowed",
                           "set_ipv6_allowed", "add_ipv6_allowed", "remove_ipv6_allowed", *_QOS)),
)  # fmt: skip

#: the host a call must be made on (None: here), from the db, this host and the call's first argument
Target = Callable[[Db, str, str], str | None]


def _elsewhere(host: str, here: str) -> str | None:
    return None if host in (NULL_REF, here) else host


def vm_host(db: Db, here: str, vm: str) -> str | None:
    """xapi's ``forward_vm_op``: the VM's host while the VM is Running or Paused there."""
    rec = db.get("VM", vm)
    return _elsewhere(rec["resident_on"], here) if rec["power_state"] in _LIVE else None


def device_host(cls: str) -> Target:
    """xapi's ``forward_vbd_op``/``forward_vif_op``: the host the device's VM is resident on."""

    def target(db: Db, here: str, ref: str) -> str | None:
        return _elsewhere(db.get("VM", db.get(cls, ref)["VM"])["resident_on"], here)

    return target


def snapshot_host(db: Db, here: str, snapshot: str) -> str | None:
    """``VM.revert``: the reverted VM is shut down first, by the member it runs on (xapi forwards it)."""
    vm = db.get("VM", snapshot)["snapshot_of"]
    return vm_host(db, here, vm) if db.exists("VM", vm) else None


def targets() -> dict[str, Target]:
    """Every forwarded message and how its host is found."""
    out: dict[str, Target] = {wire: vm_host for wire in VM_OPS}
    out.update({wire: device_host(wire.split(".")[0]) for wire in DEVICE_OPS})
    out["VM.revert"] = snapshot_host
    return out


def _forwarding(method: Method, target: Target, link: PoolLink) -> Handler:
    inner, is_coroutine = method.handler, method.is_coroutine

    async def forwarded(call: Call, *args: Any) -> Any:
        host = target(call.db, call.app.host_ref, args[0])
        if host is not None:
            return await link.call(host, method.wire, *args)
        result = inner(call, *args)
        return await result if is_coroutine else result

    forwarded.__doc__ = inner.__doc__
    return forwarded


def install(table: dict[str, Method], link: PoolLink) -> None:
    """Wrap the forwarded messages' handlers in ``table`` (a pool member's dispatch table)."""
    for wire, target in targets().items():
        method = table[wire]  # a name missing here is a mistake in the lists above
        table[wire] = dataclasses.replace(method, handler=_forwarding(method, target, link), is_coroutine=True)
