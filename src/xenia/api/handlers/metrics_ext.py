"""``xenia.query_data_sources``: the cooked window query over XenAPI (seed 001).

A ``xenia.`` name, so it can never collide with a XenAPI message; read-only users may call it.
"""

from __future__ import annotations

from xenia.api.context import Call
from xenia.api.methods import extension
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import Role
from xenia.metrics.collect import MetricsService
from xenia.metrics.query import REDUCTIONS

RESULT = "(string -> (string -> (string -> float) map) map) map"


def check_query(sources: list[str], window: float, reductions: list[str]) -> None:
    """INVALID_VALUE for a request no query can answer."""
    if not sources:
        raise ApiError("INVALID_VALUE", "data_sources", "")
    if not window > 0:
        raise ApiError("INVALID_VALUE", "window", str(window))
    for r in reductions:
        if r not in REDUCTIONS:
            raise ApiError("INVALID_VALUE", "reductions", r)


@extension(
    "xenia.query_data_sources",
    ("string set objects", "string set data_sources", "float window", "string set reductions"),
    result=RESULT,
    min_role=Role.READ_ONLY,
)
def query_data_sources(
    call: Call, objects: list[str], data_sources: list[str], window: float, reductions: list[str]
) -> dict[str, dict[str, dict[str, float]]]:
    """For each object uuid (host, VM or SR; every running VM when empty), each source and each
    reduction (average, min, max, p95, last), its value over the last ``window`` seconds."""
    reductions = reductions or ["average"]
    check_query(data_sources, window, reductions)
    service: MetricsService = call.app.services["metrics"]
    return service.cooked(objects, data_sources, window, reductions)
