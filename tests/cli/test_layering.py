"""The CLI and the client stand apart from the daemon: they reach it only over the wire (style.md §3)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import xenia

SRC = Path(xenia.__file__).parent
FORBIDDEN = ("xenia.api", "xenia.db", "xenia.datamodel", "xenia.drivers", "xenia.daemon", "xenia.firstboot")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_client_and_cli_import_no_daemon_code() -> None:
    files = [*(SRC / "client").glob("*.py"), *(SRC / "cli").glob("*.py")]
    assert len(files) > 10
    for path in files:
        # `xenia serve` runs the daemon itself; `xenia migrate-receive` is the small receiving daemon
        # of seed 003, running a driver without the API (both import daemon code only when run)
        if path.name in ("serve.py", "migrate.py"):
            continue
        bad = {m for m in imported_modules(path) if m.startswith(FORBIDDEN)}
        assert not bad, f"{path.name} imports {bad}"


def test_running_a_command_loads_no_daemon_code() -> None:
    code = ("import sys; from xenia.cli.main import build_parser; build_parser();"
            "print(sorted(m for m in sys.modules if m.startswith(" + repr(FORBIDDEN) + ")))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_serve_builds_only_its_own_command() -> None:
    """``xenia serve`` (the daemon's start-up) does not import the other commands' modules."""
    code = ("import sys; from xenia.cli.main import build_parser; p = build_parser(serve_only=True);"
            "a = p.parse_args(['serve', '--state-dir', 'x']); print(a.command, str(a.state_dir),"
            " sorted(m for m in sys.modules if m in ('xenia.cli.vm', 'xenia.cli.objects', 'xenia.store.cli')))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "serve x []"
