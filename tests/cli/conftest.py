"""Run the real ``xenia`` command against a real daemon, as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from xenia.client import Session
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess


def xenia_argv() -> list[str]:
    """The installed ``xenia`` script beside this interpreter, else ``python -m xenia.cli.main``."""
    script = Path(sys.executable).parent / "xenia"
    if script.exists():
        return [str(script)]
    found = shutil.which("xenia")
    return [found] if found else [sys.executable, "-m", "xenia.cli.main"]


@dataclass
class Result:
    rc: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


class Xe:
    """``xe("vm-list", "--minimal")``: run xenia with a clean environment pointed at the daemon."""

    def __init__(self, daemon: DaemonProcess, home: Path) -> None:
        self.daemon = daemon
        self.home = home
        self.cwd = home
        self.env = {
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "HOME": str(home),
            "XENIA_URL": daemon.url,
            "XENIA_PASSWORD": ROOT_PASSWORD,
            "LANG": "C.UTF-8",
        }

    def __call__(self, *args: str, env: dict[str, str] | None = None, drop: tuple[str, ...] = (),
                 cwd: Path | None = None, input: str | None = None) -> Result:  # fmt: skip
        full_env = {k: v for k, v in {**self.env, **(env or {})}.items() if k not in drop}
        proc = subprocess.run([*xenia_argv(), *args], env=full_env, cwd=cwd or self.cwd, capture_output=True,
                              text=True, timeout=60, input=input)  # fmt: skip
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def ok(self, *args: str, **kw: object) -> Result:
        r = self(*args, **kw)  # type: ignore[arg-type]
        assert r.rc == 0, f"xenia {' '.join(args)} -> {r.rc}\nstdout: {r.out}\nstderr: {r.err}"
        return r


@pytest.fixture(scope="module")
def xe(daemon: DaemonProcess, tmp_path_factory: pytest.TempPathFactory) -> Xe:
    return Xe(daemon, tmp_path_factory.mktemp("xeniahome"))


@pytest.fixture
def api(daemon: DaemonProcess) -> Iterator[Session]:
    """A client session for setting up and checking what the CLI did."""
    with Session(daemon.url) as s:
        s.login("root", ROOT_PASSWORD)
        yield s
