"""Expressions read in plain English, for reports, prompts and fix hints."""

from __future__ import annotations

import pytest
from lang_samples import EXPRESSIONS

from cadenza.requirements.lang import build as b
from cadenza.requirements.lang.describe import (
    count_phrase,
    describe,
    noun,
    plural_verb,
    quote,
    relation,
    unit_names,
    verb,
)
from cadenza.requirements.lang.nodes import (
    UNIT_NAMES,
    AllOf,
    AnyOf,
    Bound,
    Case,
    Contains,
    Count,
    EndsWith,
    Expr,
    Format,
    HeadingLevel,
    Named,
    Not,
    Pattern,
    Ratio,
    RepeatsRequest,
    Select,
    Split,
    StartsWith,
    Text,
)

S = Named("sentence")
B = Named("bullet")
P = Named("paragraph")


@pytest.mark.parametrize(
    ("expr", "text"),
    [
        (b.count("word", "at_least", 300), "the answer has at least 300 words"),
        (b.count("word", "less_than", 100), "the answer has fewer than 100 words"),
        (b.count("word", "between", 120, 150), "the answer has between 120 and 150 words"),
        (b.count("emoji", "exactly", 0), "the answer has no emojis"),
        (b.count("sentence", "exactly", 1), "the answer has exactly 1 sentence"),
        (b.no_characters(","), "the answer has no commas"),
        (b.count(Text("Acme"), "at_least", 2), "the answer has at least 2 occurrences of 'Acme'"),
        (b.count("sentence", "at_least", 2, where=EndsWith("?")),
         "the answer has at least 2 sentences that end with '?'"),
        (Select("none", S, StartsWith("The")), "no sentence starts with 'The'"),
        (Select("each", B, b.count("word", "less_than", 12)),
         "every bullet point has fewer than 12 words"),
        (Select("any", S, EndsWith("?")), "at least one sentence ends with '?'"),
        (Select("last", P, b.count("sentence", "exactly", 1)),
         "the last paragraph has exactly 1 sentence"),
        (Select("nth", P, StartsWith("However"), index=2), "paragraph 2 starts with 'However'"),
        (Select("nth", P, StartsWith("So"), index=-2), "paragraph 2 from the end starts with 'So'"),
        (Select("outside", Named("code_block"), Case("lower")),
         "the text outside code blocks is all lowercase"),
        (Select("each", S, EndsWith("?"), where=StartsWith("Why")),
         "every sentence that starts with 'Why' ends with '?'"),
        (Not(Select("each", B, EndsWith("."))), "not every bullet point ends with '.'"),
        (Not(Select("any", B, EndsWith("."))), "no bullet point ends with '.'"),
        (Not(Select("none", B, EndsWith("."))), "at least one bullet point ends with '.'"),
        (Not(Select("first", B, EndsWith("."))), "the first bullet point does not end with '.'"),
        (Not(Contains("bad")), "the answer does not contain 'bad'"),
        (Not(AllOf((Contains("a"), Contains("b")))),
         "the answer does not contain 'a' or does not contain 'b'"),
        (AllOf((b.count("word", "at_most", 50), Case("lower"))),
         "the answer has at most 50 words; the answer is all lowercase"),
        (AnyOf((Contains("yes"), Contains("no"))),
         "either the answer contains 'yes' or the answer contains 'no'"),
        (Format("csv", columns=("name", "age"), header=True, rows=Bound("at_least", 3),
                types=(("age", "integer"),)),
         "the answer is CSV with columns name, age, with a header row, with at least 3 data "
         "rows, age as whole numbers"),
        (Format("json", schema='{"type": "object"}'),
         "the answer is valid JSON matching the given JSON schema"),
        (b.paragraphs("exactly", 3, marker="***"),
         "the answer has exactly 3 parts separated by '***'; no part separated by '***' has "
         "no characters"),
    ],
)  # fmt: skip
def test_describe_reads_as_a_clause_about_the_answer(expr: Expr, text: str) -> None:
    assert describe(expr) == text


