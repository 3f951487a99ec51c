"""The guest-visible keys of a running VM in the store, written and removed as Xen's toolstack does.

``/local/domain/<domid>`` holds the domain's name, its VM path, memory target,
the ``control/`` directory the guest watches, ``data/`` for what the guest
reports, and its device nodes; ``/vm/<uuid>`` names the VM.  Each set is
written in one transaction, so the store's name and uuid indices change in
the same commit as the tree.  The domain owns its subtree (as on Xen), so a
guest can answer in ``control/`` and ``data/``.
"""

from __future__ import annotations

import contextlib
from typing import Any

from xenia.db import Db
from xenia.store import XsError
from xenia.store.client import StoreClient, StoreTransaction

KiB = 1024


def _domain_keys(db: Db, vm: str, domid: int) -> dict[str, str]:
    rec = db.get("VM", vm)
    base = f"/local/domain/{domid}"
    keys = {
        f"{base}/name": rec["name_label"],
        f"{base}/domid": str(domid),
        f"{base}/vm": f"/vm/{rec['uuid']}",
        f"{base}/memory/target": str(rec["memory_dynamic_max"] // KiB),
        f"{base}/memory/static-max": str(rec["memory_static_max"] // KiB),
        f"{base}/control/platform-feature-multiprocessor-suspend": "1",
    }
    for vbd in db.referrers("VBD", "VM", vm):
        v = db.get("VBD", vbd)
        dev = f"{base}/device/vbd/{v['userdevice']}"
        keys[f"{dev}/device-type"] = "cdrom" if v["type"] == "CD" else "disk"
        keys[f"{dev}/mode"] = "r" if v["mode"] == "RO" else "w"
        keys[f"{dev}/state"] = "1"
    for vif in db.referrers("VIF", "VM", vm):
        v = db.get("VIF", vif)
        dev = f"{base}/device/vif/{v['device']}"
        keys[f"{dev}/mac"] = v["MAC"]
        keys[f"{dev}/mtu"] = str(v["MTU"])
        keys[f"{dev}/state"] = "1"
    keys[f"/vm/{rec['uuid']}/uuid"] = rec["uuid"]
    keys[f"/vm/{rec['uuid']}/name"] = rec["name_label"]
    return keys


async def write_keys(store: StoreClient, db: Db, vm: str, domid: int) -> None:
    keys = _domain_keys(db, vm, domid)
    base = f"/local/domain/{domid}"

    async def body(tx: StoreTransaction) -> None:
        for path, value in keys.items():
            await tx.write(path, value)
        for sub in ("control", "data", "device"):
            await tx.mkdir(f"{base}/{sub}")
        await tx.set_perms(base, [f"n{domid}", "r0"])
        for sub in ("control", "data"):
            await tx.set_perms(f"{base}/{sub}", [f"n{domid}", "r0"])

    await store.transact(body)
    with contextlib.suppress(XsError):  # already introduced (an adopted domain's keys rewritten)
        await store.introduce(domid)


async def remove_keys(store: StoreClient, domid: int, vm_uuid: str) -> None:
    async def body(tx: StoreTransaction) -> None:
        for path in (f"/local/domain/{domid}", f"/vm/{vm_uuid}"):
            if await tx.exists(path):
                await tx.rm(path)

    await store.transact(body)
    with contextlib.suppress(XsError):  # never introduced to this store (it restarted meanwhile)
        await store.release(domid)


async def rename(store: StoreClient, domid: int, vm_uuid: str, name: str) -> None:
    """A running VM's new name, with the index, in one commit."""

    async def body(tx: StoreTransaction) -> Any:
        if await tx.exists(f"/local/domain/{domid}/name"):
            await tx.write(f"/local/domain/{domid}/name", name)
            await tx.write(f"/vm/{vm_uuid}/name", name)

    await store.transact(body)
