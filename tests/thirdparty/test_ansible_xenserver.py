"""Ansible's community.general xenserver code, run on its own unit-test cases, against xenia instead of a mock.

Upstream's tests (``tests/unit/plugins/module_utils/xenserver/test_set_vm_power_state.py`` in the
collection, shipped in the ``ansible`` sdist; fetched by ``scripts/fetch-ansible-xenserver``) replace
the XenAPI SDK by ``FakeXenAPI`` and every server reply by a ``MagicMock`` return value, then assert
which mocked method was called.  Here the same collection code (``module_utils/xenserver.py``, not
a copy) talks through the official SDK to a simulated server from xenia's pytest plugin, over each
of upstream's case tables unchanged.  Instead of "the mock's method was called" each case checks
what the call did: the VM really reached the resulting state upstream expects, or was left alone
where upstream expects a refusal or check mode.  Where upstream patched ``wait_for_task`` to return
"timeout", a fault point makes the guest slow (``vm.shutdown``/``vm.reboot`` delayed past the
module's timeout) and the real ``wait_for_task`` times out.  docs/testing-with-xenia.md tells the story.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import XenAPI

from xenia.testing.pytest_plugin import XenapiServer

ANSIBLE_VERSION = "12.3.0"
THIRDPARTY = Path(os.environ.get("XENIA_THIRDPARTY_DIR", Path.home() / ".cache" / "xenia" / "thirdparty"))
PACKAGE = "ansible_collections.community.general"
UPSTREAM_TESTS = f"{PACKAGE}.tests.unit.plugins.module_utils.xenserver"

if not (THIRDPARTY / f".ansible-{ANSIBLE_VERSION}").exists():
    raise RuntimeError(f"community.general's xenserver code is not in {THIRDPARTY}: run "
                       f"`bash scripts/fetch-ansible-xenserver {ANSIBLE_VERSION} {THIRDPARTY}` (make test does)")  # fmt: skip
sys.path.insert(0, str(THIRDPARTY))
assert "FakeXenAPI" not in getattr(sys.modules.get("XenAPI"), "__name__", ""), "the real SDK must be XenAPI"
xenserver: Any = importlib.import_module(f"{PACKAGE}.plugins.module_utils.xenserver")
upstream: Any = importlib.import_module(f"{UPSTREAM_TESTS}.test_set_vm_power_state")
fake_module: Any = importlib.import_module(f"{UPSTREAM_TESTS}.FakeAnsibleModule")
common: Any = importlib.import_module(f"{UPSTREAM_TESTS}.common")
FailJsonException = fake_module.FailJsonException

pytestmark = pytest.mark.xenapi(vms=1)

#: the resulting state names set_vm_power_state returns, and the XenAPI power state each one is
XAPI_STATE = {"running": "Running", "halted": "Halted", "suspended": "Suspended", "paused": "Paused"}


@pytest.fixture
def module(xenapi_server: XenapiServer) -> Iterator[Any]:
    """Upstream's fake AnsibleModule (params and fail_json), pointed at the simulator."""
    params = {"hostname": xenapi_server.url, "username": xenapi_server.username,
              "password": xenapi_server.password, "validate_certs": True}  # fmt: skip
    fake = fake_module.FakeAnsibleModule(params)
    xenserver.XAPI._xapi_session = None  # the collection keeps one session per process
    xenserver.XAPI.connect(fake, disconnect_atexit=False)
    yield fake
    xenserver.XAPI._xapi_session = None


@pytest.fixture
def api(xenapi_session: Any) -> Any:
    return xenapi_session.xenapi


def vm_in(api: Any, state: str) -> str:
    """The pre-made VM, brought to XenAPI power state ``state``."""
    vm = api.VM.get_by_name_label("vm-1")[0]
    if state in ("Running", "Paused", "Suspended"):
        api.VM.start(vm, state == "Paused", False)
    if state == "Suspended":
        api.VM.suspend(vm)
    assert api.VM.get_power_state(vm) == state
    return str(vm)


def cases(table: dict[str, list[Any]]) -> Any:
    return pytest.mark.parametrize("case", table["params"], ids=table["ids"])


@cases(upstream.testcase_set_vm_power_state_bad_transitions)
def test_bad_transition(module: Any, api: Any, case: tuple[str, str, str]) -> None:
    desired, current, error_msg = case
    vm = vm_in(api, current)
    with pytest.raises(FailJsonException) as exc_info:
        xenserver.set_vm_power_state(module, vm, desired)
    assert exc_info.value.kwargs["msg"] == error_msg
    assert api.VM.get_power_state(vm) == current


