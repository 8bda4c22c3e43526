"""Reading IFEval files: every bad row is named, nothing is skipped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cadenza.bench.ifeval import DataError, load_responses, load_rows, select_rows
from cadenza.errors import UserError

GOOD = {
    "key": 1,
    "prompt": "Write a poem without commas.",
    "instruction_id_list": ["punctuation:no_comma"],
    "kwargs": [{}],
}


def write_rows(tmp_path: Path, *rows: Any) -> Path:
    path = tmp_path / "input_data.jsonl"
    lines = [row if isinstance(row, str) else json.dumps(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_loads_the_real_data(ifeval_dir: Path) -> None:
    rows = load_rows(ifeval_dir)
    assert len(rows) == 541
    assert rows[0].key == 1000
    assert rows[0].instruction_ids[0] == "punctuation:no_comma"
    assert len({row.prompt for row in rows}) == 541


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", "not valid JSON"),
        ({**GOOD, "key": "one"}, "'key' must be an integer"),
        ({k: v for k, v in GOOD.items() if k != "prompt"}, "missing prompt"),
        ({**GOOD, "kwargs": []}, "'kwargs' has 0 entries for 1 instructions"),
        ({**GOOD, "instruction_id_list": ["made:up"]}, "unknown instruction id 'made:up'"),
        (
            {
                **GOOD,
                "instruction_id_list": ["length_constraints:number_words"],
                "kwargs": [{"num_words": 10, "relation": "about"}],
            },
            "'relation' must be one of less than, at least",
        ),
        (
            {
                **GOOD,
                "instruction_id_list": ["keywords:letter_frequency"],
                "kwargs": [{"letter": "ab", "let_frequency": 1, "let_relation": "at least"}],
            },
            "'letter' must be one character",
        ),
        ({**GOOD, "kwargs": [{"colour": "red"}]}, "does not take colour"),
        (
            {**GOOD, "instruction_id_list": ["keywords:existence"], "kwargs": [{}]},
            "needs 'keywords'",
        ),
    ],
)
def test_a_bad_row_is_named(tmp_path: Path, bad: Any, message: str) -> None:
    path = write_rows(tmp_path, GOOD | {"key": 0, "prompt": "first"}, bad)
    with pytest.raises(DataError) as caught:
        load_rows(path)
    text = str(caught.value)
    assert f"{path}, line 2:" in text
    assert message in text


def test_null_kwargs_of_the_hugging_face_copy_are_accepted(tmp_path: Path) -> None:
    path = write_rows(tmp_path, {**GOOD, "kwargs": [{"num_words": None, "keywords": None}]})
    assert load_rows(path)[0].kwargs == ({},)


def test_duplicate_prompts_are_refused(tmp_path: Path) -> None:
    path = write_rows(tmp_path, GOOD, {**GOOD, "key": 2})
    with pytest.raises(DataError, match="line 2: the same prompt already appears on line 1"):
        load_rows(path)


def test_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        load_rows(tmp_path)


def test_bad_response_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "responses.jsonl"
    path.write_text('{"prompt": "a", "response": "b"}\n{"prompt": "c"}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"line 2: 'response' is missing"):
        load_responses(path)


def test_sample_is_seeded_and_limit_takes_the_first(ifeval_dir: Path) -> None:
    rows = load_rows(ifeval_dir)
    one = select_rows(rows, sample=50, seed=3)
    assert len(one) == 50
    assert one == select_rows(rows, sample=50, seed=3)
    assert one != select_rows(rows, sample=50, seed=4)
    position = {row.key: index for index, row in enumerate(rows)}
    assert [position[r.key] for r in one] == sorted(position[r.key] for r in one)
    assert select_rows(rows, limit=2) == rows[:2]
    with pytest.raises(UserError, match="not both"):
        select_rows(rows, sample=2, limit=2)
