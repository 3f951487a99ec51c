"""The event hub in process: the change log, tokens, coalescing, the horizon, who gets woken."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from xenia.api.events import EventHub, EventLimits, make_token, parse_subscription, parse_token
from xenia.datamodel import MODEL
from xenia.datamodel.errors import ApiError
from xenia.db import Db


def hub(**limits: Any) -> tuple[Db, EventHub]:
    db = Db(MODEL)
    return db, EventHub(db, EventLimits(**limits), base=1000)


def ops(events: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(e["class"], e["operation"], e["ref"]) for e in events]


def test_empty_token_is_every_object_as_add_and_sessions_stay_silent() -> None:
    db, h = hub()
    vm, host = db.create("VM", {"name_label": "a"}), db.create("host")
    db.create("session")
    events, gen = h.collect(parse_subscription(["*"]), None)
    assert sorted(ops(events)) == sorted([("vm", "add", vm), ("host", "add", host)])
    assert events[[e["ref"] for e in events].index(vm)]["snapshot"]["name_label"] == "a"
    assert gen == h.current
    assert "session" not in h.valid_ref_counts() and h.valid_ref_counts()["vm"] == 1


def test_add_mod_del_relative_to_the_token() -> None:
    db, h = hub()
    kept, changed, gone = db.create("VM"), db.create("VM"), db.create("VM")
    token = h.current
    db.set("VM", changed, "name_label", "x")
    db.destroy("VM", gone)
    new = db.create("VM")
    brief = db.create("VM")
    db.destroy("VM", brief)  # born and gone after the token: the watcher never hears of it
    events, _ = h.collect(parse_subscription(["vm"]), token)
    assert ops(events) == [("vm", "mod", changed), ("vm", "del", gone), ("vm", "add", new)]
    assert "snapshot" not in events[1]
    assert kept not in {e["ref"] for e in events}
    assert [int(e["id"]) for e in events] == sorted(int(e["id"]) for e in events)


def test_a_burst_on_one_object_is_one_event_with_the_latest_snapshot() -> None:
    db, h = hub()
    vm = db.create("VM")
    token = h.current
    for i in range(50):
        db.set("VM", vm, "name_label", f"n{i}")
    events, _ = h.collect(parse_subscription(["VM"]), token)
    assert ops(events) == [("vm", "mod", vm)]
    assert events[0]["snapshot"]["name_label"] == "n49"
    assert int(events[0]["id"]) == h.current


def test_subscriptions_by_class_and_by_object() -> None:
    db, h = hub()
    a, b = db.create("VM"), db.create("VM")
    vdi = db.create("VDI")
    token = h.current
    for ref, cls in ((a, "VM"), (b, "VM"), (vdi, "VDI")):
        db.set(cls, ref, "name_label", "changed")
    assert ops(h.collect(parse_subscription([f"vm/{a}"]), token)[0]) == [("vm", "mod", a)]
    assert ops(h.collect(parse_subscription(["VDI"]), token)[0]) == [("vdi", "mod", vdi)]
    assert ops(h.collect(parse_subscription([]), token)[0]) == []
    assert ops(h.collect(parse_subscription([f"vm/{b}"]), None)[0]) == [("vm", "add", b)]


def test_tokens_and_subscriptions_that_do_not_parse() -> None:
    assert parse_token("") is None
    assert parse_token(make_token(42)) == 42 and make_token(42) == "00000000000000000042,00000000000000000000"
    for bad in ("12", "a,b", "1,2,3", " 1,2"):
        with pytest.raises(ApiError) as e:
            parse_token(bad)
        assert e.value.description == ["EVENT_FROM_TOKEN_PARSE_FAILURE", bad]
    # xapi splits a subscription once at its first "/" (Subscription.of_string): every string parses,
    # and one that names no object selects nothing
    assert parse_subscription(["vm/a/b", "/x", "vm/"]).refs == {"a/b", "x", ""}
    assert parse_subscription(["vm/a/b"]).classes == frozenset()


def test_tokens_older_than_the_horizon_or_the_daemon_are_lost() -> None:
    db, h = hub(max_tombstones=3)
    subs = parse_subscription(["*"])
    with pytest.raises(ApiError) as e:
        h.collect(subs, 999)  # issued by an earlier run of the daemon (below this run's base)
    assert e.value.code == "EVENTS_LOST"
    with pytest.raises(ApiError):
        h.collect(subs, h.current + 5)  # not issued yet
    token = h.current
    refs = [db.create("VM") for _ in range(5)]
    for ref in refs:
        db.destroy("VM", ref)
    with pytest.raises(ApiError):
        h.collect(subs, token)  # two of its deletions are forgotten
    assert len(h.tombstones) == 3 and len(h.log) == 3
    recent = h.current - 1
    assert ops(h.collect(subs, recent)[0]) == [("vm", "del", refs[-1])]


def test_the_log_holds_one_entry_per_changed_object() -> None:
    db, h = hub()
    vms = [db.create("VM") for _ in range(10)]
    for _ in range(20):
        for vm in vms:
            db.set("VM", vm, "name_label", "again")
    assert len(h.log) == 10


@pytest.mark.asyncio
async def test_a_change_wakes_only_the_watchers_of_what_changed() -> None:
    db, h = hub()
    vm = db.create("VM")
    token = make_token(h.current)
    vm_watch = asyncio.ensure_future(h.from_("s", ["VM"], token, 30))
    obj_watch = asyncio.ensure_future(h.from_("s", [f"vm/{vm}"], token, 30))
    task_watch = asyncio.ensure_future(h.from_("s", ["task"], token, 30))
    all_watch = asyncio.ensure_future(h.from_("s", ["*"], token, 30))
    await asyncio.sleep(0.01)
    assert h.waiting == 4
    db.set("VM", vm, "name_label", "b")
    results = await asyncio.gather(vm_watch, obj_watch, all_watch)
    for batch in results:
        assert ops(batch["events"]) == [("vm", "mod", vm)]
        assert parse_token(batch["token"]) == h.current
    assert not task_watch.done() and h.waiting == 1
    h.session_ended("s")
    h.is_active = lambda _s: False
    with pytest.raises(ApiError) as e:
        await task_watch
    assert e.value.description == ["SESSION_INVALID", "s"]
    assert h.waiting == 0


@pytest.mark.asyncio
async def test_a_timeout_answers_an_empty_batch_with_a_newer_token() -> None:
    db, h = hub()
    token = make_token(h.current)
    db.create("VDI")  # not watched
    batch = await h.from_("s", ["vm"], token, 0.05)
    assert batch["events"] == [] and batch["token"] > token


@pytest.mark.asyncio
async def test_register_next_reads_on_from_where_it_stopped() -> None:
    db, h = hub(max_tombstones=2)
    with pytest.raises(ApiError) as e:
        await h.next("s")
    assert e.value.description == ["SESSION_NOT_REGISTERED", "s"]
    h.register("s", ["vm"])
    vm = db.create("VM")
    first = await h.next("s")
    assert ops(first) == [("vm", "add", vm)] and float(first[0]["timestamp"]) > 0
    for _ in range(3):
        db.destroy("VM", db.create("VM"))
    with pytest.raises(ApiError) as e:
        await h.next("s")  # fell behind the horizon
    assert e.value.code == "EVENTS_LOST"
    pending = asyncio.ensure_future(h.next("s"))
    await asyncio.sleep(0.01)
    assert not pending.done()
    db.set("VM", vm, "name_label", "later")
    assert ops(await pending) == [("vm", "mod", vm)]
    h.unregister("s", ["vm"])
    assert h.registrations["s"].classes == []


def test_inject_touches_and_returns_the_token_before_the_touch() -> None:
    db, h = hub()
    vm = db.create("VM")
    token = h.inject("vm", vm)
    events, _ = h.collect(parse_subscription(["vm"]), parse_token(token))
    assert ops(events) == [("vm", "mod", vm)]
    with pytest.raises(ApiError) as e:
        h.inject("VM", "OpaqueRef:nope")
    assert e.value.description == ["HANDLE_INVALID", "VM", "OpaqueRef:nope"]


@pytest.mark.asyncio
async def test_batching_baseline_waits_before_answering() -> None:
    db, h = hub(batch_delay=0.05)
    vm = db.create("VM")
    token = make_token(h.current)
    loop = asyncio.get_running_loop()
    watch = asyncio.ensure_future(h.from_("s", ["vm"], token, 30))
    await asyncio.sleep(0.01)
    start = loop.time()
    db.set("VM", vm, "name_label", "x")
    await watch
    assert loop.time() - start >= 0.05  # the fixed delay xapi adds (a lower bound: behaviour, not speed)


@pytest.mark.asyncio
async def test_a_timeout_that_is_not_a_positive_number_answers_at_once() -> None:
    db, h = hub()
    token = make_token(h.current)
    for timeout in (0.0, -1.0, float("nan")):
        assert (await h.from_("s", ["vm"], token, timeout))["events"] == []
