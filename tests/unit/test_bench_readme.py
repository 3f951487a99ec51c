"""The README figure check (bench/_readme.py): it must catch a figure its command no longer prints."""

from __future__ import annotations

import shlex

from tests.unit.bench_module import ROOT, load_bench

readme = load_bench("_readme")

DOC = """
Some prose with 12 numbers that are not quoted.

<!-- bench: python bench/events.py --quick -->
```text
        1 |         1.06     2.10 |             51.30    53.00 |  48.4x
throughput 1,614 changes/s
```
"""


def test_quotes_are_found_with_their_command() -> None:
    (q,) = readme.quotes(DOC)
    assert q.command == "python bench/events.py --quick"
    assert len(q.lines) == 2


def test_a_figure_within_twice_passes_and_beyond_fails() -> None:
    quoted = "throughput 1,614 changes/s"
    assert readme.compare(quoted, ["throughput 3,000 changes/s"], 2.0) is None
    assert readme.compare(quoted, ["throughput 900 changes/s"], 2.0) is None
    moved = readme.compare(quoted, ["throughput 3,300 changes/s"], 2.0)
    assert moved is not None and "1614 -> 3300" in moved
    assert readme.compare(quoted, ["throughput 700 changes/s"], 2.0) is not None


def test_every_number_of_a_line_is_compared() -> None:
    quoted = "        1 |         1.06     2.10 |             51.30    53.00 |  48.4x"
    today = "        1 |         1.50     2.00 |             52.00    90.00 |  34.7x"
    assert readme.compare(quoted, [today], 2.0) is None
    today_bad = "        1 |         4.50     2.00 |             52.00    90.00 |  11.6x"
    assert readme.compare(quoted, [today_bad], 2.0) is not None


def test_a_line_no_longer_printed_fails() -> None:
    assert readme.compare("throughput 1,614 changes/s", ["throughput: 1,614 events/s"], 2.0) is not None


def test_every_readme_quote_names_a_benchmark_of_the_project() -> None:
    found = readme.quotes((ROOT / "README.md").read_text())
    assert found, "the README quotes no benchmark output"
    for q in found:
        assert q.lines, f"line {q.line_number}: a bench marker with no quoted output"
        scripts = [w for w in shlex.split(q.command) if w.startswith("bench/") and w.endswith(".py")]
        assert scripts and all((ROOT / s).exists() for s in scripts), q.command
        assert any(readme.numbers(line) for line in q.lines), f"line {q.line_number}: a quote without figures"


def test_a_load_average_is_the_machine_state_not_a_figure() -> None:
    quoted = "suite: 63.4 ms per test; load average 0.3 on 2 cores"
    assert readme.compare(quoted, ["suite: 70.1 ms per test; load average 1.2 on 2 cores"], 2.0) is None
    assert readme.compare(quoted, ["suite: 170.1 ms per test; load average 0.3 on 2 cores"], 2.0) is not None
