"""The event hub in process, beyond the change log (tests/unit/test_events.py): the wire form of a batch
in both codecs, shared answers, registration, shutdown and the end of a session.

The wire form is xapi's ``event.from`` result: a struct with ``events`` (each a struct of ``id``,
``timestamp``, ``class``, ``operation``, ``ref`` and, but for ``del``, the object's record as
``snapshot``), ``valid_ref_counts`` (class -> int) and ``token``.  The XML is decoded with the
standard library's XML-RPC parser, as a Python client would.
"""

from __future__ import annotations

import asyncio
import xmlrpc.client
from typing import Any

import orjson
import pytest

from xenia.api.codec import xmlrpc as codec
from xenia.api.events import (
    BATCH_TYPE,
    EARLY_ANSWER,
    EventHub,
    EventLimits,
    make_token,
    parse_subscription,
    parse_token,
)
from xenia.datamodel import MODEL
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import Type
from xenia.db import Db


def hub(**limits: Any) -> tuple[Db, EventHub]:
    db = Db(MODEL)
    return db, EventHub(db, EventLimits(**limits), base=1000)


def encoders() -> codec.Encoders:
    return codec.Encoders(lambda cls: [(f.name, f.type) for f in MODEL.wire_fields(cls)])


def decode_xml(text: str) -> Any:
    body = f"<?xml version='1.0'?><methodResponse><params><param>{text}</param></params></methodResponse>"
    (value,), _ = xmlrpc.client.loads(body)
    return value


def test_a_batch_in_xml_rpc_is_xapis_struct() -> None:
    db, h = hub()
    enc = encoders()
    h.install(enc)
    vm = db.create("VM", {"name_label": "a<b&c"})
    gone = db.create("VM")
    token = h.current
    db.set("VM", vm, "name_label", "x<y&z")
    db.destroy("VM", gone)
    batch = h.answer(parse_subscription(["vm"]), token)
    wire = decode_xml(enc.for_type(BATCH_TYPE)(batch))
    assert set(wire) == {"events", "valid_ref_counts", "token"}
    assert wire["token"] == batch["token"] == make_token(h.current)
    assert wire["valid_ref_counts"]["vm"] == 1 and wire["valid_ref_counts"] == h.valid_ref_counts()
    mod, deleted = wire["events"]
    assert {k: mod[k] for k in ("class", "operation", "ref")} == {"class": "vm", "operation": "mod", "ref": vm}
    assert mod["id"] == batch["events"][0]["id"] and mod["timestamp"] == "0.0"
    assert mod["snapshot"]["name_label"] == "x<y&z" and mod["snapshot"]["uuid"] == db.get("VM", vm)["uuid"]
    assert deleted == {k: batch["events"][1][k] for k in ("id", "timestamp", "class", "operation", "ref")}
    assert "snapshot" not in deleted and deleted["operation"] == "del" and deleted["ref"] == gone


def test_a_batch_in_json_is_the_same_struct() -> None:
    db, h = hub()
    json_encoders: dict[Any, Any] = {}
    h.install(encoders(), json_encoders)
    vm = db.create("VM", {"name_label": "a"})
    batch = h.answer(parse_subscription(["*"]), None)
    wire = orjson.loads(orjson.dumps({"result": json_encoders[BATCH_TYPE](batch)}))["result"]
    assert wire["token"] == batch["token"] and wire["valid_ref_counts"] == h.valid_ref_counts()
    (event,) = [e for e in wire["events"] if e["ref"] == vm]
    assert event["operation"] == "add" and event["class"] == "vm" and event["snapshot"]["name_label"] == "a"


def test_watchers_of_the_same_thing_share_one_answer_and_one_encoding_until_a_change() -> None:
    db, h = hub()
    enc = encoders()
    json_encoders: dict[Any, Any] = {}
    h.install(enc, json_encoders)
    vm = db.create("VM")
    token = h.current - 1
    subs = parse_subscription(["vm"])
    first, second = h.answer(subs, token), h.answer(parse_subscription(["VM"]), token)
    assert first is second
    assert h.answer(parse_subscription(["vm", "host"]), token) is not first
    xml = enc.for_type(BATCH_TYPE)
    assert xml(first) is xml(second)
    assert json_encoders[BATCH_TYPE](first) is json_encoders[BATCH_TYPE](second)
    db.set("VM", vm, "name_label", "changed")
    third = h.answer(subs, token)
    assert third is not first and third["events"][0]["snapshot"]["name_label"] == "changed"
    assert "changed" in xml(third) and "changed" not in xml(first)
    assert b"changed" in orjson.dumps(json_encoders[BATCH_TYPE](third))


