"""Events through the official SDK (and JSON-RPC): what a watcher sees, and when it must resynchronise.

The central test runs the loop from xapi's example script (``event_from(["*"],
token, 30.0)``) against another client's workload and keeps a mirror of every
object from the events alone; at the end the mirror must equal the server.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import xmlrpc.client
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
import XenAPI

from tests.http.wire import Reader, post
from xenia.client import Failure
from xenia.client import Session as JsonSession
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess
from xenia.testing.longpoll import AioRpc, RpcFailure

HORIZON = 200
#: XenAPI class names by the lowercase names events use
CLASSES = {c.lower(): c for c in ("pool", "host", "host_cpu", "host_metrics", "VM", "VM_metrics", "VM_guest_metrics",
                                  "VBD", "VBD_metrics", "VDI", "SR", "PBD", "VIF", "network", "PIF", "console",
                                  "task", "message", "role", "SM", "blob")}  # fmt: skip


@pytest.fixture(scope="module")
def daemon() -> Iterator[DaemonProcess]:
    with DaemonProcess(extra_args=["--event-horizon", str(HORIZON)]) as d:
        yield d


def login(daemon: DaemonProcess) -> XenAPI.Session:
    s = XenAPI.Session(daemon.url)
    s.xenapi.login_with_password("root", ROOT_PASSWORD, "1.0", "xen-api-scripts-watch-all-events.py")
    return s


def template(api: Any) -> str:
    ref: str = api.VM.get_by_name_label("Generic Linux BIOS")[0]
    return ref


class Mirror:
    """Every object as the events describe it, with the checks a careful client would make."""

    def __init__(self) -> None:
        self.objects: dict[str, tuple[str, dict[str, Any]]] = {}
        self.last_id = 0
        self.events = 0

    def apply(self, batch: dict[str, Any], first: bool) -> None:
        refs = [ev["ref"] for ev in batch["events"]]
        assert len(refs) == len(set(refs)), "an object twice in one batch"
        for ev in batch["events"]:
            self.events += 1
            ref, op = ev["ref"], ev["operation"]
            if not first:
                assert int(ev["id"]) > self.last_id, "events out of order"
                self.last_id = int(ev["id"])
            if op == "add":
                assert ref not in self.objects, f"add of a known object {ref}"
                self.objects[ref] = (ev["class"], ev["snapshot"])
            elif op == "mod":
                assert ref in self.objects, f"mod of an unknown object {ref}"
                self.objects[ref] = (ev["class"], ev["snapshot"])
            else:
                assert op == "del" and "snapshot" not in ev
                assert self.objects.pop(ref)[0] == ev["class"]

    def watch(self, api: Any, stop: threading.Event, pause: float, done: threading.Event) -> None:
        token = ""
        while not stop.is_set():
            out = api.event_from(["*"], token, 30.0)
            self.apply(out, first=token == "")
            token = out["token"]
            pool = [snap for cls, snap in self.objects.values() if cls == "pool"]
            if pool and pool[0]["other_config"].get("workload") == "done":
                done.set()
                return
            time.sleep(pause)


def workload(api: Any) -> None:
    """Another client's calls: clones (sync and Async), edits, devices, deletions, a client task."""
    sr = api.pool.get_default_SR(api.pool.get_all()[0])
    network = api.network.get_all()[0]
    vms = [api.VM.clone(template(api), f"w{i}") for i in range(6)]
    for i, vm in enumerate(vms):
        api.VM.set_is_a_template(vm, False)
        api.VM.set_name_description(vm, f"vm {i}")
        vdi = api.VDI.create({"name_label": f"d{i}", "SR": sr, "virtual_size": str(2**30), "type": "user",
                              "sharable": False, "read_only": False, "other_config": {}})  # fmt: skip
        api.VBD.create({"VM": vm, "VDI": vdi, "userdevice": "0", "bootable": True, "mode": "RW", "type": "Disk",
                        "empty": False, "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})
        api.VIF.create({"device": "0", "network": network, "VM": vm, "MAC": "", "MTU": "1500", "other_config": {},
                        "qos_algorithm_type": "", "qos_algorithm_params": {}})
    task = api.Async.VM.clone(vms[0], "async copy")
    while api.task.get_status(task) == "pending":
        time.sleep(0.05)
    copy = api.task.get_result(task)[len("<value>") : -len("</value>")]
    for n in range(20):
        api.VM.set_name_label(vms[1], f"renamed {n}")
    for vm in vms[3:]:
        for vbd in api.VM.get_VBDs(vm):
            vdi = api.VBD.get_VDI(vbd)
            api.VBD.destroy(vbd)
            api.VDI.destroy(vdi)
        for vif in api.VM.get_VIFs(vm):
            api.VIF.destroy(vif)
        api.VM.destroy(vm)
    api.VM.add_tags(copy, "copied")
    api.task.destroy(task)
    client_task = api.task.create("upload", "")
    api.task.set_progress(client_task, 0.5)
    api.VM.destroy(api.VM.clone(template(api), "short-lived"))
    api.pool.add_to_other_config(api.pool.get_all()[0], "workload", "done")


def server_state(api: Any) -> dict[str, tuple[str, dict[str, Any]]]:
    state: dict[str, tuple[str, dict[str, Any]]] = {}
    for low, cls in CLASSES.items():
        for ref, rec in api.xenapi_request(f"{cls}.get_all_records", ()).items():
            state[ref] = (low, rec)
    return state


@pytest.mark.parametrize("pause", [0.0, 0.3], ids=["eager", "lagging"])
def test_a_watcher_sees_every_change_in_order_none_missing_none_twice(daemon: DaemonProcess, pause: float) -> None:
    watcher, writer = login(daemon), login(daemon)
    mirror, stop, done = Mirror(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            mirror.watch(watcher.xenapi, stop, pause, done)
        except BaseException as e:
            errors.append(e)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        workload(writer.xenapi)
        done.wait(60)
    finally:
        stop.set()
        thread.join(60)
    assert not errors, errors
    assert done.is_set()
    assert mirror.objects == server_state(writer)
    assert mirror.events > 50
    print(f"pause {pause}: {mirror.events} events")
    writer.xenapi.pool.remove_from_other_config(writer.xenapi.pool.get_all()[0], "workload")


def test_empty_token_gives_every_object_with_records_as_get_record(xapi: XenAPI.Session) -> None:
    api = xapi.xenapi
    out = api.event_from(["*"], "", 30.0)
    adds: dict[str, int] = {}
    for ev in out["events"]:
        assert ev["operation"] == "add"
        adds[ev["class"]] = adds.get(ev["class"], 0) + 1
        if ev["class"] == "vm":
            assert ev["snapshot"] == api.VM.get_record(ev["ref"])  # typed as the record: ints, DateTimes, bools
    counts = {cls: int(n) for cls, n in out["valid_ref_counts"].items()}
    assert {cls: n for cls, n in counts.items() if n} == adds
    assert "session" not in counts and "user" not in counts
    token = out["token"]
    assert len(token) == 41 and token[20] == "," and token.replace(",", "").isdigit()


def test_a_burst_on_one_object_is_one_mod_with_the_latest_snapshot(xapi: XenAPI.Session) -> None:
    api = xapi.xenapi
    vm = api.VM.clone(template(api), "bursty")
    token = api.event_from(["vm"], "", 30.0)["token"]
    for i in range(30):
        api.VM.set_name_label(vm, f"bursty {i}")
    events = api.event_from(["vm"], token, 30.0)["events"]
    assert [(ev["operation"], ev["ref"]) for ev in events] == [("mod", vm)]
    assert events[0]["snapshot"]["name_label"] == "bursty 29"
    api.VM.destroy(vm)


def test_subscriptions_by_class_and_object_and_odd_ones_select_nothing(xapi: XenAPI.Session) -> None:
    api = xapi.xenapi
    a, b = api.VM.clone(template(api), "a"), api.VM.clone(template(api), "b")
    token = api.event_from(["VM"], "", 30.0)["token"]
    api.VM.set_name_label(a, "a2")
    api.VM.set_name_label(b, "b2")
    only_a = api.event_from([f"vm/{a}"], token, 5)  # an int timeout is accepted too
    assert [ev["ref"] for ev in only_a["events"]] == [a]
    assert [ev["ref"] for ev in api.event_from(["VM"], token, 5.0)["events"]] == [a, b]
    assert api.event_from(["task"], token, 0.1)["events"] == []
    for odd in (["vm/a/b"], ["/x"], ["vm/"]):  # xapi splits once at the first "/": objects that do not exist
        assert api.event_from(odd, token, 0.1)["events"] == []
    with pytest.raises(XenAPI.Failure) as e:
        api.event_from(["vm"], "yesterday", 1.0)
    assert e.value.details == ["EVENT_FROM_TOKEN_PARSE_FAILURE", "yesterday"]
    api.VM.destroy(a)
    api.VM.destroy(b)


def test_a_blocked_watcher_wakes_on_a_change_and_times_out_without_one(xapi: XenAPI.Session,
                                                                        daemon: DaemonProcess) -> None:  # fmt: skip
    api = xapi.xenapi
    vm = api.VM.clone(template(api), "waker")
    token = api.event_from([f"vm/{vm}"], "", 30.0)["token"]
    got: list[dict[str, Any]] = []
    watcher = login(daemon)
    # a 600 s wait: a watcher that is not woken would still return the change, but only when it times out
    thread = threading.Thread(target=lambda: got.append(watcher.xenapi.event_from([f"vm/{vm}"], token, 600.0)),
                              daemon=True)  # fmt: skip
    thread.start()
    time.sleep(0.2)
    api.VM.set_name_label(vm, "woken")
    thread.join(60)
    assert not thread.is_alive(), "the change did not wake the blocked event.from"
    assert [ev["snapshot"]["name_label"] for ev in got[0]["events"]] == ["woken"]
    quiet = api.event_from([f"vm/{vm}"], got[0]["token"], 0.2)
    assert quiet["events"] == [] and quiet["token"] >= got[0]["token"]
    api.VM.destroy(vm)


def test_logout_wakes_a_blocked_call_with_session_invalid(daemon: DaemonProcess) -> None:
    client = JsonSession(daemon.url)
    handle = client.login("root", ROOT_PASSWORD)
    token = client.call("event.from", handle, ["vm"], "", 1.0)["token"]
    failures: list[Failure] = []

    def block() -> None:
        try:
            client.call("event.from", handle, ["vm"], token, 600.0)
        except Failure as e:
            failures.append(e)

    thread = threading.Thread(target=block, daemon=True)
    thread.start()
    time.sleep(0.2)
    other = JsonSession(daemon.url)
    other.call("session.logout", handle)
    # woken by the logout, not by its 600 s timeout running out (the wait below is a bound, not a measurement)
    thread.join(60)
    assert not thread.is_alive(), "logout did not wake the blocked event.from"
    assert failures and failures[0].details == ["SESSION_INVALID", handle]


def test_register_next_unregister_and_events_lost_when_behind(xapi: XenAPI.Session, daemon: DaemonProcess) -> None:
    api = xapi.xenapi
    with pytest.raises(XenAPI.Failure) as e:
        api.event.next()
    assert e.value.details == ["SESSION_NOT_REGISTERED", xapi._session]
    api.event.register(["VM"])
    vm = api.VM.clone(template(api), "legacy")
    # the template shows the clone in its current_operations meanwhile (mod events, as from xapi)
    events = [ev for ev in api.event.next() if ev["ref"] == vm]
    assert [(ev["class"], ev["operation"], ev["ref"]) for ev in events] == [("vm", "add", vm)]
    assert events[0]["snapshot"]["name_label"] == "legacy" and float(events[0]["timestamp"]) > 0
    other = login(daemon).xenapi
    for _ in range(HORIZON // 2 + 10):  # a VM and its metrics: two deletions each
        other.VM.destroy(other.VM.clone(template(other), "churn"))
    with pytest.raises(XenAPI.Failure) as e:
        api.event.next()
    assert e.value.details == ["EVENTS_LOST"]
    other.VM.set_name_label(vm, "after the loss")
    assert [ev["snapshot"]["name_label"] for ev in api.event.next()] == ["after the loss"]
    api.event.unregister(["VM"])
    api.VM.destroy(vm)


def test_inject_returns_a_token_before_the_touch(xapi: XenAPI.Session) -> None:
    api = xapi.xenapi
    vm = template(api)
    token = api.event.inject("VM", vm)
    events = api.event_from(["vm"], token, 1.0)["events"]
    assert [(ev["operation"], ev["ref"]) for ev in events] == [("mod", vm)]
    assert int(api.event.get_current_id()) > int(token.split(",")[0])
    with pytest.raises(XenAPI.Failure) as e:
        api.event.inject("VM", "OpaqueRef:nope")
    assert e.value.details == ["HANDLE_INVALID", "VM", "OpaqueRef:nope"]


def test_json_rpc_event_from(daemon: DaemonProcess) -> None:
    with JsonSession(daemon.url) as client:
        client.login("root", ROOT_PASSWORD)
        out = client.xenapi.event_from(["host"], "", 1.0)
        assert [ev["class"] for ev in out["events"]] == ["host"]
        assert isinstance(out["valid_ref_counts"]["host"], int)
        assert out["events"][0]["snapshot"]["API_version_major"] == 2


def test_a_token_from_before_a_restart_gets_events_lost() -> None:
    with DaemonProcess() as d:
        api = login(d).xenapi
        token = api.event_from(["*"], "", 1.0)["token"]
        d.stop()
        d.start()
        api = login(d).xenapi
        with pytest.raises(XenAPI.Failure) as e:
            api.event_from(["*"], token, 1.0)
        assert e.value.details == ["EVENTS_LOST"]
        fresh = api.event_from(["*"], "", 1.0)
        assert fresh["token"] > token and fresh["events"]


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_thousand_concurrent_long_polls(daemon: DaemonProcess) -> None:
    assert daemon.proc is not None
    pid = daemon.proc.pid

    async def run() -> tuple[list[Any], int]:
        admin = await AioRpc("127.0.0.1", daemon.port).connect()
        await admin.login("root", ROOT_PASSWORD, "thousand-watchers")
        tmpl = (await admin.xenapi("VM.get_by_name_label", "Generic Linux BIOS"))[0]
        vm = await admin.xenapi("VM.clone", tmpl, "watched")
        token = (await admin.xenapi("event.from", ["vm"], "", 1.0))["token"]
        watchers = [await AioRpc("127.0.0.1", daemon.port).connect() for _ in range(1000)]
        for w in watchers:
            w.session = admin.session
        before = rss_kib(pid)
        polls = [asyncio.ensure_future(w.xenapi("event.from", [f"vm/{vm}"], token, 60.0)) for w in watchers]
        await asyncio.sleep(1.0)  # let them all park (a late one still sees the change: its token predates it)
        grown = rss_kib(pid) - before
        await admin.xenapi("VM.set_name_label", vm, "seen by all")
        results = await asyncio.gather(*polls, return_exceptions=True)
        latest = await admin.xenapi("event.from", [f"vm/{vm}"], token, 1.0)
        again = [asyncio.ensure_future(w.xenapi("event.from", [f"vm/{vm}"], latest["token"], 60.0))
                 for w in watchers[:100]]  # fmt: skip
        await asyncio.sleep(0.5)
        await admin.call("session.logout", admin.session)
        ended = await asyncio.gather(*again, return_exceptions=True)
        for w in [*watchers, admin]:
            await w.close()
        return [*results, *ended], grown

    out, grown = asyncio.run(run())
    results, ended = out[:1000], out[1000:]
    for r in results:
        assert not isinstance(r, BaseException), r
        assert [(ev["operation"], ev["snapshot"]["name_label"]) for ev in r["events"]] == [("mod", "seen by all")]
    assert all(isinstance(e, RpcFailure) and e.details[0] == "SESSION_INVALID" for e in ended)
    assert grown < 64 * 1024, f"1000 idle watchers cost {grown} KiB"
    print(f"1000 idle watchers: +{grown} KiB")



def test_watchers_woken_together_each_get_their_own_envelope(daemon: DaemonProcess) -> None:
    """One change answers several JSON-RPC watchers of one object (1.0 and 2.0, string and integer ids)
    with one shared batch: each answer still carries its caller's id and envelope, and the batch an
    XML-RPC watcher of the same thing gets -- woken in the same wake-up or asking afterwards."""
    api = login(daemon).xenapi
    vm = api.VM.clone(template(api), "woken together")
    token = api.event_from([f"vm/{vm}"], "", 1.0)["token"]
    session = login(daemon)._session
    calls: list[dict[str, Any]] = [
        {"jsonrpc": "2.0", "method": "event.from", "params": [session, [f"vm/{vm}"], token, 30.0], "id": "a"},
        {"jsonrpc": "2.0", "method": "event.from", "params": [session, [f"vm/{vm}"], token, 30.0], "id": 7},
        {"method": "event.from", "params": [session, [f"vm/{vm}"], token, 30.0], "id": 9},
    ]
    xml_call = xmlrpc.client.dumps((session, [f"vm/{vm}"], token, 30.0), "event.from").encode()
    socks = [socket.create_connection(("127.0.0.1", daemon.port), timeout=30) for _ in range(len(calls) + 2)]
    for s, c in zip(socks, calls, strict=False):
        s.sendall(post("/jsonrpc", orjson.dumps(c)))
    for s in socks[len(calls) :]:  # XML-RPC watchers woken by the same change share the batch's bytes
        s.sendall(post("/", xml_call))
    time.sleep(0.5)  # parked (one that is late still sees the change: its token predates it)
    api.VM.set_name_label(vm, "seen by three")
    answers: list[dict[str, Any]] = []
    xml_answers: list[Any] = []
    for s in socks:
        answer = Reader(s).answer()
        assert answer is not None and answer.status == 200
        if len(answers) < len(calls):
            answers.append(orjson.loads(answer.body))
        else:
            xml_answers.append(xmlrpc.client.loads(answer.body)[0][0])
        s.close()
    assert xml_answers[0] == xml_answers[1] and xml_answers[0]["Status"] == "Success"
    assert [ev["snapshot"]["name_label"] for ev in xml_answers[0]["Value"]["events"]] == ["seen by three"]
    assert [a["id"] for a in answers] == ["a", 7, 9]
    assert [a.get("jsonrpc") for a in answers] == ["2.0", "2.0", None]
    assert "error" not in answers[0] and answers[2]["error"] is None
    batch = answers[0]["result"]
    assert answers[1]["result"] == batch and answers[2]["result"] == batch
    assert [(ev["operation"], ev["snapshot"]["name_label"]) for ev in batch["events"]] == [("mod", "seen by three")]
    assert xml_answers[0]["Value"]["token"] == batch["token"]
    xml = api.event_from([f"vm/{vm}"], token, 1.0)
    assert xml["token"] == batch["token"]
    assert [ev["snapshot"]["name_label"] for ev in xml["events"]] == ["seen by three"]


def test_a_woken_watcher_answered_early_keeps_its_connection_in_order(daemon: DaemonProcess) -> None:
    """A wake-up writes an event.from answer before its call's task finishes: the requests a client
    pipelined behind it on the same connection are still answered after it, in order; a watcher
    that asked for ``Connection: close`` gets its batch, then the close; an XML-RPC watcher its batch."""
    api = login(daemon).xenapi
    vm = api.VM.clone(template(api), "answered early")
    token = api.event_from([f"vm/{vm}"], "", 1.0)["token"]
    session = login(daemon)._session

    def call(method: str, params: list[Any], rid: int) -> bytes:
        return orjson.dumps({"jsonrpc": "2.0", "method": method, "params": [session, *params], "id": rid})

    piped = socket.create_connection(("127.0.0.1", daemon.port), timeout=30)
    piped.sendall(post("/jsonrpc", call("event.from", [[f"vm/{vm}"], token, 30.0], 1))
                  + post("/jsonrpc", call("VM.get_name_label", [vm], 2)))  # fmt: skip
    closing = socket.create_connection(("127.0.0.1", daemon.port), timeout=30)
    closing.sendall(post("/jsonrpc", call("event.from", [[f"vm/{vm}"], token, 30.0], 3), extra="Connection: close\r\n"))
    xml_batch: list[dict[str, Any]] = []
    xml_watcher = threading.Thread(target=lambda: xml_batch.append(login(daemon).xenapi.event_from([f"vm/{vm}"], token, 30.0)))
    xml_watcher.start()
    time.sleep(0.5)  # parked (one that is late still sees the change: its token predates it)
    api.VM.set_name_label(vm, "early")
    reader = Reader(piped)
    first, second = reader.answer(), reader.answer()
    assert first is not None and second is not None
    woken, name = orjson.loads(first.body), orjson.loads(second.body)
    assert woken["id"] == 1 and [ev["snapshot"]["name_label"] for ev in woken["result"]["events"]] == ["early"]
    assert name == {"jsonrpc": "2.0", "result": "early", "id": 2}
    piped.sendall(post("/jsonrpc", call("VM.get_name_label", [vm], 4)))  # the connection serves on
    after = reader.answer()
    assert after is not None and orjson.loads(after.body)["id"] == 4
    closer = Reader(closing)
    last = closer.answer()
    assert last is not None and last.headers["connection"] == "close"
    assert [ev["snapshot"]["name_label"] for ev in orjson.loads(last.body)["result"]["events"]] == ["early"]
    assert closer.closed()
    xml_watcher.join(30)
    assert [ev["snapshot"]["name_label"] for ev in xml_batch[0]["events"]] == ["early"]
    for s in (piped, closing):
        s.close()
