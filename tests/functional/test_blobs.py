"""Blobs through the official SDK and xapi's ``/blob`` HTTP handler.

xapi (``xapi_blob.ml``): ``blob.create`` with "" as mime type means application/octet-stream,
size 0, last_updated the epoch; ``create_new_blob`` names the blob in the owner's ``blobs``;
``PUT /blob?ref=`` stores the bytes (size, last_updated follow), ``GET`` returns them with the
blob's mime type, a public blob without a session; RBAC: get_blob read-only, put_blob
vm-power-admin; ``blob.destroy`` removes the VM's entry and the bytes.
"""

from __future__ import annotations

import http.client
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess


@pytest.fixture(scope="module")
def session(daemon: DaemonProcess) -> Iterator[XenAPI.Session]:
    s = XenAPI.Session(daemon.url)
    s.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "blobs")
    yield s
    s.xenapi.session.logout()


def over_http(daemon: DaemonProcess, method: str, query: str, body: bytes | None = None) -> tuple[int, bytes, str]:
    conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=30)
    try:
        conn.request(method, f"/blob?{query}", body)
        resp = conn.getresponse()
        return resp.status, resp.read(), resp.getheader("Content-Type") or ""
    finally:
        conn.close()


def error(fn: Any, *args: Any) -> list[str]:
    with pytest.raises(XenAPI.Failure) as info:
        fn(*args)
    details: list[str] = info.value.details
    return details


def test_a_vm_blob_round_trip(daemon: DaemonProcess, session: XenAPI.Session) -> None:
    api, sid = session.xenapi, session._session
    vm = api.VM.clone(api.VM.get_by_name_label("Other install media")[0], "blob-owner")
    blob = api.VM.create_new_blob(vm, "notes", "", False)
    assert api.VM.get_blobs(vm) == {"notes": blob}
    record = api.blob.get_record(blob)
    assert (record["mime_type"], record["size"], record["public"]) == ("application/octet-stream", "0", False)
    assert str(record["last_updated"]).startswith("19700101")
    assert error(api.VM.create_new_blob, vm, "notes", "text/plain", False)[0] == "MAP_DUPLICATE_KEY"

    data = bytes(range(256)) * 10
    assert over_http(daemon, "PUT", f"ref={blob}&session_id={sid}", data)[0] == 200
    assert api.blob.get_size(blob) == str(len(data))
    assert not str(api.blob.get_last_updated(blob)).startswith("1970")
    assert over_http(daemon, "GET", f"ref={blob}&session_id={sid}") == (200, data, "application/octet-stream")
    uuid = api.blob.get_uuid(blob)
    assert over_http(daemon, "GET", f"uuid={uuid}&session_id={sid}")[1] == data
    assert over_http(daemon, "GET", f"ref={blob}")[0] == 401  # private: a session is needed
    assert over_http(daemon, "PUT", f"ref={blob}", b"x")[0] == 401
    assert over_http(daemon, "GET", "session_id=" + sid)[0] == 400  # neither ref nor uuid
    assert over_http(daemon, "GET", f"ref=OpaqueRef:nope&session_id={sid}")[0] == 404

    other = api.VM.create_new_blob(vm, "other", "text/plain", False)
    assert over_http(daemon, "PUT", f"ref={other}&session_id={sid}", b"kept with the VM")[0] == 200
    clone = api.VM.clone(vm, "blob-clone")
    assert api.VM.get_blobs(clone) == {}  # xapi's clone starts with no blobs
    api.VM.destroy(clone)
    assert api.blob.get_size(other) == "16"

    api.blob.set_name_label(blob, "release notes")
    assert api.blob.get_by_name_label("release notes") == [blob]
    api.blob.destroy(blob)
    assert api.VM.get_blobs(vm) == {"other": other}
    assert error(api.blob.get_record, blob)[:2] == ["HANDLE_INVALID", "blob"]
    assert over_http(daemon, "GET", f"ref={blob}&session_id={sid}")[0] == 404
    other_file = daemon.state_dir / "blobs" / api.blob.get_uuid(other)  # where docs/api.md says the bytes live
    assert other_file.read_bytes() == b"kept with the VM"
    api.VM.destroy(vm)  # its remaining blob goes with it, bytes and all
    assert error(api.blob.get_record, other)[:2] == ["HANDLE_INVALID", "blob"]
    assert not other_file.exists()


def test_public_blobs_and_roles(daemon: DaemonProcess, session: XenAPI.Session) -> None:
    api, sid = session.xenapi, session._session
    pool = api.pool.get_all()[0]
    blob = api.pool.create_new_blob(pool, "logo", "image/png", True)
    assert over_http(daemon, "PUT", f"ref={blob}&session_id={sid}", b"\x89PNG")[0] == 200
    assert over_http(daemon, "GET", f"ref={blob}") == (200, b"\x89PNG", "image/png")  # public: no session needed
    for owner, ref in (("host", api.host.get_all()[0]), ("SR", api.SR.get_all()[0]),
                       ("network", api.network.get_all()[0])):  # fmt: skip
        made = getattr(api, owner).create_new_blob(ref, "b", "", False)
        assert getattr(api, owner).get_blobs(ref) == {"b": made}

    subprocess.run([sys.executable, "-m", "xenia.cli.main", "user", "--socket", str(daemon.socket_path), "add",
                    "blob-reader", "--role", "read-only", "--password", "reader-pw"], check=True,
                   capture_output=True)  # fmt: skip
    reader = XenAPI.Session(daemon.url)
    reader.xenapi.login_with_password("blob-reader", "reader-pw", "2.0", "blobs")
    try:
        rid = reader._session
        assert over_http(daemon, "GET", f"ref={blob}&session_id={rid}")[0] == 200
        assert over_http(daemon, "PUT", f"ref={blob}&session_id={rid}", b"defaced")[0] == 403
        assert error(reader.xenapi.blob.create, "", False)[0] == "RBAC_PERMISSION_DENIED"
    finally:
        reader.xenapi.session.logout()
    assert over_http(daemon, "GET", f"ref={blob}")[1] == b"\x89PNG"  # the refused PUT changed nothing
    public = api.blob.create("", True)
    assert over_http(daemon, "GET", f"ref={public}") == (200, b"", "application/octet-stream")
