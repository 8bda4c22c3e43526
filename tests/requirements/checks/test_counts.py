"""Length checks: IFEval's counting rules and the fix hints."""

from __future__ import annotations

from cadenza.requirements import spec as s
from cadenza.requirements.checks import run_check


def test_word_count_reason_and_hint_say_how_many() -> None:
    v = run_check(s.WordCount("at_least", 300), " ".join(["word"] * 214))
    assert v.reason == "214 words; needs at least 300"
    assert "add about 86 words" in v.fix_hint
    assert 0.7 < v.score < 0.72


def test_words_are_runs_of_word_characters() -> None:
    # "don't" is two \w+ runs, "e-mail" two, "42" one: 1 + 2 + 2 + 1 = 6
    assert run_check(s.WordCount("exactly", 6), "Hi don't e-mail 42").passed


def test_less_than_is_strict_and_cut_hint() -> None:
    v = run_check(s.WordCount("less_than", 5), "one two three four five")
    assert not v.passed
    assert "cut about 1 words" in v.fix_hint or "cut about 1 word" in v.fix_hint
    assert run_check(s.WordCount("less_than", 6), "one two three four five").passed


def test_between_and_more_than() -> None:
    assert run_check(s.WordCount("between", 2, 4), "a b c").passed
    assert not run_check(s.WordCount("between", 2, 4), "a b c d e").passed
    assert not run_check(s.WordCount("more_than", 3), "a b c").passed
    assert run_check(s.WordCount("more_than", 3), "a b c d").passed


def test_sentences_use_punkt_so_abbreviations_do_not_split() -> None:
    assert run_check(s.SentenceCount("exactly", 2), "Mr. Smith went home. He slept.").passed


def test_marker_paragraphs_follow_ifeval() -> None:
    spec = s.ParagraphCount("exactly", 2, marker="***")
    assert run_check(spec, "***\nOne.\n***\nTwo.\n***").passed  # empty ends do not count
    v = run_check(spec, "One.\n***\n\n***\nTwo.")
    assert not v.passed and "empty paragraph" in v.reason


def test_blank_line_paragraphs() -> None:
    spec = s.ParagraphCount("at_most", 2)
    v = run_check(spec, "a\n\nb\n\nc")
    assert not v.passed and "3 paragraphs" in v.reason
    assert "merge" in v.fix_hint


def test_lines_characters_letters() -> None:
    assert run_check(s.LineCount("exactly", 2), "a\n\n  \nb\n").passed
    assert run_check(s.CharacterCount("exactly", 3, include_spaces=False), " a b c ").passed
    assert run_check(s.LetterFrequency("at_least", 3, letter="Q"), "q Q qu").passed


def test_regex_must_match_and_must_not_match() -> None:
    must = s.RegexCount("at_least", 1, pattern=r"^Answer:", multiline=True)
    assert run_check(must, "intro\nAnswer: 4").passed
    must_not = s.RegexCount("exactly", 0, pattern=r"\bTODO\b", ignore_case=True)
    v = run_check(must_not, "todo: fix")
    assert not v.passed and "'todo'" in v.reason
