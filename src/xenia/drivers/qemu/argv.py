"""The QEMU command line for a domain: a pure function of the spec and the driver's choices.

Everything QEMU is told about a VM comes from here, so the same inputs always give the same argv.
That matters twice: hand-written statements (tests/qemu/golden) pin the output, and resume after
suspend needs the *identical* device set on the destination (a missing device makes QEMU refuse
the stream; qemu.md §3).

Choices worth knowing:

* ``-S`` always: a domain is created paused (the protocol's contract), ops unpauses it.
* ``-action shutdown=pause,panic=pause``: a guest poweroff or panic leaves the process alive in
  status ``shutdown``/``guest-panicked`` so the driver can report SHUTDOWN(reason) and ops decides.
  Reboots keep QEMU's default (reset in place) because ``reboot=shutdown`` would also turn the
  host's own ``system_reset`` (and SeaBIOS's second reset after it) into a shutdown; the driver
  stops a guest that resets itself and reports SHUTDOWN(REBOOT) instead (see :mod:`.domain`).
* The QMP monitor and the serial console are sockets the driver binds itself and passes in as
  file descriptors (``fd=``), so they exist before QEMU runs: no poll-connect loop at start.
* CD drives are ``scsi-cd`` on virtio-scsi: q35's built-in AHCI is invisible to Debian's cloud
  kernel, and a CD the guest cannot see cannot be locked by it.
* Every domain has the virtio-scsi controller (hot-plugged disks go on it) and
  :data:`HOTPLUG_PORTS` empty ``pcie-root-port`` s ``hp0``, ``hp1``... (q35's root bus takes no
  hot-plugged device; a hot-plugged NIC goes into a port): see :mod:`.hotplug`.
* Every virtio disk and NIC present at boot sits in a ``pcie-root-port`` of its own
  (``vbd<n>-port``, ``vif<n>-port``), so ``VBD.unplug``/``VIF.unplug`` can take it away from a
  running guest like a hot-plugged one (a device on q35's root bus can never leave).  IDE disks and
  CD drives stay fixed.
* With :attr:`LaunchOptions.agent_fd` a virtio-serial port ``org.qemu.guest_agent.0`` leads to the
  guest agent (qemu-ga), on a socket the driver bound: see :mod:`.agent`.
* A virtio balloon with ``deflate-on-oom=on`` (without it a guest ballooned too far panics).
* Ids are derived from the XenAPI device positions: disk ``vbd<userdevice>``, NIC ``vif<device>``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from xenia.drivers.base import DiskKind, DiskMode, DiskSpec, DomainSpec, NicSpec
from xenia.drivers.errors import InvalidArgument

__all__ = [
    "Accel",
    "HOTPLUG_PORTS",
    "LaunchOptions",
    "build_argv",
    "validate",
    "disk_id",
    "nic_id",
    "option_escape",
    "port_id",
]

MiB = 1024 * 1024
#: empty PCIe root ports every domain has for hot-plugged NICs
HOTPLUG_PORTS = 2
#: the virtio-serial port name the QEMU guest agent opens in the guest (QEMU's convention)
AGENT_CHANNEL = "org.qemu.guest_agent.0"
#: the qdev id of that port (its VSERPORT_CHANGE events name it)
AGENT_PORT_ID = "agent0"

#: ``platform`` key choosing the bus of hard disks: ``virtio`` (default) or ``ide``.
PLATFORM_DISK_BUS = "disk-bus"
#: ``platform`` key: ``false`` leaves out the graphical (VNC) console.
PLATFORM_VNC = "vnc"
#: ``other_config`` keys for direct kernel boot, used when :attr:`DomainSpec.kernel` is not set
#: (ops fills that from XenAPI ``PV_kernel``/``PV_ramdisk``/``PV_args``; these keys predate it and
#: serve tests and benchmarks that build specs by hand).
OTHER_KERNEL = "xenia-qemu-kernel"
OTHER_INITRD = "xenia-qemu-initrd"
OTHER_CMDLINE = "xenia-qemu-cmdline"


class Accel(enum.Enum):
    """The accelerator QEMU runs the guest with."""

    KVM = "kvm"
    TCG = "tcg"

    @property
    def cpu_model(self) -> str:
        """A CPU model that starts under this accelerator.

        Under KVM ``host`` minus ``arch-capabilities``: plain ``host``/``max`` abort on the nested
        PVM KVM of these machines (MSR 0x10a); TCG takes ``max``.
        """
        return "host,-arch-capabilities" if self is Accel.KVM else "max"


@dataclass(frozen=True, slots=True)
class LaunchOptions:
    """What the driver decided for this launch, beyond the spec.

    :param qmp_fd: listening socket for the QMP monitor, inherited by QEMU.
    :param serial_fd: listening socket for the serial console, inherited by QEMU.
    :param pidfile: where QEMU writes its pid (found again on adoption).
    :param disk_formats: image format per disk ``userdevice`` (``qcow2`` or ``raw``); probed by
        the driver so this function stays free of I/O.
    :param incoming: start waiting for a migration stream (``-incoming defer``), for resume.
    :param vnc_display: first VNC display number to try (port 5900 + n) on 127.0.0.1.
    :param tap_fds: tap device descriptor per NIC ``device`` for NICs on a host bridge (opened by
        the driver, see :mod:`.net`); every other NIC gets user networking.
    :param agent_fd: see the attribute.
    """

    qmp_fd: int
    serial_fd: int
    pidfile: str
    accel: Accel = Accel.TCG
    binary: str = "qemu-system-x86_64"
    disk_formats: Mapping[str, str] = field(default_factory=dict)
    incoming: bool = False
    vnc_display: int = 0
    tap_fds: Mapping[str, int] = field(default_factory=dict)
    #: listening socket for the guest agent's channel (None: the domain has no agent channel)
    agent_fd: int | None = None


def option_escape(value: str) -> str:
    """Escape a value for QEMU's ``key=value,...`` option syntax (commas are doubled)."""
    return value.replace(",", ",,")


