"""Extraction of requirements from the prompt text alone."""

from __future__ import annotations

import json

import pytest

from cadenza.providers.scripted import ScriptedModel
from cadenza.requirements.extract import (
    extract_requirements,
    extract_requirements_with_model,
    read_extract_answer,
)
from cadenza.requirements.spec import (
    ForbiddenCharacters,
    HighlightCount,
    ParagraphCount,
    WordCount,
)

PROMPT = (
    'Write a 300+ word summary of the wikipedia page "https://en.wikipedia.org/wiki/X". '
    "Do not use any commas and highlight at least 3 sections that has titles in markdown "
    "format, for example *highlighted section part 1*."
)


def test_extracts_each_requirement_with_its_sentence() -> None:
    found = extract_requirements(PROMPT)
    specs = [s for c in found for s in c.specs]
    assert WordCount("at_least", 300) in specs
    assert ForbiddenCharacters(",") in specs
    assert HighlightCount("at_least", 3) in specs
    assert all(c.method == "parsed" for c in found)
    commas = next(c for c in found if ForbiddenCharacters(",") in c.specs)
    assert "Do not use any commas" in commas.requirement.description


def test_a_plain_task_has_no_requirements() -> None:
    assert extract_requirements("Tell me about the history of Rome.") == []


@pytest.mark.anyio
async def test_model_is_asked_only_when_rules_find_nothing() -> None:
    model = ScriptedModel(
        [json.dumps({"requirements": ["Use a playful tone", "Use at most 50 words"]})]
    )
    assert await extract_requirements_with_model(PROMPT, model=model)
    assert model.calls == 0
    found = await extract_requirements_with_model(
        "Describe Rome to kids, playfully, briefly.", model=model
    )
    # 1 extraction call + 1 compile call for the tone requirement (the word limit parses)
    assert model.calls == 2
    methods = {c.requirement.description: c.method for c in found}
    assert methods["Use at most 50 words"] == "parsed"
    assert methods["Use a playful tone"] in ("judge", "not_understood")


def test_model_answers_are_cleaned() -> None:
    prompt = "Write a poem."
    text = json.dumps({"requirements": ["Write a poem.", " rhyme  please ", "rhyme please", 3]})
    assert read_extract_answer(text, prompt) == ["rhyme please"]
    assert read_extract_answer("oops", prompt) == []


@pytest.mark.real_model
@pytest.mark.anyio
async def test_real_model_extraction_returns_compiled_requirements() -> None:
    from cadenza.providers.registry import resolve
    from cadenza.settings import Settings

    model = resolve("local:smollm2-135m", Settings.load())
    found = await extract_requirements_with_model(
        "Write a cheerful note to my team about Friday's picnic.", model=model
    )
    for compiled in found:  # whatever the small model lists is compiled or judged, never dropped
        assert compiled.specs or compiled.rubric


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            'Separate your thinking and the final answer by a line with just three "*" '
            "symbols: ***",
            ParagraphCount("exactly", 2, marker="***"),
        ),
        (
            "Separate paragraphs with the markdown divider: ***",
            ParagraphCount("at_least", 2, marker="***"),
        ),
        (
            "There should be 3 paragraphs. Paragraphs are separated with the markdown divider: ***",
            ParagraphCount("exactly", 3, marker="***"),
        ),
    ],
)
def test_a_divider_between_two_named_parts_means_exactly_two(
    sentence: str, expected: ParagraphCount
) -> None:
    specs = [s for c in extract_requirements(sentence) for s in c.specs]
    assert specs == [expected]
