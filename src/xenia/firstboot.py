"""The objects a new host starts with, and the facts refreshed at every start.

First start creates the pool, this host with its CPUs and metrics, the control
domain, a local ``file`` SR under the state directory, a default network, the
roles, the root user and the templates clients clone.  Later starts only
refresh what describes the machine (memory, CPUs, software version, editions)
and the SM records of the SR types.
"""

from __future__ import annotations

import os
import platform
import socket
from dataclasses import dataclass
from pathlib import Path

import xenia
from xenia.api.auth import generate_password, hash_password
from xenia.datamodel import (
    API_VERSION_MAJOR,
    API_VERSION_MINOR,
    API_VERSION_VENDOR,
    EDITIONS,
    PRODUCT_VERSION,
    PRODUCT_VERSION_TEXT,
)
from xenia.datamodel.meta import NULL_REF, Role
from xenia.datamodel.schema import schema_hash
from xenia.db import Db
from xenia.ops.spec import sr_path
from xenia.ops.storage import scan_iso_sr
from xenia.ops.storage_managers import refresh_storage_managers
from xenia.util.clock import xapi_time

GiB = 1024**3
MiB = 1024**2


@dataclass
class HostIdentity:
    host_ref: str
    pool_ref: str
    #: set only on first start when the password was generated (to print it once)
    generated_password: str | None = None


def _meminfo() -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            key, _, rest = line.partition(":")
            out[key] = int(rest.split()[0]) * 1024
    except OSError:
        pass
    return out


def _cpus() -> list[dict[str, str]]:
    cpus: list[dict[str, str]] = []
    try:
        current: dict[str, str] = {}
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if not line.strip():
                if current:
                    cpus.append(current)
                current = {}
                continue
            key, _, value = line.partition(":")
            current[key.strip()] = value.strip()
        if current:
            cpus.append(current)
    except OSError:
        pass
    return cpus or [{"vendor_id": "unknown", "model name": platform.processor() or "unknown"}]


def software_version() -> dict[str, str]:
    """xapi's keys; ``product_version`` is the release whose API xenia serves, ``xenia`` its own version."""
    return {
        "product_version": PRODUCT_VERSION,
        "product_version_text": PRODUCT_VERSION_TEXT,
        "product_version_text_short": PRODUCT_VERSION_TEXT,
        "xenia": xenia.__version__,
        "platform_name": "xenia",
        "platform_version": xenia.__version__,
        "product_brand": "xenia",
        "build_number": "0",
        "hostname": socket.gethostname(),
        "date": "2026-11-21",
        "xapi": f"{API_VERSION_MAJOR}.{API_VERSION_MINOR}",
        "xapi_build": xenia.__version__,
        "xen": "none",
        "linux": platform.release(),
        "network_backend": "bridge",
        "db_schema": schema_hash(),
    }


def _cpu_fields(cpu: dict[str, str]) -> dict[str, object]:
    def num(key: str) -> int:
        try:
            return int(float(cpu.get(key, "0")))
        except ValueError:
            return 0

    return {
        "vendor": cpu.get("vendor_id", ""),
        "speed": num("cpu MHz"),
        "modelname": cpu.get("model name", ""),
        "family": num("cpu family"),
        "model": num("model"),
        "stepping": cpu.get("stepping", ""),
        "flags": cpu.get("flags", ""),
        "features": "",
    }


