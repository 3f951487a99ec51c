"""Benchmark: the migration library (xenia.migration), in process, with no daemon.

Prints, in one run, each figure beside its goal (issue 15):

* simulator: the achieved rate of a migration capped at 10, 50 and 100 MiB/s beside the cap
  (goal: within 5 %), and the progress callbacks per second (goal: at least 2);
* simulator: 100 migrations at once between two drivers (wall time, migrations per second);
* QEMU (skip with ``--no-qemu``): live migration of the booted test guest, 256 MiB and 1 GiB
  (``--sizes``), moved back and forth between two QEMU drivers (two hosts on this machine),
  alternately through the library (TCP receiver, frames, limiter: xenia's path) and directly over
  QMP (the floor: ``migrate fd:`` into a pipe, a thread copying it into the destination's
  ``-incoming`` pipe). xenia's receiving end is ``xenia migrate-receive`` in a process of its own
  (started and listening before the clock starts), as the destination daemon is on another host;
  the source's relay runs in this process. Both start from the same QEMU parameters (``max-bandwidth`` lifted from its
  128 MiB/s default, ``downtime-limit`` 300 ms, the ``events`` capability, no multifd); xenia
  adds ``pause-before-switchover`` (its hand-over protocol needs it). Total time is from the start
  (before the destination QEMU is launched) to the guest running on the destination, for both.
  Downtime is shown twice: as QEMU reports it, and as the guest sees it: a shell loop in the guest
  prints a counter on its serial console every few milliseconds, the bench stamps each line as it
  arrives from the source's and then the destination's console, and the gap between the source's
  last line and the destination's first is the pause the guest lived through (the counter must
  run on without a hole). Between the two, "paused" is the host's view: the source QEMU's STOP event
  to the destination QEMU's RESUME event (for xenia, whose destination QEMU is the receiver
  process's, to the source's DONE from the receiver, which comes after that RESUME: an upper bound). The guest's gap also holds the destination QEMU's first moments under
  TCG (every translated block made anew), the same on both paths. CPU s is the CPU time of this
  process and, for xenia, of the receiver's during the move (the path's own cost, whatever the load).
  Then the same guest through xenia capped at 10, 50 and 100 MiB/s.
* the issue's other figures, by their own benchmarks run from this one so that one run prints
  them all (skip with ``--no-others``): ``bench/migdisks.py`` (downtime of a live migration with a
  disk), ``bench/export.py`` (export and import beside ``qemu-img convert`` of the same disk) and
  ``bench/qos.py`` (a guest writing through capped disks).

The benchmark is the child subreaper of everything it starts and reaps exited orphans at once
(``_common.run_as_subreaper``), as init does on a normal host, and prints how long they waited.

Run: ``.venv/bin/python bench/migration.py [--no-qemu] [--sizes 256,1024] [--rounds N] [--no-caps]
[--no-others]``.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import fcntl
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import run_as_subreaper

from xenia.drivers.base import DomainSpec, DriverConfig
from xenia.drivers.qemu.qmp import EventQueue
from xenia.drivers.sim import SimDriver, VirtualClock
from xenia.migration import MigrationOptions, Phase, Progress, Receiver, Sink, migrate
from xenia.migration.qemu import PIPE_SIZE, QemuSource
from xenia.migration.sim import SimSink, SimSource
from xenia.testing.guest import READY_MARKER, SerialConsole, build_guest_image, guest_other_config

MiB = 1 << 20


def _spec(memory: int) -> DomainSpec:
    return DomainSpec(vm_uuid=str(uuid.uuid4()), name="bench", vcpus_max=1, vcpus_at_startup=1,
                      memory_static_max=memory, memory_dynamic_min=memory, memory_dynamic_max=memory,
                      memory_target=memory)  # fmt: skip


async def _sim(path: Path, model: str) -> SimDriver:
    drv = SimDriver(DriverConfig(state_dir=path, options={"state": "memory", "migration-memory": model,
                                                          "dirty-rate": "64K"}), clock=VirtualClock())  # fmt: skip
    await drv.open()
    return drv


def _stamped(reports: list[tuple[float, Progress]]) -> Any:
    """A progress callback keeping each report with the time it came."""
    return lambda p: reports.append((time.monotonic(), p))


async def sim_caps(base: Path) -> None:
    src, dst = await _sim(base / "a", "64M"), await _sim(base / "b", "64M")
    receiver = Receiver()
    await receiver.start()

    async def factory(hello: dict[str, Any]) -> Sink:
        return SimSink(dst)

    print("simulator, 64 MiB of modelled memory, capped (streaming: first to last byte of the pre-copy;")
    print("  whole: bytes over prepare..clean-up, which adds the fixed connect/switch-over/clean-up time):")
    print(f"  {'cap MiB/s':>10} {'streaming MiB/s':>16} {'ratio':>7} {'whole MiB/s':>12} {'progress/s':>11}")
    for cap in (10, 50, 100):
        spec = _spec(256 * MiB)
        await src.vm.create(spec)
        await src.vm.unpause(spec.vm_uuid)
        reports: list[tuple[float, Progress]] = []
        options = MigrationOptions(bandwidth=cap * MiB, progress=_stamped(reports))
        result = await migrate(SimSource(src, spec.vm_uuid), receiver.address, receiver.expect(factory).token, options)
        flowing = [(t, p.bytes_sent) for t, p in reports if p.phase is Phase.SEND_MEMORY and p.bytes_sent > 0]
        (t0, b0), (t1, b1) = flowing[0], flowing[-1]
        streaming = (b1 - b0) / (t1 - t0) / MiB
        whole = result.bytes_sent / result.duration / MiB
        print(f"  {cap:>10} {streaming:>16.2f} {streaming / cap:>7.3f} {whole:>12.2f} "
              f"{len(reports) / result.duration:>11.1f}")  # fmt: skip
        await dst.vm.destroy(spec.vm_uuid)
    await receiver.close()
    await src.close()
    await dst.close()


async def sim_herd(base: Path, count: int = 100) -> None:
    src, dst = await _sim(base / "c", "256K"), await _sim(base / "d", "256K")
    receiver = Receiver()
    await receiver.start()

    async def factory(hello: dict[str, Any]) -> Sink:
        return SimSink(dst)

    vms = []
    for _ in range(count):
        spec = _spec(256 * MiB)
        await src.vm.create(spec)
        await src.vm.unpause(spec.vm_uuid)
        vms.append(spec.vm_uuid)
    began = time.monotonic()
    await asyncio.gather(*(migrate(SimSource(src, vm), receiver.address, receiver.expect(factory).token)
                           for vm in vms))  # fmt: skip
    wall = time.monotonic() - began
    print(f"simulator, {count} migrations at once (256 KiB modelled each): {wall:.2f} s, {count / wall:.0f}/s")
    await receiver.close()
    await src.close()
    await dst.close()


# ------------------------------------------------------------------------------------- QEMU

#: the guest's ticker: a line ``@t<n>`` every few milliseconds on its serial console, from a
#: background shell loop (busybox ash; ``read -t`` on a FIFO nobody writes is its sleep without a fork)
TICKER = (
    "(mkfifo /tmp/tick; exec 3<>/tmp/tick; i=0; while :; do i=$((i+1)); echo @t$i; read -t 0.002 -u 3 x; done)"
    " </dev/null >/dev/console 2>&1 & true"
)
_TICK = re.compile(rb"@t(\d+)\r?\n")


class TickConsole(SerialConsole):
    """A serial console that stamps every chunk it reads with the host's monotonic clock, so the
    guest's ticker gives the guest's own view of the switch-over: the gap in its output."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[tuple[float, int]] = []  #: (arrival, buffer length after it)

    async def _pump(self, reader: asyncio.StreamReader) -> None:
        while chunk := await reader.read(65536):
            self._buffer += chunk
            self.chunks.append((time.monotonic(), len(self._buffer)))
            self._changed.set()
        self._changed.set()

    def ticks(self, since: float = 0.0) -> list[tuple[float, int]]:
        """(arrival, counter) of each tick whose last byte came at or after ``since``."""
        ends = [end for _, end in self.chunks]
        out: list[tuple[float, int]] = []
        for match in _TICK.finditer(self._buffer):
            stamp = self.chunks[bisect.bisect_left(ends, match.end())][0]
            if stamp >= since:
                out.append((stamp, int(match.group(1))))
        return out


