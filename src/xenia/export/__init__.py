"""xapi's import/export HTTP handlers: raw VDI contents (``/export_raw_vdi``, ``/import_raw_vdi``) and
VMs as XVA files (``/export``, ``/import``); docs/export.md."""

from __future__ import annotations

from xenia.api.context import App
from xenia.api.server import ApiServer
from xenia.export.raw_vdi import RawVdiHttp
from xenia.export.xva import XvaHttp


def add_export_routes(api: ApiServer, app: App) -> None:
    """Register the four routes, streaming (their bodies are disk-sized, outside the RPC body limit)."""
    raw_vdi = RawVdiHttp(app)
    api.route("GET", "/export_raw_vdi", raw_vdi.handle, streaming=True)
    api.route("PUT", "/import_raw_vdi", raw_vdi.handle, streaming=True)
    xva = XvaHttp(app)
    api.route("GET", "/export", xva.handle, streaming=True)
    api.route("PUT", "/import", xva.handle, streaming=True)