def refresh_host(db: Db, host_ref: str, pool_member: bool = False) -> None:
    """Facts about the machine, rewritten at every start."""
    cpus = _cpus()
    mem = _meminfo()
    first = cpus[0]
    with db.batch():
        db.update(
            "host",
            host_ref,
            hostname=socket.gethostname(),
            software_version=software_version(),
            API_version_major=API_VERSION_MAJOR,
            API_version_minor=API_VERSION_MINOR,
            API_version_vendor=API_VERSION_VENDOR,
            cpu_info={
                "cpu_count": str(len(cpus)),
                "socket_count": "1",
                "vendor": first.get("vendor_id", ""),
                "speed": first.get("cpu MHz", ""),
                "modelname": first.get("model name", ""),
                "family": first.get("cpu family", ""),
                "model": first.get("model", ""),
                "stepping": first.get("stepping", ""),
                "flags": first.get("flags", ""),
            },
            enabled=True,
            editions=list(EDITIONS),
        )
        host = db.get("host", host_ref)
        if host["edition"] not in EDITIONS:
            db.set("host", host_ref, "edition", EDITIONS[0])
        db.set("host", host_ref, "license_params",
               {**host["license_params"], "expiry": "never", "sockets": "1"})  # fmt: skip
        refresh_storage_managers(db)
        # xapi's dbsync points host.control_domain at dom0 at every start; clients (Xen Orchestra) follow it
        dom0 = [vm for vm in db.referrers("VM", "resident_on", host_ref) if db.get("VM", vm)["is_control_domain"]]
        if dom0:
            db.set("host", host_ref, "control_domain", dom0[0])
        metrics = db.get("host", host_ref)["metrics"]
        if metrics != NULL_REF and db.exists("host_metrics", metrics):
            db.update(
                "host_metrics",
                metrics,
                memory_total=mem.get("MemTotal", 0),
                memory_free=mem.get("MemAvailable", 0),
                last_updated=xapi_time(),
                # a pool member is live once it holds its lease (xenia.pool.liveness), not before
                **({} if pool_member else {"live": True}),
            )
        existing = db.referrers("host_cpu", "host", host_ref)
        for ref in existing[len(cpus) :]:
            db.destroy("host_cpu", ref)
        for number, cpu in enumerate(cpus):
            if number < len(existing):
                db.update("host_cpu", existing[number], number=number, **_cpu_fields(cpu))
            else:
                db.create("host_cpu", {"host": host_ref, "number": number, **_cpu_fields(cpu)})


def _template(db: Db, name: str, description: str, *, memory: int, vcpus: int, hvm: bool, disk_gib: int) -> str:
    other_config = {"default_template": "true", "install-methods": "cdrom"}
    if disk_gib:
        size = disk_gib * GiB
        other_config["disks"] = (
            f'<provision><disk device="0" size="{size}" sr="" bootable="true" type="system"/></provision>'
        )
    return db.create(
        "VM",
        {
            "name_label": name,
            "name_description": description,
            "is_a_template": True,
            "is_default_template": True,
            "user_version": 1,
            "memory_static_max": memory,
            "memory_dynamic_max": memory,
            "memory_dynamic_min": memory,
            "memory_static_min": 16 * MiB,
            "memory_target": memory,
            "VCPUs_max": vcpus,
            "VCPUs_at_startup": vcpus,
            "actions_after_shutdown": "destroy",
            "actions_after_reboot": "restart",
            "actions_after_crash": "restart",
            "HVM_boot_policy": "BIOS order" if hvm else "",
            "HVM_boot_params": {"order": "cdn"} if hvm else {},
            "PV_bootloader": "" if hvm else "pygrub",
            "platform": {"acpi": "1", "apic": "true", "pae": "true", "viridian": "false", "nx": "true"},
            "domain_type": "hvm" if hvm else "pv",
            "other_config": other_config,
            "metrics": db.create("VM_metrics", {}),
        },
    )


def _mark_default_templates(db: Db) -> None:
    """Templates made by an older xenia carry only ``other_config:default_template``; give them the
    field too, as xapi's db upgrade does."""
    for vm in db.refs("VM"):
        rec = db.get("VM", vm)
        if rec["is_a_template"] and rec["other_config"].get("default_template") == "true" and not rec["is_default_template"]:
            db.set("VM", vm, "is_default_template", True)