def test_an_answer_is_never_confused_with_an_equal_looking_other() -> None:
    db, h = hub()
    enc = encoders()
    h.install(enc, {})
    db.create("VM", {"name_label": "one"})
    batch = h.answer(parse_subscription(["vm"]), None)
    text = h.encode_batch(batch)
    copy = {**batch, "token": make_token(1)}  # a different batch object
    assert make_token(1) in h.encode_batch(copy) and make_token(1) not in text
    assert orjson.loads(bytes(orjson.dumps(h.json_batch(copy))))["token"] == make_token(1)


def test_subscribing_to_objects_adds_them_beside_whole_classes() -> None:
    db, h = hub()
    vm, vdi, task = db.create("VM"), db.create("VDI"), db.create("task")
    db.create("session")
    session = db.refs("session")[0]
    events, _ = h.collect(parse_subscription(["vm", f"vdi/{vdi}", f"vm/{vm}", f"session/{session}", "vdi/OpaqueRef:gone"]),
                          None)  # fmt: skip
    assert sorted((e["class"], e["ref"]) for e in events) == sorted([("vm", vm), ("vdi", vdi)])
    assert task not in {e["ref"] for e in events}
    everything, _ = h.collect(parse_subscription(["*", f"vm/{vm}"]), None)
    assert [e["ref"] for e in everything].count(vm) == 1


def test_add_events_carry_the_generation_of_the_last_change() -> None:
    db, h = hub()
    vm = db.create("VM")
    db.set("VM", vm, "name_label", "x")
    gen = h.current
    other = db.create("VM")
    events, _ = h.collect(parse_subscription(["vm"]), None)
    ids = {e["ref"]: int(e["id"]) for e in events}
    assert ids == {vm: gen, other: h.current}


def test_an_object_deleted_and_made_again_keeps_its_place_in_the_log() -> None:
    db, h = hub(max_tombstones=1)
    vm = db.create("VM")
    ref = db.create("host")
    db.destroy("host", ref)
    db.create("host", {"name_label": "again"}, ref=ref)  # the same ref again (a db restored from a backup)
    again = h.current
    other = db.create("VM")
    db.destroy("VM", other)  # this tombstone pushes out the first one, whose entry is live again
    assert ref in h.log and not h.log[ref].deleted and vm in h.log and h.log[other].deleted
    events, _ = h.collect(parse_subscription(["host"]), None)
    assert [(e["operation"], e["ref"], int(e["id"])) for e in events] == [("add", ref, again)]


def test_a_second_deletion_of_a_ref_made_again_outlives_the_first_ones_pruning() -> None:
    """An object deleted, made again with the same ref and deleted again: pruning the first tombstone
    must not drop the log entry that now records the second deletion, or a watcher whose token lies
    between the two deletions (still above the floor, so answered exactly) would never see it go."""
    db, h = hub(max_tombstones=1)
    db.create("VM")
    ref = db.create("host")
    db.destroy("host", ref)
    first = h.current
    db.create("host", {"name_label": "again"}, ref=ref)  # the same ref again (a db restored from a backup)
    token = h.current
    db.destroy("host", ref)  # its tombstone pushes out the first one
    assert h.floor == first < token
    events, _ = h.collect(parse_subscription(["host"]), token)
    assert [(e["operation"], e["ref"], int(e["id"])) for e in events] == [("del", ref, h.current)]
    events, _ = h.collect(parse_subscription(["*"]), first)  # made and gone since: nothing to tell
    assert events == []


def test_register_adds_classes_once_and_parses_any_string_as_xapi() -> None:
    db, h = hub()
    h.register("s", ["vm"])
    h.register("s", ["vm", "host"])
    assert h.registrations["s"].classes == ["vm", "host"]
    h.register("t", ["vm/a/b"])  # parses as xapi's: the object "a/b", which selects nothing
    assert h.registrations["t"].classes == ["vm/a/b"]
    h.unregister("nobody", ["vm"])
    h.unregister("s", ["host"])
    assert h.registrations["s"].classes == ["vm"]


