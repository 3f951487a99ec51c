"""``GET /export_raw_vdi`` and ``PUT /import_raw_vdi`` through http.client and the SDK, as a client uses them.

Expected behaviour from xapi's ``export_raw_vdi.ml`` / ``import_raw_vdi.ml``: the answer names its
task in ``task-id``; the task ends ``success`` (import: result the VDI), the export is
``application/octet-stream`` with ``filename="<uuid>.raw"``; an unknown ``format`` is 404 and fails
the task with INTERNAL_ERROR; a chunked import is 404; ``task_id=`` makes the client's task the one
that moves; ``task.cancel`` stops a transfer (status ``cancelled``).
"""

from __future__ import annotations

import http.client
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def session(daemon: DaemonProcess) -> Iterator[XenAPI.Session]:
    s = XenAPI.Session(daemon.url)
    s.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "raw-vdi")
    yield s
    s.xenapi.session.logout()


def new_vdi(session: XenAPI.Session, size: int, label: str) -> str:
    api = session.xenapi
    sr = api.pool.get_default_SR(api.pool.get_all()[0])
    ref: str = api.VDI.create({"name_label": label, "SR": sr, "virtual_size": str(size), "type": "user",
                               "sharable": False, "read_only": False, "other_config": {}})  # fmt: skip
    return ref


def connect(daemon: DaemonProcess) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=60)


def put(daemon: DaemonProcess, query: str, body: bytes) -> http.client.HTTPResponse:
    conn = connect(daemon)
    conn.request("PUT", f"/import_raw_vdi?{query}", body)
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp


def get(daemon: DaemonProcess, query: str) -> tuple[http.client.HTTPResponse, bytes]:
    conn = connect(daemon)
    conn.request("GET", f"/export_raw_vdi?{query}")
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp, data


def test_a_disk_round_trips_bit_for_bit(daemon: DaemonProcess, session: XenAPI.Session) -> None:
    api, sid = session.xenapi, session._session
    size = 4 * MiB
    vdi = new_vdi(session, size, "round-trip")
    data = os.urandom(size)  # far past the 300 KiB an RPC body may have
    resp = put(daemon, f"vdi={vdi}&session_id={sid}&format=raw", data)
    assert resp.status == 200
    task = resp.getheader("task-id")
    assert task is not None and task.startswith("OpaqueRef:")
    assert api.task.get_status(task) == "success"
    assert api.task.get_progress(task) == 1.0
    assert vdi in api.task.get_result(task)

    uuid = api.VDI.get_uuid(vdi)
    resp, out = get(daemon, f"vdi={uuid}&session_id={sid}&format=raw")  # by uuid too
    assert resp.status == 200
    assert resp.getheader("Content-Type") == "application/octet-stream"
    assert resp.getheader("Content-Disposition") == f'attachment; filename="{uuid}.raw"'
    assert out == data
    export_task = resp.getheader("task-id")
    assert export_task is not None and api.task.get_status(export_task) == "success"

    # a shorter stream fills the start; the rest of the disk reads as zeros
    head = os.urandom(MiB + 5)
    assert put(daemon, f"vdi={vdi}&session_id={sid}", head).status == 200
    assert get(daemon, f"vdi={vdi}&session_id={sid}")[1] == head + bytes(size - len(head))


def test_bad_requests_get_xapis_answers_and_lose_nothing(daemon: DaemonProcess, session: XenAPI.Session) -> None:
    api, sid = session.xenapi, session._session
    vdi = new_vdi(session, MiB, "bad-requests")
    data = os.urandom(MiB)
    assert put(daemon, f"vdi={vdi}&session_id={sid}", data).status == 200

    resp, _ = get(daemon, f"vdi={vdi}&session_id={sid}&format=floppy")
    assert resp.status == 404
    task = resp.getheader("task-id")
    assert task is not None
    assert api.task.get_status(task) == "failure"
    assert api.task.get_error_info(task) == ["INTERNAL_ERROR", "Unknown format floppy"]

    assert get(daemon, f"vdi={vdi}")[0].status == 401  # no session
    assert put(daemon, f"vdi={vdi}&session_id=OpaqueRef:nope", b"x").status == 401
    assert get(daemon, f"session_id={sid}")[0].status == 400  # no vdi
    assert get(daemon, f"vdi=OpaqueRef:nope&session_id={sid}")[0].status == 404

    too_big = put(daemon, f"vdi={vdi}&session_id={sid}", os.urandom(MiB + 1))
    assert too_big.status == 500
    assert api.task.get_error_info(too_big.getheader("task-id")) == ["VDI_TOO_SMALL", vdi, str(MiB + 1)]

    conn = connect(daemon)  # chunked: xapi's import refuses it
    conn.request("PUT", f"/import_raw_vdi?vdi={vdi}&session_id={sid}", iter([b"abc"]), encode_chunked=True)
    assert conn.getresponse().status == 404
    conn.close()

    assert get(daemon, f"vdi={vdi}&session_id={sid}")[1] == data  # nothing above touched the disk
    assert api.VDI.get_virtual_size(vdi) == str(MiB)


