"""Pure pieces: the newc writer, the module closure of the test guest, domain records."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

from xenia.drivers.base import DiskKind, DiskMode, DiskSpec, DomainSpec, NicSpec, ShutdownReason
from xenia.drivers.qemu.argv import Accel
from xenia.drivers.qemu.record import DomainRecord
from xenia.testing.guest import GUEST_MODULES, _find_kernel, _module_closure, write_newc


def test_newc_archive_unpacks_with_busybox_cpio(tmp_path: Path) -> None:
    archive = write_newc(
        [
            ("dir", stat.S_IFDIR | 0o755, b"", (0, 0)),
            ("dir/file.txt", stat.S_IFREG | 0o644, b"hello, odd length", (0, 0)),
            ("dir/link", stat.S_IFLNK | 0o777, b"file.txt", (0, 0)),
        ]
    )
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(["busybox", "cpio", "-i", "-d"], input=archive, cwd=out, check=True, capture_output=True)
    assert (out / "dir" / "file.txt").read_bytes() == b"hello, odd length"
    assert (out / "dir" / "link").is_symlink() and (out / "dir" / "link").read_text() == "hello, odd length"


def test_module_closure_loads_dependencies_first() -> None:
    order = _module_closure(Path("/lib/modules") / _find_kernel(), GUEST_MODULES)
    names = [Path(p).name.split(".ko")[0] for p in order]
    assert names.index("virtio") < names.index("virtio_pci") and names.index("scsi_mod") < names.index("sr_mod")
    assert len(names) == len(set(names))


def test_domain_record_round_trips() -> None:
    spec = DomainSpec(
        vm_uuid="u",
        name="n",
        vcpus_max=2,
        vcpus_at_startup=1,
        memory_static_max=4,
        memory_dynamic_min=1,
        memory_dynamic_max=4,
        memory_target=2,
        disks=(DiskSpec("0", "/a"), DiskSpec("3", None, DiskKind.CD, DiskMode.RO, True)),
        nics=(NicSpec("0", "02:00:00:00:00:01", "xenbr0", 9000),),
        platform={"vnc": "false"},
        other_config={"k": "v"},
        boot_order="dc",
    )
    record = DomainRecord(spec, 7, Accel.TCG, 1.5, 2, {"3": None}, ["3"], ShutdownReason.SUSPEND)
    again = DomainRecord.from_json(record.to_json())
    assert again == record and again.spec == spec
