"""Shared helpers for xenia's benchmarks: daemons, a lean HTTP client, timed runs, a libvirt worker.

This module uses the standard library only, on purpose: the libvirt side of a
benchmark runs it with Debian's ``/usr/bin/python3`` (where ``python3-libvirt``
lives, and where xenia and its dependencies are not installed) as
``/usr/bin/python3 bench/_common.py libvirt ...``.  The xenia side imports it
from the project's venv.

Why a lean client: the official SDK (``xmlrpc.client`` underneath) spends more
CPU per call than the server does, so with it a benchmark measures the client.
:class:`LeanConnection` sends prebuilt request bytes over one keep-alive
connection and reads each answer by its Content-Length, without decoding it.

Why processes for concurrent clients: the machines this runs on have 2 cores;
client threads would share one GIL with each other, so N clients in threads
are not N clients.  :func:`measure` forks one process per client, each with its
own connection, and starts them together behind a barrier.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

#: nothing waits longer than this for a daemon to come up or go away
START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0
#: one call (even a get_all_records of 10 000 VMs with 8 clients) never takes this long
CALL_TIMEOUT = 300.0
#: a timed loop stops after this many calls even if its deadline has not come
MAX_CALLS = 10_000_000

Address = str | tuple[str, int]
T = TypeVar("T")


# ------------------------------------------------------------------ HTTP client

_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)", re.IGNORECASE)


def http_post(path: str, body: bytes, content_type: str, host: str = "localhost") -> bytes:
    """The bytes of one keep-alive HTTP/1.1 POST, built once and sent many times."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: xenia-bench\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


class HttpFailure(Exception):
    """The server answered with something other than 200, or went away."""


class LeanConnection:
    """One keep-alive connection (TCP or unix socket) that sends request bytes and returns response bodies.

    Pipelining is supported: send several requests, then read as many
    responses; HTTP/1.1 answers them in order.
    """

    def __init__(self, address: Address, timeout: float = CALL_TIMEOUT) -> None:
        if isinstance(address, str):
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        else:
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.settimeout(timeout)
        self.sock.connect(address)
        self.buf = bytearray()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _fill(self, want: int) -> None:
        chunk = self.sock.recv(max(want, 262144))
        if not chunk:
            raise HttpFailure("connection closed by the server")
        self.buf += chunk

    def read_response(self) -> bytes:
        """The body of the next response; raises HttpFailure unless its status is 200."""
        buf = self.buf
        while (end := buf.find(b"\r\n\r\n")) < 0:
            self._fill(0)
        head = bytes(buf[:end])
        if not head.startswith(b"HTTP/1.1 200"):
            raise HttpFailure(head.split(b"\r\n", 1)[0].decode("latin-1", "replace"))
        match = _CONTENT_LENGTH.search(head)
        if match is None:
            raise HttpFailure("response without Content-Length")
        length = int(match.group(1))
        total = end + 4 + length
        if len(buf) >= total:
            body = bytes(buf[end + 4 : total])
            del buf[:total]
            return body
        # a large body: receive the rest straight into one buffer of the right size
        whole = bytearray(length)
        view = memoryview(whole)
        got = len(buf) - end - 4
        view[:got] = buf[end + 4 :]
        buf.clear()
        while got < length:
            n = self.sock.recv_into(view[got:], length - got)
            if n == 0:
                raise HttpFailure("connection closed by the server")
            got += n
        view.release()
        return bytes(whole)

    def call(self, request: bytes) -> bytes:
        self.sock.sendall(request)
        return self.read_response()

    def close(self) -> None:
        self.sock.close()


# ------------------------------------------------------------------ timed runs


@dataclass
class Measurement:
    """The outcome of one timed run: calls by all clients and how long the slowest client ran."""

    calls: int
    seconds: float
    clients: int
    #: per-call latency quantiles in milliseconds, over all clients
    p50_ms: float
    p99_ms: float
    max_ms: float
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.calls / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["rate"] = self.rate
        return d