def test_every_sample_expression_is_described_and_no_two_alike() -> None:
    distinct = set(EXPRESSIONS.values())
    described = {describe(e) for e in distinct}
    assert len(described) == len(distinct)
    assert all(d and d == d.strip() and d[0].islower() for d in described)


def test_a_request_to_repeat_is_quoted_when_the_expression_names_it() -> None:
    assert describe(RepeatsRequest()) == "the answer starts by repeating the request word for word"
    assert "'Say hi'" in describe(RepeatsRequest("Say hi")), describe(RepeatsRequest("Say hi"))


def test_a_nested_selection_reads_as_english() -> None:
    text = describe(b.first_word_of_paragraph(2, "However"))
    assert "paragraph 2" in text and "'However'" in text
    assert "has the first word is" not in text, text


def test_describing_a_title_or_postscript_does_not_show_a_regular_expression() -> None:
    # reports and fix prompts read these to people and small models
    for expr in (b.title(), b.postscript(), b.sections("at_least", 2, marker="SECTION")):
        assert "\\" not in describe(expr) and "[^" not in describe(expr), describe(expr)


# --------------------------------------------------------------------------- pieces


def test_every_unit_has_a_singular_and_a_plural_name() -> None:
    for name in UNIT_NAMES:
        singular, plural = unit_names(Named(name))
        assert singular and plural and singular != plural
    assert unit_names(Text(",")) == ("comma", "commas")
    assert unit_names(Text("Acme")) == ("occurrence of 'Acme'", "occurrences of 'Acme'")
    assert unit_names(Pattern(r"\d+")) == (r"match of /\d+/", r"matches of /\d+/")
    assert unit_names(Split("***"))[1] == "parts separated by '***'"


def test_nouns_with_numbers() -> None:
    assert noun(Named("word"), 1) == "1 word"
    assert noun(Named("word"), 3) == "3 words"
    assert noun(Named("bullet"), 0) == "0 bullet points"
    assert noun(Named("word")) == "words"
    assert noun(Named("sentence"), 0.5) == "0.5 sentences"


@pytest.mark.parametrize(
    ("bound", "text"),
    [
        (Bound("exactly", 3), "exactly 3"),
        (Bound("at_least", 3), "at least 3"),
        (Bound("at_most", 3), "at most 3"),
        (Bound("less_than", 3), "fewer than 3"),
        (Bound("more_than", 3), "more than 3"),
        (Bound("between", 3, 5), "between 3 and 5"),
        (Bound("at_least", 0.5), "at least 0.5"),
    ],
)
def test_relations(bound: Bound, text: str) -> None:
    assert relation(bound) == text


def test_count_phrases_agree_in_number() -> None:
    assert count_phrase(Count(Named("word")), Bound("at_most", 1)) == "at most 1 word"
    assert count_phrase(Count(Named("word")), Bound("at_most", 2)) == "at most 2 words"
    assert count_phrase(Count(S, EndsWith("?")), Bound("exactly", 1)) == (
        "exactly 1 sentence that ends with '?'"
    )
    assert count_phrase(Count(Named("heading"), HeadingLevel(2)), Bound("at_least", 2)) == (
        "at least 2 headings that are a level-2 heading (##)"
    )


def test_verbs_in_every_form() -> None:
    starts = StartsWith("Hi")
    assert verb(starts) == "starts with 'Hi'"
    assert verb(starts, base=True) == "start with 'Hi'"
    assert verb(starts, negated=True) == "does not start with 'Hi'"
    assert verb(starts, negated=True, base=True) == "not start with 'Hi'"
    assert verb(Not(starts)) == "does not start with 'Hi'"
    assert plural_verb(Case("lower")) == "are all lowercase"
    assert plural_verb(Not(Case("lower"))) == "are not all lowercase"
    assert plural_verb(Not(starts)) == "do not start with 'Hi'"
    ratio = Ratio(Count(S, EndsWith("?")), Count(S), Bound("at_least", 0.5))
    assert "sentences that end with '?'" in verb(ratio) and "at least 0.5" in verb(ratio)


def test_quotes_are_short_and_on_one_line() -> None:
    assert quote("a\n b") == "'a b'"
    assert quote("x" * 100, 10) == "'xxxxxxxxx…'"
