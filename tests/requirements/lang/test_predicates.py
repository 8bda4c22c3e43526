"""Predicates on one piece of text: what each finds, how near a failing text is, and how
to make it hold (`check_predicate` returns a `Fact`)."""

from __future__ import annotations

import pytest

from cadenza.requirements.lang.formats import Fact
from cadenza.requirements.lang.nodes import (
    Case,
    CodeLanguage,
    Contains,
    Distinct,
    EndsWith,
    Equals,
    Format,
    HeadingLevel,
    Language,
    Matches,
    Named,
    Palindrome,
    Predicate,
    RepeatsRequest,
    Sorted,
    StartsWith,
)
from cadenza.requirements.lang.predicates import check_predicate, normalised
from cadenza.requirements.lang.units import Span, find


def fact(pred: Predicate, text: str, request: str | None = None) -> Fact:
    return check_predicate(pred, Span(text, 0, len(text)), request)


# --------------------------------------------------------------------------- phrases


@pytest.mark.parametrize(
    ("pred", "text", "holds"),
    [
        (StartsWith("Dear"), "  dear all", True),
        (StartsWith("Dear"), "**Dear** all", True),  # emphasis before it ignored
        (StartsWith("Dear"), '> "Dear all', True),  # quote markers ignored
        (StartsWith("The"), "Then", False),  # a word must end where the text does
        (StartsWith("The"), "The.", True),
        (StartsWith("Q:"), "Q:A", True),  # ends in punctuation: no word boundary needed
        (StartsWith("**Note**"), "**Note** x", True),  # decoration it asks for is kept
        (StartsWith("**Note**"), "Note x", False),
        (EndsWith("Bye."), "ok. Bye.  \n", True),
        (EndsWith("bye"), '"Ok, BYE"', True),  # wrapping quotes and case ignored
        (EndsWith('say "hi"'), 'I say "hi"', True),  # a wanted quote is kept
        (EndsWith("end"), "the legend", False),  # a word must start where the text does
        (EndsWith("?"), "Why?", True),
    ],
)
def test_start_and_end_phrases(pred: Predicate, text: str, holds: bool) -> None:
    assert fact(pred, text).holds is holds


def test_a_near_start_is_graded_by_the_common_prefix() -> None:
    near = fact(StartsWith("Dear team"), "Dear tea, hello")
    far = fact(StartsWith("Dear team"), "Hello")
    assert 0.5 < near.score < 0.9 and far.score == 0.0
    assert near.hint == "begin with exactly 'Dear team'"


def test_text_after_the_end_phrase_is_shown() -> None:
    f = fact(EndsWith("Any questions?"), "Done. Any questions? Cheers!")
    assert not f.holds and f.score == 0.6
    assert f.found == "'Any questions?' is followed by 'Cheers!'"
    assert f.hint == "end with 'Any questions?': nothing after it"


@pytest.mark.parametrize(
    ("pred", "text", "holds"),
    [
        (Equals("Yes"), "**yes.**", True),
        (Equals("Yes"), "  Yes  ", True),
        (Equals("Yes!"), "Yes", False),  # the wanted mark must be there
        (Equals("Yes!"), "yes!", True),
        (Equals("Yes", case_sensitive=True), "yes", False),
        (Equals("New York"), "New   York", True),  # inner whitespace collapsed
    ],
)
def test_equality(pred: Predicate, text: str, holds: bool) -> None:
    assert fact(pred, text).holds is holds


def test_normalised_strips_decoration_and_trailing_marks() -> None:
    assert normalised("  **Hello   world!** ", keep_punct=False) == "Hello world"
    assert normalised("# Title.", keep_punct=True) == "Title."


def test_contains_and_matches() -> None:
    assert fact(Contains("acme"), "ACME Corp").holds
    assert not fact(Contains("acme"), "ACMEtech").holds  # a word, not part of one
    assert fact(Contains("acme"), "two ACMEs").holds  # ... its plural and possessive count
    assert fact(Contains("acme"), "ACME's plan").holds
    assert not fact(Contains("it"), "its").holds  # not for words under three letters
    assert fact(Contains("acme", whole_word=False), "ACMEtech").holds
    m = fact(Matches(r"^Answer: \d+$"), "intro\nAnswer: 42\nbye")
    assert m.holds and m.found == "matches /^Answer: \\d+$/ at 'Answer: 42'"
    assert not fact(Matches(r"\A\d+\Z"), "12\n34").holds  # \A \Z anchor the whole text
    assert fact(Matches("answer", ignore_case=True), "ANSWER").holds


# --------------------------------------------------------------------------- case


@pytest.mark.parametrize(
    ("kind", "text", "holds"),
    [
        ("lower", "hello 123 — ok", True),
        ("lower", "hello World", False),
        ("lower", "123 456", False),  # no letters: neither lower nor upper
        ("upper", "HELLO 123!", True),
        ("upper", "123 456", False),
        ("upper", "HELLO World", False),
        ("title", "The Lord of the Rings", True),  # small words may stay lowercase
        ("title", "the Lord", False),  # ... but not the first
        ("title", "A Tale Of Two Cities", True),
        ("sentence", "Hello there. I think I'm fine.", True),  # "I" and "I'm" allowed
        ("sentence", "Hello There.", False),
        ("sentence", "hello there.", False),
        ("sentence", "HELLO there.", False),  # capitals inside the first word
    ],
)
def test_letter_case(kind: str, text: str, holds: bool) -> None:
    assert fact(Case(kind), text).holds is holds  # type: ignore[arg-type]


