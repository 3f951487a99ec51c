"""The driver protocol: what every hypervisor backend (``sim``, ``qemu``) offers to ``xenia.ops``.

Why it looks like this
----------------------
* **Drivers carry out steps and report facts; they never decide policy.** There is no power-state
  table here and no database access. ``xenia.ops`` checks whether an operation is allowed, plans it
  as a list of micro-ops, and calls one driver method per micro-op. A driver raises a typed error
  from :mod:`xenia.drivers.errors` when a step cannot be done (e.g. :class:`InvalidState` when asked
  to unpause a running domain) but never "fixes" the situation on its own.
* **Small protocols per concern** (xenopsd's HOST/VM/VBD/VIF submodules, not Nova's 110-method
  class). A :class:`Driver` is a bundle: ``driver.host``, ``driver.vm``, ``driver.disk``,
  ``driver.net``, ``driver.console``, ``driver.metrics``, ``driver.storage``.
* **Capabilities are data.** :attr:`Driver.capabilities` is a frozenset of :class:`Capability`.
  Calling an operation whose capability is not declared raises :class:`NotSupported`; any other
  failure is a real failure (the conformance suite enforces both).
* **Typed data, not dicts, across the boundary:** :class:`DomainSpec` in, :class:`DomainState` out.
* **Domains are addressed by VM uuid.** A VM has at most one domain per driver at a time; the domid
  changes on every (re)creation, the uuid never does, so ops never has to track domids.
* **Events are signals, never commands.** :meth:`Driver.subscribe` registers a callback
  ``on_attention(vm_uuid)`` meaning "this VM needs attention" (the guest shut down, crashed, asked
  to reboot, reached its balloon target, a backend process died). Ops then reads
  :meth:`VmOps.get_state` afresh and decides what to do.
* **Adoption.** A driver constructed on an existing state directory finds its domains again:
  after :meth:`Driver.open`, :meth:`VmOps.list_domains` returns them as they were.
* All methods are ``async``; drivers push blocking work to threads themselves.

How ops uses it (sketch)
------------------------
start::

    free = await d.host.memory_free()            # ops decides; driver only reports
    await d.vm.create(spec)                      # paused, devices in spec attached (cold)
    ... write guest-visible keys in the store ...
    await d.vm.unpause(uuid)

clean shutdown::

    await d.vm.request_shutdown(uuid)            # returns once *requested*
    ... on_attention(uuid) -> get_state(uuid).run_state is SHUTDOWN(POWEROFF) ...
    await d.vm.destroy(uuid)                     # ops' policy (actions_after_shutdown)

suspend / resume::

    await d.vm.suspend(uuid, path)               # image written; domain SHUTDOWN(SUSPEND)
    await d.vm.destroy(uuid)
    await d.vm.resume(spec, path)                # new domain, paused, state restored
    await d.vm.unpause(uuid)
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

__all__ = [
    "AttentionCallback",
    "Capability",
    "ConsoleInfo",
    "ConsoleOps",
    "ConsoleProtocol",
    "DiskQos",
    "DiskKind",
    "DiskMetrics",
    "DiskMode",
    "DiskOps",
    "DiskSpec",
    "DiskState",
    "DomainMetrics",
    "HostSample",
    "DomainSpec",
    "DomainState",
    "Driver",
    "DriverConfig",
    "HostInfo",
    "HostOps",
    "ImageInfo",
    "MetricsOps",
    "MetricsSample",
    "NetOps",
    "NicMetrics",
    "PifMetrics",
    "PV_FEATURES",
    "NicSpec",
    "RunState",
    "ShutdownReason",
    "StorageOps",
    "Unsubscribe",
    "VmOps",
]

MiB = 1024 * 1024


# --------------------------------------------------------------------------------------------
# Capabilities


class Capability(enum.Enum):
    """One optional feature a driver may declare.

    Operations not listed here (create, destroy, unpause, get_state, list_domains, host facts)
    are mandatory for every driver.
    """

    PAUSE = "pause"  #: :meth:`VmOps.pause` (unpause after create is mandatory)
    CLEAN_SHUTDOWN = "clean_shutdown"  #: :meth:`VmOps.request_shutdown`
    CLEAN_REBOOT = "clean_reboot"  #: :meth:`VmOps.request_reboot`
    HARD_RESET = "hard_reset"  #: :meth:`VmOps.reset` (reset in place, same domid)
    SUSPEND = "suspend"  #: :meth:`VmOps.suspend` and :meth:`VmOps.resume`
    BALLOON = "balloon"  #: :meth:`VmOps.set_memory_target` on a live domain
    VCPU_HOTPLUG = "vcpu_hotplug"  #: :meth:`VmOps.set_vcpus` on a live domain
    DISK_HOTPLUG = "disk_hotplug"  #: :meth:`DiskOps.plug` / :meth:`DiskOps.unplug`
    CD_MEDIA_CHANGE = "cd_media_change"  #: :meth:`DiskOps.insert` / :meth:`DiskOps.eject`
    NIC_HOTPLUG = "nic_hotplug"  #: :meth:`NetOps.plug` / :meth:`NetOps.unplug`
    CONSOLE = "console"  #: :meth:`ConsoleOps.consoles` returns something useful
    METRICS = "metrics"  #: :meth:`MetricsOps.sample`
    STORAGE = "storage"  #: :class:`StorageOps` create/destroy/resize/info of disk images
    CLONE = "clone"  #: :meth:`StorageOps.clone`
    SNAPSHOT = "snapshot"  #: :meth:`StorageOps.snapshot`
    MIGRATE = "migrate"  #: reserved: live migration (a ``MigrationOps`` protocol, not yet defined)


# --------------------------------------------------------------------------------------------
# Specs: what ops asks for


class DiskKind(enum.Enum):
    """Whether a disk is a hard disk or a CD drive (XenAPI ``VBD.type``)."""

    DISK = "disk"
    CD = "cd"


class DiskMode(enum.Enum):
    """Read-only or read-write (XenAPI ``VBD.mode``)."""

    RO = "ro"
    RW = "rw"


@dataclass(frozen=True, slots=True)
class DiskQos:
    """I/O limits of one disk, in QEMU's block-throttling terms: bytes and operations per second,
    total or per direction; 0 is no limit (ops derives them from XenAPI ``VBD.qos_algorithm_*``)."""

    bps: int = 0
    bps_rd: int = 0
    bps_wr: int = 0
    iops: int = 0
    iops_rd: int = 0
    iops_wr: int = 0

    @property
    def limited(self) -> bool:
        """Whether any limit is set."""
        return any((self.bps, self.bps_rd, self.bps_wr, self.iops, self.iops_rd, self.iops_wr))


@dataclass(frozen=True, slots=True)
class DiskSpec:
    """One disk or CD drive of a domain.

    :param userdevice: the device position as XenAPI ``VBD.userdevice`` ("0", "1", ...); the
        identity of the disk within its domain. The driver picks its own device names.
    :param path: the image file (on a ``file`` SR), or ``None`` for an empty CD drive.
    :param kind: disk or CD.
    :param mode: ro or rw (a CD is always read-only in practice; ops decides).
    :param bootable: XenAPI ``VBD.bootable``.
    :param qos: the disk's I/O limits.
    """

    userdevice: str
    path: str | None
    kind: DiskKind = DiskKind.DISK
    mode: DiskMode = DiskMode.RW
    bootable: bool = False
    qos: DiskQos = DiskQos()


@dataclass(frozen=True, slots=True)
class NicSpec:
    """One network interface of a domain.

    :param device: XenAPI ``VIF.device`` ("0", "1", ...); the NIC's identity within its domain.
    :param mac: MAC address as "aa:bb:cc:dd:ee:ff".
    :param bridge: the host bridge (XenAPI ``network.bridge``) to connect the NIC to.
    :param mtu: link MTU.
    :param rate_kbps: bandwidth cap in KiB/s each way (XenAPI VIF ``ratelimit``'s ``kbps``); 0 is none.
    """

    device: str
    mac: str
    bridge: str
    mtu: int = 1500
    rate_kbps: int = 0


@dataclass(frozen=True, slots=True)
class DomainSpec:
    """Everything a driver needs to build a domain for a VM, resolved by ops from the db.

    Memory is in bytes and must satisfy
    ``memory_dynamic_min <= memory_target <= memory_dynamic_max <= memory_static_max``; vCPUs
    must satisfy ``0 < vcpus_at_startup <= vcpus_max``. Drivers raise :class:`InvalidArgument`
    otherwise.

    :param platform: XenAPI ``VM.platform`` (driver-specific keys, e.g. ``cores-per-socket``).
    :param other_config: XenAPI ``VM.other_config``. The simulator reads its guest profile from
        the key ``xenia-sim-guest`` (see ``docs/drivers.md``).
    :param boot_order: XenAPI ``HVM_boot_params["order"]`` letters (c = disk, d = CD, n = net).
    :param kernel: a kernel file on the host to boot directly instead of firmware looking for a
        boot device (XenAPI ``VM.PV_kernel``); ``None`` boots from the disks/CDs by ``boot_order``.
        Drivers that cannot boot a kernel directly ignore it (the simulator has no guest code).
    :param initrd: the initial ramdisk for ``kernel`` (XenAPI ``VM.PV_ramdisk``).
    :param cmdline: the kernel command line for ``kernel`` (XenAPI ``VM.PV_args``).
    """

    vm_uuid: str
    name: str
    vcpus_max: int
    vcpus_at_startup: int
    memory_static_max: int
    memory_dynamic_min: int
    memory_dynamic_max: int
    memory_target: int
    disks: tuple[DiskSpec, ...] = ()
    nics: tuple[NicSpec, ...] = ()
    platform: Mapping[str, str] = field(default_factory=dict)
    other_config: Mapping[str, str] = field(default_factory=dict)
    boot_order: str = "cd"
    kernel: str | None = None
    initrd: str | None = None
    cmdline: str = ""


# --------------------------------------------------------------------------------------------
# State: what the driver reports


class RunState(enum.Enum):
    """The run state of an existing domain (a VM without a domain simply has none).

    ``SHUTDOWN`` means the guest has stopped but the domain still exists (Xen's "shutdown",
    QEMU's ``-no-shutdown`` status); :attr:`DomainState.shutdown_reason` says why. Ops must
    :meth:`VmOps.destroy` such a domain (and perhaps create a new one, for a reboot).
    """

    RUNNING = "running"
    PAUSED = "paused"
    SHUTDOWN = "shutdown"


class ShutdownReason(enum.Enum):
    """Why a domain is in :attr:`RunState.SHUTDOWN`."""

    POWEROFF = "poweroff"  #: the guest powered itself off (or honoured a clean shutdown request)
    REBOOT = "reboot"  #: the guest asked to be rebooted; ops recreates it (new domid)
    CRASH = "crash"  #: the guest crashed, or the backend process died unexpectedly
    SUSPEND = "suspend"  #: :meth:`VmOps.suspend` wrote the image; the domain only awaits destroy


@dataclass(frozen=True, slots=True)
class DiskState:
    """An attached disk as the driver sees it now.

    :param path: the image currently in the drive (``None``: empty CD drive).
    :param tray_open: for a CD, whether the tray is open (after :meth:`DiskOps.eject` until
        :meth:`DiskOps.insert`); always ``False`` for a disk.
    :param qos: the I/O limits in force.
    """

    userdevice: str
    path: str | None
    kind: DiskKind
    mode: DiskMode
    tray_open: bool = False
    qos: DiskQos = DiskQos()


@dataclass(frozen=True, slots=True)
class DomainState:
    """A snapshot of one domain's runtime facts (the driver owns these; the db mirrors them).

    :param domid: the domain id; unique among live domains of this driver, never reused while a
        domain with it exists, new on every create/resume.
    :param start_time: wall-clock epoch seconds when the domain was created.
    :param vcpus: vCPUs currently online.
    :param memory_actual: bytes currently allocated to the domain.
    :param memory_target: the balloon target in bytes.
    """

    vm_uuid: str
    domid: int
    run_state: RunState
    shutdown_reason: ShutdownReason | None
    vcpus: int
    memory_actual: int
    memory_target: int
    start_time: float
    disks: tuple[DiskState, ...] = ()
    nics: tuple[NicSpec, ...] = ()
    #: what the guest has told the toolstack it can do, in Xen's terms (``feature-poweroff``,
    #: ``feature-reboot``, ``feature-suspend``, ``feature-balloon``); ops fills VM_guest_metrics
    #: from it and refuses clean operations to a guest without them (VM_MISSING_PV_DRIVERS).
    guest_features: frozenset[str] = frozenset()


#: the features a guest with PV drivers (or an ACPI-aware OS) advertises
PV_FEATURES = frozenset({"feature-poweroff", "feature-reboot", "feature-suspend", "feature-balloon"})


@dataclass(frozen=True, slots=True)
class HostInfo:
    """Static facts about the host, as XenAPI ``host``/``host_cpu`` need them."""

    hostname: str
    cpu_count: int
    cpu_vendor: str
    cpu_model: str
    cpu_speed_mhz: int
    cpu_flags: tuple[str, ...]
    memory_total: int  #: bytes the host can give to domains in total


class ConsoleProtocol(enum.Enum):
    """XenAPI ``console.protocol``."""

    VT100 = "vt100"
    RFB = "rfb"
    RDP = "rdp"


@dataclass(frozen=True, slots=True)
class ConsoleInfo:
    """Where a domain's console can be reached.

    :param location: e.g. ``unix:/run/xenia/vm/<uuid>/vnc.sock`` or ``tcp:127.0.0.1:5901``.
    """

    protocol: ConsoleProtocol
    location: str


@dataclass(frozen=True, slots=True)
class DiskMetrics:
    """Cumulative I/O counters of one disk since the domain was created."""

    userdevice: str
    read_bytes: int
    write_bytes: int
    read_ops: int
    write_ops: int
    #: cumulative time spent on completed reads / writes (per-request latency = time / ops)
    read_time_ns: int = 0
    write_time_ns: int = 0


@dataclass(frozen=True, slots=True)
class NicMetrics:
    """Cumulative traffic counters of one NIC since the domain was created."""

    device: str
    rx_bytes: int
    tx_bytes: int
    rx_packets: int = 0
    tx_packets: int = 0
    rx_errors: int = 0
    tx_errors: int = 0
    rx_drops: int = 0
    tx_drops: int = 0


@dataclass(frozen=True, slots=True)
class PifMetrics:
    """Cumulative counters of one host network interface."""

    device: str
    rx_bytes: int
    tx_bytes: int
    rx_errors: int = 0
    tx_errors: int = 0


@dataclass(frozen=True, slots=True)
class HostSample:
    """The host's counters in a :class:`MetricsSample`.

    :param cpu_busy_ns: cumulative busy (non-idle) time per physical CPU, in nanoseconds.
    :param loadavg: the 1-minute load average.
    """

    cpu_busy_ns: tuple[int, ...]
    memory_total: int
    memory_free: int
    loadavg: float
    pifs: tuple[PifMetrics, ...] = ()


@dataclass(frozen=True, slots=True)
class DomainMetrics:
    """Counters of one domain; rates are computed by ``xenia.metrics`` from two samples.

    :param vcpu_time_ns: cumulative CPU time per vCPU, in nanoseconds.
    :param memory_internal_free: bytes free inside the guest, if the guest reports it.
    """

    vm_uuid: str
    domid: int
    vcpu_time_ns: tuple[int, ...]
    memory_actual: int
    memory_target: int
    memory_internal_free: int | None
    disks: tuple[DiskMetrics, ...] = ()
    nics: tuple[NicMetrics, ...] = ()


@dataclass(frozen=True, slots=True)
class MetricsSample:
    """One bulk reading of every domain, taken at one instant (``taken_at``, epoch seconds)."""

    taken_at: float
    host_memory_free: int
    #: a tuple, or ``xenia.drivers.columns.DomainColumns`` from a driver that computes in bulk
    domains: Sequence[DomainMetrics]
    #: the host's own counters (None from a driver that cannot read them)
    host: HostSample | None = None


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """Facts about one disk image file.

    :param virtual_size: bytes the guest sees.
    :param physical_utilisation: bytes the image takes on the SR.
    :param parent: the backing image for a clone/snapshot, if any.
    """

    path: str
    virtual_size: int
    physical_utilisation: int
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class DriverConfig:
    """How a driver is constructed (by :func:`xenia.drivers.registry.create`).

    :param state_dir: the daemon's state directory; a driver keeps its own files under
        ``state_dir / <driver name>`` and finds them again after a restart (adoption).
    :param options: driver-specific options as strings (e.g. from the command line); each
        driver documents its keys and rejects unknown ones with :class:`InvalidArgument`.
    """

    state_dir: Path
    options: Mapping[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Protocols

#: ``on_attention(vm_uuid)``: a signal that the VM's domain changed underneath (never a command).
#: Called on the event loop thread; it must be quick and must not raise (queue work instead).
AttentionCallback = Callable[[str], None]
#: Returned by :meth:`Driver.subscribe`; call it to stop receiving signals.
Unsubscribe = Callable[[], None]


@runtime_checkable
class HostOps(Protocol):
    """Facts about the host. Mandatory for every driver."""

    async def info(self) -> HostInfo:
        """Return the host's static facts."""
        ...

    async def memory_free(self) -> int:
        """Return bytes still free for new domains (total minus what domains hold now)."""
        ...


@runtime_checkable
class VmOps(Protocol):
    """Domain lifecycle steps. Every method names the domain by its VM's uuid.

    Unless stated otherwise a method raises :class:`NoSuchDomain` when the VM has no domain,
    :class:`InvalidState` when the domain's run state does not allow the step, and
    :class:`NotSupported` when the step's capability is not declared (checked first).
    """

    async def create(self, spec: DomainSpec) -> DomainState:
        """Build a new domain for ``spec``, **paused**, with the spec's disks and NICs attached.

        The domain gets a fresh domid and holds ``spec.memory_target`` bytes.

        :raises DomainExists: the VM already has a domain.
        :raises NotEnoughMemory: the host lacks the memory (nothing is left behind).
        :raises InvalidArgument: the spec violates the memory/vCPU ordering rules.
        """
        ...

    async def unpause(self, vm_uuid: str) -> None:
        """Let a paused domain run (also the final step of start/resume). Mandatory."""
        ...

    async def pause(self, vm_uuid: str) -> None:
        """Stop a running domain's vCPUs, keeping its memory. Needs :attr:`Capability.PAUSE`."""
        ...

    async def request_shutdown(self, vm_uuid: str) -> None:
        """Ask the guest to power off (ACPI power button / PV control key).

        Returns as soon as the request is delivered; the guest acts later (or never). When it
        does, the domain goes to SHUTDOWN(POWEROFF) and attention is signalled. Only for a running
        domain. Needs :attr:`Capability.CLEAN_SHUTDOWN`.
        """
        ...

    async def request_reboot(self, vm_uuid: str) -> None:
        """Ask the guest to reboot; later the domain goes to SHUTDOWN(REBOOT) with attention.

        Needs :attr:`Capability.CLEAN_REBOOT`.
        """
        ...

    async def destroy(self, vm_uuid: str) -> None:
        """Tear the domain down at once, in any run state, and free its memory. Mandatory.

        Disk images are left alone. After this the VM has no domain.
        """
        ...

    async def reset(self, vm_uuid: str) -> None:
        """Hard-reset a running or paused domain in place (same domid, guest restarts from boot).

        Needs :attr:`Capability.HARD_RESET`.
        """
        ...

    async def suspend(self, vm_uuid: str, path: str) -> None:
        """Write the domain's state to ``path`` (a file on the SR) and stop it.

        The domain must be running or paused; afterwards it is SHUTDOWN(SUSPEND) and ops destroys
        it. Needs :attr:`Capability.SUSPEND`.
        """
        ...

    async def resume(self, spec: DomainSpec, path: str) -> DomainState:
        """Build a new **paused** domain for ``spec`` from the image at ``path``.

        Like :meth:`create` (same errors) plus :class:`NoSuchImage` when ``path`` is missing or
        not a suspend image of this driver. Needs :attr:`Capability.SUSPEND`.
        """
        ...

    async def set_memory_target(self, vm_uuid: str, target: int) -> None:
        """Set the balloon target in bytes; the guest moves ``memory_actual`` towards it later.

        Attention is signalled when the guest reaches the target. The target must be positive and
        at most ``memory_static_max`` (:class:`InvalidArgument`); the dynamic range, which a client
        may change while the domain runs, is the ops layer's to check. Needs :attr:`Capability.BALLOON`.
        """
        ...

    async def set_vcpus(self, vm_uuid: str, count: int) -> None:
        """Set the number of online vCPUs of a live domain (1..vcpus_max).

        Needs :attr:`Capability.VCPU_HOTPLUG`.
        """
        ...

    async def get_state(self, vm_uuid: str) -> DomainState:
        """Read the domain's current facts afresh. Mandatory."""
        ...

    async def list_domains(self) -> list[DomainState]:
        """Return every domain this driver has, including adopted ones, in domid order."""
        ...


@runtime_checkable
class DiskOps(Protocol):
    """Disk and CD operations on a live domain (disks given at create are attached already)."""

    async def plug(self, vm_uuid: str, disk: DiskSpec) -> None:
        """Hot-plug a disk at ``disk.userdevice``. Needs :attr:`Capability.DISK_HOTPLUG`.

        :raises DeviceExists: something is attached at that position already.
        """
        ...

    async def unplug(self, vm_uuid: str, userdevice: str) -> None:
        """Hot-unplug a disk. Needs :attr:`Capability.DISK_HOTPLUG`.

        :raises NoSuchDevice: nothing at that position.
        """
        ...

    async def insert(self, vm_uuid: str, userdevice: str, path: str) -> None:
        """Put media ``path`` into an empty CD drive (closing its tray).

        :raises InvalidState: the drive is not a CD or is not empty.
        Needs :attr:`Capability.CD_MEDIA_CHANGE`.
        """
        ...

    async def eject(self, vm_uuid: str, userdevice: str) -> None:
        """Eject the media of a CD drive, leaving the drive empty with its tray open.

        :raises InvalidState: the drive is not a CD or is empty already.
        Needs :attr:`Capability.CD_MEDIA_CHANGE`.
        """
        ...

    async def set_qos(self, vm_uuid: str, userdevice: str, qos: DiskQos) -> None:
        """Replace the I/O limits of an attached disk of a running or paused domain.

        :raises NoSuchDevice: nothing at that position.
        """
        ...


@runtime_checkable
class NetOps(Protocol):
    """NIC operations on a live domain. Both need :attr:`Capability.NIC_HOTPLUG`."""

    async def plug(self, vm_uuid: str, nic: NicSpec) -> None:
        """Hot-plug a NIC at ``nic.device`` (:class:`DeviceExists` if taken)."""
        ...

    async def unplug(self, vm_uuid: str, device: str) -> None:
        """Hot-unplug a NIC (:class:`NoSuchDevice` if absent)."""
        ...

    async def set_rate(self, vm_uuid: str, device: str, kbps: int) -> None:
        """Replace the bandwidth cap (KiB/s, 0 = none) of a NIC of a running or paused domain
        (:class:`NoSuchDevice` if absent). Needs no capability: a driver that cannot shape a NIC
        keeps the value and says so in its documentation."""
        ...


@runtime_checkable
class ConsoleOps(Protocol):
    """Console locations of a domain. Needs :attr:`Capability.CONSOLE`."""

    async def consoles(self, vm_uuid: str) -> list[ConsoleInfo]:
        """Return the domain's consoles (text and/or graphical)."""
        ...


@runtime_checkable
class MetricsOps(Protocol):
    """Bulk counter reading, one call per collector tick. Needs :attr:`Capability.METRICS`."""

    async def sample(self) -> MetricsSample:
        """Read the counters of every domain and of the host at once (running, paused and shutdown
        domains), in one bulk call per collector tick: never one round trip per VM per metric."""
        ...


@runtime_checkable
class StorageOps(Protocol):
    """Disk image files on a ``file`` SR (paths are absolute and chosen by the SR layer).

    create/destroy/resize/info need :attr:`Capability.STORAGE`; clone and snapshot need
    :attr:`Capability.CLONE` / :attr:`Capability.SNAPSHOT`.
    """

    async def create_image(self, path: str, virtual_size: int) -> ImageInfo:
        """Create an empty image (:class:`InvalidArgument` if ``path`` exists)."""
        ...

    async def destroy_image(self, path: str) -> None:
        """Delete an image (:class:`NoSuchImage` if absent)."""
        ...

    async def resize_image(self, path: str, virtual_size: int) -> ImageInfo:
        """Grow an image (shrinking is :class:`InvalidArgument`)."""
        ...

    async def image_info(self, path: str) -> ImageInfo:
        """Read an image's facts (:class:`NoSuchImage` if absent)."""
        ...

    async def clone(self, source: str, path: str) -> ImageInfo:
        """Make a writable copy of ``source`` at ``path`` (copy-on-write where possible)."""
        ...

    async def snapshot(self, source: str, path: str) -> ImageInfo:
        """Make a point-in-time copy of ``source`` at ``path``; ``source`` stays usable."""
        ...


@runtime_checkable
class Driver(Protocol):
    """One backend: a bundle of the per-concern protocols plus lifecycle and events.

    Construct with a :class:`DriverConfig` (through :mod:`xenia.drivers.registry`), then
    ``await open()`` before use and ``await close()`` at the end. Constructing must not touch the
    hypervisor or open sockets; :meth:`open` does that and adopts existing domains.
    """

    # Read-only properties in the protocol so that implementations may use plain attributes of
    # their own concrete types (``self.vm = SimVm(self)``); mutable protocol attributes would be
    # invariant and reject those.

    @property
    def name(self) -> str:
        """The registry name ("sim", "qemu")."""
        ...

    @property
    def capabilities(self) -> frozenset[Capability]:
        """What this driver can do; anything else raises :class:`NotSupported`."""
        ...

    @property
    def host(self) -> HostOps: ...
    @property
    def vm(self) -> VmOps: ...
    @property
    def disk(self) -> DiskOps: ...
    @property
    def net(self) -> NetOps: ...
    @property
    def console(self) -> ConsoleOps: ...
    @property
    def metrics(self) -> MetricsOps: ...
    @property
    def storage(self) -> StorageOps: ...

    async def open(self) -> None:
        """Connect to the backend and adopt the domains recorded in the state directory."""
        ...

    async def close(self) -> None:
        """Release the driver's resources. Domains keep running (a later open adopts them)."""
        ...

    def subscribe(self, callback: AttentionCallback) -> Unsubscribe:
        """Register ``callback(vm_uuid)`` for "this VM needs attention"; returns an unsubscriber."""
        ...
