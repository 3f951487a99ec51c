"""``GET /export`` and ``PUT /import``: a VM with two disks and a VIF round-trips as an XVA.

The file must be what xapi writes (``export.ml``, ``stream_vdi.ml``): a tar starting with ``ova.xml``
(an XML-RPC struct with ``version`` and ``objects``, each ``{class, id, snapshot}``), then per disk
1 MiB chunks ``Ref:N/00000000`` each followed by ``.checksum`` (SHA-1 hex), all-zero chunks left out
but the first and last.  The import makes a new VM with the same configuration and disk contents.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import io
import os
import subprocess
import tarfile
import xmlrpc.client
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def session(daemon: DaemonProcess) -> Iterator[XenAPI.Session]:
    s = XenAPI.Session(daemon.url)
    s.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "xva")
    yield s
    s.xenapi.session.logout()


def request(daemon: DaemonProcess, method: str, target: str, body: bytes | None = None) -> tuple[int, bytes, str]:
    conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=60)
    try:
        conn.request(method, target, body)
        resp = conn.getresponse()
        return resp.status, resp.read(), resp.getheader("task-id") or ""
    finally:
        conn.close()


def xml_value(xml: bytes) -> Any:
    """One XML-RPC ``<value>`` as Python (ova.xml, a task's result)."""
    (value,), _ = xmlrpc.client.loads(b"<methodResponse><params><param>" + xml + b"</param></params></methodResponse>")
    return value


def make_vm(api: Any, sid: str, daemon: DaemonProcess) -> tuple[str, dict[str, bytes]]:
    vm = api.VM.clone(api.VM.get_by_name_label("Other install media")[0], "xva-source")
    api.VM.set_is_a_template(vm, False)
    api.VM.set_VCPUs_max(vm, "3")
    api.VM.set_VCPUs_at_startup(vm, "2")
    api.VM.set_memory_limits(vm, str(256 * MiB), str(512 * MiB), str(384 * MiB), str(384 * MiB))
    api.VM.set_other_config(vm, {"purpose": "xva round trip"})
    api.VM.set_name_description(vm, "two disks & a <nic>")
    api.VM.set_tags(vm, ["Ref:0", "OpaqueRef-ish"])  # strings that look like ids stay strings
    sr = api.pool.get_default_SR(api.pool.get_all()[0])
    contents = {}
    for device, size, data in (("0", 3 * MiB, os.urandom(3 * MiB)),
                               ("1", 5 * MiB, os.urandom(MiB) + bytes(3 * MiB) + os.urandom(MiB // 2))):  # fmt: skip
        vdi = api.VDI.create({"name_label": f"disk {device}", "SR": sr, "virtual_size": str(size), "type": "user",
                              "sharable": False, "read_only": False, "other_config": {}})  # fmt: skip
        api.VBD.create({"VM": vm, "VDI": vdi, "userdevice": device, "bootable": device == "0", "mode": "RW",
                        "type": "Disk", "empty": False, "other_config": {}, "qos_algorithm_type": "",
                        "qos_algorithm_params": {}})  # fmt: skip
        status, _, _ = request(daemon, "PUT", f"/import_raw_vdi?vdi={vdi}&session_id={sid}", data)
        assert status == 200
        contents[device] = data + bytes(size - len(data))
    network = api.network.get_all()[0]
    api.VIF.create({"VM": vm, "network": network, "device": "0", "MAC": "02:00:00:12:34:56", "MTU": "1500",
                    "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})  # fmt: skip
    return vm, contents


def disks(api: Any, vm: str) -> dict[str, str]:
    out = {}
    for vbd in api.VM.get_VBDs(vm):
        rec = api.VBD.get_record(vbd)
        if rec["type"] == "Disk":
            out[rec["userdevice"]] = rec["VDI"]
    return out


def test_a_vm_with_two_disks_round_trips(daemon: DaemonProcess, session: XenAPI.Session) -> None:
    api, sid = session.xenapi, session._session
    vm, contents = make_vm(api, sid, daemon)

    status, xva, task = request(daemon, "GET", f"/export?uuid={api.VM.get_uuid(vm)}&session_id={sid}")
    assert status == 200
    assert api.task.get_status(task) == "success"
    with tarfile.open(fileobj=io.BytesIO(xva)) as tar:
        members = tar.getmembers()
        assert members[0].name == "ova.xml"
        ova = tar.extractfile(members[0]).read()  # type: ignore[union-attr]
        header = xml_value(ova)
        assert {"version", "objects"} <= set(header)
        classes = sorted(o["class"] for o in header["objects"])
        assert classes.count("VM") == 1 and classes.count("VDI") == 2 and classes.count("VIF") == 1
        ids = {o["id"] for o in header["objects"]}
        assert all(i.startswith("Ref:") for i in ids)
        vm_snapshot = next(o["snapshot"] for o in header["objects"] if o["class"] == "VM")
        assert set(vm_snapshot["VBDs"]) <= ids  # references name exported objects
        assert vm_snapshot["name_description"] == "two disks & a <nic>"
        by_vdi: dict[str, dict[int, bytes]] = {}
        names = [m.name for m in members[1:]]
        for m in members[1:]:
            if m.name.endswith(".checksum"):
                continue
            ident, _, number = m.name.partition("/")
            data = tar.extractfile(m).read()  # type: ignore[union-attr]
            assert names[names.index(m.name) + 1] == m.name + ".checksum"
            checksum = tar.extractfile(m.name + ".checksum").read()  # type: ignore[union-attr]
            assert checksum.decode() == hashlib.sha1(data).hexdigest()
            by_vdi.setdefault(ident, {})[int(number)] = data
    # the second disk's zero chunks 1..3 are left out, its first and last (4) kept
    vdi_sizes = {o["id"]: int(o["snapshot"]["virtual_size"]) for o in header["objects"] if o["class"] == "VDI"}
    big = next(i for i, s in vdi_sizes.items() if s == 5 * MiB)
    assert sorted(by_vdi[big]) == [0, 4]

    sr_uuid = api.SR.get_uuid(api.pool.get_default_SR(api.pool.get_all()[0]))
    status, _, task = request(daemon, "PUT", f"/import?session_id={sid}&sr_uuid={sr_uuid}", xva)
    assert status == 200
    assert api.task.get_status(task) == "success"
    (new_vm,) = xml_value(api.task.get_result(task).encode())
    assert new_vm != vm
    old, new = api.VM.get_record(vm), api.VM.get_record(new_vm)
    for field in ("name_label", "name_description", "tags", "VCPUs_max", "VCPUs_at_startup", "memory_static_max",
                  "memory_dynamic_max", "memory_dynamic_min", "memory_static_min", "other_config", "HVM_boot_params",
                  "HVM_boot_policy", "platform", "is_a_template", "actions_after_crash"):  # fmt: skip
        assert new[field] == old[field], field
    assert new["power_state"] == "Halted"
    new_disks = disks(api, new_vm)
    assert sorted(new_disks) == ["0", "1"]
    for device, vdi in new_disks.items():
        assert vdi not in disks(api, vm).values()
        status, data, _ = request(daemon, "GET", f"/export_raw_vdi?vdi={vdi}&session_id={sid}")
        assert status == 200 and data == contents[device], device
    (vif,) = api.VM.get_VIFs(new_vm)
    assert api.VIF.get_MAC(vif) == "02:00:00:12:34:56"
    assert api.VIF.get_network(vif) == api.VIF.get_network(api.VM.get_VIFs(vm)[0])


def test_a_broken_xva_is_refused_and_leaves_nothing(daemon: DaemonProcess, session: XenAPI.Session) -> None:
    api, sid = session.xenapi, session._session
    vm, _ = make_vm(api, sid, daemon)
    status, xva, _ = request(daemon, "GET", f"/export?ref={vm}&session_id={sid}")
    assert status == 200
    vms, vdis = len(api.VM.get_all()), len(api.VDI.get_all())
    # flip a byte in the first disk chunk: its checksum no longer matches
    chunk_head = xva.find(b"/00000000\x00", 512)  # the first chunk's tar header (after ova.xml)
    assert chunk_head > 0
    data_at = (chunk_head // 512 + 1) * 512
    broken = xva[:data_at] + bytes([xva[data_at] ^ 0xFF]) + xva[data_at + 1 :]
    status, _, task = request(daemon, "PUT", f"/import?session_id={sid}", broken)
    assert status == 500
    assert api.task.get_status(task) == "failure"
    assert api.task.get_error_info(task)[0] == "IMPORT_ERROR"
    assert (len(api.VM.get_all()), len(api.VDI.get_all())) == (vms, vdis)
    assert request(daemon, "PUT", f"/import?session_id={sid}", b"not a tar" * 100)[0] == 500
    api.VM.start(vm, False, False)  # xapi exports a Halted or Suspended VM only
    status, _, task = request(daemon, "GET", f"/export?ref={vm}&session_id={sid}")
    assert status == 500
    assert api.task.get_error_info(task) == ["VM_BAD_POWER_STATE", vm, "halted, suspended", "running"]
    api.VM.hard_shutdown(vm)
    assert request(daemon, "GET", f"/export?ref={vm}")[0] == 401
    assert request(daemon, "GET", f"/export?ref=OpaqueRef:nope&session_id={sid}")[0] == 404
    assert (len(api.VM.get_all()), len(api.VDI.get_all())) == (vms, vdis)


@pytest.mark.parametrize("compression", ["zstd", "gzip"])
def test_a_compressed_export_is_the_same_xva_and_imports(daemon: DaemonProcess, session: XenAPI.Session,
                                                         compression: str, tmp_path: Path) -> None:  # fmt: skip
    api, sid = session.xenapi, session._session
    vm, contents = make_vm(api, sid, daemon)
    status, packed, task = request(daemon, "GET", f"/export?ref={vm}&session_id={sid}&use_compression={compression}")
    assert status == 200 and api.task.get_status(task) == "success"
    assert packed.startswith(b"\x28\xb5\x2f\xfd" if compression == "zstd" else b"\x1f\x8b")
    (tmp_path / "vm.xva.packed").write_bytes(packed)
    if compression == "zstd":  # the zstd tool unpacks it
        subprocess.run(
            ["zstd", "-q", "-d", str(tmp_path / "vm.xva.packed"), "-o", str(tmp_path / "vm.xva")], check=True
        )
        plain = (tmp_path / "vm.xva").read_bytes()
    else:
        plain = gzip.decompress(packed)
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        assert tar.getnames()[0] == "ova.xml"
    status, _, task = request(daemon, "PUT", f"/import?session_id={sid}", packed)
    assert status == 200 and api.task.get_status(task) == "success"
    (new_vm,) = xml_value(api.task.get_result(task).encode())
    assert api.VM.get_name_label(new_vm) == "xva-source"
    for device, vdi in disks(api, new_vm).items():
        assert request(daemon, "GET", f"/export_raw_vdi?vdi={vdi}&session_id={sid}")[1] == contents[device]


def test_cancelling_an_import_midway_leaves_nothing(daemon: DaemonProcess, session: XenAPI.Session) -> None:
    api, sid = session.xenapi, session._session
    vm, _ = make_vm(api, sid, daemon)
    status, xva, _ = request(daemon, "GET", f"/export?ref={vm}&session_id={sid}")
    assert status == 200
    vms, vdis = len(api.VM.get_all()), len(api.VDI.get_all())
    task = api.task.create("import", "client task")
    conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=60)
    conn.putrequest("PUT", f"/import?session_id={sid}&task_id={task}")
    conn.putheader("Content-Length", str(len(xva)))
    conn.endheaders()
    half = len(xva) // 2
    conn.send(xva[:half])
    api.task.cancel(task)
    conn.send(xva[half:])  # chunks arriving after the cancel: the import stops at the first
    resp = conn.getresponse()
    resp.read()
    conn.close()
    assert resp.status == 500
    assert resp.getheader("task-id") == task
    assert api.task.get_status(task) == "cancelled"
    assert (len(api.VM.get_all()), len(api.VDI.get_all())) == (vms, vdis)
