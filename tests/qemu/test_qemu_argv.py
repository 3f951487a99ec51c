"""DomainSpec (+ the driver's launch choices) -> QEMU command line, checked two ways.

* The files in ``golden/`` are hand-written statements of the argv each record needs, one element
  a line with the reason beside it (from qemu.md and the record). They are never generated from
  :mod:`xenia.drivers.qemu.argv`: a change to the argv is a change to these statements, by hand.
* :func:`check_argv_follows_record` states the record -> argv rules on their own (vCPUs, memory,
  each disk, CD, NIC, boot order, console, resume) and Hypothesis applies them to random records.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xenia.drivers.base import DiskKind, DiskMode, DiskSpec, DomainSpec, NicSpec
from xenia.drivers.errors import InvalidArgument
from xenia.drivers.qemu.argv import HOTPLUG_PORTS, Accel, LaunchOptions, build_argv, option_escape

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
            agent_fd=8,
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


def read_statement(path: Path) -> list[str]:
    """The argv a golden file states: one element a line, ``#`` lines and ``  # reasons`` dropped."""
    elements = []
    for line in path.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        elements.append(line.split("  # ", 1)[0])
    return elements


@pytest.mark.parametrize("name", sorted(CASES))
def test_argv_is_the_hand_written_statement(name: str) -> None:
    domain_spec, opts = CASES[name]
    assert build_argv(domain_spec, opts) == read_statement(GOLDEN / f"{name}.argv")


def _values(argv: list[str], option: str) -> list[str]:
    return [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == option]


def _props(value: str) -> dict[str, str]:
    """``a=1,b=2`` -> dict, honouring QEMU's doubled-comma escape."""
    parts = re.split(r"(?<!,),(?!,)", value.replace(",,", "\0"))
    head = [p.replace("\0", ",") for p in parts]
    return dict((p.split("=", 1) + [""])[:2] for p in head)


def check_argv_follows_record(spec: DomainSpec, opts: LaunchOptions, argv: list[str]) -> None:
    """The rules of the record -> QEMU mapping, each written from QEMU's option syntax and qemu.md."""
    assert argv[0] == opts.binary
    assert _values(argv, "-uuid") == [spec.vm_uuid]
    assert _values(argv, "-smp") == [f"{spec.vcpus_at_startup},maxcpus={spec.vcpus_max}"]
    assert _values(argv, "-m") == [f"{-(-spec.memory_static_max // MiB)}M"]
    assert _values(argv, "-machine") == [f"q35,accel={opts.accel.value}"]
    assert "-S" in argv and "-nodefaults" in argv
    assert _values(argv, "-pidfile") == [opts.pidfile]
    assert f"socket,id=qmp,fd={opts.qmp_fd},server=on,wait=off" in _values(argv, "-chardev")
    assert f"socket,id=serial0,fd={opts.serial_fd},server=on,wait=off" in _values(argv, "-chardev")
    assert any(d.startswith("virtio-balloon-pci,") and "deflate-on-oom=on" in d for d in _values(argv, "-device"))
    devices = {p["id"]: (d.split(",", 1)[0], p) for d in _values(argv, "-device") if "id" in (p := _props(d))}
    ports = {i: p for i, (m, p) in devices.items() if m == "pcie-root-port"}
    assert len({p["chassis"] for p in ports.values()}) == len(ports)  # QEMU refuses two ports in one chassis/slot
    assert {i for i in ports if i.startswith("hp")} == {f"hp{n}" for n in range(HOTPLUG_PORTS)}
    # the guest agent's channel exactly when the driver gave its socket
    agent = f"socket,id=agent,fd={opts.agent_fd},server=on,wait=off"
    assert (agent in _values(argv, "-chardev")) == (opts.agent_fd is not None)
    if opts.agent_fd is not None:
        assert devices["agent0"] == ("virtserialport", {"virtserialport": "", "id": "agent0", "bus": "vser0.0",
                                                        "chardev": "agent", "name": "org.qemu.guest_agent.0"})  # fmt: skip
        assert devices["vser0"][0] == "virtio-serial-pci"
    else:
        assert "agent0" not in devices and "vser0" not in devices
    blockdevs = {p["node-name"]: p for p in map(_props, _values(argv, "-blockdev"))}
    kernel = spec.kernel or spec.other_config.get("xenia-qemu-kernel")
    assert _values(argv, "-kernel") == ([kernel] if kernel else [])
    ranks: list[tuple[int, int, int]] = []
    for position, disk in enumerate(spec.disks):
        vid = f"vbd{disk.userdevice}"
        model, dev = devices[vid]
        read_only = disk.kind is DiskKind.CD or disk.mode is DiskMode.RO
        if disk.kind is DiskKind.CD:
            assert (model, dev["bus"]) == ("scsi-cd", "scsi0.0")
            assert "virtio-scsi-pci" in devices["scsi0"][0]
        elif spec.platform.get("disk-bus") == "ide":
            assert model == "ide-hd"
        else:  # in a root port of its own, which VBD.unplug can empty
            assert model == "virtio-blk-pci" and dev["bus"] == f"{vid}-port" and f"{vid}-port" in ports
        if disk.path is None:
            assert "drive" not in dev and f"{vid}-file" not in blockdevs
        else:
            file_node, fmt_node = blockdevs[f"{vid}-file"], blockdevs[dev["drive"]]
            assert (file_node["driver"], file_node["filename"]) == ("file", disk.path)
            assert fmt_node["file"] == f"{vid}-file"
            expected_fmt = "raw" if disk.kind is DiskKind.CD else opts.disk_formats.get(disk.userdevice, "qcow2")
            assert fmt_node["driver"] == expected_fmt
            for node in (file_node, fmt_node):
                assert node.get("read-only") == ("on" if read_only else None)
        if disk.bootable and not kernel:
            letter = "d" if disk.kind is DiskKind.CD else "c"
            rank = spec.boot_order.find(letter) if letter in spec.boot_order else len(spec.boot_order)
            ranks.append((rank, position, int(dev["bootindex"])))
        else:
            assert "bootindex" not in dev
    # boot order: a device class earlier in boot_order boots before any later one
    # (a class missing from boot_order boots after the listed ones; within a class, in VBD order)
    indices = [i for _, _, i in sorted(ranks)]
    assert indices == sorted(indices) and len(set(indices)) == len(indices)
    # each IDE hard disk on its own AHCI port, filled from ide.0 (q35 has ide.0 to ide.5, qemu.md §6)
    ide_buses = [p["bus"] for m, p in devices.values() if m == "ide-hd"]
    assert sorted(ide_buses) == [f"ide.{i}" for i in range(len(ide_buses))]
    assert len([m for m, _ in devices.values() if m in ("virtio-blk-pci", "ide-hd", "scsi-cd")]) == len(spec.disks)
    for nic in spec.nics:
        model, dev = devices[f"vif{nic.device}"]
        assert model == "virtio-net-pci" and dev["mac"] == nic.mac
        assert dev["bus"] == f"vif{nic.device}-port" and dev["bus"] in ports  # its own root port: VIF.unplug
        assert dev.get("host_mtu") == (None if nic.mtu == 1500 else str(nic.mtu))
        netdev = next(_props(v) for v in _values(argv, "-netdev") if _props(v)["id"] == dev["netdev"])
        if nic.device in opts.tap_fds:
            assert "tap" in netdev and netdev["fd"] == str(opts.tap_fds[nic.device])
        else:
            assert "user" in netdev
    in_ports = [d for d in spec.disks if d.kind is DiskKind.DISK and spec.platform.get("disk-bus") != "ide"]
    assert len(ports) == HOTPLUG_PORTS + len(in_ports) + len(spec.nics)
    vnc = spec.platform.get("vnc", "true").lower() not in ("false", "0", "no")
    assert _values(argv, "-vnc") == ([f"127.0.0.1:{opts.vnc_display},to=1000"] if vnc else [])
    assert _values(argv, "-incoming") == (["defer"] if opts.incoming else [])


