"""Blobs: named binary data attached to a VM, host, SR, network or the pool, as xapi keeps them.

``xapi_blob.ml``: ``blob.create`` makes the record (``mime_type`` "" means
``application/octet-stream``, ``size`` 0, ``last_updated`` the epoch); ``<class>.create_new_blob``
also enters it in the owner's ``blobs`` map under its name; the bytes go in and out over HTTP,
``PUT``/``GET /blob?ref=<blob>`` (or ``uuid=``), which a ``public`` blob answers to ``GET`` without
a session; ``blob.destroy`` removes the file, the record and the VMs' map entries naming it.
xenia keeps the bytes in ``<state-dir>/blobs/<uuid>``.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable
from pathlib import Path
from urllib.parse import parse_qs

from xenia.api import tls
from xenia.api.context import App
from xenia.api.http import Request, Response, error_page
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import Role
from xenia.db import Db
from xenia.util.clock import xapi_time

DEFAULT_MIME = "application/octet-stream"


def blob_dir(state_dir: Path) -> Path:
    return state_dir / "blobs"


def create(db: Db, mime_type: str, public: bool) -> str:
    return db.create("blob", {"mime_type": mime_type or DEFAULT_MIME, "public": public, "size": 0,
                              "last_updated": xapi_time(0), "name_label": "", "name_description": ""})  # fmt: skip


def destroy(db: Db, state_dir: Path, blob: str) -> None:
    uuid = db.get("blob", blob)["uuid"]
    with db.batch():
        for vm in db.refs("VM"):
            named = {k: v for k, v in db.get("VM", vm)["blobs"].items() if v != blob}
            if len(named) != len(db.get("VM", vm)["blobs"]):
                db.set("VM", vm, "blobs", named)
        db.destroy("blob", blob)
    (blob_dir(state_dir) / uuid).unlink(missing_ok=True)


class BlobHttp:
    """``GET``/``PUT /blob``: the bytes of a blob (xapi's ``Xapi_blob.handler``)."""

    def __init__(self, app: App) -> None:
        self.app = app

    def handle(self, req: Request, local: bool) -> Response | Awaitable[Response]:
        return self._handle(req, local)

    async def _handle(self, req: Request, local: bool) -> Response:
        query = parse_qs(req.query, keep_blank_values=True)
        db = self.app.db
        if "ref" not in query and "uuid" not in query:
            return error_page(400, "blob request lacks 'ref' or 'uuid'")
        try:
            blob = query["ref"][0] if "ref" in query else db.by_uuid("blob", query["uuid"][0])
            record = db.get("blob", blob)
        except ApiError:
            return error_page(404, "no such blob")
        # xapi's RBAC for the HTTP actions: get_blob read-only (none for a public blob), put_blob vm-power-admin
        need = Role.READ_ONLY if req.method == "GET" else Role.VM_POWER_ADMIN
        if not (req.method == "GET" and record["public"]):
            role = await self._role(req, query, local)
            if role is None:
                return Response(401, b"Unauthorised\n", "text/plain", [("WWW-Authenticate", 'Basic realm="xapi"')])
            if role < need:
                return error_page(403, "RBAC permission denied: http/put_blob")
        path = blob_dir(self.app.state_dir) / record["uuid"]
        if req.method == "GET":
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                data = b""
            return Response(200, data, record["mime_type"])
        path.parent.mkdir(mode=0o700, exist_ok=True)
        tls.write_private(path, req.body)
        if db.exists("blob", blob):  # destroyed while the body came in: drop the bytes too
            db.update("blob", blob, size=len(req.body), last_updated=xapi_time())
        else:
            path.unlink(missing_ok=True)
        return Response(200, b"", "text/plain")

    async def _role(self, req: Request, query: dict[str, list[str]], local: bool) -> Role | None:
        return await http_role(self.app, req, query, local)


def session_of(req: Request, query: dict[str, list[str]]) -> str | None:
    """The ``session_id`` a request names, in its query or its cookie (xapi reads both)."""
    session = query.get("session_id", [None])[0]
    for part in req.headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == "session_id" and session is None:
            session = value
    return session


async def http_role(app: App, req: Request, query: dict[str, list[str]], local: bool) -> Role | None:
    """xapi's HTTP rule: the local socket (pool-admin), a live ``session_id`` (query or cookie), or
    Basic credentials; the caller's role, or None when none of them holds."""
    if local:
        return Role.POOL_ADMIN
    session = session_of(req, query)
    if session is not None:
        try:
            return app.sessions.check(session).role
        except ApiError:
            return None
    auth = req.headers.get("authorization", "")
    if not auth.lower().startswith("basic "):
        return None
    try:
        user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
        ref = await app.sessions.login(user, password, "xenia-http", False)
    except (ApiError, ValueError):
        return None
    try:
        return app.sessions.check(ref).role
    finally:
        app.sessions.logout(ref)


__all__ = ["DEFAULT_MIME", "BlobHttp", "blob_dir", "create", "destroy", "http_role", "session_of"]
