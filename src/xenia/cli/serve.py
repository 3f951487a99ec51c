"""``xenia serve``: run the daemon in the foreground."""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("serve", help="run the xenia daemon in the foreground")
    p.add_argument("--listen", default="127.0.0.1:8080", help="TCP address for the API, HOST:PORT ('' for none)")
    p.add_argument("--tls-listen", default="", metavar="HOST:PORT",
                   help="TCP address for the API over TLS (HTTPS), beside --listen ('' for none)")
    p.add_argument("--tls-cert", type=Path, default=None,
                   help="PEM certificate for --tls-listen (default: one generated at first start in the state dir)")
    p.add_argument("--tls-key", type=Path, default=None, help="PEM private key of --tls-cert")
    p.add_argument("--migration-listen", default="127.0.0.1:0", metavar="HOST:PORT",
                   help="TCP address of the migration receiver (port 0: any free port; '' for none)")
    p.add_argument("--socket", type=Path, default=None, help="local unix socket (default <state-dir>/xapi.sock)")
    p.add_argument("--state-dir", type=Path, default=Path("var"), help="where the db, SRs and sockets live")
    p.add_argument("--driver", default="sim", choices=["sim", "qemu"], help="the driver that runs the machines")
    p.add_argument("--driver-option", action="append", default=[], metavar="KEY=VALUE",
                   help="a driver option (sim: memory=64G, guest-delay=0.5, clock=virtual ...)")
    p.add_argument("--fault", action="append", default=[], metavar="NAME=ACTION",
                   help="arm a simulator fault point at start (e.g. vm.create=fail, vm.suspend.write=delay:5)")
    p.add_argument("--shutdown-timeout", type=float, default=120.0,
                   help="seconds a clean shutdown or reboot waits for the guest")
    p.add_argument("--memory-target-timeout", type=float, default=256.0,
                   help="seconds VM.wait_memory_target_live waits (xapi's wait_memory_target_timeout)")
    p.add_argument("--balloon-stall", type=float, default=5.0,
                   help="seconds a balloon may stand still short of its target before it counts as partial")
    p.add_argument("--durability", default="normal", choices=["normal", "full"],
                   help="normal survives a crash of the daemon, full also a power cut")  # fmt: skip
    p.add_argument("--auth-fail-delay", type=float, default=5.0, help="seconds before a failed login answers")
    p.add_argument("--session-idle-timeout", type=float, default=24 * 3600.0, help="seconds before idle sessions end")
    p.add_argument("--sessions-per-user", type=int, default=500,
                   help="cap per user name other than root (least recently active go first)")
    p.add_argument("--sessions-per-originator", type=int, default=500,
                   help="cap on root's sessions per originator (least recently active go first)")
    p.add_argument("--sessions-anonymous", type=int, default=400, help="cap on root's sessions without an originator")
    p.add_argument("--login-failures-per-user", type=int, default=5,
                   help="failed logins (within 15 min) after which a user name is locked")
    p.add_argument("--login-failures-per-address", type=int, default=20,
                   help="failed logins (within 15 min) after which a client address is locked")
    p.add_argument("--login-lock-seconds", type=float, default=1.0,
                   help="first lock's length; it doubles with every further failure, up to 600 s")  # fmt: skip
    p.add_argument("--tasks-per-session", type=int, default=200, help="finished tasks kept per session")
    p.add_argument("--task-completed-timeout", type=float, default=65 * 60.0,
                   help="seconds a finished task is kept")  # fmt: skip
    p.add_argument("--task-gc-interval", type=float, default=60.0, help="seconds between task collections")
    p.add_argument("--task-step-delay", type=float, default=0.0,
                   help="(tests, demos) seconds every step of an operation waits, so it can be cancelled midway")
    p.add_argument("--event-batch-delay", type=float, default=0.0,
                   help="seconds event.from waits after a change before answering (xapi: 0.05; for comparison)")
    p.add_argument("--event-horizon", type=int, default=50_000,
                   help="deletions remembered for event.from/next; older tokens get EVENTS_LOST")
    p.add_argument("--metrics-tick", type=float, default=5.0, help="seconds between metrics collections")
    p.add_argument("--metrics-save-interval", type=float, default=300.0,
                   help="seconds between saves of the RRDs (a crash loses at most this much history)")  # fmt: skip
    p.add_argument("--http-header-timeout", type=float, default=60.0,
                   help="seconds a request has to arrive whole once it has begun (then 408 and close)")
    p.add_argument("--http-idle-timeout", type=float, default=300.0,
                   help="seconds a connection may wait with nothing to do, or not read its answers, before it is closed")
    p.add_argument("--http-max-pending", type=int, default=64,
                   help="requests queued per connection (pipelined) before the daemon stops reading it")
    p.add_argument("--http-max-connections", type=int, default=4096,
                   help="open connections per listener kind (TCP+TLS, unix socket); beyond it: 503")
    p.add_argument("--http-max-connections-per-address", type=int, default=2048,
                   help="open TCP connections per client address; beyond it: 503")
    p.add_argument("--etcd", default="", metavar="URL[,URL...]",
                   help="keep the db in this etcd cluster, shared with the pool's other members (docs/pools.md)")
    p.add_argument("--etcd-prefix", default="xenia", help="the key prefix of this pool in etcd")
    p.add_argument("--etcd-cacert", default=None, metavar="PEM",
                   help="with https:// etcd endpoints: the CA that signed etcd's certificate (default: the system's)")
    p.add_argument("--etcd-cert", default=None, metavar="PEM",
                   help="with https:// etcd endpoints: this member's client certificate (etcd --client-cert-auth)")
    p.add_argument("--etcd-key", default=None, metavar="PEM", help="the key of --etcd-cert")
    p.add_argument("--pool-host-timeout", type=int, default=30,
                   help="seconds after which a pool member that stopped renewing its etcd lease counts as failed")
    p.add_argument("--pool-serve-everywhere", action="store_true",
                   help="answer logins on a pool member that is not the master (xapi answers HOST_IS_SLAVE)")
    p.set_defaults(handler=run)


