"""Disk and VM transfer speed over HTTP (docs/export.md) beside ``qemu-img convert`` of the same disk.

One disk of ``--mib`` MiB (random data, so no chunk is skipped as zeros) in a simulator VDI of a
daemon, moved file to file, each way timed from the first byte to the last:

* ``PUT /import_raw_vdi``: a raw file on this machine into the VDI (http.client, 1 MiB pieces);
* ``GET /export_raw_vdi``: the VDI into a raw file;
* ``GET /export`` of a VM holding that disk: the XVA (ova.xml, 1 MiB chunks each with its SHA-1)
  into a file; ``PUT /import`` of that file: a new VM with a copy of the disk;
* the peer, in the same run: ``qemu-img convert -f raw -O raw`` of the VDI's contents file (the
  same disk image file) into a new file: what the disk, the page cache and QEMU's own copier
  allow, with no HTTP, no daemon, no checksums;

each beside the peer as a ratio of speeds (the issue sets no figure: it asks for the comparison),
and the daemon's peak memory before and after (the bodies stream: it should grow by far less than
the disk).

Runs as a child subreaper (``_common.run_as_subreaper``), peers and all: orphaned descendants are
reaped as soon as they exit, as init does on a normal host, and the output says how long they
waited.

Run: .venv/bin/python bench/export.py [--mib N]
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import tempfile
import time
import xmlrpc.client
from pathlib import Path
from typing import Any

import XenAPI
from _common import run_as_subreaper

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

MiB = 1024 * 1024


def peak_rss(daemon: DaemonProcess) -> int:
    assert daemon.proc is not None
    for line in Path(f"/proc/{daemon.proc.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM")


def upload(daemon: DaemonProcess, target: str, source: Path) -> tuple[float, str]:
    """PUT the file ``source``; (seconds, task ref)."""
    conn = http.client.HTTPConnection("127.0.0.1", daemon.port)
    began = time.perf_counter()
    conn.putrequest("PUT", target)
    conn.putheader("Content-Length", str(source.stat().st_size))
    conn.endheaders()
    with source.open("rb") as f:
        while piece := f.read(MiB):
            conn.send(piece)
    resp = conn.getresponse()
    resp.read()
    took = time.perf_counter() - began
    conn.close()
    assert resp.status == 200, (target, resp.status)
    return took, resp.getheader("task-id") or ""


def download(daemon: DaemonProcess, target: str, dest: Path) -> float:
    """GET into the file ``dest``; seconds."""
    conn = http.client.HTTPConnection("127.0.0.1", daemon.port)
    began = time.perf_counter()
    conn.request("GET", target)
    resp = conn.getresponse()
    assert resp.status == 200, (target, resp.status)
    with dest.open("wb") as f:
        while chunk := resp.read(MiB):
            f.write(chunk)
    took = time.perf_counter() - began
    conn.close()
    return took


def contents_file(daemon: DaemonProcess, api: Any, vdi: str) -> Path:
    found = next(daemon.state_dir.rglob(f"{api.VDI.get_uuid(vdi)}*.data"), None)
    assert found is not None, "the simulator disk's contents file"
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=512, help="disk size in MiB (default 512)")
    args = parser.parse_args()
    size = args.mib * MiB
    one, five, _ = os.getloadavg()
    print(f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="xenia-bench-export-") as tmp, DaemonProcess() as daemon:
        files = Path(tmp)
        raw = files / "disk.raw"
        with raw.open("wb") as f:
            for _ in range(args.mib):
                f.write(os.urandom(MiB))
        session = XenAPI.Session(daemon.url)
        session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "bench-export")
        api, sid = session.xenapi, session._session
        sr = api.pool.get_default_SR(api.pool.get_all()[0])
        vdi = api.VDI.create({"name_label": "bench", "SR": sr, "virtual_size": str(size), "type": "user",
                              "sharable": False, "read_only": False, "other_config": {}})  # fmt: skip
        vm = api.VM.clone(api.VM.get_by_name_label("Other install media")[0], "bench-export")
        api.VM.set_is_a_template(vm, False)
        api.VBD.create({"VM": vm, "VDI": vdi, "userdevice": "0", "bootable": True, "mode": "RW", "type": "Disk",
                        "empty": False, "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})  # fmt: skip
        memory_before = peak_rss(daemon)

        times: dict[str, float] = {}
        times["PUT /import_raw_vdi"], _ = upload(daemon, f"/import_raw_vdi?vdi={vdi}&session_id={sid}", raw)
        disk = contents_file(daemon, api, vdi)
        assert disk.read_bytes()[:MiB] == raw.read_bytes()[:MiB], "the imported disk holds the file"
        times["GET /export_raw_vdi"] = download(daemon, f"/export_raw_vdi?vdi={vdi}&session_id={sid}", files / "out.raw")
        assert (files / "out.raw").stat().st_size == size
        (files / "out.raw").unlink()
        xva = files / "vm.xva"
        times["GET /export (XVA)"] = download(daemon, f"/export?ref={vm}&session_id={sid}", xva)
        times["PUT /import (XVA)"], task = upload(daemon, f"/import?session_id={sid}", xva)
        assert api.task.get_status(task) == "success"
        answer = b"<methodResponse><params><param>" + api.task.get_result(task).encode() + b"</param></params></methodResponse>"
        (refs,), _ = xmlrpc.client.loads(answer)
        new_vm: Any = refs[0]  # type: ignore[index]
        assert new_vm != vm
        xva.unlink()

        began = time.perf_counter()
        subprocess.run(["qemu-img", "convert", "-f", "raw", "-O", "raw", str(disk), str(files / "peer.raw")],
                       check=True)  # fmt: skip
        peer = time.perf_counter() - began
        memory_after = peak_rss(daemon)
        session.xenapi.session.logout()

    print(f"disk of {args.mib} MiB (random data), file to file; the peer is qemu-img convert of the same disk file")
    print(f"  {'transfer':<24} {'s':>7} {'MiB/s':>8} {'speed / peer':>13}")
    print(f"  {'qemu-img convert (peer)':<24} {peer:>7.2f} {args.mib / peer:>8.0f} {1.0:>13.2f}")
    for name, took in times.items():
        print(f"  {name:<24} {took:>7.2f} {args.mib / took:>8.0f} {peer / took:>13.2f}")
    print(f"daemon peak memory {memory_before / MiB:.0f} MiB before, {memory_after / MiB:.0f} MiB after")


if __name__ == "__main__":
    run_as_subreaper(main)
