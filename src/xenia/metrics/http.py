"""The metrics HTTP handlers: ``GET /rrd_updates``, ``/host_rrd``, ``/vm_rrd``, ``/sr_rrd``,
``/metrics`` (Prometheus) and ``/xenia/query`` (the cooked query as JSON).

Authentication is xapi's (``ocaml/xapi/xapi_http.ml``): a ``session_id`` query parameter or
cookie, or HTTP Basic credentials (a session opened for the request and closed after it); on
the local unix socket the caller is root. A ``task_id`` parameter names a task the client
created (Xen Orchestra's client does this and waits for it): it is completed with the outcome.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

import orjson

from xenia.api.http import Request, Response, error_page
from xenia.datamodel.errors import ApiError
from xenia.metrics.export import (
    NoArchive,
    PrometheusCache,
    prometheus,
    rrd_dump,
    rrd_updates,
    updates_json,
    updates_xml,
)
from xenia.metrics.query import REDUCTIONS
from xenia.metrics.registry import ObjectRrd
from xenia.metrics.rrd import Cf

if TYPE_CHECKING:
    from xenia.api.context import App
    from xenia.metrics.collect import MetricsService

__all__ = ["MetricsHttp"]

_CORS = [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Headers", "X-Requested-With")]
Query = dict[str, list[str]]
Route = Callable[[Request, Query], Response]


class _BadRequest(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class MetricsHttp:
    """Answers the GET requests of the metrics handlers (one dispatch from the API server)."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.prometheus = PrometheusCache()
        self.routes: dict[str, Route] = {
            "/rrd_updates": self._rrd_updates,
            "/host_rrd": self._host_rrd,
            "/vm_rrd": self._vm_rrd,
            "/sr_rrd": self._sr_rrd,
            "/metrics": self._metrics,
            "/xenia/query": self._query,
        }

    @property
    def service(self) -> MetricsService:
        service: MetricsService = self.app.services["metrics"]
        return service

    def handles(self, path: str) -> bool:
        return path in self.routes

    def handle(self, req: Request, local: bool) -> Response | Awaitable[Response]:
        query = parse_qs(req.query, keep_blank_values=True)
        route = self.routes.get(req.path)
        if route is None:
            return error_page(404, "not found")
        if not self.service.restored.is_set():  # just after a start: the saved RRDs are being restored
            return self._when_restored(req, local)
        auth = req.headers.get("authorization", "")
        if local or _session_id(req, query) is not None or not auth.lower().startswith("basic "):
            return self._serve(route, req, query, local, None)
        return self._with_basic(route, req, query, auth)

    async def _when_restored(self, req: Request, local: bool) -> Response:
        await self.service.restored.wait()
        answer = self.handle(req, local)
        return answer if isinstance(answer, Response) else await answer

    async def _with_basic(self, route: Route, req: Request, query: Query, auth: str) -> Response:
        try:
            user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            session = await self.app.sessions.login(user, password, "xenia-http", False)
        except (ApiError, ValueError):
            return _unauthorised()
        try:
            return self._serve(route, req, query, False, session)
        finally:
            self.app.sessions.logout(session)

    def _serve(self, route: Route, req: Request, query: Query, local: bool, session: str | None) -> Response:
        if not local and session is None:
            try:
                self.app.sessions.check(_session_id(req, query))
            except ApiError:
                return _unauthorised()
        task = query["task_id"][0] if query.get("task_id") else None
        try:
            resp = route(req, query)
        except _BadRequest as e:
            self._finish(task, [("INTERNAL_ERROR", e.reason)])
            return Response(e.status, e.reason.encode() + b"\n", "text/plain", list(_CORS))
        except NoArchive as e:
            self._finish(task, [("INTERNAL_ERROR", f"No_RRA_Available {e}")])
            return Response(404, b"no archive\n", "text/plain", list(_CORS))
        self._finish(task, None)
        resp.headers.extend(_CORS)
        return resp

    def _finish(self, task: str | None, error: list[tuple[str, str]] | None) -> None:
        tasks = self.app.services.get("tasks")
        if task is None or tasks is None or not self.app.db.exists("task", task):
            return
        if error is None:
            tasks.finish(task, result="")
        else:
            tasks.finish(task, error=[*error[0]])

    # -- routes ----------------------------------------------------------------------------

    def _rrd_updates(self, req: Request, q: Query) -> Response:
        try:
            start = int(float(_one(q, "start")))
            interval = int(float(_one(q, "interval", "0")))
        except ValueError:
            raise _BadRequest(400, "start and interval must be numbers") from None
        cf_text = _one(q, "cf", "")
        try:
            cf = Cf(cf_text) if cf_text else None
        except ValueError:
            raise _BadRequest(400, f"unknown consolidation function {cf_text}") from None
        svc = self.service
        objects: list[tuple[str, ObjectRrd]] = []
        if _one(q, "host", "") == "true":
            host = svc.registry.get("host", svc.host_uuid)
            if host is not None:
                objects.append((f"host:{svc.host_uuid}", host))
        vms = q.get("vm_uuid") or sorted(svc.live_vms)
        for uuid in vms:
            obj = svc.registry.get("vm", uuid)
            if obj is not None:
                objects.append((f"vm:{uuid}", obj))
        for uuid in q.get("sr_uuid", []):
            obj = svc.registry.get("sr", uuid)
            if obj is not None:
                objects.append((f"sr:{uuid}", obj))
        updates = rrd_updates(svc.bank, objects, start, interval, cf)
        if _wants_json(req.headers.get("accept", ""), q):
            return Response(200, updates_json(updates), "application/json")
        return Response(200, updates_xml(updates), "text/xml")

    def _dump(self, obj: ObjectRrd | None, q: Query) -> Response:
        if obj is None:
            raise _BadRequest(404, "no such RRD")
        if "json" in q:
            return Response(200, rrd_dump(self.service.bank, obj, json=True), "application/json")
        return Response(200, rrd_dump(self.service.bank, obj), "text/xml")

    def _host_rrd(self, req: Request, q: Query) -> Response:
        return self._dump(self.service.registry.get("host", self.service.host_uuid), q)

    def _vm_rrd(self, req: Request, q: Query) -> Response:
        return self._dump(self.service.registry.get("vm", _one(q, "uuid")), q)

    def _sr_rrd(self, req: Request, q: Query) -> Response:
        return self._dump(self.service.registry.get("sr", _one(q, "uuid")), q)

    def _metrics(self, req: Request, q: Query) -> Response:
        svc = self.service
        db = self.app.db
        vm_table = db.tables["VM"]
        objects: list[tuple[ObjectRrd, str]] = []
        for obj in svc.registry:
            if obj.kind == "vm":
                ref = vm_table.by_uuid.get(obj.uuid)
                name = vm_table.rows[ref]["name_label"] if ref is not None else ""
                if obj.uuid not in svc.live_vms:
                    continue
            elif obj.kind == "host":
                name = db.get("host", svc.host_ref)["name_label"]
            else:  # an SR: while it is plugged here (it is fed)
                sr_ref = db.tables["SR"].by_uuid.get(obj.uuid)
                if sr_ref is None or obj.uuid not in svc.plugged_srs:
                    continue
                name = db.tables["SR"].rows[sr_ref]["name_label"]
            objects.append((obj, name))
        body = prometheus(svc.bank, objects, self.prometheus)
        return Response(200, body, "text/plain; version=0.0.4")

    def _query(self, req: Request, q: Query) -> Response:
        sources = q.get("ds", [])
        reductions = q.get("reduce") or ["average"]
        try:
            window = float(_one(q, "window", "30"))
        except ValueError:
            raise _BadRequest(400, "window must be a number") from None
        bad = [r for r in reductions if r not in REDUCTIONS]
        if not sources or window <= 0 or bad:
            raise _BadRequest(400, f"want ds=..., window > 0 and reduce in {', '.join(REDUCTIONS)}")
        started = time.perf_counter()
        result = self.service.cooked(q.get("uuid", []), sources, window, reductions)
        body = orjson.dumps(
            {
                "window": window,
                "end": self.service.bank.last_updated,
                "seconds": time.perf_counter() - started,
                "objects": result,
            }
        )
        return Response(200, body, "application/json")


def _one(q: Query, name: str, default: str | None = None) -> str:
    values = q.get(name)
    if not values:
        if default is None:
            raise _BadRequest(400, f"missing parameter {name}")
        return default
    return values[0]


def _session_id(req: Request, q: Query) -> str | None:
    values = q.get("session_id")
    if values:
        return values[0]
    for part in req.headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == "session_id":
            return value
    return None


def _wants_json(accept: str, q: Query) -> bool:
    """xapi >= 23.17: the Accept header decides (``*/*`` is JSON); without one, the ``json`` parameter."""
    if accept:
        return "application/json" in accept or "*/*" in accept
    return "json" in q


def _unauthorised() -> Response:
    return Response(401, b"Unauthorised\n", "text/plain", [("WWW-Authenticate", 'Basic realm="xapi"'), *_CORS])