def test_the_clients_task_moves_and_cancel_stops_the_transfer(daemon: DaemonProcess, session: XenAPI.Session) -> None:
    api, sid = session.xenapi, session._session
    size = 64 * MiB  # more than the socket buffers hold: the server waits for the client to read
    vdi = new_vdi(session, size, "cancel-me")
    task = api.task.create("export", "client task")
    conn = connect(daemon)
    conn.request("GET", f"/export_raw_vdi?vdi={vdi}&session_id={sid}&task_id={task}")
    resp = conn.getresponse()
    assert resp.status == 200
    assert resp.getheader("task-id") == task
    first = resp.read(MiB)
    assert first == bytes(MiB)  # a disk never written reads as zeros
    progress = float(api.task.get_progress(task))
    assert 0.0 < progress < 1.0  # the client holds the rest back: the export is under way
    assert api.task.get_status(task) == "pending"
    api.task.cancel(task)
    with pytest.raises(http.client.IncompleteRead):
        resp.read()  # cut short: fewer bytes than Content-Length, then the close
    conn.close()
    status = api.task.get_status(task)
    for _ in range(100):  # the server notices the close between two pieces
        if status != "cancelling":
            break
        status = api.task.get_status(task)
    assert status == "cancelled"
    assert api.task.get_error_info(task)[0] == "TASK_CANCELLED"


