"""How the answer is laid out in parts, read by the grammar alone (the phrasing rules
for paragraphs, sections, separated responses and repeating the request went, issue
19): parts and their divider, parts marked by a numbered label, and the request
repeated before the answer."""

from __future__ import annotations

import pytest

from cadenza.requirements.grammar import parse
from cadenza.requirements.grammar.phrases import phrases
from cadenza.requirements.lang import build as b
from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.lang.nodes import (
    AllOf,
    Bound,
    Compare,
    Distinct,
    RepeatsRequest,
    Select,
    Split,
)


@pytest.mark.parametrize(
    ("sentence", "n", "mark"),
    [
        ("The report should have exactly 4 paragraphs, separated by ---.", 4, "---"),
        ("Use 3 sections separated from each other by the markdown divider: ***", 3, "***"),
        ("The essay must be in at least 5 parts, each separated by ***.", 5, "***"),
        ("Split the story into 3 chapters, where each chapter is separated with ===.", 3, "==="),
        (
            "I'd like there to be exactly 2 stanzas each separated by three asterisks (***)",
            2,
            "***",
        ),
    ],
)
def test_parts_of_one_text_counted_between_their_divider(sentence: str, n: int, mark: str) -> None:
    expr = parse(sentence)
    assert isinstance(expr, AllOf)
    relation = "at_least" if "at least" in sentence else "exactly"
    assert expr == b.paragraphs(relation, n, marker=mark)


@pytest.mark.parametrize(
    ("sentence", "mark"),
    [
        ("Give exactly 3 different answers separated by 5 asterisk symbols *****.", "*****"),
        ("Write 3 versions of the slogan, separated by =====", "====="),
        ("Provide exactly three variants and separate them with five asterisks.", "*****"),
    ],
)
def test_texts_of_their_own_are_counted_and_different(sentence: str, mark: str) -> None:
    expr = parse(sentence)
    assert expr == b.separated(3, mark)
    assert evaluate(expr, f"A cat.\n{mark}\nA dog.\n{mark}\nA cow.").passed
    assert not evaluate(expr, f"A cat.\n{mark}\nA cat.\n{mark}\nA cow.").passed  # one twice


def test_a_divider_alone_asks_for_at_least_two_parts_and_none_empty() -> None:
    """Between every two paragraphs: a part holding two paragraphs fails."""
    expr = parse("Separate the paragraphs with the markdown divider: ~~~")
    one = Select("each", Split("~~~"), b.count("paragraph", "exactly", 1))
    assert expr == AllOf((*b.flatten(b.paragraphs("at_least", 2, marker="~~~")), one))
    assert evaluate(expr, "One.\n~~~\nTwo.").passed
    assert not evaluate(expr, "One.\n~~~\n~~~\nTwo.").passed  # an empty part
    assert not evaluate(expr, "One.\n~~~\nTwo.\n\nThree.").passed  # one divider missing


def test_texts_separated_with_no_count_are_different_from_each_other() -> None:
    expr = parse("The replies should be separated by 4 asterisk symbols (****).")
    assert isinstance(expr, AllOf) and Distinct(Split("****")) in expr.items
    assert Compare(b.count(Split("****"), "at_least", 2).count, Bound("at_least", 2)) in expr.items


@pytest.mark.parametrize(
    "sentence",
    [
        "Do not separate the paragraphs with ***.",
        "Never write 3 paragraphs separated by ***.",
        "If you write more than 3 paragraphs, separate them with ***.",
        "The paragraphs should not be separated by ***.",
    ],
)
def test_a_negated_or_conditional_divider_is_not_read_as_asked(sentence: str) -> None:
    expr = parse(sentence)
    assert expr is None or ("at_least" not in repr(expr) and "exactly" not in repr(expr))


@pytest.mark.parametrize(
    ("sentence", "label", "n", "relation"),
    [
        ("Mark the beginning of each section with PART X.", "PART", 1, "at_least"),
        ("Each section should be clearly labelled as Chapter X.", "Chapter", 1, "at_least"),
        ("The guide must have 3 sections marked with STEP X.", "STEP", 3, "exactly"),
        ("Write 2 sections, each starting with Topic X.", "Topic", 2, "exactly"),
        (
            "The plan should have four sections, with each section marked with Week N.",
            "Week",
            4,
            "exactly",
        ),
    ],
)
def test_sections_marked_by_a_numbered_label(
    sentence: str, label: str, n: int, relation: str
) -> None:
    assert parse(sentence) == b.sections(relation, n, marker=label)  # type: ignore[arg-type]


def test_a_label_keeps_its_case_and_its_placeholder_is_no_literal() -> None:
    expr = parse("Label each paragraph with ITEM X.")
    assert expr == b.sections("at_least", 1, marker="ITEM")
    assert evaluate(expr, "ITEM 1\nTea.\n\nITEM 2\nCoffee.").passed
    assert not evaluate(expr, "ITEM X\nTea.").passed


def test_a_word_that_only_ends_in_n_or_x_is_no_label() -> None:
    assert parse("Put your entire answer in JSON format.") is not None  # not "JSO N"


@pytest.mark.parametrize(
    "sentence",
    [
        "First repeat the request word for word without change, then give your answer.",
        "Before you answer, repeat the question above exactly as it is.",
        "Repeat the prompt below verbatim first, then respond.",
        "Let's repeat the request above first, before you say anything.",
        "Just repeat the request at the very beginning of your response.",
        "You need to repeat the sentence above first.",
    ],
)
def test_repeating_the_request_first(sentence: str) -> None:
    assert parse(sentence) == RepeatsRequest()


@pytest.mark.parametrize(
    "sentence",
    [
        "Repeat your favourite word in every sentence.",
        "Do not repeat the request.",
        "Never repeat the question in your answer.",
        "Repeat the request in your own words.",
        "Repeat the last sentence of your answer in bold.",
    ],
)
def test_what_is_not_repeating_the_request_word_for_word(sentence: str) -> None:
    assert parse(sentence) != RepeatsRequest()


def test_two_named_parts_are_a_phrase_so_what_they_hold_is_judged() -> None:
    """ "Separate X and Y with ***" counts two parts, but what goes in each part is not
    read: it is a phrase reading (the clause is judged beside it), not the sentence's."""
    text = "Separate your plan and the final answer with ***"
    assert parse(text) is None
    assert phrases(text) == [(0, len(text), b.paragraphs("exactly", 2, marker="***"))]
