"""``xenia serve`` gives numpy's OpenBLAS one thread (``xenia.cli.serve.one_blas_thread``).

Each check runs in a fresh interpreter: OpenBLAS reads its setting once, when numpy loads it.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

_THREADS = """
import os, sys
os.environ.pop("OPENBLAS_NUM_THREADS", None)
from xenia.cli.main import build_parser
build_parser(serve_only=True)  # what `xenia serve` imports before its handler runs
assert "numpy" not in sys.modules, "numpy loaded before serve could set its threads"
if sys.argv[1] == "serve":
    from xenia.cli.serve import one_blas_thread
    one_blas_thread()
import numpy, threadpoolctl
print(max(i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"))
"""


def _blas_threads(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", _THREADS, mode], capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_serve_gives_openblas_one_thread() -> None:
    assert _blas_threads("serve") == 1


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: OpenBLAS has one thread anyway")
def test_without_it_openblas_takes_a_thread_per_core() -> None:
    """The control: the check above can fail (on one core there is nothing to compare)."""
    assert _blas_threads("plain") > 1
