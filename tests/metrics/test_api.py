"""xapi's data_source API, the RRD handlers, /metrics and the cooked query, as clients use them.

One daemon on the simulator collects every second. Its VM runs with
``other_config:xenia-sim-cpu=0.5`` -- the simulator then keeps each vCPU busy half of the time --
so the expected CPU figures follow from first principles. Shapes come from xapi's
``rrd_updates.ml`` / ``rrd.ml`` and the datamodel (``docs/metrics.md``).
"""

from __future__ import annotations

import base64
import json
import math
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

T = TypeVar("T")
LOAD = 0.5


def wait_for(probe: Callable[[], T | None], what: str, timeout: float = 60.0) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value is not None:
            return value
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


@pytest.fixture(scope="module")
def daemon() -> Iterator[DaemonProcess]:
    with DaemonProcess(extra_args=["--metrics-tick", "1", "--metrics-save-interval", "1"]) as d:
        yield d


@pytest.fixture(scope="module")
def session(daemon: DaemonProcess) -> Iterator[XenAPI.Session]:
    session = XenAPI.Session(daemon.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "xenia-metrics-tests")
    yield session
    session.xenapi.session.logout()


@pytest.fixture(scope="module")
def api(session: XenAPI.Session) -> Any:
    return session.xenapi


@pytest.fixture(scope="module")
def sid(session: XenAPI.Session) -> str:
    ref: str = session._session
    return ref


