"""The compiler: deterministic phrasings, the model fallback, judge rubrics, conflicts."""

from __future__ import annotations

import json

import pytest

from cadenza.errors import RequirementError
from cadenza.providers.scripted import Reply, ScriptedModel
from cadenza.requirements.compile import (
    compile_requirement,
    compile_requirements,
    compile_text,
    conflicts_of,
    read_compile_answer,
)
from cadenza.requirements.spec import (
    AllLowercase,
    AnswerOption,
    BulletCount,
    EndsWith,
    ForbiddenCharacters,
    ForbiddenWords,
    HighlightCount,
    KeywordFrequency,
    KeywordsPresent,
    LetterFrequency,
    ParagraphCount,
    ParagraphFirstWord,
    PlaceholderCount,
    Postscript,
    RepeatRequest,
    ResponseLanguage,
    SectionCount,
    SentenceCount,
    SeparatedResponses,
    Title,
    ValidJson,
    WordCount,
    WrappedInQuotes,
)
from cadenza.task import Requirement

PHRASINGS = [
    ("at least 300 words", WordCount("at_least", 300)),
    ("Answer with less than 50 words.", WordCount("less_than", 50)),
    ("Keep it 100 words or less", WordCount("at_most", 100)),
    ("Write a 300+ word essay", WordCount("at_least", 300)),
    ("between 100 and 120 words", WordCount("between", 100, 120)),
    ("Your response should contain fewer than 6 sentences.", SentenceCount("less_than", 6)),
    ("at least ten sentences", SentenceCount("at_least", 10)),
    ("Do not use any commas.", ForbiddenCharacters(",")),
    ("no commas", ForbiddenCharacters(",")),
    ("Your entire response must be in all lowercase letters.", AllLowercase()),
    ("Wrap your entire response with double quotation marks.", WrappedInQuotes('"')),
    ('Finish your response with the exact phrase "Any questions?"', EndsWith("Any questions?")),
    ('Include the keywords "alpha" and "beta".', KeywordsPresent(("alpha", "beta"))),
    ("Do not use the words 'bark' or 'run'.", ForbiddenWords(("bark", "run"))),
    ("The letter q should appear at least 5 times.", LetterFrequency("at_least", 5, letter="q")),
    (
        "The word sneaker should appear 10 or more times.",
        KeywordFrequency("at_least", 10, keyword="sneaker"),
    ),
    ("Respond in German, no other language is allowed.", ResponseLanguage("de")),
    ("Wrap the entire output in JSON format.", ValidJson()),
    ("Include a title wrapped in double angular brackets, like <<title>>.", Title()),
    (
        "Highlight at least 3 sections with markdown, i.e. *highlighted*.",
        HighlightCount("at_least", 3),
    ),
    ("At the end, add a postscript starting with P.S.", Postscript("P.S.")),
    ("Use exactly 4 bullet points.", BulletCount("exactly", 4)),
    (
        "Include at least 12 placeholders in square brackets like [name].",
        PlaceholderCount("at_least", 12),
    ),
    (
        'Answer with one of: "My answer is yes.", "My answer is no.", "My answer is maybe."',
        AnswerOption(),
    ),
]


@pytest.mark.parametrize(("text", "expected"), PHRASINGS)
def test_common_phrasings_compile_to_the_expected_check(text: str, expected: object) -> None:
    assert expected in compile_text(text)


def test_structure_phrasings_read_across_sentences() -> None:
    text = (
        "There should be exactly 4 paragraphs. Paragraphs are separated by two new lines. "
        'Paragraph 2 must start with the word "it".'
    )
    assert compile_text(text) == (ParagraphFirstWord(2, "it", 4),)
    stars = "Write exactly 3 paragraphs. Separate paragraphs with the markdown divider: ***"
    assert ParagraphCount("exactly", 3, marker="***") in compile_text(stars)
    sections = (
        "Your response must have 4 sections. Mark the beginning of each section with SECTION X."
    )
    assert SectionCount("at_least", 4, marker="SECTION") in compile_text(sections)
    two = "Give two different responses separated by 6 asterisk symbols ******."
    assert SeparatedResponses(2, "******") in compile_text(two)


def test_repeat_request_keeps_the_request_text() -> None:
    prompt = (
        "Write a haiku about tea.\n"
        "First repeat the request word for word without change, then answer."
    )
    (spec,) = compile_text(prompt)
    assert spec == RepeatRequest("Write a haiku about tea.")


def test_unparsed_requirement_becomes_a_judge_rubric() -> None:
    compiled = compile_requirement("Use a warm, friendly tone for parents")
    assert compiled.method == "judge" and compiled.judged
    assert compiled.rubric == "Use a warm, friendly tone for parents"


def test_maestro_shape_keeps_mandatory_flag() -> None:
    compiled = compile_requirement(
        {"name": "short", "description": "at most 50 words", "is_mandatory": False}
    )
    assert compiled.requirement == Requirement("at most 50 words", "short", False)
    assert compiled.specs == (WordCount("at_most", 50),)


@pytest.mark.anyio
async def test_contradictions_are_reported_before_any_model_call() -> None:
    model = ScriptedModel(["{}"])
    with pytest.raises(
        RequirementError, match=r"at least 300 words.*contradicts.*at most 100 words"
    ):
        await compile_requirements(["at least 300 words", "at most 100 words"], model=model)
    assert model.calls == 0


def test_optional_requirements_do_not_conflict() -> None:
    compiled = [
        compile_requirement("at least 300 words"),
        compile_requirement({"description": "at most 100 words", "is_mandatory": False}),
    ]
    assert conflicts_of(compiled) == []


@pytest.mark.anyio
async def test_model_maps_unparsed_text_into_validated_checks() -> None:
    answer = {"kind": "check", "checks": [{"family": "word_count", "relation": "at_most", "n": 40}]}
    model = ScriptedModel([json.dumps(answer)])
    (compiled,) = await compile_requirements(["keep the reply tweet-sized"], model=model)
    assert compiled.method == "llm"
    assert compiled.specs == (WordCount("at_most", 40),)
    request = model.requests[0]
    assert request.json_schema is not None and "kind" in request.json_schema["properties"]


@pytest.mark.anyio
async def test_invalid_model_mapping_falls_back_to_the_judge() -> None:
    bad = {
        "kind": "check",
        "checks": [{"family": "regex_count", "relation": "at_least", "n": 1, "pattern": "(("}],
    }
    model = ScriptedModel([json.dumps(bad)])
    (compiled,) = await compile_requirements(["must look like a phone number"], model=model)
    assert compiled.judged and compiled.method == "judge"
    assert "does not compile" in compiled.note


def test_unclear_answer_is_reported_not_dropped() -> None:
    req = Requirement("zorp the flibber")
    compiled = read_compile_answer(req, '{"kind": "unclear", "rubric": ""}')
    assert compiled.method == "not_understood" and compiled.rubric == "zorp the flibber"
    assert read_compile_answer(req, "not json").judged


def test_judge_answer_keeps_the_requirement_text_in_the_rubric() -> None:
    compiled = read_compile_answer(
        Requirement("formal tone"), '{"kind": "judge", "rubric": "no slang"}'
    )
    assert compiled.rubric is not None and compiled.rubric.startswith("formal tone")


@pytest.mark.anyio
async def test_model_error_leaves_requirement_judged() -> None:
    from cadenza.errors import ProviderUnavailableError

    model = ScriptedModel([Reply(error=ProviderUnavailableError("down", provider="scripted"))])
    (compiled,) = await compile_requirements(["sound like a pirate"], model=model)
    assert compiled.judged and "failed" in compiled.note
