"""The builders of `lang/build.py`: each writes an ordinary expression with the
IFEval semantics the old check family had (the old family tests' texts, ported)."""

from __future__ import annotations

import inspect
import json
from dataclasses import dataclass

import pytest

from cadenza.requirements.lang import build as b
from cadenza.requirements.lang.evaluate import MAX_FAILED_SCORE, evaluate
from cadenza.requirements.lang.nodes import (
    AllOf,
    AnyOf,
    Bound,
    Case,
    Compare,
    Contains,
    Count,
    EndsWith,
    Expr,
    Format,
    Language,
    Named,
    Pattern,
    RepeatsRequest,
    StartsWith,
    Text,
)

TABLE = "| a | b |\n|---|---|\n| 1 | 2 |"
PY = "```python\nprint(1)\n```"
OPTIONS = ("My answer is yes.", "My answer is no.", "My answer is maybe.")


@dataclass(frozen=True)
class Family:
    expr: Expr
    passing: str
    failing: str
    nearly: str
    request: str | None = None


# The old check families, one builder call each, with the old tests' texts.
FAMILIES: dict[str, Family] = {
    "word_count": Family(
        b.count("word", "at_least", 10),
        "one two three four five six seven eight nine ten eleven",
        "Hi.",
        "one two three four five six seven eight nine",
    ),
    "sentence_count": Family(
        b.count("sentence", "at_most", 2),
        "One thing. Two things.",
        "It rains. We stay in. We read. We cook. We eat. We sleep.",
        "One thing. Two things. Three things.",
    ),
    "paragraph_count": Family(
        b.paragraphs("exactly", 3, marker="***"),
        "First part.\n***\nSecond part.\n***\nThird part.",
        "First part.\n***\n***\nSecond part.",
        "First part.\n***\nSecond part.",
    ),
    "line_count": Family(b.count("line", "at_least", 3), "a\nb\nc", "x", "a\n\nb"),
    "character_count": Family(
        b.characters("at_most", 10), "short", "far too long a text here", "twelve chars"
    ),
    "bullet_count": Family(
        b.count("bullet", "exactly", 3),
        "Intro:\n* one\n* two\n- three",
        "no bullets at all",
        "* one\n* two",
    ),
    "numbered_item_count": Family(
        b.count("numbered_item", "exactly", 2), "1. first\n2. second", "none", "1. first"
    ),
    "section_count": Family(
        b.sections("at_least", 2, marker="SECTION"),
        "SECTION 1\nintro\nSECTION 2\nbody",
        "no sections",
        "SECTION 1\nonly one",
    ),
    "highlight_count": Family(
        b.count("highlight", "at_least", 2),
        "This is *key* and **vital**.",
        "plain text",
        "only *one* highlight",
    ),
    "placeholder_count": Family(
        b.count("placeholder", "at_least", 2),
        "Dear [name], at [address].",
        "Dear John.",
        "Dear [name].",
    ),
    "markdown_table_count": Family(
        b.count("table", "at_least", 2), f"{TABLE}\n\n{TABLE}", "no table", TABLE
    ),
    "code_block_count": Family(
        b.code_blocks("at_least", 2, language="python"), f"{PY}\n\n{PY}", "no code", PY
    ),
    "keyword_frequency": Family(
        b.occurrences("cat", "at_least", 3), "cat, cat and cat", "a dog", "cat and cat"
    ),
    "letter_frequency": Family(b.occurrences("z", "less_than", 3), "zz top", "zzzzzzzz", "zzz top"),
    "capital_word_count": Family(
        b.count("capital_word", "at_least", 2), "THE BIG dog", "the big dog", "THE big dog"
    ),
    "regex_count": Family(
        b.count(Pattern(r"\d+"), "exactly", 0), "no digits here", "1 2 3 4 5", "just 1 digit"
    ),
    "paragraph_first_word": Family(
        b.first_word_of_paragraph(2, "However", 2),
        "First point.\n\nHowever, a second.",
        "one block only",
        "First point.\n\nMoreover, a second.",
    ),
    "title": Family(b.title(), "<<My Poem>>\nroses", "roses are red", "# My Poem\nroses"),
    "postscript": Family(
        b.postscript("P.S."),
        "Main text.\n\nP.S. see you",
        "Main text.",
        "Main text.\n\nPS see you",
    ),
    "separated_responses": Family(
        b.separated(2),
        "Answer one.\n******\nAnswer two.",
        "Just one answer.",
        "Same answer.\n******\nSame answer.",
    ),
    "repeat_request": Family(
        b.repeats("Tell me a joke about cats"),
        "Tell me a joke about cats\n\nWhy did the cat...",
        "Sure! Here is a joke.",
        "Tell me a joke about dogs\n\nWhy...",
    ),
    "keywords_present": Family(
        b.includes(["alpha", "beta"]), "Alpha and BETA.", "gamma", "alpha only"
    ),
    "forbidden_words": Family(
        b.excludes(["bad"]), "a good day", "bad bad bad bad bad bad", "this is bad"
    ),
    "all_lowercase": Family(b.lowercase(), "all in lower case", "ALL UPPER", "Mostly lower"),
    "all_uppercase": Family(b.uppercase(), "ALL UPPER", "all lower", "ALL UPPEr"),
    "forbidden_characters": Family(
        b.no_characters(","), "no commas here", "a,b,c,d,e,f,g,h", "one, comma"
    ),
    "starts_with": Family(
        b.starts_with("Dear team"), "Dear team, hello.", "Hello all.", "Dear tea, hello."
    ),
    "ends_with": Family(
        b.ends_with("Any other questions?"),
        "That is all. Any other questions?",
        "That is all.",
        "That is all. Any other questions? Bye.",
    ),
    "wrapped_in_quotes": Family(b.wrapped_in(), '"quoted"', "bare", '"half quoted'),
    "valid_json": Family(
        b.json_value(), '```json\n{"a": 1}\n```', "not json", 'Here you go: {"a": 1}'
    ),
    "json_schema": Family(
        b.json_value(
            json.dumps(
                {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}}}
            )
        ),
        '{"a": 1}',
        "nope",
        '{"a": "one"}',
    ),
    "response_language": Family(
        b.language("fr"),
        "Bonjour mes amis, comment allez-vous aujourd'hui? Il fait très beau.",
        "Hello my friends, how are you today? The weather is lovely.",
        "Bonjour mes amis, comment allez-vous aujourd'hui? "
        "Hello my friends, how are you today? I am fine, thanks.",
    ),
    "answer_option": Family(
        b.one_of(OPTIONS), "My answer is yes.", "Probably.", "my answer is yes"
    ),
}

