"""Bootstrap tool: write xenia's class modules from xapi's datamodel dump.

The modules under ``src/xenia/datamodel/classes/`` were first written by this
tool and are maintained by hand since (explicit messages are added there as
they are implemented).  Re-run it only to start a new class module::

    python tools/import_datamodel.py ../shared/reference/xenapi.json CLASS...

It prints the module to stdout.  ``--message CLASS.NAME`` prints the declaration
of one explicit message instead, to paste into a module.  The dump does not say which
messages have an ``Async.`` form; with ``--xapi-repo`` (a clone or bare mirror of
xen-api) the tool reads it from the ``call`` declarations in ``ocaml/idl`` (xapi's
default is ``[`Session; `Async]``; ``~flags:[`Session]`` makes a message sync only).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from typing import Any

ROLES = ["read-only", "vm-operator", "vm-admin", "vm-power-admin", "pool-operator", "pool-admin"]


def min_role(roles: list[str]) -> str:
    ranked = [r for r in roles if r in ROLES]
    return min(ranked, key=ROLES.index) if ranked else "pool-admin"


def role_expr(role: str) -> str:
    return "Role." + role.upper().replace("-", "_")


def parse_default(text: str | None, type_text: str) -> tuple[bool, Any]:
    """xapi writes defaults in its own syntax; turn them into Python values."""
    if text is None:
        return False, None
    if type_text.endswith(" set"):
        inner = text.strip("{}() ")
        if not inner:
            return True, []
        return True, [parse_default(v.strip(), type_text[:-4])[1] for v in inner.split(",")]
    if type_text.endswith(" map"):
        inner = text.strip("{} ")
        if not inner:
            return True, {}
        out = {}
        for item in inner.split(","):
            k, _, v = item.partition("->")
            out[k.strip().strip('"')] = v.strip().strip('"')
        return True, out
    if type_text == "bool":
        return True, text == "true"
    if type_text == "int":
        return True, int(text)
    if type_text == "float":
        return True, float(text)
    if type_text == "string":
        return True, text[1:-1] if text.startswith('"') else text
    return True, text


def field_line(f: dict[str, Any], write_role: str | None) -> str:
    q = {"RW": "RW", "RO/constructor": "INS", "RO/runtime": "RUN"}[f["qualifier"]]
    has, value = parse_default(f.get("default"), f["type"])
    args = [repr(f["name"]), repr(f["type"])]
    if has:
        args.append(repr(value))
        if value is None:
            args.append("has_default=True")
    if q == "RW" and write_role and write_role != "vm-admin":
        args.append(f"role={role_expr(write_role)}")
    doc = " ".join(f.get("description", "").split())
    args.append(f"doc={doc!r}")
    return f"    {q}({', '.join(args)}),"


def sync_only(repo: str) -> dict[str, set[bool]]:
    """Per message name, whether its ``call`` blocks in ``ocaml/idl`` are sync only (a name
    several classes use may have both answers: then the caller must look)."""
    files = subprocess.run(["git", "-C", repo, "ls-tree", "--name-only", "HEAD", "ocaml/idl/"],
                           capture_output=True, text=True, check=True).stdout.split()  # fmt: skip
    found: dict[str, set[bool]] = {}
    for path in files:
        if not re.search(r"/datamodel[^/]*\.ml$", path):
            continue
        text = subprocess.run(["git", "-C", repo, "show", f"HEAD:{path}"], capture_output=True, text=True,
                              check=True).stdout  # fmt: skip
        for block in re.split(r"\bcall\b", text)[1:]:
            name = re.search(r'~name:"([^"]+)"', block)
            if name:
                flags = re.search(r"~flags:\[([^\]]*)\]", block[: name.start() + 400])
                found.setdefault(name.group(1), set()).add(flags is not None and "Async" not in flags.group(1))
    return found


def message_decl(m: dict[str, Any], indent: str = "    ", sync: set[bool] | None = None) -> str:
    params = [p for p in m["params"] if p["name"] != "session_id"]
    lines = [f"{indent}Message("]
    lines.append(f"{indent}    {m['name']!r},")
    plist = ", ".join(f"P({p['type']!r}, {p['name']!r}, {' '.join(p['doc'].split())!r})" for p in params)
    lines.append(f"{indent}    ({plist}{',' if len(params) == 1 else ''}),")
    lines.append(f"{indent}    result={m['result'][0]!r},")
    lines.append(f"{indent}    doc={' '.join(m['description'].split())!r},")
    if m["errors"]:
        lines.append(f"{indent}    errors=({', '.join(repr(e['name']) for e in m['errors'])},),")
    lines.append(f"{indent}    min_role={role_expr(min_role(m['roles']))},")
    if not m["roles"]:
        lines.append(f"{indent}    root_only=True,")
    if "client-cert" in m["roles"]:
        lines.append(f"{indent}    client_cert=True,")
    if not any(p["name"] == "session_id" for p in m["params"]):
        lines.append(f"{indent}    session_first=False,")
    if sync == {False}:
        lines.append(f"{indent}    is_async=True,")
    elif sync == {True, False}:
        lines.append(f"{indent}    # is_async: some classes' {m['name']} are async, some not: look in ocaml/idl")
    lines.append(f"{indent}),")
    return "\n".join(lines)


def class_module(c: dict[str, Any]) -> str:
    msgs = {m["name"]: m for m in c["messages"]}
    out = [f'"""XenAPI class ``{c["name"]}``: {" ".join(c["description"].split())}"""', ""]
    out.append("from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Role  # noqa: F401")
    out.append("")
    out.append("FIELDS = (")
    for f in c["fields"]:
        setter = msgs.get("set_" + f["name"]) or msgs.get("add_to_" + f["name"]) or msgs.get("add_" + f["name"])
        out.append(field_line(f, min_role(setter["roles"]) if setter else None))
    out.append(")")
    out.append("")
    out.append("ENUMS = (")
    for e in c["enums"]:
        out.append(f"    EnumDef({e['name']!r}, {tuple(v['name'] for v in e['values'])!r}),")
    out.append(")")
    ident = c["name"].upper()
    flags = []
    if "get_all" not in msgs:
        flags.append("has_get_all=False")
    if msgs.get("create", {}).get("implicit"):
        flags.append("has_constructor=True")
        flags.append(f"ctor_role={role_expr(min_role(msgs['create']['roles']))}")
    if msgs.get("destroy", {}).get("implicit"):
        flags.append("has_destructor=True")
    if "client-cert" not in msgs.get("get_record", {"roles": []})["roles"]:
        flags.append("client_cert=False")
    out.append("")
    out.append(f"{ident} = ClassDef(")
    out.append(f"    {c['name']!r},")
    out.append(f"    {' '.join(c['description'].split())!r},")
    out.append("    FIELDS,")
    out.append("    messages=(),")
    out.append("    enums=ENUMS,")
    for flag in flags:
        out.append(f"    {flag},")
    out.append(")")
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dump")
    ap.add_argument("classes", nargs="*")
    ap.add_argument("--message", action="append", default=[])
    ap.add_argument("--xapi-repo", help="xen-api git repository, to tell which messages are async")
    args = ap.parse_args()
    dump = {c["name"]: c for c in json.load(open(args.dump))}
    sync = sync_only(args.xapi_repo) if args.xapi_repo else {}
    for spec in args.message:
        cls, _, name = spec.partition(".")
        print(message_decl(next(m for m in dump[cls]["messages"] if m["name"] == name), sync=sync.get(name)))
    for name in args.classes:
        sys.stdout.write(class_module(dump[name]))


if __name__ == "__main__":
    main()
