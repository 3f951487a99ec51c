"""host: the clock queries, evacuation (to other pool members by VM.pool_migrate), enabling, and the
memory and configuration queries, as ``xapi_host.ml`` answers them."""

from __future__ import annotations

import asyncio
import os
import signal
import time

from xenia.api.context import Call
from xenia.api.handlers.migration import move_vm
from xenia.api.methods import handler
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF
from xenia.db import Db
from xenia.db.etcd import EtcdBackend
from xenia.ops.spec import domain_spec
from xenia.pool import migrate as pool_migration
from xenia.pool import placement
from xenia.util.clock import xapi_time


@handler("host.get_servertime")
def get_servertime(call: Call, host: str) -> str:
    call.db.get("host", host)
    return xapi_time()


@handler("host.get_server_localtime")
def get_server_localtime(call: Call, host: str) -> str:
    """Local time, without the ``Z`` (as xapi writes it)."""
    call.db.get("host", host)
    return time.strftime("%Y%m%dT%H:%M:%S", time.localtime())


def _resident_user_vms(db: Db, host: str) -> list[str]:
    return [vm for vm in db.referrers("VM", "resident_on", host) if not db.get("VM", vm)["is_control_domain"]]


def _pool_member(db: Db) -> bool:
    return isinstance(db.backend, EtcdBackend)


def _evacuation_plan(db: Db, host: str) -> dict[str, str | list[str]]:
    """xapi's ``compute_evacuation_plan_no_wlb``: each VM running here (but the control domain) goes
    to the live, enabled member it can run on with the most memory left once the VMs planned before
    it are counted (the largest VMs are placed first); a VM that fits nowhere gets NO_HOSTS_AVAILABLE.
    A host alone (SQLite) has nowhere to send them."""
    db.get("host", host)
    vms = _resident_user_vms(db, host)
    if not _pool_member(db):
        return {vm: ["NO_HOSTS_AVAILABLE", vm] for vm in vms}
    others = [h for h in db.refs("host") if h != host and db.get("host", h)["enabled"] and placement.is_live(db, h)]
    free = {h: placement.free_memory(db, h) for h in others}
    plan: dict[str, str | list[str]] = {}
    for vm in sorted(vms, key=lambda v: -domain_spec(db, v).memory_target):
        fits = []
        for h in others:
            try:
                pool_migration.assert_can_receive(db, vm, h, free[h])
            except ApiError:
                continue
            fits.append(h)
        if not fits:
            plan[vm] = ["NO_HOSTS_AVAILABLE", vm]
            continue
        target = max(fits, key=lambda h: (free[h], h))
        free[target] -= domain_spec(db, vm).memory_target
        plan[vm] = target
    return plan


def _evacuation_errors(db: Db, host: str) -> dict[str, list[str]]:
    return {vm: step for vm, step in _evacuation_plan(db, host).items() if isinstance(step, list)}


@handler("host.get_vms_which_prevent_evacuation", placement=True)
def get_vms_which_prevent_evacuation(call: Call, self: str) -> dict[str, list[str]]:
    return _evacuation_errors(call.db, self)


@handler("host.assert_can_evacuate", placement=True)
def assert_can_evacuate(call: Call, host: str) -> None:
    errors = _evacuation_errors(call.db, host)
    if errors:
        raise ApiError("CANNOT_EVACUATE_HOST", "|".join(",".join(e) for e in errors.values()))


#: VMs moved at once when the caller leaves the batch size to xenia (xapi: ``evacuation-batch-size``)
EVACUATE_BATCH = 10


