"""Extract from xapi's datamodel dump the facts xenia's datamodel test checks.

    python tools/extract_fixture.py ../shared/reference/xenapi.json tests/fixtures/xapi_datamodel.json

Only the classes xenia serves are kept, and of them only names, types,
qualifiers, defaults, parameters, results, errors and roles (no prose), so the
test runs in a clone without ``../shared``.
"""

from __future__ import annotations

import json
import sys

sys.path.insert(0, "src")
from xenia.datamodel import MODEL  # noqa: E402


def main() -> None:
    src, dst = sys.argv[1], sys.argv[2]
    dump = {c["name"]: c for c in json.load(open(src))}
    out = {}
    for name in MODEL.classes:
        c = dump[name]
        out[name] = {
            "fields": [
                {k: f[k] for k in ("name", "type", "qualifier", "default") if k in f} for f in c["fields"]
            ],
            "messages": [
                {
                    "name": m["name"],
                    "params": [[p["type"], p["name"]] for p in m["params"]],
                    "result": m["result"][0],
                    "errors": [e["name"] for e in m["errors"]],
                    "roles": m["roles"],
                    "implicit": m["implicit"],
                }
                for m in c["messages"]
            ],
            "enums": {e["name"]: [v["name"] for v in e["values"]] for e in c["enums"]},
        }
    with open(dst, "w") as f:
        json.dump(out, f, indent=0, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
