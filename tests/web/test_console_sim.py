"""The web console in a real browser against ``xenia sim --scenario examples/lab.toml`` (issue 17).

What a person does: open the daemon's ``/``, log in, see the lab's VMs, filter them, start one and
watch its state change without reloading, look at the host's CPU graph, see a running VM's
configuration drift, migrate a VM to another xenia host, log out; a read-only user sees no action
and the server refuses the call when the page is bypassed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import XenAPI
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess, free_port

from .conftest import click, log_in, wait

LAB = Path(__file__).resolve().parents[2] / "examples" / "lab.toml"
LAB_VMS = {"web-1", "web-2", "db", "legacy", "batch"}  # examples/lab.toml


@pytest.fixture(scope="module")
def lab() -> Iterator[dict[str, Any]]:
    sim = subprocess.Popen([sys.executable, "-m", "xenia.cli.main", "sim", "--scenario", str(LAB),
                            "--listen", "127.0.0.1:0", "--json"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           text=True, env={**os.environ, "XENIA_ROOT_PASSWORD": "web-lab-pw"})  # fmt: skip
    try:
        assert sim.stdout is not None
        info = json.loads(sim.stdout.readline())
        session = XenAPI.Session(info["url"])
        session.xenapi.login_with_password(info["username"], info["password"], "2.0", "web-tests")
        session.xenapi.xenia.user_add("reader", "reader-pw", "read-only")
        info["api"] = session.xenapi
        yield info
        session.xenapi.session.logout()
    finally:
        sim.send_signal(signal.SIGTERM)
        sim.wait(30)


def rows(browser: WebDriver) -> dict[str, str]:
    """The VM list as shown: name -> power state."""
    shown = browser.execute_script(
        "return [...document.querySelectorAll('#vm-list .vrow')].map(r => [r.dataset.name, r.querySelector('.power').textContent])"
    )
    return dict(shown)


def test_log_in_and_see_the_lab_vms_filtered(browser: WebDriver, lab: dict[str, Any], shot: Any) -> None:
    log_in(browser, lab["url"], lab["username"], lab["password"])
    wait(browser, lambda b: LAB_VMS <= set(rows(b)), "the lab's VMs in the list")
    shown = rows(browser)
    api = lab["api"]
    for vm in api.VM.get_all_records().values():
        if vm["name_label"] in LAB_VMS:
            assert shown[vm["name_label"]] == vm["power_state"]
    assert not any(name.startswith("Control domain") for name in shown)  # the list is of guests
    shot("vm-list")
    browser.find_element(By.ID, "search").send_keys("db")
    wait(browser, lambda b: set(rows(b)) == {"db"}, "the search to leave db alone")
    browser.find_element(By.ID, "search").clear()
    browser.find_element(By.CSS_SELECTOR, "#power-filter option[value=Running]").click()
    running = {vm["name_label"] for vm in api.VM.get_all_records().values()
               if vm["name_label"] in LAB_VMS and vm["power_state"] == "Running"}  # fmt: skip
    wait(browser, lambda b: set(rows(b)) == running, "the power-state filter")
    browser.find_element(By.CSS_SELECTOR, "#power-filter option[value='']").click()


def test_a_wrong_password_is_told_in_words(browser: WebDriver, lab: dict[str, Any], shot: Any) -> None:
    browser.get(lab["url"] + "/")
    browser.execute_script("sessionStorage.clear()")
    browser.get(lab["url"] + "/")
    wait(browser, lambda b: b.find_element(By.ID, "password"), "the login form")
    browser.find_element(By.ID, "password").send_keys("not-the-password")
    browser.find_element(By.ID, "login").click()
    wait(browser, lambda b: b.find_element(By.ID, "login-error").text, "the login's answer")
    assert browser.find_element(By.ID, "login-error").text == \
        "The user name or password is wrong. (SESSION_AUTHENTICATION_FAILED)"  # fmt: skip
    assert browser.find_elements(By.ID, "logout") == []
    shot("wrong-password")


def test_start_a_vm_and_see_it_run_without_reloading(browser: WebDriver, lab: dict[str, Any], shot: Any) -> None:
    log_in(browser, lab["url"], lab["username"], lab["password"])
    wait(browser, lambda b: rows(b).get("db") == "Halted", "db, halted")
    # events about what a row does not show, or about another VM, leave the row alone: a focused button in it
    # keeps the focus (the metrics tick's VM_metrics events come every few seconds too)
    api = lab["api"]
    ((web1,), (db,)) = (api.VM.get_by_name_label(name) for name in ("web-1", "db"))
    browser.execute_script("document.querySelector('#vm-list .vrow[data-name=\"web-1\"] button').focus()")
    api.VM.add_to_other_config(web1, "seen-by", "web-test")
    api.VM.set_name_description(db, "seen by the web test")
    wait(browser, lambda b: b.execute_script("const s = window.xenia.store; return s.get('vm', arguments[0]).other_config['seen-by']"
                                             " && s.get('vm', arguments[1]).name_description", web1, db), "the events in the page")  # fmt: skip
    assert browser.execute_script("return document.activeElement.closest('.vrow')?.dataset.name") == "web-1"
    api.VM.remove_from_other_config(web1, "seen-by")
    api.VM.set_name_description(db, "")
    browser.execute_script("window.notReloaded = true")
    click(browser, "#vm-list .vrow[data-name=db] button.act-start", "db's start button")
    wait(browser, lambda b: rows(b).get("db") == "Running", "db to show as running")
    assert browser.execute_script("return window.notReloaded") is True
    (vm,) = lab["api"].VM.get_by_name_label("db")
    assert lab["api"].VM.get_power_state(vm) == "Running"
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#tasks .task.done"), "the task to show as done")
    shot("started")
    # the VM's page: its record and disks, live too
    click(browser, "#vm-list .vrow[data-name=db] a.name", "db's name")
    wait(browser, lambda b: b.find_element(By.ID, "vm-power").text == "Running", "db's page")
    browser.find_element(By.ID, "tab-disks").click()
    shot("vm-disks")
    click(browser, "button.act-hard_shutdown", "the force shutdown button")
    wait(browser, lambda b: b.find_element(By.ID, "vm-power").text == "Halted", "db's page to show it halted")
    shot("vm-page")


def test_a_refused_action_is_told_in_words_with_its_code(browser: WebDriver, lab: dict[str, Any], shot: Any) -> None:
    log_in(browser, lab["url"], lab["username"], lab["password"])
    wait(browser, lambda b: "batch" in rows(b), "the list")
    # a task that fails: starting a running VM is xapi's VM_BAD_POWER_STATE (vm, expected, actual); the list
    # offers no such button, so the call goes through the page's task runner as its buttons' do
    (vm,) = lab["api"].VM.get_by_name_label("web-1")
    browser.execute_script("window.xenia.tasks.run('Start web-1 again', 'VM.start', arguments[0], false, false)"
                           ".catch(() => {})", vm)  # fmt: skip
    failed = wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#tasks .task.failed"), "the failure")
    assert isinstance(failed, list)
    assert failed[0].find_element(By.CSS_SELECTOR, "code").text == "VM_BAD_POWER_STATE"
    assert failed[0].find_element(By.CSS_SELECTOR, ".words").text == "The VM is running; this needs it halted."
    shot("refused")


def test_a_running_task_shows_progress_and_can_be_cancelled(browser: WebDriver, lab: dict[str, Any], shot: Any) -> None:
    log_in(browser, lab["url"], lab["username"], lab["password"])
    wait(browser, lambda b: rows(b).get("web-2") == "Running", "web-2, running")
    # the lab's suspend writes its image slowly (examples/lab.toml: vm.suspend.write = delay:2)
    browser.execute_script("location.hash = '#/vm/' + encodeURIComponent(arguments[0])",
                           lab["api"].VM.get_by_name_label("web-2")[0])  # fmt: skip
    click(browser, "button.act-suspend", "the suspend button")
    wait(browser, lambda b: b.find_element(By.CSS_SELECTOR, "#tasks .task[data-status=pending] progress"), "the task's bar")
    shot("pending")
    click(browser, "#tasks .task[data-status=pending] button.cancel:enabled", "the cancel button")
    failed = wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#tasks .task.failed"), "the cancelled task")
    assert isinstance(failed, list)
    assert failed[0].find_element(By.CSS_SELECTOR, "code").text == "TASK_CANCELLED"
    assert failed[0].find_element(By.CSS_SELECTOR, ".words").text == "The task was cancelled."
    (vm,) = lab["api"].VM.get_by_name_label("web-2")
    assert lab["api"].VM.get_power_state(vm) == "Running"  # rolled back, as xapi's cancelled suspend
    wait(browser, lambda b: b.find_element(By.ID, "vm-power").text == "Running", "web-2 still running on its page")
    shot("cancelled")


def test_a_new_vm_from_a_template(browser: WebDriver, lab: dict[str, Any], shot: Any) -> None:
    log_in(browser, lab["url"], lab["username"], lab["password"])
    click(browser, "#new-vm", "the new VM button")
    api = lab["api"]
    (template,) = api.VM.get_by_name_label("Web server")  # examples/lab.toml's
    (network,) = [n for n in api.network.get_all() if api.network.get_bridge(n) and not api.network.get_VIFs(n)][:1] or \
        api.network.get_all()[:1]  # fmt: skip
    browser.find_element(By.CSS_SELECTOR, f"#new-template option[value='{template}']").click()
    browser.find_element(By.ID, "new-name").send_keys("made-in-browser")
    memory = browser.find_element(By.ID, "new-memory")
    memory.clear()
    memory.send_keys("512")
    disk = browser.find_element(By.ID, "new-disk")
    disk.clear()
    disk.send_keys("3")
    browser.find_element(By.CSS_SELECTOR, f"#new-network option[value='{network}']").click()
    shot("form")
    browser.find_element(By.ID, "new-create").click()
    wait(browser, lambda b: b.find_element(By.ID, "vm-name").text.startswith("made-in-browser"), "the new VM's page")
    wait(browser, lambda b: b.find_element(By.ID, "vm-power").text == "Running", "the new VM running")
    (vm,) = api.VM.get_by_name_label("made-in-browser")
    rec = api.VM.get_record(vm)
    assert rec["is_a_template"] is False and rec["power_state"] == "Running"
    assert rec["memory_static_max"] == str(512 * 1024 * 1024) and rec["VCPUs_at_startup"] == "2"  # the template's 2
    assert network in [api.VIF.get_network(v) for v in rec["VIFs"]]
    disks = [b for b in rec["VBDs"] if api.VBD.get_type(b) == "Disk"]  # provisioned from the template's disks
    assert [api.VDI.get_virtual_size(api.VBD.get_VDI(b)) for b in disks] == [str(3 * 1024**3)]
    shot("made")


def answer_prompt(browser: WebDriver, text: str | None) -> None:
    """Type into the page's prompt (None: accept a confirmation)."""
    alert = wait(browser, lambda b: b.switch_to.alert, "the page's question")
    assert alert is not None
    dialog = browser.switch_to.alert
    if text is not None:
        dialog.send_keys(text)
    dialog.accept()