HELPERS = {"bound", "all_of", "any_of", "is_count", "flatten"}


def test_every_builder_is_exercised_by_a_family() -> None:
    builders = {
        name
        for name, fn in inspect.getmembers(b, inspect.isfunction)
        if fn.__module__ == b.__name__ and not name.startswith("_")
    }
    used = {
        "count", "paragraphs", "characters", "sections", "code_blocks", "occurrences",
        "includes", "excludes", "no_characters", "lowercase", "uppercase", "starts_with",
        "ends_with", "wrapped_in", "json_value", "language", "one_of", "title", "postscript",
        "separated", "first_word_of_paragraph", "repeats",
    }  # fmt: skip
    assert builders - HELPERS == used
    assert len(FAMILIES) == 33  # every old family


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_passing_text_passes(family: str) -> None:
    case = FAMILIES[family]
    v = evaluate(case.expr, case.passing, request=case.request)
    assert v.passed and v.score == 1.0 and v.fix_hint == "", v


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_failing_text_fails_with_a_reason_and_a_hint(family: str) -> None:
    case = FAMILIES[family]
    v = evaluate(case.expr, case.failing, request=case.request)
    assert not v.passed and v.score < 1.0 and v.reason and v.fix_hint, v


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_nearly_passing_text_gets_a_graded_score(family: str) -> None:
    case = FAMILIES[family]
    near = evaluate(case.expr, case.nearly, request=case.request)
    far = evaluate(case.expr, case.failing, request=case.request)
    assert not near.passed, near
    assert 0.0 < near.score <= MAX_FAILED_SCORE, near
    assert near.score >= far.score and near.fix_hint


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_an_empty_answer_fails_every_family(family: str) -> None:
    v = evaluate(FAMILIES[family].expr, "   \n")
    assert (v.passed, v.score) == (False, 0.0)


# --------------------------------------------------------------------------- what they write


