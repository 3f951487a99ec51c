"""What can go wrong when talking to a XenAPI server, as a small tree of exceptions.

::

    ClientError
     +-- Failure            the server answered with a XenAPI error ([CODE, params...])
     +-- ConnectionFailed   the server could not be reached, or the connection broke (also an OSError)
     +-- ProtocolError      the server answered, but not with a JSON-RPC response we understand
     +-- ConfigError        connection settings (config file, environment) are unusable

Callers that only care about "the API said no" catch :class:`Failure` and switch
on ``.code``; the command line maps each branch to its own exit status.
"""

from __future__ import annotations


class ClientError(Exception):
    """The root of every error raised by :mod:`xenia.client`."""


class Failure(ClientError):
    """A XenAPI error: ``details`` is xapi's ErrorDescription, ``[CODE, params...]``.

    The constructor takes the whole list (as the XenAPI SDK's ``Failure`` does),
    so code written against either reads ``e.details`` the same way.
    """

    def __init__(self, details: list[str]) -> None:
        #: ``[CODE, param, ...]``, every element a string
        self.details = [str(d) for d in details]
        super().__init__(self.details)

    @property
    def code(self) -> str:
        """The error code, e.g. ``VM_BAD_POWER_STATE``."""
        return self.details[0] if self.details else ""

    @property
    def params(self) -> list[str]:
        """The error's parameters, in the order the datamodel declares them."""
        return self.details[1:]

    def __str__(self) -> str:
        return " ".join(self.details)


class ConnectionFailed(ClientError, OSError):
    """The server could not be reached or went away; ``cause`` is the underlying error.

    It is also an :class:`OSError`, so code that already handles socket errors
    keeps working.
    """

    def __init__(self, url: str, cause: BaseException, hint: str = "") -> None:
        self.url = url
        #: the low-level error (``ConnectionRefusedError``, ``FileNotFoundError``, ``ssl.SSLError`` ...)
        self.cause = cause
        #: what the user may do about it (the CLI names --url when no server was given)
        self.hint = hint
        super().__init__(f"cannot talk to {url}: {cause}" + (f"\n{hint}" if hint else ""))

    def __str__(self) -> str:
        return str(self.args[0])


class ProtocolError(ClientError):
    """The peer answered something that is not a well-formed JSON-RPC response (e.g. HTTP 500)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        #: the HTTP status, when there was one
        self.status = status
        super().__init__(message)


class ConfigError(ClientError):
    """Connection settings could not be read: a malformed config file or a bad value."""


__all__ = ["ClientError", "ConfigError", "ConnectionFailed", "Failure", "ProtocolError"]
