"""Simulated PV guests that talk to the toolstack through the store, as Linux guests do on Xen.

With a store attached (``SimDriver.attach_store``), a clean shutdown or reboot
request is a write of ``control/shutdown`` under the domain's path; a
cooperative guest watches that key, acknowledges by clearing it, and acts
after its delay.  Guests also report in ``data/`` once they run.  Without a
store (unit tests of the driver alone) requests go to the guest directly.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from xenia.drivers.base import NicSpec, RunState, ShutdownReason
from xenia.drivers.sim.state import SIM_AGENT_FEATURES
from xenia.store import XsError

if TYPE_CHECKING:
    from xenia.drivers.sim.driver import SimDriver
    from xenia.store.client import StoreClient, StoreTransaction, Watch

log = logging.getLogger(__name__)

#: what a guest does for each value a toolstack writes to control/shutdown
_REQUESTS = {"poweroff": ShutdownReason.POWEROFF, "halt": ShutdownReason.POWEROFF, "reboot": ShutdownReason.REBOOT}


#: the OS a simulated guest's agent reports, under the keys xe-guest-utilities writes
GUEST_OS = {
    "data/os_name": "xenia simulated Linux",
    "data/os_uname": "6.1.0-xenia-sim",
    "data/os_distro": "debian",
    "data/os_majorver": "12",
    "data/os_minorver": "0",
    "attr/PVAddons/MajorVersion": "8",
    "attr/PVAddons/MinorVersion": "4",
    "attr/PVAddons/MicroVersion": "0",
    "attr/PVAddons/BuildVersion": "1",
    "attr/PVAddons/Application": "xenia-sim-guest",
}


def guest_addresses(mac: str) -> tuple[str, str]:
    """A simulated NIC's addresses, fixed by its MAC so scripts see the same ones every boot:
    IPv4 ``10.<last three octets>`` (kept off .0 and .255) and the IPv6 link-local EUI-64 address."""
    octets = [int(x, 16) for x in mac.split(":")]
    last = min(max(octets[5], 1), 254)
    ipv4 = f"10.{octets[3]}.{octets[4]}.{last}"
    eui = bytes([octets[0] ^ 0x02, *octets[1:3], 0xFF, 0xFE, *octets[3:6]])
    ipv6 = ipaddress.IPv6Address(bytes.fromhex("fe80000000000000") + eui)
    return ipv4, str(ipv6)


class StoreGuests:
    def __init__(self, sim: SimDriver, store: StoreClient) -> None:
        self.sim = sim
        self.store = store
        self.watches: dict[str, tuple[int, Watch]] = {}
        self.ip_watches: dict[str, Watch] = {}
        self._updates = 0
        self._tasks: set[asyncio.Task[Any]] = set()

    async def boot(self, vm_uuid: str, domid: int) -> None:
        """A cooperative guest starts watching its control key."""
        await self.gone(vm_uuid)
        path = f"/local/domain/{domid}/control/shutdown"

        async def on_control(changed: str, token: str) -> None:
            await self._on_control(vm_uuid, domid, path)

        self.watches[vm_uuid] = (domid, await self.store.watch(path, on_control, token=f"sim-{domid}"))
        settings = f"/local/domain/{domid}/xenserver/device/vif"

        async def on_setting(changed: str, token: str) -> None:
            await self._apply_ip_settings(domid, settings)

        self.ip_watches[vm_uuid] = await self.store.watch(settings, on_setting, token=f"sim-ip-{domid}")

    async def boot_all(self, guests: list[tuple[str, int]], slice_size: int = 64) -> None:
        """:meth:`boot` each (VM uuid, domid), one task for all of them, yielding to the event loop
        every ``slice_size``: the in-process store's calls never suspend, and 10 000 tasks made at
        once would all run in one stretch of the loop (a restart of 10 000 guests, issue 12)."""
        for n, (vm_uuid, domid) in enumerate(guests):
            if n % slice_size == slice_size - 1:
                foreground = self.sim.foreground  # the simulated guests run on the host's time, not the clients'
                await (foreground.wait_idle() if foreground is not None else asyncio.sleep(0))
            dom = self.sim._domains.get(vm_uuid)
            if dom is None or dom.domid != domid or dom.run_state is RunState.SHUTDOWN:
                continue  # gone while the loop served others, or booted again by its own start
            await self.boot(vm_uuid, domid)

    async def gone(self, vm_uuid: str) -> None:
        entry = self.watches.pop(vm_uuid, None)
        if entry is not None:
            await self.store.unwatch(entry[1])
        ip_watch = self.ip_watches.pop(vm_uuid, None)
        if ip_watch is not None:
            await self.store.unwatch(ip_watch)

    async def request(self, domid: int, action: ShutdownReason) -> None:
        await self.store.write(f"/local/domain/{domid}/control/shutdown", action.value)

    async def report(self, domid: int, nics: Sequence[NicSpec], memory_bytes: int) -> None:
        """What a guest agent (xe-guest-utilities, xen-guest-agent) writes once it runs: its OS,
        its agent's version, its memory and each NIC's addresses (``attr/vif/<device>/ipv4/0``,
        the agents' current layout), then ``data/updated`` last, which toolstacks watch.  All in one
        transaction: a toolstack reads the keys when ``data/updated`` changes, so it sees the same as
        from key-by-key writes, and the store makes one commit (journalled, kept in the history,
        fired to watchers) per report instead of eighteen, a quarter of a start's work (issue 12)."""
        base = f"/local/domain/{domid}"
        if not await self.store.exists(base):
            return
        keys = dict(GUEST_OS)
        keys["data/meminfo_total"] = str(memory_bytes // 1024)
        keys["data/meminfo_free"] = str(memory_bytes // 1024 * 3 // 4)
        for nic in nics:
            ipv4, ipv6 = guest_addresses(nic.mac)
            keys[f"attr/vif/{nic.device}/ipv4/0"] = ipv4
            keys[f"attr/vif/{nic.device}/ipv6/0"] = ipv6
        for feature in sorted(SIM_AGENT_FEATURES):
            keys[f"control/{feature}"] = "1"
        keys["data/updated"] = self._next_update()  # last: toolstacks read the rest when it changes

        async def body(tx: StoreTransaction) -> None:
            for key, value in keys.items():
                await tx.write(f"{base}/{key}", value)

        await self.store.transact(body)

    def _next_update(self) -> str:
        """A new value for ``data/updated``: toolstacks watch for it to change."""
        self._updates += 1
        return str(self._updates)

    async def _updated(self, base: str) -> None:
        await self.store.write(f"{base}/data/updated", self._next_update())

    async def _apply_ip_settings(self, domid: int, settings: str) -> None:
        """The guest agent applies a static address the toolstack set (``VIF.configure_ipv4/6``)
        and reports it as the NIC's first address, as xe-guest-utilities does."""
        base = f"/local/domain/{domid}"
        try:
            vifs = await self.store.directory(settings)
        except XsError:
            return
        changed = False
        for vif in vifs:
            for suffix, version in (("", "ipv4"), ("6", "ipv6")):
                key = f"{settings}/{vif}/static-ip-setting"
                if await self.store.read_str(f"{key}/enabled{suffix}", default="0") != "1":
                    continue
                address = (await self.store.read_str(f"{key}/address{suffix}", default="") or "").split("/")[0]
                target = f"{base}/attr/vif/{vif}/{version}/0"
                if address and await self.store.read_str(target, default="") != address:
                    await self.store.write(target, address)
                    changed = True
        if changed:
            await self._updated(base)

    async def _on_control(self, vm_uuid: str, domid: int, path: str) -> None:
        value = await self.store.read_str(path, default="")
        reason = _REQUESTS.get(value or "")
        if reason is None:
            return
        await self.store.write(path, "")  # the guest acknowledges, as Linux does
        self.sim.guest_request(vm_uuid, domid, reason)

    def spawn(self, work: Any) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
