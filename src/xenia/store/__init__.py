"""xenia's store: a xenstore-compatible daemon with branch transactions, bounded history and indices.

Modules: :mod:`.wire` (sans-I/O codec), :mod:`.paths`, :mod:`.perms`, :mod:`.tree` (persistent tree and
indices), :mod:`.history`, :mod:`.engine` (semantics), :mod:`.dispatch` (packets -> engine),
:mod:`.server` (asyncio daemon), :mod:`.client` (in-process API), :mod:`.persist`, :mod:`.export`,
:mod:`.cli`. See docs/store.md.
"""

from .client import StoreClient, StoreTransaction
from .errors import XsError
from .server import StoreServer

__all__ = ["StoreServer", "StoreClient", "StoreTransaction", "XsError"]
