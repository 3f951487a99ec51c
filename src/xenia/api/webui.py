"""The web console's files under ``GET /`` (issue 17).

xapi serves files from a directory under ``GET /`` (its ``http_svr`` file
handler); xenia serves the web console the project's build step makes from
``web/`` (``make web``, run by ``make run`` and ``make test``) into
``build/web``.  Nothing is fetched at run time: the page, its scripts and
styles are files the daemon reads from that directory.

The directory is ``$XENIA_WEB_DIR`` or the source tree's ``build/web``.  When
it has not been built, ``GET /`` still answers with a line saying where the
API is and how to build the console, and any other file is 404, as before.

Files are read once and kept in memory (the whole console is a few hundred
KiB); a path that leaves the directory is 404, never a file elsewhere.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path

from xenia.api.http import Request, Response, error_page

_FALLBACK = (
    b"xenia: XenAPI on POST / (XML-RPC) and POST /jsonrpc (JSON-RPC)\n"
    b"(the web console is not built: run `make web` in the source tree)\n"
)

_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".map": "application/json",
}


def default_dir() -> Path:
    """``$XENIA_WEB_DIR``, or ``build/web`` of the source tree this module runs from."""
    env = os.environ.get("XENIA_WEB_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "build" / "web"


class WebFiles:
    """The ``GET /`` handler: the console's files, ``/`` being its ``index.html``."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or default_dir()).resolve()
        self._cache: dict[str, Response] = {}

    def __call__(self, req: Request, local: bool) -> Response:
        path = req.path
        cached = self._cache.get(path)
        if cached is not None:
            return cached
        resp = self._load(path)
        if resp.status == 200:
            self._cache[path] = resp
        return resp

    def _load(self, path: str) -> Response:
        name = "index.html" if path == "/" else path.lstrip("/")
        if not (self.root / "index.html").is_file():
            if path == "/":
                return Response(200, _FALLBACK)
            return error_page(404, "not found")
        file = (self.root / name).resolve()
        if not file.is_relative_to(self.root) or not file.is_file():
            return error_page(404, "not found")
        content_type = _TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        # index.html names the bundles; they change with each build, so the browser asks again
        headers = [("Cache-Control", "no-cache")]
        return Response(200, file.read_bytes(), content_type, headers)
