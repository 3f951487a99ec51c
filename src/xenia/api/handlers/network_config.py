"""VIF and network settings: guest IP configuration, locking mode, allowed addresses, purposes, moves.

As ``xapi_vif.ml`` and ``xapi_network.ml``: addresses are checked with xapi's rules (an IP or
CIDR where xapi takes either, a CIDR for a static configuration), a static configuration
needs a guest that says ``feature-static-ip-setting`` (else VM_LACKS_FEATURE), and a
locked VIF refuses addresses outside its allowed lists.  xenia has no licences, so the
licence checks xapi makes here always pass.  A running VM's static configuration is
written where xapi's xenopsd writes it for the guest agent
(``xenserver/device/vif/<device>/static-ip-setting/``).
"""

from __future__ import annotations

import ipaddress

from xenia.api.context import Call
from xenia.api.handlers.devices import device_op
from xenia.api.implicit import add_to_set, remove_from_set
from xenia.api.methods import handler
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF
from xenia.db import Db

_VERSION = {"ipv4": 4, "ipv6": 6}


def _is_ip(kind: str, text: str) -> bool:
    try:
        return ipaddress.ip_address(text).version == _VERSION[kind]
    except ValueError:
        return False


def _is_cidr(kind: str, text: str) -> bool:
    if "/" not in text:
        return False
    try:
        return ipaddress.ip_interface(text).version == _VERSION[kind]
    except ValueError:
        return False


def _effective_locking(db: Db, vif: str) -> str:
    mode: str = db.get("VIF", vif)["locking_mode"]
    if mode == "network_default":
        mode = db.get("network", db.get("VIF", vif)["network"])["default_locking_mode"]
    return mode


def _assert_static_ip_feature(db: Db, vif: str) -> None:
    vm = db.get("VIF", vif)["VM"]
    gm = db.get("VM", vm)["guest_metrics"]
    other = db.get("VM_guest_metrics", gm)["other"] if db.exists("VM_guest_metrics", gm) else {}
    if other.get("feature-static-ip-setting") != "1":
        raise ApiError("VM_LACKS_FEATURE", vm)


async def _configure(call: Call, kind: str, vif: str, mode: str, address: str, gateway: str) -> None:
    db = call.db
    if mode == "Static":
        if not _is_cidr(kind, address):
            raise ApiError("INVALID_CIDR_ADDRESS_SPECIFIED", "address")
        if _effective_locking(db, vif) == "locked":
            host_address = str(ipaddress.ip_interface(address).ip)
            if host_address not in db.get("VIF", vif)[f"{kind}_allowed"]:
                raise ApiError("ADDRESS_VIOLATES_LOCKING_CONSTRAINT", address)
        if gateway and not _is_ip(kind, gateway):
            raise ApiError("INVALID_IP_ADDRESS_SPECIFIED", "gateway")
    _assert_static_ip_feature(db, vif)
    db.update("VIF", vif, **{f"{kind}_configuration_mode": mode, f"{kind}_addresses": [address],
                             f"{kind}_gateway": gateway})  # fmt: skip
    rec = db.get("VIF", vif)
    vm = db.get("VM", rec["VM"])
    store = call.app.services["ops"].store
    if rec["currently_attached"] and vm["domid"] >= 0 and store is not None:
        base = f"/local/domain/{vm['domid']}/xenserver/device/vif/{rec['device']}/static-ip-setting"
        values = {"mac": rec["MAC"], "error-code": "0", "error-msg": "", "enabled": "1" if mode == "Static" else "0",
                  "address": address, "gateway": gateway}  # fmt: skip
        if kind == "ipv6":
            values = {**{k: v for k, v in values.items() if k not in ("enabled", "address", "gateway")},
                      "enabled6": values["enabled"], "address6": address, "gateway6": gateway}  # fmt: skip
        for key, value in values.items():
            await store.write(f"{base}/{key}", value)


@handler("VIF.configure_ipv4")
async def configure_ipv4(call: Call, self: str, mode: str, address: str, gateway: str) -> None:
    await _configure(call, "ipv4", self, mode, address, gateway)


@handler("VIF.configure_ipv6")
async def configure_ipv6(call: Call, self: str, mode: str, address: str, gateway: str) -> None:
    await _configure(call, "ipv6", self, mode, address, gateway)


@handler("VIF.set_locking_mode")
def set_locking_mode(call: Call, self: str, value: str) -> None:
    call.db.set("VIF", self, "locking_mode", value)


