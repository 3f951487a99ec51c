"""``SM`` objects: what each SR type xenia makes can do, as xapi describes its storage-manager plugins.

xapi makes one ``SM`` record per storage driver it finds, with the driver's
``features`` (capability name -> version) that clients read before they offer an
operation.  xenia's drivers are built in, so the records are written at every start
from :data:`STORAGE_MANAGERS`; each feature listed is one xenia serves for that type
(``tests/functional/test_storage_managers.py`` exercises every one), nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import xenia
from xenia.db import Db


@dataclass(frozen=True)
class StorageManager:
    type: str
    name_label: str
    name_description: str
    features: tuple[str, ...]
    configuration: dict[str, str] = field(default_factory=dict)


STORAGE_MANAGERS = (
    StorageManager(
        "file", "Local file SR", "Disk images as files in a local directory",
        ("SR_UPDATE", "VDI_CREATE", "VDI_DELETE", "VDI_ATTACH", "VDI_DETACH", "VDI_CLONE", "VDI_SNAPSHOT",
         "VDI_RESIZE", "VDI_UPDATE", "VDI_INTRODUCE"),
        {"location": "the directory holding the images (made if missing)"},
    ),
    StorageManager(
        "iso", "ISO library", "The .iso files of a local directory, as read-only CD images",
        ("SR_SCAN", "SR_UPDATE", "VDI_ATTACH", "VDI_DETACH", "VDI_INTRODUCE"),
        {"location": "the directory holding the .iso files"},
    ),
)  # fmt: skip


def refresh_storage_managers(db: Db) -> None:
    """One record per type, rewritten to match this version of xenia; records of other types go.

    Only what differs is written: on a pool's shared db every member runs this at start, and a write
    of unchanged records would conflict with another member starting at the same moment."""
    by_type: dict[str, str] = {}
    wanted = {sm.type for sm in STORAGE_MANAGERS}
    for ref in db.refs("SM"):
        sr_type = db.get("SM", ref)["type"]
        if sr_type not in wanted or sr_type in by_type:
            db.destroy("SM", ref)  # another type, or a second record of one (two members' first starts)
        else:
            by_type[sr_type] = ref
    for sm in STORAGE_MANAGERS:
        values = {
            "name_label": sm.name_label, "name_description": sm.name_description, "type": sm.type,
            "vendor": "xenia", "copyright": "xenia contributors", "version": xenia.__version__,
            "required_api_version": "1.0", "configuration": sm.configuration, "capabilities": list(sm.features),
            "features": dict.fromkeys(sm.features, 1), "driver_filename": "",
        }  # fmt: skip
        if sm.type in by_type:
            current = db.get("SM", by_type[sm.type])
            changed = {name: value for name, value in values.items() if current[name] != value}
            if changed:
                db.update("SM", by_type[sm.type], **changed)
        else:
            db.create("SM", values)
