"""Simulated PV guests that talk to the toolstack through the store, as Linux guests do on Xen.

With a store attached (``SimDriver.attach_store``), a clean shutdown or reboot
request is a write of ``control/shutdown`` under the domain's path; a
cooperative guest watches that key, acknowledges by clearing it, and acts
after its delay.  Guests also report in ``data/`` once they run.  Without a
store (unit tests of the driver alone) requests go to the guest directly.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from xenia.drivers.base import ShutdownReason

if TYPE_CHECKING:
    from xenia.drivers.sim.driver import SimDriver
    from xenia.store.client import StoreClient, Watch

log = logging.getLogger(__name__)

#: what a guest does for each value a toolstack writes to control/shutdown
_REQUESTS = {"poweroff": ShutdownReason.POWEROFF, "halt": ShutdownReason.POWEROFF, "reboot": ShutdownReason.REBOOT}


class StoreGuests:
    def __init__(self, sim: SimDriver, store: StoreClient) -> None:
        self.sim = sim
        self.store = store
        self.watches: dict[str, tuple[int, Watch]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()

    async def boot(self, vm_uuid: str, domid: int) -> None:
        """A cooperative guest starts watching its control key."""
        await self.gone(vm_uuid)
        path = f"/local/domain/{domid}/control/shutdown"

        async def on_control(changed: str, token: str) -> None:
            await self._on_control(vm_uuid, domid, path)

        self.watches[vm_uuid] = (domid, await self.store.watch(path, on_control, token=f"sim-{domid}"))

    async def gone(self, vm_uuid: str) -> None:
        entry = self.watches.pop(vm_uuid, None)
        if entry is not None:
            await self.store.unwatch(entry[1])

    async def request(self, domid: int, action: ShutdownReason) -> None:
        await self.store.write(f"/local/domain/{domid}/control/shutdown", action.value)

    async def report(self, domid: int) -> None:
        """What a guest agent writes once it runs: its OS and that its data is fresh."""
        base = f"/local/domain/{domid}"
        if await self.store.exists(base):
            await self.store.write(f"{base}/data/os_name", "xenia simulated Linux")
            await self.store.write(f"{base}/data/updated", "1")
            for feature in ("feature-poweroff", "feature-reboot", "feature-suspend", "feature-balloon"):
                await self.store.write(f"{base}/control/{feature}", "1")

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
