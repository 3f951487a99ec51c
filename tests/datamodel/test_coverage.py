"""``docs/api-coverage.md`` is current, every message xenia does not serve has a reason, no reason is stale."""

from __future__ import annotations

import fnmatch

from xenia.datamodel import coverage


def test_the_page_is_current() -> None:
    expected = coverage.render(coverage.load_fixture())
    assert coverage.PAGE.read_text() == expected, "run: .venv/bin/python -m xenia.datamodel.coverage"


def test_every_unserved_message_has_a_reason() -> None:
    rows = coverage.coverage(coverage.load_fixture())
    missing = [f"{cls}.{m}" for cls, _, unserved in rows for m in unserved if coverage.reason(cls, m) is None]
    assert missing == []


def test_every_reason_still_explains_something() -> None:
    """A pattern that matches no unserved message is left over from a message served since."""
    unserved = [f"{cls}.{m}" for cls, _, names in coverage.coverage(coverage.load_fixture()) for m in names]
    stale = [p for p, _ in coverage.REASONS if not any(fnmatch.fnmatchcase(key, p) for key in unserved)]
    assert stale == []
