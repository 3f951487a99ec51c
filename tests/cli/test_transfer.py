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
    bad = xe("vdi-export", f"uuid={vdi}", f"filename={tmp_path / 'x.tar'}", "format=tar")
    assert bad.rc == 1
    assert "INTERNAL_ERROR" in bad.err
    xe.ok("vdi-export", f"uuid={vdi}", f"filename={tmp_path / 'again.raw'}")
    assert (tmp_path / "again.raw").read_bytes() == data  # the refused import changed nothing


def test_a_vm_goes_to_an_xva_file_and_comes_back_as_a_new_vm(xe: Xe, api: Session, tmp_path: Path) -> None:
    x = api.xenapi
    sr = x.pool.get_default_SR(x.pool.get_all()[0])
    vm = xe.ok("vm-install", "template=Other install media", "new-name-label=cli-xva").out.strip()
    vdi_uuid = xe.ok("vdi-create", f"sr-uuid={x.SR.get_uuid(sr)}", "name-label=cli-xva-disk",
                     f"virtual-size={2 * MiB}").out.strip()  # fmt: skip
    vm_ref, vdi = x.VM.get_by_uuid(vm), x.VDI.get_by_uuid(vdi_uuid)
    x.VBD.create({"VM": vm_ref, "VDI": vdi, "userdevice": "3", "bootable": False, "mode": "RW", "type": "Disk",
                  "empty": False, "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})  # fmt: skip
    data = os.urandom(2 * MiB)
    (tmp_path / "disk.raw").write_bytes(data)
    xe.ok("vdi-import", f"uuid={vdi_uuid}", f"filename={tmp_path / 'disk.raw'}")

    xe.ok("vm-export", f"vm={vm}", f"filename={tmp_path / 'vm.xva'}")
    new = xe.ok("vm-import", f"filename={tmp_path / 'vm.xva'}", f"sr-uuid={x.SR.get_uuid(sr)}").out.strip()
    assert new != vm
    new_ref = x.VM.get_by_uuid(new)
    assert x.VM.get_name_label(new_ref) == "cli-xva"
    (vbd,) = [v for v in x.VM.get_VBDs(new_ref) if x.VBD.get_userdevice(v) == "3"]
    new_vdi = x.VDI.get_uuid(x.VBD.get_VDI(vbd))
    assert new_vdi != vdi_uuid
    xe.ok("vdi-export", f"uuid={new_vdi}", f"filename={tmp_path / 'back.raw'}")
    assert (tmp_path / "back.raw").read_bytes() == data

    (tmp_path / "junk.xva").write_bytes(b"junk" * 1000)
    bad = xe("vm-import", f"filename={tmp_path / 'junk.xva'}")
    assert bad.rc == 1
    assert "IMPORT_ERROR" in bad.err
