"""``pool.join``: a standalone host (its db in SQLite) becomes a member of a pool on etcd.

As xapi's joining host does, it checks itself (``pre_join_checks``: not the master of other
hosts, no running VMs, no VM with an operation in progress, no shared SR; ``join_force`` skips
none of these here either, since xenia has no licence or version mismatch to force past), logs in
to the master, and then drops its own database for the pool's: it asks the master where the
pool's etcd is (``xenia.pool_etcd``), writes that to ``<state dir>/pool.json`` and restarts
itself (xapi restarts too), coming back as a member that adds its host to the pool.  Its old
objects (halted VMs, local SR records) are not carried over, as with xapi; the files stay on disk.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from xenia.client.aio import AsyncSession
from xenia.client.errors import Failure
from xenia.datamodel.errors import ApiError
from xenia.db import Db

POOL_FILE = "pool.json"


def pre_join_checks(db: Db) -> None:
    if len(db.refs("host")) > 1:
        raise ApiError("JOINING_HOST_CANNOT_BE_MASTER_OF_OTHER_HOSTS")
    for vm in db.refs("VM"):
        rec = db.get("VM", vm)
        if rec["is_control_domain"]:
            continue
        if rec["power_state"] == "Running":
            raise ApiError("JOINING_HOST_CANNOT_HAVE_RUNNING_VMS")
        if rec["current_operations"]:
            raise ApiError("JOINING_HOST_CANNOT_HAVE_VMS_WITH_CURRENT_OPERATIONS")
    if any(db.get("SR", sr)["shared"] for sr in db.refs("SR")):
        raise ApiError("JOINING_HOST_CANNOT_CONTAIN_SHARED_SRS")


def master_url(address: str) -> str:
    """xapi takes a host name or IP (its API on 443); xenia takes ``host``, ``host:port`` or a URL."""
    if "://" in address:
        return address
    return f"http://{address}" if ":" in address else f"http://{address}:80"


async def fetch_pool_etcd(address: str, user: str, password: str) -> dict[str, Any]:
    session = AsyncSession(master_url(address), timeout=60.0)
    try:
        try:
            await session.login(user, password, "xenia-pool-join")
        except OSError as e:
            raise ApiError("JOINING_HOST_CONNECTION_FAILED") from e
        except Failure as e:
            raise ApiError(*e.details) from None
        try:
            answer: dict[str, Any] = await session.call("xenia.pool_etcd", session.handle)
        except Failure as e:
            raise ApiError(*e.details) from None
        await session.logout()
        return answer
    finally:
        await session.close()


def remember_pool(state_dir: Path, etcd: dict[str, Any]) -> None:
    (state_dir / POOL_FILE).write_text(json.dumps({"etcd": etcd["endpoints"], "prefix": etcd["prefix"]}) + "\n")


def read_pool(state_dir: Path) -> dict[str, str] | None:
    try:
        data: dict[str, str] = json.loads((state_dir / POOL_FILE).read_text())
    except FileNotFoundError:
        return None
    return data


def leave_pool(state_dir: Path) -> None:
    """This member was ejected: forget the pool (``pool.json``, this member's host) and put the old
    SQLite db aside, so that the restart makes a fresh standalone host (xapi's ejected host starts
    afresh too)."""
    for name in (POOL_FILE, "pool-host"):
        (state_dir / name).unlink(missing_ok=True)
    old = state_dir / "xenia.db"
    if old.exists():
        old.rename(state_dir / "xenia.db.before-join")
    for suffix in ("-wal", "-shm"):
        (state_dir / f"xenia.db{suffix}").unlink(missing_ok=True)


def forget_host(db: Db, host: str) -> None:
    """The pool's side of ``pool.eject``: the host and what only it had (metrics, CPUs, PIFs, PBDs,
    its local SRs and their disks, its control domain), in one batch."""
    from xenia.datamodel.meta import NULL_REF

    with db.batch():
        for pbd in db.referrers("PBD", "host", host):
            sr = db.get("PBD", pbd)["SR"]
            db.destroy("PBD", pbd)
            if db.exists("SR", sr) and not db.referrers("PBD", "SR", sr):  # only this host reached it
                for vdi in db.referrers("VDI", "SR", sr):
                    for vbd in db.referrers("VBD", "VDI", vdi):
                        db.update("VBD", vbd, VDI=NULL_REF, empty=True)
                    db.destroy("VDI", vdi)
                for pool in db.refs("pool"):
                    for field in ("default_SR", "suspend_image_SR", "crash_dump_SR"):
                        if db.get("pool", pool)[field] == sr:
                            db.set("pool", pool, field, NULL_REF)
                db.destroy("SR", sr)
        for cls in ("host_cpu", "PIF"):
            for ref in db.referrers(cls, "host", host):
                db.destroy(cls, ref)
        for vm in db.referrers("VM", "resident_on", host):
            rec = db.get("VM", vm)
            if rec["is_control_domain"]:
                if rec["metrics"] != NULL_REF and db.exists("VM_metrics", rec["metrics"]):
                    db.destroy("VM_metrics", rec["metrics"])
                db.destroy("VM", vm)
        for vm in db.referrers("VM", "affinity", host):
            db.set("VM", vm, "affinity", NULL_REF)
        metrics = db.get("host", host)["metrics"]
        db.destroy("host", host)
        if metrics != NULL_REF and db.exists("host_metrics", metrics):
            db.destroy("host_metrics", metrics)