def one_blas_thread() -> None:
    """Give numpy's OpenBLAS one thread, before anything imports numpy (a setting of the caller's stands).

    OpenBLAS runs a product of more than 10 000 elements on a thread per core, and the helper threads
    then spin for about 0.1 s before they sleep: the simulator's per-tick sums over 10 000 running
    domains (``drivers/sim/devices.py``) cost a second core a tenth of a second every tick.  The
    daemon's products are small; its cores belong to the guests and the clients."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def run(args: argparse.Namespace) -> int:
    one_blas_thread()
    from xenia.api.events import EventLimits
    from xenia.api.faillock import LockoutPolicy
    from xenia.api.http import HttpLimits
    from xenia.api.sessions import SessionLimits
    from xenia.api.tasks import TaskLimits
    from xenia.daemon import DaemonConfig, serve
    from xenia.db.etcd import EtcdTls
    from xenia.metrics.collect import MetricsConfig

    limits = SessionLimits(
        idle_timeout=args.session_idle_timeout,
        cap_per_user=args.sessions_per_user,
        cap_per_originator=args.sessions_per_originator,
        cap_anonymous=args.sessions_anonymous,
        auth_fail_delay=args.auth_fail_delay,
        lockout=LockoutPolicy(per_user=args.login_failures_per_user, per_address=args.login_failures_per_address,
                              lock_base=args.login_lock_seconds),
    )
    config = DaemonConfig(
        state_dir=args.state_dir.resolve(),
        listen=args.listen or None,
        socket=args.socket,
        driver=args.driver,
        durability=args.durability,
        limits=limits,
        faults=args.fault,
        driver_options=dict(opt.split("=", 1) for opt in args.driver_option),
        shutdown_timeout=args.shutdown_timeout,
        balloon_stall=args.balloon_stall,
        memory_target_timeout=args.memory_target_timeout,
        tasks=TaskLimits(completed_timeout=args.task_completed_timeout, finished_per_session=args.tasks_per_session,
                         gc_interval=args.task_gc_interval, step_delay=args.task_step_delay),
        events=EventLimits(max_tombstones=args.event_horizon, batch_delay=args.event_batch_delay),
        metrics=MetricsConfig(tick=args.metrics_tick, save_interval=args.metrics_save_interval),
        http=HttpLimits(header_timeout=args.http_header_timeout, idle_timeout=args.http_idle_timeout,
                        max_pending=args.http_max_pending, max_connections=args.http_max_connections,
                        max_connections_per_address=args.http_max_connections_per_address),
        tls_listen=args.tls_listen or None,
        migration_listen=args.migration_listen or None,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        etcd=args.etcd or None,
        etcd_prefix=args.etcd_prefix,
        etcd_tls=EtcdTls(args.etcd_cacert, args.etcd_cert, args.etcd_key)
        if args.etcd_cacert or args.etcd_cert or args.etcd_key else None,
        pool_host_timeout=args.pool_host_timeout,
        pool_serve_everywhere=args.pool_serve_everywhere,
    )
    return serve(config)