TEMPLATES = (
    ("Other install media", "Template for installing any operating system from an ISO", 1024, 1, True, 0),
    ("Generic Linux BIOS", "Template for a Linux guest booting with BIOS", 1024, 1, True, 10),
    ("Generic Linux UEFI", "Template for a Linux guest booting with UEFI", 1024, 1, True, 10),
    ("Debian Bookworm 12", "Template for Debian 12", 1024, 1, True, 10),
)


ISO_SR_NAME = "ISO library"


def iso_sr(db: Db, host: str, state_dir: Path) -> str:
    """The local ISO SR (``<state dir>/sr/iso``), made if missing, its VDIs rescanned from the files.

    Every xapi host has a place for install media; here it is a directory: ``.iso`` files copied
    into it are VDIs after the next start or ``SR.scan``, ready for ``VBD.insert`` and
    ``xenia vm-cd-insert cd-name=<file name>``.  A db made before this SR existed gets it too.
    """
    for sr in db.refs("SR"):
        if (db.get("SR", sr)["type"] == "iso" and db.get("SR", sr)["other_config"].get("xenia-local-iso") == "true"
                and any(db.get("PBD", pbd)["host"] == host for pbd in db.referrers("PBD", "SR", sr))):  # fmt: skip
            break
    else:
        path = state_dir / "sr" / "iso"
        with db.batch():
            sr = db.create(
                "SR",
                {"name_label": ISO_SR_NAME, "name_description": f"ISO files under {path}", "type": "iso",
                 "content_type": "iso", "shared": False, "physical_size": 0,
                 "other_config": {"path": str(path), "xenia-local-iso": "true"}, "sm_config": {"path": str(path)}},
            )  # fmt: skip
            db.create("PBD", {"host": host, "SR": sr, "device_config": {"location": str(path)},
                              "currently_attached": True})  # fmt: skip
    sr_path(db, sr).mkdir(parents=True, exist_ok=True)
    scan_iso_sr(db, sr)
    return sr


MEMBER_FILE = "pool-host"


def initialise(db: Db, state_dir: Path, root_password: str | None = None, hash_cost: int | None = None,
               pool_member: bool = False) -> HostIdentity:  # fmt: skip
    """Create the first objects if the db is new; return this host and its pool either way.

    A new db's root password is ``root_password``, else $XENIA_ROOT_PASSWORD, else generated;
    ``hash_cost`` overrides scrypt's N for it (test doubles).  On a pool's shared db
    (``pool_member``) the db holds other hosts too: this host's reference is kept in the state
    directory (as xapi keeps its installation UUID in the inventory), and a host new to an existing
    pool adds only its own objects.
    """
    hosts = db.refs("host")
    mine = _member_ref(state_dir) if pool_member else (hosts[0] if hosts else None)
    if mine is not None and mine in hosts:
        pool = db.refs("pool")[0]
        refresh_host(db, mine, pool_member)
        iso_sr(db, mine, state_dir)
        _mark_default_templates(db)
        return HostIdentity(mine, pool)
    if hosts:
        pool = db.refs("pool")[0]
        with db.batch():
            host, _sr = _create_host(db, state_dir, _pool_network(db), live=False)
        _remember_member(state_dir, host)
        refresh_host(db, host, pool_member)
        iso_sr(db, host, state_dir)
        return HostIdentity(host, pool)
    password = root_password or os.environ.get("XENIA_ROOT_PASSWORD")
    generated = None
    if not password:
        password = generated = generate_password()
    with db.batch():
        network = db.create(
            "network",
            {"name_label": "Pool-wide network associated with eth0", "bridge": "xenbr0", "MTU": 1500,
             "other_config": {"automatic": "true"}},
        )  # fmt: skip
        host, sr = _create_host(db, state_dir, network, live=not pool_member)
        pool = db.create(
            "pool",
            {"name_label": "", "master": host, "default_SR": sr, "suspend_image_SR": sr, "crash_dump_SR": sr},
        )
        for role in sorted(Role, reverse=True):
            db.create("role", {"name_label": role.wire, "name_description": f"the {role.wire} role"})
        db.create(
            "user",
            {"short_name": "root", "fullname": "root", "role": "pool-admin",
             "password_hash": hash_password(password) if hash_cost is None else hash_password(password, hash_cost)},
        )
        for name, desc, mem, vcpus, hvm, disk in TEMPLATES:
            _template(db, name, desc, memory=mem * MiB, vcpus=vcpus, hvm=hvm, disk_gib=disk)
    if pool_member:
        _remember_member(state_dir, host)
    refresh_host(db, host, pool_member)
    iso_sr(db, host, state_dir)
    if generated is not None:
        path = state_dir / "root-password"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(generated + "\n")
    return HostIdentity(host, pool, generated)


