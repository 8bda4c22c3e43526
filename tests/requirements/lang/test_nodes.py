"""The nodes of the check language: checked when built (`LanguageError` says what is
wrong), frozen, hashable, and the arithmetic of bounds."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import pytest

from cadenza.errors import RequirementError
from cadenza.requirements.lang.nodes import (
    AllOf,
    AnyOf,
    Bound,
    Case,
    CodeLanguage,
    Compare,
    Contains,
    Count,
    Distinct,
    EndsWith,
    Equals,
    Format,
    HeadingLevel,
    Language,
    LanguageError,
    Matches,
    Named,
    Not,
    Pattern,
    Select,
    Split,
    StartsWith,
    Text,
)

WORD = Named("word")
CHECK = StartsWith("A")


@pytest.mark.parametrize(
    ("build", "needle"),
    [
        (lambda: Named("wordz"), "unknown unit 'wordz'"),  # type: ignore[arg-type]
        (lambda: Text("   "), "non-blank text"),
        (lambda: Text(""), "non-blank text"),
        (lambda: Pattern(""), "empty"),
        (lambda: Pattern("(unclosed"), "does not compile"),
        (lambda: Split("  "), "visible separator"),
        (lambda: Bound("roughly", 3), "unknown relation 'roughly'"),  # type: ignore[arg-type]
        (lambda: Bound("at_least", -1), "finite number >= 0"),
        (lambda: Bound("at_most", math.inf), "finite number >= 0"),
        (lambda: Bound("at_least", math.nan), "finite number >= 0"),
        (lambda: Bound("between", 3), "two numbers"),
        (lambda: Bound("between", 5, 3), "low <= high"),
        (lambda: Bound("at_least", 3, 5), "only 'between' takes a second number"),
        (lambda: Bound("less_than", 0), "can never hold"),
        (lambda: Compare(Count(WORD), Bound("at_least", 2.5)), "whole numbers"),
        (lambda: Compare(Count(WORD), Bound("between", 2, 3.5)), "whole numbers"),
        (lambda: Select("every", WORD, CHECK), "unknown selection 'every'"),  # type: ignore[arg-type]
        (lambda: Select("nth", WORD, CHECK), "needs an index"),
        (lambda: Select("nth", WORD, CHECK, index=0), "needs an index"),
        (lambda: Select("first", WORD, CHECK, index=2), "only 'nth' takes an index"),
        (lambda: Select("last", WORD, CHECK, where=CHECK), "'where' filters each / any / none"),
        (lambda: Select("outside", WORD, CHECK, where=CHECK), "not 'outside'"),
        (lambda: StartsWith(" "), "starts_with needs non-blank text"),
        (lambda: EndsWith(""), "ends_with needs non-blank text"),
        (lambda: Contains("\n"), "contains needs non-blank text"),
        (lambda: Equals(" "), "equals needs non-blank text"),
        (lambda: Matches("[a-"), "does not compile"),
        (lambda: Case("camel"), "unknown case 'camel'"),  # type: ignore[arg-type]
        (lambda: Language("English"), "ISO 639-1"),
        (lambda: Language("EN"), "ISO 639-1"),
        (lambda: Format("xml"), "unknown format 'xml'"),  # type: ignore[arg-type]
        (lambda: Format("csv", schema='{"type": "object"}'), "json or yaml only"),
        (lambda: Format("json", schema="{not json"), "not JSON"),
        (lambda: Format("json", schema="[1]"), "must be an object"),
        (lambda: Format("json", schema='{"type": "nonsense"}'), "invalid at type"),
        (lambda: Format("json", columns=3), "csv or markdown_table only"),
        (lambda: Format("yaml", header=True), "csv or markdown_table only"),
        (lambda: Format("json", rows=Bound("exactly", 2)), "rows apply to csv"),
        (lambda: Format("csv", columns=0), "at least one column"),
        (lambda: Format("csv", columns=()), "non-blank"),
        (lambda: Format("csv", columns=("a", " ")), "non-blank"),
        (lambda: Format("csv", types=(("a", "date"),)), "column type 'date'"),  # type: ignore[arg-type]
        (lambda: Distinct(WORD, by="middle"), "unknown distinct key"),  # type: ignore[arg-type]
        (lambda: HeadingLevel(0), "from 1 to 6"),
        (lambda: HeadingLevel(7), "from 1 to 6"),
        (lambda: CodeLanguage(" "), "code_language needs non-blank text"),
        (lambda: AllOf(()), "all_of needs at least one"),
        (lambda: AnyOf(()), "any_of needs at least one"),
    ],
)
def test_malformed_nodes_are_refused_with_a_clear_message(
    build: Callable[[], object], needle: str
) -> None:
    with pytest.raises(LanguageError) as err:
        build()
    assert needle in str(err.value)


def test_language_errors_are_requirement_errors() -> None:
    assert issubclass(LanguageError, RequirementError)


def test_valid_nodes_are_built() -> None:
    assert Language("pt-br").code == "pt-br"
    assert Bound("between", 2, 2).holds(2)
    assert Select("nth", WORD, CHECK, index=-1).index == -1
    assert Format("csv", columns=("a", "b"), header=True, rows=Bound("at_least", 1)).columns == (
        "a",
        "b",
    )
    assert Format("json", schema='{"type": "object"}').schema == '{"type": "object"}'


def test_nodes_are_frozen_and_hashable() -> None:
    expr = Select("each", Named("bullet"), Compare(Count(WORD), Bound("less_than", 12)))
    same = Select("each", Named("bullet"), Compare(Count(WORD), Bound("less_than", 12)))
    assert expr == same and hash(expr) == hash(same)
    assert len({expr, same, Not(expr)}) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        expr.mode = "any"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("bound", "holding", "failing"),
    [
        (Bound("exactly", 3), [3], [2, 4]),
        (Bound("at_least", 3), [3, 4, 100], [0, 2]),
        (Bound("at_most", 3), [0, 3], [4]),
        (Bound("less_than", 3), [0, 2], [3, 4]),
        (Bound("more_than", 3), [4], [3, 0]),
        (Bound("between", 2, 4), [2, 3, 4], [1, 5]),
    ],
)
def test_bounds_hold_exactly_on_their_interval(
    bound: Bound, holding: list[int], failing: list[int]
) -> None:
    low, high = bound.interval()
    for value in holding:
        assert bound.holds(value) and low <= value <= high
    for value in failing:
        assert not bound.holds(value) and not (low <= value <= high)


def test_strict_bounds_move_by_one_on_counts_and_by_a_hair_on_ratios() -> None:
    assert Bound("less_than", 3).interval() == (0.0, 2.0)
    assert Bound("more_than", 3).interval() == (4.0, math.inf)
    low, _ = Bound("more_than", 0.5).interval(integral=False)
    assert 0.5 < low < 0.5001


@pytest.mark.parametrize(
    ("bound", "complement"),
    [
        (Bound("at_least", 3), Bound("less_than", 3)),
        (Bound("at_most", 3), Bound("more_than", 3)),
        (Bound("less_than", 3), Bound("at_least", 3)),
        (Bound("more_than", 3), Bound("at_most", 3)),
        (Bound("at_least", 0), None),  # always holds: no bound holds never
        (Bound("exactly", 3), None),
        (Bound("between", 1, 3), None),
    ],
)
def test_complement_holds_exactly_where_the_bound_does_not(
    bound: Bound, complement: Bound | None
) -> None:
    assert bound.complement() == complement
    if complement is not None:
        for value in range(8):
            assert complement.holds(value) != bound.holds(value)