def test_snapshot_clone_and_destroy(browser: WebDriver, lab: dict[str, Any], shot: Any) -> None:
    api = lab["api"]
    log_in(browser, lab["url"], lab["username"], lab["password"])
    (web1,) = api.VM.get_by_name_label("web-1")
    browser.execute_script("location.hash = '#/vm/' + encodeURIComponent(arguments[0])", web1)
    click(browser, "button.act-snapshot", "the snapshot button")
    answer_prompt(browser, "before-upgrade")
    click(browser, "#tab-snapshots", "the snapshots tab")
    wait(browser, lambda b: "before-upgrade" in b.find_element(By.ID, "tab-body").text, "the snapshot listed")
    assert [api.VM.get_name_label(s) for s in api.VM.get_snapshots(web1)] == ["before-upgrade"]
    shot("snapshots")
    (db,) = api.VM.get_by_name_label("db")
    if api.VM.get_power_state(db) != "Halted":
        api.VM.hard_shutdown(db)
    browser.execute_script("location.hash = '#/vm/' + encodeURIComponent(arguments[0])", db)
    click(browser, "button.act-clone", "the clone button")
    answer_prompt(browser, "db-clone")
    click(browser, "#nav-vms", "the VM list")
    wait(browser, lambda b: "db-clone" in rows(b), "the clone in the list")
    click(browser, "#vm-list .vrow[data-name=db-clone] a.name", "the clone's name")
    click(browser, "button.act-destroy", "the destroy button")
    answer_prompt(browser, None)
    wait(browser, lambda b: "db-clone" not in rows(b) and "db" in rows(b), "the list without the clone")
    assert api.VM.get_by_name_label("db-clone") == []


