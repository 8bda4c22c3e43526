"""Case and character checks."""

from __future__ import annotations

from cadenza.requirements import spec as s
from cadenza.requirements.checks import run_check


def test_lowercase_names_offending_words() -> None:
    v = run_check(s.AllLowercase(), "hello from Paris and NASA")
    assert not v.passed and "'Paris'" in v.reason and "lowercase" in v.fix_hint
    assert run_check(s.AllLowercase(), "hello 123 — ok").passed


def test_no_letters_is_neither_lower_nor_upper() -> None:
    assert not run_check(s.AllLowercase(), "123 456").passed
    assert not run_check(s.AllUppercase(), "123 456").passed


def test_capital_words_use_nltk_tokens() -> None:
    # "I" counts; "U.S." is one token with letters all upper -> counts too.
    spec = s.CapitalWordCount("exactly", 2)
    assert run_check(spec, "I live in the U.S. now").passed
    v = run_check(s.CapitalWordCount("less_than", 1), "I AM HERE")
    assert not v.passed and "'I'" in v.fix_hint


def test_commas_located_by_sentence() -> None:
    text = "No comma here. One, two, three, and four. Clean. Fine. Last, yes."
    v = run_check(s.ForbiddenCharacters(","), text)
    assert v.reason.startswith("4 commas, in sentences 2 and 5")
    assert v.fix_hint == "rewrite sentences 2 and 5 without ','"
    assert v.score == 0.5**4
