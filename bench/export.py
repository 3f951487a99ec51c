"""Raw disk transfer speed through ``/import_raw_vdi`` and ``/export_raw_vdi`` (docs/export.md).

Moves a disk of ``--mib`` MiB into and out of a simulator VDI over HTTP (http.client, 1 MiB pieces)
and prints MiB/s beside its peer measured in the same run: the same bytes copied from the VDI's
contents file to /dev/null by ``cat`` (what the disk and page cache allow, with no HTTP and no
daemon), and the daemon's peak memory before and after (the bodies stream: it should grow by far
less than the disk).

Run: .venv/bin/python bench/export.py [--mib N]
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import time
from pathlib import Path

import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

MiB = 1024 * 1024


def peak_rss(daemon: DaemonProcess) -> int:
    assert daemon.proc is not None
    for line in Path(f"/proc/{daemon.proc.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=512, help="disk size in MiB (default 512)")
    args = parser.parse_args()
    size = args.mib * MiB
    piece = os.urandom(MiB)
    with DaemonProcess() as daemon:
        session = XenAPI.Session(daemon.url)
        session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "bench-export")
        api, sid = session.xenapi, session._session
        sr = api.pool.get_default_SR(api.pool.get_all()[0])
        vdi = api.VDI.create({"name_label": "bench", "SR": sr, "virtual_size": str(size), "type": "user",
                              "sharable": False, "read_only": False, "other_config": {}})  # fmt: skip
        memory_before = peak_rss(daemon)

        conn = http.client.HTTPConnection("127.0.0.1", daemon.port)
        began = time.perf_counter()
        conn.putrequest("PUT", f"/import_raw_vdi?vdi={vdi}&session_id={sid}")
        conn.putheader("Content-Length", str(size))
        conn.endheaders()
        for _ in range(args.mib):
            conn.send(piece)
        status = conn.getresponse().status
        upload = time.perf_counter() - began
        conn.close()
        assert status == 200, status

        conn = http.client.HTTPConnection("127.0.0.1", daemon.port)
        began = time.perf_counter()
        conn.request("GET", f"/export_raw_vdi?vdi={vdi}&session_id={sid}")
        resp = conn.getresponse()
        received = 0
        while chunk := resp.read(MiB):
            received += len(chunk)
        download = time.perf_counter() - began
        conn.close()
        assert received == size, received

        contents = next(daemon.state_dir.rglob(f"{api.VDI.get_uuid(vdi)}*.data"), None)
        assert contents is not None, "the simulator disk's contents file"
        began = time.perf_counter()
        subprocess.run(["cat", str(contents)], stdout=subprocess.DEVNULL, check=True)
        peer = time.perf_counter() - began
        memory_after = peak_rss(daemon)
        session.xenapi.session.logout()

    print(f"disk {args.mib} MiB")
    print(f"import_raw_vdi {args.mib / upload:8.0f} MiB/s   export_raw_vdi {args.mib / download:8.0f} MiB/s   "
          f"peer (cat of the contents file) {args.mib / peer:8.0f} MiB/s")  # fmt: skip
    print(f"daemon peak memory {memory_before / MiB:.0f} MiB before, {memory_after / MiB:.0f} MiB after")


if __name__ == "__main__":
    main()
