"""``xenia serve`` gives numpy's OpenBLAS one thread (``xenia.cli.serve.one_blas_thread``).

Each check runs in a fresh interpreter: OpenBLAS reads its setting once, when numpy loads it.
"""

from __future__ import annotations

import os
import subprocess
import sys

_THREADS = """
import sys
from xenia.cli.main import build_parser
build_parser(serve_only=True)  # what `xenia serve` imports before its handler runs
assert "numpy" not in sys.modules, "numpy loaded before serve could set its threads"
from xenia.cli.serve import one_blas_thread
one_blas_thread()
import numpy, threadpoolctl
print(max(i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"))
"""


def _blas_threads(setting: str | None) -> int:
    """OpenBLAS's threads after serve's start-up, with ``OPENBLAS_NUM_THREADS`` as the caller set it."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if setting is not None:
        env["OPENBLAS_NUM_THREADS"] = setting
    done = subprocess.run([sys.executable, "-c", _THREADS], env=env, capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_serve_gives_openblas_one_thread() -> None:
    assert _blas_threads(None) == 1


def test_a_setting_of_the_caller_s_stands() -> None:
    """Also the control that the check above can see more than one thread: OpenBLAS takes the threads
    asked for, up to the cores this process may run on."""
    assert _blas_threads("2") == min(2, len(os.sched_getaffinity(0)))
