"""Structured formats: JSON and YAML (with a schema), CSV and markdown tables (columns,
header, rows, column types)."""

from __future__ import annotations

import json

import pytest

from cadenza.requirements.lang.formats import (
    check_format,
    find_embedded_json,
    unfenced,
)
from cadenza.requirements.lang.nodes import Bound, Format

SCHEMA = json.dumps(
    {
        "type": "object",
        "required": ["name", "tags"],
        "properties": {"name": {"type": "string"}, "tags": {"type": "array", "maxItems": 2}},
    }
)
TABLE = "| name | age |\n|---|---|\n| ann | 3 |\n| bob | 4 |"


# --------------------------------------------------------------------------- JSON


@pytest.mark.parametrize(
    "text",
    ['{"a": 1}', '```json\n{"a": 1}\n```', "```JSON\n[1, 2]\n```", '```\n"just a string"\n```'],
)
def test_json_alone_or_in_one_fence_is_valid(text: str) -> None:
    assert check_format(Format("json"), text).holds


def test_broken_json_says_where() -> None:
    f = check_format(Format("json"), '{"a": 1,, }')
    assert not f.holds and f.score == 0.0
    assert f.found.startswith("not valid JSON (Expecting property name") and "line 1" in f.found
    assert f.hint == "write valid JSON only"


def test_json_inside_prose_is_half_way_there() -> None:
    f = check_format(Format("json"), 'Sure! {"a": [1, 2]} Hope this helps.')
    assert (f.holds, f.score) == (False, 0.5)
    assert "other text surrounds it" in f.found
    assert f.hint == "give only the JSON value, with no text before or after it"


def test_schema_errors_are_counted_and_the_first_is_located() -> None:
    fmt = Format("json", schema=SCHEMA)
    assert check_format(fmt, '{"name": "x", "tags": []}').holds
    f = check_format(fmt, '{"name": 3, "tags": [1, 2, 3]}')
    assert not f.holds and 0 < f.score < 0.8
    assert f.found.startswith("valid JSON, but 2 schema error(s); at name: 3 is not of type")
    assert f.hint.startswith("fix the value at name")
    one = check_format(fmt, '{"name": "x"}')
    assert one.score == 0.9 and "at the top level: 'tags' is a required property" in one.found


def test_embedded_json_is_the_longest_value_in_the_text() -> None:
    text = 'x {"a": [1]} y [1, 2, 3, 4, 5] z'
    assert find_embedded_json(text) == (text.index("[1, 2"), text.index(" z"))
    assert find_embedded_json("no json { here") is None


def test_unfenced_removes_one_surrounding_fence() -> None:
    assert unfenced("```json\n{}\n```") == "{}"
    assert unfenced("  ```\nx\n```  ") == "x"
    assert unfenced("~~~yaml\na: 1\n~~~") == "a: 1"
    assert unfenced("plain") == "plain"


# --------------------------------------------------------------------------- YAML


def test_yaml_needs_a_mapping_or_a_list_in_block_style() -> None:
    assert check_format(Format("yaml"), "name: x\ntags:\n  - a\n").holds
    assert check_format(Format("yaml"), "```yaml\n- a\n- b\n```").holds
    scalar = check_format(Format("yaml"), "just text")
    assert (scalar.holds, scalar.score) == (False, 0.1)
    flow = check_format(Format("yaml"), '{"a": 1}')
    assert not flow.holds and "JSON-style" in flow.found and "block-style" in flow.hint
    broken = check_format(Format("yaml"), "a: [1, 2\nb: c")
    assert not broken.holds and broken.found.startswith("not valid YAML")


def test_yaml_is_validated_against_a_schema() -> None:
    fmt = Format("yaml", schema=json.dumps({"type": "object", "required": ["name"]}))
    assert check_format(fmt, "name: x\n").holds
    f = check_format(fmt, "age: 3\n")
    assert not f.holds and "'name' is a required property" in f.found


# --------------------------------------------------------------------------- CSV


def test_csv_rows_and_columns() -> None:
    ok = check_format(Format("csv"), "name,age\nann,3\nbob,4")
    assert ok.holds and ok.found == "CSV with 2 columns and 2 data rows"
    assert check_format(Format("csv", columns=2), 'name,desc\nann,"a, b"').holds  # quoted comma
    assert check_format(Format("csv", columns=2), "```csv\nname,age\nann,3\n```").holds
    ragged = check_format(Format("csv", columns=3), "a,b\n1,2")
    assert not ragged.holds and "rows 1, 2 do not have 3 columns" in ragged.found
    assert "exactly 3 values" in ragged.hint


