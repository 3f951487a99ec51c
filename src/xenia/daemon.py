"""``xenia serve``: assemble the daemon and run it until SIGTERM or SIGINT.

Order matters: the db is loaded (and created on first start) before any socket
listens, so the first request already sees every committed object.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import logging
import os
import resource
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

from xenia.api import tls
from xenia.api.blobs import BlobHttp
from xenia.api.certificates import ServerCertificate
from xenia.api.console import ConsoleHandler
from xenia.api.console_ws import WebSocketConsoleHandler
from xenia.api.context import App
from xenia.api.dispatch import Dispatcher
from xenia.api.events import EventHub, EventLimits
from xenia.api.http import HttpLimits
from xenia.api.https_only import PlainListener
from xenia.api.methods import Method, build_table
from xenia.api.server import ApiServer
from xenia.api.sessions import SessionLimits, SessionManager
from xenia.api.tasks import TaskLimits, TaskManager
from xenia.datamodel import MODEL
from xenia.datamodel.errors import ApiError
from xenia.db import Backend, Db, MemoryBackend, SqliteBackend
from xenia.db.etcd import EtcdBackend, EtcdTls
from xenia.db.migrate import SchemaError
from xenia.drivers import registry
from xenia.drivers.base import Driver
from xenia.export import add_export_routes
from xenia.firstboot import initialise
from xenia.metrics.collect import MetricsConfig, MetricsService
from xenia.metrics.http import MetricsHttp
from xenia.ops.engine import Ops
from xenia.ops.migration import Migrations
from xenia.ops.storage import Storage
from xenia.pool import retry, vmops
from xenia.pool.forward import SESSION_PATH, PoolLink
from xenia.pool.ha import HaMonitor
from xenia.pool.join import read_pool
from xenia.pool.liveness import Liveness
from xenia.store import StoreServer
from xenia.util.foreground import Foreground
from xenia.util.gcfreeze import tune_collector
from xenia.util.private import private_socket, private_umask, secure_state_dir

log = logging.getLogger("xenia")

DB_FILE = "xenia.db"


@dataclass
class DaemonConfig:
    state_dir: Path
    listen: str | None = "127.0.0.1:8080"
    socket: Path | None = None
    driver: str = "sim"
    durability: str = "normal"
    limits: SessionLimits = field(default_factory=SessionLimits)
    faults: list[str] = field(default_factory=list)
    driver_options: dict[str, str] = field(default_factory=dict)
    shutdown_timeout: float = 120.0
    #: seconds a balloon may stand still short of its target before it counts as partial (docs/liveconfig.md)
    balloon_stall: float = 5.0
    #: seconds VM.wait_memory_target_live waits before VM_MEMORY_TARGET_WAIT_TIMEOUT (xapi's default: 256)
    memory_target_timeout: float = 256.0
    tasks: TaskLimits = field(default_factory=TaskLimits)
    events: EventLimits = field(default_factory=EventLimits)
    #: keep the db, the store tree and the simulator's domains in memory only (throw-away test daemons);
    #: SR files and sockets still go under ``state_dir``
    in_memory: bool = False
    #: the root password of a new db (else $XENIA_ROOT_PASSWORD, else a generated one)
    root_password: str | None = None
    #: scrypt's N for that password (None: the default; test doubles lower it so logins cost no time)
    password_hash_cost: int | None = None
    #: print where to connect once listening (``xenia serve``); in-process simulators stay quiet
    announce: bool = True
    metrics: MetricsConfig = field(default_factory=MetricsConfig)
    http: HttpLimits = field(default_factory=HttpLimits)
    tls_listen: str | None = None
    tls_cert: Path | None = None
    tls_key: Path | None = None
    #: where the migration receiver listens (port 0: any free port); None: no receiver
    migration_listen: str | None = "127.0.0.1:0"
    #: a pool's db: etcd endpoints (``http://host:port,...``); None keeps the embedded SQLite db
    etcd: str | None = None
    #: the key prefix of this pool's objects in etcd (several pools can share one cluster)
    etcd_prefix: str = "xenia"
    #: TLS to etcd (``https://`` endpoints): its CA, and this member's client certificate and key
    etcd_tls: EtcdTls | None = None
    #: seconds of a member's etcd lease: how long after its death the others act (xapi HA's default: 60)
    pool_host_timeout: int = 30
    #: answer logins on a member that is not the master (xapi's slaves answer HOST_IS_SLAVE)
    pool_serve_everywhere: bool = False

    @property
    def socket_path(self) -> Path:
        return self.socket if self.socket is not None else self.state_dir / "xapi.sock"


class Daemon:
    def __init__(self, config: DaemonConfig) -> None:
        self.config = config
        self.stopping = asyncio.Event()
        self.api: ApiServer | None = None
        self.port: int | None = None
        self.app: App | None = None
        self.driver: Driver | None = None
        self.store: StoreServer | None = None
        self.tls_port: int | None = None
        self.liveness: Liveness | None = None
        self._fencing: asyncio.Task[None] | None = None
        self.restart = False

    async def start(self) -> None:
        cfg = self.config
        secure_state_dir(cfg.state_dir)
        joined = read_pool(cfg.state_dir) if not cfg.etcd else None
        if joined is not None:  # pool.join made this host a member
            cfg.etcd, cfg.etcd_prefix = joined["etcd"], joined["prefix"]
        backend: Backend
        if cfg.etcd:
            backend = EtcdBackend(cfg.etcd, cfg.etcd_prefix, tls=cfg.etcd_tls)
        elif cfg.in_memory:
            backend = MemoryBackend()
        else:
            backend = SqliteBackend(cfg.state_dir / DB_FILE, cfg.durability)
        db = Db(MODEL, backend)
        loaded = db.load()
        if isinstance(backend, EtcdBackend):
            backend.attach(db, asyncio.get_running_loop())
        identity = initialise(db, cfg.state_dir, cfg.root_password, cfg.password_hash_cost, pool_member=bool(cfg.etcd))
        sessions = SessionManager(db, identity.host_ref, cfg.limits)
        app = self.app = App(db, sessions, identity.host_ref, identity.pool_ref, cfg.state_dir)
        app.services["restart"] = self.request_restart
        if cfg.etcd:
            app.services["pool-etcd"] = {"endpoints": cfg.etcd, "prefix": cfg.etcd_prefix}
        tasks = app.services["tasks"] = TaskManager(db, identity.host_ref, cfg.tasks)
        hub = app.services["events"] = EventHub(db, cfg.events, is_active=sessions.active.__contains__)
        sessions.on_end += [tasks.session_ended, hub.session_ended]
        tasks.start()
        foreground = Foreground()  # the big answers being encoded, which start-up's leftovers give way to
        await self._start_driver(app, foreground)
        if cfg.etcd:
            await self._join_liveness(app, cfg.etcd)
        dispatcher = Dispatcher(app, self._dispatch_table(app))
        hub.install(dispatcher.encoders, dispatcher.json_encoders)
        self.api = ApiServer(dispatcher, _fit_to_fd_limit(cfg.http, _raise_fd_limit()), foreground)
        metrics_http = MetricsHttp(app)
        for path in metrics_http.routes:
            self.api.route("GET", path, metrics_http.handle)
        self.api.route("CONNECT", "/console", ConsoleHandler(app))
        self.api.route("GET", "/console/ws", WebSocketConsoleHandler(app))  # the web console's noVNC and xterm.js
        link = app.services.get("pool")
        if link is not None:
            dispatcher.settle = link.backend.caught_up
            self.api.route("POST", SESSION_PATH, link.session_route)
        blob_http = BlobHttp(app)
        self.api.route("GET", "/blob", blob_http.handle)
        self.api.route("PUT", "/blob", blob_http.handle)
        add_export_routes(self.api, app)  # disk-sized bodies: streamed, outside the RPC body limit
        await self.api.listen_unix(cfg.socket_path)
        tls_host = (cfg.tls_listen.rpartition(":")[0] if cfg.tls_listen else "") or "127.0.0.1"
        certificate = app.services["certificate"] = ServerCertificate(cfg.state_dir, tls_host)
        if cfg.tls_listen:  # before plain HTTP: a client that finds the plain port open finds TLS ready too
            host, _, port = cfg.tls_listen.rpartition(":")
            cert, key = tls.server_files(cfg.state_dir, cfg.tls_cert, cfg.tls_key, host or "127.0.0.1")
            context = tls.server_context(cfg.state_dir, cert, key, host or "127.0.0.1")
            certificate.serve(context, cert, key)
            self.tls_port = await self.api.listen_tcp(host or "127.0.0.1", int(port), context)
        plain = app.services["plain_http"] = PlainListener(
            self.api, cfg.state_dir, cfg.listen, self.tls_port is not None
        )
        self.port = await plain.start()
        await self._start_migrations(app)
        if link is not None and cfg.listen and self.port is not None:
            # the other members reach this one's API here; clients sent to the master get its address
            address = cfg.listen.rpartition(":")[0] or "127.0.0.1"
            await asyncio.to_thread(link.publish, f"http://{address}:{self.port}")
            app.db.set("host", app.host_ref, "address", address)
        # xapi: https_only "reflects whether port 80 is open (false) or not (true)"
        app.db.set("host", app.host_ref, "https_only", plain.https_only)
        if cfg.announce:
            self._announce(loaded, identity.generated_password)
        await self._start_leftovers(app, foreground)
        asyncio.get_running_loop().create_task(self._housekeeping())

    async def _start_leftovers(self, app: App, foreground: Foreground) -> None:
        """What start-up leaves for after the API answers, giving way to the big answers being
        encoded (:mod:`xenia.util.foreground`): following the adopted guests' agents, the store's
        history before its newest snapshot, the saved RRDs (restored before the first tick)."""
        app.services["ops"].foreground = foreground
        app.services["ops"].follow_adopted_later()
        if self.store is not None:
            self.store.replay_older_history(foreground.wait_idle)
        app.services["metrics"].foreground = foreground
        await app.services["metrics"].start()

    @staticmethod
    def _dispatch_table(app: App) -> dict[str, Method]:
        """The handlers; a pool member's makes again a write another member beat (xenia.pool.retry)
        and has what runs on another member made there (xenia.pool.vmops)."""
        table = build_table(app.model)
        link: PoolLink | None = app.services.get("pool")
        if link is not None:
            retry.install(table, link.backend)
            vmops.install(table, link)
        return table

    def request_restart(self) -> None:
        """Stop, then start again with the same arguments (after pool.join: as a pool member)."""
        self.restart = True
        self.stopping.set()

    async def _join_liveness(self, app: App, etcd: str) -> None:
        """Hold this member's lease, mark its host live, and watch the others' (xenia.pool.ha)."""
        loop = asyncio.get_running_loop()
        backend = app.db.backend
        assert isinstance(backend, EtcdBackend)
        link = app.services["pool"] = await asyncio.to_thread(PoolLink, backend, app.sessions, app.host_ref)
        app.services["pool-redirect-logins"] = not self.config.pool_serve_everywhere
        ha = app.services["ha"] = HaMonitor(app.db, app.services["ops"], app.host_ref, app.pool_ref, link,
                                            self.config.state_dir)  # fmt: skip

        def isolated() -> None:
            self._fencing = loop.create_task(ha.fence())

        self.liveness = Liveness(etcd, self.config.etcd_prefix, app.host_ref, self.config.pool_host_timeout, loop,
                                 ha.members_changed, isolated, backend.context)  # fmt: skip
        await asyncio.to_thread(self.liveness.start)
        metrics = app.db.get("host", app.host_ref)["metrics"]
        if app.db.exists("host_metrics", metrics):
            app.db.set("host_metrics", metrics, "live", True)
        ha.report_fenced()

    async def _start_driver(self, app: App, foreground: Foreground) -> None:
        """Open the driver (adopting the domains it kept), then bring the db in line with it."""
        cfg = self.config
        options = dict(cfg.driver_options)
        if cfg.faults:
            options["faults"] = ",".join(cfg.faults)
        if cfg.in_memory and cfg.driver == "sim":
            options.setdefault("state", "memory")
        journal_dir = None if cfg.in_memory else cfg.state_dir
        self.store = await StoreServer.start(journal_dir, cfg.state_dir / "xenstored.sock", history_later=True)
        private_socket(cfg.state_dir / "xenstored.sock")
        store = self.store.client(0)
        app.services["store"] = self.store
        driver = registry.create(cfg.driver, cfg.state_dir, options)
        if hasattr(driver, "foreground"):  # the simulator's guests, booted again after a restart
            driver.foreground = foreground
        await driver.open()
        self.driver = driver
        attach = getattr(driver, "attach_store", None)
        if attach is not None:
            attach(self.store.client(0))
        ops = Ops(app.db, driver, app.host_ref, shutdown_timeout=cfg.shutdown_timeout, store=store,
                  console_url=self._console_url(app))  # fmt: skip
        ops.balloon_stall = cfg.balloon_stall
        ops.memory_target_timeout = cfg.memory_target_timeout
        app.services["ops"] = ops
        app.services["storage"] = Storage(app.db, driver, app.host_ref if cfg.etcd else None)
        info = await driver.host.info()
        metrics = app.db.get("host", app.host_ref)["metrics"]
        if app.db.exists("host_metrics", metrics):
            app.db.set("host_metrics", metrics, "memory_total", info.memory_total)
        await ops.adopt_all()
        metrics_service = MetricsService(app.db, driver, app.host_ref, cfg.state_dir, cfg.metrics)
        app.services["metrics"] = metrics_service  # started once the API listens

    async def _start_migrations(self, app: App) -> None:
        """The migration receiver (``host.migrate_receive`` issues its tokens) and ``VM.migrate_send``."""
        cfg = self.config
        if cfg.migration_listen is None or self.driver is None:
            return
        service = Migrations(
            app.db, app.services["ops"], app.services["storage"], self.driver, app.host_ref, cfg.migration_listen
        )
        await service.start()
        if self.port is not None:
            service.api_url = f"http://{(cfg.listen or '').rpartition(':')[0] or '127.0.0.1'}:{self.port}"
        elif self.tls_port is not None:
            service.api_url = f"https://{(cfg.tls_listen or '').rpartition(':')[0] or '127.0.0.1'}:{self.tls_port}"
        app.services["migrations"] = service

    def _console_url(self, app: App) -> str:
        """Where console objects say their console is: xapi's ``https://<host address>/console``, with the port.

        HTTPS when a TLS listener is configured (as xapi), else plain HTTP.
        """
        cfg = self.config
        address = app.db.get("host", app.host_ref)["address"] or "127.0.0.1"
        scheme, listen = ("https", cfg.tls_listen) if cfg.tls_listen else ("http", cfg.listen)
        port = listen.rpartition(":")[2] if listen else ""
        default = "443" if scheme == "https" else "80"
        return f"{scheme}://{address}{'' if port in ('', '0', default) else ':' + port}/console"

    def _announce(self, loaded: int, generated_password: str | None) -> None:
        cfg = self.config
        source = f"etcd {cfg.etcd} (prefix {cfg.etcd_prefix})" if cfg.etcd else str(cfg.state_dir / DB_FILE)
        lines = [f"xenia: {loaded} objects loaded from {source}; driver {cfg.driver}"]
        if self.port is not None:
            host = cfg.listen.rpartition(":")[0] if cfg.listen else "127.0.0.1"
            lines.append(f"xenia: XenAPI at http://{host}:{self.port}/ (XML-RPC) and /jsonrpc (JSON-RPC)")
        if self.tls_port is not None:
            host = cfg.tls_listen.rpartition(":")[0] if cfg.tls_listen else "127.0.0.1"
            lines.append(f"xenia: XenAPI over TLS at https://{host}:{self.tls_port}/")
        lines.append(f"xenia: local socket {cfg.socket_path} (root without a password)")
        lines.append(f"xenia: xenstore at {cfg.state_dir / 'xenstored.sock'} (XENSTORED_PATH for xenstore-* tools)")
        if generated_password is not None:
            lines.append(f"xenia: log in as root with password {generated_password}")
            lines.append(f"xenia: (saved in {cfg.state_dir / 'root-password'}, mode 0600)")
        else:
            lines.append(f"xenia: log in as root (password from XENIA_ROOT_PASSWORD or {cfg.state_dir}/root-password)")
        print("\n".join(lines), flush=True)

    async def _housekeeping(self) -> None:
        assert self.app is not None
        while not self.stopping.is_set():
            try:
                await asyncio.wait_for(self.stopping.wait(), timeout=60)
            except TimeoutError:
                self.app.sessions.expire_idle()

    async def stop(self) -> None:
        if self.liveness is not None and self.app is not None:
            # a clean stop is no failure: marked not live before the lease goes, nobody restarts its VMs
            with contextlib.suppress(ApiError):  # (gone, when this member was ejected)
                metrics = self.app.db.get("host", self.app.host_ref)["metrics"]
                self.app.db.set("host_metrics", metrics, "live", False)
            await asyncio.to_thread(self.liveness.close)
        if self.app is not None:
            self.app.services["events"].close()
            self.app.services["tasks"].stop()
        if self.api is not None:
            await self.api.close()
        if self.app is not None and "migrations" in self.app.services:
            await self.app.services["migrations"].close()
        if self.app is not None and "metrics" in self.app.services:
            await self.app.services["metrics"].stop()
        if self.app is not None and "ops" in self.app.services:
            await self.app.services["ops"].close()
        if self.driver is not None:
            await self.driver.close()
        if self.store is not None:
            await self.store.close()
        if self.app is not None:
            self.app.db.backend.close()

    async def run(self) -> None:
        # start-up builds millions of objects that live as long as the daemon (the db, the store's
        # tree, adopted domains) and makes next to no cyclic garbage: the collector's passes over
        # them while they are being built cost more than building them (a store snapshot of 10 000
        # domains: 340 000 nodes in 1.8 s with it, 0.2 s without; issue 12)
        gc.disable()
        try:
            await self.start()
        finally:
            # what start-up loaded lives as long as the daemon: out of the cyclic collector's full
            # passes, which otherwise walk it all and stall every client
            gc.freeze()
            gc.enable()
        loop = asyncio.get_running_loop()
        untune = tune_collector(loop)
        try:
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, self.stopping.set)
            await self.stopping.wait()
            await self.stop()
        finally:
            untune()


def _raise_fd_limit() -> int:
    """Raise the soft limit of open files to the hard one (every connection is a descriptor); returns it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if target > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError) as e:
            log.warning("cannot raise the open-file limit from %d to %d: %s", soft, target, e)
    return soft


def _fit_to_fd_limit(limits: HttpLimits, nofile: int) -> HttpLimits:
    """Lower the connection limit so that full TCP and unix listeners leave descriptors for the rest.

    The store's clients, the db, the drivers' sockets and files need some: 256
    are kept aside.  Beyond the limit a client gets 503, never "connection reset".
    """
    fits = max(16, (nofile - 256) // 2)
    if limits.max_connections <= fits:
        return limits
    log.warning("open-file limit %d: HTTP connections limited to %d per listener kind", nofile, fits)
    return dataclasses.replace(limits, max_connections=fits)


def serve(config: DaemonConfig) -> int:
    private_umask()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        import uvloop  # the faster event loop, when installed (a dependency of xenia)
    except ImportError:
        runner = asyncio.run
    else:
        runner = uvloop.run
    daemon = Daemon(config)
    try:
        runner(daemon.run())
    except SchemaError as e:
        print(f"xenia: cannot start on {config.state_dir / DB_FILE}: {e}", file=sys.stderr, flush=True)
        return 2
    if daemon.restart:  # the same process (pid, arguments) starts again, as xapi restarts after pool.join
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, [sys.executable, "-m", "xenia.cli.main", *sys.argv[1:]])
    return 0
