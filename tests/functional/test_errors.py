"""Every error path of dispatch answers as xapi does, and bad input never stops the daemon."""

from __future__ import annotations

import http.client
import socket
import time
import xmlrpc.client
from typing import Any

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess


def post(daemon: DaemonProcess, path: str, body: bytes, ctype: str = "text/xml") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=30)
    conn.request("POST", path, body, {"Content-Type": ctype})
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, data


def xml_call(daemon: DaemonProcess, method: str, *params: Any) -> dict[str, Any]:
    status, data = post(daemon, "/RPC2", xmlrpc.client.dumps(params, method, allow_none=True).encode())
    assert status == 200
    (result,), _ = xmlrpc.client.loads(data)
    assert isinstance(result, dict)
    return result


def failure(xapi: XenAPI.Session, method: str, *args: Any) -> list[str]:
    with pytest.raises(XenAPI.Failure) as info:
        xapi.xenapi_request(method, args)
    details: list[str] = info.value.details
    return details


def still_serving(daemon: DaemonProcess) -> None:
    session = XenAPI.Session(daemon.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD)
    assert session.xenapi.pool.get_all()
    session.xenapi.session.logout()


def test_unknown_method(xapi: XenAPI.Session, daemon: DaemonProcess) -> None:
    assert failure(xapi, "VM.no_such_call") == ["MESSAGE_METHOD_UNKNOWN", "VM.no_such_call"]
    # with a bad session the session check comes first, as in xapi
    assert xml_call(daemon, "VM.no_such_call", "OpaqueRef:bad")["ErrorDescription"] == ["SESSION_INVALID", "OpaqueRef:bad"]
    assert xml_call(daemon, "nothing")["ErrorDescription"] == ["MESSAGE_METHOD_UNKNOWN", "nothing"]


def test_parameter_count(xapi: XenAPI.Session) -> None:
    vm = xapi.xenapi.VM.get_all()[0]
    assert failure(xapi, "VM.get_record", vm, vm) == ["MESSAGE_PARAMETER_COUNT_MISMATCH", "VM.get_record", "1", "2"]
    assert failure(xapi, "VM.set_name_label", vm) == ["MESSAGE_PARAMETER_COUNT_MISMATCH", "VM.set_name_label", "2", "1"]


def test_login_defaults_may_be_omitted(daemon: DaemonProcess) -> None:
    result = xml_call(daemon, "session.login_with_password", "root", ROOT_PASSWORD)
    assert result["Status"] == "Success"
    result = xml_call(daemon, "session.login_with_password", "root")
    assert result["ErrorDescription"][:2] == ["MESSAGE_PARAMETER_COUNT_MISMATCH", "session.login_with_password"]


def test_wrong_types(xapi: XenAPI.Session) -> None:
    vm = xapi.xenapi.VM.get_all()[0]
    assert failure(xapi, "VM.set_name_label", vm, 42)[0] == "INTERNAL_ERROR"
    assert failure(xapi, "VM.set_VCPUs_params", vm, ["not", "a", "map"])[0] == "INTERNAL_ERROR"
    assert failure(xapi, "VM.set_actions_after_shutdown", vm, "explode") == ["INVALID_VALUE", "value", "explode"]
    assert failure(xapi, "VM.set_user_version", vm, "twelve")[0] == "INTERNAL_ERROR"
    # a decimal string is a valid int64, as Python clients must send large numbers
    xapi.xenapi.VM.set_user_version(vm, "4294967296")
    assert xapi.xenapi.VM.get_user_version(vm) == "4294967296"


def test_create_record_errors(xapi: XenAPI.Session) -> None:
    net = xapi.xenapi.network.get_all()[0]
    assert failure(xapi, "network.create", {"name_label": 5}) == ["FIELD_TYPE_ERROR", "name_label"]
    details = failure(xapi, "VIF.create", {"network": net})
    assert details[0] == "INTERNAL_ERROR" and "Dispatcher_FieldNotFound" in details[1]


def test_unknown_refs_and_uuids(xapi: XenAPI.Session) -> None:
    assert failure(xapi, "VM.get_record", "OpaqueRef:missing") == ["HANDLE_INVALID", "VM", "OpaqueRef:missing"]
    assert failure(xapi, "VM.get_name_label", "OpaqueRef:NULL") == ["HANDLE_INVALID", "VM", "OpaqueRef:NULL"]
    assert failure(xapi, "VM.get_by_uuid", "no-such-uuid") == ["UUID_INVALID", "VM", "no-such-uuid"]
    vm = xapi.xenapi.VM.get_all()[0]
    assert failure(xapi, "VM.set_affinity", vm, "OpaqueRef:nohost") == ["HANDLE_INVALID", "host", "OpaqueRef:nohost"]


def test_invalid_session(daemon: DaemonProcess) -> None:
    assert xml_call(daemon, "VM.get_all", "OpaqueRef:bogus")["ErrorDescription"] == ["SESSION_INVALID", "OpaqueRef:bogus"]


def test_map_duplicate_key(xapi: XenAPI.Session) -> None:
    vm = xapi.xenapi.VM.get_all()[0]
    uuid = xapi.xenapi.VM.get_uuid(vm)
    xapi.xenapi.VM.add_to_other_config(vm, "dup", "1")
    assert failure(xapi, "VM.add_to_other_config", vm, "dup", "2") == ["MAP_DUPLICATE_KEY", "VM", "other_config", uuid, "dup"]
    xapi.xenapi.VM.remove_from_other_config(vm, "dup")
    xapi.xenapi.VM.remove_from_other_config(vm, "dup")  # absent: no error


