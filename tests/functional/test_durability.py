"""A call that answered success survives SIGKILL; a restart brings back the same refs and uuids."""

from __future__ import annotations

import random
import threading
import time

import pytest

from xenia.client import Failure, Session
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess


def creator(url: str, created: dict[str, str], stop: threading.Event) -> None:
    """Create networks until the daemon dies, remembering every create that answered success."""
    try:
        session = Session(url, timeout=10)
        session.login("root", ROOT_PASSWORD)
        i = 0
        while not stop.is_set():
            name = f"net-{time.monotonic_ns()}-{i}"
            ref = session.call("network.create", session.handle, {"name_label": name, "other_config": {},
                                                                    "MTU": 1500})  # fmt: skip
            created[ref] = name
            i += 1
    except (OSError, Failure):
        return  # the daemon was killed under us: the create in flight may or may not have committed


def test_sigkill_loses_no_successful_create(tmp_path_factory: pytest.TempPathFactory) -> None:
    rng = random.Random(20261121)
    state = tmp_path_factory.mktemp("xeniakill")
    created: dict[str, str] = {}
    for _round in range(4):
        daemon = DaemonProcess(state_dir=state).start()
        stop = threading.Event()
        threads = [threading.Thread(target=creator, args=(daemon.url, created, stop)) for _ in range(2)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.3, 1.2))
        daemon.kill()
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert len(created) > 20
    with DaemonProcess(state_dir=state) as daemon:
        session = Session(daemon.url)
        session.login("root", ROOT_PASSWORD)
        records = session.call("network.get_all_records", session.handle)
        for ref, name in created.items():
            assert ref in records, f"{name} answered success but was lost"
            assert records[ref]["name_label"] == name


def test_restart_keeps_refs_uuids_and_relations(tmp_path_factory: pytest.TempPathFactory) -> None:
    state = tmp_path_factory.mktemp("xeniarestart")
    with DaemonProcess(state_dir=state) as daemon:
        s = Session(daemon.url)
        s.login("root", ROOT_PASSWORD)
        template = s.call("VM.get_by_name_label", s.handle, "Other install media")[0]
        vm = s.call("VM.clone", s.handle, template, "keeper")
        net = s.call("network.get_all", s.handle)[0]
        vif = s.call("VIF.create", s.handle, {"device": "0", "network": net, "VM": vm, "MAC": "", "MTU": 1500,
                                              "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})
        before = s.call("VM.get_record", s.handle, vm)
        host_before = s.call("host.get_all", s.handle)
    with DaemonProcess(state_dir=state) as daemon:
        s = Session(daemon.url)
        s.login("root", ROOT_PASSWORD)
        after = s.call("VM.get_record", s.handle, vm)
        assert after == before
        assert after["VIFs"] == [vif]
        assert s.call("host.get_all", s.handle) == host_before
        assert len(s.call("pool.get_all", s.handle)) == 1
