"""Hand-written handlers of explicit messages, one module per class.

Importing this package registers every handler in :data:`xenia.api.methods.HANDLERS`.
"""

from xenia.api.handlers import devices, host, lifecycle, message, session, vdi, vm, vm_config, xenia_ext

__all__ = ["devices", "host", "lifecycle", "message", "session", "vdi", "vm", "vm_config", "xenia_ext"]
