"""JSON validity and JSON Schema checks."""

from __future__ import annotations

from cadenza.requirements import spec as s
from cadenza.requirements.checks import run_check

SCHEMA = {
    "type": "object",
    "required": ["name", "tags"],
    "properties": {"name": {"type": "string"}, "tags": {"type": "array", "maxItems": 2}},
}


def test_fenced_json_is_valid() -> None:
    assert run_check(s.ValidJson(), "```JSON\n[1, 2]\n```").passed
    assert run_check(s.ValidJson(), '```\n"just a string"\n```').passed


def test_broken_json_reports_where() -> None:
    v = run_check(s.ValidJson(), '{"a": 1,, }')
    assert not v.passed and "line 1" in v.reason and v.score == 0.25


def test_prose_around_json_gets_a_precise_hint() -> None:
    v = run_check(s.ValidJson(), 'Sure! {"a": [1, 2]} Hope this helps.')
    assert not v.passed and "before" in v.reason and "after" in v.reason
    assert "delete all text before and after" in v.fix_hint


def test_schema_violations_are_listed_with_paths() -> None:
    spec = s.JsonSchema(SCHEMA)
    assert run_check(spec, '{"name": "x", "tags": []}').passed
    v = run_check(spec, '{"name": 3, "tags": [1, 2, 3]}')
    assert not v.passed and "2 schema violations" in v.reason
    assert "/name" in v.fix_hint and "/tags" in v.fix_hint
    assert 0 < v.score < 0.8
