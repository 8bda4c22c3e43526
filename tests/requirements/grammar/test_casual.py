"""Constraints as people write them in chat: a request said as a question
(`grammar.asides`), a relation written as a symbol (`grammar.lexicon`), "none of the
UNITs ...", "no UNIT without X" and "each UNIT must contain a X" (`grammar.clauses`).
Each reading decides answers built to pass and fail it; what it cannot read whole it
leaves unread."""

from __future__ import annotations

import pytest

from cadenza.requirements.grammar import parse
from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.verbs import bare_form

_THREE_LINES = "Oak\nBirch\nAsh"
_FIVE_LINES = "Oak\nBirch\nAsh\nElm\nYew"


@pytest.mark.parametrize(
    ("sentence", "passes", "fails"),
    [
        ("Can you write no more than 3 lines?", _THREE_LINES, _FIVE_LINES),
        ("Could you please end with 'Bye'?", "Fine. Bye", "Bye. Fine."),
        ("Would you mind starting with 'Hi Jo'?", "Hi Jo, fine.", "Fine."),
        ("Do you mind avoiding semicolons?", "A, b.", "A; b."),
        ("Is it possible to use exactly 2 paragraphs?", "A.\n\nB.", "A.\n\nB.\n\nC."),
        ("Would you mind keeping it under 6 words, I read it aloud?", "One two.", "1 2 3 4 5 6 7."),
        (">= 4 lines.", "a\nb\nc\nd", _THREE_LINES),
        ("Use < 3 bullets.", "- a\n- b", "- a\n- b\n- c"),
        ("Each paragraph ≤ 2 sentences.", "Go on. Sit.\n\nRest.", "Go on. Sit. Rest.\n\nNow."),
        ("Keep it > 5 words.", "One two three four five six.", "One two."),
        ("None of your lines should start with a dash.", "a\nb", "a\n- b"),
        ("None of the paragraphs may be longer than 4 words.", "A b.\n\nC d.", "A b c d e f."),
        ("Not one of the bullets may end with a colon.", "- a\n- b", "- a:\n- b"),
        ("No bullet point without an emoji.", "- a 🌿\n- b 🌊", "- a 🌿\n- b"),
        ("No sentence may be without a digit.", "It is 5. Go at 6.", "It is 5. Go now."),
        ("No line should be missing the word 'tea'.", "tea a\ntea b", "tea a\nb"),
        ("Every line must contain a semicolon.", "a; b\nc; d", "a; b\nc d"),
        ("Each bullet should have a question.", "- Why? Ok.\n- How?", "- Why?\n- Ok."),
    ],
)
def test_a_casual_constraint_decides_answers(sentence: str, passes: str, fails: str) -> None:
    expr = parse(sentence)
    assert expr is not None, sentence
    assert evaluate(expr, passes).passed
    assert not evaluate(expr, fails).passed


@pytest.mark.parametrize(
    "sentence",
    [
        "Could you explain why the sky is blue?",  # a question about the topic, no request
        "No line without a clear point.",  # no unit or mark named: a judge's question
        "Each section must have a heading.",  # layout, not a mark the section holds
        "Would you mind writing it for my boss?",  # a request the grammar cannot read
        "Could you keep it under 40 words, it's for the mayor?",  # who it is for, unread
        "Keep it to 3 lines <b>bold</b>.",  # markup, no relation before a number
        # "X style" asks for something of its own: never set aside as a restatement
        "Keep it under 30 words, telegram style.",
        "Two paragraphs, table style.",
    ],
)
def test_what_it_cannot_read_whole_it_leaves_unread(sentence: str) -> None:
    assert parse(sentence) is None


def test_two_constraints_in_a_request_are_both_read() -> None:
    """A request that asks two things is never read as one of them."""
    expr = parse("Could you write 2 lines and end with a question?")
    assert expr is not None
    assert evaluate(expr, "Oak\nWhy?").passed
    assert not evaluate(expr, "Oak\nAsh\nWhy?").passed  # the question, three lines
    assert not evaluate(expr, "Oak\nAsh.").passed  # two lines, no question


@pytest.mark.parametrize(
    ("sentence", "passes", "fails"),
    [
        ("Each bullet should have a maximum of 3 words.", "- a b\n- c", "- a b c d"),
        ("Give me a minimum of 3 lines.", "a\nb\nc\nd", "a\nb"),
        ("Write a total of 2 lines.", "a\nb", "a"),
    ],
)
def test_a_maximum_or_minimum_keeps_its_relation(sentence: str, passes: str, fails: str) -> None:
    """ "a maximum of 3" was read as "3", exactly: two words failed."""
    expr = parse(sentence)
    assert expr is not None
    assert evaluate(expr, passes).passed
    assert not evaluate(expr, fails).passed


def test_a_verb_form_has_its_bare_form() -> None:
    assert [bare_form(w) for w in ("using", "keeps", "ending")] == ["use", "keep", "end"]
    assert bare_form("qzxv") is None
