"""Keyword checks: substring matching for required keywords (IFEval), whole words for
forbidden ones, frequencies and fixed answer options."""

from __future__ import annotations

from cadenza.requirements import spec as s
from cadenza.requirements.checks import run_check


def test_keywords_match_inside_words_unless_whole_word() -> None:
    assert run_check(s.KeywordsPresent(("cat",)), "A category.").passed
    assert not run_check(s.KeywordsPresent(("cat",), whole_word=True), "A category.").passed


def test_missing_keywords_are_named() -> None:
    v = run_check(s.KeywordsPresent(("alpha", "beta", "gamma")), "alpha")
    assert "'beta', 'gamma'" in v.reason and "'beta'" in v.fix_hint
    assert abs(v.score - 1 / 3) < 1e-9


def test_keywords_are_literal_not_regex() -> None:
    assert not run_check(s.KeywordsPresent(("c++",)), "ccc").passed
    assert run_check(s.KeywordsPresent(("c++",)), "I like C++.").passed


def test_forbidden_words_are_whole_words_and_located() -> None:
    spec = s.ForbiddenWords(("bad",))
    assert run_check(spec, "A badge is fine.").passed
    v = run_check(spec, "Fine start. Still fine. This is BAD.")
    assert not v.passed and "sentence 3" in v.reason


def test_keyword_frequency_notes_matches_inside_longer_words() -> None:
    v = run_check(s.KeywordFrequency("less_than", 2, keyword="art"), "Art is in the heart.")
    assert not v.passed
    assert "heart" in v.reason and "inside longer words" in v.fix_hint


def test_answer_option_is_exact_substring() -> None:
    assert run_check(s.AnswerOption(), "Well... My answer is maybe. Because").passed
    v = run_check(s.AnswerOption(options=("Yes", "No")), "Maybe")
    assert not v.passed and "'Yes' / 'No'" in v.fix_hint
