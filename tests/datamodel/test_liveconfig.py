"""Every VM field has a scope (issue 14), the table's live entries name real capabilities and messages,
and ``docs/liveconfig.md`` shows the table as it is."""

from __future__ import annotations

import json
from pathlib import Path

from xenia.datamodel import MODEL, liveconfig
from xenia.drivers.base import Capability

ROOT = Path(__file__).resolve().parents[2]


def test_every_field_of_xapis_vm_has_a_scope() -> None:
    xapi = json.loads((ROOT / "tests/fixtures/xapi_datamodel.json").read_text())["VM"]["fields"]
    assert sorted(f["name"] for f in xapi if f["name"] not in liveconfig.VM_FIELDS) == []
    served = {f.name for f in MODEL.cls("VM").fields if not f.hidden}
    assert sorted(set(liveconfig.VM_FIELDS) ^ served) == []


def test_xapis_runtime_fields_are_not_configuration() -> None:
    """A field only the server writes (xapi's RO/runtime) can never be pending a reboot or applied live."""
    xapi = json.loads((ROOT / "tests/fixtures/xapi_datamodel.json").read_text())["VM"]["fields"]
    runtime = {f["name"] for f in xapi if f["qualifier"] == "RO/runtime"}
    configuration = set(liveconfig.PERSISTENT) | set(liveconfig.LIVE)
    assert sorted(runtime & configuration - {"bios_strings"}) == []  # set once by VM.set_bios_strings, read at boot


def test_live_fields_name_a_capability_and_a_message() -> None:
    capabilities = {c.value for c in Capability}
    for name in liveconfig.LIVE:
        entry = liveconfig.of(name)
        cls, _, message = entry.live_message.partition(".")
        assert entry.capability in capabilities, name
        assert MODEL.cls(cls).message(message) is not None, name


def test_the_docs_show_the_table() -> None:
    page = (ROOT / "docs/liveconfig.md").read_text()
    assert liveconfig.with_table(page) == page, "run: make generate"
    assert liveconfig.markdown_table() in page
