"""The simulator's side of a migration: a :class:`SourceVm` and a :class:`~.receiver.Sink`.

Each simulated VM gets a modelled memory (:class:`~.memory.SimMemory`) the first time it
migrates, at most the driver's ``migration-memory`` option in size and dirtied at its
``dirty-rate`` while the VM runs. The memory travels with the VM: the destination driver keeps
the one it received, so a VM moved A → B → A arrives with what it had. The rest of the VM's
state is the driver's suspend image (:meth:`SimVm.capture`), sent at the switch-over.
"""

from __future__ import annotations

import weakref
from typing import Any

from xenia.drivers.base import DomainSpec, RunState
from xenia.drivers.errors import DomainExists, InvalidArgument, NotEnoughMemory
from xenia.drivers.sim.driver import SimDriver
from xenia.drivers.specjson import spec_from_json, spec_to_json
from xenia.migration.live import Run
from xenia.migration.memory import PageError, SimMemory
from xenia.migration.precopy import precopy, send_pages
from xenia.migration.stream import FrameWriter

__all__ = ["SimSink", "SimSource", "memory_of"]

_MEMORIES: weakref.WeakKeyDictionary[SimDriver, dict[str, SimMemory]] = weakref.WeakKeyDictionary()


def memory_of(driver: SimDriver, vm_uuid: str) -> SimMemory:
    """The modelled memory of a domain of ``driver`` (made on first use)."""
    table = _MEMORIES.setdefault(driver, {})
    mem = table.get(vm_uuid)
    if mem is None:
        dom = driver.get(vm_uuid)
        size = min(driver.migration_memory, dom.memory_actual)
        mem = table[vm_uuid] = SimMemory.for_vm(vm_uuid, size, dirty_rate=driver.dirty_rate)
        mem.set_running(dom.run_state is RunState.RUNNING)
    return mem


def _forget(driver: SimDriver, vm_uuid: str) -> None:
    _MEMORIES.get(driver, {}).pop(vm_uuid, None)


class SimSource:
    """A simulated VM leaving ``driver``."""

    def __init__(self, driver: SimDriver, vm_uuid: str) -> None:
        self.driver = driver
        self.vm_uuid = vm_uuid
        self.was_running = False
        self._paused = False

    @property
    def memory(self) -> SimMemory:
        return memory_of(self.driver, self.vm_uuid)

    async def prepare(self) -> dict[str, Any]:
        state = await self.driver.vm.get_state(self.vm_uuid)
        if state.run_state not in (RunState.RUNNING, RunState.PAUSED):
            raise InvalidArgument(f"VM {self.vm_uuid} is {state.run_state.value}: only a live domain migrates")
        await self.driver.faults.hit("vm.migrate.prepare")
        self.was_running = state.run_state is RunState.RUNNING
        mem = self.memory
        mem.set_running(self.was_running)
        return {
            "vm": self.vm_uuid,
            "driver": "sim",
            "spec": spec_to_json(self.driver.get(self.vm_uuid).spec),
            "memory": max(state.memory_actual, state.memory_target),
            "model_memory": mem.size,
        }

    async def send_memory(self, out: FrameWriter, run: Run) -> None:
        await self.driver.faults.hit("vm.migrate.send")
        await precopy(self.memory, out, run)

    async def switch_over(self, out: FrameWriter, run: Run) -> dict[str, Any]:
        mem = self.memory
        if self.was_running:
            await self.driver.vm.pause(self.vm_uuid)
        self._paused = True
        mem.set_running(False)
        await send_pages(mem, mem.take_dirty(), out, run, check=False)
        await self.driver.faults.hit("vm.migrate.switch")
        return {"image": self.driver.vm.capture(self.vm_uuid), "digest": mem.digest(), "running": self.was_running}

    async def resume(self) -> None:
        if self._paused and self.was_running:
            await self.driver.vm.unpause(self.vm_uuid)
            self.memory.set_running(True)
        self._paused = False

    async def abandon(self) -> None:
        return None  # the simulator's pre-copy stops with the connection

    async def release(self) -> None:
        await self.driver.vm.destroy(self.vm_uuid)
        _forget(self.driver, self.vm_uuid)


class SimSink:
    """A simulated VM arriving on ``driver``; ``spec`` replaces the source's (a daemon maps disks and NICs)."""

    def __init__(self, driver: SimDriver, spec: DomainSpec | None = None) -> None:
        self.driver = driver
        self.spec = spec
        self.memory: SimMemory | None = None
        self.vm_uuid = ""
        self._created = False
        self._running = False

    async def accept(self, hello: dict[str, Any]) -> None:
        if hello.get("driver") != "sim":
            raise InvalidArgument(f"this host runs the simulator, the stream comes from {hello.get('driver')!r}")
        spec = self.spec or spec_from_json(hello["spec"])
        self.spec = spec
        self.vm_uuid = spec.vm_uuid
        if spec.vm_uuid != hello.get("vm"):
            raise InvalidArgument(f"the stream is VM {hello.get('vm')}, the ticket VM {spec.vm_uuid}")
        if any(d.spec.vm_uuid == spec.vm_uuid for d in self.driver.domains()):
            raise DomainExists(spec.vm_uuid, self.driver.get(spec.vm_uuid).domid)
        needed = int(hello.get("memory", 0))
        if needed > self.driver.memory_free():
            raise NotEnoughMemory(needed, self.driver.memory_free())
        self.memory = SimMemory.for_vm(spec.vm_uuid, int(hello.get("model_memory", 4096)), dirty_rate=self.driver.dirty_rate)

    async def data(self, payload: bytes) -> None:
        assert self.memory is not None
        self.memory.load(payload)

    async def load(self, state: dict[str, Any]) -> dict[str, Any]:
        assert self.memory is not None and self.spec is not None
        digest = self.memory.digest()
        if digest != state.get("digest"):
            raise PageError(f"memory digest {digest} differs from the source's {state.get('digest')}")
        await self.driver.faults.hit("vm.migrate.load")
        await self.driver.vm.restore_image(self.spec, dict(state["image"]), "migration stream")
        self._created = True
        self._running = bool(state.get("running"))
        return {"digest": digest}

    async def commit(self) -> dict[str, Any]:
        assert self.memory is not None
        try:
            await self.driver.faults.hit("vm.migrate.commit")
            if self._running:
                await self.driver.vm.unpause(self.vm_uuid)
        except Exception:
            await self.abort()
            raise
        _MEMORIES.setdefault(self.driver, {})[self.vm_uuid] = self.memory
        self.memory.set_running(self._running)
        state = await self.driver.vm.get_state(self.vm_uuid)
        return {"domid": state.domid, "digest": self.memory.digest()}

    async def abort(self) -> None:
        if self._created:
            self._created = False
            await self.driver.vm.destroy(self.vm_uuid)


