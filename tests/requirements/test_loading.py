"""Requirements from Python values, JSON and YAML, with errors naming the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadenza.errors import RequirementError
from cadenza.requirements.loading import (
    load_requirements,
    parse_requirements,
    requirements_from_value,
)
from cadenza.task import Requirement


def test_python_values_in_both_shapes() -> None:
    reqs = requirements_from_value(
        ["no commas", {"name": "len", "description": "at most 50 words", "is_mandatory": False}]
    )
    assert reqs == [Requirement("no commas"), Requirement("at most 50 words", "len", False)]
    assert requirements_from_value({"requirements": ["x"]}) == [Requirement("x")]


def test_yaml_file(tmp_path: Path) -> None:
    f = tmp_path / "r.yaml"
    f.write_text(
        "requirements:\n  - no commas\n"
        "  - name: tone\n    description: friendly tone\n    weight: 2\n"
    )
    assert load_requirements(f) == [
        Requirement("no commas"),
        Requirement("friendly tone", "tone", True, 2.0),
    ]


def test_json_syntax_error_names_line_and_column() -> None:
    with pytest.raises(RequirementError, match=r"r\.json: line 3, column \d+: invalid JSON"):
        parse_requirements('[\n "a",\n "b" "c"\n]', fmt="json", source="r.json")


def test_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(RequirementError, match=r"r\.yaml: line 3, column \d+: invalid YAML"):
        parse_requirements("- a\n- b\n- c: d: e\n", fmt="yaml", source="r.yaml")


def test_bad_item_names_its_line() -> None:
    text = "- fine\n- name: x\n  descripton: typo\n"
    with pytest.raises(RequirementError, match=r"item 2 \(line 2\).*unknown keys \['descripton'\]"):
        parse_requirements(text, fmt="yaml", source="r.yaml")
    with pytest.raises(RequirementError, match=r"item 2 \(line 3\).*empty description"):
        parse_requirements('[\n "ok",\n ""\n]', fmt="json", source="r.json")


def test_wrong_shapes_and_files(tmp_path: Path) -> None:
    with pytest.raises(RequirementError, match="expected a list"):
        requirements_from_value("just a string")
    with pytest.raises(RequirementError, match="unknown top-level keys"):
        requirements_from_value({"reqs": []})
    with pytest.raises(RequirementError, match="no such requirements file"):
        load_requirements(tmp_path / "missing.yaml")
    with pytest.raises(RequirementError, match="unknown requirements file type"):
        load_requirements(tmp_path / "r.txt")