Op = Callable[[], object]
#: called in each client (after the fork) to open its connection; returns the call to repeat
OpFactory = Callable[[], Op]


def _quantile(sorted_values: Sequence[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


Run = tuple[int, float, list[float], float]


def _timed_loop(op: Op, duration: float) -> Run:
    """Repeat ``op`` until ``duration`` has passed (at least once); returns (calls, seconds, latencies, client CPU)."""
    lat: list[float] = []
    clock = time.perf_counter
    cpu = time.process_time()
    start = clock()
    deadline = start + duration
    now = start
    calls = 0
    while calls < MAX_CALLS:
        op()
        after = clock()
        lat.append(after - now)
        now = after
        calls += 1
        if now >= deadline:
            break
    return calls, now - start, lat, time.process_time() - cpu


def _client(factory: OpFactory, duration: float, warmup: int, barrier: Any, out: Connection) -> None:
    """One client process: connect, warm up, wait for the others, run, report."""
    try:
        op = factory()
        for _ in range(warmup):
            op()
        barrier.wait(timeout=START_TIMEOUT + CALL_TIMEOUT)
        out.send(("ok", _timed_loop(op, duration)))
    except BaseException as e:  # reported to the parent, which fails the run
        barrier.abort()
        out.send(("error", f"{type(e).__name__}: {e}"))
    finally:
        out.close()


def cpu_seconds(pid: int | None) -> float:
    """User plus system CPU time a process has used so far (0 when unknown)."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # after the command name: state is field 3, utime and stime are fields 14 and 15
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    factory: OpFactory, clients: int, duration: float, warmup: int = 3, server_pid: int | None = None
) -> Measurement:
    """Run ``clients`` concurrent clients for ``duration`` seconds and add up their calls.

    One client runs in this process; several run in forked processes, one
    connection each.  The rate is all calls divided by the longest client's
    time, so a slow straggler lowers it rather than being ignored.  With
    ``server_pid``, the server's CPU use during the timed part is recorded too
    (``extra["server_cpu"]``, in cores): a server near 1.0 is saturated, since
    xenia serves from one thread.  ``extra["client_cpu"]`` is what the clients
    themselves used, in cores, to show whether they could be the bottleneck.
    """
    if clients == 1:
        op = factory()
        for _ in range(warmup):
            op()
        cpu0 = cpu_seconds(server_pid)
        run = _timed_loop(op, duration)
        cpu1 = cpu_seconds(server_pid)
        m = _summarise([run], clients)
        seconds = run[1]
        m.extra["server_cpu"] = (cpu1 - cpu0) / seconds if server_pid and seconds > 0 else None
        return m
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(clients + 1)
    procs: list[tuple[Any, Connection]] = []
    for _ in range(clients):
        mine, theirs = ctx.Pipe(duplex=False)
        p = ctx.Process(target=_client, args=(factory, duration, warmup, barrier, theirs), daemon=True)
        p.start()
        theirs.close()
        procs.append((p, mine))
    results: list[Run] = []
    errors: list[str] = []
    try:
        try:
            barrier.wait(timeout=START_TIMEOUT + CALL_TIMEOUT)
        except threading.BrokenBarrierError:
            pass  # a client failed before the start; its error comes through its pipe
        cpu0, wall0 = cpu_seconds(server_pid), time.perf_counter()
        deadline = time.monotonic() + duration + CALL_TIMEOUT
        for _p, conn in procs:
            if not conn.poll(max(0.0, deadline - time.monotonic())):
                errors.append("a client did not finish in time")
                continue
            status, payload = conn.recv()
            if status == "ok":
                results.append(payload)
            else:
                errors.append(payload)
        cpu1, wall1 = cpu_seconds(server_pid), time.perf_counter()
    finally:
        for p, conn in procs:
            conn.close()
            p.join(timeout=5)
            if p.is_alive():
                p.kill()
                p.join(timeout=5)
    if errors:
        raise RuntimeError("client failed: " + "; ".join(errors))
    m = _summarise(results, clients)
    m.extra["server_cpu"] = (cpu1 - cpu0) / (wall1 - wall0) if server_pid and wall1 > wall0 else None
    return m


def _summarise(results: list[Run], clients: int) -> Measurement:
    calls = sum(r[0] for r in results)
    seconds = max(r[1] for r in results)
    lat = sorted(x for r in results for x in r[2])
    client_cpu = sum(r[3] for r in results)
    return Measurement(
        calls=calls,
        seconds=seconds,
        clients=clients,
        p50_ms=_quantile(lat, 0.50) * 1e3,
        p99_ms=_quantile(lat, 0.99) * 1e3,
        max_ms=(lat[-1] if lat else 0.0) * 1e3,
        extra={"client_cpu": client_cpu / seconds if seconds > 0 else None},
    )


# ------------------------------------------------------------------- processes

PR_SET_CHILD_SUBREAPER = 36


class Subreaper:
    """Make this process the reaper of its orphaned descendants, and reap them as soon as they exit.

    Why: in a container the process that inherits orphans is often a pid 1
    that reaps late (seen here: about 1.5 s after the child exits).  A daemon
    such as libvirtd that waits for a QEMU it double-forked, polling
    ``kill(pid, 0)``, then sees the process alive until that late reap, and a
    benchmark would charge libvirt for this machine's pid 1.  On a normal host
    init reaps at once; with this class the benchmark does the same.

    Only true orphans are reaped here.  A child this process started itself
    (``subprocess.Popen``, asyncio's subprocess transports, which use Popen,
    ``multiprocessing.Process``, a bare ``os.fork``) belongs to whoever started
    it, which needs its exit status.  So while a Subreaper is active every way
    of starting a process (``_posixsubprocess.fork_exec`` and subprocess's own
    name for it, ``os.fork``, ``os.posix_spawn[p]``) is wrapped to record the
    new pid in :data:`_OWN_PIDS`, and the children that existed before
    ``__enter__`` are recorded too (no orphan can have been handed to us before
    we became a subreaper).  While a launch is under way (its pid not yet
    recorded) the thread looks again a moment later instead of guessing.  It
    peeks with ``WNOWAIT`` and reaps a zombie only when its pid is not recorded.

    The thread blocks in ``waitid`` (the GIL released) rather than polling, so
    it costs a benchmark nothing while no child exits; it polls every
    millisecond only while one of our own zombies waits for its owner.
    ``waited`` records, per reaped orphan, the time from the moment the thread
    saw it exit to the reap: it shows that exits were handled at once.
    """

    def __init__(self) -> None:
        self.reaped = 0
        self.waited: list[float] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Subreaper:
        import ctypes

        _track_launches()
        _OWN_PIDS.update(_children())
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
            _untrack_launches()
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")
        self._thread = threading.Thread(target=self._run, name="subreaper", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            # the thread may be blocked in waitid: a child that exits at once wakes it
            waker = os.posix_spawn("/bin/true", ["true"], {})
            self._thread.join(timeout=2)
            os.waitpid(waker, 0)
        _untrack_launches()
        if not _ACTIVE[0]:  # the last one: nobody would reap later orphans
            import ctypes

            ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)

    @staticmethod
    def _zombie_orphans() -> list[int] | None:
        """Exited children that this process did not start, or None while a launch is in progress."""
        with _LAUNCH_LOCK:
            if _LAUNCHING[0]:
                return None
            children = _children()
            _OWN_PIDS.intersection_update(children)  # forget reaped ones: their pids may come back as orphans
            candidates = [pid for pid in children if pid not in _OWN_PIDS]
        found = []
        for pid in candidates:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if state == "Z":
                found.append(pid)
        return found

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                # blocks, without the GIL, until some child has exited (WNOWAIT: the zombie stays for its owner)
                os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOWAIT)
            except ChildProcessError:  # no children at all: no orphan can come before a child is started
                self._stop.wait(0.005)
                continue
            seen = time.perf_counter()
            orphans = self._zombie_orphans()
            for pid in orphans or ():
                try:
                    os.waitpid(pid, 0)
                except ChildProcessError:
                    continue
                self.reaped += 1
                self.waited.append(time.perf_counter() - seen)
            if not orphans:  # only our own children are zombies (their owners reap them), or a launch is under way
                self._stop.wait(0.001)

    def summary(self) -> str:
        if not self.waited:
            return "subreaper: no orphaned descendants exited"
        worst = max(self.waited) * 1e3
        return (
            f"subreaper: reaped {self.reaped} orphaned descendants, each within {worst:.1f} ms of its exit being seen"
        )


#: pids of processes this process started itself (their owners reap them)
_OWN_PIDS: set[int] = set()
#: launches under way ([count], guarded by the lock), and how many Subreapers are active
_LAUNCH_LOCK = threading.Lock()
_LAUNCHING = [0]
_ACTIVE = [0]
_ORIGINALS: dict[tuple[Any, str], Callable[..., Any]] = {}


def _children() -> set[int]:
    """Pids of this process's children (of any of its threads), from /proc."""
    pids: set[int] = set()
    for task in os.scandir("/proc/self/task"):
        try:
            pids.update(int(text) for text in Path(task.path, "children").read_text().split())
        except OSError:
            continue
    return pids


def _recording(launch: Callable[..., int]) -> Callable[..., int]:
    """``launch`` wrapped so that the pid it starts is recorded as ours before the reaper may look at it."""

    def wrapper(*args: Any, **kwargs: Any) -> int:
        with _LAUNCH_LOCK:
            _LAUNCHING[0] += 1
        try:
            result = launch(*args, **kwargs)
        except BaseException:
            with _LAUNCH_LOCK:
                _LAUNCHING[0] -= 1
            raise
        if result == 0:  # the child of os.fork: its bookkeeping was reset by _after_fork_in_child
            return result
        with _LAUNCH_LOCK:
            _LAUNCHING[0] -= 1
            _OWN_PIDS.add(result)
        return result

    return wrapper


def _after_fork_in_child() -> None:
    """A forked child has no reaper thread and may have copied the lock held: start its bookkeeping afresh."""
    global _LAUNCH_LOCK
    _LAUNCH_LOCK = threading.Lock()
    _LAUNCHING[0] = 0
    _OWN_PIDS.clear()


os.register_at_fork(after_in_child=_after_fork_in_child)


def _track_launches() -> None:
    """Wrap every way this process starts a child (once, however many Subreapers are active)."""
    import _posixsubprocess

    _ACTIVE[0] += 1
    if _ACTIVE[0] > 1:
        return
    targets: list[tuple[Any, str]] = [
        (_posixsubprocess, "fork_exec"),  # multiprocessing's spawn and forkserver
        (os, "fork"),
        (os, "posix_spawn"),
        (os, "posix_spawnp"),
    ]
    if getattr(subprocess, "_fork_exec", None) is not None:  # 3.11 binds its own name for fork_exec at import
        targets.append((subprocess, "_fork_exec"))
    for module, name in targets:
        original = getattr(module, name)
        _ORIGINALS[(module, name)] = original
        setattr(module, name, _recording(original))


def _untrack_launches() -> None:
    _ACTIVE[0] -= 1
    if _ACTIVE[0] > 0:
        return
    for (module, name), original in _ORIGINALS.items():
        setattr(module, name, original)
    _ORIGINALS.clear()


def own(proc: subprocess.Popen[Any]) -> subprocess.Popen[Any]:
    """Record a child as the benchmark's own (kept for explicitness: an active Subreaper records it anyway)."""
    _OWN_PIDS.add(proc.pid)
    return proc


def run_as_subreaper(main: Callable[[], T]) -> T:
    """Run a benchmark's ``main`` inside ``with Subreaper()``, then print how long exited orphans waited.

    Every benchmark that starts a peer or other processes runs this way, so that
    no figure carries this machine's late pid 1 (see :class:`Subreaper`).
    """
    with Subreaper() as reaper:
        result = main()
    print(reaper.summary(), flush=True)
    return result


def run_own(cmd: Sequence[str], timeout: float) -> tuple[bytes, bytes, int]:
    """``subprocess.run`` with captured output, for a child registered with :func:`own`."""
    proc = own(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return out, err, proc.returncode


def xenia_command() -> list[str]:
    """``xenia`` from the same venv as this interpreter, or ``python -m xenia.cli.main``."""
    script = Path(sys.executable).parent / "xenia"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "xenia.cli.main"]


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def spread(values: Sequence[float]) -> str:
    """min / median / max of repeated measurements, so a reader sees how much a figure moves."""
    if not values:
        return "-"
    ordered = sorted(values)
    mid = (
        ordered[len(ordered) // 2]
        if len(ordered) % 2
        else (ordered[len(ordered) // 2 - 1] + ordered[len(ordered) // 2]) / 2
    )
    return f"{ordered[0]:.1f}/{mid:.1f}/{ordered[-1]:.1f}"


def _wait_for(predicate: Callable[[], bool], timeout: float, what: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if proc.poll() is not None:
            raise RuntimeError(f"{what}: the process exited with status {proc.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: not ready after {timeout:.0f} s")
        time.sleep(0.05)


def stop_process(proc: subprocess.Popen[bytes], timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM, wait, then SIGKILL: the process we started, by its own pid."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


class XeniaDaemon:
    """``xenia serve`` in a state directory of its own, on a port the kernel picks."""

    def __init__(self, command: Sequence[str], state_dir: Path, password: str, extra: Sequence[str] = ()) -> None:
        self.command = list(command)
        self.extra = list(extra)
        self.state_dir = state_dir
        self.password = password
        self.log_path = state_dir.parent / "xenia.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def socket_path(self) -> str:
        return str(self.state_dir / "xapi.sock")

    @property
    def tcp(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)

    def start(self) -> None:
        env = dict(os.environ, XENIA_ROOT_PASSWORD=self.password)
        args = [*self.command, "serve", "--state-dir", str(self.state_dir), "--listen", "127.0.0.1:0", *self.extra]
        with open(self.log_path, "wb") as log:
            self.proc = own(
                subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            )
        pattern = re.compile(r"XenAPI at http://127\.0\.0\.1:(\d+)/")

        def ready() -> bool:
            m = pattern.search(self.log_path.read_text(errors="replace"))
            if m is None or not os.path.exists(self.socket_path):
                return False
            self.port = int(m.group(1))
            return True

        _wait_for(ready, START_TIMEOUT, "xenia serve", self.proc)

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid


#: libvirtd runs as this unprivileged user, so that it is a private "session"
#: daemon: as root it would be the system daemon and take the host-wide locks
#: under /run/libvirt that another libvirtd on the machine may hold
LIBVIRT_USER = "nobody"


def libvirt_available() -> str | None:
    """Why libvirt cannot be measured here, or None when it can."""
    if shutil.which("libvirtd") is None and not os.path.exists("/usr/sbin/libvirtd"):
        return "libvirtd is not installed (bash scripts/system-deps bench)"
    if not os.path.exists(SYSTEM_PYTHON):
        return f"{SYSTEM_PYTHON} is missing"
    check = subprocess.run([SYSTEM_PYTHON, "-c", "import libvirt"], capture_output=True, timeout=60)
    if check.returncode != 0:
        return "python3-libvirt is not installed for /usr/bin/python3 (bash scripts/system-deps bench)"
    if os.geteuid() != 0:
        return "libvirtd is started as user 'nobody', which needs root"
    return None


SYSTEM_PYTHON = "/usr/bin/python3"


class LibvirtDaemon:
    """A private libvirtd: its own config, socket directory, pid file and XDG directories under ``base``.

    Started in the foreground (not ``-d``) so that the process we wait for and
    stop is libvirtd itself; without ``--listen`` it serves the unix socket only.
    """

    def __init__(self, base: Path) -> None:
        self.base = base
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def socket_path(self) -> str:
        return str(self.base / "sock" / "libvirt-sock")

    @property
    def uri(self) -> str:
        return f"test+unix:///default?socket={self.socket_path}"

    def start(self) -> None:
        b = self.base
        for sub in ("sock", "run", "config", "cache", "data"):
            (b / sub).mkdir(parents=True, exist_ok=True)
        (b / "libvirtd.conf").write_text(
            f'unix_sock_dir = "{b / "sock"}"\n'
            "max_clients = 64\nmax_workers = 20\nmax_client_requests = 20\n"
            f'log_outputs = "3:file:{b / "libvirtd.log"}"\n'
        )
        shutil.chown(b, LIBVIRT_USER)
        for path in b.rglob("*"):
            shutil.chown(path, LIBVIRT_USER)
        env = {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": str(b),
            "XDG_RUNTIME_DIR": str(b / "run"),
            "XDG_CONFIG_HOME": str(b / "config"),
            "XDG_CACHE_HOME": str(b / "cache"),
            "XDG_DATA_HOME": str(b / "data"),
        }
        args = ["setpriv", f"--reuid={LIBVIRT_USER}", f"--regid={_group_of(LIBVIRT_USER)}", "--clear-groups",
                "libvirtd", "-f", str(b / "libvirtd.conf"), "-p", str(b / "libvirtd.pid")]  # fmt: skip
        with open(b / "libvirtd.out", "wb") as out:
            self.proc = own(subprocess.Popen(args, env=env, cwd=b, stdout=out, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL))  # fmt: skip
        _wait_for(lambda: os.path.exists(self.socket_path), START_TIMEOUT, "libvirtd", self.proc)

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid


def _group_of(user: str) -> int:
    import pwd

    return pwd.getpwnam(user).pw_gid


def run_libvirt_worker(uri: str, args: Sequence[str], timeout: float) -> dict[str, Any]:
    """Run this file's libvirt worker with the system python; returns its JSON answer."""
    cmd = [SYSTEM_PYTHON, os.path.abspath(__file__), "libvirt", "--uri", uri, *args]
    stdout, stderr, status = run_own(cmd, timeout)
    if status != 0:
        raise RuntimeError(f"libvirt worker {args} failed: {stderr.decode(errors='replace')[-2000:]}")
    answer: dict[str, Any] = json.loads(stdout)
    return answer


# ------------------------------------------------------------ libvirt worker

#: domain names the benchmark defines; the test driver's own domain ("test") is left alone
LIBVIRT_PREFIX = "bench-"


def domain_xml(i: int) -> str:
    """A modest but ordinary guest: memory, vCPUs, one disk, one NIC, a console."""
    mac = f"52:54:00:{(i >> 16) & 0xFF:02x}:{(i >> 8) & 0xFF:02x}:{i & 0xFF:02x}"
    return (
        f"<domain type='test'><name>{LIBVIRT_PREFIX}{i:05d}</name>"
        "<memory unit='MiB'>1024</memory><vcpu>1</vcpu>"
        "<os><type arch='x86_64'>hvm</type><boot dev='hd'/></os>"
        "<devices>"
        f"<disk type='file' device='disk'><source file='/var/lib/libvirt/images/{LIBVIRT_PREFIX}{i:05d}.qcow2'/>"
        "<target dev='vda' bus='virtio'/></disk>"
        f"<interface type='network'><mac address='{mac}'/><source network='default'/><model type='virtio'/></interface>"
        "<console type='pty'/>"
        "</devices></domain>"
    )


def _libvirt_open(uri: str) -> Any:
    import libvirt

    libvirt.registerErrorHandler(lambda _ctx, _err: None, None)  # errors raise; do not also print them
    return libvirt.open(uri)


def _libvirt_populate(conn: Any, count: int) -> dict[str, Any]:
    """Define domains until ``count`` of ours exist; returns how many were defined and how long it took."""
    have = sum(1 for d in conn.listAllDomains() if d.name().startswith(LIBVIRT_PREFIX))
    start = time.perf_counter()
    for i in range(have, count):
        conn.defineXML(domain_xml(i))
    seconds = time.perf_counter() - start
    sample = conn.lookupByName(f"{LIBVIRT_PREFIX}00000").XMLDesc() if count else ""
    total = len(conn.listAllDomains())
    return {"defined": max(0, count - have), "seconds": seconds, "domains": total, "xmldesc_bytes": len(sample)}


def _libvirt_keeper(uri: str) -> None:
    """Hold a connection open and define domains on request: ``populate N`` lines in, JSON lines out.

    libvirtd's ``test:///default`` driver lives only while some connection to
    it is open: when the last one closes, every domain defined in it is gone.
    This process keeps one open until its standard input closes.
    """
    conn = _libvirt_open(uri)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        words = line.split()
        if len(words) == 2 and words[0] == "populate":
            print(json.dumps(_libvirt_populate(conn, int(words[1]))), flush=True)
        else:
            print(json.dumps({"error": f"unknown command {line.strip()!r}"}), flush=True)
    conn.close()


class LibvirtKeeper:
    """The keeper process (:func:`_libvirt_keeper`), run with the system python."""

    def __init__(self, uri: str) -> None:
        cmd = [SYSTEM_PYTHON, os.path.abspath(__file__), "libvirt", "--uri", uri, "keep"]
        self.proc = own(subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
        self._answer()

    def _answer(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"libvirt keeper exited with status {self.proc.wait(timeout=STOP_TIMEOUT)}")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"libvirt keeper: {answer['error']}")
        return answer

    def populate(self, count: int) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"populate {count}\n")
        self.proc.stdin.flush()
        return self._answer()

    def stop(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=STOP_TIMEOUT)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def _libvirt_factory(uri: str, op: str) -> OpFactory:
    """The libvirt call to repeat for ``op``, opened on a connection of its own (per client)."""

    def factory() -> Op:
        conn = _libvirt_open(uri)
        dom = conn.lookupByName(f"{LIBVIRT_PREFIX}00000")
        if op == "info":
            return dom.info  # type: ignore[no-any-return]
        if op == "xmldesc":
            return dom.XMLDesc  # type: ignore[no-any-return]
        if op == "list":
            return conn.listAllDomains  # type: ignore[no-any-return]
        if op == "list_info":
            return lambda: [d.info() for d in conn.listAllDomains()]
        if op == "list_xml":
            return lambda: [d.XMLDesc() for d in conn.listAllDomains()]
        if op == "all_stats":
            return conn.getAllDomainStats  # type: ignore[no-any-return]
        raise ValueError(op)

    return factory


LIBVIRT_OPS = ("info", "xmldesc", "list", "list_info", "list_xml", "all_stats")


def libvirt_main(argv: Sequence[str]) -> int:
    """``libvirt --uri URI keep`` or ``libvirt --uri URI measure OP CLIENTS SECONDS``: JSON on stdout."""
    p = argparse.ArgumentParser(prog="_common.py libvirt")
    p.add_argument("--uri", required=True)
    sub = p.add_subparsers(dest="what", required=True)
    sub.add_parser("keep")
    mea = sub.add_parser("measure")
    mea.add_argument("op", choices=LIBVIRT_OPS)
    mea.add_argument("clients", type=int)
    mea.add_argument("seconds", type=float)
    mea.add_argument("--warmup", type=int, default=3)
    mea.add_argument("--server-pid", type=int, default=None)
    args = p.parse_args(argv)
    if args.what == "keep":
        _libvirt_keeper(args.uri)
        return 0
    factory = _libvirt_factory(args.uri, args.op)
    result = measure(factory, args.clients, args.seconds, args.warmup, args.server_pid).as_dict()
    json.dump(result, sys.stdout)
    return 0


def main(argv: Sequence[str]) -> int:
    if argv and argv[0] == "libvirt":
        return libvirt_main(argv[1:])
    # `make bench` runs every bench/*.py; this one is only helpers
    print("bench/_common.py: helpers for the benchmarks (run bench/api.py)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
