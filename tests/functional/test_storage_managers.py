"""SM objects through the official SDK: one per SR type xenia makes, and every feature it lists works.

xapi: an SM record per storage driver, ``type`` the SR type it serves, ``features`` the
capabilities clients check before offering an operation.  So the test reads each record
and does, on an SR of that type, what each listed feature promises.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def api(daemon: DaemonProcess) -> Iterator[Any]:
    session = XenAPI.Session(daemon.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "sm")
    yield session.xenapi
    session.xenapi.session.logout()


def sr_of_type(api: Any, sr_type: str) -> str:
    ref: str = next(r for r, v in api.SR.get_all_records().items() if v["type"] == sr_type)
    return ref


def attached_to_a_running_vm(api: Any, vdi: str, cd: bool) -> None:
    """VDI_ATTACH and VDI_DETACH: a VM starts with the disk plugged and stops with it unplugged."""
    vm = api.VM.clone(api.VM.get_by_name_label("Other install media")[0], "sm-attach")
    api.VM.provision(vm)
    vbd = api.VBD.create({"VM": vm, "VDI": vdi, "userdevice": "3", "bootable": False, "mode": "RO" if cd else "RW",
                          "type": "CD" if cd else "Disk", "empty": False, "other_config": {},
                          "qos_algorithm_type": "", "qos_algorithm_params": {}})  # fmt: skip
    api.VM.start(vm, False, False)
    assert api.VBD.get_currently_attached(vbd) is True
    api.VM.hard_shutdown(vm)
    assert api.VBD.get_currently_attached(vbd) is False
    api.VBD.destroy(vbd)
    for other in api.VM.get_VBDs(vm):
        disk = api.VBD.get_VDI(other)
        api.VBD.destroy(other)
        if disk != "OpaqueRef:NULL":
            api.VDI.destroy(disk)
    api.VM.destroy(vm)


def new_vdi(api: Any, sr: str, size: int = MiB) -> str:
    ref: str = api.VDI.create({"name_label": "sm-test", "name_description": "", "SR": sr, "virtual_size": str(size),
                               "type": "user", "sharable": False, "read_only": False, "other_config": {},
                               "xenstore_data": {}, "sm_config": {}, "tags": []})  # fmt: skip
    return ref


def file_features(api: Any, sr: str) -> dict[str, Callable[[], None]]:
    def create_delete() -> None:
        vdi = new_vdi(api, sr)
        api.VDI.destroy(vdi)
        assert vdi not in api.SR.get_VDIs(sr)

    def resize() -> None:
        vdi = new_vdi(api, sr)
        api.VDI.resize(vdi, str(4 * MiB))
        assert api.VDI.get_virtual_size(vdi) == str(4 * MiB)
        api.VDI.destroy(vdi)

    def clone_snapshot() -> None:
        vdi = new_vdi(api, sr)
        clone, snap = api.VDI.clone(vdi, {}), api.VDI.snapshot(vdi, {})
        assert api.VDI.get_snapshot_of(snap) == vdi and api.VDI.get_virtual_size(clone) == str(MiB)
        for v in (snap, clone, vdi):
            api.VDI.destroy(v)

    def update() -> None:
        vdi = new_vdi(api, sr)
        api.VDI.update(vdi)
        assert api.VDI.get_virtual_size(vdi) == str(MiB)
        api.VDI.destroy(vdi)

    def introduce() -> None:
        vdi = new_vdi(api, sr, 2 * MiB)
        record = api.VDI.get_record(vdi)
        api.VDI.forget(vdi)
        back = api.VDI.introduce(record["uuid"], "back", "", sr, "user", False, False, {}, record["location"], {}, {},
                                 True, "0", "0", "", False, "19700101T00:00:00Z", "OpaqueRef:NULL")  # fmt: skip
        assert api.VDI.get_virtual_size(back) == str(2 * MiB)
        api.VDI.destroy(back)

    def attach() -> None:
        vdi = new_vdi(api, sr)
        attached_to_a_running_vm(api, vdi, cd=False)
        api.VDI.destroy(vdi)

    return {"SR_UPDATE": lambda: api.SR.update(sr), "VDI_CREATE": create_delete, "VDI_DELETE": create_delete,
            "VDI_RESIZE": resize, "VDI_CLONE": clone_snapshot, "VDI_SNAPSHOT": clone_snapshot, "VDI_UPDATE": update,
            "VDI_INTRODUCE": introduce, "VDI_ATTACH": attach, "VDI_DETACH": attach}  # fmt: skip


def iso_features(api: Any, sr: str) -> dict[str, Callable[[], None]]:
    directory = Path(api.SR.get_other_config(sr)["path"])

    def scan() -> None:
        (directory / "sm-test.iso").write_bytes(b"\0" * 2048)
        api.SR.scan(sr)
        assert "sm-test.iso" in [api.VDI.get_location(v) for v in api.SR.get_VDIs(sr)]

    def introduce() -> None:
        scan()
        vdi = api.VDI.introduce("", "", "", sr, "user", False, True, {}, "sm-test.iso", {}, {}, True, "0", "0", "",
                                False, "19700101T00:00:00Z", "OpaqueRef:NULL")  # fmt: skip
        assert api.VDI.get_location(vdi) == "sm-test.iso"

    def attach() -> None:
        scan()
        (vdi,) = [v for v in api.SR.get_VDIs(sr) if api.VDI.get_location(v) == "sm-test.iso"]
        attached_to_a_running_vm(api, vdi, cd=True)

    return {"SR_SCAN": scan, "SR_UPDATE": lambda: api.SR.update(sr), "VDI_INTRODUCE": introduce,
            "VDI_ATTACH": attach, "VDI_DETACH": attach}  # fmt: skip


def test_one_sm_per_supported_sr_type(api: Any) -> None:
    records = api.SM.get_all_records()
    assert sorted(r["type"] for r in records.values()) == sorted(api.SR.get_supported_types())
    for ref, record in records.items():
        assert api.SM.get_by_uuid(record["uuid"]) == ref
        assert api.SM.get_by_name_label(record["name_label"]) == [ref]
        assert record["capabilities"] == list(record["features"])  # the older list, the same names
        assert all(version == "1" for version in record["features"].values())
    # SM records are the daemon's: clients may annotate them (other_config) but not make or remove them
    ref = next(iter(records))
    api.SM.add_to_other_config(ref, "note", "kept")
    assert api.SM.get_other_config(ref) == {"note": "kept"}
    api.SM.remove_from_other_config(ref, "note")
    with pytest.raises(XenAPI.Failure) as info:
        api.SM.destroy(ref)
    assert info.value.details[0] == "MESSAGE_METHOD_UNKNOWN"


@pytest.mark.parametrize("sr_type", ["file", "iso"])
def test_every_listed_feature_works(api: Any, sr_type: str) -> None:
    (record,) = [r for r in api.SM.get_all_records().values() if r["type"] == sr_type]
    sr = sr_of_type(api, sr_type)
    checks = (file_features if sr_type == "file" else iso_features)(api, sr)
    assert set(record["features"]) <= set(checks), "a feature the test does not know how to exercise"
    for feature in record["features"]:
        checks[feature]()
