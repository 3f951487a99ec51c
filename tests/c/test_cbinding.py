"""C programs against the real daemon through xenia's libxenserver, under ASan+UBSan and valgrind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.c.conftest import BINDING, CBinding
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess, free_port

TESTS = BINDING / "tests"
VALGRIND = ["valgrind", "--leak-check=full", "--errors-for-leak-kinds=definite,indirect,possible",
            "--error-exitcode=1", "-q"]  # fmt: skip


def run(argv: list[str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout)


def binding_args(sim: DaemonProcess) -> list[str]:
    return [sim.url + "/", str(sim.socket_path), "root", ROOT_PASSWORD]


@pytest.fixture(scope="module")
def programs(cbinding: CBinding, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("cprogs")
    curl_xml = subprocess.run(["pkg-config", "--cflags", "--libs", "libcurl", "libxml-2.0"],
                              check=True, capture_output=True, text=True).stdout.split()  # fmt: skip
    return {
        "binding-asan": cbinding.compile(TESTS / "test_binding.c", out / "binding-asan", sanitize=True),
        "binding": cbinding.compile(TESTS / "test_binding.c", out / "binding", sanitize=False),
        "xapi-asan": cbinding.compile(TESTS / "xapi_style.c", out / "xapi-asan", sanitize=True, extra=curl_xml),
        "xapi": cbinding.compile(TESTS / "xapi_style.c", out / "xapi", sanitize=False, extra=curl_xml),
        "responses-asan": cbinding.compile(TESTS / "test_responses.c", out / "responses-asan", sanitize=True),
        "responses": cbinding.compile(TESTS / "test_responses.c", out / "responses", sanitize=False),
    }


def test_binding_under_sanitizers(programs: dict[str, Path], sim: DaemonProcess) -> None:
    r = run([str(programs["binding-asan"]), *binding_args(sim)])
    assert r.returncode == 0, r.stderr
    assert "all checks passed" in r.stdout


def test_xapi_sdk_program_runs_unchanged(programs: dict[str, Path], sim: DaemonProcess) -> None:
    """A program in the style of xapi's SDK samples: its own call_func, list, power-cycle a VM."""
    r = run([str(programs["xapi-asan"]), sim.url + "/", "root", ROOT_PASSWORD])
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("host ") and "API 2.21, XenSource" in lines[0]
    assert "started: Running" in lines
    assert "shut down: Halted" in lines
    assert "session api version 2.21" in lines


def test_no_leaks_under_valgrind(programs: dict[str, Path], sim: DaemonProcess) -> None:
    r = run([*VALGRIND, str(programs["binding"]), *binding_args(sim)])
    assert r.returncode == 0, r.stderr
    assert "all checks passed" in r.stdout
    r = run([*VALGRIND, str(programs["xapi"]), sim.url + "/", "root", ROOT_PASSWORD])
    assert r.returncode == 0, r.stderr


def test_bad_responses_fail_cleanly(programs: dict[str, Path]) -> None:
    """Bodies a correct server never sends, through a user's own call_func: clean errors, no leaks."""
    r = run([str(programs["responses-asan"])])
    assert r.returncode == 0, r.stderr
    assert "all checks passed" in r.stdout
    r = run([*VALGRIND, str(programs["responses"])])
    assert r.returncode == 0, r.stderr


def test_transport_fault_is_reported(programs: dict[str, Path]) -> None:
    """No daemon at the address: login fails with TRANSPORT_FAULT, and the program says so."""
    r = run([str(programs["xapi-asan"]), "http://127.0.0.1:9/", "root", "x"])
    assert r.returncode == 1
    assert "TRANSPORT_FAULT" in r.stderr


def test_install_with_pkg_config(cbinding: CBinding, sim: DaemonProcess, tmp_path: Path) -> None:
    """``make install`` puts the library, headers and xenserver.pc under PREFIX; a program built
    with ``pkg-config --cflags --libs xenserver`` finds everything there."""
    prefix = tmp_path / "prefix"
    subprocess.run(["make", "-s", "-C", str(BINDING), "install", f"PREFIX={prefix}", f"BUILD={cbinding.lib.parent}",
                    f"PYTHON={sys.executable}"], check=True, capture_output=True)  # fmt: skip
    assert (prefix / "include" / "xen" / "api" / "xen_all.h").exists()
    assert (prefix / "lib" / "libxenserver.so.1").exists()
    env = {**os.environ, "PKG_CONFIG_PATH": str(prefix / "lib" / "pkgconfig")}
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "xenserver", "libcurl", "libxml-2.0"],
                           check=True, capture_output=True, text=True, env=env).stdout.split()  # fmt: skip
    assert f"-I{prefix}/include" in flags and f"-L{prefix}/lib" in flags
    program = tmp_path / "xapi-installed"
    subprocess.run(["gcc", "-Wall", "-Wextra", "-Werror", str(TESTS / "xapi_style.c"), "-o", str(program), *flags],
                   check=True, capture_output=True)  # fmt: skip
    r = subprocess.run([str(program), sim.url + "/", "root", ROOT_PASSWORD], capture_output=True, text=True,
                       timeout=600, env={**os.environ, "LD_LIBRARY_PATH": str(prefix / "lib")})  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "shut down: Halted" in r.stdout


def test_binding_over_https(programs: dict[str, Path]) -> None:
    """Login and whole records over the daemon's HTTPS listener, verifying its generated certificate."""
    tls_port = free_port()
    with DaemonProcess(extra_args=["--tls-listen", f"127.0.0.1:{tls_port}"]) as d:
        cafile = d.state_dir / "xapi-ssl.pem"
        https = f"https://127.0.0.1:{tls_port}/"
        r = run([str(programs["binding-asan"]), *binding_args(d), https, str(cafile)])
        assert r.returncode == 0, r.stderr
        assert "all checks passed" in r.stdout
