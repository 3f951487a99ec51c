"""What guest agents report through the store, read into VM_guest_metrics as xapi does.

Guest agents (xe-guest-utilities, xen-guest-agent) write ``data/os_*``, ``attr/PVAddons/*``
and each NIC's addresses under the domain's path, then touch ``data/updated``.  Like xapi
(``xapi_guest_agent.ml``) xenia watches ``data/updated`` of every running VM and maps the
keys into the VM's guest metrics: ``os_version``, ``PV_drivers_version`` (with ``micro``
-1 when an agent leaves it out), ``networks`` (``<vif>/ip``, ``<vif>/ipv4/<n>``,
``<vif>/ipv6/<n>``, from both the ``attr/vif/<n>/ipv4/<i>`` layout and the older
``attr/eth<n>/ip`` one) and the hot-plug tristates.  ``memory`` stays empty, as in xapi,
whose datamodel says the field "exists but has no data" (meminfo goes to RRDs there).
"""

from __future__ import annotations

import logging

from xenia.datamodel.meta import NULL_REF
from xenia.db import Db
from xenia.store import XsError
from xenia.store.client import StoreClient, Watch
from xenia.util.clock import xapi_time

log = logging.getLogger(__name__)

PV_DRIVERS_VERSION = {"attr/PVAddons/MajorVersion": "major", "attr/PVAddons/MinorVersion": "minor",
                      "attr/PVAddons/MicroVersion": "micro", "attr/PVAddons/BuildVersion": "build",
                      "attr/PVAddons/Application": "application"}  # fmt: skip
OS_VERSION = {"data/os_name": "name", "data/os_uname": "uname", "data/os_distro": "distro",
              "data/os_majorver": "major", "data/os_minorver": "minor", "attr/os/spmajor": "spmajor",
              "attr/os/spminor": "spminor"}  # fmt: skip
#: interface names whose suffix is the NIC's number, in the older layout
_IFACE_PREFIXES = ("eth", "xenbr", "eno", "ens", "emp", "enx")
_TRISTATE = {"0": "no", "1": "yes"}


class GuestAgents:
    """One watch per running VM on its domain's ``data/updated``."""

    def __init__(self, db: Db, store: StoreClient) -> None:
        self.db = db
        self.store = store
        self._watches: dict[str, tuple[int, Watch]] = {}

    async def follow(self, vm: str, domid: int) -> None:
        """Read the VM's agent keys now and whenever the agent says it updated them."""
        current = self._watches.get(vm)
        if current is not None and current[0] == domid:
            return
        await self.forget(vm)

        async def updated(path: str, token: str) -> None:
            await self.read(vm, domid)

        try:
            watch = await self.store.watch(f"/local/domain/{domid}/data/updated", updated)
        except XsError as e:
            log.warning("cannot watch the guest agent of domain %s: %s", domid, e)
            return
        self._watches[vm] = (domid, watch)

    async def forget(self, vm: str) -> None:
        entry = self._watches.pop(vm, None)
        if entry is not None:
            try:
                await self.store.unwatch(entry[1])
            except XsError as e:
                log.debug("unwatching domain %s: %s", entry[0], e)

    async def close(self) -> None:
        for vm in list(self._watches):
            await self.forget(vm)

    async def _keys(self, base: str) -> dict[str, str]:
        """Every key with a value under the domain's ``attr`` and ``data`` directories and
        ``feature/hotplug`` (one subtree read each: a walk by DIRECTORY and READ cost some 50 store
        requests per report, a tenth of a VM.start's work)."""
        found: dict[str, str] = {}
        for top in ("attr", "data", "feature/hotplug"):
            for rel, value in (await self.store.read_tree(f"{base}/{top}")).items():
                if value:
                    found[f"{top}/{rel}"] = value.decode("utf-8", "replace")
        return found

    async def read(self, vm: str, domid: int) -> None:
        db = self.db
        if self._watches.get(vm, (None,))[0] != domid or not db.exists("VM", vm):
            return
        keys = await self._keys(f"/local/domain/{domid}")
        if self._watches.get(vm, (None,))[0] != domid or db.get("VM", vm)["domid"] != domid:
            return  # the domain went away while we read
        values = metrics_from_keys(keys)
        gm = db.get("VM", vm)["guest_metrics"]
        with db.batch():
            if gm == NULL_REF or not db.exists("VM_guest_metrics", gm):
                gm = db.create("VM_guest_metrics", {"live": True})
                db.set("VM", vm, "guest_metrics", gm)
            current = db.get("VM_guest_metrics", gm)
            if any(current[k] != v for k, v in values.items()):
                db.update("VM_guest_metrics", gm, **values, last_updated=xapi_time())


def metrics_from_keys(keys: dict[str, str]) -> dict[str, object]:
    """xapi's ``get_initial_guest_metrics`` for the fields xenia's VM_guest_metrics has."""
    pv = {name: keys[k] for k, name in PV_DRIVERS_VERSION.items() if k in keys}
    if pv and "micro" not in pv:
        pv["micro"] = "-1"
    return {
        "os_version": {name: keys[k] for k, name in OS_VERSION.items() if k in keys},
        "PV_drivers_version": pv,
        "networks": networks(keys),
        "can_use_hotplug_vbd": _TRISTATE.get(keys.get("feature/hotplug/vbd", ""), "unspecified"),
        "can_use_hotplug_vif": _TRISTATE.get(keys.get("feature/hotplug/vif", ""), "unspecified"),
    }


def _index(text: str) -> int:
    return int(text) if text.isdigit() else 1 << 30


def networks(keys: dict[str, str]) -> dict[str, str]:
    """``VM_guest_metrics.networks`` from the agent's ``attr`` keys (xapi's ``networks``)."""
    out: dict[str, str] = {}
    vifs = {k.split("/")[2] for k in keys if k.startswith("attr/vif/") and k.count("/") >= 4}
    if vifs:
        for vif in vifs:
            for version in ("ipv4", "ipv6"):
                prefix = f"attr/vif/{vif}/{version}/"
                ids = sorted((k[len(prefix):] for k in keys if k.startswith(prefix) and "/" not in k[len(prefix):]),
                             key=_index)  # fmt: skip
                for n, addr_id in enumerate(ids):
                    if version == "ipv4" and n == 0:
                        out[f"{vif}/ip"] = keys[prefix + addr_id]
                    out[f"{vif}/{version}/{addr_id}"] = keys[prefix + addr_id]
        return out
    for key, value in keys.items():
        parts = key.split("/")
        if len(parts) < 3 or parts[0] != "attr":
            continue
        iface = parts[1]
        iface_prefix = next((p for p in _IFACE_PREFIXES if iface.startswith(p)), None)
        if iface_prefix is None:
            continue
        nic = iface[len(iface_prefix):]
        if parts[2:] == ["ip"]:
            out[f"{nic}/ip"] = value
            out[f"{nic}/ipv4/0"] = value
        elif len(parts) == 5 and parts[2] == "ipv6" and parts[4] == "addr":
            out[f"{nic}/ipv6/{parts[3]}"] = value
    return out
