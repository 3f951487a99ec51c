"""get_all_records_where's expression language."""

from __future__ import annotations

import pytest

from xenia.datamodel.errors import ApiError
from xenia.db.query import compile_where

FIELDS = {"name_label", "power_state", "is_a_template", "VCPUs_max"}
REC = {"name_label": "web", "power_state": "Halted", "is_a_template": False, "VCPUs_max": 2}


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ('field "name__label" = "web"', True),
        ('field "name_label" = "db"', False),
        ('name_label="web"', True),
        ('field "is_a_template" = "false" and field "VCPUs_max" = "2"', True),
        ('field "power_state" = "Running" or field "power_state" = "Halted"', True),
        ('not (field "power_state" = "Halted")', False),
        ('field "power_state" != "Halted"', False),
        ("true", True),
        ("false", False),
        ("", True),
    ],
)
def test_expressions(expr: str, expected: bool) -> None:
    assert compile_where(expr, FIELDS)(REC) is expected


@pytest.mark.parametrize("expr", ['field "nope" = "x"', 'field "name_label" =', "(true", 'name_label "x"', "@"])
def test_malformed_expressions_are_invalid_value(expr: str) -> None:
    with pytest.raises(ApiError) as info:
        compile_where(expr, FIELDS)
    assert info.value.code == "INVALID_VALUE"
