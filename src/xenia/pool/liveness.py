"""Each pool member's liveness as an etcd lease, and every member's view of who is alive.

A member holds a lease of ``ttl`` seconds and keeps a key ``<prefix>/alive/<host ref>`` under
it, renewing the lease three times per ``ttl``.  When the member dies (SIGKILL, a crash, the
machine gone) or is cut off from etcd, etcd drops the lease and its key: the other members see the
key go through a watch.  The member itself notices it is cut off when it has not renewed the lease
for ``ttl`` seconds: from then on etcd may have let the others take its VMs over, so it is told to
fence itself.  Blocking HTTP calls to etcd run in two threads; news goes to the event loop.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import logging
import ssl
import threading
import time
from collections.abc import Callable

from xenia.db.etcd import EtcdClient, EtcdUnavailable, _b64, _prefix_end, _unb64, parse_endpoints

log = logging.getLogger("xenia.pool")


class Liveness:
    def __init__(self, endpoints: str, prefix: str, host_ref: str, ttl: int, loop: asyncio.AbstractEventLoop,
                 on_members: Callable[[set[str]], None], on_isolated: Callable[[], None],
                 context: ssl.SSLContext | None = None) -> None:  # fmt: skip
        self.endpoints = parse_endpoints(endpoints)
        self.context = context
        self.alive_prefix = prefix.rstrip("/").encode() + b"/alive/"
        self.host_ref = host_ref
        self.ttl = ttl
        self.loop = loop
        self.on_members = on_members
        self.on_isolated = on_isolated
        self._closed = threading.Event()
        self._lease: str | None = None
        self._client = EtcdClient(self.endpoints, max(1.0, ttl / 3), context)
        self._watch_conn: http.client.HTTPConnection | None = None

    def start(self) -> None:
        """Take the lease and put this member's key (before returning), then keep both alive."""
        self._take_lease()
        threading.Thread(target=self._keep_alive, name="etcd-lease", daemon=True).start()
        threading.Thread(target=self._watch_members, name="etcd-members", daemon=True).start()

    def close(self, revoke: bool = True) -> None:
        """Stop; with ``revoke``, drop the lease at once (a clean stop: the key goes now)."""
        self._closed.set()
        if revoke and self._lease is not None:
            try:
                self._client.call("lease/revoke", {"ID": self._lease})
            except Exception:  # best effort on the way out: the lease expires anyway
                pass
        conn = self._watch_conn
        if conn is not None and conn.sock is not None:
            try:
                conn.sock.shutdown(2)
            except OSError:
                pass

    def _take_lease(self) -> None:
        answer = self._client.call("lease/grant", {"TTL": str(self.ttl)})
        self._lease = answer["ID"]
        key = self.alive_prefix + self.host_ref.encode()
        self._client.call("kv/put", {"key": _b64(key), "value": _b64(b"1"), "lease": self._lease})

    def _keep_alive(self) -> None:
        renewed = time.monotonic()
        while not self._closed.wait(self.ttl / 3):
            try:
                answer = self._client.call("lease/keepalive", {"ID": self._lease})
                if int(answer.get("result", {}).get("TTL", 0)) <= 0:
                    raise EtcdUnavailable("the lease has expired")
                renewed = time.monotonic()
            except (EtcdUnavailable, OSError, http.client.HTTPException, ValueError) as e:
                if time.monotonic() - renewed >= self.ttl or "expired" in str(e):
                    log.error("cut off from the pool's etcd for %d s (%s): fencing", self.ttl, e)
                    self._post(self.on_isolated)
                    return

    def _post(self, fn: Callable[[], None]) -> None:
        try:
            self.loop.call_soon_threadsafe(fn)
        except RuntimeError:  # the loop has gone
            self._closed.set()

    def _watch_members(self) -> None:
        client = EtcdClient(self.endpoints, max(1.0, self.ttl / 3), self.context)
        end = _b64(_prefix_end(self.alive_prefix))
        while not self._closed.is_set():
            try:
                answer = client.call("kv/range", {"key": _b64(self.alive_prefix), "range_end": end, "keys_only": True})
                members = {self._host(kv["key"]) for kv in answer.get("kvs", ())}
                self._post(lambda m=frozenset(members): self.on_members(set(m)))  # type: ignore[misc]
                start = int(answer["header"]["revision"]) + 1
                request = {"create_request": {"key": _b64(self.alive_prefix), "range_end": end,
                                              "start_revision": str(start)}}  # fmt: skip
                conn, stream = client.open_stream("watch", request)
                self._watch_conn = conn
                try:
                    while not self._closed.is_set():
                        line = stream.readline()
                        if not line:
                            raise EtcdUnavailable("watch stream ended")
                        events = json.loads(line).get("result", {}).get("events", ())
                        for event in events:
                            host = self._host(event["kv"]["key"])
                            if event.get("type") == "DELETE":
                                members.discard(host)
                            else:
                                members.add(host)
                        if events:
                            self._post(lambda m=frozenset(members): self.on_members(set(m)))  # type: ignore[misc]
                finally:
                    conn.close()
            except (EtcdUnavailable, OSError, http.client.HTTPException, ValueError, KeyError) as e:
                if self._closed.is_set():
                    return
                log.warning("watch on the pool's members interrupted (%s)", e)
                self._closed.wait(0.5)

    def _host(self, key_b64: str) -> str:
        return _unb64(key_b64)[len(self.alive_prefix) :].decode()
