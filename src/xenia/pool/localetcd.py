"""A local etcd cluster of one or more members on loopback ports, for ``xenia pool-up`` and tests.

Debian's ``etcd`` binary, each member a child process in its own session with its data under a
directory of its own.  The limits on a transaction are raised so that a db batch (a host's first
objects, a template's clone) fits in one: ``--max-txn-ops`` and ``--max-request-bytes``.  With
:class:`ServerTls` the client port speaks TLS only and asks every client for a certificate signed by
the given CA (etcd's ``--client-cert-auth``).
"""

from __future__ import annotations

import http.client
import shutil
import signal
import ssl
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from xenia.testing.daemon import free_port

#: operations and bytes one transaction may carry (etcd's defaults: 128 and 1.5 MiB)
MAX_TXN_OPS = 10_000
MAX_REQUEST_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class ServerTls:
    """etcd's certificate and key, the CA its clients' certificates must be signed by, and a client
    certificate and key of that CA for the health check."""

    cert: Path
    key: Path
    ca: Path
    client_cert: Path
    client_key: Path


class EtcdMember:
    def __init__(self, name: str, data_dir: Path, client_port: int | None = None, peer_port: int | None = None,
                 tls: ServerTls | None = None) -> None:  # fmt: skip
        self.tls = tls
        self.name = name
        self.data_dir = data_dir
        self.client_port = client_port or free_port()
        self.peer_port = peer_port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir.parent / f"{name}.log"

    @property
    def client_url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.client_port}"

    @property
    def peer_url(self) -> str:
        return f"http://127.0.0.1:{self.peer_port}"

    def start(self, initial_cluster: str, state: str = "new") -> None:
        args = ["etcd", "--name", self.name, "--data-dir", str(self.data_dir),
                "--listen-client-urls", self.client_url, "--advertise-client-urls", self.client_url,
                "--listen-peer-urls", self.peer_url, "--initial-advertise-peer-urls", self.peer_url,
                "--initial-cluster", initial_cluster, "--initial-cluster-state", state,
                "--initial-cluster-token", "xenia-local", "--max-txn-ops", str(MAX_TXN_OPS),
                "--max-request-bytes", str(MAX_REQUEST_BYTES), "--heartbeat-interval", "100",
                "--election-timeout", "1000", "--logger", "zap"]  # fmt: skip
        if self.tls is not None:
            args += ["--cert-file", str(self.tls.cert), "--key-file", str(self.tls.key),
                     "--trusted-ca-file", str(self.tls.ca), "--client-cert-auth"]  # fmt: skip
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def healthy(self) -> bool:
        conn: http.client.HTTPConnection
        if self.tls is not None:
            context = ssl.create_default_context(cafile=str(self.tls.ca))
            context.load_cert_chain(self.tls.client_cert, self.tls.client_key)
            conn = http.client.HTTPSConnection("127.0.0.1", self.client_port, timeout=2, context=context)
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.client_port, timeout=2)
        try:
            conn.request("GET", "/health")
            return b'"true"' in conn.getresponse().read()
        except (OSError, http.client.HTTPException):
            return False
        finally:
            conn.close()

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


class EtcdCluster:
    """``size`` members under ``root``; ``start()`` returns once every member reports healthy."""

    def __init__(self, root: Path, size: int = 1, base_port: int | None = None, tls: ServerTls | None = None) -> None:
        """``base_port``: member i listens for clients on base_port + 2i and for peers on the next
        port (fixed ports, so a cluster kept on disk starts again as it was); else free ports."""
        self.root = root
        self.members = [EtcdMember(f"etcd{i}", root / f"etcd{i}", base_port and base_port + 2 * i,
                                   base_port and base_port + 2 * i + 1, tls) for i in range(size)]  # fmt: skip

    @property
    def endpoints(self) -> str:
        """The ``--etcd`` argument of ``xenia serve``: every member's client URL."""
        return ",".join(m.client_url for m in self.members)

    def start(self, timeout: float = 60.0) -> EtcdCluster:
        if shutil.which("etcd") is None:
            raise RuntimeError("etcd is not installed (Debian: apt-get install etcd-server)")
        initial = ",".join(f"{m.name}={m.peer_url}" for m in self.members)
        for member in self.members:
            member.start(initial)
        deadline = time.monotonic() + timeout
        for member in self.members:
            while not member.healthy():
                if member.proc is not None and member.proc.poll() is not None:
                    raise RuntimeError(f"etcd {member.name} exited: {member.log_path.read_text()[-2000:]}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"etcd {member.name} did not become healthy: {member.log_path}")
                time.sleep(0.05)
        return self

    def stop(self) -> None:
        for member in self.members:
            member.stop()

    def __enter__(self) -> EtcdCluster:
        return self.start()

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()
