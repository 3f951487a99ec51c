"""VM settings with explicit setters in xapi: boot policy, domain type, delays, NVRAM, BIOS strings.

Each follows ``xapi_vm.ml``: the checks (power state, non-negative delays, settable BIOS
keys) and the companion fields xapi changes together (``set_HVM_boot_policy`` also
sets ``domain_type`` and back).  Deprecated messages answer as xapi does today.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from xenia.api.context import Call
from xenia.api.implicit import add_to_map, remove_from_map
from xenia.api.methods import handler
from xenia.datamodel.errors import ApiError
from xenia.db import Db
from xenia.ops.spec import vdi_path

#: xapi's Constants.generic_bios_strings (with the standard type 11 strings)
GENERIC_BIOS_STRINGS = {
    "bios-vendor": "Xen", "bios-version": "", "system-manufacturer": "Xen", "system-product-name": "HVM domU",
    "system-version": "", "system-serial-number": "", "baseboard-manufacturer": "", "baseboard-product-name": "",
    "baseboard-version": "", "baseboard-serial-number": "", "baseboard-asset-tag": "",
    "baseboard-location-in-chassis": "", "enclosure-asset-tag": "", "hp-rombios": "", "oem-1": "Xen",
    "oem-2": "MS_VM_CERT/SHA1/bdbeb6e0a816d43fa6d3fe8aaef04c2bad9d3e3d",
}  # fmt: skip
#: xapi's Constants.settable_vm_bios_string_keys
SETTABLE_BIOS_KEYS = ("bios-vendor", "bios-version", "system-manufacturer", "system-product-name", "system-version",
                      "system-serial-number", "enclosure-asset-tag", "baseboard-manufacturer",
                      "baseboard-product-name", "baseboard-version", "baseboard-serial-number",
                      "baseboard-asset-tag", "baseboard-location-in-chassis")  # fmt: skip
BIOS_STRING_LIMIT = 512


def _power(db: Db, vm: str, expected: str) -> None:
    """xapi's ``assert_initial_power_state_is``."""
    actual = db.get("VM", vm)["power_state"]
    if actual != expected:
        raise ApiError("VM_BAD_POWER_STATE", vm, expected.lower(), actual.lower())


@handler("VM.set_HVM_boot_policy")
def set_hvm_boot_policy(call: Call, self: str, value: str) -> None:
    """A boot policy makes the VM HVM, none PV (xapi's ``derive_domain_type``)."""
    call.db.update("VM", self, HVM_boot_policy=value, domain_type="pv" if value == "" else "hvm")


@handler("VM.set_domain_type")
def set_domain_type(call: Call, self: str, value: str) -> None:
    if value == "unspecified":
        raise ApiError("INVALID_VALUE", "domain_type", value)
    call.db.update("VM", self, domain_type=value, HVM_boot_policy="BIOS order" if value == "hvm" else "")


def _non_negative(field: str) -> None:
    def setter(call: Call, self: str, value: int) -> None:
        if value < 0:
            raise ApiError("INVALID_VALUE", f"{field} must be non-negative", value)
        call.db.set("VM", self, field, value)

    handler(f"VM.set_{field}")(setter)


for _field in ("start_delay", "shutdown_delay", "order"):
    _non_negative(_field)


@handler("VM.set_ha_restart_priority")
def set_ha_restart_priority(call: Call, self: str, value: str) -> None:
    """xapi's ``validate_restart_priority`` (restart, best-effort or nothing); a running VM's
    ``ha_always_run`` follows, as xapi turns its protection on or off at once."""
    if value not in ("restart", "best-effort", ""):
        raise ApiError("INVALID_VALUE", "ha_restart_priority", value)
    db = call.db
    if db.get("VM", self)["ha_restart_priority"] != value:
        with db.batch():
            db.set("VM", self, "ha_restart_priority", value)
            if db.get("VM", self)["power_state"] == "Running":
                db.set("VM", self, "ha_always_run", value == "restart")


@handler("VM.set_NVRAM")
def set_nvram(call: Call, self: str, value: dict[str, str]) -> None:
    call.db.set("VM", self, "NVRAM", value)


@handler("VM.add_to_NVRAM")
def add_to_nvram(call: Call, self: str, key: str, value: str) -> None:
    """As xapi's ``Db.VM.add_to_NVRAM``: an existing key is a MAP_DUPLICATE_KEY."""
    add_to_map(call.db, "VM", self, "NVRAM", key, value)


@handler("VM.remove_from_NVRAM")
def remove_from_nvram(call: Call, self: str, key: str) -> None:
    remove_from_map(call.db, "VM", self, "NVRAM", key)


