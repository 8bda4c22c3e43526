"""The case of the whole text, in the ways people say it: a case word after "be", the
letters it forbids, the letters it allows only, each letter's case, and a case joined to
a language with "and" or as an adjective of the language."""

from __future__ import annotations

import pytest

from cadenza.requirements.grammar import parse
from cadenza.requirements.grammar.phrases import phrases
from cadenza.requirements.lang.nodes import AllOf, Case, Language


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("No capital letters are permitted.", "lower"),
        ("No uppercase letters should be used.", "lower"),
        ("No lowercase letters may appear.", "upper"),
        ("Don't use any lowercase letters, please.", "upper"),
        ("The note needs to have no capital letters.", "lower"),
        ("It must contain only uppercase letters.", "upper"),
        ("Only use small letters in the whole reply.", "lower"),
        ("All letters in the answer must be capitalized.", "upper"),
        ("Not one letter of the reply may be capitalized.", "lower"),
        ("No letter may be lowercase.", "upper"),
        ("With every letter lowercased.", "lower"),
        ("Your whole reply should be lowercased.", "lower"),
        ("Write your whole answer in lowercases.", "lower"),
        ("Write with capital letters only.", "upper"),
        ("Capitalize every letter of your reply.", "upper"),
        ("Capitalize your entire answer.", "upper"),
        ("Make sure the letters in the reply are all lowercase.", "lower"),
        ("Words in your note must be in capitals.", "upper"),
        ("skip capital letters --- the whole note has to be in lowercases.", "lower"),
    ],
)
def test_a_case_of_the_whole_text(sentence: str, kind: str) -> None:
    assert parse(sentence) == Case(kind)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("sentence", "kind", "code"),
    [
        ("Make sure the essay is in German and all lowercase.", "lower", "de"),
        ("Make sure it is in German and in lowercase.", "lower", "de"),
        ("The reply must be in all-caps Italian.", "upper", "it"),
        ("Answer in lowercase Dutch.", "lower", "nl"),
    ],
)
def test_a_case_with_a_language(sentence: str, kind: str, code: str) -> None:
    expr = parse(sentence)
    assert isinstance(expr, AllOf)
    assert set(expr.items) == {Case(kind), Language(code)}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "sentence",
    [
        "Use lowercase letters somewhere.",  # some lowercase letters: no case of the text
        "Each bullet must be capitalized.",  # how each bullet starts, not all capitals
        "Words must be capitalized.",
        "Include some capital letters.",
    ],
)
def test_not_a_case_of_the_whole_text(sentence: str) -> None:
    assert not isinstance(parse(sentence), Case)


def test_a_case_phrase_ends_after_its_letters() -> None:
    text = "Draw up a shopping list in all capital letters mention three fruits."
    assert [e for _, _, e in phrases(text)] == [Case("upper")]
