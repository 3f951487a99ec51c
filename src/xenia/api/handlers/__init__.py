"""Hand-written handlers of explicit messages, one module per class.

Importing this package registers every handler in :data:`xenia.api.methods.HANDLERS`.
"""

from xenia.api.handlers import event, host, message, session, task, vm, xenia_ext

__all__ = ["event", "host", "message", "session", "task", "vm", "xenia_ext"]
