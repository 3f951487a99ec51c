"""The QEMU/KVM driver: each VM a QEMU process, driven over QMP.

Modules, bottom-up: :mod:`.qmp` (protocol), :mod:`.argv` (spec -> command line, pure),
:mod:`.process` (files, spawn, exit watch), :mod:`.record` (what adoption reads back),
:mod:`.domain` (one live domain), :mod:`.suspend`, :mod:`.devices`, :mod:`.metrics`,
:mod:`.storage`, :mod:`.host`, and :mod:`.driver` (the protocol implementation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xenia.drivers.qemu.driver import QemuDriver

__all__ = ["QemuDriver"]


def __getattr__(name: str) -> Any:
    """``QemuDriver`` imported on first use (PEP 562): the package is also reached for its small
    helpers (``storage.image_format`` by the disk export), and the driver's modules are a tenth of a
    second of every ``xenia serve`` start, with any driver (issue 12)."""
    if name == "QemuDriver":
        from xenia.drivers.qemu.driver import QemuDriver

        return QemuDriver
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
