"""Expressions to JSON and back: every node round-trips, the canonical form leaves
defaults out, and a malformed expression is refused with the path of the bad part."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from lang_samples import EXPRESSIONS, expressions

from cadenza.requirements.lang.codec import from_json, from_text, to_json, to_text
from cadenza.requirements.lang.nodes import (
    Bound,
    Compare,
    Contains,
    Count,
    Expr,
    Format,
    LanguageError,
    Named,
    RepeatsRequest,
    Select,
    StartsWith,
    Text,
)


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_every_sample_expression_round_trips(name: str) -> None:
    expr = EXPRESSIONS[name]
    data = to_json(expr)
    assert from_json(data) == expr
    assert from_json(json.loads(json.dumps(data))) == expr  # through real JSON text
    assert from_text(to_text(expr)) == expr


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions())
def test_any_expression_round_trips_through_json_text(expr: Expr) -> None:
    text = to_text(expr)
    back = from_text(text)
    assert back == expr
    assert to_text(back) == text  # canonical: the same expression, the same text


@pytest.mark.parametrize(
    ("expr", "data"),
    [
        (Compare(Count(Named("word")), Bound("at_most", 100)), {"count": "word", "at_most": 100}),
        (
            Compare(Count(Text("Acme")), Bound("between", 2, 4)),
            {"count": {"text": "Acme"}, "between": [2, 4]},
        ),
        (
            Compare(Count(Text(",", whole_word=False)), Bound("exactly", 0)),
            {"count": {"text": ",", "whole_word": False}, "exactly": 0},
        ),
        (
            Select("each", Named("bullet"), Compare(Count(Named("word")), Bound("less_than", 12))),
            {"each": "bullet", "check": {"count": "word", "less_than": 12}},
        ),
        (
            Select("nth", Named("paragraph"), StartsWith("However"), index=2),
            {"nth": "paragraph", "index": 2, "check": {"starts_with": "However"}},
        ),
        (Contains("x", whole_word=False), {"contains": "x", "whole_word": False}),
        (
            Format("json", schema='{"type": "object"}'),
            {"format": "json", "schema": {"type": "object"}},
        ),
        (
            Format("csv", columns=("a", "b"), rows=Bound("at_least", 2)),
            {"format": "csv", "columns": ["a", "b"], "rows": {"at_least": 2}},
        ),
        (RepeatsRequest(), {"repeats_request": True}),
        (RepeatsRequest("Say hi"), {"repeats_request": "Say hi"}),
    ],
)
def test_the_canonical_form_is_small_and_leaves_defaults_out(expr: Expr, data: Any) -> None:
    assert to_json(expr) == data
    assert from_json(data) == expr


def test_lenient_readings() -> None:
    # a plural unit name, a language in capitals, rows as a bare number, a ratio bound
    assert from_json({"count": "words", "at_most": 3}) == from_json({"count": "word", "at_most": 3})
    assert to_json(from_json({"language": " FR "})) == {"language": "fr"}
    assert to_json(from_json({"format": "csv", "rows": 3})) == {
        "format": "csv",
        "rows": {"exactly": 3},
    }
    ratio = from_json(
        {"ratio": [{"count": "sentence", "where": {"ends_with": "?"}}, {"count": "sentence"}],
         "at_least": 0.5}
    )  # fmt: skip
    assert to_json(ratio)["at_least"] == 0.5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"all_of": [{"count": "word", "at_most": 3},
                        {"each": "bullet", "check": {"count": "word", "roughly": 3}}]},
            "at $.all_of[1].check: 'count' takes at_least, at_most, between, exactly, "
            "less_than, more_than, where beside it; unknown: roughly",
        ),
        (
            {"all_of": [{"count": "word", "at_most": 3},
                        {"each": "bullet", "check": {"starts_with": 3}}]},
            "at $.all_of[1].check: 'starts_with' needs a string, got int",
        ),
        (
            {"any_of": [{"not": {"each": "line", "check": {"count": {"pattern": "("},
                                                           "at_least": 1}}}]},
            "at $.any_of[0].not.check.count: the regular expression '(' does not compile",
        ),
        ({"count": "wordz", "at_most": 3}, "at $.count: unknown unit 'wordz'"),
        ({"count": 5, "at_least": 1}, "at $.count: a unit is a name like 'word'"),
        ({"count": {"text": "a", "foo": 1}, "at_least": 1}, "at $.count: unknown key(s) foo"),
        ({"count": "word"}, "at $: give exactly one of exactly, at_least"),
        ({"count": "word", "at_most": 3, "at_least": 1}, "at $: give exactly one of"),
        ({"count": "word", "at_most": 2.5}, "at $: 'at_most' needs a whole number, got 2.5"),
        ({"count": "word", "at_most": True}, "at $: 'at_most' needs a whole number"),
        ({"count": "word", "between": [3]}, "at $: 'between' takes two numbers"),
        ({"count": "word", "between": [5, 3]}, "low <= high"),
        ({"count": "word", "less_than": 0}, "can never hold"),
        ({"ratio": [{"count": "word"}], "at_least": 0.5}, "at $.ratio: give two counts"),
        ({"ratio": [{"count": "word"}, {"words": 1}], "at_least": 0.5},
         "at $.ratio[1]: a measure is"),
        ({"each": "bullet"}, "at $: 'each' needs a 'check' expression"),
        ({"nth": "paragraph", "check": {"starts_with": "A"}}, "'nth' needs an integer 'index'"),
        ({"nth": "paragraph", "index": True, "check": {"starts_with": "A"}},
         "'nth' needs an integer 'index'"),
        ({"nth": "paragraph", "index": 0, "check": {"starts_with": "A"}}, "needs an index"),
        ({"first": "paragraph", "where": {"starts_with": "A"}, "check": {"starts_with": "A"}},
         "at $: 'first' takes check beside it; unknown: where"),
        ({"starts_with": "A", "ends_with": "B"}, "(found starts_with, ends_with)"),
        ({"foo": 1}, "(found none)"),
        ([1, 2], "at $: an expression must be a JSON object, got a list"),
        ({"starts_with": "A", "whole_word": True}, "'starts_with' takes case_sensitive beside"),
        ({"case": "camel"}, "'case' is one of lower, upper, title, sentence, got 'camel'"),
        ({"language": "English"}, "is not an ISO 639-1 code"),
        ({"format": "xml"}, "'format' is one of json, yaml, csv, markdown_table"),
        ({"format": "json", "schema": {"type": "nonsense"}}, "the JSON schema is invalid"),
        ({"format": "yaml", "schema": "x"}, "'schema' must be a JSON Schema object"),
        ({"format": "json", "columns": 3}, "apply to csv or markdown_table only"),
        ({"format": "csv", "columns": [1]}, "'columns' is a number or a list of column names"),
        ({"format": "csv", "types": {"a": "date"}}, "'types.a' is one of integer, number, text"),
        ({"format": "csv", "rows": "3"}, "'rows' is a number or a bound"),
        ({"format": "csv", "rows": {"roughly": 3}}, "at $.rows: unknown key(s) roughly"),
        ({"format": "csv", "header": "yes"}, "'header' is true or false"),
        ({"palindrome": False}, "'palindrome' takes the value true"),
        ({"heading_level": "2"}, "'heading_level' needs a whole number, got a string"),
        ({"heading_level": 7}, "heading levels go from 1 to 6"),
        ({"repeats_request": False}, "'repeats_request' takes the value true"),
        ({"sorted": "bullet", "descending": "yes"}, "'descending' is true or false, got 'yes'"),
        ({"distinct": "bullet", "by": "middle"}, "'by' is one of text, first_word, last_word"),
        ({"all_of": []}, "at $.all_of: give a non-empty list of expressions"),
        ({"any_of": {}}, "at $.any_of: give a non-empty list of expressions"),
        ({"not": "x"}, "at $.not: an expression must be a JSON object, got a string"),
        ({"count": "word", "where": {"bogus": 1}, "at_least": 1}, "at $.where: an expression"),
        ({"each": "sentence", "where": {"starts_with": ""}, "check": {"ends_with": "?"}},
         "at $.where: starts_with needs non-blank text"),
    ],
)  # fmt: skip
def test_malformed_expressions_are_refused_with_the_path_of_the_bad_part(
    data: Any, message: str
) -> None:
    with pytest.raises(LanguageError) as err:
        from_json(data)
    assert message in str(err.value)
    assert str(err.value).startswith("at $")


@pytest.mark.parametrize(
    "data",
    [
        {"count": {"text": ""}, "at_least": 1},
        {"count": {"pattern": "["}, "at_least": 1},
        {"count": {"split": "  "}, "at_least": 1},
    ],
)
def test_a_malformed_unit_is_refused_at_the_units_own_path(data: Any) -> None:
    # Like an unknown unit name ("at $.count: unknown unit ..."), a unit that cannot be
    # built is the fault of $.count, not of the whole expression.
    with pytest.raises(LanguageError) as err:
        from_json(data)
    assert str(err.value).startswith("at $.count: "), str(err.value)


def test_from_text_refuses_what_is_not_json() -> None:
    with pytest.raises(LanguageError, match="the expression is not JSON"):
        from_text("{not json")


def test_nested_paths_are_given_in_full() -> None:
    data = {
        "all_of": [
            {"contains": "a"},
            {"each": "paragraph", "check": {"any_of": [{"contains": "b"}, {"case": "wavy"}]}},
        ]
    }
    with pytest.raises(LanguageError) as err:
        from_json(data)
    assert str(err.value).startswith("at $.all_of[1].check.any_of[1]: 'case' is one of")


def test_the_same_expression_always_writes_the_same_text() -> None:
    a = from_json({"contains": "x", "case_sensitive": False, "whole_word": True})
    b = from_json({"whole_word": True, "contains": "x"})
    assert to_text(a) == to_text(b) == '{"contains":"x"}'
    assert to_text(Contains("é")) == '{"contains":"é"}'  # not escaped
