"""pool: the messages whose answer on a pool of one host is xapi's own.

A pool of one has no other member to sync its database to, to hand the master role to, or to
recover; xenia's bridges are not Open vSwitch, so the vswitch settings answer as xapi does on a
host without it.
"""

from __future__ import annotations

from xenia.api.context import Call
from xenia.api.methods import handler
from xenia.datamodel.errors import ApiError


@handler("pool.sync_database")
def sync_database(call: Call) -> None:
    """xapi flushes its db to every other member; every committed write is already durable here."""


@handler("pool.designate_new_master")
def designate_new_master(call: Call, host: str) -> None:
    """The one host is the master already: nothing to hand over (xapi does nothing on the master)."""
    call.db.get("host", host)


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
