"""Golden tests: DomainSpec (+ the driver's launch choices) -> QEMU command line.

Regenerate with ``XENIA_REGEN_GOLDEN=1 pytest tests/qemu/test_qemu_argv.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from xenia.drivers.base import DiskKind, DiskMode, DiskSpec, DomainSpec, NicSpec
from xenia.drivers.errors import InvalidArgument
from xenia.drivers.qemu.argv import Accel, LaunchOptions, build_argv, option_escape

GOLDEN = Path(__file__).parent / "golden"
MiB = 1024 * 1024
UUID = "6b1e3c9a-0d5f-4c2e-9a57-1f6f2b8e4d10"


def spec(**kw: object) -> DomainSpec:
    base: dict[str, object] = {
        "vm_uuid": UUID,
        "name": "web-01",
        "vcpus_max": 4,
        "vcpus_at_startup": 2,
        "memory_static_max": 1024 * MiB,
        "memory_dynamic_min": 512 * MiB,
        "memory_dynamic_max": 1024 * MiB,
        "memory_target": 768 * MiB,
    }
    base.update(kw)
    return DomainSpec(**base)  # type: ignore[arg-type]


OPTS = LaunchOptions(qmp_fd=3, serial_fd=4, pidfile="/var/lib/xenia/qemu/d7/qemu.pid")

CASES: dict[str, tuple[DomainSpec, LaunchOptions]] = {
    "minimal": (spec(platform={"vnc": "false"}), OPTS),
    "full": (
        spec(
            disks=(
                DiskSpec("0", "/srv/sr/os.qcow2", bootable=True),
                DiskSpec("1", "/srv/sr/data,1.img", mode=DiskMode.RO),
                DiskSpec("3", "/srv/iso/install.iso", DiskKind.CD, DiskMode.RO, bootable=True),
                DiskSpec("4", None, DiskKind.CD, DiskMode.RO),
            ),
            nics=(NicSpec("0", "02:00:00:00:00:01", "xenbr0"), NicSpec("1", "02:00:00:00:00:02", "br-lan", 9000)),
            boot_order="dc",
        ),
        LaunchOptions(
            qmp_fd=3,
            serial_fd=4,
            pidfile="/var/lib/xenia/qemu/d7/qemu.pid",
            accel=Accel.KVM,
            disk_formats={"0": "qcow2", "1": "raw"},
            tap_fds={"1": 7},
        ),
    ),
    "ide-kernel-resume": (
        spec(
            disks=(DiskSpec("0", "/srv/sr/os.qcow2"),),
            platform={"disk-bus": "ide", "vnc": "false"},
            other_config={
                "xenia-qemu-kernel": "/boot/vmlinuz",
                "xenia-qemu-initrd": "/boot/initrd.gz",
                "xenia-qemu-cmdline": "console=ttyS0 quiet",
            },
        ),
        LaunchOptions(qmp_fd=5, serial_fd=6, pidfile="/run/x/d9/qemu.pid", incoming=True, vnc_display=3),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_argv(name: str) -> None:
    domain_spec, opts = CASES[name]
    text = "\n".join(build_argv(domain_spec, opts)) + "\n"
    path = GOLDEN / f"{name}.argv"
    if os.environ.get("XENIA_REGEN_GOLDEN"):
        path.write_text(text)
    assert text == path.read_text()


def test_argv_is_deterministic() -> None:
    domain_spec, opts = CASES["full"]
    assert build_argv(domain_spec, opts) == build_argv(domain_spec, opts)


@pytest.mark.parametrize(
    "bad",
    [
        {"vcpus_at_startup": 5},
        {"vcpus_at_startup": 0},
        {"memory_target": 2048 * MiB},
        {"memory_dynamic_min": 0},
        {"disks": (DiskSpec("0", "/a"), DiskSpec("0", "/b"))},
        {"disks": (DiskSpec("x", "/a"),)},
        {"disks": (DiskSpec("0", None),)},
        {"platform": {"disk-bus": "scsi"}},
    ],
)
def test_inconsistent_specs_are_rejected(bad: dict[str, object]) -> None:
    with pytest.raises(InvalidArgument):
        build_argv(spec(**bad), OPTS)


def test_option_escape_doubles_commas() -> None:
    assert option_escape("/a,b,,c") == "/a,,b,,,,c"


def test_kernel_fields_boot_directly_and_win_over_other_config() -> None:
    """``DomainSpec.kernel``/``initrd``/``cmdline`` (XenAPI PV_kernel/PV_ramdisk/PV_args) give
    ``-kernel``/``-initrd``/``-append``; the older ``other_config`` keys are a fallback only."""
    legacy = {"xenia-qemu-kernel": "/old/vmlinuz", "xenia-qemu-initrd": "/old/initrd"}
    argv = build_argv(spec(kernel="/k/vmlinuz", initrd="/k/initrd.gz", cmdline="console=ttyS0", other_config=legacy),
                      OPTS)  # fmt: skip
    at = argv.index("-kernel")
    assert argv[at : at + 6] == ["-kernel", "/k/vmlinuz", "-initrd", "/k/initrd.gz", "-append", "console=ttyS0"]
    bare = build_argv(spec(kernel="/k/vmlinuz"), OPTS)
    assert "-kernel" in bare and "-initrd" not in bare and "-append" not in bare
    assert build_argv(spec(other_config=legacy), OPTS).count("/old/vmlinuz") == 1
    # the kernel loader's ROM holds bootindex 0: bootable disks get none (QEMU refuses duplicates)
    disks = (DiskSpec("0", "/srv/os.qcow2", bootable=True), DiskSpec("3", None, DiskKind.CD, bootable=True))
    assert not any("bootindex" in a for a in build_argv(spec(kernel="/k/vmlinuz", disks=disks), OPTS))
    assert any("bootindex=0" in a for a in build_argv(spec(disks=disks), OPTS))
