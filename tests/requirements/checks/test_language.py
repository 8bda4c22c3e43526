"""Response language by seeded langdetect."""

from __future__ import annotations

from cadenza.requirements import spec as s
from cadenza.requirements.checks import run_check

GERMAN = "Das Wetter ist heute sehr schön und wir gehen im Park spazieren."


def test_language_detected_and_deterministic() -> None:
    verdicts = {run_check(s.ResponseLanguage("de"), GERMAN) for _ in range(5)}
    assert len(verdicts) == 1 and next(iter(verdicts)).passed


def test_undetectable_text_passes_as_in_ifeval() -> None:
    assert run_check(s.ResponseLanguage("ja"), "12345 67890").passed


def test_wrong_language_names_sentences() -> None:
    text = (
        f"{GERMAN} The meeting is at noon and everyone in the office is invited. "
        "I will bring some food and drinks for all of the people who come."
    )
    v = run_check(s.ResponseLanguage("de"), text)
    assert not v.passed
    assert "sentences 2 and 3" in v.fix_hint
    assert 0 < v.score < 1
