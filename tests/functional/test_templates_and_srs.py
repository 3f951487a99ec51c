"""Built-in templates are default templates, which xapi will not destroy; SR sizes follow their VDIs.

xapi: ``is_default_template`` marks the templates it ships; ``check_template`` in
``xapi_vm_lifecycle.ml`` allows ``destroy`` on templates that are not default ones only
(VM_IS_TEMPLATE [vm, "destroy"]); a clone is never a default template.  An SR's
``virtual_allocation`` is the sum of its VDIs' virtual sizes (the field's own definition),
``physical_utilisation`` what they use, ``physical_size`` the size of the storage.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

GiB = 1 << 30


@pytest.fixture(scope="module")
def api(daemon: DaemonProcess) -> Iterator[Any]:
    session = XenAPI.Session(daemon.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "templates-srs")
    yield session.xenapi
    session.xenapi.session.logout()


def error(fn: Any, *args: Any) -> list[str]:
    with pytest.raises(XenAPI.Failure) as info:
        fn(*args)
    details: list[str] = info.value.details
    return details


def test_built_in_templates_are_default_and_stay(api: Any) -> None:
    templates = [vm for vm, r in api.VM.get_all_records().items() if r["is_a_template"] and not r["is_a_snapshot"]]
    assert templates
    for template in templates:
        assert api.VM.get_is_default_template(template) is True
        assert "destroy" not in api.VM.get_allowed_operations(template)
        assert error(api.VM.destroy, template) == ["VM_IS_TEMPLATE", template, "destroy"]
    clone = api.VM.clone(templates[0], "my own template")
    assert api.VM.get_is_default_template(clone) is False
    assert "destroy" in api.VM.get_allowed_operations(clone)
    api.VM.destroy(clone)


def test_sr_sizes_follow_the_vdis(api: Any, daemon: DaemonProcess) -> None:
    sr = api.pool.get_default_SR(api.pool.get_all()[0])
    before = api.SR.get_record(sr)
    fs = os.statvfs(api.SR.get_other_config(sr).get("path") or api.SR.get_sm_config(sr)["path"])
    assert int(before["physical_size"]) == fs.f_blocks * fs.f_frsize
    vdi = api.VDI.create({"name_label": "data", "SR": sr, "virtual_size": str(3 * GiB), "type": "user",
                          "sharable": False, "read_only": False, "other_config": {}})  # fmt: skip
    after = api.SR.get_record(sr)
    assert int(after["virtual_allocation"]) == int(before["virtual_allocation"]) + 3 * GiB
    vdis = [api.VDI.get_record(v) for v in api.SR.get_VDIs(sr)]
    assert int(after["virtual_allocation"]) == sum(int(v["virtual_size"]) for v in vdis)
    assert int(after["physical_utilisation"]) == sum(int(v["physical_utilisation"]) for v in vdis)
    api.VDI.resize(vdi, str(4 * GiB))
    assert int(api.SR.get_virtual_allocation(sr)) == int(before["virtual_allocation"]) + 4 * GiB
    api.VDI.destroy(vdi)
    assert api.SR.get_virtual_allocation(sr) == before["virtual_allocation"]
