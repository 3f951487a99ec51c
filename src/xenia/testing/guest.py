"""A tiny Linux guest for tests, built at test time from installed Debian packages.

Why it exists: the QEMU driver's lifecycle tests need a guest that really runs an OS (ACPI power
button, balloon driver, CD tray lock, RAM that survives suspend/resume), boots in seconds under
TCG, and is never downloaded from anywhere. It is made from:

* the kernel of ``linux-image-cloud-amd64`` (``/boot/vmlinuz-<ver>``; LZ4, so it decompresses
  fast under TCG), with the few modules the tests need copied from ``/lib/modules/<ver>``;
* ``busybox-static`` as the whole userland, in an initramfs written by a small pure-Python
  ``newc`` cpio writer (no host ``cpio`` needed);
* Debian's ``qemu-guest-agent`` (``/usr/sbin/qemu-ga``) with the shared libraries ``ldd`` names for
  it and the host's ``/etc/os-release`` (the release the image's packages come from), so the guest
  answers the QEMU guest agent protocol on the virtio-serial port ``org.qemu.guest_agent.0``.

The ``/init`` script loads the modules, starts ``acpid`` so the ACPI power button powers the guest
off, turns Ctrl-Alt-Del (QEMU ``send-key``) into a reboot, asks for an address by DHCP on every NIC
present at boot (busybox ``udhcpc``, in the background), starts the guest agent once its port
appears, prints :data:`READY_MARKER` and runs a shell on the serial console forever. The cloud kernel has no AHCI driver, so CD drives must be
``scsi-cd`` on virtio-scsi for the guest to see them.

Images are cached under ``~/.cache/xenia/guest/<key>/``, the key being a hash of the kernel and
busybox package versions and of this builder's recipe, so a package upgrade or a recipe change
builds a fresh image and everything else reuses the cached one.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import io
import os
import shutil
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "GUEST_MODULES",
    "READY_MARKER",
    "GuestImage",
    "GuestImageUnavailable",
    "SerialConsole",
    "build_guest_image",
    "guest_other_config",
    "make_test_image",
    "write_newc",
]

#: Printed on the serial console once the guest's shell is about to start.
READY_MARKER = "GUEST-READY"

#: Kernel modules loaded at boot (their dependencies are added automatically).
GUEST_MODULES = (
    "virtio_pci",
    "virtio_balloon",
    "virtio_blk",
    "virtio_net",
    "virtio_scsi",
    "virtio_console",
    "sd_mod",
    "sr_mod",
    "isofs",
    "button",
    "evdev",
)

#: Bump when the recipe below changes in a way the hash of this file would not capture.
_RECIPE_VERSION = "2"

#: The guest agent's binary and the virtio-serial port name it listens on (QEMU's convention).
AGENT_BINARY = "/usr/sbin/qemu-ga"
AGENT_PORT = "org.qemu.guest_agent.0"

_INIT = """#!/bin/sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /tmp /mnt /run /var/log /var/run
mount -t tmpfs tmpfs /tmp
while read -r m; do insmod "/lib/modules/$(uname -r)/$m"; done < /etc/modules.order
echo online > /sys/devices/system/memory/auto_online_blocks 2>/dev/null
ip link set lo up
for n in /sys/class/net/eth*; do
  [ -e "$n" ] || continue
  ip link set "${n##*/}" up
  udhcpc -q -n -i "${n##*/}" -s /etc/udhcpc.script >/dev/null 2>&1 &
done
# virtio-serial ports appear once the host announces them: wait for the agent's, then run the agent.
( for i in $(seq 100); do
    for p in /sys/class/virtio-ports/vport*; do
      [ "$(cat "$p/name" 2>/dev/null)" = @AGENT_PORT@ ] && [ -c "/dev/${p##*/}" ] &&
        exec qemu-ga -m virtio-serial -p "/dev/${p##*/}" -t /run -f /run/qemu-ga.pid
    done
    sleep 0.1
  done ) >/dev/null 2>&1 &
acpid -c /etc/acpi
# Ctrl-Alt-Del makes the kernel send SIGINT to pid 1: treat it as a clean reboot request.
trap 'reboot -f' INT
echo 0 > /proc/sys/kernel/ctrl-alt-del
echo "@READY@ uptime=$(cut -d' ' -f1 /proc/uptime)" > /dev/console
( while true; do setsid cttyhack sh; done ) &
while true; do sleep 3600 & wait $!; done
""".replace("@READY@", READY_MARKER).replace("@AGENT_PORT@", AGENT_PORT)

_POWER_BUTTON = """#!/bin/sh
poweroff -f
"""

#: ``/sbin/shutdown`` as qemu-ga's ``guest-shutdown`` runs it (``-P``/``-H``/``-r`` ``+0`` ...); busybox has none.
_SHUTDOWN = """#!/bin/sh
case "$1" in
  -r) reboot -f ;;
  *) poweroff -f ;;
