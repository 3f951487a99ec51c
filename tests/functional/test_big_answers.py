"""A big answer is encoded in slices: another client's getter is answered while it is being encoded.

The daemon is assembled in-process (the same ``Daemon`` as ``xenia serve``, real SQLite, the sim
driver, the real API server) and requests go through the server's own request handler, so the test
can watch the event loop's order: a ``VM.get_all_records`` of a few hundred VMs and a
``VM.get_power_state`` arriving just after it; the getter's answer must be complete before the big
one is. Over a real socket, the SDK must read the sliced answer as the same records it gets one by
one, in both codecs.
"""

from __future__ import annotations

import asyncio
import json
import xmlrpc.client
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import XenAPI

from xenia.api.codec import sliced
from xenia.api.http import Request, Response
from xenia.daemon import Daemon, DaemonConfig
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

VMS = sliced.SLICE * 4


@pytest_asyncio.fixture
async def running(tmp_path: Path) -> AsyncIterator[Daemon]:
    daemon = Daemon(DaemonConfig(tmp_path, listen=None, driver_options={"guest-delay": "0"}))
    await daemon.start()
    try:
        yield daemon
    finally:
        await daemon.stop()


def xml_request(method: str, *params: Any) -> Request:
    body = xmlrpc.client.dumps(params, method).encode()
    return Request("POST", "/", "HTTP/1.1", {"content-length": str(len(body))}, body)


def json_request(method: str, *params: Any) -> Request:
    body = json.dumps({"jsonrpc": "2.0", "method": method, "params": list(params), "id": 1}).encode()
    return Request("POST", "/jsonrpc", "HTTP/1.1", {"content-length": str(len(body))}, body)


async def answer(daemon: Daemon, req: Request) -> Response:
    assert daemon.api is not None
    out = daemon.api.handle(req, True)
    return out if isinstance(out, Response) else await out


def body_of(resp: Response) -> bytes:
    return resp.body if resp.chunks is None else b"".join(resp.chunks)


def xml_value(resp: Response) -> Any:
    envelope: Any = xmlrpc.client.loads(body_of(resp))[0][0]
    return envelope["Value"]


async def populate(daemon: Daemon) -> tuple[str, str]:
    """A session and ``VMS`` VMs made by cloning a template (so VM.get_all_records is big)."""
    login = await answer(daemon, xml_request("session.login_with_password", "root", "", "2.0", "test"))
    session = xml_value(login)
    found = await answer(daemon, xml_request("VM.get_by_name_label", session, "Generic Linux BIOS"))
    template = xml_value(found)[0]
    vm = ""
    for i in range(VMS):
        made = await answer(daemon, xml_request("VM.clone", session, template, f"big-{i}"))
        vm = xml_value(made)
    return session, vm


@pytest.mark.asyncio
@pytest.mark.parametrize("codec", [xml_request, json_request], ids=["xmlrpc", "jsonrpc"])
async def test_getter_answered_while_big_answer_encodes(running: Daemon, codec: Any) -> None:
    session, vm = await populate(running)
    finished: list[str] = []

    async def track(name: str, pending: Awaitable[Response]) -> Response:
        resp = await pending
        finished.append(name)
        return resp

    big = asyncio.ensure_future(track("get_all_records", answer(running, codec("VM.get_all_records", session))))
    small = asyncio.ensure_future(track("get_power_state", answer(running, codec("VM.get_power_state", session, vm))))
    big_resp, small_resp = await asyncio.gather(big, small)
    assert finished == ["get_power_state", "get_all_records"]
    if codec is xml_request:
        records = xml_value(big_resp)
        assert xml_value(small_resp) == "Halted"
    else:
        records = json.loads(body_of(big_resp))["result"]
        assert json.loads(body_of(small_resp))["result"] == "Halted"
    assert isinstance(records, dict)
    assert len([r for r in records.values() if r["name_label"].startswith("big-")]) == VMS


@pytest.mark.asyncio
async def test_sliced_answer_is_the_same_bytes(running: Daemon) -> None:
    """The slices join to exactly what the one-piece encoder writes, in both codecs."""
    session, _ = await populate(running)
    assert running.api is not None
    dispatcher = running.api.dispatcher
    reply = await dispatcher.call("VM.get_all_records", [session])
    assert reply.type is not None and sliced.is_large(reply.value, reply.type)
    whole = dispatcher.encode_xml(reply)
    assert b"".join(sliced.xml_success(dispatcher.encoders, reply.value, reply.type)) == whole
    refs = await dispatcher.call("VM.get_all", [session])
    assert refs.type is not None and sliced.is_large(refs.value, refs.type)
    assert b"".join(sliced.xml_success(dispatcher.encoders, refs.value, refs.type)) == dispatcher.encode_xml(refs)
    from xenia.api.codec import jsonrpc

    for v2 in (False, True):
        call = jsonrpc.JsonCall("VM.get_all_records", [session], "x", v2)
        assert b"".join(sliced.json_success(call, reply.value, reply.type)) == jsonrpc.success(call, reply.value)
        call = jsonrpc.JsonCall("VM.get_all", [session], 7, v2)
        assert b"".join(sliced.json_success(call, refs.value, refs.type)) == jsonrpc.success(call, refs.value)


def test_sdk_reads_a_sliced_answer() -> None:
    """Over TCP with the official SDK: get_all_records of hundreds of VMs equals their get_record."""
    with DaemonProcess(extra_args=["--driver-option", "guest-delay=0"]) as daemon:
        session = XenAPI.Session(daemon.url)
        session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "xenia-tests")
        api = session.xenapi
        template = api.VM.get_by_name_label("Generic Linux BIOS")[0]
        made = [api.VM.clone(template, f"sdk-{i}") for i in range(VMS)]
        records = api.VM.get_all_records()
        assert set(made) <= set(records)
        for ref in made[:: sliced.SLICE // 2]:
            assert records[ref] == api.VM.get_record(ref)
        session.xenapi.session.logout()
