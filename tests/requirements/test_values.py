"""Values written in a format (`lang.values`, `grammar.values`), what the whole answer
is (`grammar.whole`), how lines are written (`grammar.lines`) and brackets counted in
pairs: each reading decides answers near its boundary, says in words what it checks,
and survives the codec."""

from __future__ import annotations

import pytest

from cadenza.requirements.grammar import parse
from cadenza.requirements.lang.codec import from_json, to_json
from cadenza.requirements.lang.describe import describe
from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.lang.nodes import Matches


@pytest.mark.parametrize(
    ("sentence", "passes", "fails"),
    [
        ("Use the 24-hour clock for all times.", "Doors open at 08:30.", "Doors open at 2 pm."),
        ("Give times on a 12-hour clock with am or pm.", "At 2:00 pm.", "At 14:00."),
        ("Show all amounts with exactly two decimal places.", "It costs $19.00.", "It costs $19."),
        ("Use commas as thousands separators in amounts.", "It is $1,250.", "It is $1250."),
        ("Never write percentages as words.", "Up 12%.", "Up twelve percent."),
        ("Round every percentage to a whole number.", "Up 12%.", "Up 12.5%."),
        ("dates in YYYY-MM-DD pls", "On 2024-03-05.", "On 2024-3-5."),
        ("Use the ISO date format (YYYY-MM-DD) throughout.", "On 2024-03-05.", "On 05/03/2024."),
        ("Answer with only a number.", "42", "The answer is 42."),
        ("Your answer must be a single number.", "-3.75", "3.75 km"),
        ("Wrap your entire reply in <answer></answer> tags.", "<answer>Paris</answer>", "Paris"),
        ("Put the final answer inside <answer>...</answer>.", "So: <answer>4</answer>", "So: 4"),
        ("Indent every line by 4 spaces.", "    a\n    b", "    a\n  b"),
        ("Indent each line with a tab.", "\ta\n\tb", "    a\n    b"),
        ("Use the format 'Key: Value', one per line.", "Name: Ada\nBorn: 1815", "Name = Ada"),
        ("Use parentheses at most once.", "One (a) two.", "One (a) two (b)."),
        ("Don't use parentheses.", "One [a] two.", "One (a) two."),
    ],
)
def test_each_reading_decides_answers_at_its_boundary(
    sentence: str, passes: str, fails: str
) -> None:
    expr = parse(sentence)
    assert expr is not None
    assert evaluate(expr, passes).passed
    assert not evaluate(expr, fails).passed
    assert from_json(to_json(expr)) == expr
    assert "/" not in describe(expr).replace("DD/MM", "").replace("</", "")  # no raw regex


def test_a_template_in_quotes_is_not_read_as_a_literal() -> None:
    assert parse("Include the lines 'Name: ...' and 'Email: ...'.") is None


def test_a_named_match_reports_in_words() -> None:
    expr = parse("Use the 24-hour clock for all times.")
    assert expr is not None
    verdict = evaluate(expr, "We meet at 2 pm.")
    assert "24-hour clock" in verdict.reason and "/" not in verdict.reason
    assert Matches("x", name="written as x") == from_json(
        to_json(Matches("x", name="written as x"))
    )


def test_a_currency_named_with_the_value_is_checked_or_the_sentence_is_judged() -> None:
    from cadenza.requirements.compile import compile_requirement

    judged = compile_requirement("Use dollar amounts with two decimals.")
    assert judged.method == "judged" and judged.expr is None
    read = compile_requirement("Show dollar amounts with a dollar sign in front.")
    assert read.method == "rule" and read.expr is not None
