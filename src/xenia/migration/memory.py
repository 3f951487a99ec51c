"""A modelled guest memory with a dirty rate: what the simulator migrates.

Thousands of simulated migrations must be cheap, yet the algorithm under test (pre-copy until the
rest fits the downtime target) only means something if memory changes while it is copied. So a
:class:`SimMemory` is ``pages`` pages of ``page_size`` bytes whose contents are a function of
(seed, page index, generation): a running guest bumps the generation of random pages at
``dirty_rate`` bytes per second. The bytes on the wire are real (each page is its 16-byte
``seed|index|generation`` header repeated), so the rate limiter and byte counts are real too; the
receiver checks every page against its header, and :meth:`digest` over all generations tells
whether the destination holds exactly what the source had when it was paused.
"""

from __future__ import annotations

import array
import hashlib
import random
import struct
import time
from collections.abc import Iterable

__all__ = ["PAGE_SIZE", "PageError", "SimMemory"]

PAGE_SIZE = 4096
_PAGE_HEADER = struct.Struct("<QII")  # seed, index, generation
_RECORD = struct.Struct(">I")  # page index before each page in a DATA frame


class PageError(ValueError):
    """A page on the wire does not match its own header (a corrupt or foreign stream)."""


class SimMemory:
    """Modelled memory of one simulated VM.

    :param seed: from the VM's uuid, so every host computes the same contents.
    :param size: bytes (rounded up to whole pages, at least one).
    :param dirty_rate: bytes per second dirtied while :attr:`running`.
    """

    def __init__(self, seed: int, size: int, *, dirty_rate: float = 0.0, page_size: int = PAGE_SIZE) -> None:
        self.seed = seed & 0xFFFFFFFFFFFFFFFF
        self.page_size = page_size
        self.pages = max(1, -(-size // page_size))
        self.dirty_rate = dirty_rate
        self.generations = array.array("I", bytes(4 * self.pages))
        self.running = False
        self._dirty: set[int] = set()
        self._carry = 0.0
        self._stamp = time.monotonic()
        self._rng = random.Random(self.seed)

    @classmethod
    def for_vm(cls, vm_uuid: str, size: int, *, dirty_rate: float = 0.0) -> SimMemory:
        return cls(int(vm_uuid.replace("-", "")[:16] or "0", 16), size, dirty_rate=dirty_rate)

    @property
    def size(self) -> int:
        return self.pages * self.page_size

    # -- the running guest --------------------------------------------------------------------

    def set_running(self, running: bool) -> None:
        """Start or stop the guest's writes (a paused guest dirties nothing)."""
        self.advance()
        self.running = running

    def advance(self) -> None:
        """Apply the writes the guest made since the last call."""
        now = time.monotonic()
        if self.running and self.dirty_rate > 0:
            self._carry += (now - self._stamp) * self.dirty_rate / self.page_size
            count, self._carry = int(self._carry), self._carry % 1.0
            for _ in range(min(count, self.pages * 4)):
                self.write(self._rng.randrange(self.pages))
        self._stamp = now

    def write(self, index: int) -> None:
        """The guest writes page ``index``."""
        self.generations[index] = (self.generations[index] + 1) & 0xFFFFFFFF
        self._dirty.add(index)

    # -- what migration reads -----------------------------------------------------------------

    def all_pages(self) -> list[int]:
        """Every page (the first pass), clearing the dirty log."""
        self.advance()
        self._dirty.clear()
        return list(range(self.pages))

    def take_dirty(self) -> list[int]:
        """Pages written since the last take (the next pass), clearing the dirty log."""
        self.advance()
        dirty = sorted(self._dirty)
        self._dirty.clear()
        return dirty

    def dirty_count(self) -> int:
        self.advance()
        return len(self._dirty)

    def page(self, index: int) -> bytes:
        header = _PAGE_HEADER.pack(self.seed, index, self.generations[index])
        return header * (self.page_size // len(header))

    def encode(self, indices: Iterable[int]) -> bytes:
        """A DATA payload: ``index | page`` records."""
        return b"".join(_RECORD.pack(i) + self.page(i) for i in indices)

    def load(self, payload: bytes) -> int:
        """Apply a DATA payload from :meth:`encode`; returns the pages loaded.

        :raise PageError: a record is cut short, out of range, or not what its header says.
        """
        step = _RECORD.size + self.page_size
        if len(payload) % step:
            raise PageError(f"payload of {len(payload)} bytes is not a whole number of pages")
        for off in range(0, len(payload), step):
            (index,) = _RECORD.unpack_from(payload, off)
            page = payload[off + _RECORD.size : off + step]
            seed, own_index, generation = _PAGE_HEADER.unpack_from(page)
            if index >= self.pages or own_index != index or seed != self.seed:
                raise PageError(f"page {index} does not belong here (header says {own_index} of {seed:x})")
            if page != page[: _PAGE_HEADER.size] * (self.page_size // _PAGE_HEADER.size):
                raise PageError(f"page {index} is corrupt")
            self.generations[index] = generation
        return len(payload) // step

    def digest(self) -> str:
        """What the memory holds, as one hash (equal on both hosts after a correct migration)."""
        return hashlib.blake2b(self.generations.tobytes(), digest_size=16).hexdigest()
