"""Events: ``event.from`` (and the older ``event.register``/``next``) fed by the db's one change feed.

The hub keeps one small structure, the *change log*: for every object changed
since the daemon started, one entry (generation of its last change, whether it
was created or deleted since), ordered by that generation.  A change moves its
object's entry to the end, so the objects changed since any token are exactly a
suffix of the log: answering ``event.from`` costs the changes since the token,
never a scan of the db, and several changes to one object are one entry -- one
``mod`` carrying the latest snapshot.  Entries of live objects are bounded by
the db's size; deletions are kept as tombstones up to ``max_tombstones``, and
a token older than the oldest tombstone dropped (or than the daemon itself)
can no longer be answered exactly: it gets ``EVENTS_LOST``, and the client
re-reads everything with the empty token.

Waiting callers sleep on futures indexed by what they watch (``*``, a class, an
object); a commit wakes only the matching ones, at once -- there is no polling
and no fixed batching delay (``batch_delay`` restores xapi's 50 ms, for
comparison).  An idle watcher costs one future.  ``event.next`` sessions are a
cursor into the same log, so a client that never reads holds no queue at all.

Tokens are ``"%020d,%020d"`` as xapi writes them.  The first number is the
generation *plus a base taken from the clock at start-up*, so tokens of an
earlier run of the daemon are always below this run's and are recognised.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import math
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from xenia.api.codec import xmlrpc
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import EVENT_BATCH, Kind, Type, parse_type
from xenia.db import Change, Db

log = logging.getLogger(__name__)

class EarlyAnswer(Protocol):
    """How a wake-up writes an ``event.from`` call's answer itself, ahead of the call's return.

    The server sets one (:data:`EARLY_ANSWER`) around a call it can answer that way.  Answers to one
    batch whose ``envelope`` is equal are the same bytes (JSON-RPC: its version and ``id``; XML-RPC has
    no envelope), so a wake-up renders them once per envelope and only sends them per watcher."""

    @property
    def envelope(self) -> Hashable: ...

    def render(self, batch: dict[str, Any], t: Type, /) -> bytes:
        """The whole answer (HTTP head and body) carrying ``batch``."""
        ...

    def send(self, data: bytes, /) -> bool:
        """Write ``data`` on the caller's connection; False (nothing written) when it cannot take it."""
        ...


#: Set by the server around an ``event.from`` call it can answer ahead of the call's return: a
#: wake-up so writes every woken watcher's answer from one callback, before their tasks resume.
EARLY_ANSWER: contextvars.ContextVar[EarlyAnswer | None] = contextvars.ContextVar("EARLY_ANSWER", default=None)

#: classes that never generate events (xapi: session, user, and internal ones)
SILENT = frozenset({"session", "user"})

BATCH_TYPE = parse_type(EVENT_BATCH)
EVENT_TYPE = Type(Kind.RECORD, name="event")


@dataclass
class EventLimits:
    #: deletions remembered; older tokens get EVENTS_LOST
    max_tombstones: int = 50_000
    #: seconds to wait after a wake-up before answering: 0 in xenia, 0.05 in xapi (the baseline)
    batch_delay: float = 0.0


class _Entry:
    __slots__ = ("cls", "created", "deleted", "gen")

    def __init__(self, cls: str, gen: int, created: int, deleted: bool) -> None:
        self.cls = cls
        self.gen = gen
        self.created = created
        self.deleted = deleted


@dataclass(frozen=True, slots=True)
class Subscription:
    """What a caller watches: everything, some classes (lowercase), some objects."""

    everything: bool
    classes: frozenset[str]
    refs: frozenset[str]

    @property
    def keys(self) -> list[str]:
        """Where its waiters are filed."""
        if self.everything:
            return ["*"]
        return [*self.classes, *(f"/{r}" for r in self.refs)]

    def matches(self, cls: str, ref: str) -> bool:
        return self.everything or cls in self.classes or ref in self.refs


def parse_subscription(classes: Iterable[str]) -> Subscription:
    """``["*"]``, ``["VM", "task"]``, ``["vm/OpaqueRef:..."]``.

    As xapi's ``Subscription.of_string``: split once at the first ``/``, so every string parses
    (``vm/a/b`` names the object ``a/b``, ``vm/`` the object ``""``); one that names no object
    just selects nothing.  xapi never raises EVENT_SUBSCRIPTION_PARSE_FAILURE from it.
    """
    everything = False
    names: set[str] = set()
    refs: set[str] = set()
    for sub in classes:
        if sub == "*":
            everything = True
            continue
        cls, sep, ref = sub.partition("/")
        if sep:
            refs.add(ref)
        else:
            names.add(cls.lower())
    return Subscription(everything, frozenset(names), frozenset(refs))


