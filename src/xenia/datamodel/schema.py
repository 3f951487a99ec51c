"""A stable hash of the datamodel, as xapi keeps one to guard its database against drift.

The hash covers what a stored record or a client depends on: each class's
fields (name, type, qualifier) and messages (name, parameter types and names,
result), and every enum's values.  Documentation is left out, so rewording a
doc string changes nothing.  It is what ``software_version.db_schema`` reports
and what the db records in its meta table; a db written under another hash is
migrated (``xenia.db.migrate``) or refused, never loaded as it is.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from xenia.datamodel import MODEL, Model
from xenia.datamodel.walk import calls, classes

#: characters of the sha256 kept: enough to tell schemas apart, short enough to read in a message
HASH_LENGTH = 16


def schema_document(model: Model = MODEL) -> dict[str, Any]:
    """The datamodel reduced to what the hash covers, in a canonical order."""
    return {
        "classes": {
            cls.name: {
                "fields": [[f.name, f.type_text, f.qualifier.value] for f in cls.fields],
                "messages": sorted(
                    [c.message.name, [[p.type_text, p.name] for p in c.message.params], c.message.result]
                    for c in calls(cls)
                ),
            }
            for cls in classes(model)
        },
        "enums": {name: list(e.values) for name, e in sorted(model.enums.items())},
    }


def schema_hash(model: Model = MODEL) -> str:
    text = json.dumps(schema_document(model), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:HASH_LENGTH]
