"""Build the C binding once per run and compile C test programs against it, as a C user does."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from xenia.testing.daemon import DaemonProcess

ROOT = Path(__file__).resolve().parents[2]
BINDING = ROOT / "bindings" / "c"
BUILD = ROOT / "build" / "c"
STRICT = ["-Wall", "-Wextra", "-Werror", "-g"]
SANITIZE = ["-fsanitize=address,undefined", "-fno-omit-frame-pointer"]


@dataclass(frozen=True)
class CBinding:
    include: Path
    lib: Path

    def compile(self, source: Path, out: Path, *, sanitize: bool, extra: list[str] | None = None) -> Path:
        """gcc with every warning an error; ASan+UBSan, or plain for valgrind."""
        cmd = ["gcc", *STRICT, *(SANITIZE if sanitize else []), f"-I{self.include}", str(source), "-o", str(out),
               f"-L{self.lib}", "-lxenserver", f"-Wl,-rpath,{self.lib}", *(extra or [])]  # fmt: skip
        subprocess.run(cmd, check=True, capture_output=True, text=True)
        return out


def build_binding(build: Path = BUILD, env: dict[str, str] | None = None, genflags: str = "") -> CBinding:
    """``make -C bindings/c`` into ``build``: generate from the datamodel, compile, link libxenserver."""
    args = ["make", "-s", "-C", str(BINDING), f"BUILD={build}", f"PYTHON={sys.executable}", "-j2"]
    if genflags:
        args.append(f"GENFLAGS={genflags}")
    subprocess.run(args, check=True, capture_output=True, text=True, env={**os.environ, **(env or {})})
    return CBinding(build / "gen" / "include", build / "lib")


@pytest.fixture(scope="session")
def cbinding() -> CBinding:
    return build_binding()


@pytest.fixture(scope="module")
def sim() -> Iterator[DaemonProcess]:
    """A daemon whose simulated guests answer quickly (shutdowns, reboots)."""
    with DaemonProcess(extra_args=["--driver-option", "guest-delay=0.05", "--shutdown-timeout", "5"]) as d:
        yield d