@pytest.mark.asyncio
async def test_next_returns_what_changed_since_registering_with_a_wall_clock_stamp() -> None:
    db, h = hub()
    before = db.create("VM")
    h.register("s", ["vm"])
    vm = db.create("VM")
    events = await h.next("s")
    assert [(e["operation"], e["ref"]) for e in events] == [("add", vm)] and before != vm
    assert float(events[0]["timestamp"]) > 1e9


@pytest.mark.asyncio
async def test_a_session_ending_wakes_its_next_and_empty_waits() -> None:
    db, h = hub()
    h.register("s", ["vm"])
    active = {"s", "t"}
    h.is_active = lambda session: session in active
    waiting_next = asyncio.ensure_future(h.next("s"))
    waiting_nothing = asyncio.ensure_future(h.from_("t", [], make_token(h.current), 30))
    other = asyncio.ensure_future(h.from_("u", ["vm"], make_token(h.current), 30))
    await asyncio.sleep(0.01)
    assert h.waiting == 3
    active.discard("s")
    h.session_ended("s")
    with pytest.raises(ApiError) as e:
        await waiting_next
    assert e.value.description == ["SESSION_INVALID", "s"] and "s" not in h.registrations
    active.discard("t")
    h.session_ended("t")
    with pytest.raises(ApiError) as e:
        await waiting_nothing
    assert e.value.description == ["SESSION_INVALID", "t"]
    assert not other.done() and h.waiting == 1
    other.cancel()


@pytest.mark.asyncio
async def test_an_empty_subscription_waits_out_its_timeout() -> None:
    _, h = hub()
    token = make_token(h.current)
    waiting = asyncio.ensure_future(h.from_("s", [], token, 0.05))
    await asyncio.sleep(0.01)
    assert not waiting.done() and h.waiting == 1
    batch = await waiting
    assert batch["events"] == [] and h.waiting == 0


@pytest.mark.asyncio
async def test_closing_answers_every_blocked_call_and_stops_listening() -> None:
    db, h = hub()
    token = make_token(h.current)
    calls = [asyncio.ensure_future(h.from_(s, subs, token, 3600)) for s, subs in (("a", ["vm"]), ("b", ["*"]), ("c", []))]
    await asyncio.sleep(0.01)
    h.close()
    for batch in await asyncio.wait_for(asyncio.gather(*calls), 10):  # at once, not at their hour's end
        assert batch["events"] == [] and parse_token(batch["token"]) == h.current
    gen = h.current
    db.create("VM")
    assert h.log == {} and gen != h.current


@pytest.mark.asyncio
async def test_changes_made_together_are_answered_together() -> None:
    db, h = hub()
    a, b = db.create("VM"), db.create("VM")
    token = make_token(h.current)
    watch = asyncio.ensure_future(h.from_("s", ["vm"], token, 30))
    await asyncio.sleep(0.01)
    with db.batch():
        db.set("VM", a, "name_label", "1")
        db.set("VM", b, "name_label", "2")
    batch = await watch
    assert sorted(e["ref"] for e in batch["events"]) == sorted([a, b])


def test_only_a_lone_star_subscribes_to_everything() -> None:
    db, h = hub()
    db.create("VM")
    for name in (" vm", "!", "(vm)", "**"):  # xapi: any other string names a class (which may not exist)
        subs = parse_subscription([name])
        assert not subs.everything and h.collect(subs, None)[0] == []


def test_objects_that_predate_the_hub_are_modified_and_deleted_not_added() -> None:
    db = Db(MODEL)
    kept, gone = db.create("VM"), db.create("VM")  # loaded from the db before the hub started
    h = EventHub(db, EventLimits(), base=1000)
    token = h.current
    db.set("VM", kept, "name_label", "changed")
    db.destroy("VM", gone)
    events, _ = h.collect(parse_subscription(["vm"]), token)
    assert [(e["operation"], e["ref"]) for e in events] == [("mod", kept), ("del", gone)]


def test_tokens_start_from_the_clock_so_an_earlier_runs_are_lower() -> None:
    import time

    before = time.time_ns() // 1000
    db = Db(MODEL)
    h = EventHub(db)
    assert before <= h.current <= time.time_ns() // 1000


