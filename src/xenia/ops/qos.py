"""XenAPI ``qos_algorithm_type`` / ``qos_algorithm_params`` of VBDs and VIFs, read as driver limits.

xapi (``xapi_xenops.ml``) knows one algorithm per device class and reads it at start:

* VIF ``ratelimit`` with ``kbps`` (KiB/s: xenopsd multiplies by 1024) and ``timeslice_us``: netback's
  credit scheduler.  xenia shapes the NIC to ``kbps`` (``timeslice_us`` has no equivalent and is ignored).
* VBD ``ionice`` with ``sched``/``class``: the I/O priority of the backend process.  A QEMU domain's disks
  all live in one process, so there is nothing to apply per disk: xenia stores it and applies nothing.

xapi has no bandwidth cap for disks.  xenia adds one, as a VBD ``qos_algorithm_type`` of ``ratelimit``
(the VIF's name) with the keys of :data:`VBD_KEYS` (``kbps`` as the VIF's: KiB/s), mapped onto QEMU's
block throttling.  xapi reads the fields only at start and logs what it cannot parse; xenia does the same
at start (a value it cannot parse is no limit), and also applies a change to a running VM at once.  The
setters refuse a ``ratelimit`` value that is not a non-negative integer (``INVALID_VALUE``), so a client
hears of its mistake instead of a limit silently missing.  See ``docs/qos.md``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from xenia.datamodel.errors import ApiError
from xenia.drivers.base import DiskQos

__all__ = ["RATELIMIT", "VBD_KEYS", "VIF_KEYS", "check", "disk_qos", "nic_rate"]

log = logging.getLogger(__name__)

RATELIMIT = "ratelimit"
KiB = 1024
#: VBD ``ratelimit`` keys -> (DiskQos field, multiplier)
VBD_KEYS: dict[str, tuple[str, int]] = {
    "kbps": ("bps", KiB),
    "read_kbps": ("bps_rd", KiB),
    "write_kbps": ("bps_wr", KiB),
    "iops": ("iops", 1),
    "read_iops": ("iops_rd", 1),
    "write_iops": ("iops_wr", 1),
}
#: VIF ``ratelimit`` keys xapi reads
VIF_KEYS = ("kbps", "timeslice_us")


def _number(value: str) -> int | None:
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number >= 0 else None


def check(cls: str, algorithm: str, params: Mapping[str, str]) -> None:
    """Refuse ``ratelimit`` values that are not non-negative integers.

    :raises ApiError: ``INVALID_VALUE`` naming the key and the value.
    """
    if algorithm != RATELIMIT:
        return
    keys = VBD_KEYS if cls == "VBD" else VIF_KEYS
    for key in keys:
        if key in params and _number(params[key]) is None:
            raise ApiError("INVALID_VALUE", f"qos_algorithm_params:{key} must be a non-negative integer",
                           params[key])  # fmt: skip


def disk_qos(algorithm: str, params: Mapping[str, str]) -> DiskQos:
    """A VBD's limits; none unless its algorithm is ``ratelimit``.  Unparsable values are logged and
    ignored, as xapi does at start."""
    if algorithm != RATELIMIT:
        return DiskQos()
    limits: dict[str, int] = {}
    for key, (name, unit) in VBD_KEYS.items():
        if key in params:
            number = _number(params[key])
            if number is None:
                log.warning("VBD QoS: %s=%r is not a non-negative integer: ignored", key, params[key])
            else:
                limits[name] = number * unit
    return DiskQos(**limits)


def nic_rate(algorithm: str, params: Mapping[str, str]) -> int:
    """A VIF's cap in KiB/s (0 = none), as xapi reads it."""
    if algorithm != RATELIMIT or "kbps" not in params:
        return 0
    number = _number(params["kbps"])
    if number is None:
        log.warning("VIF QoS: kbps=%r is not a non-negative integer: ignored", params["kbps"])
        return 0
    return number