def parse_token(token: str) -> int | None:
    """The generation in a token; None for the empty token ("from the beginning")."""
    if token == "":
        return None
    first, sep, second = token.partition(",")
    if sep and first.isdigit() and second.isdigit():
        return int(first)
    raise ApiError("EVENT_FROM_TOKEN_PARSE_FAILURE", token)


def make_token(gen: int) -> str:
    return f"{gen:020d},{0:020d}"


#: waiters' deadlines are rounded up to this (seconds): the waiters of one tick share one loop timer
TICK = 0.01
#: a timeout this long (or infinite) has no deadline at all
_FOREVER = 1e9


class _Waiter:
    __slots__ = ("fut", "group", "keys", "session", "sink", "tick")

    def __init__(self, fut: asyncio.Future[dict[str, Any] | None], keys: list[str], session: str, tick: int = 0,
                 sink: EarlyAnswer | None = None) -> None:  # fmt: skip
        self.fut = fut
        self.keys = keys
        self.session = session
        self.tick = tick
        #: who writes its answer at the wake-up (an ``event.from`` the server can answer ahead)
        self.sink = sink
        #: the group it is filed in, when it has a sink
        self.group: _Group | None = None


class _Group:
    """Parked ``event.from`` calls answered at their wake-up that watch the same thing since the same
    token: filed as one under what they watch, so a wake-up finds them grouped already (one batch
    and one rendering for all of them) and the first answer leaves without a pass over the others."""

    __slots__ = ("key", "members", "since", "subs", "woken")

    def __init__(self, key: tuple[Subscription, int], subs: Subscription, since: int) -> None:
        self.key = key
        self.subs = subs
        self.since = since
        #: in the order they parked (a dict as an ordered set): the first to wait is answered first
        self.members: dict[_Waiter, None] = {}
        self.woken = False


@dataclass
class _Registration:
    """An ``event.register`` session: its subscriptions and how far ``event.next`` has read."""

    classes: list[str]
    cursor: int


