"""Every check family against a text that passes, one that fails and one that nearly
passes (graded score strictly between 0 and 1, with a fix hint)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cadenza.requirements import spec as s
from cadenza.requirements.checks import run_check


@dataclass(frozen=True)
class Case:
    spec: s.CheckSpec
    passing: str
    failing: str
    nearly: str
    prompt: str | None = None


TABLE = "| a | b |\n|---|---|\n| 1 | 2 |"
PY = "```python\nprint(1)\n```"

CASES: dict[str, Case] = {
    "word_count": Case(
        s.WordCount("at_least", 10),
        "one two three four five six seven eight nine ten eleven",
        "Hi.",
        "one two three four five six seven eight nine",
    ),
    "sentence_count": Case(
        s.SentenceCount("at_most", 2),
        "One thing. Two things.",
        "It rains. We stay in. We read. We cook. We eat. We sleep.",
        "One thing. Two things. Three things.",
    ),
    "paragraph_count": Case(
        s.ParagraphCount("exactly", 3, marker="***"),
        "First part.\n***\nSecond part.\n***\nThird part.",
        "First part.\n***\n***\nSecond part.",
        "First part.\n***\nSecond part.",
    ),
    "line_count": Case(s.LineCount("at_least", 3), "a\nb\nc", "", "a\n\nb"),
    "character_count": Case(
        s.CharacterCount("at_most", 10), "short", "far too long a text here", "twelve chars"
    ),
    "bullet_count": Case(
        s.BulletCount("exactly", 3),
        "Intro:\n* one\n* two\n- three",
        "no bullets at all",
        "* one\n* two",
    ),
    "numbered_item_count": Case(
        s.NumberedItemCount("exactly", 2), "1. first\n2. second", "none", "1. first"
    ),
    "section_count": Case(
        s.SectionCount("at_least", 2, marker="SECTION"),
        "SECTION 1\nintro\nSECTION 2\nbody",
        "no sections",
        "SECTION 1\nonly one",
    ),
    "highlight_count": Case(
        s.HighlightCount("at_least", 2),
        "This is *key* and **vital**.",
        "plain text",
        "only *one* highlight",
    ),
    "placeholder_count": Case(
        s.PlaceholderCount("at_least", 2),
        "Dear [name], at [address].",
        "Dear John.",
        "Dear [name].",
    ),
    "markdown_table_count": Case(
        s.MarkdownTableCount("at_least", 2),
        f"{TABLE}\n\n{TABLE}",
        "no table",
        TABLE,
    ),
    "code_block_count": Case(
        s.CodeBlockCount("at_least", 2, language="python"),
        f"{PY}\n\n{PY}",
        "no code",
        PY,
    ),
    "keyword_frequency": Case(
        s.KeywordFrequency("at_least", 3, keyword="cat"),
        "cat, cat and cat",
        "a dog",
        "cat and cat",
    ),
    "letter_frequency": Case(
        s.LetterFrequency("less_than", 3, letter="z"),
        "zz top",
        "zzzzzzzz",
        "zzz top",
    ),
    "capital_word_count": Case(
        s.CapitalWordCount("at_least", 2),
        "THE BIG dog",
        "the big dog",
        "THE big dog",
    ),
    "regex_count": Case(
        s.RegexCount("exactly", 0, pattern=r"\d+"),
        "no digits here",
        "1 2 3 4 5",
        "just 1 digit",
    ),
    "paragraph_first_word": Case(
        s.ParagraphFirstWord(2, "However", paragraphs=2),
        "First point.\n\nHowever, a second.",
        "one block only",
        "First point.\n\nMoreover, a second.",
    ),
    "title": Case(s.Title(), "<<My Poem>>\nroses", "roses are red", "# My Poem\nroses"),
    "postscript": Case(
        s.Postscript("P.S."),
        "Main text.\n\nP.S. see you",
        "Main text.",
        "Main text.\n\nPS see you",
    ),
    "separated_responses": Case(
        s.SeparatedResponses(),
        "Answer one.\n******\nAnswer two.",
        "Just one answer.",
        "Same answer.\n******\nSame answer.",
    ),
    "repeat_request": Case(
        s.RepeatRequest("Tell me a joke about cats"),
        "Tell me a joke about cats\n\nWhy did the cat...",
        "Sure! Here is a joke.",
        "Tell me a joke about dogs\n\nWhy...",
    ),
    "keywords_present": Case(
        s.KeywordsPresent(("alpha", "beta")),
        "Alpha and BETA.",
        "gamma",
        "alpha only",
    ),
    "forbidden_words": Case(
        s.ForbiddenWords(("bad",)), "a good day", "bad bad bad bad bad bad", "this is bad"
    ),
    "all_lowercase": Case(s.AllLowercase(), "all in lower case", "ALL UPPER", "Mostly lower"),
    "all_uppercase": Case(s.AllUppercase(), "ALL UPPER", "all lower", "ALL UPPEr"),
    "forbidden_characters": Case(
        s.ForbiddenCharacters(","), "no commas here", "a,b,c,d,e,f,g,h", "one, comma"
    ),
    "starts_with": Case(
        s.StartsWith("Dear team"), "Dear team, hello.", "Hello all.", "Dear tea, hello."
    ),
    "ends_with": Case(
        s.EndsWith("Any other questions?"),
        "That is all. Any other questions?",
        "That is all.",
        "That is all. Any other questions? Bye.",
    ),
    "wrapped_in_quotes": Case(s.WrappedInQuotes(), '"quoted"', "bare", '"half quoted'),
    "valid_json": Case(
        s.ValidJson(),
        '```json\n{"a": 1}\n```',
        "not json",
        'Here you go: {"a": 1}',
    ),
    "json_schema": Case(
        s.JsonSchema(
            {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}}}
        ),
        '{"a": 1}',
        "nope",
        '{"a": "one"}',
    ),
    "response_language": Case(
        s.ResponseLanguage("fr"),
        "Bonjour mes amis, comment allez-vous aujourd'hui? Il fait très beau.",
        "Hello my friends, how are you today? The weather is lovely.",
        "Bonjour mes amis, comment allez-vous aujourd'hui? "
        "Hello my friends, how are you today? I am fine, thanks.",
    ),
    "answer_option": Case(s.AnswerOption(), "My answer is yes.", "Probably.", "my answer is yes"),
}


def test_every_family_has_a_case() -> None:
    assert set(CASES) == set(s.FAMILIES)


@pytest.mark.parametrize("family", sorted(CASES))
def test_passing_text_passes(family: str) -> None:
    case = CASES[family]
    verdict = run_check(case.spec, case.passing, prompt=case.prompt)
    assert verdict.passed, verdict
    assert verdict.score == 1.0
    assert verdict.fix_hint == ""
    assert verdict.method == f"check:{family}"


@pytest.mark.parametrize("family", sorted(CASES))
def test_failing_text_fails_with_a_hint(family: str) -> None:
    case = CASES[family]
    verdict = run_check(case.spec, case.failing, prompt=case.prompt)
    assert not verdict.passed, verdict
    assert verdict.score < 1.0
    assert verdict.reason and verdict.fix_hint


@pytest.mark.parametrize("family", sorted(CASES))
def test_nearly_passing_text_gets_a_graded_score(family: str) -> None:
    case = CASES[family]
    near = run_check(case.spec, case.nearly, prompt=case.prompt)
    far = run_check(case.spec, case.failing, prompt=case.prompt)
    assert not near.passed, near
    assert 0.0 < near.score < 1.0, near
    assert near.score >= far.score
    assert near.fix_hint


@pytest.mark.parametrize("family", sorted(CASES))
def test_empty_answer_fails_every_family(family: str) -> None:
    verdict = run_check(CASES[family].spec, "   \n")
    assert not verdict.passed
    assert verdict.score == 0.0
