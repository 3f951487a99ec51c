"""The generator's spellings are xapi's C SDK's, and the committed ABI layout covers the datamodel.

Expected names follow the rules of xapi's ``ocaml/sdk-gen/c/gen_c_binding.ml`` (``mapname``,
``c_type_of_ty``, ``keyword_map``), written out by hand here.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.c.conftest import BINDING
from xenia.bindings.c import layout, names
from xenia.bindings.c.generate import Generator
from xenia.datamodel import MODEL
from xenia.datamodel.meta import parse_type


def test_map_names() -> None:
    assert names.map_name(parse_type("(string -> string) map")) == "xen_string_string_map"
    assert names.map_name(parse_type("(string -> enum vm_operations) map")) == "xen_string_vm_operations_map"
    assert names.map_name(parse_type("(enum vm_operations -> string) map")) == "xen_vm_operations_string_map"
    assert names.map_name(parse_type("(VM ref -> VM record) map")) == "xen_vm_xen_vm_record_map"
    assert names.map_name(parse_type("(string -> blob ref) map")) == "xen_string_blob_map"
    assert names.map_name(parse_type("(int -> string set) map")) == "xen_int_string_set_map"


def test_c_types_inside_and_outside_records() -> None:
    assert names.c_type(parse_type("VM ref set"), in_record=True) == "struct xen_vm_record_opt_set *"
    assert names.c_type(parse_type("VM ref set"), in_record=False) == "struct xen_vm_set *"
    assert names.c_type(parse_type("host ref"), in_record=True) == "struct xen_host_record_opt *"
    assert names.c_type(parse_type("host ref"), in_record=False) == "xen_host "
    assert names.c_type(parse_type("session ref"), in_record=False) == "xen_session *"
    assert names.c_type(parse_type("enum vm_power_state"), in_record=True) == "enum xen_vm_power_state "
    assert names.c_type(parse_type("enum vm_operations set"), in_record=False) == "struct xen_vm_operations_set *"
    assert names.c_type(parse_type("int"), in_record=False) == "int64_t "
    assert names.c_type(parse_type("datetime"), in_record=False) == "time_t "
    assert names.c_type(parse_type("VM record"), in_record=False) == "xen_vm_record *"
    assert names.c_type(parse_type("string set"), in_record=True) == "struct xen_string_set *"


def test_keywords_and_enum_constants() -> None:
    assert names.ident("class") == "XEN_CLAZZ"
    assert names.ident("VCPUs_max") == "vcpus_max"
    assert names.enum_const("vm_power_state", "Running") == "XEN_VM_POWER_STATE_RUNNING"
    assert names.enum_const("ip_configuration_mode", "a-b") == "XEN_IP_CONFIGURATION_MODE_A_B"


def test_signatures_of_well_known_calls(tmp_path: Path) -> None:
    out = Generator(MODEL, layout.load(BINDING / "abi" / "layout.json")).run()
    vm_h = out.headers["xen_vm.h"]
    assert "xen_vm_get_record(xen_session *session, xen_vm_record **result, xen_vm vm);" in vm_h
    assert (
        "xen_vm_start_async(xen_session *session, xen_task *result, xen_vm vm, bool start_paused, bool force);" in vm_h
    )
    assert "xen_vm_create(xen_session *session, xen_vm *result, xen_vm_record *record);" in vm_h
    assert "xen_vm_get_power_state(xen_session *session, enum xen_vm_power_state *result, xen_vm vm);" in vm_h
    assert "xen_vm_set_free(xen_vm_set *set);" in vm_h
    assert "xen_vm_record_free(xen_vm_record *record);" in vm_h
    event_h = out.headers["xen_event.h"]
    assert "XEN_CLAZZ;" in event_h  # the event record's "class" field
    assert "xen_event_from" not in event_h  # hand-written, in xen_event_batch.h


def test_committed_layout_covers_the_datamodel(tmp_path: Path) -> None:
    """A field added to the datamodel is recorded in bindings/c/abi/layout.json in the same change."""
    committed = BINDING / "abi" / "layout.json"
    layouts = layout.load(committed)
    Generator(MODEL, layouts).run()
    copy = tmp_path / "layout.json"
    layout.save(copy, layouts)
    assert json.loads(copy.read_text()) == json.loads(committed.read_text()), (
        "run: python -m xenia.bindings.c build/c/gen --layout bindings/c/abi/layout.json --write-layout"
    )
