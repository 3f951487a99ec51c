"""host/pool.set_https_only: close or open the plain-HTTP listener (:mod:`xenia.api.https_only`)."""

from __future__ import annotations

from xenia.api.context import Call
from xenia.api.https_only import PlainListener
from xenia.api.methods import handler


async def _set(call: Call, host: str, value: bool) -> None:
    plain: PlainListener = call.app.services["plain_http"]
    await plain.set_https_only(value)
    call.db.set("host", host, "https_only", plain.https_only)


@handler("host.set_https_only")
async def host_set_https_only(call: Call, self: str, value: bool) -> None:
    call.db.get("host", self)
    await _set(call, self, value)


@handler("pool.set_https_only")
async def pool_set_https_only(call: Call, self: str, value: bool) -> None:
    """xapi calls host.set_https_only on every member; xenia changes the listener of the host that
    serves the call (a pool of one: every host; other members of a larger pool are not reached yet)."""
    call.db.get("pool", self)
    await _set(call, call.app.host_ref, value)
