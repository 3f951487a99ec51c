"""host: licence files, RRD backups, data sync, the NUMA policy and extensions, as ``xapi_host.ml``.

- ``license_add``/``license_apply`` (the older name of the same call): xapi base64-decodes the
  file (``LICENSE_PROCESSING_ERROR`` when that fails) and hands it to its licensing daemon.
  xenia has one edition and no licensing daemon to check a licence with, so it answers as v6d
  does for a file it cannot process: ``LICENSE_PROCESSING_ERROR``, and the host's licence is
  unchanged.  ``license_remove`` switches the host to the unlicensed edition (xenia's ``free``).
- ``backup_rrds``: xapi schedules a one-shot backup of the host's RRDs ``delay`` seconds later;
  xenia saves every changed RRD to its state directory then, as its own schedule does
  (``docs/metrics.md``).
- ``sync_data``: xapi copies its blobs to the given host unless it is the host itself; a pool of
  one has no other host, so there is nothing to copy.
- ``set_numa_affinity_policy``: recorded on the host, as xapi records it for the VMs it starts
  next; xenia's drivers leave placement to the OS's scheduler whatever the policy.
- ``call_extension``: the call is a JSON-RPC request naming an extension in
  ``/etc/xapi.d/extensions``; xenia has none (``has_extension`` is false), so the answer is
  xapi's for an unknown one: ``MESSAGE_METHOD_UNKNOWN [name]``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
from typing import Any

from xenia.api.context import Call
from xenia.api.methods import handler
from xenia.datamodel import EDITIONS
from xenia.datamodel.errors import ApiError

log = logging.getLogger(__name__)


def _license_add(call: Call, host: str, contents: str) -> None:
    call.db.get("host", host)
    try:
        base64.b64decode(contents, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError("LICENSE_PROCESSING_ERROR") from None
    raise ApiError("LICENSE_PROCESSING_ERROR")  # no licensing daemon can take the file


@handler("host.license_add")
def license_add(call: Call, host: str, contents: str) -> None:
    _license_add(call, host, contents)


@handler("host.license_apply")
def license_apply(call: Call, host: str, contents: str) -> None:
    _license_add(call, host, contents)


@handler("host.license_remove")
def license_remove(call: Call, host: str) -> None:
    call.db.get("host", host)
    call.db.set("host", host, "edition", EDITIONS[0])


@handler("host.backup_rrds")
def backup_rrds(call: Call, host: str, delay: float) -> None:
    call.db.get("host", host)
    metrics: Any = call.app.services.get("metrics")
    if metrics is None:  # a daemon without a driver keeps no RRDs
        return

    async def backup() -> None:
        await asyncio.sleep(max(0.0, delay))
        try:
            await metrics.save_all()
        except OSError as e:  # xapi logs and ignores a failed backup too
            log.warning("backup_rrds: %s", e)

    task = asyncio.get_running_loop().create_task(backup())
    _PENDING.add(task)
    task.add_done_callback(_PENDING.discard)


#: scheduled backups, kept referenced until they run (the loop holds tasks weakly)
_PENDING: set[asyncio.Task[None]] = set()


@handler("host.sync_data")
def sync_data(call: Call, host: str) -> None:
    call.db.get("host", host)


@handler("host.set_numa_affinity_policy")
def set_numa_affinity_policy(call: Call, self: str, value: str) -> None:
    call.db.get("host", self)
    call.db.set("host", self, "numa_affinity_policy", value)


@handler("host.call_extension")
def call_extension(call: Call, host: str, request: str) -> str:
    call.db.get("host", host)
    try:
        parsed = json.loads(request)
        name = parsed["method"]
    except (ValueError, TypeError, KeyError):
        raise ApiError("INTERNAL_ERROR", f"call_extension: not a JSON-RPC call: {request[:200]}") from None
    if not isinstance(name, str):
        raise ApiError("INTERNAL_ERROR", "call_extension: the JSON-RPC method is not a string")
    raise ApiError("MESSAGE_METHOD_UNKNOWN", name)
