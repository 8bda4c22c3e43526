"""The panel that tells a check that can fail from one that cannot."""

from __future__ import annotations

import pytest

from cadenza.requirements import grammar
from cadenza.requirements.panel import vacuous
from cadenza.requirements.rules import read


@pytest.mark.parametrize(
    "written",
    [
        "every sentence has at least 1 line",
        "the answer has at least 1 character",
        "no paragraph has more than 100000 words",
    ],
)
def test_a_check_no_text_fails_is_vacuous(written: str) -> None:
    expr = grammar.parse(written)
    assert expr is not None and vacuous(expr)


@pytest.mark.parametrize(
    "sentence",
    [
        "Use no more than 3 numbered steps.",
        "No bullet point should have more than 2 sentences.",
        "Keep each bullet under 8 words.",
        "Do not begin with an emoji.",
        "Write all dates in YYYY-MM-DD format.",
        "Use the 24-hour clock for all times.",
        "Write every number in numerals.",
        "Put each heading in title case.",
        "Answer in French.",
        "Write at least 5000 words.",
        "Keep it under 5000 words.",
    ],
)
def test_a_check_users_ask_for_fails_some_text_of_the_panel(sentence: str) -> None:
    reading = read(sentence)
    assert reading is not None and not vacuous(reading.expr)


def test_a_check_for_quoted_text_is_not_put_to_the_panel() -> None:
    expr = grammar.parse("the answer has at most 3 occurrences of the letter 'z'")
    assert expr is not None and not vacuous(expr)
