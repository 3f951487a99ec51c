"""blob.create/destroy and ``<class>.create_new_blob``, as ``xapi_blob.ml`` (:mod:`xenia.api.blobs`)."""

from __future__ import annotations

from xenia.api import blobs
from xenia.api.context import Call
from xenia.api.methods import handler
from xenia.datamodel.errors import ApiError


@handler("blob.create")
def create(call: Call, mime_type: str, public: bool) -> str:
    return blobs.create(call.db, mime_type, public)


@handler("blob.destroy")
def destroy(call: Call, self: str) -> None:
    blobs.destroy(call.db, call.app.state_dir, self)


def _register(owner: str) -> None:
    def create_new_blob(call: Call, ref: str, name: str, mime_type: str, public: bool) -> str:
        """A new blob, entered in the owner's ``blobs`` under ``name`` (a name in use: MAP_DUPLICATE_KEY)."""
        db = call.db
        named = db.get(owner, ref)["blobs"]
        if name in named:
            raise ApiError("MAP_DUPLICATE_KEY", owner, "blobs", db.get(owner, ref)["uuid"], name)
        with db.batch():
            blob = blobs.create(db, mime_type, public)
            db.set(owner, ref, "blobs", {**named, name: blob})
        return blob

    handler(f"{owner}.create_new_blob")(create_new_blob)


for _owner in ("host", "VM", "SR", "network", "pool"):
    _register(_owner)

__all__ = ["create", "destroy"]