def test_builders_write_ordinary_expressions() -> None:
    assert b.count("word", "at_most", 3) == Compare(Count(Named("word")), Bound("at_most", 3))
    assert b.characters("at_most", 5, spaces=False) == Compare(
        Count(Pattern(r"\S")), Bound("at_most", 5)
    )
    assert b.occurrences("ai", "exactly", 0) == Compare(
        Count(Text("ai", whole_word=False)), Bound("exactly", 0)
    )
    assert b.includes(["a"]) == Contains("a", whole_word=False)  # one item: itself
    assert b.includes(["a", "b"]) == AllOf(
        (Contains("a", whole_word=False), Contains("b", whole_word=False))
    )
    assert b.lowercase() == Case("lower") and b.language("fr") == Language("fr")
    assert b.wrapped_in() == AllOf(
        (StartsWith('"'), EndsWith('"'), b.count(Text('"', whole_word=False), "at_least", 2))
    )  # a lone quote mark wraps nothing
    assert b.json_value() == Format("json")
    assert b.repeats(None) == RepeatsRequest() and b.repeats("  ") == RepeatsRequest()
    assert b.repeats(" Say hi ") == RepeatsRequest("Say hi")
    assert isinstance(b.one_of(OPTIONS), AnyOf)


def test_helpers() -> None:
    inner = AllOf((Contains("a"), AllOf((Contains("b"), Contains("c")))))
    assert b.flatten(inner) == [Contains("a"), Contains("b"), Contains("c")]
    assert b.flatten(Contains("a")) == [Contains("a")]
    assert b.all_of([Contains("a")]) == Contains("a")
    assert b.any_of([Contains("a"), Contains("b")]) == AnyOf((Contains("a"), Contains("b")))
    assert b.is_count(b.count("word", "at_most", 3), "word")
    assert not b.is_count(b.count("word", "at_most", 3, where=Contains("a")), "word")
    assert not b.is_count(b.count("word", "at_most", 3), "sentence")
    assert b.bound("between", 1, 2) == Bound("between", 1.0, 2.0)


# --------------------------------------------------------------------------- counts


def test_word_limits_count_words_as_a_writer_does() -> None:
    # "don't" and "e-mail" are one word each (IFEval's \w+ would count six here)
    assert evaluate(b.count("word", "exactly", 4), "Hi don't e-mail 42").passed


def test_less_than_is_strict_and_between_is_inclusive() -> None:
    assert not evaluate(b.count("word", "less_than", 5), "one two three four five").passed
    assert evaluate(b.count("word", "less_than", 6), "one two three four five").passed
    assert evaluate(b.count("word", "between", 2, 4), "a b c").passed
    assert not evaluate(b.count("word", "between", 2, 4), "a b c d e").passed
    assert not evaluate(b.count("word", "more_than", 3), "a b c").passed
    assert evaluate(b.count("word", "more_than", 3), "a b c d").passed


def test_sentences_use_punkt_so_abbreviations_do_not_split() -> None:
    assert evaluate(b.count("sentence", "exactly", 2), "Mr. Smith went home. He slept.").passed


def test_marker_paragraphs_follow_ifeval() -> None:
    expr = b.paragraphs("exactly", 2, marker="***")
    assert evaluate(expr, "***\nOne.\n***\nTwo.\n***").passed  # empty ends do not count
    v = evaluate(expr, "One.\n***\n\n***\nTwo.")
    assert not v.passed and "part 2 ('')" in v.reason  # the empty one


def test_blank_line_paragraphs() -> None:
    v = evaluate(b.paragraphs("at_most", 2), "a\n\nb\n\nc")
    assert not v.passed and "3 paragraphs" in v.reason and "merge" in v.fix_hint


def test_lines_characters_letters() -> None:
    assert evaluate(b.count("line", "exactly", 2), "a\n\n  \nb\n").passed
    assert evaluate(b.characters("exactly", 3, spaces=False), " a b c ").passed
    assert evaluate(b.characters("exactly", 5), " a b c ").passed
    assert evaluate(b.occurrences("Q", "at_least", 3), "q Q qu").passed


def test_regex_counts_must_and_must_not_match() -> None:
    assert evaluate(b.count(Pattern(r"^Answer:"), "at_least", 1), "intro\nAnswer: 4").passed
    v = evaluate(b.count(Pattern(r"\bTODO\b", ignore_case=True), "exactly", 0), "todo: fix")
    assert not v.passed and "'todo'" in v.reason


