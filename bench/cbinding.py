"""C binding benchmark: calls/s from C through xenia's libxenserver, beside libvirt's C client and the Python SDK.

Run with the project's venv: ``.venv/bin/python bench/cbinding.py`` (``--quick`` for a short
run).  It builds the binding (``make -C bindings/c``), compiles ``bench/c/*.c``, starts
``xenia serve`` in a temporary state directory and, when Debian's ``libvirt-daemon-system``,
``python3-libvirt`` and ``libvirt-dev`` are installed (``bash scripts/system-deps bench``), a
private libvirtd with its test driver (as ``bench/api.py`` does), then measures one client each,
in alternating rounds:

===============================================  ===========================================
xenia: C (libxenserver, keep-alive) and the SDK  libvirt: C client library (libvirt.so)
===============================================  ===========================================
``xen_vm_get_name_label`` (a getter)             ``virDomainGetInfo``
``xen_vm_get_record`` (the whole record, freed)  ``virDomainGetXMLDesc``
===============================================  ===========================================

Runs as a child subreaper (``_common.run_as_subreaper``), peers and all: orphaned descendants
are reaped as soon as they exit, as init does on a normal host, and the output says how long
they waited.

The C figures include the client's work (building XML-RPC, parsing the answer with libxml2,
allocating and freeing the record), as a C program pays it.  Ratios above 1 favour xenia's C
binding.  Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import XenAPI
from _common import LibvirtDaemon, LibvirtKeeper, XeniaDaemon, libvirt_available, run_as_subreaper, xenia_command

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "c"
PASSWORD = "bench-root-password"
LIBVIRT_DOMAIN = "bench-00000"


def build(out: Path) -> dict[str, Path]:
    """libxenserver, then the two C programs; libvirt's only when its headers are installed."""
    subprocess.run(["make", "-s", "-C", str(ROOT / "bindings" / "c"), f"PYTHON={sys.executable}", "-j2"],
                   check=True)  # fmt: skip
    progs = {}
    lib = BUILD / "lib"
    subprocess.run(["gcc", "-O2", "-Wall", "-Wextra", "-Werror", f"-I{BUILD / 'gen' / 'include'}",
                    str(ROOT / "bench" / "c" / "xenia_calls.c"), "-o", str(out / "xenia_calls"),
                    f"-L{lib}", "-lxenserver", f"-Wl,-rpath,{lib}"], check=True)  # fmt: skip
    progs["xenia"] = out / "xenia_calls"
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libvirt"], capture_output=True, text=True)
    if flags.returncode == 0:
        subprocess.run(["gcc", "-O2", "-Wall", "-Wextra", "-Werror", str(ROOT / "bench" / "c" / "libvirt_calls.c"),
                        "-o", str(out / "libvirt_calls"), *flags.stdout.split()], check=True)  # fmt: skip
        progs["libvirt"] = out / "libvirt_calls"
    return progs


#: CPU seconds per call the C client itself spent (its whole run, login included), by case
CLIENT_CPU: dict[str, list[float]] = {}