@cases(upstream.testcase_set_vm_power_state_no_transitions)
def test_no_transition(module: Any, api: Any, case: tuple[str, str]) -> None:
    desired, current = case
    vm = vm_in(api, current)
    assert xenserver.set_vm_power_state(module, vm, desired) == (False, current.lower())
    assert api.VM.get_power_state(vm) == current


@cases(upstream.testcase_set_vm_power_state_transitions)
def test_transition(module: Any, api: Any, case: tuple[str, str, str, str]) -> None:
    desired, current, resulting, _method = case
    vm = vm_in(api, current)
    assert xenserver.set_vm_power_state(module, vm, desired, timeout=0) == (True, resulting)
    assert api.VM.get_power_state(vm) == XAPI_STATE[resulting]


@cases(upstream.testcase_set_vm_power_state_transitions)
def test_transition_in_check_mode_changes_nothing(module: Any, api: Any, case: tuple[str, str, str, str]) -> None:
    desired, current, resulting, _method = case
    vm = vm_in(api, current)
    module.check_mode = True
    assert xenserver.set_vm_power_state(module, vm, desired, timeout=0) == (True, resulting)
    assert api.VM.get_power_state(vm) == current


@cases(upstream.testcase_set_vm_power_state_transitions_async)
def test_transition_async(module: Any, api: Any, case: tuple[str, str, str, str]) -> None:
    desired, current, resulting, _method = case
    vm = vm_in(api, current)
    # upstream passes timeout=1 to a wait_for_task it patched to succeed; the real one polls every 2 s, so
    # with 1 s it gives up after its first poll, which comes before any real guest has acted: 4 s here
    assert xenserver.set_vm_power_state(module, vm, desired, timeout=4) == (True, resulting)
    assert api.VM.get_power_state(vm) == XAPI_STATE[resulting]


@cases(upstream.testcase_set_vm_power_state_task_timeout)
def test_task_timeout(module: Any, api: Any, xenapi_server: XenapiServer, case: tuple[str, str]) -> None:
    power_state, error_msg = case
    vm = vm_in(api, "Running")
    xenapi_server.set_fault("vm.shutdown" if power_state == "shutdownguest" else "vm.reboot", "delay:5")
    with pytest.raises(FailJsonException) as exc_info:
        xenserver.set_vm_power_state(module, vm, power_state, timeout=1)
    assert exc_info.value.kwargs["msg"] == error_msg


@pytest.mark.parametrize("vm_ref", common.testcase_bad_xenapi_refs["params"], ids=common.testcase_bad_xenapi_refs["ids"])
def test_bad_vm_ref(module: Any, vm_ref: str | None) -> None:
    with pytest.raises(FailJsonException) as exc_info:
        xenserver.set_vm_power_state(module, vm_ref, None)
    assert exc_info.value.kwargs["msg"] == "Cannot set VM power state. Invalid VM reference supplied!"


def test_bad_power_state(module: Any, api: Any) -> None:
    vm = vm_in(api, "Running")
    with pytest.raises(FailJsonException) as exc_info:
        xenserver.set_vm_power_state(module, vm, "bad")
    assert exc_info.value.kwargs["msg"] == "Requested VM power state 'bad' is unsupported!"
    assert api.VM.get_power_state(vm) == "Running"


def test_xenapi_failure_is_reported(module: Any, api: Any) -> None:
    """Upstream's mock raised a made-up Failure; a real one: the VM is gone (xapi: HANDLE_INVALID)."""
    vm = vm_in(api, "Halted")
    api.VM.destroy(vm)
    with pytest.raises(FailJsonException) as exc_info:
        xenserver.set_vm_power_state(module, vm, "poweredon")
    assert exc_info.value.kwargs["msg"] == f"XAPI ERROR: {['HANDLE_INVALID', 'VM', vm]}"


def test_login_failure_is_reported(xenapi_server: XenapiServer) -> None:
    """Upstream's test_xapi_connect_login_failure, with a wrong password instead of a mocked login."""
    params = {"hostname": xenapi_server.url, "username": "root", "password": "wrong", "validate_certs": True}
    fake = fake_module.FakeAnsibleModule(params)
    xenserver.XAPI._xapi_session = None
    with pytest.raises(FailJsonException) as exc_info:
        xenserver.XAPI.connect(fake, disconnect_atexit=False)
    xenserver.XAPI._xapi_session = None
    failure = XenAPI.Failure(["SESSION_AUTHENTICATION_FAILED", "root", "Authentication failure"])
    expected = f"Unable to log on to XenServer at {xenapi_server.url} as root: {failure}"
    assert exc_info.value.kwargs["msg"] == expected