@pytest.mark.asyncio
async def test_a_blocked_call_with_a_short_timeout_waits_without_polling() -> None:
    db, h = hub()
    vm = db.create("VM")
    token = make_token(h.current)
    watch = asyncio.ensure_future(h.from_("s", ["vm"], token, 0.95))  # under a second
    await asyncio.sleep(0.02)
    assert h.waiting == 1 and not watch.done()  # one registered waiter, not a loop of re-reads
    db.set("VM", vm, "name_label", "x")
    assert [e["ref"] for e in (await watch)["events"]] == [vm]


@pytest.mark.asyncio
async def test_a_call_whose_timeout_passed_has_answered_without_later_changes() -> None:
    db, h = hub()
    vm = db.create("VM")
    watch = asyncio.ensure_future(h.from_("s", ["vm"], make_token(h.current), 0.05))
    await asyncio.sleep(0.2)  # past its timeout
    db.set("VM", vm, "name_label", "later")
    assert (await watch)["events"] == []


def test_silent_classes_in_a_batch_hide_nothing_else() -> None:
    db, h = hub()
    vm = db.create("VM")
    token = h.current
    with db.batch():
        db.create("session")
        db.set("VM", vm, "name_label", "beside a login")
    events, _ = h.collect(parse_subscription(["*"]), token)
    assert [(e["class"], e["operation"], e["ref"]) for e in events] == [("vm", "mod", vm)]


def test_injecting_into_an_unknown_class_is_handle_invalid() -> None:
    db, h = hub()
    vm = db.create("VM")
    for cls in ("nosuchclass", ""):
        with pytest.raises(ApiError) as e:
            h.inject(cls, vm)
        assert e.value.description == ["HANDLE_INVALID", cls, vm]


@pytest.mark.asyncio
async def test_watchers_parked_together_share_their_deadline_timers_and_all_time_out() -> None:
    """A hundred watchers with one timeout arm a timer or two between them, not a hundred; each still
    answers (with nothing) once its timeout has passed, and nothing is left armed afterwards."""
    db, h = hub()
    db.create("VM")
    token = make_token(h.current)
    watches = [asyncio.ensure_future(h.from_(f"s{i}", ["vm"], token, 0.1)) for i in range(100)]
    await asyncio.sleep(0.02)
    assert h.waiting == 100 and 1 <= len(h._deadlines) <= 3
    results = await asyncio.wait_for(asyncio.gather(*watches), 5)
    assert all(r["events"] == [] for r in results)
    assert h.waiting == 0 and not h._deadlines


@pytest.mark.asyncio
async def test_a_woken_watcher_leaves_no_deadline_behind() -> None:
    db, h = hub()
    vm = db.create("VM")
    watch = asyncio.ensure_future(h.from_("s", ["vm"], make_token(h.current), 30.0))
    await asyncio.sleep(0.02)
    db.set("VM", vm, "name_label", "x")
    assert [e["ref"] for e in (await watch)["events"]] == [vm]
    assert h.waiting == 0 and not h._deadlines


class Sink:
    """An ``event.from`` caller whose answer the wake-up writes (as the server's, minus HTTP): each
    rendering is logged, each answer sent is kept; ``refuse`` makes ``send`` fail."""

    def __init__(self, envelope: str, renders: list[str], refuse: bool = False) -> None:
        self.envelope = envelope
        self.renders = renders
        self.refuse = refuse
        self.sent: list[bytes] = []

    def render(self, batch: dict[str, Any], t: Type, /) -> bytes:
        assert t == BATCH_TYPE
        self.renders.append(self.envelope)
        names = ",".join(e["snapshot"]["name_label"] for e in batch["events"])
        return f"{self.envelope} {batch['token']} {names}".encode()

    def send(self, data: bytes, /) -> bool:
        if self.refuse:
            raise ConnectionError("gone")
        self.sent.append(data)
        return True


async def watch(h: EventHub, sink: Sink, session: str, classes: list[str], token: str) -> dict[str, Any]:
    EARLY_ANSWER.set(sink)  # in this task's own context, as the server sets it around a call
    return await h.from_(session, classes, token, 30.0)


