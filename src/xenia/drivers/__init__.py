"""Hypervisor drivers: the protocol (:mod:`.base`), errors (:mod:`.errors`), the registry
(:mod:`.registry`), and the backends ``sim`` (in-process simulator) and ``qemu`` (QEMU/KVM).

Importing this package imports no backend; use :func:`xenia.drivers.registry.create`.
"""

from xenia.drivers.base import Capability, DomainSpec, DomainState, Driver, DriverConfig
from xenia.drivers.errors import DriverError, NotSupported

__all__ = ["Capability", "DomainSpec", "DomainState", "Driver", "DriverConfig", "DriverError", "NotSupported"]
