"""The pytest plugin as a tool's test suite meets it: pytest runs in a child process, finds the plugin by
its ``pytest11`` entry point (nothing is imported or configured by hand), and reports per test.

Results are read from pytest's JUnit XML report, not from its console text.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "sample-project"


def run_pytest(project: Path, *args: str) -> tuple[dict[str, str], str]:
    """Run pytest on ``project``; returns each test's outcome by name, and the console output."""
    report = project / "report.xml"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(project / "pyproject.toml"), "--rootdir", str(project),
         "-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:asyncio", "-q", f"--junitxml={report}", *args],
        cwd=project, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    outcomes: dict[str, str] = {}
    if report.exists():
        for case in ET.parse(report).getroot().iter("testcase"):
            kids = {child.tag for child in case}
            outcome = next((k for k in ("failure", "error", "skipped") if k in kids), "passed")
            outcomes[case.attrib["name"]] = outcome
        report.unlink()
    return outcomes, proc.stdout + proc.stderr


def test_the_sample_project_passes_with_only_the_plugins_fixtures() -> None:
    outcomes, output = run_pytest(SAMPLE)
    tests = [line for line in (SAMPLE / "tests" / "test_vmctl.py").read_text().splitlines() if line.startswith("def test_")]
    assert len(outcomes) == len(tests), output
    assert set(outcomes.values()) == {"passed"}, output


def write_project(root: Path, ini: str, tests: str, extra: dict[str, str] | None = None) -> Path:
    root.mkdir()
    (root / "pyproject.toml").write_text(f"[tool.pytest.ini_options]\n{ini}\n")
    (root / "test_it.py").write_text(textwrap.dedent(tests))
    for name, text in (extra or {}).items():
        (root / name).write_text(textwrap.dedent(text))
    return root


def test_session_scope_shares_one_state_built_from_the_ini_scenario(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "shared",
        'xenapi_scope = "session"\nxenapi_scenario = "lab.toml"',
        """
        def test_first(xenapi_session):
            api = xenapi_session.xenapi
            assert api.VM.get_power_state(api.VM.get_by_name_label("box")[0]) == "Running"
            api.VM.set_name_label(api.VM.get_by_name_label("box")[0], "renamed")

        def test_second_sees_the_first_ones_change(xenapi_session):
            assert xenapi_session.xenapi.VM.get_by_name_label("renamed")
        """,
        {"lab.toml": '[[vm]]\nname = "box"\npower_state = "Running"\n'},
    )
    outcomes, output = run_pytest(project)
    assert outcomes == {"test_first": "passed", "test_second_sees_the_first_ones_change": "passed"}, output
    # a test that asks for its own state cannot have it when one state serves all: refused, not ignored
    (project / "test_marked.py").write_text("import pytest\n\n@pytest.mark.xenapi(vms=2)\n"
                                            "def test_marked(xenapi_server):\n    pass\n")  # fmt: skip
    outcomes, output = run_pytest(project)
    assert outcomes == {} and "xenapi markers need function scope" in output, output


def test_fixture_parameters_markers_and_runtime_faults(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "params",
        "",
        """
        import pytest
        import XenAPI

        @pytest.mark.parametrize("xenapi_server", [{"vms": 1}, {"vms": 2, "power_state": "Paused"}], indirect=True)
        def test_param(xenapi_server, xenapi_session):
            api = xenapi_session.xenapi
            vms = [v for v in api.VM.get_all() if not api.VM.get_is_a_template(v) and not api.VM.get_is_control_domain(v)]
            assert len(vms) in (1, 2)
            assert {api.VM.get_power_state(v) for v in vms} == ({"Halted"} if len(vms) == 1 else {"Paused"})

        @pytest.mark.xenapi(vms=1, power_state="Running")
        def test_fault_armed_during_the_test(xenapi_server, xenapi_session):
            api = xenapi_session.xenapi
            vm = api.VM.get_by_name_label("vm-1")[0]
            xenapi_server.set_fault("vm.pause", "fail")
            with pytest.raises(XenAPI.Failure) as err:
                api.VM.pause(vm)
            assert err.value.details[0] == "INTERNAL_ERROR"
            assert api.VM.get_power_state(vm) == "Running"

        @pytest.mark.xenapi(vms=1, power_state="Running")
        def test_the_next_test_has_no_fault_left(xenapi_session):
            api = xenapi_session.xenapi
            api.VM.pause(api.VM.get_by_name_label("vm-1")[0])

        @pytest.mark.xenapi(nonsense=1)
        def test_unknown_marker_key_is_an_error(xenapi_server):
            pass
        """,
    )
    outcomes, output = run_pytest(project)
    assert outcomes == {
        "test_param[xenapi_server0]": "passed",
        "test_param[xenapi_server1]": "passed",
        "test_fault_armed_during_the_test": "passed",
        "test_the_next_test_has_no_fault_left": "passed",
        "test_unknown_marker_key_is_an_error": "error",
    }, output
    assert "unknown keys ['nonsense']" in output
