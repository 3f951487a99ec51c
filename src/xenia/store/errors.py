"""The one exception the store raises for protocol-visible failures.

xenstore reports failures as an errno *name* (``ENOENT``, ``EACCES``...). Everything the engine rejects
raises :class:`XsError` carrying that name, so the server can put it on the wire unchanged and the
in-process API can hand the same name to Python callers.
"""

from __future__ import annotations

__all__ = ["ERROR_NAMES", "XsError"]

#: The names libxenstore understands, in xs_wire.h table order. Anything else reaches C clients as EINVAL.
ERROR_NAMES = (
    "EINVAL", "EACCES", "EEXIST", "EISDIR", "ENOENT", "ENOMEM", "ENOSPC", "EIO",
    "ENOTEMPTY", "ENOSYS", "EROFS", "EBUSY", "EAGAIN", "EISCONN", "E2BIG", "EPERM",
)  # fmt: skip


class XsError(Exception):
    """A request failed with the errno name :attr:`name` (one of :data:`ERROR_NAMES`)."""

    def __init__(self, name: str, detail: str = "") -> None:
        assert name in ERROR_NAMES, name
        super().__init__(f"{name}: {detail}" if detail else name)
        #: errno name sent on the wire.
        self.name = name
