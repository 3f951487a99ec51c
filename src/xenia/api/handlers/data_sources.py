"""host, VM and SR: xapi's data_source API over the RRDs of ``xenia.metrics``.

``get_data_sources`` lists every source an object's layout offers, recorded (``enabled``) or
not; ``query_data_source`` returns the newest 5 s AVERAGE (xcp-rrdd's ``query_named_ds``);
``record_data_source`` starts archiving a non-default source; ``forget_data_source_archives``
drops a source's history. As in ``message_forwarding.ml``, the VM calls other than
``query_data_source`` need a running VM, and ``query_data_source`` a running or paused one.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from xenia.api.context import Call
from xenia.api.methods import handler
from xenia.datamodel.errors import ApiError
from xenia.metrics.collect import MetricsService
from xenia.metrics.registry import ObjectRrd, UnknownSource

_KINDS = {"VM": "vm", "host": "host", "SR": "sr"}


def _service(call: Call) -> MetricsService:
    service: MetricsService = call.app.services["metrics"]
    return service


def _missing(name: str) -> ApiError:
    """An unknown source: xcp-rrdd's ``Datasource_missing``, which xapi passes on as an internal error."""
    return ApiError("INTERNAL_ERROR", f"Rrd_interface.Rrdd_error(Datasource_missing({name}))")


def _object(call: Call, cls: str, ref: str, states: tuple[str, ...] | None = None) -> ObjectRrd:
    rec = call.db.get(cls, ref)
    if states is not None and rec["power_state"] not in states:
        raise ApiError("VM_BAD_POWER_STATE", ref, ", ".join(s.lower() for s in states), rec["power_state"].lower())
    obj = _service(call).registry.get(_KINDS[cls], rec["uuid"])
    if obj is None:
        raise ApiError("INTERNAL_ERROR", f"Rrd_interface.Rrdd_error(Rrdd_internal_error(No RRD for {rec['uuid']}))")
    return obj


def _records(obj: ObjectRrd) -> list[dict[str, Any]]:
    seen: dict[str, Any] = {d.name: d for d in obj.available}
    for d in obj.defs:
        seen.setdefault(d.name, d)
    return [
        {
            "name_label": d.name,
            "name_description": d.description,
            "enabled": d.name in obj.pos,
            "standard": d.default,
            "units": d.units,
            "min": d.min,
            "max": d.max if d.max != float("inf") else 1.7976931348623157e308,
            "value": 0.0,  # xapi never fills it: query_data_source reads the value
        }
        for d in seen.values()
    ]


def _query(call: Call, obj: ObjectRrd, name: str) -> float:
    try:
        i = obj.index_of(name)
    except UnknownSource:
        raise _missing(name) from None
    bank = _service(call).bank
    return float(bank.latest(np.array([i], dtype=np.int64))[0])


def _record(call: Call, obj: ObjectRrd, name: str) -> None:
    try:
        _service(call).registry.record(obj, name)
    except UnknownSource:
        raise _missing(name) from None


def _forget(call: Call, obj: ObjectRrd, name: str) -> None:
    try:
        _service(call).registry.forget(obj, name)
    except UnknownSource:
        raise _missing(name) from None


_RUNNING = ("Running",)


@handler("VM.get_data_sources")
def vm_get_data_sources(call: Call, vm: str) -> list[dict[str, Any]]:
    return _records(_object(call, "VM", vm, _RUNNING))


@handler("VM.query_data_source")
def vm_query_data_source(call: Call, vm: str, data_source: str) -> float:
    return _query(call, _object(call, "VM", vm, ("Running", "Paused")), data_source)


@handler("VM.record_data_source")
def vm_record_data_source(call: Call, vm: str, data_source: str) -> None:
    _record(call, _object(call, "VM", vm, _RUNNING), data_source)


@handler("VM.forget_data_source_archives")
def vm_forget_data_source_archives(call: Call, vm: str, data_source: str) -> None:
    _forget(call, _object(call, "VM", vm, _RUNNING), data_source)


@handler("host.get_data_sources")
def host_get_data_sources(call: Call, host: str) -> list[dict[str, Any]]:
    return _records(_object(call, "host", host))


@handler("host.query_data_source")
def host_query_data_source(call: Call, host: str, data_source: str) -> float:
    return _query(call, _object(call, "host", host), data_source)


@handler("host.record_data_source")
def host_record_data_source(call: Call, host: str, data_source: str) -> None:
    _record(call, _object(call, "host", host), data_source)


@handler("host.forget_data_source_archives")
def host_forget_data_source_archives(call: Call, host: str, data_source: str) -> None:
    _forget(call, _object(call, "host", host), data_source)


def _sr(call: Call, sr: str) -> ObjectRrd:
    """An SR plugged here has an RRD (docs/metrics.md); any other SR has none, and so no sources."""
    rec = call.db.get("SR", sr)
    return _service(call).registry.get("sr", rec["uuid"]) or ObjectRrd("sr", rec["uuid"])


@handler("SR.get_data_sources")
def sr_get_data_sources(call: Call, sr: str) -> list[dict[str, Any]]:
    return _records(_sr(call, sr))


@handler("SR.query_data_source")
def sr_query_data_source(call: Call, sr: str, data_source: str) -> float:
    return _query(call, _sr(call, sr), data_source)


@handler("SR.record_data_source")
def sr_record_data_source(call: Call, sr: str, data_source: str) -> None:
    _record(call, _sr(call, sr), data_source)


@handler("SR.forget_data_source_archives")
def sr_forget_data_source_archives(call: Call, sr: str, data_source: str) -> None:
    _forget(call, _sr(call, sr), data_source)
