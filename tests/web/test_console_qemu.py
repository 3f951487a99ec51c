"""The web console's consoles in a real browser, on a booted QEMU guest (issue 17).

The serial console (xterm.js over ``GET /console/ws`` to the guest's serial socket): type a command,
read its output on the terminal; paste one and read its output. The screen (noVNC over the same
endpoint to QEMU's VNC server): the canvas shows something other than one flat colour, and the
Ctrl-Alt-Del button reboots the guest (the test image's init turns Ctrl-Alt-Del into a reboot). One
guest for the module.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.qemu.test_qemu_api import install, login, qemu_daemon, reap, uninstall, wait_booted
from xenia.testing.daemon import ROOT_PASSWORD
from xenia.testing.guest import build_guest_image

from .conftest import click, log_in, wait


@pytest.fixture(scope="module")
def booted() -> Iterator[dict[str, Any]]:
    d = qemu_daemon().start()
    try:
        api = login(d)
        vm = install(api, "web-guest", build_guest_image())
        api.VM.start(vm, False, False)
        try:
            wait_booted(api, vm)
            yield {"url": d.url, "api": api, "vm": vm}
        finally:
            if api.VM.get_power_state(vm) != "Halted":
                api.VM.hard_shutdown(vm)
            uninstall(api, vm)
    finally:
        d.stop()
        reap(d.state_dir)
        d.cleanup()


def open_vm(browser: WebDriver, booted: dict[str, Any], tab: str) -> None:
    log_in(browser, booted["url"], "root", ROOT_PASSWORD)
    click(browser, "#vm-list .vrow[data-name=web-guest] a.name", "the guest in the list")
    wait(browser, lambda b: b.find_element(By.ID, "vm-power").text == "Running", "the guest's page")
    click(browser, f"#tab-{tab}", f"the {tab} tab")


def terminal_text(browser: WebDriver) -> str:
    text: str = browser.execute_script(
        "const b = window.xeniaTerminal.buffer.active; const out = [];"
        "for (let i = 0; i < b.length; i++) out.push(b.getLine(i).translateToString(true));"
        "return out.join('\\n')"
    )
    return text


def test_serial_console_runs_a_command(browser: WebDriver, booted: dict[str, Any], shot: Any) -> None:
    open_vm(browser, booted, "serial")
    wait(browser, lambda b: b.find_element(By.ID, "serial-status").text == "connected", "the serial console")
    typed = browser.find_element(By.CSS_SELECTOR, "#serial-terminal .xterm-helper-textarea")
    last = [0.0]

    def answered(b: WebDriver) -> bool:
        # a line typed while the shell was busy may be lost: type it again (every few seconds) until it answers
        if "web-console-42" in terminal_text(b):
            return True
        if time.monotonic() - last[0] > 3:
            typed.send_keys("echo web-console-$((6*7))\n")
            last[0] = time.monotonic()
        return False

    wait(browser, answered, "the command's output on the terminal")
    shot("serial")


def test_text_pasted_into_the_serial_console_reaches_the_guest(browser: WebDriver, booted: dict[str, Any],
                                                                shot: Any) -> None:  # fmt: skip
    open_vm(browser, booted, "serial")
    wait(browser, lambda b: b.find_element(By.ID, "serial-status").text == "connected", "the serial console")
    # what the browser does on Ctrl-V (or its menu's Paste): a paste event on the terminal's input, carrying
    # the clipboard's text (a headless browser has no system clipboard to read from)
    paste = """
        const data = new DataTransfer();
        data.setData('text/plain', arguments[0]);
        document.querySelector('#serial-terminal .xterm-helper-textarea')
            .dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));"""
    typed = browser.find_element(By.CSS_SELECTOR, "#serial-terminal .xterm-helper-textarea")
    last = [0.0]

    def answered(b: WebDriver) -> bool:
        if "pasted-15" in terminal_text(b):  # the shell's answer, not the pasted line (which says $((3*5)))
            return True
        if time.monotonic() - last[0] > 3:
            b.execute_script(paste, "echo pasted-$((3*5))")
            typed.send_keys("\n")  # a shell in bracketed-paste mode runs a pasted line on Enter
            last[0] = time.monotonic()
        return False

    wait(browser, answered, "the pasted command's output on the terminal")
    shot("pasted")


def test_vnc_console_shows_the_screen(browser: WebDriver, booted: dict[str, Any], shot: Any) -> None:
    open_vm(browser, booted, "console")
    wait(browser, lambda b: b.find_element(By.ID, "vnc-status").text == "connected", "the VNC console")
    colours = """
        const c = document.querySelector('#vnc-screen canvas');
        if (!c || !c.width) return 0;
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const seen = new Set();
        for (let i = 0; i < px.length && seen.size < 3; i += 4 * 97) seen.add(px[i] << 16 | px[i + 1] << 8 | px[i + 2]);
        return seen.size"""
    wait(browser, lambda b: b.execute_script(colours) >= 2, "a canvas that is not one flat colour")
    shot("vnc")


def test_ctrl_alt_del_on_the_screen_reboots_the_guest(browser: WebDriver, booted: dict[str, Any], shot: Any) -> None:
    api, vm = booted["api"], booted["vm"]
    started = api.VM_metrics.get_start_time(api.VM.get_metrics(vm))
    open_vm(browser, booted, "console")
    wait(browser, lambda b: b.find_element(By.ID, "vnc-status").text == "connected", "the VNC console")
    click(browser, "#vnc-cad:enabled", "the Ctrl-Alt-Del button")
    # the guest's init reboots on Ctrl-Alt-Del; the VM's actions_after_reboot (restart) give it a new domain
    wait(browser, lambda b: api.VM_metrics.get_start_time(api.VM.get_metrics(vm)) != started, "the guest to reboot")
    assert api.VM.get_power_state(vm) == "Running"
    shot("rebooted")  # the new domain runs; its guest boots on while the next test uses its serial socket


def test_the_console_closes_when_the_vm_stops(browser: WebDriver, booted: dict[str, Any], shot: Any) -> None:
    open_vm(browser, booted, "serial")
    wait(browser, lambda b: b.find_element(By.ID, "serial-status").text == "connected", "the serial console")
    booted["api"].VM.hard_shutdown(booted["vm"])  # the console's server goes with QEMU: the WebSocket closes
    wait(browser, lambda b: b.find_element(By.ID, "serial-status").text == "disconnected", "the console to close")
    wait(browser, lambda b: b.find_element(By.ID, "vm-power").text == "Halted", "the page to show the VM halted")
    shot("closed")
