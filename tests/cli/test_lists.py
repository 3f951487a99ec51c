"""The *-list commands: tables, --minimal, --json, params=, filters."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.cli.conftest import Xe
from xenia.client import Session
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

ALL_LISTS = ["vm", "template", "snapshot", "vbd", "vif", "vdi", "sr", "pbd", "network", "pif", "host", "pool", "task"]


#: list command -> the API class it lists and which of its records (as xe's *-list commands choose them)
LISTED: dict[str, tuple[str, Callable[[dict[str, Any]], bool]]] = {
    "vm": ("VM", lambda r: not r["is_a_template"] and not r["is_a_snapshot"]),
    "template": ("VM", lambda r: r["is_a_template"] and not r["is_a_snapshot"]),
    "snapshot": ("VM", lambda r: r["is_a_snapshot"]),
    **{cls: (api_cls, lambda _r: True) for cls, api_cls in (
        ("vbd", "VBD"), ("vif", "VIF"), ("vdi", "VDI"), ("sr", "SR"), ("pbd", "PBD"), ("network", "network"),
        ("pif", "PIF"), ("host", "host"), ("pool", "pool"), ("task", "task"))},
}  # fmt: skip


@pytest.fixture(scope="module")
def populated(daemon: DaemonProcess) -> Iterator[None]:
    """At least one object of every listed class: a VM with a disk and a NIC, its snapshot, a task.

    The session stays open while the tests run: a task goes with the session that made it."""
    with Session(daemon.url) as s:
        s.login("root", ROOT_PASSWORD)
        x = s.xenapi
        vm = x.VM.clone(x.VM.get_by_name_label("Debian Bookworm 12")[0], "listed")
        x.VM.provision(vm)
        network = x.network.get_all()[0]
        x.VIF.create({"VM": vm, "network": network, "device": "0", "MAC": "", "MTU": 1500, "other_config": {},
                      "qos_algorithm_type": "", "qos_algorithm_params": {}})  # fmt: skip
        task = s.call("Async.VM.snapshot", s.handle, vm, "listed-snap")  # the task stays until destroyed
        deadline = time.monotonic() + 60
        while s.call("task.get_status", s.handle, task) == "pending":
            assert time.monotonic() < deadline, "the snapshot task never finished"
            time.sleep(0.05)
        assert s.call("task.get_status", s.handle, task) == "success"
        yield


@pytest.mark.parametrize("cls", ALL_LISTS)
def test_every_list_answers_json_with_every_object(xe: Xe, api: Session, populated: None, cls: str) -> None:
    api_cls, chosen = LISTED[cls]
    records = api.call(f"{api_cls}.get_all_records", api.handle)
    expected = {rec["uuid"] for rec in records.values() if chosen(rec)}
    assert expected, f"nothing to list for {cls}: the check would be vacuous"
    rows = json.loads(xe.ok(f"{cls}-list", "--json").out)
    assert {row["uuid"] for row in rows} == expected


def test_vm_list_hides_templates_and_shows_dom0(xe: Xe, api: Session) -> None:
    r = xe.ok("vm-list")
    assert r.lines[0].split() == ["UUID", "NAME-LABEL", "POWER-STATE"]
    assert any("Control domain" in line for line in r.lines)
    assert not any("Debian Bookworm 12" in line for line in r.lines)
    templates = xe.ok("template-list", "params=name-label", "--minimal").out.strip().split(",")
    assert "Debian Bookworm 12" in templates


def test_minimal_prints_comma_separated_uuids(xe: Xe, api: Session) -> None:
    uuids = xe.ok("template-list", "--minimal").out.strip().split(",")
    expected = {api.xenapi.VM.get_uuid(ref) for ref, rec in api.xenapi.VM.get_all_records().items()
                if rec["is_a_template"] and not rec["is_a_snapshot"]}  # fmt: skip
    assert set(uuids) == expected


def test_params_and_dashed_fields_map_to_api_fields(xe: Xe, api: Session) -> None:
    rows = json.loads(xe.ok("template-list", "name-label=Debian Bookworm 12",
                            "params=uuid,name-label,memory-static-max,VCPUs-max,other-config", "--json").out)  # fmt: skip
    assert len(rows) == 1
    ref = api.xenapi.VM.get_by_name_label("Debian Bookworm 12")[0]
    rec = api.xenapi.VM.get_record(ref)
    assert rows[0] == {"uuid": rec["uuid"], "name-label": "Debian Bookworm 12",
                       "memory-static-max": rec["memory_static_max"], "VCPUs-max": rec["VCPUs_max"],
                       "other-config": rec["other_config"]}  # fmt: skip


def test_filters_are_case_insensitive_like_xe_users_type_them(xe: Xe) -> None:
    running = xe.ok("vm-list", "power-state=running", "params=name-label", "--minimal").out.strip()
    assert running.startswith("Control domain")
    assert xe.ok("vm-list", "power-state=suspended", "--minimal").out.strip() == ""


def test_params_all_prints_record_blocks(xe: Xe) -> None:
    out = xe.ok("host-list", "params=all").out
    assert "name-label" in out and "API-version-major" in out and ": " in out


def test_derived_columns_resolve_references(xe: Xe, api: Session) -> None:
    pool = api.xenapi.pool.get_all()[0]
    master_uuid = api.xenapi.host.get_uuid(api.xenapi.pool.get_master(pool))
    rows = json.loads(xe.ok("pool-list", "params=master,master-name-label", "--json").out)
    assert rows == [{"master": master_uuid, "master-name-label": api.xenapi.host.get_name_label(
        api.xenapi.pool.get_master(pool))}]  # fmt: skip
    pbds = json.loads(xe.ok("pbd-list", "params=sr-uuid,sr-name-label", "--json").out)
    assert {p["sr-name-label"] for p in pbds} == {"Local storage", "ISO library"}


def test_unknown_field_in_params_is_a_usage_error(xe: Xe) -> None:
    r = xe("vm-list", "params=uuid,no-such-field")
    assert r.rc == 2
    assert "no-such-field" in r.err


def test_table_is_aligned(xe: Xe) -> None:
    lines = xe.ok("template-list", "params=uuid,name-label").lines
    col = lines[0].index("NAME-LABEL")
    assert all(len(line) > col and line[col - 2 : col] == "  " for line in lines[1:])
