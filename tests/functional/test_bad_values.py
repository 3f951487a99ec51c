"""Values of the right type that no field can hold get INVALID_VALUE, never INTERNAL_ERROR (issue 9, item 10).

xapi's fields are int64, double and datetime: an int outside int64, a number too large for a double,
a datetime that names no instant are refused before they reach the db, with xapi's ``INVALID_VALUE``
(what its db layer answers for a datetime it cannot parse), naming the parameter.  The XenAPI SDK
cannot even send such ints (xmlrpc.client refuses them), so these requests are written by hand.
"""

from __future__ import annotations

import http.client
import json
import xmlrpc.client
from typing import Any

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess


def post(daemon: DaemonProcess, path: str, body: bytes) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=30)
    conn.request("POST", path, body, {"Content-Type": "text/xml"})
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    assert resp.status == 200, data
    return data


def xml_raw(daemon: DaemonProcess, method: str, *values: str) -> dict[str, Any]:
    """Call ``method`` with parameters given as raw XML-RPC ``<value>`` fragments."""
    params = "".join(f"<param>{v}</param>" for v in values)
    body = f"<?xml version='1.0'?><methodCall><methodName>{method}</methodName><params>{params}</params></methodCall>"
    (result,), _ = xmlrpc.client.loads(post(daemon, "/RPC2", body.encode()))
    assert isinstance(result, dict)
    return result


def json_call(daemon: DaemonProcess, method: str, *params: Any) -> Any:
    body = json.dumps({"jsonrpc": "2.0", "method": method, "params": list(params), "id": 1}).encode()
    return json.loads(post(daemon, "/jsonrpc", body))


def s(text: str) -> str:
    return f"<value><string>{text}</string></value>"


@pytest.fixture(scope="module")
def ctx(daemon: DaemonProcess) -> tuple[XenAPI.Session, str, str]:
    session = XenAPI.Session(daemon.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "bad-values")
    vm = session.xenapi.VM.get_all()[0]
    return session, session._session, vm


def test_int_beyond_64_bits(daemon: DaemonProcess, ctx: tuple[XenAPI.Session, str, str]) -> None:
    xapi, handle, vm = ctx
    xapi.xenapi.VM.set_user_version(vm, "7")
    big = str(2**70)
    for value in (f"<value><int>{big}</int></value>", f"<value><i8>{big}</i8></value>", s(big), s(str(2**63))):
        result = xml_raw(daemon, "VM.set_user_version", s(handle), s(vm), value)
        assert result["ErrorDescription"][:2] == ["INVALID_VALUE", "value"], value
    assert json_call(daemon, "VM.set_user_version", handle, vm, str(-(2**63) - 1))["error"]["message"] == "INVALID_VALUE"
    assert xapi.xenapi.VM.get_user_version(vm) == "7"  # nothing was stored
    # the limits themselves are valid
    for edge in (2**63 - 1, -(2**63)):
        assert xml_raw(daemon, "VM.set_user_version", s(handle), s(vm), s(str(edge)))["Status"] == "Success"
        assert xapi.xenapi.VM.get_user_version(vm) == str(edge)


def test_huge_int_into_a_float_field(daemon: DaemonProcess, ctx: tuple[XenAPI.Session, str, str]) -> None:
    xapi, handle, _ = ctx
    task = xapi.xenapi.task.create("floats", "")
    for value in (f"<value><int>{10**400}</int></value>", s("1e400"), s(str(10**400))):
        result = xml_raw(daemon, "task.set_progress", s(handle), s(task), value)
        assert result["ErrorDescription"][:2] == ["INVALID_VALUE", "value"], value
    assert xapi.xenapi.task.get_progress(task) == 0.0
    assert xml_raw(daemon, "task.set_progress", s(handle), s(task), "<value><int>1</int></value>")["Status"] == "Success"
    assert xapi.xenapi.task.get_progress(task) == 1.0
    xapi.xenapi.task.destroy(task)


def test_invalid_datetime(daemon: DaemonProcess, ctx: tuple[XenAPI.Session, str, str]) -> None:
    xapi, handle, _ = ctx
    for since in ("20261399T99:99:99Z", "20260230T00:00:00Z", "2026-02-30T10:00:00Z", "20260101T25:00:00"):
        for value in (s(since), f"<value><dateTime.iso8601>{since}</dateTime.iso8601></value>"):
            result = xml_raw(daemon, "message.get_since", s(handle), value)
            assert result["ErrorDescription"] == ["INVALID_VALUE", "since", since], value
        assert json_call(daemon, "message.get_since", handle, since)["error"]["data"] == ["since", since]
    assert xapi.xenapi.message.get_since("20260101T00:00:00Z") == {}  # a valid one still answers


def test_fault_clear_without_a_name(ctx: tuple[XenAPI.Session, str, str]) -> None:
    xapi, _, _ = ctx
    for name in ("", "no.such.point"):
        with pytest.raises(XenAPI.Failure) as info:
            xapi.xenapi_request("xenia.fault_clear", (name,))
        assert info.value.details == ["INVALID_VALUE", "name", name]
    with pytest.raises(XenAPI.Failure) as info:
        xapi.xenapi_request("xenia.fault_clear", ())
    assert info.value.details == ["MESSAGE_PARAMETER_COUNT_MISMATCH", "xenia.fault_clear", "1", "0"]
    xapi.xenapi_request("xenia.fault_clear", ("*",))
    assert xapi.xenapi.pool.get_all()  # and the daemon serves on