def archive_is(step: str) -> Callable[[WebDriver], bool]:
    return lambda b: b.find_element(By.ID, "graphs").get_attribute("data-step") == step


def test_the_host_cpu_graph_has_data(browser: WebDriver, lab: dict[str, Any], shot: Any) -> None:
    log_in(browser, lab["url"], lab["username"], lab["password"])
    browser.find_element(By.ID, "nav-host").click()
    wait(browser, lambda b: b.find_element(By.ID, "host-name").text == "lab-host", "the host's page")
    wait(browser, lambda b: int(b.find_element(By.ID, "graph-cpu").get_attribute("data-points") or 0) >= 2,
         "points on the CPU graph")  # fmt: skip
    shot("host")
    # longer ranges come from the coarser archives (xapi's: 5 s x 120, 1 min x 120, 1 h x 168, 1 day x 366)
    assert browser.find_element(By.ID, "graphs").get_attribute("data-step") == "5"
    for seconds, step in (("7200", "60"), ("86400", "3600"), ("31536000", "86400")):
        browser.find_element(By.CSS_SELECTOR, f"#graph-range option[value='{seconds}']").click()
        wait(browser, archive_is(step), f"the {step} s archive")


def test_a_read_only_user_cannot_act(browser: WebDriver, lab: dict[str, Any], shot: Any) -> None:
    log_in(browser, lab["url"], "reader", "reader-pw")
    wait(browser, lambda b: LAB_VMS <= set(rows(b)), "the lab's VMs in the list")
    assert "read-only" in browser.find_element(By.ID, "user").text
    assert browser.find_elements(By.CSS_SELECTOR, "button.act") == []
    click(browser, "#vm-list .vrow[data-name=db] a.name", "db's name")
    wait(browser, lambda b: b.find_element(By.ID, "vm-name"), "db's page")
    assert browser.find_elements(By.CSS_SELECTOR, "button.act") == []
    shot("read-only")
    # the page hides the buttons; the server refuses the call anyway
    (vm,) = lab["api"].VM.get_by_name_label("db")
    code = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "window.xenia.session.call('VM.start', arguments[0], false, false).then(() => done('started'), (e) => done(e.code))",
        vm,
    )
    assert code == "RBAC_PERMISSION_DENIED"
    assert lab["api"].VM.get_power_state(vm) == "Halted"
    # a running VM: no Migrate, and its configuration report readable (xenia.vm_drift is read-only) with no form
    (web1,) = lab["api"].VM.get_by_name_label("web-1")
    browser.execute_script("location.hash = '#/vm/' + encodeURIComponent(arguments[0])", web1)
    wait(browser, lambda b: b.find_element(By.ID, "vm-power").text == "Running", "web-1's page")
    click(browser, "#tab-configuration", "the configuration tab")
    wait(browser, lambda b: b.find_element(By.ID, "drift-reboot").text, "the configuration report")
    assert browser.find_element(By.ID, "drift-status").text != "loading…"
    assert "error" not in (browser.find_element(By.ID, "drift-status").get_attribute("class") or "")
    assert browser.find_elements(By.CSS_SELECTOR, "button.act") == [] and browser.find_elements(By.ID, "drift-form") == []
    browser.find_element(By.ID, "logout").click()
    wait(browser, lambda b: b.find_elements(By.ID, "login"), "the login form after logging out")