def peak_rss(daemon: DaemonProcess) -> int:
    """The daemon's peak resident memory (VmHWM), bytes: it never goes down."""
    assert daemon.proc is not None
    for line in Path(f"/proc/{daemon.proc.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def test_a_disk_larger_than_the_daemons_memory_growth_passes_through(daemon: DaemonProcess,
                                                                     session: XenAPI.Session) -> None:  # fmt: skip
    """Bodies stream: moving 2 x 96 MiB raises the daemon's peak memory by far less than one disk."""
    sid = session._session
    size = 96 * MiB
    vdi = new_vdi(session, size, "big")
    piece = os.urandom(MiB)
    before = peak_rss(daemon)
    conn = connect(daemon)
    conn.putrequest("PUT", f"/import_raw_vdi?vdi={vdi}&session_id={sid}")
    conn.putheader("Content-Length", str(size))
    conn.endheaders()
    for _ in range(size // MiB):
        conn.send(piece)
    resp = conn.getresponse()
    resp.read()
    conn.close()
    assert resp.status == 200
    conn = connect(daemon)
    conn.request("GET", f"/export_raw_vdi?vdi={vdi}&session_id={sid}")
    out = conn.getresponse()
    received = 0
    while chunk := out.read(MiB):
        assert chunk == piece[: len(chunk)] or chunk == piece  # every MiB of the disk is the same MiB
        received += len(chunk)
    conn.close()
    assert received == size
    assert peak_rss(daemon) - before < size // 3


@pytest.mark.parametrize(("fmt", "qemu_format", "content_type"),
                         [("vhd", "vpc", "application/vhd"), ("qcow2", "qcow2", "application/x-qemu-disk")])  # fmt: skip
def test_vhd_and_qcow2_exports_hold_the_disk(daemon: DaemonProcess, session: XenAPI.Session, tmp_path: Path,
                                             fmt: str, qemu_format: str, content_type: str) -> None:  # fmt: skip
    api, sid = session.xenapi, session._session
    size = 2 * MiB
    vdi = new_vdi(session, size, f"as-{fmt}")
    data = os.urandom(MiB)
    assert put(daemon, f"vdi={vdi}&session_id={sid}", data).status == 200
    resp, image = get(daemon, f"vdi={vdi}&session_id={sid}&format={fmt}")
    assert resp.status == 200
    assert resp.getheader("Content-Type") == content_type
    assert resp.getheader("Content-Disposition") == f'attachment; filename="{api.VDI.get_uuid(vdi)}.{fmt}"'
    assert api.task.get_status(resp.getheader("task-id")) == "success"
    (tmp_path / "disk").write_bytes(image)
    info = subprocess.run(["qemu-img", "info", "--output=json", str(tmp_path / "disk")], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    assert f'"format": "{qemu_format}"' in info and f'"virtual-size": {size}' in info
    subprocess.run(["qemu-img", "convert", "-q", "-f", qemu_format, "-O", "raw", str(tmp_path / "disk"),
                    str(tmp_path / "disk.raw")], check=True)  # fmt: skip
    assert (tmp_path / "disk.raw").read_bytes() == data + bytes(MiB)
    # and back in: into another disk, bit for bit (xapi's import_raw_vdi takes vhd and qcow2 too)
    other = new_vdi(session, size, f"from-{fmt}")
    resp = put(daemon, f"vdi={other}&session_id={sid}&format={fmt}", image)
    assert resp.status == 200 and api.task.get_status(resp.getheader("task-id")) == "success"
    assert get(daemon, f"vdi={other}&session_id={sid}")[1] == data + bytes(MiB)
    # an image larger than the disk, or not an image of the format, loses nothing
    small = new_vdi(session, MiB, f"small-{fmt}")
    resp = put(daemon, f"vdi={small}&session_id={sid}&format={fmt}", image)
    assert resp.status == 500 and api.task.get_error_info(resp.getheader("task-id"))[0] == "VDI_TOO_SMALL"
    resp = put(daemon, f"vdi={other}&session_id={sid}&format={fmt}", os.urandom(4096))
    assert resp.status == 500 and api.task.get_error_info(resp.getheader("task-id"))[0] == "VDI_IO_ERROR"
    assert get(daemon, f"vdi={other}&session_id={sid}")[1] == data + bytes(MiB)
    # with sr= and no vdi= xapi makes a disk only for raw data: a vhd or qcow2 it refuses
    sr = api.pool.get_default_SR(api.pool.get_all()[0])
    assert put(daemon, f"sr={sr}&session_id={sid}&format={fmt}", image).status == 400


def test_a_raw_import_into_an_sr_makes_the_disk(daemon: DaemonProcess, session: XenAPI.Session) -> None:
    api, sid = session.xenapi, session._session
    sr = api.pool.get_default_SR(api.pool.get_all()[0])
    data = os.urandom(MiB + 512)
    resp = put(daemon, f"sr={api.SR.get_uuid(sr)}&session_id={sid}", data)
    assert resp.status == 200
    task = resp.getheader("task-id")
    assert api.task.get_status(task) == "success"
    vdi = api.task.get_result(task).removeprefix("<value>").removesuffix("</value>")
    rec = api.VDI.get_record(vdi)
    assert (rec["name_label"], rec["SR"], rec["virtual_size"], rec["type"]) == ("Imported VDI", sr, str(len(data)), "user")
    assert get(daemon, f"vdi={vdi}&session_id={sid}")[1] == data
    assert put(daemon, f"sr=OpaqueRef:nope&session_id={sid}", data).status == 404


def test_a_client_that_leaves_midway_fails_the_task(daemon: DaemonProcess, session: XenAPI.Session) -> None:
    api, sid = session.xenapi, session._session
    vdi = new_vdi(session, 64 * MiB, "left")
    conn = connect(daemon)
    conn.request("GET", f"/export_raw_vdi?vdi={vdi}&session_id={sid}")
    resp = conn.getresponse()
    task = resp.getheader("task-id")
    resp.read(MiB)
    resp.close()  # the socket goes with the response, with most of the disk unsent
    conn.close()
    for _ in range(1000):  # the daemon sees the close at its next write
        if api.task.get_status(task) != "pending":
            break
    assert api.task.get_status(task) == "failure"
    assert api.task.get_error_info(task)[0] == "VDI_IO_ERROR"
