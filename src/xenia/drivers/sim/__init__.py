"""The simulator driver (``sim``): every driver operation, in process, with simulated guests,
virtual or real time, and named fault points. See ``docs/drivers.md``."""

from xenia.drivers.sim.clock import Clock, RealClock, VirtualClock
from xenia.drivers.sim.driver import SimDriver, parse_size
from xenia.drivers.sim.faults import FAULT_POINTS, FaultAction, Faults, FaultSpec, parse_fault
from xenia.drivers.sim.guest import GuestProfile

__all__ = [
    "FAULT_POINTS",
    "Clock",
    "FaultAction",
    "FaultSpec",
    "Faults",
    "GuestProfile",
    "RealClock",
    "SimDriver",
    "VirtualClock",
    "parse_fault",
    "parse_size",
]
