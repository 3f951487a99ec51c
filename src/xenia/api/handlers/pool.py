"""pool: the messages whose answer on a pool of one host is xapi's own.

A pool of one has no other member to sync its database to, to hand the master role to, or to
recover; xenia's bridges are not Open vSwitch, so the vswitch settings answer as xapi does on a
host without it.  The pool's guest-agent configuration is published in the store where xenopsd
puts it for guest agents (``/guest_agent_features``).
"""

from __future__ import annotations

import asyncio
import urllib.parse

from xenia.api.context import Call
from xenia.api.implicit import add_to_map, remove_from_map
from xenia.api.methods import extension, handler
from xenia.datamodel.errors import ApiError
from xenia.pool import join, placement
from xenia.store.client import StoreTransaction


@handler("pool.sync_database")
def sync_database(call: Call) -> None:
    """xapi flushes its db to every other member; every committed write is already durable here."""


@handler("pool.designate_new_master")
def designate_new_master(call: Call, host: str) -> None:
    """Nothing to do for the master (as xapi).  In a pool every member holds the whole db already, so
    the handover is the ``master`` field: logins go to the new master from then on.  xapi refuses
    while HA is on (HA elects masters itself) and for a host that is not live."""
    db = call.db
    db.get("host", host)
    pool = call.app.pool_ref
    if db.get("pool", pool)["master"] == host:
        return
    if db.get("pool", pool)["ha_enabled"]:
        raise ApiError("HA_IS_ENABLED")
    if not placement.is_live(db, host):
        raise ApiError("HOST_OFFLINE", host)
    db.set("pool", pool, "master", host)


@handler("pool.recover_slaves")
def recover_slaves(call: Call) -> list[str]:
    """No slaves to recover: the list of recovered hosts is empty."""
    return []


@handler("pool.has_extension")
def has_extension(call: Call, self: str, name: str) -> bool:
    """True when every host has the extension; xenia's host has none."""
    call.db.get("pool", self)
    return False


@handler("pool.set_igmp_snooping_enabled")
def set_igmp_snooping_enabled(call: Call, self: str, value: bool) -> None:
    call.db.get("pool", self)
    raise ApiError("OPENVSWITCH_NOT_ACTIVE")


@handler("pool.set_vswitch_controller")
def set_vswitch_controller(call: Call, address: str) -> None:
    raise ApiError("OPERATION_NOT_ALLOWED", "host not configured for vswitch operation")


def _valid_guest_agent_setting(key: str, value: str) -> bool:
    """xapi's ``guest_agent_config_requirements``: a boolean, or an http(s) URL."""
    if key == "auto_update_enabled":
        return value in ("true", "false")
    if key == "auto_update_url":
        return urllib.parse.urlsplit(value).scheme in ("http", "https")
    return False


async def _publish_guest_agent_features(call: Call, config: dict[str, str]) -> None:
    """Where xenopsd puts them for guest agents to read: ``/guest_agent_features/<feature>/`` (licensed,
    and the parameters: ``enabled`` 1/0, ``update_url``), readable by every domain."""
    store = call.app.services["ops"].store
    if store is None:
        return
    root = "/guest_agent_features"
    parameters: dict[str, str] = {}
    if "auto_update_enabled" in config:
        parameters["enabled"] = "1" if config["auto_update_enabled"] == "true" else "0"
    if "auto_update_url" in config:
        parameters["update_url"] = config["auto_update_url"]
    keys = {root: "", f"{root}/VSS": "", f"{root}/VSS/parameters": "", f"{root}/VSS/licensed": "1",
            f"{root}/Guest_agent_auto_update": "", f"{root}/Guest_agent_auto_update/parameters": "",
            f"{root}/Guest_agent_auto_update/licensed": "1"}  # fmt: skip
    keys.update({f"{root}/Guest_agent_auto_update/parameters/{k}": v for k, v in parameters.items()})

    async def body(tx: StoreTransaction) -> None:
        if await tx.exists(root):
            await tx.rm(root)
        for path, value in keys.items():
            await tx.write(path, value)
            await tx.set_perms(path, ["r0"])

    await store.transact(body)


@handler("pool.add_to_guest_agent_config")
async def add_to_guest_agent_config(call: Call, self: str, key: str, value: str) -> None:
    if not _valid_guest_agent_setting(key, value):
        raise ApiError("INVALID_VALUE", "guest_agent_config", f"{key} = {value}")
    add_to_map(call.db, "pool", self, "guest_agent_config", key, value)
    await _publish_guest_agent_features(call, call.db.get("pool", self)["guest_agent_config"])


@handler("pool.remove_from_guest_agent_config")
async def remove_from_guest_agent_config(call: Call, self: str, key: str) -> None:
    remove_from_map(call.db, "pool", self, "guest_agent_config", key)
    await _publish_guest_agent_features(call, call.db.get("pool", self)["guest_agent_config"])


@handler("pool.enable_ha")
def enable_ha(call: Call, heartbeat_srs: list[str], configuration: dict[str, str]) -> None:
    """HA on etcd: the members' leases are the heartbeat and etcd's quorum the state file, so the
    heartbeat SRs are checked to exist and otherwise unused."""
    db = call.db
    pool = call.app.pool_ref
    if db.get("pool", pool)["ha_enabled"]:
        raise ApiError("HA_IS_ENABLED")
    for sr in heartbeat_srs:
        db.get("SR", sr)
    db.update("pool", pool, ha_enabled=True, ha_configuration=dict(configuration), ha_cluster_stack="etcd",
              ha_statefiles=[], ha_plan_exists_for=_max_failures(call))  # fmt: skip


