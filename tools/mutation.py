"""Mutation testing of xenia's core modules with cosmic-ray, one module at a time, each time-bounded.

``make mutation`` runs this. For each core module it writes a cosmic-ray config under
``.mutation/`` (the module and the tests that are meant to catch changes to it), runs the
baseline, then every mutant until the module's time budget is spent, and prints the score: killed
mutants over the mutants that ran, less the equivalent mutants listed in :data:`EQUIVALENT` (a
mutant no client could tell apart from the original, each with its reason). Sessions are kept, so
a second run continues where a bounded one stopped (``--fresh`` starts again).

cosmic-ray rather than mutmut: it mutates the file in place, so a test that starts a real daemon
(``xenia serve`` in a subprocess, through the editable install) runs the mutant too; mutmut 3 runs
mutants from a copy that only the in-process tests import.

Usage: ``python tools/mutation.py [--seconds N] [--fresh] [module ...]`` (names from :data:`MODULES`;
none = all). The machine is shared: modules run one after another, one mutant at a time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"
PYTEST = f"{sys.executable} -m pytest -x -q -p no:cacheprovider"


@dataclass(frozen=True)
class Target:
    """A module under mutation and the tests that should notice any change to what it does."""

    module: str
    tests: tuple[str, ...]


MODULES: dict[str, Target] = {
    "http": Target("src/xenia/api/http.py", ("tests/http",)),
    "xmlrpc": Target(
        "src/xenia/api/codec/xmlrpc.py", ("tests/unit/test_codecs.py", "tests/unit/test_xmlrpc_encode.py")
    ),
    "jsonrpc": Target(
        "src/xenia/api/codec/jsonrpc.py",
        ("tests/unit/test_codecs.py", "tests/unit/test_jsonrpc_codec.py", "tests/functional/test_jsonrpc.py"),
    ),
    "dispatch": Target(
        "src/xenia/api/dispatch.py", ("tests/functional/test_errors.py", "tests/functional/test_rbac.py")
    ),
    "sessions": Target("src/xenia/api/sessions.py", ("tests/unit/test_auth.py", "tests/functional/test_sessions.py")),
    "rbac": Target("src/xenia/api/auth.py", ("tests/unit/test_auth.py", "tests/functional/test_rbac.py")),
    "events": Target("src/xenia/api/events.py", ("tests/unit/test_events.py", "tests/unit/test_events_tasks.py")),
    "tasks": Target("src/xenia/api/tasks.py", ("tests/unit/test_events_tasks.py", "tests/functional/test_tasks.py")),
    "db": Target("src/xenia/db/core.py", ("tests/unit/test_db.py", "tests/unit/test_query.py")),
    "ops": Target("src/xenia/ops/lifecycle.py", ("tests/unit/ops",)),
    "store": Target("src/xenia/store/engine.py", ("tests/store/test_model.py", "tests/store/test_scenarios.py")),
}

#: (module name, the line as the mutant has it) -> why no client can tell that mutant from the original.
EQUIVALENT: dict[tuple[str, str], str] = {
    ("jsonrpc", "@dataclass(frozen=True, slots=False)"): "slots only save memory; nothing sets attributes",
    ("jsonrpc", "@dataclass(frozen=False, slots=True)"): "nothing assigns to a JsonCall (mypy would refuse it)",
    ("jsonrpc", "bad_utf8: bool = True"): "the default is never used: parse_call, the only constructor, passes it",
}


def _mutated_line(diff: str) -> str:
    """The line a mutant changed, as the mutant has it (the ``+`` line of its one-line diff)."""
    added = [ln[1:].strip() for ln in diff.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
    return added[0] if added else ""


def config(name: str, target: Target) -> Path:
    path = WORK / f"{name}.toml"
    path.write_text(
        "[cosmic-ray]\n"
        f'module-path = "{target.module}"\n'
        "timeout = 300.0\n"
        "excluded-modules = []\n"
        f'test-command = "{PYTEST} {" ".join(target.tests)}"\n'
        '[cosmic-ray.distributor]\nname = "local"\n'
    )
    return path


def run(name: str, seconds: float, fresh: bool) -> dict[str, int]:
    target = MODULES[name]
    cfg, session = config(name, target), WORK / f"{name}.sqlite"
    if fresh or not session.exists():
        session.unlink(missing_ok=True)
        subprocess.run([sys.executable, "-m", "cosmic_ray.cli", "init", str(cfg), str(session)], cwd=ROOT, check=True)
        baseline = subprocess.run([sys.executable, "-m", "cosmic_ray.cli", "baseline", str(cfg)], cwd=ROOT)
        if baseline.returncode != 0:
            raise SystemExit(f"{name}: the tests fail on the unmutated module; fix that first")
    original = (ROOT / target.module).read_bytes()
    try:
        subprocess.run([sys.executable, "-m", "cosmic_ray.cli", "exec", str(cfg), str(session)], cwd=ROOT,
                       timeout=seconds)  # fmt: skip
    except subprocess.TimeoutExpired:
        pass  # bounded: results so far are in the session; the module is restored below
    finally:
        (ROOT / target.module).write_bytes(original)
    return score(name, session)


def score(name: str, session: Path) -> dict[str, int]:
    from cosmic_ray.work_db import WorkDB, use_db  # type: ignore[import-untyped]
    from cosmic_ray.work_item import TestOutcome  # type: ignore[import-untyped]

    counts = {"mutants": 0, "ran": 0, "killed": 0, "survived": 0, "equivalent": 0}
    with use_db(str(session), WorkDB.Mode.open) as db:
        counts["mutants"] = db.num_work_items
        for _item, result in db.completed_work_items:
            counts["ran"] += 1
            if (name, _mutated_line(result.diff or "")) in EQUIVALENT:
                counts["equivalent"] += 1
            elif result.test_outcome == TestOutcome.SURVIVED:
                counts["survived"] += 1
            else:
                counts["killed"] += 1  # killed, or incompetent (the mutant does not even import)
    return counts


def survivors(name: str) -> None:
    """Print the surviving mutants' diffs (what a new test must notice)."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome

    with use_db(str(WORK / f"{name}.sqlite"), WorkDB.Mode.open) as db:
        for item, result in db.completed_work_items:
            if (
                result.test_outcome == TestOutcome.SURVIVED
                and (name, _mutated_line(result.diff or "")) not in EQUIVALENT
            ):
                print(f"--- {name} {item.job_id}\n{result.diff}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", metavar="module", help=f"any of {', '.join(MODULES)}")
    parser.add_argument("--seconds", type=float, default=1800, help="time budget per module (default 1800)")
    parser.add_argument("--fresh", action="store_true", help="forget earlier sessions")
    parser.add_argument("--survivors", action="store_true", help="print surviving mutants instead of running")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    names = args.modules or list(MODULES)
    if unknown := set(names) - set(MODULES):
        parser.error(f"unknown modules {sorted(unknown)}")
    if args.survivors:
        for name in names:
            survivors(name)
        return
    rows = []
    for name in names:
        started = time.monotonic()
        rows.append((name, run(name, args.seconds, args.fresh), time.monotonic() - started))
    print(f"{'module':10} {'mutants':>8} {'ran':>6} {'killed':>7} {'survived':>9} {'equiv.':>7} {'score':>7}  time")
    for name, c, took in rows:
        judged = c["killed"] + c["survived"]
        pct = f"{100 * c['killed'] / judged:.1f}%" if judged else "-"
        print(f"{name:10} {c['mutants']:8} {c['ran']:6} {c['killed']:7} {c['survived']:9} {c['equivalent']:7} "
              f"{pct:>7}  {took:.0f} s")  # fmt: skip


if __name__ == "__main__":
    main()
