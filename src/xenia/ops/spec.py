"""From db records to what a driver needs: the typed ``DomainSpec`` and file paths on SRs.

The db owns identity and configuration; this module is the only place that
reads VM, VBD, VDI, VIF and network records to describe a domain, so a driver
never sees a db record.
"""

from __future__ import annotations

from pathlib import Path

from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF
from xenia.db import Db
from xenia.drivers.base import DiskKind, DiskMode, DiskSpec, DomainSpec, NicSpec
from xenia.ops import qos


def sr_path(db: Db, sr: str) -> Path:
    rec = db.get("SR", sr)
    path = rec["other_config"].get("path") or rec["sm_config"].get("path")
    if not path:
        raise ApiError("SR_OPERATION_NOT_SUPPORTED", sr)
    return Path(path)


def vdi_path(db: Db, vdi: str) -> str:
    """The image file behind a VDI: ``<SR path>/<VDI location>``."""
    rec = db.get("VDI", vdi)
    location = rec["location"] or f"{rec['uuid']}.img"
    return str(sr_path(db, rec["SR"]) / location)


def disk_spec(db: Db, vbd: str) -> DiskSpec:
    rec = db.get("VBD", vbd)
    kind = DiskKind.CD if rec["type"] == "CD" else DiskKind.DISK
    empty = rec["empty"] or rec["VDI"] == NULL_REF
    return DiskSpec(
        userdevice=rec["userdevice"],
        path=None if empty else vdi_path(db, rec["VDI"]),
        kind=kind,
        mode=DiskMode.RO if rec["mode"] == "RO" or kind is DiskKind.CD else DiskMode.RW,
        bootable=rec["bootable"],
        qos=qos.disk_qos(rec["qos_algorithm_type"], rec["qos_algorithm_params"]),
    )


def nic_spec(db: Db, vif: str) -> NicSpec:
    rec = db.get("VIF", vif)
    bridge = db.get("network", rec["network"])["bridge"] if db.exists("network", rec["network"]) else ""
    return NicSpec(device=rec["device"], mac=rec["MAC"], bridge=bridge, mtu=rec["MTU"] or 1500,
                   rate_kbps=qos.nic_rate(rec["qos_algorithm_type"], rec["qos_algorithm_params"]))


def domain_spec(db: Db, vm: str) -> DomainSpec:
    """The domain a VM asks for.

    A non-empty ``PV_kernel`` boots that host file directly, with ``PV_ramdisk`` and ``PV_args``
    (xapi boots a PV/PVH guest this way when ``PV_bootloader`` is empty). xenia honours it for
    any ``domain_type``: QEMU boots a kernel the same way whatever the firmware, and a VM made
    from an HVM template should not need a type change to run a kernel the user gave it.
    """
    rec = db.get("VM", vm)
    static_max = rec["memory_static_max"]
    dyn_max = rec["memory_dynamic_max"] or static_max
    dyn_min = rec["memory_dynamic_min"] or dyn_max
    vcpus_max = rec["VCPUs_max"] or 1
    return DomainSpec(
        vm_uuid=rec["uuid"],
        name=rec["name_label"],
        vcpus_max=vcpus_max,
        vcpus_at_startup=min(rec["VCPUs_at_startup"] or 1, vcpus_max),
        memory_static_max=static_max,
        memory_dynamic_min=min(dyn_min, dyn_max),
        memory_dynamic_max=dyn_max,
        memory_target=dyn_max,
        disks=tuple(disk_spec(db, vbd) for vbd in db.referrers("VBD", "VM", vm)),
        nics=tuple(nic_spec(db, vif) for vif in db.referrers("VIF", "VM", vm)),
        platform=dict(rec["platform"]),
        other_config=dict(rec["other_config"]),
        boot_order=rec["HVM_boot_params"].get("order", "cd"),
        kernel=rec["PV_kernel"] or None,
        initrd=(rec["PV_ramdisk"] or None) if rec["PV_kernel"] else None,
        cmdline=rec["PV_args"] if rec["PV_kernel"] else "",
    )
