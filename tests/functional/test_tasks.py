"""Tasks through the official SDK: Async calls, progress, cancellation at every step, collection.

The daemon runs with ``--task-step-delay``: every safe step of an operation
waits a little, so a client can watch a quick operation (VM.clone) move and
cancel it midway.  Nothing here asserts how fast anything is.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess
from xenia.testing.longpoll import AioRpc

STEP_DELAY = "0.5"
CAP = 50


@pytest.fixture(scope="module")
def daemon() -> Iterator[DaemonProcess]:
    with DaemonProcess(extra_args=["--task-step-delay", STEP_DELAY, "--tasks-per-session", str(CAP)]) as d:
        yield d


def login(daemon: DaemonProcess) -> XenAPI.Session:
    s = XenAPI.Session(daemon.url)
    s.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "task-tests")
    return s


def vm_with_devices(api: Any) -> str:
    """A halted VM with two disks and two NICs: cloning it takes five steps."""
    vm: str = api.VM.clone(api.VM.get_by_name_label("Generic Linux BIOS")[0], "source")
    api.VM.set_is_a_template(vm, False)
    sr = api.pool.get_default_SR(api.pool.get_all()[0])
    network = api.network.get_all()[0]
    for i in range(2):
        vdi = api.VDI.create({"name_label": f"disk{i}", "SR": sr, "virtual_size": str(2**30), "type": "user",
                              "sharable": False, "read_only": False, "other_config": {}})  # fmt: skip
        api.VBD.create({"VM": vm, "VDI": vdi, "userdevice": str(i), "bootable": i == 0, "mode": "RW", "type": "Disk",
                        "empty": False, "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})
        api.VIF.create({"device": str(i), "network": network, "VM": vm, "MAC": "", "MTU": "1500", "other_config": {},
                        "qos_algorithm_type": "", "qos_algorithm_params": {}})
    return vm


def counts(api: Any) -> dict[str, int]:
    return {cls: len(getattr(api, cls).get_all()) for cls in ("VM", "VDI", "VBD", "VIF", "VM_metrics")}


def follow(api: Any, task: str, cancel_at: float | None = None) -> tuple[list[float], dict[str, Any]]:
    """Watch one task through event.from until it ends; cancel it once its progress reaches ``cancel_at``."""
    token, seen = "", []
    while True:
        out = api.event_from([f"task/{task}"], token, 30.0)
        token = out["token"]
        for ev in out["events"]:
            rec = ev["snapshot"]
            seen.append(rec["progress"])
            if cancel_at is not None and rec["status"] == "pending" and rec["progress"] >= cancel_at - 1e-9:
                api.task.cancel(task)
                cancel_at = None
            if rec["status"] not in ("pending", "cancelling"):
                return seen, rec


@pytest.fixture(scope="module")
def source(daemon: DaemonProcess) -> str:
    s = login(daemon)
    return vm_with_devices(s.xenapi)


def test_async_clone_returns_a_task_whose_progress_rises_to_one(xapi: XenAPI.Session, source: str) -> None:
    api = xapi.xenapi
    task = api.Async.VM.clone(source, "copy")
    rec = api.task.get_record(task)
    assert rec["name_label"] == "Async.VM.clone" and rec["status"] == "pending"
    assert rec["allowed_operations"] == ["cancel"] and rec["type"] == "<none/>"
    assert rec["resident_on"] == api.host.get_all()[0] and rec["subtask_of"] == "OpaqueRef:NULL"
    progress, rec = follow(api, task)
    assert progress == sorted(progress) and progress[-1] == 1.0
    assert len({p for p in progress if 0 < p < 1}) >= 2  # the steps show, not just a jump to 1
    assert rec["status"] == "success" and rec["error_info"] == [] and rec["allowed_operations"] == []
    assert rec["result"].startswith("<value>OpaqueRef:") and rec["result"].endswith("</value>")
    new = rec["result"][len("<value>") : -len("</value>")]
    assert api.VM.get_name_label(new) == "copy" and len(api.VM.get_VBDs(new)) == 2
    assert str(rec["finished"]) >= str(rec["created"])
    api.task.destroy(task)
    with pytest.raises(XenAPI.Failure) as e:
        api.task.get_record(task)
    assert e.value.details[:2] == ["HANDLE_INVALID", "task"]


@pytest.mark.parametrize("step", range(5))
def test_cancel_at_every_step_rolls_the_clone_back(xapi: XenAPI.Session, source: str, step: int) -> None:
    api = xapi.xenapi
    before = counts(api)
    task = api.Async.VM.clone(source, f"cancelled at {step}")
    progress, rec = follow(api, task, cancel_at=step / 5)
    assert rec["status"] == "cancelled"
    assert rec["error_info"] == ["TASK_CANCELLED", task]
    assert rec["current_operations"] == {} and rec["allowed_operations"] == []
    assert counts(api) == before
    assert api.VM.get_by_name_label(f"cancelled at {step}") == []
    api.task.destroy(task)


def test_cancel_after_the_end_says_it_is_too_late(xapi: XenAPI.Session, source: str) -> None:
    api = xapi.xenapi
    task = api.Async.VM.clone(source, "finished")
    _, rec = follow(api, task)
    with pytest.raises(XenAPI.Failure) as e:
        api.task.cancel(task)
    assert e.value.details[0] == "OPERATION_NOT_ALLOWED" and "too late" in e.value.details[1]
    api.VM.destroy(rec["result"][len("<value>") : -len("</value>")])


def test_a_failed_async_call_leaves_its_error_in_the_task(xapi: XenAPI.Session) -> None:
    api = xapi.xenapi
    dom0 = next(ref for ref, r in api.VM.get_all_records().items() if r["is_control_domain"])
    task = api.Async.VM.clone(dom0, "nope")
    _, rec = follow(api, task)
    assert rec["status"] == "failure"
    # the lifecycle checks the power state before the control domain, as xapi does
    assert rec["error_info"] == ["VM_BAD_POWER_STATE", dom0, "halted", "running"]
    assert rec["result"] == ""
    with pytest.raises(XenAPI.Failure) as e:
        api.Async.task.create("a", "b")  # task.* has no Async form
    assert e.value.details[0] == "Fault"


def test_client_made_task(xapi: XenAPI.Session) -> None:
    api = xapi.xenapi
    task = api.task.create("upload", "a disk image")
    rec = api.task.get_record(task)
    assert (rec["name_label"], rec["name_description"], rec["status"]) == ("upload", "a disk image", "pending")
    assert rec["progress"] == 0.0 and rec["allowed_operations"] == ["cancel"]
    assert task in api.task.get_by_name_label("upload")
    assert api.task.get_by_uuid(rec["uuid"]) == task
    api.task.set_progress(task, 0.5)
    api.task.add_to_other_config(task, "transfer", "nbd")
    api.task.set_other_config(task, {"transfer": "http", "size": "1"})
    assert api.task.get_progress(task) == 0.5 and api.task.get_other_config(task)["transfer"] == "http"
    api.task.cancel(task)
    assert api.task.get_status(task) == "cancelling"
    api.task.set_error_info(task, ["TASK_CANCELLED", task])
    api.task.set_status(task, "cancelled")
    rec = api.task.get_record(task)
    assert rec["status"] == "cancelled" and rec["error_info"] == ["TASK_CANCELLED", task]
    api.task.destroy(task)
    assert task not in api.task.get_all()
    with pytest.raises(XenAPI.Failure) as e:
        api.task.set_status(task, "success")
    assert e.value.details == ["HANDLE_INVALID", "task", task]
    with pytest.raises(XenAPI.Failure) as e:
        api.task.set_status(api.task.create("x", ""), "finished")
    assert e.value.details == ["INVALID_VALUE", "value", "finished"]


def test_a_session_that_ends_takes_its_tasks(xapi: XenAPI.Session, daemon: DaemonProcess) -> None:
    other = login(daemon)
    made = other.xenapi.task.create("mine", "")
    tmpl = other.xenapi.VM.get_by_name_label("Generic Linux BIOS")[0]
    ran = other.xenapi.Async.VM.clone(tmpl, "by other")
    _, rec = follow(other.xenapi, ran)
    assert {made, ran} <= set(xapi.xenapi.task.get_all())
    other.xenapi.session.logout()
    assert not {made, ran} & set(xapi.xenapi.task.get_all())
    xapi.xenapi.VM.destroy(rec["result"][len("<value>") : -len("</value>")])


def test_a_thousand_async_tasks_never_destroyed_stay_bounded(daemon: DaemonProcess) -> None:
    async def run() -> tuple[int, int]:
        clients = [await AioRpc("127.0.0.1", daemon.port).connect() for _ in range(10)]
        session = await clients[0].login("root", ROOT_PASSWORD, "thousand")
        for c in clients:
            c.session = session
        tmpl = (await clients[0].xenapi("VM.get_by_name_label", "Generic Linux BIOS"))[0]

        async def start(c: AioRpc, n: int) -> list[str]:
            return [await c.xenapi("Async.VM.clone", tmpl, f"many-{n}-{i}") for i in range(100)]

        tasks = [t for batch in await asyncio.gather(*(start(c, n) for n, c in enumerate(clients))) for t in batch]
        assert len(set(tasks)) == 1000
        while any(r["status"] == "pending" for r in (await clients[0].xenapi("task.get_all_records")).values()):
            await asyncio.sleep(0.2)
        left = len(await clients[0].xenapi("task.get_all"))
        vms = [ref for ref, r in (await clients[0].xenapi("VM.get_all_records")).items()
               if r["name_label"].startswith("many-")]  # fmt: skip

        async def destroy(c: AioRpc, mine: list[str]) -> None:
            for vm in mine:
                await c.xenapi("VM.destroy", vm)

        await asyncio.gather(*(destroy(c, vms[n::10]) for n, c in enumerate(clients)))
        for c in clients:
            await c.close()
        return left, len(vms)

    left, cloned = asyncio.run(run())
    assert cloned == 1000
    assert left <= CAP


def test_finished_tasks_are_collected_after_their_timeout() -> None:
    args = ["--task-completed-timeout", "0.5", "--task-gc-interval", "0.2"]
    with DaemonProcess(extra_args=args) as d:
        api = login(d).xenapi
        tmpl = api.VM.get_by_name_label("Generic Linux BIOS")[0]
        task = api.Async.VM.clone(tmpl, "short-lived")
        token = api.event_from(["task"], "", 1.0)["token"]
        deadline = time.monotonic() + 60
        while task in api.task.get_all() and time.monotonic() < deadline:
            token = api.event_from(["task"], token, 1.0)["token"]
        assert task not in api.task.get_all()
