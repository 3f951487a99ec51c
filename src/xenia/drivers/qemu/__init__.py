"""The QEMU/KVM driver: each VM a QEMU process, driven over QMP.

Modules, bottom-up: :mod:`.qmp` (protocol), :mod:`.argv` (spec -> command line, pure),
:mod:`.process` (files, spawn, exit watch), :mod:`.record` (what adoption reads back),
:mod:`.domain` (one live domain), :mod:`.suspend`, :mod:`.devices`, :mod:`.metrics`,
:mod:`.storage`, :mod:`.host`, and :mod:`.driver` (the protocol implementation).
"""

from xenia.drivers.qemu.driver import QemuDriver

__all__ = ["QemuDriver"]