def make_vm(api: Any, name: str, other: dict[str, str] | None = None) -> str:
    template = api.VM.get_by_name_label("Generic Linux BIOS")[0]
    vm: str = api.VM.clone(template, name)
    api.VM.provision(vm)
    for k, v in (other or {}).items():
        api.VM.add_to_other_config(vm, k, v)
    network = api.network.get_all()[0]
    api.VIF.create({"device": "0", "network": network, "VM": vm, "MAC": "", "MTU": "1500",
                    "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})  # fmt: skip
    return vm


@pytest.fixture(scope="module")
def vm(api: Any) -> str:
    ref = make_vm(api, "metrics-vm", {"xenia-sim-cpu": str(LOAD)})
    api.VM.start(ref, False, False)

    def known() -> float | None:
        try:
            value = float(api.VM.query_data_source(ref, "cpu0"))
        except XenAPI.Failure:  # no RRD before the first collection after the start
            return None
        return None if math.isnan(value) else value

    wait_for(known, "a first 5 s average of cpu0")
    return ref


def test_query_data_source_reads_the_vms_cpu_and_memory(api: Any, vm: str) -> None:
    assert api.VM.query_data_source(vm, "cpu_avg") == pytest.approx(LOAD, rel=0.01)
    assert api.VM.query_data_source(vm, "cpu0") == pytest.approx(LOAD, rel=0.01)
    actual = int(api.VM_metrics.get_memory_actual(api.VM.get_metrics(vm)))
    assert api.VM.query_data_source(vm, "memory") == actual


def test_get_data_sources_lists_xcp_rrdd_names(api: Any, vm: str) -> None:
    records = {r["name_label"]: r for r in api.VM.get_data_sources(vm)}
    for name in ("cpu0", "cpu_usage", "memory", "memory_target", "memory_internal_free", "vif_0_rx", "vif_0_tx"):
        assert records[name]["enabled"] and records[name]["standard"], name
    assert records["cpu0"]["units"] == "(fraction)" and records["cpu0"]["max"] == 1.0
    assert any(n.startswith("vbd_xvda_") for n in records)
    assert not records["vif_0_rx_errors"]["enabled"] and not records["vif_0_rx_errors"]["standard"]
    assert set(records["memory"]) == {"name_label", "name_description", "enabled", "standard", "units", "min",
                                      "max", "value"}  # fmt: skip


def test_record_data_source_turns_a_non_default_source_on(api: Any, vm: str) -> None:
    api.VM.record_data_source(vm, "vif_0_rx_errors")
    records = {r["name_label"]: r for r in api.VM.get_data_sources(vm)}
    assert records["vif_0_rx_errors"]["enabled"]


def test_unknown_source_and_power_state_errors(api: Any, vm: str) -> None:
    with pytest.raises(XenAPI.Failure) as e:
        api.VM.query_data_source(vm, "no_such_source")
    assert e.value.details[0] == "INTERNAL_ERROR"
    halted = make_vm(api, "metrics-halted")
    with pytest.raises(XenAPI.Failure) as e:
        api.VM.get_data_sources(halted)
    assert e.value.details[:4] == ["VM_BAD_POWER_STATE", halted, "running", "halted"]
    api.VM.destroy(halted)


def test_host_sources_and_live_fields(api: Any, vm: str) -> None:
    host = api.host.get_all()[0]
    names = {r["name_label"] for r in api.host.get_data_sources(host)}
    assert {"cpu0", "cpu_avg", "loadavg", "memory_total_kib", "memory_free_kib", "pif_aggr_rx"} <= names
    assert 0.0 < api.host.query_data_source(host, "cpu_avg") <= 1.0
    assert api.host.query_data_source(host, "running_domains") >= 1

    def utilised() -> list[float] | None:
        values = [float(c["utilisation"]) for c in api.host_cpu.get_all_records().values()]
        return values if all(v > 0 for v in values) else None

    assert wait_for(utilised, "host_cpu.utilisation")

    def vcpus() -> dict[str, float] | None:  # refreshed for each VM every few ticks
        util: dict[str, float] = api.VM_metrics.get_VCPUs_utilisation(api.VM.get_metrics(vm))
        return util or None

    assert wait_for(vcpus, "VM_metrics.VCPUs_utilisation")["0"] == pytest.approx(LOAD, rel=0.01)


def _disk_sr(api: Any, vm: str) -> str:
    disks = [b for b in api.VM.get_VBDs(vm) if api.VBD.get_type(b) == "Disk"]
    sr: str = api.VDI.get_SR(api.VBD.get_VDI(disks[0]))
    return sr


def test_sr_sources_as_rrdp_iostat_names_them(api: Any, vm: str) -> None:
    sr = _disk_sr(api, vm)
    records = api.SR.get_data_sources(sr)
    names = {r["name_label"] for r in records}
    assert {"read", "write", "read_latency", "write_latency", "io_throughput_read", "io_throughput_write",
            "io_throughput_total", "iops_read", "iops_write", "iops_total", "iowait", "latency"} <= names  # fmt: skip
    assert {"physical_utilisation", "physical_size", "virtual_allocation"} <= names
    read = next(r for r in records if r["name_label"] == "read")
    assert read["enabled"] and read["standard"] and read["units"] == "B/s"
    size = wait_for(lambda: _known(api.SR.query_data_source(sr, "physical_size")), "the SR's physical_size")
    assert size == pytest.approx(float(api.SR.get_physical_size(sr)), rel=1e-6)  # archived as float32
    with pytest.raises(XenAPI.Failure) as e:
        api.SR.query_data_source(sr, "size")
    assert e.value.details[0] == "INTERNAL_ERROR" and "Datasource_missing" in e.value.details[1]
    with pytest.raises(XenAPI.Failure) as e:
        api.SR.record_data_source(sr, "no_such_source")
    assert e.value.details[0] == "INTERNAL_ERROR"
    api.SR.record_data_source(sr, "read")  # already recorded: nothing to do, as xcp-rrdd
    # an SR with no RRD (not plugged here) has no sources
    plugged = {api.PBD.get_SR(p) for p in api.PBD.get_all() if api.PBD.get_currently_attached(p)}
    for other in set(api.SR.get_all()) - plugged:
        assert api.SR.get_data_sources(other) == []


def _known(value: str | float) -> float | None:
    v = float(value)
    return None if math.isnan(v) else v


def test_sr_io_is_the_sum_of_its_vms_disks(api: Any, vm: str) -> None:
    """One collection's SR read and write rates are the sums of the rates of the running VMs'
    disks on that SR (read together through the cooked query's newest raw values: a window of
    3 s, which the raw ring of 1 s ticks holds)."""
    sr = _disk_sr(api, vm)
    sr_uuid = api.SR.get_uuid(sr)
    disks: dict[str, list[str]] = {}
    for rec in api.VM.get_all_records().values():
        if rec["is_a_template"] or rec["is_control_domain"] or rec["power_state"] != "Running":
            continue
        for b in rec["VBDs"]:
            if api.VBD.get_type(b) == "Disk" and api.VDI.get_SR(api.VBD.get_VDI(b)) == sr:
                letter = chr(ord("a") + int(api.VBD.get_userdevice(b)))
                disks.setdefault(rec["uuid"], []).append(f"vbd_xvd{letter}")
    assert disks
    sources = ["read", "write", "iops_total"] + [f"{d}_{w}" for ds in disks.values() for d in ds
                                                 for w in ("read", "write", "iops_total")]  # fmt: skip

    def together() -> dict[str, Any] | None:
        got: dict[str, Any] = api.xenia.query_data_sources([sr_uuid, *disks], sources, 3.0, ["last"])
        values = [got[u][f"{d}_read"]["last"] for u, ds in disks.items() for d in ds]
        return got if got[sr_uuid]["read"]["last"] > 0 and all(v == v for v in values) else None

    got = wait_for(together, "SR and VM disk rates from the same collection")
    for what in ("read", "write", "iops_total"):
        total = sum(got[u][f"{d}_{what}"]["last"] for u, ds in disks.items() for d in ds)
        assert got[sr_uuid][what]["last"] == pytest.approx(total, rel=1e-5)


def test_host_rrd_has_the_sr_statistics_as_xcp_rrdd_names_them(api: Any, vm: str) -> None:
    """xcp-rrdd files rrdp-iostat's SR-level statistics in the host's RRD as ``<name>_<sr8>``
    (what Xen Orchestra's host stats read); they carry the same values as the SR's own RRD."""
    sr_uuid = api.SR.get_uuid(_disk_sr(api, vm))
    host = api.host.get_all()[0]
    host_uuid, sr8 = api.host.get_uuid(host), sr_uuid[:8]
    names = {r["name_label"] for r in api.host.get_data_sources(host)}
    assert {f"{n}_{sr8}" for n in ("read", "write", "read_latency", "io_throughput_total", "iops_total", "latency")} <= names
    assert f"physical_size_{sr8}" not in names  # the sizes are the SR RRD's alone
    sources = ["read", "iops_total", f"read_{sr8}", f"iops_total_{sr8}"]
    got = api.xenia.query_data_sources([sr_uuid, host_uuid], sources, 3.0, ["last"])
    assert got[sr_uuid]["read"]["last"] > 0
    assert got[host_uuid][f"read_{sr8}"]["last"] == got[sr_uuid]["read"]["last"]
    assert got[host_uuid][f"iops_total_{sr8}"]["last"] == got[sr_uuid]["iops_total"]["last"]


def test_sr_rrd_in_rrd_updates_and_dump(api: Any, daemon: DaemonProcess, sid: str, vm: str) -> None:
    sr_uuid = api.SR.get_uuid(_disk_sr(api, vm))
    status, _, body = get(f"{daemon.url}/rrd_updates?session_id={sid}&start=-60&sr_uuid={sr_uuid}&json=true")
    assert status == 200
    legend = json.loads(body)["meta"]["legend"]
    assert f"AVERAGE:sr:{sr_uuid}:read" in legend and f"AVERAGE:sr:{sr_uuid}:physical_utilisation" in legend
    status, _, body = get(f"{daemon.url}/sr_rrd?session_id={sid}&uuid={sr_uuid}")
    assert status == 200
    names = [d.findtext("name") for d in ET.fromstring(body).findall("ds")]
    assert "iops_total" in names and "latency" in names


def test_forget_data_source_archives_drops_history(api: Any, daemon: DaemonProcess, sid: str, vm: str) -> None:
    uuid = api.VM.get_uuid(vm)

    def known_rows() -> int:
        _, _, body = get(f"{daemon.url}/vm_rrd?session_id={sid}&uuid={uuid}")
        root = ET.fromstring(body)
        col = [d.findtext("name") for d in root.findall("ds")].index("memory")
        rows = root.findall("rra")[0].find("database").findall("row")  # type: ignore[union-attr]
        return sum(row.findall("v")[col].text != "NaN" for row in rows)

    wait_for(lambda: True if known_rows() >= 3 else None, "three 5 s rows of memory")
    api.VM.forget_data_source_archives(vm, "memory")
    assert known_rows() <= 2  # at most the PDPs completed since (one per 5 s)


# -- the HTTP handlers -------------------------------------------------------------------------


def test_rrd_updates_xml_as_xapi_writes_it(api: Any, daemon: DaemonProcess, sid: str, vm: str) -> None:
    uuid = api.VM.get_uuid(vm)
    host_uuid = api.host.get_uuid(api.host.get_all()[0])
    status, headers, body = get(f"{daemon.url}/rrd_updates?session_id={sid}&start=-60&host=true&vm_uuid={uuid}")
    assert status == 200 and headers["Content-Type"].startswith("text/xml")
    assert headers["Access-Control-Allow-Origin"] == "*"
    root = ET.fromstring(body)
    assert root.tag == "xport"
    meta = root.find("meta")
    assert meta is not None
    step, start, end = (int(meta.findtext(k) or "") for k in ("step", "start", "end"))
    legend = [e.text for e in meta.iter("entry")]
    assert step == 5 and int(meta.findtext("columns") or "") == len(legend)
    assert legend[0].startswith(f"AVERAGE:host:{host_uuid}:")  # type: ignore[union-attr]
    assert f"AVERAGE:vm:{uuid}:cpu0" in legend and f"AVERAGE:vm:{uuid}:vif_0_rx" in legend
    rows = root.findall("data/row")
    assert int(meta.findtext("rows") or "") == len(rows) > 0
    times = [int(r.findtext("t") or "") for r in rows]
    assert times[0] == end and times == sorted(times, reverse=True)  # newest first
    assert all(b - a == step for a, b in zip(times[1:], times, strict=False)) and times[-1] >= start - step
    assert all(len(r.findall("v")) == len(legend) for r in rows)
    cpu = legend.index(f"AVERAGE:vm:{uuid}:cpu0")
    assert float(rows[0].findall("v")[cpu].text or "") == pytest.approx(LOAD, rel=0.01)


def test_rrd_updates_json_cf_and_interval(api: Any, daemon: DaemonProcess, sid: str, vm: str) -> None:
    query = f"{daemon.url}/rrd_updates?session_id={sid}&start=-600&cf=MAX&interval=60&json=true"
    # xcp-rrdd gives VM RRDs only AVERAGE archives unless the pool asks for MIN and MAX
    # (create_min_max_in_new_VM_RRDs): MAX of the VMs alone is No_RRA_Available
    assert get(query)[0] == 404
    status, headers, body = get(query + "&host=true")
    assert status == 200 and headers["Content-Type"] == "application/json"
    doc = json.loads(body)
    assert doc["meta"]["step"] == "60"  # the 1 min archive: the finest with rows >= 60 s
    legend = doc["meta"]["legend"]
    assert legend and all(e.startswith("MAX:host:") for e in legend)  # the VMs have no MAX columns
    assert all(isinstance(x, str) for row in doc["data"] for x in [row["t"], *row["values"]])
    _, headers, _ = get(f"{daemon.url}/rrd_updates?session_id={sid}&start=-60", {"Accept": "application/json"})
    assert headers["Content-Type"] == "application/json"


def test_rrd_handlers_authenticate_and_complete_the_callers_task(
    api: Any, daemon: DaemonProcess, sid: str, vm: str
) -> None:
    assert get(f"{daemon.url}/rrd_updates?start=-60")[0] == 401
    assert get(f"{daemon.url}/rrd_updates?start=-60&session_id=OpaqueRef:nonsense")[0] == 401
    basic = base64.b64encode(f"root:{ROOT_PASSWORD}".encode()).decode()
    assert get(f"{daemon.url}/rrd_updates?start=-60", {"Authorization": f"Basic {basic}"})[0] == 200
    task = api.task.create("rrd_updates", "")
    assert get(f"{daemon.url}/rrd_updates?session_id={sid}&start=-60&task_id={task}")[0] == 200
    assert api.task.get_status(task) == "success"
    assert get(f"{daemon.url}/rrd_updates?session_id={sid}")[0] == 400  # start is mandatory


def test_vm_and_host_rrd_dumps(api: Any, daemon: DaemonProcess, sid: str, vm: str) -> None:
    uuid = api.VM.get_uuid(vm)
    status, _, body = get(f"{daemon.url}/vm_rrd?session_id={sid}&uuid={uuid}")
    assert status == 200
    root = ET.fromstring(body)
    assert root.findtext("version") == "0003" and root.findtext("step") == "5"
    names = [d.findtext("name") for d in root.findall("ds")]
    assert "cpu0" in names and "memory" in names
    rras = [(r.findtext("cf"), int(r.findtext("pdp_per_row") or ""), len(r.findall("database/row")))
            for r in root.findall("rra")]  # fmt: skip
    # xcp-rrdd's create_rras without use_min_max: AVERAGE archives only, xff 0.5
    assert rras == [("AVERAGE", 1, 120), ("AVERAGE", 12, 120), ("AVERAGE", 720, 168), ("AVERAGE", 17280, 366)]
    assert [r.findtext("params/xff") for r in root.findall("rra")] == ["0.5"] * 4
    assert all(len(row.findall("v")) == len(names) for row in root.iter("row"))
    dump = json.loads(get(f"{daemon.url}/host_rrd?session_id={sid}&json")[2])
    assert dump["version"] == "0003" and dump["ds"][0]["name"] == "cpu0"
    # the host's RRD always has MIN and MAX (rrdd_monitor.ml: create_fresh_rrd true), xff 1.0 beyond 5 s
    host_rras = [(r["cf"], int(r["pdp_per_row"]), r["params"]["xff"]) for r in dump["rra"]]
    assert host_rras[0] == ("AVERAGE", 1, "0.5")
    assert {("AVERAGE", 720, "1"), ("MIN", 720, "1"), ("MAX", 17280, "1")} <= set(host_rras)
    assert get(f"{daemon.url}/vm_rrd?session_id={sid}&uuid=00000000-0000-0000-0000-000000000000")[0] == 404


def test_pool_flag_gives_new_vm_rrds_min_and_max(api: Any, daemon: DaemonProcess, sid: str, vm: str) -> None:
    pool = api.pool.get_all()[0]
    api.pool.add_to_other_config(pool, "create_min_max_in_new_VM_RRDs", "true")
    try:
        other = make_vm(api, "metrics-vm-min-max")
        api.VM.start(other, False, False)
        uuid = api.VM.get_uuid(other)

        def dumped() -> bytes | None:
            status, _, body = get(f"{daemon.url}/vm_rrd?session_id={sid}&uuid={uuid}")
            return body if status == 200 else None

        root = ET.fromstring(wait_for(dumped, "the new VM's RRD"))
        cfs = [(r.findtext("cf"), int(r.findtext("pdp_per_row") or "")) for r in root.findall("rra")]
        assert ("MIN", 12) in cfs and ("MAX", 17280) in cfs and len(cfs) == 10
        # the VM made before the flag keeps its AVERAGE-only RRD (the flag applies to new RRDs)
        old = ET.fromstring(get(f"{daemon.url}/vm_rrd?session_id={sid}&uuid={api.VM.get_uuid(vm)}")[2])
        assert {r.findtext("cf") for r in old.findall("rra")} == {"AVERAGE"}
        api.VM.hard_shutdown(other)
        api.VM.destroy(other)
    finally:
        api.pool.remove_from_other_config(pool, "create_min_max_in_new_VM_RRDs")


def test_prometheus_metrics(api: Any, daemon: DaemonProcess, sid: str, vm: str) -> None:
    uuid = api.VM.get_uuid(vm)
    status, headers, body = get(f"{daemon.url}/metrics?session_id={sid}")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    lines = body.decode().splitlines()
    series = [ln for ln in lines if ln.startswith(f'xenia_vm_cpu{{uuid="{uuid}",name="metrics-vm",cpu="0"}} ')]
    assert len(series) == 1 and float(series[0].split()[-1]) == pytest.approx(LOAD, rel=0.01)
    assert "# TYPE xenia_host_cpu_avg gauge" in lines
    sr = api.SR.get_uuid(_disk_sr(api, vm))
    assert any(ln.startswith(f'xenia_sr_read{{uuid="{sr}",') for ln in lines)
    assert any(ln.startswith("xenia_host_sr_iops_total{") and f',sr="{sr[:8]}"}}' in ln for ln in lines)
    families = [ln.split()[2] for ln in lines if ln.startswith("# TYPE")]
    assert len(families) == len(set(families))  # each family in one group


def test_cooked_query_over_xenapi_and_http(api: Any, daemon: DaemonProcess, sid: str, vm: str) -> None:
    uuid = api.VM.get_uuid(vm)
    host_uuid = api.host.get_uuid(api.host.get_all()[0])
    result = api.xenia.query_data_sources([uuid, host_uuid], ["cpu_avg", "memory"], 30.0, ["average", "max", "p95"])
    assert result[uuid]["cpu_avg"]["average"] == pytest.approx(LOAD, rel=0.01)
    assert result[uuid]["cpu_avg"]["p95"] == pytest.approx(LOAD, rel=0.01)
    assert 0 < result[host_uuid]["cpu_avg"]["max"] <= 1
    assert math.isnan(result[host_uuid]["memory"]["average"])  # the host has no source of that name
    with pytest.raises(XenAPI.Failure) as e:
        api.xenia.query_data_sources([uuid], ["cpu_avg"], 30.0, ["median"])
    assert e.value.details[0] == "INVALID_VALUE"
    status, _, body = get(f"{daemon.url}/xenia/query?session_id={sid}&uuid={uuid}&ds=cpu_avg&window=30&reduce=min")
    assert status == 200
    assert json.loads(body)["objects"][uuid]["cpu_avg"]["min"] == pytest.approx(LOAD, rel=0.01)
    # a window longer than the raw ring reads the archives (tests/metrics/test_query.py checks the values)
    long = api.xenia.query_data_sources([uuid], ["cpu_avg"], 7200.0, ["average"])
    assert set(long[uuid]["cpu_avg"]) == {"average"}