@pytest.mark.asyncio
async def test_watchers_of_one_thing_since_one_token_get_one_rendering_per_envelope() -> None:
    """Watchers parked with the same subscription and token form one group: a wake-up renders its answer
    once per envelope and sends those bytes to each; a watcher of the same thing since a later token
    is another group, with its own batch.  Nothing is left filed afterwards."""
    db, h = hub()
    vm = db.create("VM", {"name_label": "a"})
    renders: list[str] = []
    token = make_token(h.current)
    early = [Sink(envelope, renders) for envelope in ("x", "y", "x", "x", "y")]
    calls = [asyncio.ensure_future(watch(h, sink, f"s{i}", ["vm"], token)) for i, sink in enumerate(early)]
    await asyncio.sleep(0.01)
    db.create("host")  # not watched: nobody wakes, but the next watcher parks since a later token
    late = Sink("x", renders)
    calls.append(asyncio.ensure_future(watch(h, late, "s9", ["vm"], make_token(h.current))))
    await asyncio.sleep(0.01)
    assert h.waiting == 6 and len(h._groups) == 2 and not renders
    db.set("VM", vm, "name_label", "b")
    results = await asyncio.wait_for(asyncio.gather(*calls), 5)
    assert sorted(renders) == ["x", "x", "y"]  # the early group: one x and one y; the late one: one x
    first = early[0].sent[0]
    assert all(sink.sent == [first] for sink in early if sink.envelope == "x")
    assert early[0].sent[0] is early[2].sent[0] is early[3].sent[0] and early[1].sent[0] is early[4].sent[0]
    assert early[1].sent[0].startswith(b"y ") and first.endswith(b" b") and late.sent[0].endswith(b" b")
    assert all(r is results[0] for r in results[:5]) and results[5] is not results[0]
    assert [e["ref"] for e in results[5]["events"]] == [vm] and results[5]["token"] == results[0]["token"]
    assert h.waiting == 0 and not h._groups and not h._waiters


@pytest.mark.asyncio
async def test_a_group_member_that_cannot_be_answered_early_answers_its_own_way() -> None:
    """In a woken group, a member whose session ended (without its end being announced) gets nothing
    written and answers SESSION_INVALID; one cancelled in the same step gets nothing; one whose send
    fails still returns the batch (the server then answers it the ordinary way); the others are written."""
    db, h = hub()
    active = {"ok1", "ended", "broken", "gone", "ok2"}
    h.is_active = lambda session: session in active
    vm = db.create("VM")
    token = make_token(h.current)
    renders: list[str] = []
    sinks = {name: Sink("x", renders, refuse=name == "broken") for name in active}
    calls = {name: asyncio.ensure_future(watch(h, sinks[name], name, ["vm"], token)) for name in sorted(active)}
    await asyncio.sleep(0.01)
    active.discard("ended")
    calls["gone"].cancel()
    db.set("VM", vm, "name_label", "now")
    await asyncio.wait(calls.values(), timeout=5)
    with pytest.raises(ApiError) as e:
        calls["ended"].result()
    assert e.value.description == ["SESSION_INVALID", "ended"]
    assert calls["gone"].cancelled() and calls["broken"].result()["events"][0]["ref"] == vm
    assert [len(sinks[n].sent) for n in ("ok1", "ok2", "ended", "gone", "broken")] == [1, 1, 0, 0, 0]
    assert renders == ["x"] and calls["ok1"].result() is calls["ok2"].result() is calls["broken"].result()
    assert h.waiting == 0 and not h._groups and not h._waiters


@pytest.mark.asyncio
async def test_a_group_watching_several_things_is_answered_once_when_they_change_together() -> None:
    """A group is filed under each class it watches; changes to two of them in one step wake it once,
    with both events in its one answer, and unfile it from both."""
    db, h = hub()
    vm, host = db.create("VM", {"name_label": "v"}), db.create("host", {"name_label": "h"})
    renders: list[str] = []
    sinks = [Sink("x", renders), Sink("x", renders)]
    token = make_token(h.current)
    calls = [asyncio.ensure_future(watch(h, sink, f"s{i}", ["vm", "host"], token)) for i, sink in enumerate(sinks)]
    await asyncio.sleep(0.01)
    assert set(h._waiters) == {"vm", "host"} and len(h._groups) == 1
    with db.batch():
        db.set("VM", vm, "name_label", "v2")
        db.set("host", host, "name_label", "h2")
    results = await asyncio.wait_for(asyncio.gather(*calls), 5)
    assert renders == ["x"] and [s.sent for s in sinks] == [[sinks[0].sent[0]]] * 2
    assert sorted(e["ref"] for e in results[0]["events"]) == sorted([vm, host])
    assert h.waiting == 0 and not h._groups and not h._waiters