def _assert_ip_or_cidr(kind: str, value: str) -> None:
    """xapi's ``assert_is_valid_ip_addr``: an address, or an address with a prefix length."""
    if not _is_ip(kind, value) and not _is_cidr(kind, value):
        raise ApiError("INVALID_IP_ADDRESS_SPECIFIED", f"{kind}_allowed")


def _allowed_handlers(kind: str) -> None:
    field = f"{kind}_allowed"

    def set_allowed(call: Call, self: str, value: list[str]) -> None:
        addresses = sorted(set(value), key=value.index)
        for address in addresses:
            _assert_ip_or_cidr(kind, address)
        call.db.set("VIF", self, field, addresses)

    def add_allowed(call: Call, self: str, value: str) -> None:
        _assert_ip_or_cidr(kind, value)
        add_to_set(call.db, "VIF", self, field, value)

    def remove_allowed(call: Call, self: str, value: str) -> None:
        remove_from_set(call.db, "VIF", self, field, value)

    handler(f"VIF.set_{field}")(set_allowed)
    handler(f"VIF.add_{field}")(add_allowed)
    handler(f"VIF.remove_{field}")(remove_allowed)


_allowed_handlers("ipv4")
_allowed_handlers("ipv6")


@handler("VIF.move")
async def move(call: Call, self: str, network: str) -> None:
    """To another network; a plugged VIF is unplugged and plugged again on the new bridge."""
    db = call.db
    db.get("network", network)
    rec = db.get("VIF", self)
    if not rec["currently_attached"]:
        db.set("VIF", self, "network", network)
        return
    await device_op(call, "VIF", self, "unplug", False)
    db.set("VIF", self, "network", network)
    await device_op(call, "VIF", self, "plug", True)


@handler("network.set_default_locking_mode")
def set_default_locking_mode(call: Call, network: str, value: str) -> None:
    db = call.db
    for vif in db.referrers("VIF", "network", network):
        if db.get("VIF", vif)["currently_attached"]:
            raise ApiError("VIF_IN_USE", network, vif)
    db.set("network", network, "default_locking_mode", value)


#: purposes that exclude each other across the host's networks (xapi's ``assert_can_add_purpose``)
_CONFLICTS = {"nbd": "insecure_nbd", "insecure_nbd": "nbd"}


@handler("network.add_purpose")
def add_purpose(call: Call, self: str, value: str) -> None:
    db = call.db
    if not db.get("network", self)["managed"]:
        raise ApiError("NETWORK_UNMANAGED", self)
    current = db.get("network", self)["purpose"]
    if value in current:
        return
    bad = _CONFLICTS[value]
    if any(bad in db.get("network", n)["purpose"] for n in db.refs("network")):
        raise ApiError("NETWORK_INCOMPATIBLE_PURPOSES", value, bad)
    db.set("network", self, "purpose", [value, *current])


@handler("network.remove_purpose")
def remove_purpose(call: Call, self: str, value: str) -> None:
    current = call.db.get("network", self)["purpose"]
    if value in current:
        call.db.set("network", self, "purpose", [p for p in current if p != value])


def _not_management(db: Db, pif: str) -> None:
    if db.get("PIF", pif)["management"]:
        raise ApiError("PIF_IS_MANAGEMENT_IFACE", pif)


@handler("PIF.destroy")
def destroy_pif(call: Call, self: str) -> None:
    """Only VLAN PIFs are destroyed (through their VLAN); xenia's PIFs are physical interfaces."""
    rec = call.db.get("PIF", self)
    if rec["physical"] or rec["VLAN"] < 0 or rec["VLAN_master_of"] == NULL_REF:
        raise ApiError("PIF_IS_PHYSICAL")


@handler("PIF.forget")
def forget_pif(call: Call, self: str) -> None:
    """Drop the record of an interface (never the management one).  xenia does not configure the
    host's interfaces, so there is nothing to bring down first, as xapi would."""
    db = call.db
    _not_management(db, self)
    forget_pif_record(call, self)


@handler("PIF.db_forget")
def forget_pif_record(call: Call, self: str) -> None:
    """The record only (xenia serves no PIF_metrics objects to remove with it)."""
    call.db.get("PIF", self)
    call.db.destroy("PIF", self)


@handler("PIF.set_disallow_unplug")
def set_disallow_unplug(call: Call, self: str, value: bool) -> None:
    call.db.set("PIF", self, "disallow_unplug", value)


@handler("PIF.set_primary_address_type")
def set_primary_address_type(call: Call, self: str, primary_address_type: str) -> None:
    _not_management(call.db, self)
    call.db.set("PIF", self, "primary_address_type", primary_address_type)
