"""What is generated from the datamodel is committed current: the typed client and the API reference.

A field or message added to the datamodel must show up in both without hand edits: these tests fail
until ``make generate`` has written them again.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from xenia.bindings import apidoc, python_client
from xenia.datamodel import MODEL, Model
from xenia.datamodel.meta import RW

ROOT = Path(__file__).resolve().parents[2]


def test_the_typed_client_is_current() -> None:
    committed = (ROOT / "src" / "xenia" / "client" / "typed.py").read_text()
    assert committed == python_client.generate(), "the typed client is stale: run `make generate`"


def test_the_api_reference_is_current() -> None:
    docs = ROOT / "docs" / "api"
    wanted = apidoc.pages()
    assert {p.name for p in docs.glob("*.md")} == set(wanted), "docs/api is stale: run `make generate`"
    for name, text in wanted.items():
        assert (docs / name).read_text() == text, f"docs/api/{name} is stale: run `make generate`"


def test_a_field_added_to_the_datamodel_appears_in_the_client_and_the_reference() -> None:
    vm = MODEL.classes["VM"]
    grown = dataclasses.replace(vm, fields=(*vm.fields, RW("xenia_new_knob", "(string -> int) map", {})))
    model = Model({**MODEL.classes, "VM": grown}, MODEL.enums, MODEL.errors, MODEL.relations)
    client = python_client.generate(model)
    assert "'xenia_new_knob': dict[str, int]" in client
    assert "def set_xenia_new_knob(self, self_: VMRef, value: dict[str, int]) -> None:" in client
    assert "def add_to_xenia_new_knob(self, self_: VMRef, key: str, value: int) -> None:" in client
    page = apidoc.pages(model)["VM.md"]
    assert "| `xenia_new_knob` | `(string -> int) map` | RW |" in page
    assert "`void set_xenia_new_knob(session ref session_id, VM ref self, (string -> int) map value)`" in page
