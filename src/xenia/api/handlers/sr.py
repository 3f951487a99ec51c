"""SR: scanning, so files put into an SR's directory become VDIs."""

from __future__ import annotations

from xenia.api.context import Call
from xenia.api.methods import handler
from xenia.ops.storage import scan_iso_sr


@handler("SR.scan")
async def scan(call: Call, sr: str) -> None:
    """An ``iso`` SR's VDIs follow its ``.iso`` files; a ``file`` SR's VDIs are made with their
    images (``VDI.create``), so there is nothing to find and its scan changes nothing."""
    if call.db.get("SR", sr)["type"] == "iso":
        scan_iso_sr(call.db, sr)
