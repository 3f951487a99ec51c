#!/usr/bin/env python3
"""Benchmarks of xenia's store, driven over its socket by C clients (libxenstore), with peers in the same run.

    python bench/store.py                 # default run, a few minutes
    python bench/store.py --quick         # smaller sizes, for a smoke test
    python bench/store.py --parallel 10,50,100,200,300 --cycles 3 --history-commits 3000000

Prints: read/write ops/s over the socket (peer: the same requests in process, no socket); the parallel
simulated VM start/stop benchmark in merge mode beside the same workload under cxenstored's conflict rule
(``strict`` mode: any touched node changed -> EAGAIN) with the time ratio and abort rates; domain name
lookups at 10 and 10 000 domains, index vs libxl's scan; memory per node (peer: cxenstored's accounting
formula); memory per domain at 10 000 domains with the default history beside the tree alone (issue 12's
probe); the history's size after 1 000 000 commits at that many domains.

Runs as a child subreaper (``_common.run_as_subreaper``), peers and all: orphaned descendants are reaped
as soon as they exit, as init does on a normal host, and the output says how long they waited.

Needs gcc and libxen-dev (``bash scripts/system-deps``); the C load generator is embedded below and
compiled into a temporary directory.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from _common import run_as_subreaper

from xenia.store.engine import Engine
from xenia.store.history import History, Retention
from xenia.store.sockclient import SyncClient
from xenia.store.tree import iter_nodes


def compile_client(workdir: Path) -> Path:
    src = workdir / "xsbench.c"
    src.write_text(C_SOURCE)
    exe = workdir / "xsbench"
    subprocess.run(["gcc", "-O2", "-o", str(exe), str(src), "-lxenstore", "-lpthread"], check=True)
    return exe


def parse(out: str) -> dict[str, float]:
    return {k: float(v) for k, v in (item.split("=") for item in out.split())}


class Daemon:
    def __init__(self, workdir: Path) -> None:
        self.state = workdir / "state"
        self.socket = self.state / "xenstored.sock"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "xenia.store.cli", "store-serve", "--state-dir", str(self.state)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        assert self.proc.stdout is not None
        self.proc.stdout.readline()  # "listening on ..."
        self.env = dict(os.environ, XENSTORED_PATH=str(self.socket))
        self.ctl = SyncClient(self.socket)

    def run(self, exe: Path, *args: object) -> dict[str, float]:
        out = subprocess.run([str(exe), *map(str, args)], env=self.env, capture_output=True, text=True, check=True)
        return parse(out.stdout) if out.stdout.strip() else {}

    def stop(self) -> None:
        self.ctl.close()
        self.proc.terminate()
        self.proc.wait(timeout=60)


def bench_ops(d: Daemon, exe: Path, n: int, threads: int) -> None:
    r = d.run(exe, "ops", n, threads)
    e = Engine()
    s = e.open_session(lambda p, t: None)
    t0 = time.perf_counter()
    for _ in range(n * threads):
        e.request(s, "write", "/bench/ops/0", b"value")
    t1 = time.perf_counter()
    for _ in range(n * threads):
        e.request(s, "read", "/bench/ops/0")
    t2 = time.perf_counter()
    w_in, r_in = n * threads / (t1 - t0), n * threads / (t2 - t1)
    print(f"## ops/s ({threads} libxenstore connections x {n} requests each)")
    print(f"  write: {r['write_ops_s']:9.0f} ops/s over the socket | in process {w_in:9.0f} | socket/in-process {r['write_ops_s'] / w_in:.2f}")
    print(f"  read:  {r['read_ops_s']:9.0f} ops/s over the socket | in process {r_in:9.0f} | socket/in-process {r['read_ops_s'] / r_in:.2f}")


def bench_sequences(d: Daemon, exe: Path, parallel: list[int], cycles: int) -> None:
    print(f"## parallel simulated VM start/stop sequences ({cycles} cycle(s) each; one libxenstore connection per sequence;")
    print("## start = 1 transaction of ~45 requests creating the domain, /vm and vbd/vif device nodes; stop = 1 transaction removing them)")
    print(f"  {'parallel':>8} | {'merge s':>8} {'aborts':>7} {'rate':>6} | {'strict s':>8} {'aborts':>7} {'rate':>6} | strict/merge")
    for p in parallel:
        res = {}
        for mode in ("merge", "strict"):
            d.ctl.control("mode", mode)
            res[mode] = d.run(exe, "seq", p, cycles)
        d.ctl.control("mode", "merge")
        m, s = res["merge"], res["strict"]

        def rate(r: dict[str, float]) -> float:
            return r["aborts"] / (r["aborts"] + r["commits"])

        print(
            f"  {p:>8} | {m['seconds']:8.2f} {m['aborts']:7.0f} {rate(m):6.1%} | "
            f"{s['seconds']:8.2f} {s['aborts']:7.0f} {rate(s):6.1%} | {s['seconds'] / m['seconds']:.1f}x"
        )
    print("  (2014 reference, 200 sequences: cxenstored 1343 s, oxenstored 225 s, Irmin 103 s; other hardware and workload)")


def bench_lookups(d: Daemon, exe: Path, sizes: list[int]) -> None:
    print("## domain name -> domid lookups (libxenstore client)")
    have = 0
    for n in sizes:
        d.run(exe, "populate", have + 1, n - have)
        have = n
        target = f"vm{n // 2 + 1}"
        scan = d.run(exe, "scan", target, 3 if n > 1000 else 50)
        index = d.run(exe, "index", target, 2000)
        assert scan["domid"] == index["domid"] == n // 2 + 1, (scan, index)
        print(
            f"  {n:>6} domains: index {index['us_per_lookup']:9.1f} us | libxl-style scan {scan['us_per_lookup']:11.1f} us"
            f" | scan/index {scan['us_per_lookup'] / index['us_per_lookup']:.0f}x"
        )


def populate(e: Engine, domains: int) -> None:
    """One transaction per domain creating a running domain's usual keys (and its /vm entry)."""
    s = e.open_session(lambda p, t: None)
    for d in range(1, domains + 1):
        tx = e.transaction_start(s)
        base = f"/local/domain/{d}"
        for key, value in (("name", f"vm{d}"), ("vm", f"/vm/uuid-{d}"), ("memory/target", "524288"),
                           ("control/shutdown", ""), ("device/vbd/51712/state", "4"), ("device/vif/0/state", "4")):
            e.request(s, "write", f"{base}/{key}", value.encode(), tx_id=tx)
        e.request(s, "write", f"/vm/uuid-{d}/name", f"vm{d}".encode(), tx_id=tx)
        e.transaction_end(s, tx, True)


