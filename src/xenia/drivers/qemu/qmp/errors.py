"""Errors of the QMP client, one root, each keeping the exception that caused it.

Hierarchy::

    QMPError
     ├── ConnectError        connecting or negotiating failed (``.exc`` is the root cause)
     ├── StateError          the call is not allowed in the client's current runstate
     ├── ProtocolError       QEMU sent something that is not QMP
     ├── DisconnectedError   the connection went away while a command waited for its reply
     └── ExecuteError        QEMU answered a command with an error (``.error_class``, ``.desc``)

``asyncio.CancelledError`` is never wrapped: cancelling a caller cancels it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xenia.drivers.qemu.qmp.client import Runstate

__all__ = ["ConnectError", "DisconnectedError", "ExecuteError", "ProtocolError", "QMPError", "StateError"]


class QMPError(Exception):
    """Root of every error this package raises."""


class ConnectError(QMPError):
    """Connecting, reading the greeting or negotiating capabilities failed.

    :param message: what was being attempted.
    :param exc: the underlying exception (``OSError``, :class:`ProtocolError`, ...).
    """

    def __init__(self, message: str, exc: BaseException) -> None:
        super().__init__(f"{message}: {exc}")
        #: The root cause, kept so it is never lost.
        self.exc = exc
        self.__cause__ = exc


class StateError(QMPError):
    """A method was called in a runstate that does not allow it.

    :param state: the runstate the client is in.
    :param required: the runstate the method needs.
    """

    def __init__(self, message: str, state: Runstate, required: Runstate) -> None:
        super().__init__(message)
        self.state = state
        self.required = required


class ProtocolError(QMPError):
    """QEMU sent bytes that are not a valid QMP message."""


class DisconnectedError(QMPError):
    """The connection closed (QEMU quit or died) before a reply arrived.

    :param exc: what ended the connection (``EOFError``, ``ConnectionResetError``, ...), if known.
    """

    def __init__(self, message: str, exc: BaseException | None = None) -> None:
        super().__init__(message if exc is None else f"{message}: {exc!r}")
        self.exc = exc
        if exc is not None:
            self.__cause__ = exc


class ExecuteError(QMPError):
    """QEMU answered a command with ``{"error": {"class": ..., "desc": ...}}``.

    :param command: the command that failed.
    :param error_class: the QMP error class (``GenericError``, ``DeviceNotFound``, ...).
    :param desc: QEMU's human-readable description.
    """

    def __init__(self, command: str, error_class: str, desc: str) -> None:
        super().__init__(f"{command}: {error_class}: {desc}")
        self.command = command
        self.error_class = error_class
        self.desc = desc
