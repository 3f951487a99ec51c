"""host/pool editions and the pool's licence state, as ``xapi_host.ml``/``xapi_pool.ml`` answer them.

xapi asks its licensing daemon (v6d) which editions exist and whether one may be applied;
xenia has no licences, so its answer is fixed: the editions in
:data:`xenia.datamodel.EDITIONS` (one, "free", with every feature and no expiry).  Applying
it succeeds, any other name is ``INVALID_EDITION [edition]`` (v6d's ``Invalid_edition``).
"""

from __future__ import annotations

from xenia.api.context import Call
from xenia.api.methods import handler
from xenia.datamodel import EDITIONS
from xenia.datamodel.errors import ApiError


def _apply(call: Call, host: str, edition: str) -> None:
    call.db.get("host", host)
    if edition not in EDITIONS:
        raise ApiError("INVALID_EDITION", edition)
    call.db.set("host", host, "edition", edition)


@handler("host.apply_edition")
def host_apply_edition(call: Call, host: str, edition: str, force: bool) -> None:
    """``force`` keeps xapi's licence parameters when v6d refuses; xenia's answer never changes them."""
    _apply(call, host, edition)


@handler("pool.apply_edition")
def pool_apply_edition(call: Call, self: str, edition: str) -> None:
    """Every host, or none: the edition is checked before any host changes (xapi rolls back instead)."""
    call.db.get("pool", self)
    if edition not in EDITIONS:
        raise ApiError("INVALID_EDITION", edition)
    with call.db.batch():
        for host in call.db.refs("host"):
            _apply(call, host, edition)


@handler("pool.get_license_state")
def get_license_state(call: Call, self: str) -> dict[str, str]:
    """The lowest edition among the hosts and the earliest expiry of those hosts ("never": none expires)."""
    call.db.get("pool", self)
    hosts = [call.db.get("host", h) for h in call.db.refs("host")]
    rank = {e: i for i, e in enumerate(EDITIONS)}
    lowest = min((h["edition"] for h in hosts), key=lambda e: rank.get(e, -1), default=EDITIONS[0])
    expiries = [h["license_params"].get("expiry", "never") for h in hosts if h["edition"] == lowest]
    dated = sorted(e for e in expiries if e != "never")
    return {"edition": lowest, "expiry": dated[0] if dated else "never"}
