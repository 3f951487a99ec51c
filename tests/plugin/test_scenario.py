"""Scenario files: TOML and YAML say the same thing, and mistakes are named before anything is made."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import yaml

from xenia.testing.scenario import Scenario, ScenarioError, load

LAB = Path(__file__).resolve().parents[2] / "examples" / "lab.toml"


def test_yaml_and_toml_give_the_same_scenario(tmp_path: Path) -> None:
    as_yaml = tmp_path / "lab.yaml"
    as_yaml.write_text(yaml.safe_dump(tomllib.loads(LAB.read_text())))
    assert load(as_yaml) == load(LAB)


@pytest.mark.parametrize(("data", "names"), [
    ({"vm": [{"name": "a", "power_state": "Flying"}]}, "Flying"),
    ({"vm": [{"name": "a", "template": "No such"}]}, "No such"),
    ({"vm": [{"name": "a", "guest": "chatty"}]}, "chatty"),
    ({"vm": [{"name": "a", "count": 0}]}, "count"),
    ({"vm": [{"template": "Generic Linux BIOS"}]}, "needs a name"),
    ({"template": [{"name": "t", "from": "Nothing"}]}, "Nothing"),
    ({"faults": {"vm.explode": "fail"}}, "vm.explode"),
    ({"faults": {"vm.create": "sometimes"}}, "sometimes"),
    ({"host": {"memory": "lots"}}, "lots"),
    ({"hosts": [{"name": "a"}, {"name": "b"}]}, "one host"),
    ({"server": {"api_version": "two"}}, "two"),
    ({"templates": {"builtin": 9}}, "builtin"),
    ({"vms": [{"name": "a", "colour": "red"}]}, "colour"),
    ({"pool": {}}, "pool"),
])  # fmt: skip
def test_mistakes_are_named(data: dict[str, object], names: str) -> None:
    with pytest.raises(ScenarioError, match=names):
        scenario = Scenario.from_dict(data)
        scenario.validate()


def test_a_template_may_clone_a_built_in_one_that_is_then_dropped() -> None:
    scenario = Scenario.from_dict({"templates": {"builtin": 0}, "template": [{"name": "Mine", "from": "Debian Bookworm 12"}],
                                   "vm": [{"name": "v", "template": "Mine"}]})  # fmt: skip
    scenario.validate()
    assert [t.name for t in scenario.templates] == ["Mine"] and scenario.builtin_templates == 0