def bench_memory(domains: int) -> None:
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    e = Engine(history=History(Retention(recent=1, tiers=())))
    populate(e, domains)
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    nodes = list(iter_nodes(e.head.root.tree, "/"))
    # cxenstored charges 16 B header + 8 B per perm + value + child names + full path
    accounted = sum(16 + 8 * len(n.perms) + len(n.value) + sum(len(c) + 1 for c in n.children) + len(p) + 1 for p, n in nodes)
    print(f"## memory per node ({len(nodes)} nodes, {domains} domains, indices included)")
    print(f"  xenia: {used / len(nodes):.0f} B/node (tracemalloc) | cxenstored accounting formula {accounted / len(nodes):.0f} B/node"
          f" | ratio {used / accounted:.1f}x")


def bench_history_domains(domains: int) -> None:
    """Issue 12's probe: memory per domain with the default history, beside the tree alone (one commit
    kept). Measured on main: 326 KiB per domain with the default history, 4.4 KiB with one commit."""
    used = {}
    for label, history in (("default history", History()), ("one commit kept", History(Retention(recent=1, tiers=())))):
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        e = Engine(history=history)
        t0 = time.perf_counter()
        populate(e, domains)
        elapsed = time.perf_counter() - t0
        used[label] = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        print(f"  {label:>16}: {used[label] / domains / 1024:7.1f} KiB per domain ({used[label] / 2**20:7.1f} MiB traced,"
              f" {len(e.history)} commits retained, history estimate {e.history.bytes / 2**20:.1f} MiB,"
              f" {domains / elapsed:.0f} domain commits/s under tracemalloc)")
        del e
    print(f"  history's own cost: {(used['default history'] - used['one commit kept']) / domains / 1024:.1f} KiB per domain"
          " (main: 326 KiB with the default history vs 4.4 KiB with one commit)")