esac
"""

#: busybox udhcpc's event script: configure the leased address and the default route.
_UDHCPC_SCRIPT = """#!/bin/sh
case "$1" in
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/${mask:-24}" dev "$interface"
    [ -n "$router" ] && ip route replace default via "${router%% *}" dev "$interface"
    ;;
  deconfig) ip addr flush dev "$interface" ;;
esac
exit 0
"""


class GuestImageUnavailable(RuntimeError):
    """The packages the guest is built from are not installed (run ``scripts/system-deps``)."""


@dataclass(frozen=True, slots=True)
class GuestImage:
    """A bootable kernel + initramfs pair.

    :param append: the kernel command line the image expects (serial console on ttyS0).
    """

    kernel: Path
    initrd: Path
    kernel_version: str
    append: str = "console=ttyS0 quiet panic=-1"


# ----------------------------------------------------------------------------------------------
# cpio "newc" writer


def _newc_header(name: bytes, mode: int, size: int, ino: int, rdev: tuple[int, int] = (0, 0)) -> bytes:
    fields = (ino, mode, 0, 0, 1, 0, size, 0, 0, rdev[0], rdev[1], len(name) + 1, 0)
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def _pad4(n: int) -> bytes:
    return b"\0" * (-n % 4)


def write_newc(entries: Iterable[tuple[str, int, bytes, tuple[int, int]]]) -> bytes:
    """Serialise ``(name, mode, data, (rdev_major, rdev_minor))`` entries as a newc archive.

    ``mode`` carries the file type bits (``S_IFDIR``, ``S_IFREG``, ``S_IFLNK``, ``S_IFCHR``); for a
    symlink ``data`` is the target. Names are relative (no leading slash), as the kernel expects.
    """
    out = io.BytesIO()
    ino = 1
    for name, mode, data, rdev in [*entries, ("TRAILER!!!", 0, b"", (0, 0))]:
        encoded = name.encode()
        header = _newc_header(encoded, mode, len(data), ino, rdev)
        out.write(header + encoded + b"\0")
        out.write(_pad4(len(header) + len(encoded) + 1))
        out.write(data)
        out.write(_pad4(len(data)))
        ino += 1
    return out.getvalue()


# ----------------------------------------------------------------------------------------------
# Package discovery


def _package_version(package: str) -> str:
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status} ${Version}", package],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as exc:
        raise GuestImageUnavailable("dpkg-query not found; the guest is built from Debian packages") from exc
    parts = out.stdout.split()
    if out.returncode != 0 or parts[:3] != ["install", "ok", "installed"]:
        raise GuestImageUnavailable(f"package {package} is not installed (run scripts/system-deps)")
    return parts[3]


def _find_kernel() -> str:
    """The newest installed cloud kernel that has both its image and its modules."""
    candidates = sorted(
        (p.name for p in Path("/lib/modules").glob("*-cloud-amd64") if Path(f"/boot/vmlinuz-{p.name}").exists()),
        key=_version_key,
    )
    if not candidates:
        raise GuestImageUnavailable("no linux-image-*-cloud-amd64 kernel installed (run scripts/system-deps)")
    return candidates[-1]


def _version_key(release: str) -> tuple[int, ...]:
    return tuple(int(x) for x in release.replace("-", ".").split(".") if x.isdigit())


def _module_closure(modules_dir: Path, wanted: Iterable[str]) -> list[str]:
    """Module paths (relative to ``modules_dir``) for ``wanted`` plus dependencies, in load order."""
    deps: dict[str, list[str]] = {}
    by_name: dict[str, str] = {}
    for line in (modules_dir / "modules.dep").read_text().splitlines():
        path, _, rest = line.partition(":")
        deps[path] = rest.split()
        by_name[Path(path).name.split(".ko")[0].replace("-", "_")] = path
    order: list[str] = []

    def visit(path: str) -> None:
        if path in order:
            return
        for dep in deps[path]:
            visit(dep)
        order.append(path)

    for name in wanted:
        key = name.replace("-", "_")
        if key not in by_name:
            builtin = (modules_dir / "modules.builtin").read_text()
            if f"/{name}.ko" in builtin or f"/{key}.ko" in builtin:
                continue
            raise GuestImageUnavailable(f"kernel module {name} not found in {modules_dir}")
        visit(by_name[key])
    return order


def _shared_libraries(binary: str) -> list[str]:
    """The absolute paths of the shared objects ``binary`` loads (``ldd``'s answer), loader included."""
    try:
        out = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise GuestImageUnavailable(f"cannot list the libraries of {binary}: {exc}") from exc
    found = []
    for line in out.splitlines():
        words = line.split()
        path = words[2] if len(words) >= 3 and words[1] == "=>" else words[0] if words else ""
        if path.startswith("/"):
            found.append(path)
    return found


# ----------------------------------------------------------------------------------------------
# Build


def _initramfs(kernel_version: str, busybox: bytes) -> bytes:
    modules_dir = Path("/lib/modules") / kernel_version
    module_paths = _module_closure(modules_dir, GUEST_MODULES)
    d, f, ln, ch = stat.S_IFDIR | 0o755, stat.S_IFREG, stat.S_IFLNK | 0o777, stat.S_IFCHR | 0o600
    entries: list[tuple[str, int, bytes, tuple[int, int]]] = [
        (name, d, b"", (0, 0))
        for name in ("bin", "dev", "etc", "etc/acpi", "etc/acpi/PWRF", "proc", "sys", "tmp", "run", "sbin", "usr",
                     "usr/sbin")
    ]
    entries += [
        ("dev/console", ch, b"", (5, 1)),
        ("dev/null", ch | 0o066, b"", (1, 3)),
        ("bin/busybox", f | 0o755, busybox, (0, 0)),
        ("bin/sh", ln, b"busybox", (0, 0)),
        ("init", f | 0o755, _INIT.encode(), (0, 0)),
        ("etc/acpi/PWRF/00000080", f | 0o755, _POWER_BUTTON.encode(), (0, 0)),
        ("etc/modules.order", f | 0o644, "".join(p + "\n" for p in module_paths).encode(), (0, 0)),
        ("etc/udhcpc.script", f | 0o755, _UDHCPC_SCRIPT.encode(), (0, 0)),
        ("sbin/shutdown", f | 0o755, _SHUTDOWN.encode(), (0, 0)),
        ("etc/os-release", f | 0o644, Path("/etc/os-release").read_bytes(), (0, 0)),
        ("usr/sbin/qemu-ga", f | 0o755, Path(AGENT_BINARY).read_bytes(), (0, 0)),
        ("bin/qemu-ga", ln, b"../usr/sbin/qemu-ga", (0, 0)),
    ]
    made: set[str] = set()

    def add_file(path: Path, mode: int, data: bytes) -> None:
        parts = path.parts
        for i in range(1, len(parts)):
            prefix = "/".join(parts[:i])
            if prefix not in made:
                made.add(prefix)
                entries.append((prefix, d, b"", (0, 0)))
        entries.append(("/".join(parts), f | mode, data, (0, 0)))

    for rel in module_paths:
        add_file(Path("lib/modules", kernel_version, rel), 0o644, (modules_dir / rel).read_bytes())
    for lib in _shared_libraries(AGENT_BINARY):  # at the paths the binary asks for, symlinks followed
        add_file(Path(lib.lstrip("/")), 0o755, Path(lib).read_bytes())
    return gzip.compress(write_newc(entries), compresslevel=1)


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "xenia" / "guest"


def build_guest_image(cache_root: Path | None = None) -> GuestImage:
    """Return the test guest, building it first if no cached copy matches the installed packages.

    Safe to call from concurrent test processes: each build goes to a temporary directory that is
    renamed into place atomically, and a loser of that race simply uses the winner's copy.

    :raises GuestImageUnavailable: the kernel, busybox or qemu-guest-agent package is missing.
    """
    kernel_version = _find_kernel()
    busybox_path = Path("/bin/busybox")
    key_material = "\n".join(
        [
            kernel_version,
            _package_version(f"linux-image-{kernel_version}"),
            _package_version("busybox-static"),
            _package_version("qemu-guest-agent"),
            _RECIPE_VERSION,
            hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
        ]
    )
    key = hashlib.sha256(key_material.encode()).hexdigest()[:16]
    root = cache_root or _cache_root()
    target = root / key
    image = GuestImage(kernel=target / "vmlinuz", initrd=target / "initrd.gz", kernel_version=kernel_version)
    if image.kernel.exists() and image.initrd.exists():
        return image
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=root))
    try:
        shutil.copyfile(f"/boot/vmlinuz-{kernel_version}", tmp / "vmlinuz")
        (tmp / "initrd.gz").write_bytes(_initramfs(kernel_version, busybox_path.read_bytes()))
        (tmp / "KEY").write_text(key_material + "\n")
        try:
            tmp.rename(target)
        except OSError:
            if not (image.kernel.exists() and image.initrd.exists()):
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return image


