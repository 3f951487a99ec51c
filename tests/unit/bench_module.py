"""A bench/ script imported as a module, for the unit tests of the benchmarks' own helpers.

bench/ is a folder of scripts, not a package, so its helpers are loaded by path.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def load_bench(name: str) -> ModuleType:
    """``bench/<name>.py`` as the module ``bench<name>`` (``_common`` -> ``bench_common``)."""
    spec = importlib.util.spec_from_file_location(f"bench{name}", ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