def disk_id(userdevice: str) -> str:
    """The qdev id of the disk at XenAPI position ``userdevice``."""
    return f"vbd{userdevice}"


def nic_id(device: str) -> str:
    """The qdev id of the NIC at XenAPI position ``device``."""
    return f"vif{device}"


def port_id(qdev_id: str) -> str:
    """The id of the PCIe root port a disk or NIC present at boot sits in (see the module notes)."""
    return f"{qdev_id}-port"


def _memory_mib(spec: DomainSpec) -> int:
    if spec.memory_static_max <= 0:
        raise InvalidArgument(f"memory_static_max must be positive, got {spec.memory_static_max}")
    return -(-spec.memory_static_max // MiB)


def validate(spec: DomainSpec) -> None:
    """Check the spec's vCPU and memory ordering and device names.

    :raises InvalidArgument: with the rule that is broken.
    """
    if not 0 < spec.vcpus_at_startup <= spec.vcpus_max:
        raise InvalidArgument(
            f"VCPU values must satisfy 0 < vcpus_at_startup <= vcpus_max "
            f"(got {spec.vcpus_at_startup}, {spec.vcpus_max})"
        )
    if not (0 < spec.memory_dynamic_min <= spec.memory_target <= spec.memory_dynamic_max <= spec.memory_static_max):
        raise InvalidArgument(
            "memory must satisfy 0 < dynamic_min <= target <= dynamic_max <= static_max "
            f"(got {spec.memory_dynamic_min}, {spec.memory_target}, {spec.memory_dynamic_max}, "
            f"{spec.memory_static_max})"
        )
    seen_disks = [d.userdevice for d in spec.disks]
    seen_nics = [n.device for n in spec.nics]
    for what, seen in (("disk userdevice", seen_disks), ("NIC device", seen_nics)):
        if len(set(seen)) != len(seen):
            raise InvalidArgument(f"duplicate {what} in {seen}")
        for name in seen:
            if not name.isdigit():
                raise InvalidArgument(f"{what} must be a number, got {name!r}")
    bus = spec.platform.get(PLATFORM_DISK_BUS, "virtio")
    if bus not in ("virtio", "ide"):
        raise InvalidArgument(f"platform {PLATFORM_DISK_BUS} must be virtio or ide, got {bus!r}")


def _kernel(spec: DomainSpec) -> tuple[str | None, str | None, str]:
    """Kernel, initrd and command line to boot directly: the spec's fields, else ``other_config``'s."""
    if spec.kernel:
        return spec.kernel, spec.initrd, spec.cmdline
    oc = spec.other_config
    return oc.get(OTHER_KERNEL) or None, oc.get(OTHER_INITRD), oc.get(OTHER_CMDLINE, "")


def _boot_args(spec: DomainSpec) -> list[str]:
    """``-kernel``/``-initrd``/``-append`` for direct kernel boot."""
    kernel, initrd, cmdline = _kernel(spec)
    if not kernel:
        return []
    args = ["-kernel", kernel]
    if initrd:
        args += ["-initrd", initrd]
    if cmdline:
        args += ["-append", cmdline]
    return args


def _bootindex(spec: DomainSpec, disk: DiskSpec) -> str:
    """``,bootindex=N`` for bootable disks, ordered by ``boot_order`` (c = disk, d = CD).

    None when a kernel is booted directly: QEMU gives its loader ROM bootindex 0 and refuses a
    second device with it, and the firmware never reaches a disk after the kernel anyway.
    """
    if not disk.bootable or _kernel(spec)[0]:
        return ""
    letter = "d" if disk.kind is DiskKind.CD else "c"
    rank = spec.boot_order.find(letter)
    rank = len(spec.boot_order) if rank < 0 else rank
    position = [d.userdevice for d in spec.disks].index(disk.userdevice)
    return f",bootindex={rank * 100 + position}"


def _disk_args(spec: DomainSpec, disk: DiskSpec, fmt: str, ide_slot: int, chassis: int) -> list[str]:
    did = disk_id(disk.userdevice)
    ro = disk.kind is DiskKind.CD or disk.mode is DiskMode.RO
    ro_opt = ",read-only=on" if ro else ""
    args: list[str] = []
    if disk.path is not None:
        args += [
            "-blockdev",
            f"driver=file,node-name={did}-file,filename={option_escape(disk.path)}{ro_opt}",
            "-blockdev",
            f"driver={fmt},node-name={did}-fmt,file={did}-file{ro_opt}",
        ]
    elif disk.kind is DiskKind.DISK:
        raise InvalidArgument(f"disk {disk.userdevice} has no image (only a CD drive may be empty)")
    drive = f",drive={did}-fmt" if disk.path is not None else ""
    boot = _bootindex(spec, disk)
    if disk.kind is DiskKind.CD:
        args += ["-device", f"scsi-cd,id={did},bus=scsi0.0{drive}{boot}"]
    elif spec.platform.get(PLATFORM_DISK_BUS, "virtio") == "ide":
        args += ["-device", f"ide-hd,id={did},bus=ide.{ide_slot}{drive}{boot}"]
    else:
        args += ["-device", f"pcie-root-port,id={port_id(did)},chassis={chassis}"]
        args += ["-device", f"virtio-blk-pci,id={did},bus={port_id(did)}{drive}{boot}"]
    return args


def _in_port(spec: DomainSpec, disk: DiskSpec) -> bool:
    """Whether the disk sits in a root port of its own (a virtio disk: see the module notes)."""
    return disk.kind is DiskKind.DISK and spec.platform.get(PLATFORM_DISK_BUS, "virtio") != "ide"


def _nic_args(nic: NicSpec, tap_fds: Mapping[str, int], chassis: int) -> list[str]:
    nid = nic_id(nic.device)
    if nic.device in tap_fds:
        netdev = f"tap,id=net{nic.device},fd={tap_fds[nic.device]}"
    else:
        netdev = f"user,id=net{nic.device}"
    mtu = f",host_mtu={nic.mtu}" if nic.mtu != 1500 else ""
    return ["-netdev", netdev, "-device", f"pcie-root-port,id={port_id(nid)},chassis={chassis}",
            "-device", f"virtio-net-pci,id={nid},bus={port_id(nid)},netdev=net{nic.device},mac={nic.mac}{mtu}"]


def build_argv(spec: DomainSpec, opts: LaunchOptions) -> list[str]:
    """Return the full QEMU argv (binary first) for ``spec``.

    :raises InvalidArgument: the spec is inconsistent (vCPU/memory order, duplicate devices, ...).
    """
    validate(spec)
    argv = [
        opts.binary,
        "-name",
        f"guest={option_escape(spec.name or spec.vm_uuid)}",
        "-uuid",
        spec.vm_uuid,
        "-machine",
        f"q35,accel={opts.accel.value}",
        "-cpu",
        opts.accel.cpu_model,
        "-smp",
        f"{spec.vcpus_at_startup},maxcpus={spec.vcpus_max}",
        "-m",
        f"{_memory_mib(spec)}M",
        "-nodefaults",
        "-no-user-config",
        "-display",
        "none",
        "-S",
        "-action",
        "shutdown=pause,panic=pause",
        "-pidfile",
        opts.pidfile,
        "-chardev",
        f"socket,id=qmp,fd={opts.qmp_fd},server=on,wait=off",
        "-mon",
        "chardev=qmp,mode=control",
        "-chardev",
        f"socket,id=serial0,fd={opts.serial_fd},server=on,wait=off",
        "-serial",
        "chardev:serial0",
        "-device",
        "virtio-balloon-pci,id=balloon0,deflate-on-oom=on",
    ]
    if opts.agent_fd is not None:
        argv += [
            "-chardev",
            f"socket,id=agent,fd={opts.agent_fd},server=on,wait=off",
            "-device",
            "virtio-serial-pci,id=vser0",
            "-device",
            f"virtserialport,id={AGENT_PORT_ID},bus=vser0.0,chardev=agent,name={AGENT_CHANNEL}",
        ]
    argv += _boot_args(spec)
    argv += ["-device", "virtio-scsi-pci,id=scsi0"]
    for n in range(HOTPLUG_PORTS):
        argv += ["-device", f"pcie-root-port,id=hp{n},chassis={n + 1}"]
    ide_slot = 0
    chassis = HOTPLUG_PORTS + 1  # root ports' chassis numbers must differ: the hot-plug ports have the first
    for disk in spec.disks:
        fmt = "raw" if disk.kind is DiskKind.CD else opts.disk_formats.get(disk.userdevice, "qcow2")
        argv += _disk_args(spec, disk, fmt, ide_slot, chassis)
        chassis += _in_port(spec, disk)
        if disk.kind is DiskKind.DISK:
            ide_slot += 1
    for nic in spec.nics:
        argv += _nic_args(nic, opts.tap_fds, chassis)
        chassis += 1
    if spec.platform.get(PLATFORM_VNC, "true").lower() not in ("false", "0", "no"):
        argv += ["-device", "VGA,id=video0", "-vnc", f"127.0.0.1:{opts.vnc_display},to=1000"]
    if opts.incoming:
        argv += ["-incoming", "defer"]
    return argv
