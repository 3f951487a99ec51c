"""The one place where driver errors become XenAPI errors.

Drivers raise typed errors that say what went wrong in their own terms; the
client must get the code xapi would send.  The step that failed is named in
the error's message, so a user (and a test) can see where an operation broke.
"""

from __future__ import annotations

from xenia.datamodel.errors import ApiError
from xenia.drivers import errors as d


def to_api_error(error: d.DriverError, *, vm: str, step: str, operation: str) -> ApiError:
    """The XenAPI error for ``error`` raised by ``step`` of ``operation`` on VM ``vm`` (a ref)."""
    where = f"{operation}: step {step} failed"
    match error:
        case d.NotEnoughMemory():
            return ApiError("HOST_NOT_ENOUGH_FREE_MEMORY", error.needed, error.available)
        case d.NotSupported():
            return ApiError("OPERATION_NOT_ALLOWED", f"{where}: the driver does not support {error.capability}")
        case d.InvalidState():
            return ApiError("VM_BAD_POWER_STATE", vm, ", ".join(error.expected) or "unknown", error.actual)
        case d.Timeout():
            return ApiError("VM_SHUTDOWN_TIMEOUT", vm, error.seconds) if step.startswith("wait_") else (
                ApiError("INTERNAL_ERROR", f"{where}: timed out: {error}"))
        case d.DeviceExists():
            return ApiError("DEVICE_ALREADY_ATTACHED", error.device)
        case d.NoSuchDevice():
            return ApiError("DEVICE_ALREADY_DETACHED", error.device)
        case d.NoSuchImage():
            return ApiError("VDI_NOT_AVAILABLE", error.path)
        case d.InvalidArgument():
            return ApiError("INVALID_VALUE", where, str(error))
        case _:
            cause = f" ({error.cause!r})" if error.cause is not None else ""
            return ApiError("INTERNAL_ERROR", f"{where}: {type(error).__name__}: {error}{cause}")
