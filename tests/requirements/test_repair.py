"""Deterministic repairs: applied when the failed check then passes and nothing else
regresses; refused otherwise."""

from __future__ import annotations

import pytest

from cadenza.requirements import spec as s
from cadenza.requirements.checks import run_check
from cadenza.requirements.repair import RepairOptions, repair, repair_all

TEXT = "Hello, world. This is fine, really.\n\nA second paragraph here."


@pytest.mark.parametrize(
    ("failed", "text"),
    [
        (s.AllLowercase(), "Hello World."),
        (s.AllUppercase(), "Hello World."),
        (s.ForbiddenCharacters(","), TEXT),
        (s.EndsWith("Any other questions?"), TEXT),
        (s.Postscript("P.P.S"), TEXT),
        (s.WrappedInQuotes(), TEXT),
        (s.ValidJson(), 'Sure! Here it is:\n{"a": [1, 2]}\nEnjoy.'),
        (s.JsonSchema({"type": "object", "required": ["a"]}), 'Result: {"a": 1} done'),
        (s.ParagraphCount("exactly", 2, marker="***"), TEXT),
        (s.ParagraphCount("exactly", 2, marker="***"), "One.\n\n---\n\nTwo."),
        (s.Title(), "# A Day Out\nWe walked."),
        (s.RepeatRequest("Write about cats."), "Cats are great."),
        (s.AnswerOption(), "my answer is yes"),
    ],
)
def test_repair_applies_when_safe(failed: s.CheckSpec, text: str) -> None:
    assert not run_check(failed, text).passed
    fixed = repair(text, failed, [failed])
    assert fixed is not None
    assert run_check(failed, fixed).passed


def test_comma_removal_keeps_spacing() -> None:
    fixed = repair("One, two ,three 1,000.", s.ForbiddenCharacters(","), [])
    assert fixed == "One two three 1000."


def test_postscript_and_title_content_from_caller() -> None:
    opts = RepairOptions(postscript="Call me later.", title="Sea Song")
    fixed = repair(TEXT, s.Postscript(), [], options=opts)
    assert fixed is not None and fixed.endswith("P.S. Call me later.")
    titled = repair("Waves roll in. They roll out.", s.Title(), [], options=opts)
    assert titled is not None and titled.startswith("<<Sea Song>>")


def test_title_refused_without_a_safe_title() -> None:
    assert repair("A long first sentence that is clearly not a title.", s.Title(), []) is None


def test_end_phrase_goes_inside_wrapping_quotes() -> None:
    spec = s.EndsWith("Bye.")
    fixed = repair('"Hi there."', spec, [spec, s.WrappedInQuotes()])
    assert fixed == '"Hi there. Bye."'


def test_end_phrase_prefers_a_form_that_keeps_the_paragraph_count() -> None:
    spec = s.EndsWith("Any other questions?")
    others = [spec, s.ParagraphCount("exactly", 2)]
    fixed = repair(TEXT, spec, others)
    assert fixed is not None and fixed.endswith("here. Any other questions?")


def test_refused_when_another_check_would_regress() -> None:
    # Lowercasing would break the case-sensitive start phrase.
    specs = [s.AllLowercase(), s.StartsWith("Dear NASA", case_sensitive=True)]
    assert repair("Dear NASA, hello.", specs[0], specs) is None
    # Appending the postscript would break the passing end phrase.
    ends = s.EndsWith("really.")
    assert repair("It is fine, really.", s.Postscript(), [s.Postscript(), ends]) is None
    # Adding the end phrase would push the word count over its limit.
    spec = s.EndsWith("Is there anything else I can help with?")
    assert repair("Short answer.", spec, [spec, s.WordCount("at_most", 5)]) is None


def test_no_repair_for_content_families_or_passing_text() -> None:
    assert repair("a bad idea", s.ForbiddenWords(("bad",)), []) is None
    assert repair("few words", s.WordCount("at_least", 100), []) is None
    assert repair("all lower", s.AllLowercase(), []) is None  # already passes


def test_repair_all_fixes_several() -> None:
    specs = [s.AllLowercase(), s.ForbiddenCharacters(","), s.EndsWith("the end")]
    text, repaired = repair_all("Hello, World", specs)
    assert repaired == specs
    assert all(run_check(x, text).passed for x in specs)
