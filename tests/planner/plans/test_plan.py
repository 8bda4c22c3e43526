from __future__ import annotations

import json

import jsonschema

from cadenza.planner.plans.plan import (
    LLM_INFO,
    PlanNode,
    parse_plan,
    plan_schema,
    resolve,
    with_refs,
)
from cadenza.tools.base import ToolInfo

LOOKUP = ToolInfo(
    "lookup",
    "look up a fact",
    {
        "type": "object",
        "properties": {
            "country": {"type": "string"},
            "field": {"enum": ["population", "area"]},
            "year": {"type": "integer"},
        },
        "required": ["country", "field"],
    },
)


def test_the_schema_allows_each_tool_and_references_for_typed_arguments() -> None:
    schema = plan_schema([LOOKUP, LLM_INFO], max_steps=4)
    good = {
        "steps": [
            {
                "id": 1,
                "tool": "lookup",
                "args": {"country": "France", "field": "area"},
                "reason": "r",
            },
            {
                "id": 2,
                "tool": "lookup",
                "args": {"country": "$1", "field": "$1", "year": "$1"},
                "reason": "r",
            },
            {"id": 3, "tool": "llm", "args": {"prompt": "compare $1 and $2"}, "reason": "r"},
        ]
    }
    jsonschema.validate(good, schema)
    too_many = {"steps": good["steps"] * 2}
    bad_type = {"steps": [{**good["steps"][0], "args": {"country": "F", "field": "x"}}]}
    unknown = {"steps": [{**good["steps"][0], "tool": "delete_everything"}]}
    for wrong in (too_many, bad_type, unknown):
        assert not jsonschema.Draft202012Validator(schema).is_valid(wrong)
    assert with_refs(LOOKUP.parameters)["properties"]["country"] == {"type": "string"}


def test_plans_are_parsed_with_their_dependencies() -> None:
    text = (
        "```json\n"
        + json.dumps(
            {
                "steps": [
                    {"id": 1, "tool": "lookup", "args": {"country": "F"}, "reason": "why"},
                    {"id": "2", "tool": "llm", "args": {"prompt": "use $1 and $1, not $3"}},
                ]
            }
        )
        + "\n```"
    )
    plan, why = parse_plan(text)
    assert why == "" and plan is not None
    assert [n.id for n in plan.nodes] == [1, 2]
    assert plan.nodes[1].deps == (1, 3) and plan.nodes[0].reason == "why"
    assert parse_plan("no json here") == (None, "the answer is not a JSON object")
    assert parse_plan('{"steps": 3}')[1] == 'the JSON object has no "steps" list'
    assert "needs" in parse_plan('{"steps": [{"id": 1, "tool": 3}]}')[1]


def test_references_take_values_whole_or_as_text() -> None:
    outputs = {1: 68_000_000, 2: {"km2": 551_695}}
    args = {"a": "$1", "expr": "$1 / 2 + $9", "nested": ["$2"]}
    assert resolve(args, outputs) == {
        "a": 68_000_000,
        "expr": "68000000 / 2 + $9",
        "nested": [{"km2": 551_695}],
    }


def test_a_node_prints_as_a_call() -> None:
    node = PlanNode(1, "lookup", {"country": "France"}, "")
    assert node.call_text() == 'lookup(country="France")'
