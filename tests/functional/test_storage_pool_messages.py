"""SR and VDI management and the pool-of-one pool messages, through the official SDK.

xapi: ``SR.create`` with an unknown type answers SR_UNKNOWN_DRIVER [type]; an SR with a plugged
PBD cannot be forgotten or destroyed; ``forget`` keeps the data, ``destroy`` removes it.
On a pool of one, ``designate_new_master`` of the master, ``sync_database`` and
``recover_slaves`` have nothing to do; a host on Linux bridges refuses vswitch settings.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

GiB = 1 << 30
NULL = "OpaqueRef:NULL"


@pytest.fixture(scope="module")
def api(daemon: DaemonProcess) -> Iterator[Any]:
    session = XenAPI.Session(daemon.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "storage-pool")
    yield session.xenapi
    session.xenapi.session.logout()


def error(fn: Any, *args: Any) -> list[str]:
    with pytest.raises(XenAPI.Failure) as info:
        fn(*args)
    details: list[str] = info.value.details
    return details


def new_vdi(api: Any, sr: str, name: str) -> str:
    ref: str = api.VDI.create({"name_label": name, "SR": sr, "virtual_size": str(GiB), "type": "user",
                               "sharable": False, "read_only": False, "other_config": {}})  # fmt: skip
    return ref


def test_a_second_sr_is_made_used_forgotten_and_destroyed(api: Any, daemon: DaemonProcess, tmp_path: Path) -> None:
    host = api.host.get_all()[0]
    assert set(api.SR.get_supported_types()) == {"file", "iso"}
    assert error(api.SR.create, host, {"location": str(tmp_path)}, "0", "x", "", "lvm", "", False, {}) == [
        "SR_UNKNOWN_DRIVER", "lvm"]  # fmt: skip
    location = tmp_path / "fast"
    sr = api.SR.create(host, {"location": str(location)}, "0", "fast", "second SR", "file", "user", False, {})
    assert location.is_dir()
    assert api.SR.get_type(sr) == "file" and api.SR.get_name_label(sr) == "fast"
    pbd = api.SR.get_PBDs(sr)[0]
    assert api.PBD.get_currently_attached(pbd) is True and api.PBD.get_host(pbd) == host
    vdi = new_vdi(api, sr, "on the second SR")
    assert api.SR.get_virtual_allocation(sr) == str(GiB)
    copy = api.VDI.copy(vdi, api.pool.get_default_SR(api.pool.get_all()[0]), NULL, NULL)
    assert api.VDI.get_virtual_size(copy) == str(GiB) and api.VDI.get_SR(copy) != sr
    api.VDI.destroy(copy)
    assert error(api.SR.forget, sr) == ["SR_HAS_PBD", sr]
    api.PBD.unplug(pbd)
    location_of_vdi = api.VDI.get_location(vdi)
    api.SR.forget(sr)
    assert api.SR.get_by_name_label("fast") == [] and vdi not in api.VDI.get_all()
    assert (location / location_of_vdi).exists()  # forget keeps the data

    # the SR comes back with its data: introduce, a PBD, plug, and the VDI introduced again
    again = api.SR.introduce("", "fast again", "", "file", "user", False, {"path": str(location)})
    taken = api.SR.get_uuid(again)  # xapi's db keeps uuids unique: a second SR with it is refused
    assert error(api.SR.introduce, taken, "twin", "", "file", "user", False, {}) == ["SR_UUID_EXISTS", taken]
    pbd = api.PBD.create({"host": host, "SR": again, "device_config": {"location": str(location)}, "other_config": {}})
    api.PBD.plug(pbd)
    back = api.VDI.introduce("", "back", "", again, "user", False, False, {}, location_of_vdi, {}, {}, True,
                             "0", "0", NULL, False, "19700101T00:00:00Z", NULL)  # fmt: skip
    assert api.VDI.get_virtual_size(back) == str(GiB)
    api.VDI.update(back)
    api.SR.update(again)
    assert api.SR.get_virtual_allocation(again) == str(GiB)
    api.PBD.unplug(pbd)
    api.SR.destroy(again)
    assert not (location / location_of_vdi).exists()  # destroy removes it
    assert again not in api.SR.get_all() and back not in api.VDI.get_all()


def test_vdi_forget_keeps_the_image(api: Any) -> None:
    sr = api.pool.get_default_SR(api.pool.get_all()[0])
    vdi = new_vdi(api, sr, "to forget")
    location = api.VDI.get_location(vdi)
    api.VDI.forget(vdi)
    assert vdi not in api.VDI.get_all()
    again = api.VDI.introduce("", "remembered", "", sr, "user", False, False, {}, location, {}, {}, True,
                              "0", "0", NULL, False, "19700101T00:00:00Z", NULL)  # fmt: skip
    assert api.VDI.get_virtual_size(again) == str(GiB)
    api.VDI.destroy(again)
    assert error(api.VDI.introduce, "", "gone", "", sr, "user", False, False, {}, location, {}, {}, True,
                 "0", "0", NULL, False, "19700101T00:00:00Z", NULL) == ["VDI_MISSING", sr, location]  # fmt: skip


def test_pool_of_one(api: Any) -> None:
    pool = api.pool.get_all()[0]
    host = api.host.get_all()[0]
    assert api.pool.get_master(pool) == host
    api.pool.designate_new_master(host)
    assert api.pool.get_master(pool) == host
    api.pool.sync_database()
    assert api.pool.recover_slaves() == []
    assert api.pool.has_extension(pool, "Test.test_extension") is False
    assert error(api.pool.set_igmp_snooping_enabled, pool, True) == ["OPENVSWITCH_NOT_ACTIVE"]
    assert error(api.pool.set_vswitch_controller, "192.0.2.1") == [
        "OPERATION_NOT_ALLOWED", "host not configured for vswitch operation"]  # fmt: skip


@pytest.mark.parametrize("call, args", [
    ("enable_cbt", ()), ("disable_cbt", ()), ("data_destroy", ()), ("list_changed_blocks", (NULL,)),
    ("set_on_boot", ("reset",)), ("resize_online", (str(2 * GiB),)),
])  # fmt: skip
def test_features_xenias_srs_lack_answer_as_xapi(api: Any, call: str, args: tuple[str, ...]) -> None:
    """xapi's ``check_sm_feature_error``: SR_OPERATION_NOT_SUPPORTED [sr] when the SR's SM lacks the feature."""
    sr = api.pool.get_default_SR(api.pool.get_all()[0])
    vdi = new_vdi(api, sr, call)
    try:
        assert error(getattr(api.VDI, call), vdi, *args) == ["SR_OPERATION_NOT_SUPPORTED", sr]
        assert api.VDI.get_on_boot(vdi) == "persist" and api.VDI.get_cbt_enabled(vdi) is False
    finally:
        api.VDI.destroy(vdi)


def test_guest_agent_config_is_checked_and_published(api: Any, daemon: DaemonProcess) -> None:
    """xapi: only ``auto_update_enabled`` (true/false) and ``auto_update_url`` (http/https) are valid,
    else INVALID_VALUE ["guest_agent_config", "<key> = <value>"]; xenopsd publishes them under
    /guest_agent_features for the guests' agents."""
    pool = api.pool.get_all()[0]
    assert error(api.pool.add_to_guest_agent_config, pool, "colour", "blue") == [
        "INVALID_VALUE", "guest_agent_config", "colour = blue"]  # fmt: skip
    assert error(api.pool.add_to_guest_agent_config, pool, "auto_update_url", "ftp://x") == [
        "INVALID_VALUE", "guest_agent_config", "auto_update_url = ftp://x"]  # fmt: skip
    api.pool.add_to_guest_agent_config(pool, "auto_update_enabled", "true")
    api.pool.add_to_guest_agent_config(pool, "auto_update_url", "https://updates.example/agent")
    assert api.pool.get_guest_agent_config(pool) == {"auto_update_enabled": "true",
                                                     "auto_update_url": "https://updates.example/agent"}  # fmt: skip
    env = {**os.environ, "XENSTORED_PATH": str(daemon.state_dir / "xenstored.sock")}

    def read(path: str) -> str:
        return subprocess.run(["xenstore-read", path], env=env, capture_output=True, text=True, timeout=30,
                              check=True).stdout.strip()  # fmt: skip

    base = "/guest_agent_features/Guest_agent_auto_update/parameters"
    assert read(f"{base}/enabled") == "1"
    assert read(f"{base}/update_url") == "https://updates.example/agent"
    api.pool.remove_from_guest_agent_config(pool, "auto_update_url")
    api.pool.remove_from_guest_agent_config(pool, "auto_update_enabled")
    assert api.pool.get_guest_agent_config(pool) == {}
    gone = subprocess.run(["xenstore-read", f"{base}/enabled"], env=env, capture_output=True, timeout=30)
    assert gone.returncode != 0
