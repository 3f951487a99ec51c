"""Typed errors raised by drivers.

Every driver failure is a :class:`DriverError`. Callers (the ops layer) decide what to do from
the *class* and its :class:`Category`, never from a message string, and the mapping from these
classes to XenAPI wire errors lives in exactly one module of the ops/api layer, not here.

Each error keeps the lower-level exception that caused it (``cause``, also chained as
``__cause__`` when raised with ``raise ... from``) so that a QMP error or an ``OSError`` is never
lost on the way up.
"""

from __future__ import annotations

import enum

__all__ = [
    "BackendFailure",
    "Category",
    "DeviceExists",
    "DomainExists",
    "DriverError",
    "InvalidArgument",
    "InvalidState",
    "NoSuchDevice",
    "NoSuchDomain",
    "NoSuchImage",
    "NotEnoughMemory",
    "NotSupported",
    "Timeout",
]


class Category(enum.Enum):
    """Broad kind of failure, for retry and reporting decisions (Ganeti's ``ECODE_*``)."""

    INVALID = "invalid"  #: the request itself is wrong; retrying will not help
    STATE = "state"  #: the domain/device is in the wrong state for this step
    NOT_FOUND = "not_found"  #: the named domain/device/image does not exist
    EXISTS = "exists"  #: the thing to be created exists already
    RESOURCES = "resources"  #: temporarily not enough of something (memory); may succeed later
    UNSUPPORTED = "unsupported"  #: the driver does not declare the needed capability
    FAULT = "fault"  #: the backend failed (process died, QMP error, I/O error, injected fault)
    TIMEOUT = "timeout"  #: the backend did not answer in time


class DriverError(Exception):
    """Root of all driver errors.

    :param message: human-readable description (for logs; never parsed).
    :param cause: the lower-level exception that caused this one, if any.
    """

    category: Category = Category.FAULT

    def __init__(self, message: str, *, cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.message = message
        #: The lower-level exception behind this error (kept so it is never lost).
        self.cause = cause
        if cause is not None:
            self.__cause__ = cause


class NotSupported(DriverError):
    """The driver does not declare the capability this operation needs.

    :param capability: name of the missing :class:`~xenia.drivers.base.Capability` (a string so
        this module needs nothing from ``base``).
    """

    category = Category.UNSUPPORTED

    def __init__(self, capability: str, *, driver: str = "") -> None:
        who = f"driver {driver!r}" if driver else "this driver"
        super().__init__(f"{who} does not support {capability}")
        self.capability = capability
        self.driver = driver


class InvalidArgument(DriverError):
    """An argument is malformed or out of range (e.g. memory target above static max)."""

    category = Category.INVALID


class InvalidState(DriverError):
    """The domain or device is not in a state where this step can be carried out.

    The driver only reports the fact; whether the step should have been attempted is the ops
    layer's policy.

    :param vm_uuid: the VM whose domain is in the wrong state.
    :param actual: the state found (a :class:`~xenia.drivers.base.RunState` value or free text).
    :param expected: the states in which the step would have worked.
    """

    category = Category.STATE

    def __init__(self, vm_uuid: str, actual: str, expected: tuple[str, ...] = (), *, detail: str = "") -> None:
        msg = f"domain of VM {vm_uuid} is {actual}"
        if expected:
            msg += f", expected one of {', '.join(expected)}"
        if detail:
            msg += f": {detail}"
        super().__init__(msg)
        self.vm_uuid = vm_uuid
        self.actual = actual
        self.expected = expected


class NoSuchDomain(DriverError):
    """The driver has no domain for this VM."""

    category = Category.NOT_FOUND

    def __init__(self, vm_uuid: str) -> None:
        super().__init__(f"no domain for VM {vm_uuid}")
        self.vm_uuid = vm_uuid


class DomainExists(DriverError):
    """A domain for this VM exists already (a VM has at most one domain per driver)."""

    category = Category.EXISTS

    def __init__(self, vm_uuid: str, domid: int) -> None:
        super().__init__(f"VM {vm_uuid} already has domain {domid}")
        self.vm_uuid = vm_uuid
        self.domid = domid


class NoSuchDevice(DriverError):
    """The domain has no disk/NIC at this device position."""

    category = Category.NOT_FOUND

    def __init__(self, vm_uuid: str, kind: str, device: str) -> None:
        super().__init__(f"domain of VM {vm_uuid} has no {kind} {device}")
        self.vm_uuid = vm_uuid
        self.kind = kind
        self.device = device


class DeviceExists(DriverError):
    """The domain already has a disk/NIC at this device position."""

    category = Category.EXISTS

    def __init__(self, vm_uuid: str, kind: str, device: str) -> None:
        super().__init__(f"domain of VM {vm_uuid} already has {kind} {device}")
        self.vm_uuid = vm_uuid
        self.kind = kind
        self.device = device


class NoSuchImage(DriverError):
    """A disk image or suspend image path does not exist (or is not an image)."""

    category = Category.NOT_FOUND

    def __init__(self, path: str, *, cause: BaseException | None = None) -> None:
        super().__init__(f"no image at {path}", cause=cause)
        self.path = path


class NotEnoughMemory(DriverError):
    """The host cannot give a domain the memory it needs.

    :param needed: bytes the step needs.
    :param available: bytes the host has free for domains.
    """

    category = Category.RESOURCES

    def __init__(self, needed: int, available: int) -> None:
        super().__init__(f"not enough memory: need {needed} bytes, {available} available")
        self.needed = needed
        self.available = available


class BackendFailure(DriverError):
    """The backend failed to carry out a step (process died, QMP error, I/O error, injected fault).

    ``cause`` should always be set when there is a lower-level exception.
    """

    category = Category.FAULT


class Timeout(DriverError, TimeoutError):
    """The backend did not answer within the driver's own deadline.

    Also a :class:`TimeoutError`, so generic timeout handling catches it.
    """

    category = Category.TIMEOUT

    def __init__(self, operation: str, seconds: float, *, cause: BaseException | None = None) -> None:
        super().__init__(f"{operation} did not finish within {seconds:g} s", cause=cause)
        self.operation = operation
        self.seconds = seconds