def _check_bios_strings(value: dict[str, str]) -> None:
    """xapi's ``assert_valid_bios_strings``."""
    for key, text in value.items():
        if key not in SETTABLE_BIOS_KEYS:
            raise ApiError("INVALID_VALUE", key, "Unknown key")
        if not text:
            raise ApiError("INVALID_VALUE", key, "Value provided is empty")
        if len(text) > BIOS_STRING_LIMIT:
            raise ApiError("INVALID_VALUE", key, f"{text} has length more than {BIOS_STRING_LIMIT} characters")
        if any(not 32 <= ord(c) < 127 for c in text):
            raise ApiError("INVALID_VALUE", key, f"{text} has non-printable ASCII characters")


@handler("VM.set_bios_strings")
def set_bios_strings(call: Call, self: str, value: dict[str, str]) -> None:
    """Only a VM without BIOS strings gets them: the generic ones with the given keys replaced."""
    if call.db.get("VM", self)["bios_strings"]:
        raise ApiError("VM_BIOS_STRINGS_ALREADY_SET")
    _check_bios_strings(value)
    call.db.set("VM", self, "bios_strings", {**GENERIC_BIOS_STRINGS, **value})


@handler("VM.copy_bios_strings")
def copy_bios_strings(call: Call, vm: str, host: str) -> None:
    """The host's BIOS strings, and the host as the VM's affinity (xapi's ``copy_bios_strings``)."""
    db = call.db
    strings = db.get("host", host)["bios_strings"]
    if db.get("VM", vm)["bios_strings"]:
        raise ApiError("VM_BIOS_STRINGS_ALREADY_SET")
    db.update("VM", vm, bios_strings=strings, affinity=host)


@handler("VM.set_has_vendor_device")
def set_has_vendor_device(call: Call, self: str, value: bool) -> None:
    _power(call.db, self, "Halted")
    call.db.set("VM", self, "has_vendor_device", value)


@handler("VM.set_HVM_shadow_multiplier")
def set_hvm_shadow_multiplier(call: Call, self: str, value: float) -> None:
    _power(call.db, self, "Halted")
    if value < 1.0:
        raise ApiError("INVALID_VALUE", "multiplier", repr(value))
    call.db.set("VM", self, "HVM_shadow_multiplier", value)


async def _checksum(db: Db, vdi: str) -> str:
    """What xapi's ``VDI.checksum`` compares: the image's bytes (the size, where a VDI has no file)."""
    path = Path(vdi_path(db, vdi))

    def digest() -> str:
        if not path.is_file():
            return f"size:{db.get('VDI', vdi)['virtual_size']}"
        h = hashlib.md5(usedforsecurity=False)
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()

    return await asyncio.to_thread(digest)


@handler("VM.set_suspend_VDI")
async def set_suspend_vdi(call: Call, self: str, value: str) -> None:
    """Replace a suspended VM's image with an identical copy (xapi compares checksums)."""
    db = call.db
    _power(db, self, "Suspended")
    if db.get("VDI", value)["type"] == "cbt_metadata":
        raise ApiError("VDI_INCOMPATIBLE_TYPE", self, "cbt_metadata")
    current = db.get("VM", self)["suspend_VDI"]
    if current == value:
        return
    mine, theirs = await _checksum(db, current), await _checksum(db, value)
    if mine != theirs:
        raise ApiError("SUSPEND_VDI_REPLACEMENT_IS_NOT_IDENTICAL",
                       f"{db.get('VDI', current)['uuid']} : {mine}", f"{db.get('VDI', value)['uuid']} : {theirs}")  # fmt: skip
    db.set("VM", self, "suspend_VDI", value)


@handler("VM.set_memory_target_live")
def set_memory_target_live(call: Call, self: str, target: int) -> None:
    """Deprecated in favour of set_memory_dynamic_range: xapi accepts it and does nothing."""
    call.db.get("VM", self)


@handler("VM.set_protection_policy")
def set_protection_policy(call: Call, self: str, value: str) -> None:
    raise ApiError("MESSAGE_REMOVED")


def _not_implemented(wire: str, name: str) -> None:
    def refuse(call: Call, *args: object) -> None:
        """xapi declares this message and answers NOT_IMPLEMENTED for every VM."""
        raise ApiError("NOT_IMPLEMENTED", name)

    handler(wire)(refuse)


for _wire in ("VM.send_sysrq", "VM.send_trigger", "VM.add_to_VCPUs_params_live", "VM.query_services"):
    _not_implemented(_wire, _wire.split(".")[1])
