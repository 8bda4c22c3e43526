"""Constraint material: what in a clause can carry a constraint, and literal accounting
(whether an expression uses every number, quoted text, letter and unit of a sentence)."""

from __future__ import annotations

import pytest

from cadenza.requirements import grammar
from cadenza.requirements.lang import build as b
from cadenza.requirements.lang.nodes import Named, Text
from cadenza.requirements.material import counted_nouns, literals_unused, material


def test_material_names_numbers_quotes_letters_units_and_instructions() -> None:
    found = material("Include the word 'leaf' twice")
    assert found.numbers == (2.0,) and found.quoted == ("leaf",) and found.directive
    assert material("make every line start with the letter R").letters == ("r",)
    assert Named("hashtag") in material("include two hashtags").units
    assert Text(",", whole_word=False) in material("Use no commas").units
    assert material("Write in a cheerful tone").subjective
    assert material("Repeat your favourite word in every sentence").scoped
    assert material("The opening line has to be a question.").marks == ("?",)


@pytest.mark.parametrize(
    "text", ["Curious what the etiquette is", "I've never tried one", "My uncle does it"]
)
def test_statements_are_not_instructions(text: str) -> None:
    found = material(text)
    assert not found.directive and not found.units and not found.quoted


def test_literal_accounting_names_what_an_expression_leaves_out() -> None:
    expr = grammar.parse("fewer than 280 characters")
    assert expr is not None
    assert literals_unused("Keep it under 280 characters and include two hashtags", expr) == [
        "2",
        "hashtags",
    ]
    assert literals_unused("Mention exactly three brands of tea", b.includes(["tea"])) == ["3"]
    assert counted_nouns("Mention exactly three brands of tea") == ["brands"]
    assert counted_nouns("two hashtags and 2 new lines") == []
    full = grammar.parse("at least 3 sentences, no sentence longer than 12 words")
    assert full is not None
    assert (
        literals_unused("Use at least 3 sentences, none of them longer than 12 words", full) == []
    )