def test_capital_words_use_nltk_tokens() -> None:
    assert evaluate(b.count("capital_word", "exactly", 2), "I live in the U.S. now").passed
    v = evaluate(b.count("capital_word", "less_than", 1), "I AM HERE")
    assert not v.passed and "'I'" in v.fix_hint


def test_forbidden_commas_are_counted_and_graded_by_halves() -> None:
    text = "No comma here. One, two, three, and four. Clean. Fine. Last, yes."
    v = evaluate(b.no_characters(","), text)
    assert v.reason.startswith("4 commas") and v.score == 0.5**4
    assert "','" in v.fix_hint
    both = evaluate(b.no_characters(",;,"), "a; b")
    assert not both.passed and both.reason == "1 semicolon (';'); needs exactly 0"


# --------------------------------------------------------------------------- structure


def test_bullets_count_star_and_dash_lines_but_not_bold() -> None:
    assert evaluate(
        b.count("bullet", "exactly", 3), "* one\n  - two\n**bold line**\n* three"
    ).passed


def test_sections_need_the_marker_and_a_number() -> None:
    expr = b.sections("at_least", 2, marker="Section")
    assert evaluate(expr, "Section 1\nA\nSection 2\nB").passed
    v = evaluate(expr, "Section one\nA\nSection two\nB")
    assert not v.passed and "'Section 1'" in v.fix_hint, v.fix_hint


def test_highlights_single_and_double_stars() -> None:
    assert evaluate(b.count("highlight", "at_least", 2), "*a* then **b**").passed
    assert not evaluate(b.count("highlight", "at_least", 1), "** ** and * *").passed


def test_title_must_be_in_double_angular_brackets() -> None:
    assert evaluate(b.title(), "x <<A title>> y").passed
    assert not evaluate(b.title(), "<< >> and <<\n>>").passed
    v = evaluate(b.title(), "<single> title")
    assert not v.passed and "<<single>>" in v.fix_hint, v.fix_hint


def test_first_word_of_a_paragraph() -> None:
    expr = b.first_word_of_paragraph(3, "However", 3)
    assert evaluate(expr, 'One.\n\nTwo.\n\n"However," she said.').passed  # quotes and marks cut
    v = evaluate(expr, "One.\n\nTwo.\n\nMoreover, three.")
    assert not v.passed and "'Moreover'" in v.reason
    assert "paragraph 3" in v.fix_hint and "'However'" in v.fix_hint


def test_first_word_counts_paragraphs() -> None:
    v = evaluate(b.first_word_of_paragraph(1, "hello", 2), "Hello.\n\nWorld.\n\nMore.")
    assert not v.passed and "needs exactly 2" in v.reason and v.score == 0.75


def test_postscript_markers() -> None:
    assert evaluate(b.postscript("P.P.S"), "text\nP.P.S. later").passed
    assert evaluate(b.postscript("P.S."), "text\np.s. lower case is fine").passed
    assert not evaluate(b.postscript("P.P.S"), "text\nP.S. later").passed
    assert evaluate(b.postscript("Note:"), "text\nnote: later").passed


def test_separated_responses() -> None:
    expr = b.separated(2)
    assert evaluate(expr, "******\nA\n******\nB").passed  # empty first part is fine
    v = evaluate(expr, "A\n******\n******\nB")
    assert not v.passed and "part 2 ('')" in v.reason
    assert evaluate(b.separated(3), "A\n******\nB\n******\nC").passed
    assert not evaluate(expr, "Same.\n******\nSame.").passed  # two *different* responses


def test_repeat_request_uses_the_prompt_when_the_expression_has_no_text() -> None:
    expr = b.repeats(None)
    assert evaluate(expr, "write a poem\n\nRoses...", request="Write a poem").passed
    v = evaluate(expr, "Here: write a poem", request="Write a poem")
    assert not v.passed and "'Write a poem'" in v.fix_hint
    assert not evaluate(expr, "anything").passed  # no request: cannot be met


# --------------------------------------------------------------------------- phrases, quotes


def test_end_phrase_ignores_case_whitespace_and_wrapping_quotes() -> None:
    expr = b.ends_with("Is there anything else I can help with?")
    assert evaluate(expr, '"Hi. is there anything else i can help with?"\n').passed
    v = evaluate(expr, "Hi. Is there anything else I can help with? Cheers!")
    assert not v.passed and "nothing after it" in v.fix_hint


