"""A plain JSON-RPC client (no SDK) does the same walk over POST /jsonrpc, in both protocol versions."""

from __future__ import annotations

import http.client
import json
from typing import Any

import pytest

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess


class JsonRpc:
    def __init__(self, daemon: DaemonProcess, v2: bool) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=30)
        self.v2 = v2
        self.next_id = 0

    def raw(self, method: str, params: list[Any]) -> dict[str, Any]:
        self.next_id += 1
        doc: dict[str, Any] = {"method": method, "params": params, "id": self.next_id}
        if self.v2:
            doc["jsonrpc"] = "2.0"
        self.conn.request("POST", "/jsonrpc", json.dumps(doc), {"Content-Type": "application/json"})
        resp = self.conn.getresponse()
        assert resp.status == 200
        assert resp.getheader("Content-Type") == "application/json"
        body: dict[str, Any] = json.loads(resp.read())
        assert body["id"] == self.next_id
        return body

    def __call__(self, method: str, *params: Any) -> Any:
        body = self.raw(method, list(params))
        if body.get("error"):
            raise AssertionError(body["error"])
        return body["result"]


@pytest.mark.parametrize("v2", [False, True], ids=["v1", "v2"])
def test_walk(daemon: DaemonProcess, v2: bool) -> None:
    rpc = JsonRpc(daemon, v2)
    s = rpc("session.login_with_password", "root", ROOT_PASSWORD, "2.0", "json-test")
    pool = rpc("pool.get_all", s)[0]
    host = rpc("pool.get_master", s, pool)
    assert rpc("host.get_API_version_major", s, host) == 2  # a JSON number, not a string
    template = rpc("VM.get_by_name_label", s, "Other install media")[0]
    vm = rpc("VM.clone", s, template, "json-vm")
    rpc("VM.set_is_a_template", s, vm, False)
    rpc("VM.set_VCPUs_params", s, vm, {"weight": "256"})
    rec = rpc("VM.get_record", s, vm)
    assert rec["VCPUs_params"] == {"weight": "256"}
    assert rec["memory_static_max"] == 1024**3
    net = rpc("network.get_all", s)[0]
    vif = rpc("VIF.create", s, {"device": "0", "network": net, "VM": vm, "MAC": "02:00:00:00:00:01", "MTU": 1500,
                                "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})
    assert rpc("VIF.get_record", s, vif)["MAC"] == "02:00:00:00:00:01"
    assert list(rpc("VM.get_all_records_where", s, f'field "uuid" = "{rec["uuid"]}"')) == [vm]
    rpc("VIF.destroy", s, vif)
    rpc("VM.destroy", s, vm)
    assert vm not in rpc("VM.get_all", s)
    rpc("session.logout", s)


def test_error_shapes(daemon: DaemonProcess) -> None:
    v1 = JsonRpc(daemon, v2=False)
    body = v1.raw("VM.get_record", ["OpaqueRef:nope", "OpaqueRef:nope"])
    assert body["result"] is None
    assert body["error"] == ["SESSION_INVALID", "OpaqueRef:nope"]
    v2 = JsonRpc(daemon, v2=True)
    body = v2.raw("VM.get_record", ["OpaqueRef:nope", "OpaqueRef:nope"])
    assert body["error"] == {"code": 1, "message": "SESSION_INVALID", "data": ["OpaqueRef:nope"]}
    assert "result" not in body