@handler("pool.disable_ha")
def disable_ha(call: Call) -> None:
    db = call.db
    pool = call.app.pool_ref
    if not db.get("pool", pool)["ha_enabled"]:
        raise ApiError("HA_NOT_ENABLED")
    db.update("pool", pool, ha_enabled=False, ha_configuration={}, ha_cluster_stack="", ha_plan_exists_for=0)


def _max_failures(call: Call) -> int:
    """How many members may fail with a restart plan left: every member but one that lives (the
    memory of the survivors is checked when a VM restarts, not planned ahead as xapi's binpacker does)."""
    db = call.db
    live = [h for h in db.refs("host") if db.exists("host_metrics", m := db.get("host", h)["metrics"])
            and db.get("host_metrics", m)["live"]]  # fmt: skip
    return max(0, len(live) - 1)


@handler("pool.ha_compute_max_host_failures_to_tolerate")
def ha_compute_max_host_failures_to_tolerate(call: Call) -> int:
    return _max_failures(call)


@handler("pool.set_ha_host_failures_to_tolerate")
def set_ha_host_failures_to_tolerate(call: Call, self: str, value: int) -> None:
    db = call.db
    rec = db.get("pool", self)
    if value < 0:
        raise ApiError("INVALID_VALUE", "ha_host_failures_to_tolerate", str(value))
    if rec["ha_plan_exists_for"] > 0 and value > _max_failures(call):
        raise ApiError("HA_OPERATION_WOULD_BREAK_FAILOVER_PLAN")
    db.update("pool", self, ha_host_failures_to_tolerate=value,
              ha_overcommitted=rec["ha_enabled"] and value > _max_failures(call))  # fmt: skip


async def _join(call: Call, master_address: str, master_username: str, master_password: str) -> None:
    if "pool" in call.app.services:
        raise ApiError("OPERATION_NOT_ALLOWED", "this host is a pool member already (pool.eject first)")
    join.pre_join_checks(call.db)
    etcd = await join.fetch_pool_etcd(master_address, master_username, master_password)
    join.remember_pool(call.app.state_dir, etcd)
    restart = call.app.services.get("restart")
    if restart is not None:
        asyncio.get_running_loop().call_later(0.2, restart)


@handler("pool.join")
async def pool_join(call: Call, master_address: str, master_username: str, master_password: str) -> None:
    """Answered before the restart that makes this host a member (xapi's joining host restarts too)."""
    await _join(call, master_address, master_username, master_password)


@handler("pool.join_force")
async def pool_join_force(call: Call, master_address: str, master_username: str, master_password: str) -> None:
    await _join(call, master_address, master_username, master_password)


@extension("xenia.pool_etcd", (), "(string -> string) map")
def pool_etcd(call: Call) -> dict[str, str]:
    """Where this pool's db is, for a host joining it (pool-admin only)."""
    where: dict[str, str] | None = call.app.services.get("pool-etcd")
    if where is None:
        raise ApiError("OPERATION_NOT_ALLOWED", "this host keeps its db in SQLite: start it with --etcd to make a pool")
    return dict(where)


@handler("pool.eject")
async def eject(call: Call, host: str) -> None:
    """xapi's checks (HA off, not the master, no VM running there), then the host is told to leave
    (it restarts as a fresh standalone host) and the pool forgets it.  A member started with
    ``--etcd`` on its command line comes back as a new member when it restarts: eject it, then start
    it without ``--etcd``.  xapi's master refuses its own ejection with an internal exception;
    xenia answers OPERATION_NOT_ALLOWED."""
    db = call.db
    db.get("host", host)
    pool = call.app.pool_ref
    if db.get("pool", pool)["ha_enabled"]:
        raise ApiError("HA_IS_ENABLED")
    if db.get("pool", pool)["master"] == host:
        raise ApiError("OPERATION_NOT_ALLOWED", "Cannot eject the pool coordinator")
    for vm in db.referrers("VM", "resident_on", host):
        rec = db.get("VM", vm)
        if not rec["is_control_domain"] and rec["power_state"] != "Halted":
            raise ApiError("OPERATION_NOT_ALLOWED", "VM resident on host")
    link = call.app.services.get("pool")
    if host == call.app.host_ref:
        _leave(call)
    elif link is not None and placement.is_live(db, host):
        await link.call(host, "xenia.pool_leave")
    join.forget_host(db, host)


def _leave(call: Call) -> None:
    join.leave_pool(call.app.state_dir)
    restart = call.app.services.get("restart")
    if restart is not None:
        asyncio.get_running_loop().call_later(0.5, restart)


@extension("xenia.pool_leave", ())
def pool_leave(call: Call) -> None:
    """Sent by the member that handles ``pool.eject`` to the ejected one (pool-admin only)."""
    if "pool" not in call.app.services:
        raise ApiError("OPERATION_NOT_ALLOWED", "this host is not a pool member")
    _leave(call)
