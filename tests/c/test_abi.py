"""The records' reserved space keeps libxenserver's ABI when a later datamodel adds a field.

Two builds of the library, today's datamodel and one with a field added to VM in the middle of
its declarations, compared by libabigail's ``abidiff``: with the reserve, no type changes size
and no field moves; without it (the contrast, as libxenserver lays records out) the same change
is a size change and moved offsets.  abidiff's exit status is a bit mask: 4 means "the ABI
changed" (functions were added), 8 "incompatibly".
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.c.conftest import ROOT, CBinding, build_binding

LATER_MODEL = '''
"""A later datamodel: VM gains a field, declared among the existing ones."""
import dataclasses

from xenia.datamodel import MODEL as CURRENT
from xenia.datamodel.meta import RW

vm = CURRENT.classes["VM"]
fields = list(vm.fields)
fields.insert(5, RW("console_banner", "string", "", doc="added by a later datamodel"))
MODEL = dataclasses.replace(
    CURRENT,
    classes={**CURRENT.classes, "VM": dataclasses.replace(vm, fields=tuple(fields), by_name={})},
    derived={},
)
'''

ABI_INCOMPATIBLE = 8
TOOL_ERROR = 1 | 2


def abidiff(old: CBinding, new: CBinding) -> tuple[int, str]:
    r = subprocess.run(
        ["abidiff", "--headers-dir1", str(old.include), "--headers-dir2", str(new.include),
         str(old.lib / "libxenserver.so.1"), str(new.lib / "libxenserver.so.1")],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    return r.returncode, r.stdout + r.stderr


@pytest.fixture(scope="module")
def later_model(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    d = tmp_path_factory.mktemp("model")
    (d / "later_model.py").write_text(LATER_MODEL)
    return {"PYTHONPATH": f"{d}:{ROOT / 'src'}"}


def test_adding_a_field_keeps_the_abi(cbinding: CBinding, later_model: dict[str, str], tmp_path: Path) -> None:
    old = cbinding  # today's datamodel, as the other C tests use it
    new = build_binding(tmp_path / "new", env=later_model, genflags="--model later_model:MODEL")
    assert "char *console_banner;" in (new.include / "xen" / "api" / "xen_vm.h").read_text()
    code, report = abidiff(old, new)
    assert code & TOOL_ERROR == 0, report
    assert code & ABI_INCOMPATIBLE == 0, report
    assert "xen_vm_get_console_banner" in report  # abidiff saw the new datamodel
    assert "0 Removed" in report
    assert "size changed" not in report, report
    assert "offset changed" not in report, report


def test_without_the_reserve_the_same_change_breaks_it(later_model: dict[str, str], tmp_path: Path) -> None:
    quick = {"CFLAGS": "-O0 -g"}  # two more builds; types are the same at any optimisation level
    old = build_binding(tmp_path / "old", env=quick, genflags="--no-reserve")
    new = build_binding(
        tmp_path / "new", env={**later_model, **quick}, genflags="--no-reserve --model later_model:MODEL"
    )
    code, report = abidiff(old, new)
    assert code & TOOL_ERROR == 0, report
    assert "type size changed" in report
    assert "'xen_vm_power_state power_state' offset changed" in report