def test_starts_with_ignores_leading_whitespace() -> None:
    assert evaluate(b.starts_with("Dear"), "\n  dear all").passed


def test_quotes_wrap_the_whole_answer() -> None:
    assert evaluate(b.wrapped_in(), '  "a"  ').passed
    v = evaluate(b.wrapped_in(), 'text"')
    assert not v.passed and "must start with '\"'" in v.reason


def test_a_lone_quote_mark_is_not_a_wrapped_answer() -> None:
    # IFEval: len(value) > 1 and value[0] == value[-1] == '"'
    assert not evaluate(b.wrapped_in(), '"').passed
    assert not evaluate(b.wrapped_in(), '  "  ').passed


# --------------------------------------------------------------------------- tables, code, json


def test_tables_need_a_rule_row_under_a_pipe_row() -> None:
    assert evaluate(b.count("table", "exactly", 1), "| a | b |\n| :-- | --: |\n| 1 | 2 |").passed
    assert not evaluate(b.count("table", "exactly", 1), "a | b\nno rule").passed


def test_code_blocks_by_language_and_an_unclosed_fence() -> None:
    text = "```python\nx\n```\n```js\ny\n```\n```python\nz"
    assert evaluate(b.code_blocks("exactly", 2, language="python"), text).passed
    assert evaluate(b.code_blocks("exactly", 3), text).passed  # the unclosed one runs to the end
    v = evaluate(b.code_blocks("at_least", 3, language="py"), text)
    assert not v.passed and "2 code blocks that are tagged 'py'" in v.reason


def test_json_fenced_broken_and_in_prose() -> None:
    assert evaluate(b.json_value(), "```JSON\n[1, 2]\n```").passed
    assert evaluate(b.json_value(), '```\n"just a string"\n```').passed
    broken = evaluate(b.json_value(), '{"a": 1,, }')
    assert not broken.passed and "line 1" in broken.reason
    prose = evaluate(b.json_value(), 'Sure! {"a": [1, 2]} Hope this helps.')
    assert not prose.passed and "before or after" in prose.fix_hint


# --------------------------------------------------------------------------- keywords


def test_keywords_match_inside_words_unless_whole_word() -> None:
    assert evaluate(b.includes(["cat"]), "A category.").passed
    assert not evaluate(b.includes(["cat"], whole_word=True), "A category.").passed


def test_missing_keywords_are_named() -> None:
    v = evaluate(b.includes(["alpha", "beta", "gamma"]), "alpha")
    assert "'beta' is missing" in v.reason and "'gamma' is missing" in v.reason
    assert "include 'beta'" in v.fix_hint
    assert v.score == pytest.approx(1 / 3)


def test_keywords_are_literal_not_regex() -> None:
    assert not evaluate(b.includes(["c++"]), "ccc").passed
    assert evaluate(b.includes(["c++"]), "I like C++.").passed


def test_forbidden_words_are_whole_words_and_named() -> None:
    assert evaluate(b.excludes(["bad"]), "A badge is fine.").passed
    v = evaluate(b.excludes(["bad"]), "Fine start. Still fine. This is BAD.")
    assert not v.passed and "('BAD')" in v.reason


def test_keyword_frequency_counts_inside_longer_words() -> None:
    v = evaluate(b.occurrences("art", "less_than", 2), "Art is in the heart.")
    assert not v.passed and "2 occurrences of 'art'" in v.reason


def test_answer_options_are_exact_substrings() -> None:
    assert evaluate(b.one_of(OPTIONS), "Well... My answer is maybe. Because").passed
    v = evaluate(b.one_of(["Yes", "No"]), "Maybe")
    assert not v.passed and "'Yes'" in v.fix_hint and "'No'" in v.fix_hint


# --------------------------------------------------------------------------- language


GERMAN = "Das Wetter ist heute sehr schön und wir gehen im Park spazieren."


def test_language_is_detected_deterministically() -> None:
    verdicts = {evaluate(b.language("de"), GERMAN) for _ in range(5)}
    assert len(verdicts) == 1 and next(iter(verdicts)).passed


def test_undetectable_text_passes_as_in_ifeval() -> None:
    assert evaluate(b.language("ja"), "12345 67890").passed