def test_aliases_async_and_list_methods(xapi: XenAPI.Session, daemon: DaemonProcess) -> None:
    vm = xapi.xenapi.VM.get_all()[0]
    assert xapi.xenapi.VM_get_name_label(vm) == xapi.xenapi.VM.get_name_label(vm)
    template = xapi.xenapi.VM.get_by_name_label("Other install media")[0]
    task = xapi.xenapi.Async.VM.clone(template, "async-clone")
    for _ in range(200):
        if xapi.xenapi.task.get_status(task) != "pending":
            break
        time.sleep(0.05)
    assert xapi.xenapi.task.get_status(task) == "success"
    result = xapi.xenapi.task.get_result(task)
    assert result.startswith("<value>OpaqueRef:")
    assert failure(xapi, "Async.VM.get_record", vm)[0] == "Fault"
    status, data = post(daemon, "/", xmlrpc.client.dumps((), "system.listMethods").encode())
    methods: Any = xmlrpc.client.loads(data)[0][0]
    assert "VM.get_record" in methods and "session.login_with_password" in methods


def test_failed_login_is_delayed(daemon: DaemonProcess) -> None:
    started = time.monotonic()
    result = xml_call(daemon, "session.login_with_password", "root", "wrong", "2.0", "")
    assert result["ErrorDescription"][0] == "SESSION_AUTHENTICATION_FAILED"
    assert time.monotonic() - started >= 0.2  # the daemon under test is configured with a 0.2 s delay
    assert xml_call(daemon, "session.login_with_password", "nobody", "x")["ErrorDescription"][0] == (
        "SESSION_AUTHENTICATION_FAILED"
    )


def test_sdk_logs_in_again_after_session_invalid(daemon: DaemonProcess) -> None:
    session = XenAPI.Session(daemon.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD)
    first = session._session
    xml_call(daemon, "session.logout", first)
    assert session.xenapi.pool.get_all()  # SESSION_INVALID, then the SDK logs in again by itself
    assert session._session != first


def test_malformed_xml_is_http_500(daemon: DaemonProcess) -> None:
    assert post(daemon, "/", b"<methodCall><methodName>x</methodName><params>")[0] == 500
    assert post(daemon, "/", b"not xml at all")[0] == 500
    assert post(daemon, "/RPC2", b"<methodCall><params></params></methodCall>")[0] == 500
    still_serving(daemon)


def test_entity_expansion_and_external_entities_refused(daemon: DaemonProcess) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><methodCall><methodName>&lol3;</methodName></methodCall>'
    )
    assert post(daemon, "/", laughs)[0] == 500
    external = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b"<methodCall><methodName>session.login_with_password</methodName><params>"
        b"<param><value>&xxe;</value></param></params></methodCall>"
    )
    status, body = post(daemon, "/", external)
    assert status == 500 and b"root:" not in body
    still_serving(daemon)


def test_oversized_body_refused(daemon: DaemonProcess) -> None:
    big = xmlrpc.client.dumps(("x" * (301 * 1024),), "session.login_with_password").encode()
    status, _ = post(daemon, "/", big)
    assert status == 413
    still_serving(daemon)


def test_invalid_utf8(daemon: DaemonProcess) -> None:
    body = (b"<?xml version='1.0'?><methodCall><methodName>session.login_with_password</methodName><params>"
            b"<param><value><string>ro\xffot</string></value></param><param><value>x</value></param>"
            b"</params></methodCall>")  # fmt: skip
    status, data = post(daemon, "/", body)
    assert status == 200
    result: Any = xmlrpc.client.loads(data)[0][0]
    assert result["ErrorDescription"][:2] == ["INVALID_VALUE", "Invalid UTF-8 string in parameter"]
    status, data = post(daemon, "/jsonrpc", b'{"method":"session.login_with_password","params":["r\xffoot","x"],"id":1}',
                        "application/json")  # fmt: skip
    assert status == 200 and b"INVALID_VALUE" in data


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        b'{"method": "pool.get_all", "id": 1}',  # v1 requires params
        b'{"method": "pool.get_all", "params": [], "id": null}',
        b'{"method": "pool.get_all", "params": [], "id": 1.5}',
        b'{"jsonrpc": "3.0", "method": "pool.get_all", "params": [], "id": 1}',
        b'{"method": 7, "params": [], "id": 1}',
    ],
)
def test_malformed_jsonrpc_is_http_500(daemon: DaemonProcess, body: bytes) -> None:
    assert post(daemon, "/jsonrpc", body, "application/json")[0] == 500
    still_serving(daemon)


def test_client_disconnecting_mid_request(daemon: DaemonProcess) -> None:
    body = xmlrpc.client.dumps(("root", ROOT_PASSWORD), "session.login_with_password").encode()
    head = f"POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    # half a request, then gone
    with socket.create_connection(("127.0.0.1", daemon.port)) as s:
        s.sendall(head + body[: len(body) // 2])
    # a whole request, gone before the answer
    with socket.create_connection(("127.0.0.1", daemon.port)) as s:
        s.sendall(head + body)
    # a client that stalls mid-request does not hold others up
    with socket.create_connection(("127.0.0.1", daemon.port)) as stalled:
        stalled.sendall(head[:20])
        still_serving(daemon)
    still_serving(daemon)


def test_unknown_paths_and_methods(daemon: DaemonProcess) -> None:
    # xapi: XML-RPC is the handler of the prefix "/", so it answers any POST path (an empty body: parse error)
    assert post(daemon, "/nowhere", b"")[0] == 500
    conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=10)
    conn.request("OPTIONS", "/jsonrpc")
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 200 and resp.getheader("Access-Control-Allow-Origin") == "*"
    conn.request("PUT", "/RPC2", b"")
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 403  # xapi's default callback: no PUT handler claims the path
    conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=10)
    conn.request("DELETE", "/", b"")
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 501  # a method xapi has no handler for
