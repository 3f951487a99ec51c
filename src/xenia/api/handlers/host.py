"""host: the clock queries clients use to align their own."""

from __future__ import annotations

import time

from xenia.api.context import Call
from xenia.api.methods import handler
from xenia.util.clock import xapi_time


@handler("host.get_servertime")
def get_servertime(call: Call, host: str) -> str:
    call.db.get("host", host)
    return xapi_time()


@handler("host.get_server_localtime")
def get_server_localtime(call: Call, host: str) -> str:
    """Local time, without the ``Z`` (as xapi writes it)."""
    call.db.get("host", host)
    return time.strftime("%Y%m%dT%H:%M:%S", time.localtime())