def test_case_grades_by_the_share_of_wrong_letters() -> None:
    f = fact(Case("lower"), "hello from Paris and NASA")
    assert f.found == "capital letters in 'Paris', 'NASA'"
    assert f.score == pytest.approx(1 - 5 / 21)


# --------------------------------------------------------------------------- language


PORTUGUESE = "Olá, meus amigos! Hoje o tempo está muito bonito e vamos passear no parque."


def test_language_is_detected_by_its_code() -> None:
    assert fact(Language("pt"), PORTUGUESE).holds
    assert not fact(Language("es"), PORTUGUESE).holds
    chinese = "今天天气很好，我们去公园散步吧。我很高兴见到你。"
    assert fact(Language("zh"), chinese).holds  # langdetect says zh-cn


def test_a_language_code_with_a_region_can_hold() -> None:
    # The language accepts ISO codes with a region ("pt-br"); langdetect never names
    # Brazilian Portuguese, so the region must not make the check impossible to meet.
    assert fact(Language("pt-br"), PORTUGUESE).holds


def test_undetectable_language_holds() -> None:
    f = fact(Language("ja"), "12345 !!!")
    assert f.holds and "no language detectable" in f.found


# --------------------------------------------------------------------------- units as lists


def test_sorted_compares_the_units_text_case_and_punctuation_aside() -> None:
    bullets = Named("bullet")
    assert fact(Sorted(bullets), "- apple\n- Banana\n- *cherry*").holds
    f = fact(Sorted(bullets), "- cherry\n- apple\n- banana")
    assert f.found == "'cherry' comes before 'apple'" and f.score == 0.5
    assert fact(Sorted(bullets, descending=True), "- c\n- b\n- a").holds
    assert fact(Sorted(bullets), "- only one").holds


@pytest.mark.parametrize(
    ("pred", "text", "found"),
    [
        (Distinct(Named("bullet")), "- a\n- b\n- A!", "repeated: bullet point 3 ('a')"),
        (Distinct(Named("sentence"), by="first_word"), "I came. I saw. We won.",
         "repeated first word: sentence 2 ('i')"),
        (Distinct(Named("sentence"), by="last_word"), "Go home. Stay home. Win.",
         "repeated last word: sentence 2 ('home')"),
        (Distinct(Named("word"), adjacent=True), "the the cat", "repeated: word 2 ('the')"),
    ],
)  # fmt: skip
def test_distinct_names_the_first_repeat(pred: Predicate, text: str, found: str) -> None:
    f = fact(pred, text)
    assert not f.holds and f.found == found


def test_distinct_adjacent_only_compares_neighbours() -> None:
    assert fact(Distinct(Named("word"), adjacent=True), "the cat and the dog").holds
    assert not fact(Distinct(Named("word")), "the cat and the dog").holds


def test_palindromes_ignore_case_spaces_and_punctuation() -> None:
    assert fact(Palindrome(), "A man, a plan, a canal: Panama").holds
    f = fact(Palindrome(), "abcdba")
    assert not f.holds and f.score == pytest.approx(4 / 6)
    assert not fact(Palindrome(), "!!!").holds


# --------------------------------------------------------------------------- unit properties


def test_heading_level_reads_the_unit_it_is_applied_to() -> None:
    h2, h3 = find(Named("heading"), "## Two\n### Three")
    assert check_predicate(HeadingLevel(2), h2, None).holds
    wrong = check_predicate(HeadingLevel(2), h3, None)
    assert (wrong.holds, wrong.score, wrong.found) == (False, 0.5, "a level-3 heading")
    plain = check_predicate(HeadingLevel(2), Span("text", 0, 4), None)
    assert (plain.holds, plain.score, plain.found) == (False, 0.0, "not a heading")


def test_code_language_knows_common_aliases() -> None:
    py, sh, untagged = find(Named("code_block"), "```py\nx\n```\n```sh\ny\n```\n```\nz\n```")
    assert check_predicate(CodeLanguage("python"), py, None).holds
    assert check_predicate(CodeLanguage("bash"), sh, None).holds
    assert not check_predicate(CodeLanguage("python"), sh, None).holds
    f = check_predicate(CodeLanguage("python"), untagged, None)
    assert f.found == "has no language tag" and f.hint == "open the block with ```python"


def test_repeats_request_takes_its_own_text_before_the_checked_request() -> None:
    assert fact(RepeatsRequest(), "Write a poem. Roses.", request="write a poem.").holds
    assert fact(RepeatsRequest("Say hi"), "say hi! ok", request="something else").holds
    unknown = fact(RepeatsRequest(), "anything", request=None)
    assert not unknown.holds and unknown.found == "the request to repeat is not known"
    near = fact(RepeatsRequest("Write a poem about cats"), "Write a poem about dogs")
    assert near.score == pytest.approx(19 / 23)


def test_formats_are_checked_by_the_format_module() -> None:
    assert fact(Format("json"), '{"a": 1}').holds
    assert not fact(Format("yaml"), '{"a": 1}').holds
