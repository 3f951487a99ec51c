"""A real browser for the web console's tests: Debian's Chromium, headless, driven by Selenium.

Screenshots of each page go to ``$XENIA_ARTIFACTS/web`` (default ``build/artifacts/web``), not committed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("XENIA_ARTIFACTS", ROOT / "build" / "artifacts")) / "web"
#: how long the page may take to show what a test waits for (a loaded machine; the bench measures speed)
PATIENCE = 30.0


def chromium() -> WebDriver:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--disable-gpu", "--no-first-run"):  # fmt: skip
        options.add_argument(arg)
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(options=options, service=service)


@pytest.fixture(scope="session")
def browser() -> Iterator[WebDriver]:
    """One Chromium for every module (each test logs in afresh, so nothing carries over but the process)."""
    driver = chromium()
    try:
        yield driver
    finally:
        driver.quit()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed browser test leaves a screenshot of what the page showed (``<test>-failed.png``)."""
    report: pytest.TestReport = yield
    browser = getattr(item, "funcargs", {}).get("browser")
    if report.when == "call" and report.failed and browser is not None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / f"{item.name}-failed.png"))
    return report


@pytest.fixture
def shot(browser: WebDriver, request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Save a screenshot of the page as ``<test>-<what>.png``."""

    def save(what: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / f"{request.node.name}-{what}.png"))

    return save


def wait(browser: WebDriver, condition: Callable[[WebDriver], object], what: str) -> object:
    live = (NoSuchElementException, StaleElementReferenceException)  # the page re-renders as events come
    return WebDriverWait(browser, PATIENCE, 0.1, live).until(condition, f"waiting for {what}")


def click(browser: WebDriver, css: str, what: str) -> None:
    """Click what ``css`` finds once it is there; live pages re-render, so a stale element is looked up again."""

    def clicked(b: WebDriver) -> bool:
        try:
            b.find_element(By.CSS_SELECTOR, css).click()
        except (NoSuchElementException, StaleElementReferenceException):
            return False
        return True

    wait(browser, clicked, what)


def log_in(browser: WebDriver, url: str, user: str, password: str) -> None:
    """Open the console and log in through its form, as a person does."""
    browser.get(url + "/")
    browser.execute_script("sessionStorage.clear()")
    browser.get(url + "/")
    wait(browser, lambda b: b.find_element(By.ID, "username"), "the login form")
    field = browser.find_element(By.ID, "username")
    field.clear()
    field.send_keys(user)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.ID, "login").click()
    wait(browser, lambda b: b.find_elements(By.ID, "logout"), "the console after logging in")
