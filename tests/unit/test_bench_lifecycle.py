"""bench/lifecycle.py's summary: one level (no ratio to print) and several (ratios, growth per VM)."""

from __future__ import annotations

import pytest

from tests.unit.bench_module import load_bench

lifecycle = load_bench("lifecycle")

MiB = 2**20


def row(
    level: int, start_ms: float, rate: float, cpu: float = 0.01, faults: float = 20.0, wait: float = 0.1
) -> dict[str, object]:
    calls = [start_ms / 1e3] * 3
    return {
        "level": level,
        "populate": 1.0,
        "batch": level,
        "start": calls,
        "hard": calls,
        "clean": calls,
        "rate": rate,
        "cpu": cpu,
        "faults": faults,
        "burst": 500,
        "wait": wait,
        "busy": cpu * rate,
        "timed_cpu": cpu / 2,
        "timed_wait": wait / 100,
        "rates": [rate] * 4,
    }


def test_a_single_level_prints_its_row_and_the_growth_from_no_vm(capsys: pytest.CaptureFixture[str]) -> None:
    lifecycle.summarize([row(10, 2.0, 30.0)], {0: 100 * MiB, 10: 110 * MiB})
    out = capsys.readouterr().out
    assert "flatness" not in out  # one level: nothing to compare it with
    assert "daemon RSS growth per running VM: 1024.0 KiB (100 MB at 0, 110 MB at 10)" in out


def test_two_levels_print_the_ratios_of_the_last_to_the_first(capsys: pytest.CaptureFixture[str]) -> None:
    lifecycle.summarize(
        [row(10, 2.0, 30.0, 0.008, 12.4, 0.05), row(1000, 3.0, 24.0, 0.012, 87.6, 0.375)],
        {0: 90 * MiB, 10: 100 * MiB, 1000: 199 * MiB},
    )
    out = capsys.readouterr().out
    assert "flatness VM.start: median at 1000 / at 10 = 1.50" in out
    assert "flatness starts/s: at 1000 / at 10 = 0.80" in out
    assert "daemon CPU per start while starting: 8.0 ms at 10, 12.0 ms at 1000 (1.50x)" in out
    assert "daemon minor page faults per start while starting: 12 at 10, 88 at 1000" in out
    assert "daemon CPU / wait for a CPU per start: 4.0 / 0.5 ms at 10, 6.0 / 3.8 ms at 1000" in out
    assert "share of the window on a CPU / waiting for one: 24% / 5% at 10, 29% / 38% at 1000" in out
    assert "500 fresh VMs started by the clients at once, 4 rounds, on a settled daemon" in out
    assert "daemon RSS growth per running VM: 102.4 KiB (100 MB at 10, 199 MB at 1000)" in out