MiB = 1 << 20


def running_vm(api: Any, name: str) -> str:
    """A running VM of the lab's web template, made as any client makes one (its disk provisioned)."""
    (template,) = api.VM.get_by_name_label("Web server")
    vm: str = api.VM.clone(template, name)
    api.VM.provision(vm)
    api.VM.start(vm, False, False)
    return vm


def open_vm(browser: WebDriver, lab: dict[str, Any], vm: str) -> None:
    log_in(browser, lab["url"], lab["username"], lab["password"])
    browser.execute_script("location.hash = '#/vm/' + encodeURIComponent(arguments[0])", vm)
    wait(browser, lambda b: b.find_element(By.ID, "vm-power").text == "Running", "the VM's page")


def drift_state(browser: WebDriver, field: str) -> str | None:
    found = browser.find_elements(By.CSS_SELECTOR, f"#drift-fields tr[data-field={field}]")
    return found[0].get_attribute("data-state") if found else None


def test_a_static_memory_change_on_a_running_vm_shows_pending_reboot(browser: WebDriver, lab: dict[str, Any],
                                                                      shot: Any) -> None:  # fmt: skip
    api = lab["api"]
    vm = running_vm(api, "drifter")
    open_vm(browser, lab, vm)
    click(browser, "#tab-configuration", "the configuration tab")
    wait(browser, lambda b: b.find_element(By.ID, "drift-status").text == "The running domain is as configured.",
         "a domain in step with its configuration")  # fmt: skip
    assert browser.find_element(By.ID, "drift-reboot").get_attribute("data-requires-reboot") == "false"
    assert browser.find_elements(By.ID, "vm-requires-reboot") == []
    # the next boot gets 512 MiB more: xapi's own setters refuse a static change while running; xenia.vm_set
    # with the persistent scope records it for the next boot (docs/liveconfig.md)
    before = int(api.VM.get_memory_static_max(vm))
    after = before + 512 * MiB
    browser.find_element(By.CSS_SELECTOR, "#drift-field option[value=memory_static_max]").click()
    amount = browser.find_element(By.ID, "drift-value")
    amount.clear()
    amount.send_keys(str(after // MiB))
    browser.find_element(By.CSS_SELECTOR, "#drift-scope option[value=persistent]").click()
    browser.find_element(By.ID, "drift-apply").click()
    wait(browser, lambda b: drift_state(b, "memory_static_max") == "pending_reboot", "the change pending reboot")
    assert browser.find_element(By.ID, "drift-answer").text == "configuration: changed, running domain: pending reboot"
    wait(browser, lambda b: b.find_elements(By.ID, "vm-requires-reboot"), "the page to say a reboot is needed")
    assert api.VM.get_memory_static_max(vm) == str(after) and api.VM.get_requires_reboot(vm) is True
    drift = api.xenia.vm_drift(vm)["memory_static_max"]
    assert (drift["persistent"], drift["live"], drift["state"]) == (str(after), str(before), "pending_reboot")
    shot("pending-reboot")
    # another client's change reaches the page through events, no click
    vcpus = int(api.VM.get_VCPUs_max(vm)) + 2
    api.xenia.vm_set(vm, "VCPUs_max", str(vcpus), "persistent")
    wait(browser, lambda b: drift_state(b, "VCPUs_max") == "pending_reboot", "another client's change")
    row = browser.find_element(By.CSS_SELECTOR, "#drift-fields tr[data-field=VCPUs_max]")
    assert [td.text for td in row.find_elements(By.TAG_NAME, "td")][:2] == [str(vcpus), str(vcpus - 2)]
    # a new domain takes the configuration: nothing pending, no reboot needed
    click(browser, "button.act-hard_reboot", "the force reboot button")
    wait(browser, lambda b: b.find_element(By.ID, "drift-status").text == "The running domain is as configured.",
         "the rebooted domain in step")  # fmt: skip
    wait(browser, lambda b: not b.find_elements(By.ID, "vm-requires-reboot"), "the reboot badge gone")
    assert api.VM.get_requires_reboot(vm) is False and api.xenia.vm_drift(vm) == {}
    shot("rebooted")


@pytest.fixture(scope="module")
def other_host() -> Iterator[DaemonProcess]:
    """A second xenia host (its own simulator) to migrate to."""
    with DaemonProcess(extra_args=["--driver-option", "guest-delay=0.05"]) as d:
        yield d


def test_migrate_a_vm_to_another_xenia_host(browser: WebDriver, lab: dict[str, Any], other_host: DaemonProcess,
                                            shot: Any) -> None:  # fmt: skip
    api = lab["api"]
    vm = running_vm(api, "traveller")
    uuid = api.VM.get_uuid(vm)
    dest = XenAPI.Session(other_host.url)
    dest.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "web-tests")
    there = dest.xenapi
    open_vm(browser, lab, vm)

    def connect() -> None:
        click(browser, "button.act-migrate", "the migrate button")
        wait(browser, lambda b: b.find_element(By.ID, "migrate-pool-none"), "the form (a host alone: no pool member)")
        for field, text in (("migrate-url", other_host.url), ("migrate-password", ROOT_PASSWORD)):
            browser.find_element(By.ID, field).clear()
            browser.find_element(By.ID, field).send_keys(text)
        browser.find_element(By.ID, "migrate-connect").click()
        wait(browser, lambda b: b.find_element(By.ID, "migrate-send"), "the destination's choices")

    # no host there, then a wrong password: each told in words, and nothing moves
    click(browser, "button.act-migrate", "the migrate button")
    browser.find_element(By.ID, "migrate-url").send_keys(f"127.0.0.1:{free_port()}")  # the page's scheme is added
    browser.find_element(By.ID, "migrate-connect").click()
    wait(browser, lambda b: "cannot be reached from this browser" in b.find_element(By.ID, "migrate-status").text,
         "the unreachable host told")  # fmt: skip
    browser.find_element(By.ID, "migrate-url").clear()
    browser.find_element(By.ID, "migrate-url").send_keys(other_host.url)
    browser.find_element(By.ID, "migrate-password").send_keys("wrong")
    browser.find_element(By.ID, "migrate-connect").click()
    wait(browser, lambda b: b.find_element(By.ID, "migrate-status").text ==
         "The user name or password is wrong. (SESSION_AUTHENTICATION_FAILED)", "the refusal")  # fmt: skip
    assert browser.find_elements(By.ID, "migrate-send") == []
    # slowly (1 MiB/s through xenia's bandwidth option): the task's progress moves, and cancel stops it
    connect()
    assert browser.find_element(By.CSS_SELECTOR, "#migrate-sr option:checked").get_attribute("value") == \
        there.pool.get_default_SR(there.pool.get_all()[0])  # fmt: skip
    browser.find_element(By.ID, "migrate-bandwidth").send_keys("1")
    browser.find_element(By.ID, "migrate-send").click()
    moving = "#tasks .task[data-status=pending]"
    wait(browser, lambda b: float(b.find_element(By.CSS_SELECTOR, f"{moving} progress").get_attribute("value") or 0) > 0,
         "the migration's progress")  # fmt: skip
    shot("migrating")
    click(browser, f"{moving} button.cancel:enabled", "the cancel button")
    failed = wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#tasks .task.failed"), "the cancelled migration")
    assert isinstance(failed, list)
    assert failed[0].find_element(By.CSS_SELECTOR, "code").text == "TASK_CANCELLED"
    assert api.VM.get_power_state(vm) == "Running"
    with pytest.raises(XenAPI.Failure):
        there.VM.get_by_uuid(uuid)
    # at full speed: the VM leaves this host for the other, with its disk
    connect()
    browser.find_element(By.ID, "migrate-send").click()
    wait(browser, lambda b: b.find_element(By.ID, "vm-moved"), "the page to say where the VM went")
    arrived = there.VM.get_by_uuid(uuid)
    assert there.VM.get_power_state(arrived) == "Running"
    assert [there.VBD.get_type(b) for b in there.VM.get_VBDs(arrived)].count("Disk") == 1
    with pytest.raises(XenAPI.Failure) as gone:
        api.VM.get_by_uuid(uuid)
    assert gone.value.details[0] == "UUID_INVALID"
    link = browser.find_element(By.CSS_SELECTOR, "#vm-moved a").get_attribute("href")
    assert link == f"{other_host.url}/#/vm/{arrived.replace(':', '%3A')}"
    shot("migrated")
    there.VM.hard_shutdown(arrived)
    dest.xenapi.session.logout()
