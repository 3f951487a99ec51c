"""A call whose write lost its etcd transaction to another member is made again, a bounded number of times.

Two members that change the same object at the same moment both wrote from their own copy; etcd
takes the first transaction and refuses the second (:class:`~xenia.db.etcd.WriteConflict`), whose
batch is then undone in full.  xapi never meets this (one master serialises every write); for a
client of a xenia pool the refusal is no answer either: ``VM.add_to_other_config`` from two members
must keep both keys.  So the refused call is made again as a client would, from the start:
re-read (the conflict brings what etcd held for the batch's objects, read in the same round trip,
into this member's copy), re-check (the handler runs again on that copy: a key another member added
in the meantime is now ``MAP_DUPLICATE_KEY``, a VM another member destroyed ``HANDLE_INVALID``) and
re-apply (:func:`~xenia.db.etcd.again_on_conflict`).

Only a call that can be made twice is made again: a synchronous handler (it cannot touch a driver,
which is asynchronous, nor interleave with another call) that had committed no write of its own before
the refused one.  Every implicit setter, ``add_to_*``/``remove_from_*``, ``create`` and ``destroy``
is such a call, and so are most explicit settings.  An asynchronous handler's refused write ends it
with the error, as before, its copy brought up to date for the client's next try; but the marks an
operation leaves on its VM (``current_operations``, set as it begins and cleared as it ends, in
``xenia.ops.engine``) are such units of their own and are made again the same way: two members
cloning one template both write it.  After :data:`~xenia.db.etcd.ATTEMPTS` refusals in a row the
error stands.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from xenia.api.context import Call
from xenia.api.methods import Handler, Method
from xenia.db.etcd import EtcdBackend, again_on_conflict


def _retrying(method: Method, backend: EtcdBackend) -> Handler:
    inner = method.handler

    def retried(call: Call, *args: Any) -> Any:
        return again_on_conflict(backend, lambda: inner(call, *args))

    retried.__doc__ = inner.__doc__
    return retried


def _reads_only(method: Method) -> bool:
    return method.message.name.startswith("get_")


def install(table: dict[str, Method], backend: EtcdBackend) -> None:
    """Wrap every synchronous handler that may write in ``table`` (a pool member's dispatch table)."""
    for wire, method in table.items():
        if not method.is_coroutine and not _reads_only(method):
            table[wire] = dataclasses.replace(method, handler=_retrying(method, backend))
