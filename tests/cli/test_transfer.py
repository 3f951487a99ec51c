"""``xenia vdi-import`` / ``vdi-export`` (xe's names and parameters) against a real daemon."""

from __future__ import annotations

import os
from pathlib import Path

from tests.cli.conftest import Xe
from xenia.client import Session

MiB = 1024 * 1024


def test_a_file_goes_into_a_disk_and_comes_back(xe: Xe, api: Session, tmp_path: Path) -> None:
    sr = api.xenapi.SR.get_uuid(api.xenapi.pool.get_default_SR(api.xenapi.pool.get_all()[0]))
    vdi = xe.ok("vdi-create", f"sr-uuid={sr}", "name-label=transfer", f"virtual-size={3 * MiB}").out.strip()
    data = os.urandom(3 * MiB)
    (tmp_path / "in.raw").write_bytes(data)
    xe.ok("vdi-import", f"uuid={vdi}", f"filename={tmp_path / 'in.raw'}")
    xe.ok("vdi-export", f"uuid={vdi}", f"filename={tmp_path / 'out.raw'}", "format=raw")
    assert (tmp_path / "out.raw").read_bytes() == data

    # over the local socket too (root without a password)
    local = xe("vdi-export", f"uuid={vdi}", f"filename={tmp_path / 'local.raw'}",
               env={"XENIA_URL": str(xe.daemon.socket_path)}, drop=("XENIA_PASSWORD",))  # fmt: skip
    assert local.rc == 0, local.err
    assert (tmp_path / "local.raw").read_bytes() == data

    (tmp_path / "big.raw").write_bytes(bytes(3 * MiB + 1))
    too_big = xe("vdi-import", f"uuid={vdi}", f"filename={tmp_path / 'big.raw'}")
    assert too_big.rc == 1
    assert "VDI_TOO_SMALL" in too_big.err
    bad = xe("vdi-export", f"uuid={vdi}", f"filename={tmp_path / 'x.vhd'}", "format=vhd")
    assert bad.rc == 1
    assert "INTERNAL_ERROR" in bad.err
    xe.ok("vdi-export", f"uuid={vdi}", f"filename={tmp_path / 'again.raw'}")
    assert (tmp_path / "again.raw").read_bytes() == data  # the refused import changed nothing