@handler("host.evacuate", placement=True)
async def evacuate(call: Call, host: str, network: str, evacuate_batch_size: int) -> None:
    """Move every VM away by ``VM.pool_migrate``, in batches; nothing moves when one fits nowhere
    (its error is raised as it is, as xapi does)."""
    if network != NULL_REF:
        call.db.get("network", network)
    plan = _evacuation_plan(call.db, host)
    for step in plan.values():
        if isinstance(step, list):
            raise ApiError(*step)
    moves = [(vm, step) for vm, step in plan.items() if isinstance(step, str)]
    size = evacuate_batch_size if evacuate_batch_size > 0 else EVACUATE_BATCH
    for first in range(0, len(moves), size):
        batch = moves[first : first + size]
        results = await asyncio.gather(*(move_vm(call, vm, to, {"live": "true"}) for vm, to in batch),
                                       return_exceptions=True)  # fmt: skip
        for result in results:
            if isinstance(result, ApiError) and result.code != "VM_BAD_POWER_STATE":  # xapi skips a VM that stopped
                raise result
            if isinstance(result, BaseException) and not isinstance(result, ApiError):
                raise result


@handler("host.disable")
def disable(call: Call, host: str) -> None:
    """No new VM starts on a disabled host (VM.start: NO_HOSTS_AVAILABLE, start_on: HOST_DISABLED)."""
    call.db.set("host", host, "enabled", False)


@handler("host.enable")
def enable(call: Call, host: str) -> None:
    call.db.set("host", host, "enabled", True)


@handler("host.get_management_interface")
def get_management_interface(call: Call, host: str) -> str:
    db = call.db
    db.get("host", host)
    for pif in db.referrers("PIF", "host", host):
        if db.get("PIF", pif)["management"]:
            return pif
    raise ApiError("INTERNAL_ERROR", "Not_found")


@handler("host.get_uncooperative_resident_VMs")
def get_uncooperative_resident_vms(call: Call, self: str) -> list[str]:
    """Deprecated: xapi answers an empty list."""
    call.db.get("host", self)
    return []


@handler("host.compute_free_memory")
async def compute_free_memory(call: Call, host: str) -> int:
    call.db.get("host", host)
    free: int = await call.app.services["ops"].driver.host.memory_free()
    return free


@handler("host.compute_memory_overhead")
def compute_memory_overhead(call: Call, host: str) -> int:
    """As xapi: the host's overhead is taken as constant, so the db's value."""
    overhead: int = call.db.get("host", host)["memory_overhead"]
    return overhead


@handler("host.has_extension")
def has_extension(call: Call, host: str, name: str) -> bool:
    """xenia installs no host extensions (xapi looks in /etc/xapi.d/extensions)."""
    call.db.get("host", host)
    return False


@handler("host.set_ssl_legacy")
def set_ssl_legacy(call: Call, self: str, value: bool) -> None:
    call.db.get("host", self)
    if value:
        raise ApiError("VALUE_NOT_SUPPORTED", "value", "true", "Legacy SSL support has been removed")


@handler("host.set_sched_gran")
def set_sched_gran(call: Call, self: str, value: str) -> None:
    """xapi refuses unless xapi.conf allows it, which it does not by default; xenia has no such setting."""
    call.db.get("host", self)
    raise ApiError("OPERATION_NOT_ALLOWED", "Disabled by xapi.conf")


@handler("host.set_multipathing")
def set_multipathing(call: Call, host: str, value: bool) -> None:
    db = call.db
    other = {k: v for k, v in db.get("host", host)["other_config"].items() if k != "multipathing"}
    db.update("host", host, multipathing=value, other_config={**other, "multipathing": str(value).lower()})


def _not_implemented(wire: str, name: str) -> None:
    def refuse(call: Call, *args: object) -> None:
        """xapi declares this message and answers NOT_IMPLEMENTED."""
        raise ApiError("NOT_IMPLEMENTED", name)

    handler(wire)(refuse)


for _wire, _name in (("host.get_log", "get_log"), ("host.dmesg_clear", "dmesg_clear"),
                     ("host.list_methods", "list_method")):  # fmt: skip
    _not_implemented(_wire, _name)


@handler("host.shutdown_agent")
def shutdown_agent(call: Call) -> None:
    """Stop the toolstack a second after answering, as xapi's fuse does; running VMs carry on and are
    adopted when xenia starts again."""
    asyncio.get_running_loop().call_later(1.0, os.kill, os.getpid(), signal.SIGTERM)
