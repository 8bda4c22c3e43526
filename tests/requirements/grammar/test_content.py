"""A language, fixed answer options and a count of emphasised spans, read by the grammar
(`grammar/content.py`; they were the phrasing rules' language, answer-option and
highlight readings), and the sentences that only look like them."""

from __future__ import annotations

import pytest

from cadenza.requirements import grammar
from cadenza.requirements.extract import read_prompt
from cadenza.requirements.lang import build as b
from cadenza.requirements.lang.build import all_of, flatten
from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.lang.nodes import (
    AnyOf,
    Bound,
    Case,
    Compare,
    Count,
    Expr,
    Language,
    Named,
    Not,
)

HIGHLIGHTS = lambda n: Compare(Count(Named("highlight")), Bound("at_least", n))  # noqa: E731


def _checks(prompt: str) -> list[Expr]:
    return [c.expr for c in read_prompt(prompt).requirements if c.expr is not None]


def _judged(prompt: str) -> list[str]:
    return [c.requirement.description for c in read_prompt(prompt).requirements if c.judged]


# --------------------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("sentence", "means"),
    [
        ("Please respond using only the Kannada language.", Language("kn")),
        ("Use Swahili language only.", Language("sw")),
        ("Your reply should be completely in Czech.", Language("cs")),
        ("Use only Hindi in your response.", Language("hi")),
        (
            "Your response should be in German language, and no other language is allowed.",
            Language("de"),
        ),
        (
            "Make sure the whole text is in only the Polish language, no other languages allowed.",
            Language("pl"),
        ),
        ("Each response should be entirely in Vietnamese.", Language("vi")),
        ("Write it in lowercase Dutch.", all_of([Case("lower"), Language("nl")])),
        ("Don't answer in English.", Not(Language("en"))),
    ],
)
def test_a_language_said_of_the_answer_is_read(sentence: str, means: Expr) -> None:
    assert grammar.parse(sentence) == means


def test_a_language_in_a_task_sentence_is_checked_and_its_restatement_is_no_requirement() -> None:
    prompt = "Write a haiku in Italian about a yacht, no other language is allowed."
    assert _checks(prompt) == [Language("it")]
    assert _judged(prompt) == []  # "no other language is allowed" restates the language


def test_a_language_after_the_task_s_own_words_is_read() -> None:
    assert _checks("Explain in French why sleep matters.") == [Language("fr")]


@pytest.mark.parametrize(
    "prompt",
    [
        "Write a short review in the style of French cinema.",
        "Write a guide to bread for readers who speak English.",
        "Translate this German poem into English and then criticise it.",
        "Write a history of the Spanish empire.",
    ],
)
def test_a_language_named_for_something_else_is_no_language_of_the_answer(prompt: str) -> None:
    assert not any(isinstance(e, Language) for e in _checks(prompt))


def test_a_negated_language_is_kept_negated() -> None:
    (check,) = _checks("Write a toast for my sister. Don't answer in English.")
    assert not evaluate(check, "Here is a warm toast for my sister and her husband.").passed
    assert evaluate(check, "Voici un toast chaleureux pour ma soeur et son mari.").passed


# --------------------------------------------------------------------------- options

OPTIONS = ("My answer is yes.", "My answer is no.", "My answer is maybe.")


@pytest.mark.parametrize(
    "sentence",
    [
        'Answer with exactly one of the following phrases: ”My answer is yes.", '
        '"My answer is no.", "My answer is maybe."',
        'Your answer must contain one of these exact phrases: "My answer is yes.", '
        '"My answer is no.", "My answer is maybe."',
        'Answer "My answer is yes." or "My answer is no." or "My answer is maybe."',
        "Choose from the following: ('My answer is yes.', 'My answer is no.', "
        "'My answer is maybe.') -- please include the exact phrase in your response.",
    ],
)
def test_fixed_answer_options_are_read(sentence: str) -> None:
    assert grammar.parse(sentence) == b.one_of(OPTIONS)


def test_a_short_option_is_found_as_a_word_not_inside_another() -> None:
    check = grammar.parse("Reply with one of 'yes', 'no'.")
    assert check == b.one_of(("yes", "no"))
    assert evaluate(check, "no, the bridge is shut").passed
    assert not evaluate(check, "I know nothing about the bridge.").passed


def test_options_given_one_a_line_are_read_with_the_clause_that_offers_them() -> None:
    prompt = (
        "Is the bridge open?\n\nYour answer must contain one of the following phrases:\n"
        "It is open.\nIt is closed.\nNobody knows."
    )
    assert _checks(prompt) == [b.one_of(("It is open.", "It is closed.", "Nobody knows."))]
    assert _judged(prompt) == []


@pytest.mark.parametrize(
    "prompt",
    [
        "Write a poem about one of the following topics: 'the sea', 'the moon'.",
        "Write an essay on one of the following topics:\nThe sea\nThe moon",
        "Choose one of the following:\n- Write a poem about rain\n- Write a song about snow",
    ],
)
def test_a_list_of_topics_is_no_list_of_answer_options(prompt: str) -> None:
    assert not any(isinstance(e, AnyOf) for e in _checks(prompt))


# --------------------------------------------------------------------------- emphasis


@pytest.mark.parametrize(
    ("sentence", "n"),
    [
        ("Highlight at least 2 text sections, i.e. *highlighted section*.", 2),
        ('Highlight at least 5 text sections using "*".', 5),
        (
            "Italicize at least 10 text parts with markdown "
            "(using * to italicize, like *italic text*).",
            10,
        ),
        ("Use Markdown to italicize at least 2 sections in your answer, i.e. *italic text*.", 2),
        ("Make sure to use markdown to highlight/bold at least one section of the poem.", 1),
        ("Please include one italic text section in markdown, i.e *italic text*.", 1),
        (
            "Have at least 3 italic text sections, such as: *italic text 1*, *italic text 2*, etc.",
            3,
        ),
        ("At least 4 parts should be highlighted with markdown.", 4),
        (
            "Highlight at least 2 text sections of your response by wrapping each of them "
            "with asterisks.",
            2,
        ),
        ("Emphasize some key words in your answer.", 1),
    ],
)
def test_a_count_of_emphasised_spans_is_read(sentence: str, n: int) -> None:
    assert grammar.parse(sentence) == HIGHLIGHTS(float(n))


def test_emphasis_beside_a_paragraph_layout_is_checked_too() -> None:
    prompt = (
        "Give me advice on sleep in exactly 3 paragraphs separated by ***, and highlight at "
        "least 2 sections with markdown, such as *this*."
    )
    assert HIGHLIGHTS(2.0) in [e for c in _checks(prompt) for e in flatten(c)]


def test_what_is_emphasised_by_name_is_judged_not_counted() -> None:
    """ "highlight the name" asks which span is emphasised: a count would check less."""
    prompt = "Write a song, and highlight the name of the singer by wrapping it with *."
    assert HIGHLIGHTS(1.0) not in _checks(prompt)
    assert any("highlight the name" in j for j in _judged(prompt))
