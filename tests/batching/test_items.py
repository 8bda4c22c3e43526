"""Reading a batch's tasks: defaults, ids, and every kind of bad line, each reported
with its number while the good lines stay usable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cadenza.api import strategies
from cadenza.batching.items import Defaults, parse_items, read_lines
from cadenza.errors import UnknownModelError, UserError
from cadenza.task import Budget, Requirement

DEFAULTS = Defaults(
    models=("scripted:echo",),
    strategy="tree",
    requirements=(Requirement("at most 50 words"),),
    budget=Budget.of("low"),
    options={"speculate": False},
)


def check_model(model_id: str) -> None:
    if not model_id.startswith("scripted:"):
        raise UnknownModelError(f"Unknown provider in {model_id!r}.")


def parse(*values: Any) -> tuple[list[Any], list[Any]]:
    entries = [(number, value) for number, value in enumerate(values, start=1)]
    return parse_items(entries, DEFAULTS, strategies(), check_model)


def test_a_line_takes_the_defaults_for_what_it_does_not_say() -> None:
    items, errors = parse(
        {"input": "Describe the lamp."},
        {
            "id": "sku-2",
            "input": {"instruction": "Describe it.", "context": "A brass lamp."},
            "requirements": ["no commas"],
            "budget": {"calls": 3},
            "models": "scripted:other",
            "strategy": "single",
            "options": {"max_tokens": 40},
        },
        {"id": 3, "input": "Tell me about lamps.", "requirements": None},
    )
    assert errors == []
    first, second, third = items
    assert (first.id, first.line, first.key) == (1, 1, "1")  # the line number is the id
    assert first.requirements == DEFAULTS.requirements
    assert (first.models, first.strategy, first.budget) == (
        ("scripted:echo",),
        "tree",
        DEFAULTS.budget,
    )
    assert first.options == {"speculate": False}
    assert second.key == '"sku-2"'
    assert second.task.prompt() == "A brass lamp.\n\nDescribe it."
    assert second.requirements == (Requirement("no commas"),)
    assert second.budget.calls == 3
    assert (second.models, second.strategy) == (("scripted:other",), "single")
    assert second.options == {"speculate": False, "max_tokens": 40}
    assert third.requirements is None  # null: read them from the task


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"id": 1}, "no 'input'"),
        ({"input": ""}, "The task is empty"),
        ({"input": 5}, "'input' must be a string"),
        ({"input": "x", "requirments": []}, "unknown field(s) requirments"),
        ({"input": "x", "id": 1.5}, "'id' must be a string or an integer"),
        ({"input": "x", "id": True}, "'id' must be a string or an integer"),
        ({"input": "x", "models": ["nope:x"]}, "Unknown provider"),
        ({"input": "x", "models": []}, "'models' must be a model id"),
        ({"input": "x", "strategy": "magic"}, "unknown strategy 'magic'"),
        ({"input": "x", "budget": "enormous"}, "Unknown budget 'enormous'"),
        ({"input": "x", "requirements": [""]}, "empty description"),
        ({"input": "x", "options": 3}, "'options' must be an object"),
        ({"input": "x", "tools": [{"name": "search"}]}, "'tools' are not supported"),
        (["input", "x"], "expected a JSON object"),
    ],
)
def test_a_bad_line_is_reported_with_its_number_and_skipped(value: Any, message: str) -> None:
    items, errors = parse({"id": "ok", "input": "fine"}, value, {"input": "also fine"})
    assert [item.line for item in items] == [1, 3]
    assert len(errors) == 1
    assert errors[0].line == 2
    assert message in errors[0].message
    assert str(errors[0]).startswith("line 2: ")


def test_a_repeated_id_is_an_error_on_the_later_line() -> None:
    items, errors = parse({"id": "a", "input": "one"}, {"input": "two"}, {"id": "a", "input": "3"})
    assert [item.line for item in items] == [1, 2]
    assert [(e.line, e.message) for e in errors] == [
        (3, 'id "a" is already used on line 1: give every line its own id.')
    ]
    _, errors = parse({"id": 2, "input": "one"}, {"input": "two"})  # line 2's id is 2 too
    assert [e.line for e in errors] == [2]
    items, errors = parse({"id": 1, "input": "one"}, {"id": "1", "input": "two"})
    assert errors == [] and [i.key for i in items] == ["1", '"1"']  # 1 and "1" differ


def test_lines_are_read_with_their_numbers(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    lines = [json.dumps({"input": "a"}), "", "{not json", json.dumps({"input": "b"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    entries = read_lines(path)
    assert [number for number, _ in entries] == [1, 3, 4]  # blank lines are no tasks
    items, errors = parse_items(entries, DEFAULTS, strategies(), check_model)
    assert [i.line for i in items] == [1, 4]
    assert [e.line for e in errors] == [3]
    assert "not valid JSON" in errors[0].message
    with pytest.raises(UserError, match="does not exist"):
        read_lines(tmp_path / "missing.jsonl")


def test_a_line_model_is_checked_once() -> None:
    seen: list[str] = []

    def counting(model_id: str) -> None:
        seen.append(model_id)

    entries = [(n, {"input": "x", "models": ["scripted:a"]}) for n in range(1, 5)]
    parse_items(entries, DEFAULTS, strategies(), counting)
    assert seen == ["scripted:a"]
