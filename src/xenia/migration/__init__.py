"""Save, restore and live migration as one library, usable without the daemon (seed 003).

A script moves a simulated VM between two drivers like this::

    from xenia.migration import MigrationOptions, Receiver, migrate
    from xenia.migration.sim import SimSink, SimSource

    receiver = Receiver(); await receiver.start()
    ticket = receiver.expect(lambda hello: _sink(SimSink(dest_driver)))
    result = await migrate(SimSource(src_driver, vm_uuid), receiver.address, ticket.token,
                           MigrationOptions(bandwidth=50 << 20, progress=print))

Every failure is a :class:`MigrationError` naming its :class:`Phase`; see :mod:`.live` for the
rule on where the VM runs afterwards, and ``docs/migration.md`` for the whole design.
"""

from xenia.migration.errors import (
    DestinationRefused,
    MigrationCancelled,
    MigrationError,
    MigrationTimedOut,
    Phase,
)
from xenia.migration.limiter import TokenBucket
from xenia.migration.live import MigrationResult, SourceVm, migrate
from xenia.migration.options import CancelToken, MigrationOptions, TimeoutPolicy
from xenia.migration.progress import Progress, ProgressCallback
from xenia.migration.receiver import Receiver, Sink, Ticket
from xenia.migration.save import restore, save

__all__ = [
    "migrate",
    "save",
    "restore",
    "Receiver",
    "MigrationOptions",
    "MigrationResult",
    "Progress",
    "ProgressCallback",
    "CancelToken",
    "TimeoutPolicy",
    "TokenBucket",
    "SourceVm",
    "Sink",
    "Ticket",
    "Phase",
    "MigrationError",
    "MigrationCancelled",
    "MigrationTimedOut",
    "DestinationRefused",
]