# ----------------------------------------------------------------------------------------------
# Helpers for tests that run the guest through the qemu driver


def guest_other_config(image: GuestImage) -> dict[str, str]:
    """``DomainSpec.other_config`` that makes the qemu driver boot ``image`` directly."""
    return {
        "xenia-qemu-kernel": str(image.kernel),
        "xenia-qemu-initrd": str(image.initrd),
        "xenia-qemu-cmdline": image.append,
    }


def make_test_image(path: Path, size: int = 64 * 1024 * 1024) -> str:
    """Create a disk image for tests: an ISO 9660 image if ``path`` ends in ``.iso`` (made with
    ``genisoimage``, volume id = the file's stem), else an empty qcow2 of ``size`` bytes."""
    if path.suffix == ".iso":
        with tempfile.TemporaryDirectory() as content:
            Path(content, "hello.txt").write_text(f"{path.stem}\n")
            subprocess.run(
                ["genisoimage", "-quiet", "-o", str(path), "-V", path.stem.upper()[:32], "-R", "-J", content],
                check=True,
            )
    else:
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", str(path), str(size)], check=True)
    return str(path)


class SerialConsole:
    """A test's view of the guest's serial console (the driver's ``vt100`` unix socket).

    It reads continuously in a background task (a console nobody drains stalls the guest's
    output, qemu.md §8) and lets a test wait for text or run a shell command.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._changed = asyncio.Event()
        self._writer: asyncio.StreamWriter | None = None
        self._task: asyncio.Task[None] | None = None
        self._seq = 0
        #: Offset in the output from which :meth:`wait_for` searches.
        self.mark = 0

    @classmethod
    async def attach(cls, path: str, timeout: float = 300.0) -> SerialConsole:
        """The console at ``path`` once the guest's shell answers (the socket may not exist yet, and a
        line typed before the shell started is lost, so both are retried until ``timeout``)."""
        console = cls()
        deadline = time.monotonic() + timeout
        while True:
            try:
                await console.connect(path)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)
        while True:
            try:
                if (await console.run("true", timeout=2))[0] == 0:
                    return console
            except TimeoutError:
                if time.monotonic() > deadline:
                    raise

    async def connect(self, path: str) -> None:
        reader, self._writer = await asyncio.open_unix_connection(path)
        self._task = asyncio.create_task(self._pump(reader))

    async def _pump(self, reader: asyncio.StreamReader) -> None:
        while chunk := await reader.read(65536):
            self._buffer += chunk
            self._changed.set()
        self._changed.set()

    @property
    def output(self) -> str:
        """Everything read so far."""
        return self._buffer.decode(errors="replace")

    async def wait_for(self, text: str, timeout: float = 120.0) -> str:
        """Wait until ``text`` appears after :attr:`mark`; move the mark past it; return the output
        between the old mark and the end of ``text``."""
        needle = text.encode()
        async with asyncio.timeout(timeout):
            while True:
                at = self._buffer.find(needle, self.mark)
                if at >= 0:
                    seen = bytes(self._buffer[self.mark : at + len(needle)])
                    self.mark = at + len(needle)
                    return seen.decode(errors="replace")
                if self._task is not None and self._task.done():
                    raise EOFError(f"console closed before {text!r} appeared")
                self._changed.clear()
                await self._changed.wait()

    async def run(self, command: str, timeout: float = 60.0) -> tuple[int, str]:
        """Run ``command`` in the guest shell; return its exit status and output."""
        assert self._writer is not None
        self._seq += 1
        tag = f"XENIA-DONE-{self._seq}"
        # The marker is printed by echo, so the echoed command line itself never matches it.
        self._writer.write(f"{command}; echo {tag[:6]}''{tag[6:]}=$?\n".encode())
        await self._writer.drain()
        seen = await self.wait_for(f"{tag}=", timeout)
        status = await self.wait_for("\n", timeout)
        body = seen.split("\n", 1)[1] if "\n" in seen else ""
        return int(status.strip()), body[: body.rfind(tag)]

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