def run_c(name: str, argv: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{argv[0]} failed: {done.stderr[-2000:]}")
    answer = json.loads(done.stdout)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    CLIENT_CPU.setdefault(name, []).append(cpu / max(1, int(answer["calls"])))
    return float(answer["calls"]) / float(answer["seconds"])


def run_python(call: Callable[[], Any], seconds: float) -> float:
    for _ in range(50):
        call()
    calls = 0
    start = end = time.perf_counter()
    while end - start < seconds:
        for _ in range(20):
            call()
        calls += 20
        end = time.perf_counter()
    return calls / (end - start)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="1 s per measurement, 1 round")
    p.add_argument("--seconds", type=float, default=3.0, help="seconds per measurement (3)")
    p.add_argument("--rounds", type=int, default=3, help="alternating rounds; the median is reported (3)")
    args = p.parse_args(argv)
    seconds, rounds = (1.0, 1) if args.quick else (args.seconds, args.rounds)

    base = Path(tempfile.mkdtemp(prefix="xenia-cbench-"))
    os.chmod(base, 0o755)  # libvirtd runs as 'nobody' below it
    progs = build(base)
    xenia = XeniaDaemon(xenia_command(), base / "xenia-state", PASSWORD)
    libvirt: LibvirtDaemon | None = None
    keeper: LibvirtKeeper | None = None
    why = libvirt_available() or (None if "libvirt" in progs else "libvirt-dev is not installed")
    results: dict[str, list[float]] = {}
    try:
        xenia.start()
        url = f"http://127.0.0.1:{xenia.port}/"
        sdk = XenAPI.Session(url)
        sdk.xenapi.login_with_password("root", PASSWORD, "2.0", "bench-cbinding")
        api = sdk.xenapi
        template = api.VM.get_by_name_label("Generic Linux BIOS")[0]
        vm = api.VM.clone(template, "bench-c")
        uuid = api.VM.get_uuid(vm)
        if why is None:
            libvirt = LibvirtDaemon(base / "libvirt")
            libvirt.start()
            keeper = LibvirtKeeper(libvirt.uri)
            keeper.populate(1)
        else:
            print(f"libvirt: skipped: {why}")

        cases: dict[str, Callable[[], float]] = {}
        for what in ("getter", "record"):
            for where, address in (("unix", f"unix:{xenia.socket_path}"), ("tcp", url)):
                cases[f"{what}/xenia-c-{where}"] = partial(
                    run_c,
                    f"{what}/xenia-c-{where}",
                    [str(progs["xenia"]), address, "root", PASSWORD, uuid, what, str(seconds)],
                )
            py_call = partial(api.VM.get_name_label if what == "getter" else api.VM.get_record, vm)
            cases[f"{what}/python-sdk-tcp"] = partial(run_python, py_call, seconds)
            if libvirt is not None:
                op = "info" if what == "getter" else "xmldesc"
                cases[f"{what}/libvirt-c"] = partial(
                    run_c, f"{what}/libvirt-c", [str(progs["libvirt"]), libvirt.uri, LIBVIRT_DOMAIN, op, str(seconds)]
                )
        for r in range(rounds):
            for name, case in cases.items():
                results.setdefault(name, []).append(case())
            print(f"round {r + 1}/{rounds} done", file=sys.stderr)
        sdk.xenapi.session.logout()
    finally:
        if keeper is not None:
            keeper.stop()
        if libvirt is not None:
            libvirt.stop()
        xenia.stop()
        shutil.rmtree(base, ignore_errors=True)

    med = {k: statistics.median(v) for k, v in results.items()}
    print(f"\n{'call':<14} {'xenia C unix':>13} {'xenia C tcp':>12} {'SDK tcp':>9} {'libvirt C':>10} "
          f"{'C/libvirt':>10} {'C/SDK':>6}  libvirt counterpart")  # fmt: skip
    for what, counterpart in (("getter", "virDomainGetInfo"), ("record", "virDomainGetXMLDesc")):
        c_unix, c_tcp = med[f"{what}/xenia-c-unix"], med[f"{what}/xenia-c-tcp"]
        py = med[f"{what}/python-sdk-tcp"]
        lv = med.get(f"{what}/libvirt-c")
        lv_cell = f"{lv:>10.0f}" if lv else f"{'-':>10}"
        ratio = f"{c_unix / lv:>10.2f}" if lv else f"{'-':>10}"
        label = "get_name_label" if what == "getter" else "get_record"
        print(
            f"{label:<14} {c_unix:>13.0f} {c_tcp:>12.0f} {py:>9.0f} {lv_cell} {ratio} {c_unix / py:>6.2f}  {counterpart}"
        )
    print(
        "\nCPU of the C client itself, per call (µs): "
        + ", ".join(f"{name} {statistics.median(v) * 1e6:.0f}" for name, v in CLIENT_CPU.items())
    )
    print(f"calls/s, one client each, median of {rounds} round(s) of {seconds:g} s; C/libvirt compares the unix socket")
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(run_as_subreaper(main))