def bench_history(commits: int, domains: int) -> None:
    tracemalloc.start()
    e = Engine()
    s = e.open_session(lambda p, t: None)
    populate(e, domains)
    base = tracemalloc.get_traced_memory()[0]
    r = e.history.retention
    print(f"## history size at {domains} domains (bound {e.history.capacity} commits: {r.recent} recent + time tiers;"
          f" budget {r.budget / 2**20:.0f} MiB)")
    checkpoints = {c for c in (10_000, 100_000, commits) if c <= commits}
    t0 = time.perf_counter()
    for i in range(1, commits + 1):
        e.request(s, "write", f"/local/domain/{i % domains + 1}/memory/target", str(i).encode())
        if i in checkpoints:
            mem = tracemalloc.get_traced_memory()[0] - base
            oldest = e.history.commits()[0].seq
            print(f"  after {i:>9} commits: {len(e.history):5d} retained, oldest retained seq {oldest:>8}, "
                  f"history memory {mem / 2**20:6.1f} MiB (estimate {e.history.bytes / 2**20:5.1f} MiB)")
    elapsed = time.perf_counter() - t0
    tracemalloc.stop()
    print(f"  ({commits / elapsed:.0f} commits/s in process, under tracemalloc)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    ap.add_argument("--parallel", default="10,50,100,200")
    ap.add_argument("--cycles", type=int, default=1)
    ap.add_argument("--ops", type=int, default=5000, help="requests per connection for ops/s")
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--domains", type=int, default=10_000)
    ap.add_argument("--memory-domains", type=int, default=10_000)
    ap.add_argument("--history-commits", type=int, default=1_000_000)
    args = ap.parse_args()
    if args.quick:
        args.parallel, args.ops, args.domains, args.memory_domains, args.history_commits = "10,50", 500, 1000, 1000, 20_000
    with tempfile.TemporaryDirectory(prefix="xenia-store-bench-") as tmp:
        work = Path(tmp)
        exe = compile_client(work)
        d = Daemon(work)
        try:
            bench_ops(d, exe, args.ops, args.threads)
            bench_sequences(d, exe, [int(x) for x in args.parallel.split(",")], args.cycles)
            bench_lookups(d, exe, [10, args.domains])
            print(f"  daemon counters: {d.ctl.control('stats').decode()}")
        finally:
            d.stop()
    bench_memory(args.memory_domains)
    print(f"## memory per domain at {args.memory_domains} domains (tracemalloc; one transaction per domain)")
    bench_history_domains(args.memory_domains)
    bench_history(args.history_commits, args.memory_domains)
    return 0


C_SOURCE = r"""
/* libxenstore load generator for bench/store.py (xenia's own code).
 *
 *   xsbench ops N THREADS            N writes then N reads per connection; prints write/read ops/s
 *   xsbench seq PARALLEL CYCLES      simulated VM start/stop sequences, one connection each
 *   xsbench populate FIRST COUNT     /local/domain/<id>/{name,vm} for COUNT domains
 *   xsbench scan NAME REPEAT         libxl-style name lookup: list /local/domain, read every name
 *   xsbench index NAME REPEAT        the same lookup through the store's index (CONTROL index-name)
 *
 * The socket comes from XENSTORED_PATH, as for every libxenstore client.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xenstore.h>

static long nops, cycles;
static long total_aborts, total_commits;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t bar;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct xs_handle *open_or_die(void) {
    struct xs_handle *h = xs_open(0);
    if (!h) { perror("xs_open"); exit(2); }
    return h;
}

static void put(struct xs_handle *h, xs_transaction_t t, const char *val, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#include <stdarg.h>
static void put(struct xs_handle *h, xs_transaction_t t, const char *val, const char *fmt, ...) {
    char path[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    if (!xs_write(h, t, path, val, strlen(val)) && errno != EAGAIN) { perror(path); exit(3); }
}

static double t_write0, t_write1, t_read1;

static void *ops_thread(void *arg) {
    long id = (long)arg;
    struct xs_handle *h = open_or_die();
    char path[64];
    snprintf(path, sizeof path, "/bench/ops/%ld", id);
    xs_write(h, XBT_NULL, path, "0", 1);
    pthread_barrier_wait(&bar);
    if (id == 0) t_write0 = now();
    pthread_barrier_wait(&bar);
    for (long i = 0; i < nops; i++)
        if (!xs_write(h, XBT_NULL, path, "value", 5)) { perror("write"); exit(3); }
    pthread_barrier_wait(&bar);
    if (id == 0) t_write1 = now();
    pthread_barrier_wait(&bar);
    for (long i = 0; i < nops; i++) {
        unsigned int len;
        char *v = xs_read(h, XBT_NULL, path, &len);
        if (!v) { perror("read"); exit(3); }
        free(v);
    }
    pthread_barrier_wait(&bar);
    if (id == 0) t_read1 = now();
    xs_close(h);
    return NULL;
}

static bool vm_start(struct xs_handle *h, int d) {
    xs_transaction_t t = xs_transaction_start(h);
    unsigned int len;
    char dom[64], be[64], vm[64], v[128];
    snprintf(dom, sizeof dom, "/local/domain/%d", d);
    snprintf(be, sizeof be, "/local/domain/0/backend");
    snprintf(vm, sizeof vm, "/vm/00000000-0000-0000-0000-%012d", d);
    free(xs_read(h, t, "/local/domain/0/name", &len)); /* a read every toolstack does */
    snprintf(v, sizeof v, "vm-%d", d);
    put(h, t, v, "%s/name", dom);
    put(h, t, vm, "%s/vm", dom);
    snprintf(v, sizeof v, "%d", d);
    put(h, t, v, "%s/domid", dom);
    put(h, t, "524288", "%s/memory/static-max", dom);
    put(h, t, "524288", "%s/memory/target", dom);
    put(h, t, "0", "%s/memory/videoram", dom);
    put(h, t, "online", "%s/cpu/0/availability", dom);
    put(h, t, "online", "%s/cpu/1/availability", dom);
    put(h, t, "", "%s/control/shutdown", dom);
    put(h, t, "1", "%s/control/feature-poweroff", dom);
    put(h, t, "", "%s/data", dom);
    put(h, t, v, "%s/name", vm);
    put(h, t, "linux", "%s/image/ostype", vm);
    put(h, t, "0", "%s/start_time", vm);
    for (int i = 0; i < 2; i++) {
        char fe[128], bk[128];
        snprintf(fe, sizeof fe, "%s/device/vbd/%d", dom, 51712 + 16 * i);
        snprintf(bk, sizeof bk, "%s/vbd/%d/%d", be, d, 51712 + 16 * i);
        put(h, t, bk, "%s/backend", fe);
        put(h, t, "0", "%s/backend-id", fe);
        put(h, t, "1", "%s/state", fe);
        put(h, t, "disk", "%s/device-type", fe);
        put(h, t, fe, "%s/frontend", bk);
        put(h, t, v, "%s/frontend-id", bk);
        put(h, t, "1", "%s/state", bk);
        put(h, t, "phy:/dev/vg/disk", "%s/params", bk);
        put(h, t, "1", "%s/online", bk);
    }
    char fe[128], bk[128];
    snprintf(fe, sizeof fe, "%s/device/vif/0", dom);
    snprintf(bk, sizeof bk, "%s/vif/%d/0", be, d);
    put(h, t, bk, "%s/backend", fe);
    put(h, t, "1", "%s/state", fe);
    put(h, t, "00:16:3e:00:00:01", "%s/mac", fe);
    put(h, t, fe, "%s/frontend", bk);
    put(h, t, "1", "%s/state", bk);
    put(h, t, "xenbr0", "%s/bridge", bk);
    struct xs_permissions perms[2] = {{.id = (unsigned)d, .perms = XS_PERM_NONE}, {.id = 0, .perms = XS_PERM_READ}};
    xs_set_permissions(h, t, dom, perms, 2);
    return xs_transaction_end(h, t, false);
}

static bool vm_stop(struct xs_handle *h, int d) {
    xs_transaction_t t = xs_transaction_start(h);
    char p[128];
    snprintf(p, sizeof p, "/local/domain/%d", d);
    xs_rm(h, t, p);
    snprintf(p, sizeof p, "/vm/00000000-0000-0000-0000-%012d", d);
    xs_rm(h, t, p);
    snprintf(p, sizeof p, "/local/domain/0/backend/vbd/%d", d);
    xs_rm(h, t, p);
    snprintf(p, sizeof p, "/local/domain/0/backend/vif/%d", d);
    xs_rm(h, t, p);
    return xs_transaction_end(h, t, false);
}

static void *seq_thread(void *arg) {
    int d = 1 + (int)(long)arg;
    struct xs_handle *h = open_or_die();
    long aborts = 0, commits = 0;
    pthread_barrier_wait(&bar);
    for (long c = 0; c < cycles; c++) {
        while (!vm_start(h, d)) {
            if (errno != EAGAIN) { perror("start commit"); exit(3); }
            aborts++;
        }
        commits++;
        while (!vm_stop(h, d)) {
            if (errno != EAGAIN) { perror("stop commit"); exit(3); }
            aborts++;
        }
        commits++;
    }
    pthread_mutex_lock(&mu);
    total_aborts += aborts;
    total_commits += commits;
    pthread_mutex_unlock(&mu);
    xs_close(h);
    return NULL;
}

static void run_threads(long n, void *(*fn)(void *)) {
    pthread_t *th = calloc(n, sizeof *th);
    pthread_barrier_init(&bar, NULL, (unsigned)n);
    for (long i = 0; i < n; i++) pthread_create(&th[i], NULL, fn, (void *)i);
    for (long i = 0; i < n; i++) pthread_join(th[i], NULL);
    free(th);
}

static int lookup_scan(struct xs_handle *h, const char *name) {
    unsigned int n, len;
    char **doms = xs_directory(h, XBT_NULL, "/local/domain", &n);
    int found = -1;
    if (!doms) { perror("directory"); exit(3); }
    for (unsigned i = 0; i < n; i++) { /* libxl_name_to_domid reads every name */
        char p[64];
        snprintf(p, sizeof p, "/local/domain/%s/name", doms[i]);
        char *v = xs_read(h, XBT_NULL, p, &len);
        if (v && strcmp(v, name) == 0) found = atoi(doms[i]);
        free(v);
    }
    free(doms);
    return found;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: see source\n"); return 1; }
    const char *mode = argv[1];
    if (!strcmp(mode, "ops")) {
        nops = atol(argv[2]);
        long threads = atol(argv[3]);
        run_threads(threads, ops_thread);
        double total = (double)nops * threads;
        printf("write_ops_s=%.0f read_ops_s=%.0f\n", total / (t_write1 - t_write0), total / (t_read1 - t_write1));
    } else if (!strcmp(mode, "seq")) {
        long par = atol(argv[2]);
        cycles = atol(argv[3]);
        double t0 = now();
        run_threads(par, seq_thread);
        printf("seconds=%.3f commits=%ld aborts=%ld\n", now() - t0, total_commits, total_aborts);
    } else if (!strcmp(mode, "populate")) {
        struct xs_handle *h = open_or_die();
        long first = atol(argv[2]), count = atol(argv[3]);
        for (long i = first; i < first + count; i += 200) {
            xs_transaction_t t = xs_transaction_start(h);
            for (long d = i; d < i + 200 && d < first + count; d++) {
                char v[64];
                snprintf(v, sizeof v, "vm%ld", d);
                put(h, t, v, "/local/domain/%ld/name", d);
                snprintf(v, sizeof v, "/vm/uuid-%ld", d);
                put(h, t, v, "/local/domain/%ld/vm", d);
            }
            if (!xs_transaction_end(h, t, false)) { perror("populate"); return 3; }
        }
        xs_close(h);
    } else if (!strcmp(mode, "scan") || !strcmp(mode, "index")) {
        struct xs_handle *h = open_or_die();
        long repeat = atol(argv[3]);
        int found = -1;
        double t0 = now();
        for (long r = 0; r < repeat; r++) {
            if (!strcmp(mode, "scan")) {
                found = lookup_scan(h, argv[2]);
            } else {
                char *v = xs_control_command(h, "index-name", argv[2], strlen(argv[2]) + 1);
                if (!v) { perror("index"); return 3; }
                found = atoi(v);
                free(v);
            }
        }
        printf("us_per_lookup=%.1f domid=%d\n", (now() - t0) / repeat * 1e6, found);
        xs_close(h);
    }
    return 0;
}
"""

def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


if __name__ == "__main__":
    print(f"at the start: {_load()}", flush=True)
    status = run_as_subreaper(main)
    print(f"at the end: {_load()} (a figure taken under load moves; compare only with its peer in the same run)")
    sys.exit(status)
