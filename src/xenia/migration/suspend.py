"""VM.suspend and VM.resume through the library: the suspend image is a saved VM (:mod:`.save`).

The operations layer calls :func:`suspend_to` and :func:`resume_from`; they pick the driver's
:class:`~.live.SourceVm` / :class:`~.receiver.Sink` (simulator or QEMU), so a suspend has the
phases, progress, rate limit and cancel of every save, and a cancelled or failed suspend leaves
the VM running with no image. What differs from ``xenia vm-save``/``vm-restore``:

- the driver must declare :attr:`Capability.SUSPEND`, and the simulator's fault points
  ``vm.suspend.write`` / ``vm.resume.read`` stay where they were (before anything is written or made);
- a resumed domain stays paused: the operation unpauses it (or not: ``start_paused``);
- a driver error keeps its type (the caller maps it to the XenAPI error it always gave), a
  cancel is :class:`~.errors.MigrationCancelled`.

Images written before suspend went through the library (the simulator's JSON image, QEMU's raw
stream) are not saved VMs; :func:`is_saved_vm` tells them apart and the caller resumes them
with the driver's own ``resume``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from xenia.drivers.base import Capability, DomainSpec, Driver
from xenia.drivers.errors import DriverError, NotSupported
from xenia.migration.errors import MigrationCancelled, MigrationError
from xenia.migration.live import MigrationResult, SourceVm, WrappedSource
from xenia.migration.options import MigrationOptions
from xenia.migration.receiver import Sink
from xenia.migration.save import read_header, restore, save

if TYPE_CHECKING:
    from xenia.drivers.qemu import QemuDriver
    from xenia.drivers.sim.driver import SimDriver

__all__ = ["is_saved_vm", "resume_from", "supported", "suspend_to"]


def _as_sim(driver: Driver) -> SimDriver | None:
    """``driver`` as the simulator, or None. A driver's module is imported only if it is loaded
    already (only then can its driver be running): the operations layer imports no backend it
    does not use."""
    if "xenia.drivers.sim.driver" in sys.modules:
        from xenia.drivers.sim.driver import SimDriver

        if isinstance(driver, SimDriver):
            return driver
    return None


def _as_qemu(driver: Driver) -> QemuDriver | None:
    """``driver`` as the QEMU driver, or None (imported as :func:`_as_sim` says)."""
    if "xenia.drivers.qemu" in sys.modules:
        from xenia.drivers.qemu import QemuDriver

        if isinstance(driver, QemuDriver):
            return driver
    return None


def supported(driver: Driver) -> bool:
    """Whether ``driver`` saves and restores through the library (else its own suspend is used)."""
    return _as_sim(driver) is not None or _as_qemu(driver) is not None


def is_saved_vm(path: str) -> bool:
    """Whether ``path`` holds a saved VM (a suspend image written through the library)."""
    try:
        read_header(path)
    except MigrationError:
        return False
    return True


class _SuspendSource(WrappedSource):
    """The driver's source, plus suspend's own checks before anything is written."""

    def __init__(self, driver: Driver, inner: SourceVm) -> None:
        super().__init__(inner)
        self.driver = driver

    async def prepare(self) -> dict[str, Any]:
        if Capability.SUSPEND not in self.driver.capabilities:
            raise NotSupported(Capability.SUSPEND.value, driver=self.driver.name)
        hello = await self.inner.prepare()
        if (sim := _as_sim(self.driver)) is not None:
            await sim.faults.hit("vm.suspend.write")
        return hello


class _ResumeSink:
    """The driver's sink, leaving the domain paused at the commit (the operation unpauses it)."""

    def __init__(self, driver: Driver, inner: Sink) -> None:
        self.driver = driver
        self.inner = inner

    async def accept(self, hello: dict[str, Any]) -> None:
        if Capability.SUSPEND not in self.driver.capabilities:
            raise NotSupported(Capability.SUSPEND.value, driver=self.driver.name)
        if (sim := _as_sim(self.driver)) is not None:
            await sim.faults.hit("vm.resume.read")
        await self.inner.accept(hello)

    async def data(self, payload: bytes) -> None:
        await self.inner.data(payload)

    async def load(self, state: dict[str, Any]) -> dict[str, Any]:
        return await self.inner.load({**state, "running": False})

    async def commit(self) -> dict[str, Any]:
        return await self.inner.commit()

    async def abort(self) -> None:
        await self.inner.abort()


def _unwrapped(exc: MigrationError) -> BaseException:
    """A driver's error as itself (its XenAPI error is the one suspend always gave); else ``exc``."""
    if not isinstance(exc, MigrationCancelled) and isinstance(exc.cause, DriverError):
        return exc.cause
    return exc


async def suspend_to(driver: Driver, vm_uuid: str, path: str, options: MigrationOptions) -> MigrationResult:
    """Save the live domain ``vm_uuid`` to ``path``; the domain is gone afterwards.

    :raise DriverError: the driver failed (the VM runs on, no file is left).
    :raise MigrationError: any other failure, naming its phase; :class:`MigrationCancelled` on cancel.
    """
    source: SourceVm
    if (sim := _as_sim(driver)) is not None:
        from xenia.migration.sim import SimSource

        source = SimSource(sim, vm_uuid)
    elif (qemu := _as_qemu(driver)) is not None:
        from xenia.migration.qemu import QemuSource

        # no cap: pause, then write (xl save, libvirt's managedsave); a capped one stays live
        source = QemuSource(qemu, vm_uuid, pause_first=options.bandwidth is None and options.limiter is None)
    else:
        raise NotSupported(Capability.SUSPEND.value, driver=driver.name)
    try:
        return await save(_SuspendSource(driver, source), path, options)
    except MigrationError as exc:
        raise _unwrapped(exc) from exc


async def resume_from(driver: Driver, spec: DomainSpec, path: str, options: MigrationOptions) -> None:
    """A paused domain for ``spec`` from the saved VM in ``path``; on failure nothing is left made.

    :raise DriverError: the driver failed; :raise MigrationError: any other failure.
    """
    inner: Sink
    if (sim := _as_sim(driver)) is not None:
        from xenia.migration.sim import SimSink

        inner = SimSink(sim, spec)
    elif (qemu := _as_qemu(driver)) is not None:
        from xenia.migration.qemu import QemuSink

        inner = QemuSink(qemu, spec)
    else:
        raise NotSupported(Capability.SUSPEND.value, driver=driver.name)
    try:
        await restore(_ResumeSink(driver, inner), path, options)
    except MigrationError as exc:
        raise _unwrapped(exc) from exc
