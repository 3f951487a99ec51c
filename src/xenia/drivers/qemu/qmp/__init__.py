"""QMP, the QEMU Machine Protocol: a sans-I/O framing core and an asyncio client.

Classes are listed most to least important; exceptions most generic to most specific.
"""

from xenia.drivers.qemu.qmp.client import EventQueue, QMPClient, Runstate
from xenia.drivers.qemu.qmp.errors import (
    ConnectError,
    DisconnectedError,
    ExecuteError,
    ProtocolError,
    QMPError,
    StateError,
)
from xenia.drivers.qemu.qmp.framing import Event, Greeting

__all__ = [
    "QMPClient",
    "Runstate",
    "EventQueue",
    "Event",
    "Greeting",
    "QMPError",
    "ConnectError",
    "StateError",
    "ProtocolError",
    "DisconnectedError",
    "ExecuteError",
]
