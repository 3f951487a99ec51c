"""Which data sources belong to which object: the host's, each VM's and each SR's RRD.

An :class:`ObjectRrd` is xcp-rrdd's per-object RRD seen through names: its recorded sources
(indices into the shared :class:`~xenia.metrics.rrd.Bank`), the sources its current layout makes
available (recorded or not: ``get_data_sources`` lists both), and the *feed plan* that maps the
flat value list of :mod:`xenia.metrics.sources` onto bank indices, rebuilt only when the layout
or the set of recorded sources changes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from xenia.metrics.rrd import I64, Bank, DsDef

__all__ = ["Key", "ObjectRrd", "Registry", "UnknownSource"]

#: ("host" | "vm" | "sr", uuid)
Key = tuple[str, str]


class UnknownSource(LookupError):
    """No such data source on this object (xcp-rrdd's ``Invalid_data_source``)."""


@dataclass(eq=False)
class ObjectRrd:
    kind: str
    uuid: str
    #: recorded sources, in the order of their indices
    defs: list[DsDef] = field(default_factory=list)
    idx: I64 = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    pos: dict[str, int] = field(default_factory=dict)
    #: every source the current layout offers, in value order (recorded or not)
    available: tuple[DsDef, ...] = ()
    layout: object = None
    #: non-default sources turned on by ``record_data_source``
    extra: set[str] = field(default_factory=set)
    #: positions in the value list of the fed sources (None: a prefix of length ``len(feed)``)
    pick: list[int] | None = None
    feed: I64 = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    #: fed a known value since the last save
    dirty: bool = False
    #: the RRD has MIN and MAX archives besides the AVERAGE ones (fixed when it is created)
    minmax: bool = True

    def index_of(self, name: str) -> int:
        try:
            return int(self.idx[self.pos[name]])
        except KeyError:
            raise UnknownSource(name) from None

    def wanted(self, d: DsDef) -> bool:
        return d.default or d.name in self.extra

    def pick_values(self, values: list[float]) -> list[float]:
        if self.pick is None:
            return values[: len(self.feed)]
        return [values[i] for i in self.pick]


class Registry:
    """The objects with RRDs, over one bank."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self.objects: dict[Key, ObjectRrd] = {}
        #: new VM and SR RRDs get MIN and MAX archives (xapi's
        #: ``pool.other_config:create_min_max_in_new_VM_RRDs``); the host's always have them
        self.vm_min_max = False
        #: bumped whenever an object or a recorded source comes or goes, so that plans built
        #: from the objects' indices (the cooked query's) know when to rebuild
        self.version = 0
        #: bumped whenever the feed of an object already laid out changes or an object goes: a plan
        #: built at the same count may keep the feeds of the objects it holds (the collector's
        #: block plans after starts and stops, ``xenia.metrics.collect``)
        self.reshaped = 0

    def __iter__(self) -> Iterator[ObjectRrd]:
        return iter(self.objects.values())

    def get(self, kind: str, uuid: str) -> ObjectRrd | None:
        return self.objects.get((kind, uuid))

    def obtain(self, kind: str, uuid: str, minmax: bool | None = None) -> ObjectRrd:
        """The RRD of an object, created empty if it has none; ``minmax`` overrides the choice of
        archives for a new one (a restored RRD keeps the archives it was saved with)."""
        obj = self.objects.get((kind, uuid))
        if obj is None:
            if minmax is None:
                minmax = kind == "host" or self.vm_min_max
            obj = self.objects[(kind, uuid)] = ObjectRrd(kind, uuid, minmax=minmax)
            self.version += 1
        return obj

    def add_sources(self, obj: ObjectRrd, defs: Sequence[DsDef]) -> None:
        new = [d for d in defs if d.name not in obj.pos]
        if not new:
            return
        idx = self.bank.allocate(new, obj.minmax)
        self.version += 1
        for d in new:
            obj.pos[d.name] = len(obj.defs)
            obj.defs.append(d)
        obj.idx = np.concatenate([obj.idx, idx])

    def add_sources_many(self, items: Sequence[tuple[ObjectRrd, Sequence[DsDef]]]) -> None:
        """:meth:`add_sources` for many objects with one bank allocation per kind of archives
        (restoring 10 000 RRDs at start-up: one allocation each cost a pass over the bank's tiles)."""
        todo: dict[bool, list[tuple[ObjectRrd, list[DsDef]]]] = {}
        for obj, defs in items:
            new = [d for d in defs if d.name not in obj.pos]
            if new:
                todo.setdefault(obj.minmax, []).append((obj, new))
        for minmax, objs in todo.items():
            idx = self.bank.allocate([d for _, new in objs for d in new], minmax)
            self.version += 1
            at = 0
            for obj, new in objs:
                for d in new:
                    obj.pos[d.name] = len(obj.defs)
                    obj.defs.append(d)
                obj.idx = np.concatenate([obj.idx, idx[at : at + len(new)]])
                at += len(new)

    def set_layout(self, obj: ObjectRrd, layout: object, available: tuple[DsDef, ...]) -> None:
        """Adopt a new layout: record its default (and asked-for) sources and plan the feed."""
        obj.available = available
        self.add_sources(obj, [d for d in available if obj.wanted(d)])
        self._plan_feed(obj, layout, available)

    def set_layout_many(self, objs: Sequence[ObjectRrd], layout: object, available: tuple[DsDef, ...]) -> None:
        """:meth:`set_layout` for many objects, with one bank allocation per kind of archives: the
        first tick after a restart gives 10 000 VMs their layout, and one allocation each (a pass over
        every archive's tiles) held the event loop some 2 s there (issue 12)."""
        for obj in objs:
            obj.available = available
        self.add_sources_many([(obj, [d for d in available if obj.wanted(d)]) for obj in objs])
        for obj in objs:
            self._plan_feed(obj, layout, available)

    def _plan_feed(self, obj: ObjectRrd, layout: object, available: tuple[DsDef, ...]) -> None:
        if obj.layout is not None:
            self.reshaped += 1
        pick = [i for i, d in enumerate(available) if d.name in obj.pos]
        obj.feed = obj.idx[[obj.pos[available[i].name] for i in pick]] if pick else np.empty(0, dtype=np.int64)
        obj.pick = None if pick == list(range(len(pick))) else pick
        obj.layout = layout

    def record(self, obj: ObjectRrd, name: str) -> None:
        """``record_data_source``: start archiving an available source."""
        d = next((d for d in obj.available if d.name == name), None)
        if d is None:
            if name in obj.pos:
                return
            raise UnknownSource(name)
        obj.extra.add(name)
        self.set_layout(obj, obj.layout, obj.available)

    def forget(self, obj: ObjectRrd, name: str) -> None:
        """``forget_data_source_archives``: drop a source's history (a default one starts afresh)."""
        i = obj.index_of(name)
        self.bank.reset(np.array([i], dtype=np.int64))

    def drop(self, kind: str, uuid: str) -> ObjectRrd | None:
        obj = self.objects.pop((kind, uuid), None)
        if obj is not None:
            self.bank.free(obj.idx)
            self.version += 1
            self.reshaped += 1
        return obj
