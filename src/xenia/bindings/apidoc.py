"""Generate the API reference (``docs/api/``) from the datamodel, one page per class.

The reference is written from the same declarations that drive dispatch, so
it lists exactly what the daemon serves: each class's fields (type,
qualifier, default, doc), its explicit messages (parameters, result, errors,
roles, whether an ``Async.`` form exists), the implicit messages xapi derives
from the fields, and, on a page of their own, xenia's extensions (``xenia.*``),
which are not part of the XenAPI.  ``tests/unit/test_generated.py`` fails when
the committed pages differ from what this module writes: ``make generate``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from xenia.datamodel import API_VERSION_MAJOR, API_VERSION_MINOR, MODEL, Model
from xenia.datamodel.meta import ClassDef, Message, Qualifier
from xenia.datamodel.schema import schema_hash
from xenia.datamodel.walk import ApiCall, calls, classes

HEADER = "<!-- generated from xenia's datamodel by xenia.bindings.apidoc: do not edit, run `make generate` -->\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _default(cls: ClassDef, name: str) -> str:
    f = cls.by_name[name]
    if f.qualifier is Qualifier.RO_RUNTIME:
        return ""
    if not f.has_default:
        return "(required)"
    return f"`{f.default!r}`"


def _signature(msg: Message) -> str:
    params = ", ".join(f"{p.type_text} {p.name}" for p in msg.params)
    session = "session ref session_id" + (", " if params else "") if msg.session_first else ""
    return f"{msg.result} {msg.name}({session}{params})"


def _roles(msg: Message) -> str:
    return ", ".join(r for r in msg.roles if r != "client-cert") or "local root only"


def class_page(cls: ClassDef) -> str:
    lines = [HEADER, f"# {cls.name}", "", _cell(cls.doc) or "(no description)", ""]
    lines += ["## Fields", "", "| field | type | qualifier | default | description |", "| --- | --- | --- | --- | --- |"]
    for f in cls.fields:
        if f.hidden:
            continue
        lines.append(f"| `{f.name}` | `{f.type_text}` | {f.qualifier.value} | {_default(cls, f.name)} | "
                     f"{_cell(f.doc)} |")  # fmt: skip
    explicit = [c for c in calls(cls) if not c.implicit]
    if explicit:
        lines += ["", "## Messages", ""]
        for call in explicit:
            lines += list(_message(call))
    implicit = [c for c in calls(cls) if c.implicit and not c.hidden]
    if implicit:
        lines += ["", "## Implicit messages", "",
                  "Derived from the fields, as xapi derives them (getters for every field, setters for RW "
                  "fields, `add_to_`/`remove_from_` for maps, `add_`/`remove_` for sets):", ""]  # fmt: skip
        lines += [f"- `{_signature(c.message)}` (roles: {_roles(c.message)})" for c in implicit]
    return "\n".join(lines).rstrip() + "\n"


def _message(call: ApiCall) -> Iterator[str]:
    msg = call.message
    yield f"### {msg.name}"
    yield ""
    yield f"`{_signature(msg)}`"
    yield ""
    if msg.doc:
        yield _cell(msg.doc)
        yield ""
    if msg.params:
        yield "| parameter | type | description |"
        yield "| --- | --- | --- |"
        for p in msg.params:
            default = f" (default `{p.default!r}`)" if p.has_default else ""
            yield f"| `{p.name}` | `{p.type_text}` | {_cell(p.doc)}{default} |"
        yield ""
    facts = [f"roles: {_roles(msg)}"]
    if msg.errors:
        facts.append("errors: " + ", ".join(f"`{e}`" for e in msg.errors))
    if msg.is_async:
        facts.append(f"also `Async.{call.wire}`, returning a task")
    yield "; ".join(facts) + "."
    yield ""


def extensions_page() -> str:
    from xenia.api import handlers  # noqa: F401 - importing registers the extensions
    from xenia.api.methods import EXTENSIONS

    lines = [HEADER, "# xenia's extensions", "",
             "Calls xenia serves outside the XenAPI, in the `xenia.` namespace so that they can never collide "
             "with a message xapi adds. Clients written for xapi never call them.", ""]  # fmt: skip
    for wire, (msg, _fn) in sorted(EXTENSIONS.items()):
        lines += [f"### {wire}", "", f"`{_signature(msg)}`", "", f"roles: {_roles(msg)}.", ""]
    return "\n".join(lines).rstrip() + "\n"


def index_page(model: Model) -> str:
    lines = [HEADER, "# XenAPI reference (as xenia serves it)", "",
             f"API version {API_VERSION_MAJOR}.{API_VERSION_MINOR}; datamodel schema `{schema_hash(model)}` "
             "(reported as `software_version.db_schema`).", "",
             "| class | fields | messages | description |", "| --- | --- | --- | --- |"]  # fmt: skip
    for cls in classes(model):
        fields = sum(1 for f in cls.fields if not f.hidden)
        explicit = sum(1 for c in calls(cls) if not c.implicit)
        first = _cell(cls.doc).split(". ")[0]
        lines.append(f"| [{cls.name}]({cls.name}.md) | {fields} | {explicit} | {first} |")
    lines += ["", "[xenia's extensions](xenia.md) (`xenia.*`: not part of the XenAPI)."]
    return "\n".join(lines).rstrip() + "\n"


def pages(model: Model = MODEL) -> dict[str, str]:
    out = {"README.md": index_page(model), "xenia.md": extensions_page()}
    for cls in classes(model):
        out[f"{cls.name}.md"] = class_page(cls)
    return out


def write(target: Path, model: Model = MODEL) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    wanted = pages(model)
    for stale in target.glob("*.md"):
        if stale.name not in wanted:
            stale.unlink()
    written = []
    for name, text in wanted.items():
        path = target / name
        path.write_text(text)
        written.append(path)
    return written


def main() -> int:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/api")
    print(f"{len(write(target))} pages in {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