@pytest.mark.parametrize("name", sorted(CASES))
def test_argv_follows_record_rules(name: str) -> None:
    domain_spec, opts = CASES[name]
    check_argv_follows_record(domain_spec, opts, build_argv(domain_spec, opts))


_paths = st.text(st.sampled_from("abc,/ ._-"), min_size=1, max_size=12).map(lambda s: "/srv/" + s)


@st.composite
def _records(draw: st.DrawFn) -> tuple[DomainSpec, LaunchOptions]:
    vcpus_max = draw(st.integers(1, 16))
    static = draw(st.integers(1, 8192)) * MiB - draw(st.sampled_from([0, 1, MiB // 2]))
    devices = draw(st.lists(st.integers(0, 15), unique=True, max_size=5))
    disks = []
    for d in devices:
        cd = draw(st.booleans())
        path = draw(st.one_of(st.none(), _paths)) if cd else draw(_paths)
        mode = DiskMode.RO if draw(st.booleans()) else DiskMode.RW
        disks.append(DiskSpec(str(d), path, DiskKind.CD if cd else DiskKind.DISK, mode, bootable=draw(st.booleans())))
    nic_devices = draw(st.lists(st.integers(0, 7), unique=True, max_size=3))
    nics = tuple(NicSpec(str(n), f"02:00:00:00:00:{n:02x}", "xenbr0", draw(st.sampled_from([1500, 9000])))
                 for n in nic_devices)  # fmt: skip
    platform = {"disk-bus": draw(st.sampled_from(["virtio", "ide"])), "vnc": draw(st.sampled_from(["true", "false"]))}
    record = spec(
        vcpus_max=vcpus_max,
        vcpus_at_startup=draw(st.integers(1, vcpus_max)),
        memory_static_max=static,
        memory_dynamic_min=1,
        memory_dynamic_max=static,
        memory_target=static,
        disks=tuple(disks),
        nics=nics,
        boot_order=draw(st.sampled_from(["cd", "dc", "c", "d", "n", ""])),
        platform=platform,
        kernel=draw(st.sampled_from([None, "/boot/vmlinuz"])),
    )
    tap_fds = {n.device: 10 + i for i, n in enumerate(nics) if draw(st.booleans())}
    formats = {d.userdevice: draw(st.sampled_from(["qcow2", "raw"])) for d in disks if draw(st.booleans())}
    opts = LaunchOptions(qmp_fd=3, serial_fd=4, pidfile="/run/p.pid", accel=draw(st.sampled_from(list(Accel))),
                         disk_formats=formats, incoming=draw(st.booleans()), vnc_display=draw(st.integers(0, 9)),
                         tap_fds=tap_fds, agent_fd=draw(st.sampled_from([None, 9])))  # fmt: skip
    return record, opts


@settings(max_examples=100, deadline=None)
@given(_records())
def test_random_records_follow_the_rules(case: tuple[DomainSpec, LaunchOptions]) -> None:
    record, opts = case
    check_argv_follows_record(record, opts, build_argv(record, opts))


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