def _member_ref(state_dir: Path) -> str | None:
    try:
        return (state_dir / MEMBER_FILE).read_text().strip() or None
    except FileNotFoundError:
        return None


def _remember_member(state_dir: Path, host: str) -> None:
    (state_dir / MEMBER_FILE).write_text(host + "\n")


def _pool_network(db: Db) -> str:
    """The pool-wide network the first host made, which every member's eth0 joins."""
    for net in db.refs("network"):
        if db.get("network", net)["other_config"].get("automatic") == "true":
            return net
    return NULL_REF


def _create_host(db: Db, state_dir: Path, network: str, live: bool = True) -> tuple[str, str]:
    """This host's own objects (inside the caller's batch): the host, its local SR, its PIF, its
    control domain; returns the host and the local SR.  A pool member is not ``live`` until it holds
    its lease (xenia.pool.liveness), or the others would count it as failed."""
    sr_path = state_dir / "sr" / "local"
    sr_path.mkdir(parents=True, exist_ok=True)
    hostname = socket.gethostname()
    host = db.create(
        "host",
        {
            "name_label": hostname,
            "name_description": "Default install",
            "address": "127.0.0.1",
            "capabilities": ["hvm-3.0-x86_64"],
            "sched_policy": "credit",
            "metrics": db.create("host_metrics", {"live": live}),
        },
    )
    sr = db.create(
        "SR",
        {
            "name_label": "Local storage",
            "name_description": f"Files under {sr_path}",
            "type": "file",
            "content_type": "user",
            "shared": False,
            "physical_size": 0,
            "other_config": {"path": str(sr_path)},
            "sm_config": {"path": str(sr_path)},
        },
    )
    db.create("PBD", {"host": host, "SR": sr, "device_config": {"location": str(sr_path)},
                      "currently_attached": True})  # fmt: skip
    for shared in db.refs("SR"):  # a pool's shared SRs reach the new member too
        rec = db.get("SR", shared)
        pbds = db.referrers("PBD", "SR", shared)
        if rec["shared"] and rec["type"] == "file" and pbds:
            db.create("PBD", {"host": host, "SR": shared, "device_config": db.get("PBD", pbds[0])["device_config"],
                              "currently_attached": True})  # fmt: skip
    if network != NULL_REF:
        db.create("PIF", {"device": "eth0", "host": host, "network": network, "MTU": 1500, "physical": True,
                          "VLAN": -1, "management": True, "currently_attached": True, "IP": "127.0.0.1"})  # fmt: skip
    db.create(
        "VM",
        {
            "name_label": f"Control domain on host: {hostname}",
            "is_control_domain": True,
            "power_state": "Running",
            "resident_on": host,
            "domid": 0,
            "memory_static_max": 1024 * MiB,
            "memory_dynamic_max": 1024 * MiB,
            "memory_dynamic_min": 1024 * MiB,
            "memory_target": 1024 * MiB,
            "VCPUs_max": 1,
            "VCPUs_at_startup": 1,
            "domain_type": "pv",
            "metrics": db.create("VM_metrics", {"state": ["running"]}),
        },
    )
    return host, sr
