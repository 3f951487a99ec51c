"""Suspend to a file and resume from it, with QEMU's migration stream.

QEMU 7.2 has no ``file:`` migration URI, so the driver opens the file itself and hands QEMU the
descriptor: ``getfd`` (over SCM_RIGHTS) + ``migrate fd:<name>`` to save, and the inherited
descriptor + ``-incoming defer`` + ``migrate-incoming fd:<n>`` to restore. No shell, no ``cat``
helper whose late exit could truncate the image, and the driver ``fsync``s the image itself.

Traps handled here (qemu.md §3): the default 128 MiB/s ``max-bandwidth`` also throttles saves to
a file, so it is lifted; MIGRATION events need the ``events`` capability; and a source may call
a migration ``completed`` that the destination refused, so resume checks the new QEMU really
loaded the state (it must reach ``paused`` alive) before reporting success.
"""

from __future__ import annotations

import contextlib
import os

from xenia.drivers.errors import BackendFailure
from xenia.drivers.qemu.domain import Domain
from xenia.drivers.qemu.qmp import Event, EventQueue

__all__ = ["restore_from_file", "save_to_file"]

#: Generous: a 1 GiB guest under a loaded TCG host.
MIGRATION_TIMEOUT = 600.0
_FINAL = ("completed", "failed", "cancelled")
_UNLIMITED = {"max-bandwidth": 1 << 40}


def _final(event: Event) -> bool:
    return event.data.get("status") in _FINAL


async def _migration_error(dom: Domain) -> str:
    with contextlib.suppress(Exception):
        info = await dom.execute("query-migrate")
        return str(info.get("error-desc", info.get("status", "unknown")))
    return "unknown"


async def save_to_file(dom: Domain, path: str, *, was_running: bool) -> None:
    """Stop the domain and write its whole state to ``path``.

    On failure the file is removed and a domain that was running runs again.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    queue = EventQueue(("MIGRATION",))
    detach = queue.attach(dom.qmp)
    ok = False
    try:
        if was_running:
            await dom.execute("stop")
        await dom.execute("migrate-set-capabilities", {"capabilities": [{"capability": "events", "state": True}]})
        await dom.execute("migrate-set-parameters", _UNLIMITED)
        try:
            await dom.qmp.execute_with_fd("getfd", {"fdname": "xenia-suspend"}, fd)
        except Exception as exc:
            raise BackendFailure(f"cannot pass the suspend image to QEMU: {exc}", cause=exc) from exc
        await dom.execute("migrate", {"uri": "fd:xenia-suspend"})
        event = await dom.wait_event(queue, _final, MIGRATION_TIMEOUT, "suspend")
        if event.data.get("status") != "completed":
            raise BackendFailure(f"suspend of VM {dom.vm_uuid} failed: {await _migration_error(dom)}")
        os.fsync(fd)
        ok = True
    finally:
        detach()
        os.close(fd)
        if not ok:
            with contextlib.suppress(OSError):
                os.unlink(path)
            if was_running and not dom.exited:
                with contextlib.suppress(Exception):
                    await dom.execute("cont")


async def restore_from_file(dom: Domain, path: str) -> None:
    """Load the state saved by :func:`save_to_file` into a domain started with ``incoming``."""
    assert dom.incoming_fd is not None
    queue = EventQueue(("MIGRATION",))
    detach = queue.attach(dom.qmp)
    try:
        await dom.execute("migrate-set-capabilities", {"capabilities": [{"capability": "events", "state": True}]})
        await dom.execute("migrate-incoming", {"uri": f"fd:{dom.incoming_fd}"})
        event = await dom.wait_event(queue, _final, MIGRATION_TIMEOUT, "resume")
        if event.data.get("status") != "completed":
            raise BackendFailure(f"resume of VM {dom.vm_uuid} from {path} failed: {await _migration_error(dom)}")
        status = await dom.status()
        if status != "paused":
            raise BackendFailure(f"resume of VM {dom.vm_uuid} from {path}: QEMU is {status}, not paused")
    finally:
        detach()
        os.close(dom.incoming_fd)
        dom.incoming_fd = None