class EventHub:
    def __init__(self, db: Db, limits: EventLimits | None = None, base: int | None = None,
                 is_active: Callable[[str], bool] | None = None) -> None:  # fmt: skip
        self.db = db
        #: whether a session is still valid (blocked calls of a session that ended answer SESSION_INVALID)
        self.is_active = is_active or (lambda _session: True)
        self.limits = limits or EventLimits()
        #: added to the db's generations; microseconds since the epoch at start-up
        self.base = base if base is not None else time.time_ns() // 1000
        self.log: dict[str, _Entry] = {}
        self.tombstones: deque[tuple[int, str]] = deque()
        #: the oldest generation a token may name and still be answered exactly
        self.floor = self.base
        self.lower = {name: name.lower() for name in db.tables}
        self.upper = {low: name for name, low in self.lower.items()}
        #: what waiters watch ("*", a class, "/ref") -> the waiters, and the groups (:class:`_Group`)
        self._waiters: dict[str, set[_Waiter | _Group]] = {}
        #: the groups still parked, by (subscription, since)
        self._groups: dict[tuple[Subscription, int], _Group] = {}
        self._by_session: dict[str, set[_Waiter]] = {}
        #: deadline tick -> (its one loop timer, the waiters that time out then); see :meth:`wait`
        self._deadlines: dict[int, tuple[asyncio.TimerHandle, set[_Waiter]]] = {}
        #: parsed subscription lists: watchers re-poll with the same list, parse it once
        self._subscriptions: dict[tuple[str, ...], Subscription] = {}
        #: woken groups whose answers :meth:`_deliver` writes, in one callback
        self._due: list[_Group] = []
        self.registrations: dict[str, _Registration] = {}
        #: answers already built at the current generation, by (subscription, since): a thousand
        #: watchers of the same thing woken by one change share one answer (and its encoding)
        self._answers: dict[tuple[Subscription, int | None], dict[str, Any]] = {}
        self._answers_gen = -1
        self._xml: dict[int, tuple[dict[str, Any], str]] = {}
        self._json: dict[int, tuple[dict[str, Any], orjson.Fragment]] = {}
        self._encoders: xmlrpc.Encoders | None = None
        self.closed = False
        self._unsubscribe = db.subscribe(self.on_changes)

    @property
    def current(self) -> int:
        return self.base + self.db.gen

    # ------------------------------------------------------------ change feed

    def on_changes(self, changes: list[Change]) -> None:
        """Record a committed batch and wake whoever watches what it touched."""
        touched: set[str] = set()
        log = self.log
        for ch in changes:
            if ch.cls in SILENT:
                continue
            gen = self.base + ch.gen
            entry = log.pop(ch.ref, None)
            if entry is None:
                entry = _Entry(ch.cls, gen, gen if ch.op == "add" else self.base, False)
            entry.gen = gen
            if ch.op == "add":
                entry.created, entry.deleted = gen, False
            elif ch.op == "del":
                entry.deleted = True
                self.tombstones.append((gen, ch.ref))
            log[ch.ref] = entry
            touched.add(self.lower[ch.cls])
            touched.add(f"/{ch.ref}")
        self._prune()
        if touched:
            self._wake(touched)

    def _prune(self) -> None:
        while len(self.tombstones) > self.limits.max_tombstones:
            gen, ref = self.tombstones.popleft()
            entry = self.log.get(ref)
            if entry is not None and entry.deleted and entry.gen == gen:
                del self.log[ref]
            self.floor = max(self.floor, gen)

    def _wake(self, keys: Iterable[str]) -> None:
        waiters = self._waiters
        due = self._due
        first = not due
        for key in ("*", *keys):
            for w in waiters.pop(key, ()):
                if isinstance(w, _Group):
                    if not w.woken:  # (a group filed under several keys is woken once)
                        w.woken = True
                        if self._groups.get(w.key) is w:
                            del self._groups[w.key]
                        due.append(w)
                elif not w.fut.done():
                    w.fut.set_result(None)
        if first and due:
            asyncio.get_running_loop().call_soon(self._deliver)

    def _deliver(self) -> None:
        """Answer every group woken since the last call, in one pass: the batch (shared by a group,
        which watches the same thing since the same token) is rendered once per envelope and written on
        each connection at once, and each task then only finishes -- instead of a thousand tasks each
        resuming to build its answer.  Run one loop step after the wake-up, so changes committed in
        the same step are in the batch.

        The writes come first and nothing else sits between them: the waiters were grouped as they
        parked, so the first answer leaves as soon as its batch is rendered, and what stands between
        two answers is the write itself and a few attribute reads.  The futures are resolved only
        after the last write: the thousandth answer does not wait for 999 task wake-ups."""
        due, self._due = self._due, []
        is_active = self.is_active
        batches: list[dict[str, Any] | None] = []
        for group in due:
            batch = None if self.closed else self._batch_with_events(group.subs, group.since)
            batches.append(batch)
            if batch is None:
                continue
            rendered: dict[Hashable, bytes] = {}
            for w in group.members:
                if w.fut.done() or not is_active(w.session):  # timed out or ended meanwhile: its task answers
                    continue
                sink = w.sink
                assert sink is not None
                try:
                    data = rendered.get(sink.envelope)
                    if data is None:
                        data = rendered[sink.envelope] = sink.render(batch, BATCH_TYPE)
                    sink.send(data)
                except Exception:  # its task still answers, the normal way
                    log.exception("event.from: early answer failed")
        for group, batch in zip(due, batches, strict=True):
            for w in group.members:
                if not w.fut.done():  # a session that ended gets None: its task answers SESSION_INVALID
                    w.fut.set_result(batch if batch is None or is_active(w.session) else None)

    def _batch_with_events(self, subs: Subscription, since: int | None) -> dict[str, Any] | None:
        """The shared answer for ``subs`` since ``since``; None when it brings no events."""
        try:
            batch = self.answer(subs, since)
        except ApiError:  # EVENTS_LOST: the call's own task raises it when it asks again
            return None
        return batch if batch["events"] else None

    # ---------------------------------------------------------------- reading

    def collect(self, subs: Subscription, since: int | None) -> tuple[list[dict[str, Any]], int]:
        """Events matching ``subs`` since generation ``since`` (None: every object as ``add``), oldest
        first, one per object; and the generation they bring the caller to."""
        now = self.current
        if since is None:
            return self._everything(subs), now
        if since < self.floor or since > now:
            raise ApiError("EVENTS_LOST")
        out: list[dict[str, Any]] = []
        db = self.db
        for ref, e in reversed(self.log.items()):
            if e.gen <= since:
                break
            cls = self.lower[e.cls]
            if not subs.matches(cls, ref):
                continue
            if e.deleted:
                if e.created <= since:
                    out.append({"id": str(e.gen), "timestamp": "0.0", "class": cls, "operation": "del", "ref": ref})
                continue
            op = "add" if e.created > since else "mod"
            out.append({"id": str(e.gen), "timestamp": "0.0", "class": cls, "operation": op, "ref": ref,
                        "snapshot": db.record(e.cls, ref)})  # fmt: skip
        out.reverse()
        return out, now

    def _everything(self, subs: Subscription) -> list[dict[str, Any]]:
        db = self.db
        out: list[dict[str, Any]] = []
        for name, table in db.tables.items():
            cls = self.lower[name]
            if name in SILENT or not (subs.everything or cls in subs.classes):
                continue
            for ref in table.rows:
                out.append(self._add(name, ref))
        for ref in subs.refs:
            owner = db.class_of.get(ref)
            if owner is not None and owner not in SILENT and not (subs.everything or self.lower[owner] in subs.classes):
                out.append(self._add(owner, ref))
        return out

    def _add(self, cls: str, ref: str) -> dict[str, Any]:
        entry = self.log.get(ref)
        gen = entry.gen if entry is not None else self.base
        return {"id": str(gen), "timestamp": "0.0", "class": self.lower[cls], "operation": "add", "ref": ref,
                "snapshot": self.db.record(cls, ref)}  # fmt: skip

    def valid_ref_counts(self) -> dict[str, int]:
        return {self.lower[name]: len(t.rows) for name, t in self.db.tables.items() if name not in SILENT}

    # ---------------------------------------------------------------- waiting

    async def wait(self, subs: Subscription, session: str, timeout: float, since: int | None = None,
                   sink: EarlyAnswer | None = None) -> dict[str, Any] | None:  # fmt: skip
        """Until something ``subs`` watches changes, the session ends, or ``timeout`` passes.

        Deadlines are rounded up to a :data:`TICK` and the waiters of one tick share one loop timer:
        a thousand watchers parked together arm one or two timers, not a thousand (each a libuv
        handle), and a wake-up cancels none one by one -- the tick's timer goes when its last waiter
        does.  A timeout may so end up to 10 ms late, far below what xapi's clients expect.

        With a ``sink`` (``event.from`` since ``since``), a wake-up that brings events returns their
        batch, already handed to the sink by :meth:`_deliver`; otherwise None.
        """
        keys = subs.keys
        if not keys or timeout <= 0:
            if timeout > 0:
                await self._sleep(session, timeout)
            return None
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[dict[str, Any] | None] = loop.create_future()
        tick = math.ceil((loop.time() + timeout) / TICK) if timeout < _FOREVER else 0  # 0: no deadline
        w = _Waiter(fut, keys, session, tick, sink)
        if sink is not None and since is not None:  # filed in its group, which is filed under the keys
            group = self._groups.get((subs, since))
            if group is None:
                group = self._groups[(subs, since)] = _Group((subs, since), subs, since)
                for key in keys:
                    self._waiters.setdefault(key, set()).add(group)
            group.members[w] = None
            w.group = group
        else:
            for key in keys:
                self._waiters.setdefault(key, set()).add(w)
        self._by_session.setdefault(session, set()).add(w)
        if tick:
            due = self._deadlines.get(tick)
            if due is None:
                due = self._deadlines[tick] = (loop.call_at(tick * TICK, self._expire, tick), set())
            due[1].add(w)
        try:
            return await fut
        finally:
            self._forget(w)

    def _expire(self, tick: int) -> None:
        """A tick's deadline passed: its waiters answer with what they have (nothing, usually)."""
        due = self._deadlines.pop(tick, None)
        if due is not None:
            for w in due[1]:
                if not w.fut.done():
                    w.fut.set_result(None)

    async def _sleep(self, session: str, timeout: float) -> None:
        """Wait on nothing but the session's end (an empty subscription list)."""
        fut: asyncio.Future[dict[str, Any] | None] = asyncio.get_running_loop().create_future()
        w = _Waiter(fut, [], session)
        self._by_session.setdefault(session, set()).add(w)
        try:
            await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            pass
        finally:
            self._forget(w)

    def _forget(self, w: _Waiter) -> None:
        due = self._deadlines.get(w.tick)
        if due is not None:
            due[1].discard(w)
            if not due[1]:
                due[0].cancel()
                del self._deadlines[w.tick]
        group = w.group
        if group is None:
            self._unfile(w, w.keys)
        else:
            del group.members[w]
            if not group.members:  # its last member: the group goes (its keys are its members' keys)
                if self._groups.get(group.key) is group:
                    del self._groups[group.key]
                self._unfile(group, w.keys)
        mine = self._by_session.get(w.session)
        if mine is not None:
            mine.discard(w)
            if not mine:
                del self._by_session[w.session]

    def _unfile(self, item: _Waiter | _Group, keys: list[str]) -> None:
        for key in keys:
            bucket = self._waiters.get(key)
            if bucket is not None:
                bucket.discard(item)
                if not bucket:
                    del self._waiters[key]

    @property
    def waiting(self) -> int:
        return sum(len(ws) for ws in self._by_session.values())

    def answer(self, subs: Subscription, since: int | None) -> dict[str, Any]:
        """The ``event.from`` result for ``subs`` since ``since``, shared while nothing changes."""
        if self._answers_gen != self.current:
            self._answers.clear()
            self._xml.clear()
            self._json.clear()
            self._answers_gen = self.current
        key = (subs, since)
        batch = self._answers.get(key)
        if batch is None:
            events, gen = self.collect(subs, since)
            batch = {"events": events, "valid_ref_counts": self.valid_ref_counts(), "token": make_token(gen)}
            if len(self._answers) < 1024:
                self._answers[key] = batch
        return batch

    async def from_(self, session: str, classes: list[str], token: str, timeout: float) -> dict[str, Any]:
        """``event.from``: the events since ``token``, waiting up to ``timeout`` for the first."""
        subs = self.subscription(classes)
        since = parse_token(token)
        if not timeout > 0:  # also NaN
            timeout = 0.0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        sink = EARLY_ANSWER.get() if self.limits.batch_delay <= 0 else None
        while True:
            batch = self.answer(subs, since)
            remaining = deadline - loop.time()
            if batch["events"] or since is None or remaining <= 0 or self.closed:
                return batch
            since = self.current  # nothing it watches changed up to here: no need to look there again
            woken = await self.wait(subs, session, remaining, since, sink)
            if woken is not None:
                return woken  # the batch _deliver found (and, most often, has written already)
            self._check_session(session)
            if self.limits.batch_delay > 0:  # xapi's rule (the baseline); xenia answers in the wake-up's own step
                await asyncio.sleep(self.limits.batch_delay)

    def subscription(self, classes: list[str]) -> Subscription:
        """:func:`parse_subscription`, remembered: a watcher sends the same list on every poll."""
        try:
            key = tuple(classes)
            subs = self._subscriptions.get(key)
        except TypeError:  # not strings: parse_subscription says what is wrong
            return parse_subscription(classes)
        if subs is None:
            subs = parse_subscription(classes)
            if len(self._subscriptions) >= 1024:
                self._subscriptions.clear()
            self._subscriptions[key] = subs
        return subs

    def _check_session(self, session: str) -> None:
        if not self.is_active(session):
            raise ApiError("SESSION_INVALID", session)

    # ------------------------------------------------------ register / next

    def register(self, session: str, classes: list[str]) -> None:
        reg = self.registrations.get(session)
        if reg is None:
            self.registrations[session] = _Registration(list(classes), self.current)
        else:
            reg.classes.extend(c for c in classes if c not in reg.classes)

    def unregister(self, session: str, classes: list[str]) -> None:
        reg = self.registrations.get(session)
        if reg is not None:
            reg.classes = [c for c in reg.classes if c not in classes]

    async def next(self, session: str) -> list[dict[str, Any]]:
        """``event.next``: every event since the last call, waiting for the first.

        A session that fell behind the log's horizon gets EVENTS_LOST once, and
        reads on from the present (after re-reading the objects it cares about).
        """
        while True:
            reg = self.registrations.get(session)
            if reg is None:
                raise ApiError("SESSION_NOT_REGISTERED", session)
            subs = parse_subscription(reg.classes)
            try:
                events, gen = self.collect(subs, reg.cursor)
            except ApiError:
                reg.cursor = self.current
                raise
            reg.cursor = gen
            if events:
                stamp = f"{time.time():.6f}"
                return [{**ev, "timestamp": stamp} for ev in events]
            await self.wait(subs, session, 60.0)
            self._check_session(session)
            if self.limits.batch_delay > 0:
                await asyncio.sleep(self.limits.batch_delay)

    # -------------------------------------------------------------- injecting

    def inject(self, cls: str, ref: str) -> str:
        """Touch an object; the token returned is just before that change, so ``event.from`` with it
        returns at least the touch."""
        name = cls if cls in self.db.tables else self.upper.get(cls.lower())
        if name is None or not self.db.exists(name, ref):
            raise ApiError("HANDLE_INVALID", cls, ref)
        self.db.update(name, ref)
        return make_token(self.current - 1)

    # -------------------------------------------------------------- lifecycle

    def session_ended(self, session: str) -> None:
        """Wake the session's blocked calls (they answer SESSION_INVALID) and drop its registration."""
        self.registrations.pop(session, None)
        for w in list(self._by_session.get(session, ())):
            if not w.fut.done():
                w.fut.set_result(None)

    def close(self) -> None:
        """At shutdown: blocked calls answer at once with what they have."""
        self.closed = True
        for ws in list(self._by_session.values()):
            for w in list(ws):
                if not w.fut.done():
                    w.fut.set_result(None)
        self._unsubscribe()

    # --------------------------------------------------------------- encoding

    def install(self, encoders: xmlrpc.Encoders, json_encoders: dict[Type, Callable[[Any], Any]] | None = None) -> None:
        """Teach the XML-RPC encoder the event batch (snapshots are typed records of their own class),
        and both codecs to encode a shared batch once for all the watchers it answers."""
        self._encoders = encoders
        encoders.define(BATCH_TYPE, self.encode_batch)
        encoders.define(EVENT_TYPE, self.encode_event)
        if json_encoders is not None:
            json_encoders[BATCH_TYPE] = self.json_batch

    def json_batch(self, batch: dict[str, Any]) -> orjson.Fragment:
        """The JSON of a batch, encoded once per shared answer (spliced into each caller's envelope)."""
        hit = self._json.get(id(batch))
        if hit is not None and hit[0] is batch:
            return hit[1]
        fragment = orjson.Fragment(orjson.dumps(batch, option=orjson.OPT_NON_STR_KEYS))
        if len(self._json) < 1024:
            self._json[id(batch)] = (batch, fragment)
        return fragment

    def encode_event(self, ev: dict[str, Any]) -> str:
        esc = xmlrpc.escape
        parts = ["<value><struct>"]
        for key in ("id", "timestamp", "class", "operation", "ref"):
            parts.append(f"<member><name>{key}</name><value>{esc(ev[key])}</value></member>")
        if "snapshot" in ev:
            parts.append("<member><name>snapshot</name>")
            parts.append(self._snapshot(ev))
            parts.append("</member>")
        parts.append("</struct></value>")
        return "".join(parts)

    def _snapshot(self, ev: dict[str, Any]) -> str:
        """The encoded record: the record encoder keeps one encoding per version of an object, so
        every watcher that gets this version shares it."""
        assert self._encoders is not None
        return self._encoders.for_type(Type(Kind.RECORD, name=self.upper[ev["class"]]))(ev["snapshot"])

    def encode_batch(self, batch: dict[str, Any]) -> str:
        """Encoded once per shared answer (the cache holds the batch, so its id stays its own)."""
        hit = self._xml.get(id(batch))
        if hit is not None and hit[0] is batch:
            return hit[1]
        text = self._encode_batch(batch)
        if len(self._xml) < 1024:
            self._xml[id(batch)] = (batch, text)
        return text

    def _encode_batch(self, batch: dict[str, Any]) -> str:
        events = "".join(self.encode_event(ev) for ev in batch["events"])
        counts = "".join(f"<member><name>{k}</name><value><i4>{v}</i4></value></member>"
                         for k, v in batch["valid_ref_counts"].items())  # fmt: skip
        return ("<value><struct><member><name>events</name><value><array><data>" + events
                + "</data></array></value></member><member><name>valid_ref_counts</name><value><struct>" + counts
                + f"</struct></value></member><member><name>token</name><value>{batch['token']}</value></member>"
                + "</struct></value>")  # fmt: skip


__all__ = ["EARLY_ANSWER", "EventHub", "EventLimits", "Subscription", "make_token", "parse_subscription", "parse_token"]