async def follow_console(driver: Any, vm: str, resumed: list[float]) -> TickConsole:
    """The serial console of ``vm`` on ``driver`` as soon as its domain's socket exists (before
    the incoming QEMU runs the guest, so its first tick is seen); the stamps of its QEMU's RESUME
    events (the guest running there) go to ``resumed``."""
    console = TickConsole()
    watched = None
    while True:
        dom = driver.domains.get(vm)
        if dom is not None and dom is not watched:
            watched = dom
            dom.qmp.add_event_handler(lambda e: resumed.append(time.monotonic()) if e.name == "RESUME" else None)
        if dom is not None:
            with contextlib.suppress(OSError):
                await console.connect(str(dom.paths.serial))
                return console
        await asyncio.sleep(0.002)


@dataclass
class Move:
    """One migration of the guest, as the bench saw it."""

    path: str
    total: float  #: seconds, start to the guest running on the destination
    qemu_downtime_ms: float
    guest_gap_ms: float  #: last tick seen from the source to the first from the destination
    tick_ms: float  #: the ticker's usual interval (the resolution of the gap)
    continuous: bool  #: the destination's first tick follows the source's last
    sent_mib: float
    paused_ms: float  #: the source QEMU's STOP event to the destination QEMU's RESUME, as the host saw them; xenia: to DONE
    cpu_s: float  #: CPU seconds of this process (and of the receiver process, xenia) during the move
    rate: float = 0.0  #: MiB/s while bytes flowed (capped runs)
    receiver_cpu_s: float = 0.0  #: of ``cpu_s``, the receiver process's (xenia)


