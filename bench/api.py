"""API benchmark: xenia's XenAPI calls/s over XML-RPC and JSON-RPC, beside libvirt measured in the same run.

Run with the project's venv: ``.venv/bin/python bench/api.py`` (``--quick`` for
a short run, ``--json FILE`` to keep the figures).  It starts everything it
needs and stops it again: ``xenia serve`` in a temporary state directory, and a
private libvirtd (test driver, ``test+unix:///default``) when Debian's
``libvirt-daemon-system`` and ``python3-libvirt`` are installed
(``bash scripts/system-deps bench``).

What is compared, per VM count and per number of concurrent clients:

===================================  ============================================
xenia (lean client, keep-alive)      libvirt (python3-libvirt, own connection)
===================================  ============================================
``VM.get_name_label`` (a getter)     ``dom.info()``
``VM.get_record``                    ``dom.XMLDesc()``
``VM.get_all_records``               ``conn.listAllDomains()`` then ``XMLDesc()``
                                     of each domain (also: then ``info()`` of
                                     each; ``listAllDomains()`` alone;
                                     ``getAllDomainStats()``)
===================================  ============================================

Both sides on the same transport: xenia's clients on its local unix socket,
libvirt's on libvirtd's (``--transport tcp`` puts xenia's on TCP instead).
Beside the lean client (which checks answers without decoding them, so the
figure is the server's) stand: a client that decodes every answer as a real
one does; reads right after a change, which the server's encoding cache
cannot serve; and the server's CPU per call (from /proc), so a reader sees
what each call costs the server and not only how many fit in a second.

Runs as a child subreaper (``_common.run_as_subreaper``), peers and all:
orphaned descendants are reaped as soon as they exit, as init does on a normal
host, and the output says how long they waited.

Ratios are xenia/libvirt: above 1 means xenia served more calls per second.
The goals of the issue are printed beside the figures, never asserted: a noisy
shared machine must not turn a benchmark into a flaky test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
import xmlrpc.client
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from _common import (
    CALL_TIMEOUT,
    LeanConnection,
    LibvirtDaemon,
    LibvirtKeeper,
    Measurement,
    Op,
    OpFactory,
    XeniaDaemon,
    http_post,
    libvirt_available,
    measure,
    run_as_subreaper,
    run_libvirt_worker,
    xenia_command,
)

PASSWORD = "bench-root-password"
NULL = "OpaqueRef:NULL"
#: requests per pipelined burst when creating VMs (each VM.create body is well under xenia's 300 KiB cap)
CREATE_BURST = 200
VM_PREFIX = "bench-"

#: the issue's goals, printed next to the figures
GOAL_GETTER_JSON_1 = 10_000.0
GOAL_ALL_RECORDS_S = 1.0

JSON_OK = b'{"jsonrpc":"2.0","result"'
XML_OK = b"<name>Status</name><value>Success</value>"


# ------------------------------------------------------------------ requests


def json_request(method: str, params: list[Any], rid: int = 1) -> bytes:
    body = orjson.dumps({"jsonrpc": "2.0", "method": method, "params": params, "id": rid})
    return http_post("/jsonrpc", body, "application/json")


def xml_request(method: str, params: list[Any]) -> bytes:
    body = xmlrpc.client.dumps(tuple(params), method, allow_none=False).encode()
    return http_post("/", body, "text/xml")


def request_for(proto: str, method: str, params: list[Any]) -> bytes:
    return json_request(method, params) if proto == "json" else xml_request(method, params)


def _count_records(proto: str, body: bytes) -> int:
    """Decode a get_all_records answer as a client would, and count its records."""
    if proto == "json":
        records: Any = orjson.loads(body)["result"]
    else:
        response: Any = xmlrpc.client.loads(body)[0][0]
        records = response["Value"]
    return len(records)


class CallFailed(Exception):
    """A timed call got an answer that is not a success: the figure would be meaningless."""


def json_call(conn: LeanConnection, method: str, params: list[Any]) -> Any:
    """One decoded JSON-RPC call, for setting up (not timed)."""
    doc = orjson.loads(conn.call(json_request(method, params)))
    if "error" in doc:
        raise CallFailed(f"{method}: {doc['error']}")
    return doc["result"]


def xenia_factory(address: Any, request: bytes, marker: bytes, decode: str | None = None) -> OpFactory:
    """Each client opens its own keep-alive connection and resends ``request``.

    The lean client (``decode`` None) checks each answer without decoding it,
    so the figure is the server's; with ``decode`` ("json" or "xml") each answer
    is decoded as a real client does (orjson, or ``xmlrpc.client.loads`` as the
    XenAPI SDK), so the figure is what such a client sees.
    """
    decoder: Callable[[bytes], object] | None = None
    if decode == "json":
        decoder = orjson.loads
    elif decode == "xml":
        decoder = xmlrpc.client.loads

    def factory() -> Op:
        conn = LeanConnection(address)

        def op() -> None:
            body = conn.call(request)
            if marker not in body[:200]:
                raise CallFailed(body[:300].decode(errors="replace"))
            if decoder is not None:
                decoder(body)

        return op

    return factory


def changing_factory(address: Any, proto: str, session: str, vm: str, then: str | None) -> OpFactory:
    """A client that changes ``vm`` (its name) and then, when ``then`` is given, calls ``then`` on it.

    Measured beside the change alone, it gives the cost of a read that the
    server's encoding cache cannot serve: the record changed just before.
    """
    marker = JSON_OK if proto == "json" else XML_OK

    def factory() -> Op:
        conn = LeanConnection(address)
        counter = iter(range(MAX_CHANGES))

        def op() -> None:
            change = request_for(proto, "VM.set_name_label", [session, vm, f"changed-{next(counter)}"])
            requests = [change]
            if then is not None:
                requests.append(request_for(proto, then, [session, vm] if then != "VM.get_all_records" else [session]))
            for request in requests:
                body = conn.call(request)
                if marker not in body[:200]:
                    raise CallFailed(body[:300].decode(errors="replace"))

        return op

    return factory


#: a changing client stops (with an error) after this many changes; far beyond any timed run
MAX_CHANGES = 100_000_000


# ------------------------------------------------------------------ population


def vm_record(i: int) -> dict[str, Any]:
    """A minimal VM.create record: every field without a default in the datamodel, plausible values."""
    gib = 1024**3
    return {
        "name_label": f"{VM_PREFIX}{i:05d}", "name_description": "benchmark VM", "user_version": 1,
        "is_a_template": False, "affinity": NULL,
        "memory_static_max": gib, "memory_dynamic_max": gib, "memory_dynamic_min": gib, "memory_static_min": gib // 2,
        "VCPUs_params": {}, "VCPUs_max": 1, "VCPUs_at_startup": 1,
        "actions_after_shutdown": "destroy", "actions_after_reboot": "restart", "actions_after_crash": "restart",
        "PV_bootloader": "", "PV_kernel": "", "PV_ramdisk": "", "PV_args": "", "PV_bootloader_args": "",
        "PV_legacy_args": "", "HVM_boot_policy": "BIOS order", "HVM_boot_params": {"order": "cd"},
        "platform": {"viridian": "false"}, "PCI_bus": "", "other_config": {"bench": "1"}, "recommendations": "",
    }  # fmt: skip


def populate_xenia(socket_path: str, session: str, start: int, stop: int) -> tuple[list[str], float]:
    """Create VMs ``start``..``stop-1`` with VM.create over the local socket, pipelined; returns (refs, seconds)."""
    conn = LeanConnection(socket_path)
    refs: list[str] = []
    began = time.perf_counter()
    try:
        for lo in range(start, stop, CREATE_BURST):
            hi = min(stop, lo + CREATE_BURST)
            conn.send(b"".join(json_request("VM.create", [session, vm_record(i)], i) for i in range(lo, hi)))
            for _ in range(lo, hi):
                doc = orjson.loads(conn.read_response())
                if "error" in doc:
                    raise CallFailed(f"VM.create: {doc['error']}")
                refs.append(doc["result"])
    finally:
        conn.close()
    return refs, time.perf_counter() - began


# ------------------------------------------------------------------ results


@dataclass
class Row:
    """One line of the table: a xenia call over both protocols beside one libvirt counterpart."""

    pair: str
    vms: int
    clients: int
    xml: Measurement | None
    json: Measurement | None
    libvirt_what: str
    libvirt: Measurement | None


@dataclass
class Figure:
    key: str
    value: float
    unit: str
    note: str = ""


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def figure(self, key: str, value: float, unit: str, note: str = "") -> None:
        fig = Figure(key, value, unit, note)
        self.figures.append(fig)
        print(f"  {fig.key} = {_num(fig.value)} {fig.unit}" + (f"  [{fig.note}]" if fig.note else ""), flush=True)


def _num(v: float) -> str:
    if v >= 100:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}"


def _ratio(a: Measurement | None, b: Measurement | None) -> str:
    if a is None or b is None or b.rate == 0:
        return "-"
    return f"{a.rate / b.rate:.2f}"


def _cell(m: Measurement | None) -> str:
    return "-" if m is None else _num(m.rate)


def _cpu(m: Measurement | None) -> str:
    if m is None or m.extra.get("server_cpu") is None:
        return "-"
    return f"{m.extra['server_cpu']:.2f}"


def _server_us(m: Measurement) -> float:
    """Server CPU per call in microseconds (0 when the server's CPU was not sampled)."""
    cores = m.extra.get("server_cpu")
    if not cores or not m.calls:
        return 0.0
    return float(cores) * m.seconds / m.calls * 1e6


def _cpu_per_call(m: Measurement) -> str:
    return f"server CPU {_server_us(m):.0f} us/call" if m.extra.get("server_cpu") is not None else "server CPU -"


def _rounds(m: Measurement) -> str:
    rates = m.extra.get("round_rates")
    if not rates:
        return "1 round"
    return f"rounds {min(rates):,.0f}..{max(rates):,.0f}/s"


def print_table(res: Results) -> None:
    head = (f"{'xenia call':<18} {'VMs':>6} {'cl':>2} {'XML-RPC/s':>10} {'JSON-RPC/s':>10} {'libvirt/s':>10} "
            f"{'XML/lv':>6} {'JSON/lv':>7}  {'cpu x/j/lv':<14} libvirt counterpart")  # fmt: skip
    print()
    print(head)
    print("-" * len(head) + "-" * 24)
    for r in res.rows:
        cpus = f"{_cpu(r.xml)}/{_cpu(r.json)}/{_cpu(r.libvirt)}"
        print(f"{r.pair:<18} {r.vms:>6} {r.clients:>2} {_cell(r.xml):>10} {_cell(r.json):>10} {_cell(r.libvirt):>10} "
              f"{_ratio(r.xml, r.libvirt):>6} {_ratio(r.json, r.libvirt):>7}  {cpus:<14} {r.libvirt_what}")  # fmt: skip
    print()
    print("calls/s summed over all clients; ratios are xenia/libvirt (above 1: xenia faster);")
    print("cpu x/j/lv: server CPU in cores during the run (xenia serves from 1 thread, libvirtd from a pool)")


def median_round(rounds: list[Measurement]) -> Measurement:
    """The round with the median rate (the lower middle one for an even count), all rates kept in ``extra``."""
    ordered = sorted(rounds, key=lambda m: m.rate)
    mid = ordered[(len(ordered) - 1) // 2]
    mid.extra["round_rates"] = [m.rate for m in rounds]
    return mid


# ------------------------------------------------------------------ benchmark


LIBVIRT_PAIRS: dict[str, list[tuple[str, str]]] = {
    "VM.get_name_label": [("info", "dom.info()")],
    "VM.get_record": [("xmldesc", "dom.XMLDesc()")],
    "VM.get_all_records": [
        ("list_xml", "listAllDomains() + XMLDesc() of each"),
        ("list_info", "listAllDomains() + info() of each"),
        ("list", "listAllDomains() only (handles, no data)"),
        ("all_stats", "getAllDomainStats() (one call, state/cpu/balloon/...)"),
    ],
}


class Bench:
    def __init__(self, args: argparse.Namespace, base: Path) -> None:
        self.args = args
        self.base = base
        self.res = Results()
        self.xenia = XeniaDaemon(xenia_command(), base / "xenia-state", PASSWORD)
        self.libvirt: LibvirtDaemon | None = None
        self.keeper: LibvirtKeeper | None = None
        self.session = ""
        self.refs: list[str] = []
        self.lv_domains = 0

    @property
    def address(self) -> Any:
        """Where the timed xenia clients connect: the unix socket (as libvirt's clients do), or TCP."""
        return self.xenia.socket_path if self.args.transport == "unix" else self.xenia.tcp

    # -- lifecycle

    def start(self) -> None:
        self.xenia.start()
        print(f"xenia serve: pid {self.xenia.pid}, http://127.0.0.1:{self.xenia.port}/, {self.xenia.socket_path}")
        conn = LeanConnection(self.xenia.tcp)
        try:
            self.session = json_call(conn, "session.login_with_password", ["root", PASSWORD, "1.0", "xenia-bench"])
        finally:
            conn.close()
        why = None if self.args.no_libvirt else libvirt_available()
        if self.args.no_libvirt:
            print("libvirt: skipped (--no-libvirt)")
        elif why is not None:
            print(f"libvirt: skipped: {why}")
        else:
            self.libvirt = LibvirtDaemon(self.base / "libvirt")
            self.libvirt.start()
            self.keeper = LibvirtKeeper(self.libvirt.uri)
            print(f"libvirtd: pid {self.libvirt.pid}, {self.libvirt.uri}")
        self.res.meta["libvirt_skipped"] = why if not self.args.no_libvirt else "--no-libvirt"

    def stop(self) -> None:
        if self.keeper is not None:
            self.keeper.stop()
        if self.libvirt is not None:
            self.libvirt.stop()
        self.xenia.stop()

    # -- population

    def populate(self, n: int) -> None:
        have = len(self.refs)
        if n > have:
            local = LeanConnection(self.xenia.socket_path)
            try:
                local_session = json_call(local, "session.login_with_password", ["root", "", "1.0", "xenia-bench"])
            finally:
                local.close()
            refs, secs = populate_xenia(self.xenia.socket_path, local_session, have, n)
            self.refs += refs
            self.res.figure(f"xenia.VM.create.n{n}", len(refs) / secs, "creates/s",
                            f"{len(refs)} VMs via JSON-RPC on the local socket, {CREATE_BURST} pipelined")  # fmt: skip
        if self.keeper is not None and n > self.lv_domains:
            out = self.keeper.populate(n)
            self.lv_domains = n
            self.res.meta["libvirt_xmldesc_bytes"] = out["xmldesc_bytes"]
            if out["defined"]:
                self.res.figure(f"libvirt.defineXML.n{n}", out["defined"] / out["seconds"], "defines/s",
                                f"{out['defined']} domains, one client, sequential")  # fmt: skip

    # -- measurements

    def xenia_measure(self, proto: str, method: str, params: list[Any], clients: int, seconds: float,
                      warmup: int) -> Measurement:  # fmt: skip
        request = request_for(proto, method, [self.session, *params])
        marker = JSON_OK if proto == "json" else XML_OK
        factory = xenia_factory(self.address, request, marker)
        return measure(factory, clients, seconds, warmup, server_pid=self.xenia.pid)

    def libvirt_measure(self, op: str, clients: int, seconds: float, warmup: int) -> Measurement:
        assert self.libvirt is not None
        argv = ["measure", op, str(clients), str(seconds), "--warmup", str(warmup),
                "--server-pid", str(self.libvirt.pid)]  # fmt: skip
        d = run_libvirt_worker(self.libvirt.uri, argv, timeout=seconds + CALL_TIMEOUT * 2)
        return Measurement(d["calls"], d["seconds"], d["clients"], d["p50_ms"], d["p99_ms"], d["max_ms"], d["extra"])

    def compare(self, method: str, params: list[Any], clients: int, warmup: int) -> dict[str, Measurement]:
        """Measure xenia (both protocols) and its libvirt counterparts in alternating rounds.

        The machine is shared and its load comes in bursts; taking turns in
        short rounds and keeping each side's median round exposes every side
        to the same noise, instead of letting one burst land on one side only.
        """
        sides: list[tuple[str, Callable[[float, int], Measurement]]] = [
            ("xml", lambda sec, w: self.xenia_measure("xml", method, params, clients, sec, w)),
            ("json", lambda sec, w: self.xenia_measure("json", method, params, clients, sec, w)),
        ]

        def libvirt_side(op: str) -> Callable[[float, int], Measurement]:
            return lambda sec, w: self.libvirt_measure(op, clients, sec, w)

        if self.libvirt is not None:
            sides += [(op, libvirt_side(op)) for op, _ in LIBVIRT_PAIRS[method] if op not in self.args.skip_libvirt_ops]
        rounds: dict[str, list[Measurement]] = {name: [] for name, _ in sides}
        seconds = self.args.duration / self.args.rounds
        for i in range(self.args.rounds):
            for name, run in sides:
                # warm-up (first calls fill caches) in the first round only: it is not what is measured
                rounds[name].append(run(seconds, warmup if i == 0 else 0))
        return {name: median_round(ms) for name, ms in rounds.items()}

    def run_size(self, n: int) -> None:
        print(f"\n== {n} VMs (plus dom0 and templates) / {n} libvirt domains (plus the test driver's own)", flush=True)
        self.populate(n)
        target = self.refs[len(self.refs) // 2]
        calls: list[tuple[str, list[Any], int]] = [
            ("VM.get_name_label", [target], 3),
            ("VM.get_record", [target], 3),
            ("VM.get_all_records", [], 1),
        ]
        for clients in self.args.clients:
            for method, params, warmup in calls:
                got = self.compare(method, params, clients, warmup)
                xml, js = got["xml"], got["json"]
                self._figures(method, n, clients, "xml", xml)
                self._figures(method, n, clients, "json", js)
                for op, what in LIBVIRT_PAIRS[method]:
                    lv = got.get(op)
                    if lv is not None:
                        self._lv_figure(op, what, n, clients, lv, xml, js)
                    if lv is not None or op == LIBVIRT_PAIRS[method][0][0]:
                        self.res.rows.append(Row(method, n, clients, xml, js, what, lv))

    def _figures(self, method: str, n: int, clients: int, proto: str, m: Measurement) -> None:
        note = f"p50 {m.p50_ms:.2f} ms, p99 {m.p99_ms:.2f} ms; {_cpu_per_call(m)}; {_rounds(m)}"
        if method == "VM.get_name_label" and proto == "json" and clients == 1:
            verdict = "met" if m.rate >= GOAL_GETTER_JSON_1 else "NOT met"
            note += f"; goal >= {GOAL_GETTER_JSON_1:,.0f} calls/s: {verdict}"
        self.res.figure(f"xenia.{proto}.{method}.n{n}.c{clients}", m.rate, "calls/s", note)

    def _lv_figure(self, op: str, what: str, n: int, clients: int, lv: Measurement,
                   xml: Measurement, js: Measurement) -> None:  # fmt: skip
        ratios = f"xenia/libvirt: XML-RPC {xml.rate / lv.rate:.2f}, JSON-RPC {js.rate / lv.rate:.2f} (goal >= 1)"
        self.res.figure(f"libvirt.{op}.n{n}.c{clients}", lv.rate, "calls/s",
                        f"{what}; {ratios}; {_cpu_per_call(lv)}; {_rounds(lv)}")  # fmt: skip

    def decoding_client(self, n: int) -> None:
        """The lean client's calls again, one client, each answer decoded as a real client decodes it."""
        print("\n== one client that decodes every answer (orjson for JSON-RPC, xmlrpc.client as the SDK)", flush=True)
        target = self.refs[len(self.refs) // 2]
        for method, params in (("VM.get_name_label", [target]), ("VM.get_record", [target]),
                               ("VM.get_all_records", [])):  # fmt: skip
            for proto in ("xml", "json"):
                request = request_for(proto, method, [self.session, *params])
                marker = JSON_OK if proto == "json" else XML_OK
                factory = xenia_factory(self.address, request, marker, decode=proto)
                m = measure(factory, 1, self.args.duration, 1, server_pid=self.xenia.pid)
                self.res.figure(f"xenia.{proto}.{method}.n{n}.c1.decoded", m.rate, "calls/s",
                                f"p50 {m.p50_ms:.2f} ms; client CPU {m.extra['client_cpu']:.2f} cores")  # fmt: skip

    def after_changes(self, n: int) -> None:
        """Reads the encoding cache cannot serve: each follows a change to the record it reads.

        Measured as (change + read) minus (change alone), both timed in this run
        by one client: the extra time and server CPU the read costs.
        """
        print("\n== reads right after a change (uncached): (set_name_label + read) - set_name_label alone", flush=True)
        target = self.refs[len(self.refs) // 2]
        for read in ("VM.get_record", "VM.get_all_records"):
            for proto in ("xml", "json"):
                both = measure(changing_factory(self.address, proto, self.session, target, read), 1,
                               self.args.duration, 1, server_pid=self.xenia.pid)  # fmt: skip
                alone = measure(changing_factory(self.address, proto, self.session, target, None), 1,
                                self.args.duration, 1, server_pid=self.xenia.pid)  # fmt: skip
                extra_ms = (1 / both.rate - 1 / alone.rate) * 1e3
                cpu = _server_us(both) - _server_us(alone)
                self.res.figure(f"xenia.{proto}.{read}.n{n}.after_change", extra_ms, "ms per read",
                                f"server CPU {cpu:.0f} us per read; {both.calls} change+read pairs, "
                                f"{alone.calls} changes alone")  # fmt: skip

    def single_all_records(self, n: int) -> None:
        """One VM.get_all_records of every VM, timed end to end: on the wire only, and decoded by a client."""
        print(f"\n== one VM.get_all_records of {n} VMs (goal < {GOAL_ALL_RECORDS_S:g} s)", flush=True)
        repeats = self.args.repeats
        for proto in ("xml", "json"):
            request = request_for(proto, "VM.get_all_records", [self.session])
            conn = LeanConnection(self.address)
            wire: list[float] = []
            decoded: list[float] = []
            size = 0
            try:
                for _ in range(repeats):
                    t0 = time.perf_counter()
                    body = conn.call(request)
                    t1 = time.perf_counter()
                    got = _count_records(proto, body)
                    t2 = time.perf_counter()
                    if got < n:
                        raise CallFailed(f"VM.get_all_records returned {got} records, expected at least {n}")
                    wire.append(t1 - t0)
                    decoded.append(t2 - t0)
                    size = len(body)
            finally:
                conn.close()
            med = statistics.median(wire)
            verdict = "met" if med < GOAL_ALL_RECORDS_S else "NOT met"
            label = "XML-RPC" if proto == "xml" else "JSON-RPC"
            self.res.figure(f"xenia.{proto}.VM.get_all_records.single.n{n}.wire", med, "s",
                            f"median of {repeats}, min {min(wire):.3f} s; {size / 1e6:.1f} MB; "
                            f"goal < {GOAL_ALL_RECORDS_S:g} s: {verdict}")  # fmt: skip
            decoder = "xmlrpc.client.loads (what the XenAPI SDK uses)" if proto == "xml" else "orjson.loads"
            self.res.figure(f"xenia.{proto}.VM.get_all_records.single.n{n}.decoded", statistics.median(decoded), "s",
                            f"{label} including client-side decoding with {decoder}")  # fmt: skip

    def sdk(self, n: int) -> None:
        """The official SDK (XenAPI.Session, XML-RPC), one client: what a Python user of the API sees."""
        try:
            import XenAPI
        except ImportError:
            print("\nXenAPI SDK not installed: SDK figures skipped")
            return
        print("\n== official XenAPI SDK (XML-RPC, one client, decoding every answer)", flush=True)
        target = self.refs[len(self.refs) // 2]

        def factory(method: str) -> OpFactory:
            def make() -> Op:
                if self.args.transport == "unix":
                    url = "http://" + self.xenia.socket_path.replace("/", "_") + "/"
                    s = XenAPI.Session(url, transport=XenAPI.UDSTransport())
                else:
                    s = XenAPI.Session(f"http://127.0.0.1:{self.xenia.port}/")
                s.xenapi.login_with_password("root", PASSWORD, "1.0", "xenia-bench-sdk")
                fn: Callable[[str], object] = getattr(s.xenapi.VM, method)
                return lambda: fn(target)

            return make

        for method in ("get_name_label", "get_record"):
            m = measure(factory(method), 1, self.args.duration, 3, server_pid=self.xenia.pid)
            self.res.figure(f"sdk.xml.VM.{method}.n{n}.c1", m.rate, "calls/s",
                            f"p50 {m.p50_ms:.2f} ms; server CPU {m.extra['server_cpu']:.2f} cores")  # fmt: skip

    def run(self) -> Results:
        sizes = self.args.sizes
        load0 = os.getloadavg()
        for i, n in enumerate(sizes):
            self.run_size(n)
            if i == 0:
                self.sdk(n)
                self.decoding_client(n)
        self.after_changes(sizes[-1])
        self.single_all_records(sizes[-1])
        self.res.meta.update(
            cores=os.cpu_count(), loadavg_start=load0, loadavg_end=os.getloadavg(), duration=self.args.duration,
            rounds=self.args.rounds,
            sizes=sizes, clients=self.args.clients, python=sys.version.split()[0],
        )  # fmt: skip
        return self.res


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--duration", type=float, default=3.0, help="timed seconds per measurement (default 3)")
    p.add_argument("--rounds", type=int, default=3,
                   help="split each measurement into this many rounds, taking turns with its peers (default 3)")
    p.add_argument("--quick", action="store_true", help="1 s per measurement in 1 round, 1 repeat of the single call")
    p.add_argument("--sizes", type=_ints, default=[1000, 10000], help="VM counts, comma-separated (1000,10000)")
    p.add_argument("--clients", type=_ints, default=[1, 8], help="concurrent clients, comma-separated (1,8)")
    p.add_argument("--repeats", type=int, default=3, help="repeats of the single get_all_records timing")
    p.add_argument("--no-libvirt", action="store_true", help="measure xenia only")
    p.add_argument("--transport", choices=["unix", "tcp"], default="unix",
                   help="xenia's timed clients on its unix socket (as libvirt's, default) or on TCP")  # fmt: skip
    p.add_argument("--skip-libvirt-ops", type=lambda s: set(s.split(",")), default=set(),
                   help="libvirt counterparts to leave out, e.g. all_stats,list")  # fmt: skip
    p.add_argument("--json", type=Path, default=None, help="also write every figure to this file")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, state) for inspection")
    args = p.parse_args(argv)
    if args.quick:
        args.duration = min(args.duration, 1.0)
        args.rounds = 1
        args.repeats = 1
    args.sizes = sorted(set(args.sizes))
    if not args.sizes or min(args.sizes) < 1 or args.duration <= 0 or not args.clients or args.rounds < 1:
        p.error("sizes, clients and rounds must be positive, duration above 0")
    return args


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM unwinds like Ctrl-C, so the daemons are stopped and the temporary directory removed."""

    def handler(_sig: int, _frame: object) -> None:
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="xenia-bench-"))
    while "_" in str(base):  # the SDK's unix transport spells "/" as "_" in its URL
        base.rmdir()
        base = Path(tempfile.mkdtemp(prefix="xenia-bench-"))
    os.chmod(base, 0o755)  # libvirtd runs as 'nobody' below it
    began = time.monotonic()
    bench = Bench(args, base)
    try:
        with _terminate_as_interrupt():
            bench.start()
            res = bench.run()
    except KeyboardInterrupt:
        print("\ninterrupted: stopping the daemons", file=sys.stderr)
        return 130
    finally:
        bench.stop()
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    res.meta["total_seconds"] = time.monotonic() - began
    print_table(res)
    print(f"\n{os.cpu_count()} cores; load average {res.meta['loadavg_start'][0]:.2f} at start, "
          f"{res.meta['loadavg_end'][0]:.2f} at end; {res.meta['total_seconds']:.0f} s in all")  # fmt: skip
    if args.json is not None:
        doc = {
            "meta": res.meta,
            "figures": [f.__dict__ for f in res.figures],
            "rows": [
                {"pair": r.pair, "vms": r.vms, "clients": r.clients, "libvirt_counterpart": r.libvirt_what,
                 "xml": r.xml.as_dict() if r.xml else None, "json": r.json.as_dict() if r.json else None,
                 "libvirt": r.libvirt.as_dict() if r.libvirt else None}  # fmt: skip
                for r in res.rows
            ],
        }
        args.json.write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2))
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(run_as_subreaper(main))
