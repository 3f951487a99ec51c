"""Check that the README's performance figures are what their benchmarks print today.

The README quotes each benchmark as a marker naming the command, followed by a
fenced block of lines that command printed::

    <!-- bench: .venv/bin/python bench/events.py --quick -->
    ```text
            1 |         1.06     2.10 |             51.30    53.00 |  48.4x
    ```

``check`` runs every command once and, for each quoted line, finds the line
of today's output with the same words (numbers aside) and compares the numbers
one by one.  A number more than ``--factor`` (2 by default) away from the
quoted one fails the check: the README would be telling a reader something its
own command no longer prints.  Why a quotation and not a table of named
figures: a quoted line carries its labels and units with it, so the reader
sees exactly what the command printed, and the check needs no list of figure
names that could drift from the benchmarks.

    .venv/bin/python bench/_readme.py check README.md [--factor 2] [--only NAME] [--save DIR]
    .venv/bin/python bench/_readme.py list README.md
"""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MARKER = re.compile(r"<!--\s*bench:\s*(?P<command>.+?)\s*-->")
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


@dataclass
class Quote:
    """One benchmark command and the lines of its output the README quotes."""

    command: str
    lines: list[str]
    line_number: int


def quotes(readme: str) -> list[Quote]:
    """Every ``<!-- bench: ... -->`` marker with the fenced block that follows it."""
    found: list[Quote] = []
    lines = readme.splitlines()
    i = 0
    while i < len(lines):
        m = MARKER.search(lines[i])
        if m is None:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        k = j + 1
        while k < len(lines) and not lines[k].startswith("```"):
            k += 1
        block = [line for line in lines[j + 1 : k] if line.strip()]
        found.append(Quote(m.group("command"), block, i + 1))
        i = k + 1
    return found


#: a load average printed beside a figure: the machine's state at the time, not a figure to reproduce
LOAD = re.compile(r"(load average:?)\s+\d+(?:\.\d+)?(?:\s*\(\d+ min\))?")


def skeleton(line: str) -> str:
    """The line's words with every number replaced by ``#`` and runs of spaces collapsed."""
    return " ".join(NUMBER.sub("#", LOAD.sub(r"\1", line)).split())


def numbers(line: str) -> list[float]:
    return [float(n.replace(",", "")) for n in NUMBER.findall(LOAD.sub(r"\1", line))]


def compare(quoted: str, output: list[str], factor: float) -> str | None:
    """Why ``quoted`` does not match today's ``output`` within ``factor``, or None when it does."""
    want = skeleton(quoted)
    same = [line for line in output if skeleton(line) == want]
    if not same:
        return f"no line like {quoted.strip()!r} in today's output"
    old = numbers(quoted)
    best: str | None = None
    for line in same:
        new = numbers(line)
        bad = [(a, b) for a, b in zip(old, new, strict=True) if not within(a, b, factor)]
        if not bad:
            return None
        best = f"{quoted.strip()!r} now reads {line.strip()!r}: " + ", ".join(f"{a:g} -> {b:g}" for a, b in bad)
    return best


def within(old: float, new: float, factor: float) -> bool:
    """Whether two figures are within ``factor`` of each other (zeros and signs compared exactly)."""
    if old == new:
        return True
    if old <= 0 or new <= 0:
        return abs(old - new) < 1e-9
    return 1 / factor <= new / old <= factor


def run(command: str) -> list[str]:
    done = subprocess.run(shlex.split(command), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{command} exited with {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout.splitlines()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("what", choices=["check", "list"])
    p.add_argument("readme", type=Path)
    p.add_argument("--factor", type=float, default=2.0, help="how far a figure may move (default 2x)")
    p.add_argument("--only", default=None, help="check only commands containing this text")
    p.add_argument("--save", type=Path, default=None, help="also write each command's output into this directory")
    args = p.parse_args(argv)
    found = quotes(args.readme.read_text())
    if args.what == "list":
        for q in found:
            print(f"line {q.line_number}: {q.command} ({len(q.lines)} quoted lines)")
        return 0
    failures = 0
    for q in found:
        if args.only and args.only not in q.command:
            continue
        print(f"$ {q.command}", flush=True)
        output = run(q.command)
        if args.save is not None:  # to requote a block from the very run that was checked
            args.save.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9]+", "_", q.command.split("bench/", 1)[-1]).strip("_")
            (args.save / f"{name}.txt").write_text("\n".join(output) + "\n")
        for line in q.lines:
            why = compare(line, output, args.factor)
            if why is not None:
                failures += 1
                print(f"  MOVED: {why}")
        print(f"  {len(q.lines)} quoted lines checked", flush=True)
    print("README figures reproduce" if not failures else f"{failures} README figures do not reproduce")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