def test_csv_without_commas_or_rows_is_not_csv() -> None:
    one = check_format(Format("csv"), "ann\nbob")
    assert (one.holds, one.score, one.hint) == (False, 0.1, "separate the values with commas")
    empty = check_format(Format("csv"), "   ")
    assert (empty.holds, empty.score) == (False, 0.0)


def test_csv_header_by_name_and_by_wish() -> None:
    names = Format("csv", columns=("name", "age"))
    assert check_format(names, "Name, Age\nann,3").holds  # case and spaces aside
    wrong = check_format(names, "first,age\nann,3")
    assert "the header is first, age, not name, age" in wrong.found
    assert wrong.hint == "make the header row exactly: name, age"
    missing = check_format(Format("csv", header=True), "1,2\n3,4")
    assert not missing.holds and "no header row" in missing.found
    unwanted = check_format(Format("csv", header=False), "name,age\nann,3")
    assert not unwanted.holds and unwanted.hint == "drop the header row"
    named_unwanted = Format("csv", header=False, columns=("name", "age"))
    assert check_format(named_unwanted, "ann,3\nbob,4").holds
    assert not check_format(named_unwanted, "name,age\nann,3").holds


def test_csv_data_rows_are_counted_without_the_header() -> None:
    fmt = Format("csv", header=True, rows=Bound("at_least", 3))
    assert check_format(fmt, "name,age\nann,3\nbob,4\ncid,5").holds
    f = check_format(fmt, "name,age\nann,3\nbob,4")
    assert "2 data rows; needs at least 3" in f.found and f.hint == "give at least 3 data rows"


def test_csv_column_types() -> None:
    integer = Format("csv", types=(("age", "integer"),))
    assert check_format(integer, "name,age\nann,3\nbob,-4").holds
    bad = check_format(integer, "name,age\nann,3\nbob,four\ncid,4.5")
    assert "age values 'four', '4.5' are not whole numbers" in bad.found
    assert bad.hint == "write every age as whole numbers"
    number = Format("csv", types=(("score", "number"), ("name", "text")))
    assert check_format(number, "name,score\nann,3.5\nbob,-2").holds
    assert (
        "no column named 'height'"
        in check_format(Format("csv", types=(("height", "integer"),)), "name,age\nann,3").found
    )
    assert "no header row to find column 'age' by" in check_format(integer, "ann,3\nbob,4").found


def test_several_problems_lower_the_score_further() -> None:
    fmt = Format("csv", columns=("name", "age"), rows=Bound("exactly", 3))
    one = check_format(fmt, "name,age\nann,3")
    two = check_format(fmt, "first,age\nann,3")
    assert 0.1 <= two.score < one.score < 1.0


# --------------------------------------------------------------------------- markdown tables


def test_a_markdown_table_anywhere_in_the_text() -> None:
    ok = check_format(Format("markdown_table"), "Here:\n\n" + TABLE + "\n\nDone.")
    assert ok.holds and ok.found == "a markdown table with 2 columns and 2 data rows"
    none = check_format(Format("markdown_table"), "a | b\nno rule")
    assert (none.holds, none.score) == (False, 0.0)
    assert "|---| rule row" in none.hint


def test_markdown_table_shape() -> None:
    assert check_format(Format("markdown_table", columns=("Name", "Age")), TABLE).holds
    cols = check_format(Format("markdown_table", columns=3), TABLE)
    assert not cols.holds and "do not have 3 columns" in cols.found
    rows = check_format(Format("markdown_table", rows=Bound("exactly", 3)), TABLE)
    assert "2 data rows; needs exactly 3" in rows.found
    typed = Format("markdown_table", types=(("age", "integer"),))
    assert check_format(typed, TABLE).holds
    assert (
        "'four' are not whole numbers"
        in check_format(typed, TABLE.replace("| 4 |", "| four |")).found
    )
    ragged = check_format(Format("markdown_table"), "| a | b |\n|---|---|\n| 1 | 2 | 3 |")
    assert not ragged.holds and "rows 2 do not have 2 columns" in ragged.found


def test_the_best_of_several_tables_decides() -> None:
    two = "| a | b |\n|---|---|\n| 1 | 2 |\n\n| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |"
    assert check_format(Format("markdown_table", columns=3), two).holds
    assert check_format(Format("markdown_table", columns=2), two).holds
    assert not check_format(Format("markdown_table", columns=4), two).holds