class Guest:
    """The booted test guest moving between two QEMU drivers (two 'hosts' on this machine)."""

    def __init__(self, a: Any, b: Any, spec: DomainSpec) -> None:
        self.here, self.there, self.spec = a, b, spec
        self.console: TickConsole | None = None

    @property
    def vm(self) -> str:
        return self.spec.vm_uuid

    def _watch_stop(self) -> tuple[list[float], Any]:
        """Stamps of the source QEMU's STOP events (the guest paused for the switch-over)."""
        stops: list[float] = []
        remove = self.here.domain(self.vm).qmp.add_event_handler(
            lambda e: stops.append(time.monotonic()) if e.name == "STOP" else None
        )
        return stops, remove

    async def boot(self) -> None:
        await self.here.vm.create(self.spec)
        console = TickConsole()
        await console.connect(str(self.here.domains[self.vm].paths.serial))
        await self.here.vm.unpause(self.vm)
        await console.wait_for(READY_MARKER, timeout=600)
        status, _ = await console.run(TICKER, timeout=120)
        assert status == 0, "the ticker did not start"
        await console.wait_for("@t20", timeout=60)
        self.console = console

    def _gap(self, began: float, new: TickConsole) -> tuple[float, float, bool]:
        """The guest's pause in ms (source's last tick to the destination's first), the ticker's
        usual interval in ms, and whether the counter ran on without a hole (a line cut by the
        switch-over is completed from the destination's first bytes)."""
        assert self.console is not None
        before = self.console.ticks(began - 2.0)
        after = new.ticks()
        assert before and after, "the ticker fell silent"
        usual = (before[-1][0] - before[0][0]) / (len(before) - 1) if len(before) > 1 else 0.0
        tail = bytes(self.console._buffer[self.console._buffer.rfind(b"@t") :])
        joined = [int(m.group(1)) for m in _TICK.finditer(tail + bytes(new._buffer))]
        numbers = [before[-1][1], *joined]
        numbers = [n for i, n in enumerate(numbers) if i == 0 or n != numbers[i - 1]]
        continuous = len(numbers) > 1 and numbers[1] == numbers[0] + 1
        return (after[0][0] - before[-1][0]) * 1000, usual * 1000, continuous

    async def _swap(self, new: TickConsole) -> None:
        assert self.console is not None
        await self.console.close()
        self.here, self.there, self.console = self.there, self.here, new

    async def floor(self) -> Move:
        """The same move driven directly over QMP: launch the destination QEMU with ``-incoming``
        (a pipe), ``migrate fd:`` on the source into another pipe (both of xenia's pipe size), a thread
        copying one pipe into the other in 1 MiB reads (no framing, no limiter, no TCP, no pause-before-switchover), ``cont``."""
        src, dst, vm = self.here, self.there, self.vm
        dom = src.domain(vm)
        stops, unwatch = self._watch_stop()
        cpu, began = time.process_time(), time.monotonic()
        await dom.execute("migrate-set-capabilities", {"capabilities": [{"capability": "events", "state": True}]})
        await dom.execute("migrate-set-parameters", {"max-bandwidth": 1 << 40, "downtime-limit": 300})
        src_r, src_w = os.pipe()
        dst_r, dst_w = os.pipe()
        for fd in (src_r, dst_r):  # the pipes as large as xenia's
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        resumed: list[float] = []
        console_task = asyncio.create_task(follow_console(dst, vm, resumed))
        launch = asyncio.create_task(dst.launch(self.spec, f"/proc/self/fd/{dst_r}"))
        while vm not in dst.domains or dst.domains[vm].incoming_fd is None:
            await asyncio.sleep(0.002)
        os.close(dst_r)
        copied = [0]

        def relay() -> None:
            while chunk := os.read(src_r, 1 << 20):
                view = memoryview(chunk)
                while view:
                    view = view[os.write(dst_w, view) :]
                copied[0] += len(chunk)
            os.close(dst_w)

        thread = threading.Thread(target=relay)
        thread.start()
        queue = EventQueue(("MIGRATION",))
        detach = queue.attach(dom.qmp)
        await dom.qmp.execute_with_fd("getfd", {"fdname": "bench"}, src_w)
        os.close(src_w)
        await dom.execute("migrate", {"uri": "fd:bench"})
        await queue.get(lambda e: e.data.get("status") in ("completed", "failed", "cancelled"))
        detach()
        info = await dom.execute("query-migrate")
        assert info.get("status") == "completed", info
        await asyncio.to_thread(thread.join)
        os.close(src_r)
        await launch
        await dst.vm.unpause(vm)
        running = time.monotonic()
        total, cpu = running - began, time.process_time() - cpu
        unwatch()
        new = await console_task
        await src.vm.destroy(vm)
        await new.wait_for("@t", timeout=30)  # the guest runs there
        await new.wait_for("\n", timeout=30)
        gap, usual, continuous = self._gap(began, new)
        await self._swap(new)
        return Move("direct QMP, bare pipe relay (floor)", total, float(info.get("downtime", 0)), gap, usual,
                    continuous, copied[0] / MiB, (resumed[0] - stops[-1]) * 1000, cpu)  # fmt: skip

    async def xenia(self, cap: float | None = None) -> Move:
        """The move through :func:`xenia.migration.migrate`: TCP receiver, frames, limiter. The
        receiving end is ``xenia migrate-receive`` in its own process on the destination's state
        directory, as a destination daemon is on another host: the source's relay and the receiver
        do not share one event loop (or one core). It is started, and has printed its token, before
        the clock starts (a daemon's receiver is already listening); the bench's driver adopts the
        domain it leaves running, as a restarted daemon does."""
        src, dst, vm = self.here, self.there, self.vm
        before = set(dst.base.glob("d*"))
        receiver = await asyncio.create_subprocess_exec(
            sys.executable, "-c", "import sys; from xenia.cli.main import main; sys.exit(main())",
            "migrate-receive", "--driver", "qemu", "--state-dir", str(dst.base.parent),
            "--driver-option", "accel=auto", stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert receiver.stdout is not None
        ticket = json.loads(await receiver.stdout.readline())
        host, _, port = ticket["address"].rpartition(":")
        reports: list[tuple[float, Progress]] = []
        stops, unwatch = self._watch_stop()
        cpu, child_cpu, began = time.process_time(), _cpu_seconds(receiver.pid), time.monotonic()
        console_task = asyncio.create_task(follow_new_console(dst.base, before))
        options = MigrationOptions(bandwidth=cap * MiB if cap else None, progress=_stamped(reports))
        result = await migrate(QemuSource(src, vm), (host, int(port)), ticket["token"], options)
        running = next(t for t, p in reports if p.phase is Phase.CLEAN_UP)  # the receiver's DONE
        cpu = time.process_time() - cpu
        unwatch()
        assert "received" in json.loads(await receiver.stdout.readline())
        child_cpu = _cpu_seconds(receiver.pid) - child_cpu  # before it exits (closing its driver)
        cpu += child_cpu
        assert await receiver.wait() == 0
        await dst.open()  # adopts the domain the receiver left running
        new = await console_task
        await new.wait_for("@t", timeout=30)  # the guest runs there
        await new.wait_for("\n", timeout=30)
        gap, usual, continuous = self._gap(began, new)
        await self._swap(new)
        flowing = [(t, p.bytes_sent) for t, p in reports if p.phase is Phase.SEND_MEMORY and p.bytes_sent > 0]
        (t0, b0), (t1, b1) = flowing[0], flowing[-1]
        rate = (b1 - b0) / (t1 - t0) / MiB if t1 > t0 else 0.0
        label = f"xenia.migration, cap {cap:g} MiB/s" if cap else "xenia.migration (TCP, frames, limiter)"
        # the destination QEMU's RESUME is the receiver's to see: paused runs here to the source's DONE
        return Move(label, running - began, float(result.switch.get("qemu_downtime_ms") or 0), gap, usual,
                    continuous, result.bytes_sent / MiB, (running - stops[-1]) * 1000, cpu, rate, child_cpu)  # fmt: skip


def _cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of the live process ``pid`` (``/proc/PID/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def follow_new_console(base: Path, before: set[Path]) -> TickConsole:
    """The serial console of the domain another process (the receiver) starts under ``base``, as
    soon as its socket exists (before its QEMU runs the guest, so its first tick is seen)."""
    console = TickConsole()
    while True:
        for root in set(base.glob("d*")) - before:
            with contextlib.suppress(OSError):
                await console.connect(str(root / "serial.sock"))
                return console
        await asyncio.sleep(0.002)


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def _print_moves(moves: list[Move]) -> None:
    print(f"  {'path':<40} {'total s':>7} {'QEMU down ms':>12} {'paused ms':>9} {'guest gap ms':>12} {'tick ms':>7} "
          f"{'no hole':>7} {'MiB sent':>8} {'CPU s':>6} {'of which receiver':>17}")  # fmt: skip
    for m in moves:
        print(f"  {m.path:<40} {m.total:>7.2f} {m.qemu_downtime_ms:>12.0f} {m.paused_ms:>9.0f} {m.guest_gap_ms:>12.0f} "
              f"{m.tick_ms:>7.1f} {'yes' if m.continuous else 'NO':>7} {m.sent_mib:>8.1f} {m.cpu_s:>6.2f} "
              f"{m.receiver_cpu_s:>17.2f}")  # fmt: skip


async def qemu_guest(base: Path, memory: int, rounds: int, caps: bool) -> None:
    from xenia.drivers.qemu import QemuDriver

    image = build_guest_image()
    a = QemuDriver(DriverConfig(state_dir=base / f"qa{memory}", options={"accel": "auto"}))
    b = QemuDriver(DriverConfig(state_dir=base / f"qb{memory}", options={"accel": "auto"}))
    await a.open()
    await b.open()
    spec = DomainSpec(vm_uuid=str(uuid.uuid4()), name="bench", vcpus_max=1, vcpus_at_startup=1,
                      memory_static_max=memory, memory_dynamic_min=memory, memory_dynamic_max=memory,
                      memory_target=memory, platform={"vnc": "false"}, other_config=guest_other_config(image))  # fmt: skip
    guest = Guest(a, b, spec)
    try:
        await guest.boot()
        floors: list[Move] = []
        ours: list[Move] = []
        for _ in range(rounds):  # alternated, so both see the same load and both directions
            floors.append(await guest.floor())
            ours.append(await guest.xenia())
        print(f"QEMU, booted guest of {memory // MiB} MiB ({os.getloadavg()[0]:.1f} load), {rounds} moves each way, "
              "alternated; total = start to the guest running on the destination:")  # fmt: skip
        _print_moves([m for pair in zip(floors, ours, strict=True) for m in pair])
        floor, mine = _median([m.total for m in floors]), _median([m.total for m in ours])
        print(f"  median total: floor {floor:.2f} s, xenia {mine:.2f} s, ratio {mine / floor:.2f} (goal <= 1.10)")
        for name, moves in (("floor", floors), ("xenia", ours)):
            print(f"  {name}: QEMU's downtime {_median([m.qemu_downtime_ms for m in moves]):.0f} ms, paused (STOP to "
                  f"RESUME) {_median([m.paused_ms for m in moves]):.0f} ms, guest gap "
                  f"{_median([m.guest_gap_ms for m in moves]):.0f} ms (medians; goal <= 300 ms)")  # fmt: skip
        if caps:
            capped = [await guest.xenia(cap) for cap in (10, 50, 100)]
            print(
                "QEMU, the same guest through xenia capped (rate: MiB/s while bytes flow, from the progress reports):"
            )
            _print_moves(capped)
            free = _median([m.rate for m in ours])
            print(f"  uncapped, the same path moved {free:.1f} MiB/s while bytes flowed (median): a cap above it "
                  "cannot be reached on this machine now")  # fmt: skip
            for cap, m in zip((10, 50, 100), capped, strict=True):
                print(f"  cap {cap:>3} MiB/s: achieved {m.rate:7.2f} MiB/s, ratio {m.rate / cap:.3f} (goal 0.95..1.05)")
    finally:
        if guest.console is not None:
            await guest.console.close()
        for drv in (a, b):
            if spec.vm_uuid in drv.domains:
                await drv.vm.destroy(spec.vm_uuid)
            await drv.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--no-qemu", action="store_true", help="the simulator only")
    parser.add_argument("--sizes", default="256,1024", help="guest memory sizes in MiB (default 256,1024)")
    parser.add_argument("--rounds", type=int, default=2, help="moves each way per size (default 2)")
    parser.add_argument("--no-caps", action="store_true", help="no capped QEMU moves")
    parser.add_argument("--no-others", action="store_true", help="not the disk, export and QoS benchmarks")
    args = parser.parse_args()
    one, five, _ = os.getloadavg()
    print(f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="xenia-bench-mig-") as tmp:
        base = Path(tmp)
        await sim_caps(base)
        await sim_herd(base)
        if not args.no_qemu:
            for i, size in enumerate(int(s) for s in args.sizes.split(",")):
                await qemu_guest(base, size * MiB, args.rounds, caps=not args.no_caps and i == 0)
    if not args.no_others:
        others = [["bench/export.py", "--mib", "256"]]
        if not args.no_qemu:
            others = [["bench/migdisks.py", "--moves", "4"], *others, ["bench/qos.py"]]
        here = Path(__file__).resolve().parent.parent
        for cmd in others:
            print(f"--- {' '.join(cmd)}", flush=True)
            rc = await (await asyncio.create_subprocess_exec(sys.executable, *cmd, cwd=here)).wait()
            if rc:
                print(f"--- {cmd[0]} exited with status {rc}", flush=True)


if __name__ == "__main__":
    run_as_subreaper(lambda: asyncio.run(main()))
