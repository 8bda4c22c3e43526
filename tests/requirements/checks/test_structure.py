"""Structure checks: IFEval's rules for bullets, sections, highlights, titles,
first words, postscripts, separated responses and repeating the request."""

from __future__ import annotations

from cadenza.requirements import spec as s
from cadenza.requirements.checks import run_check


def test_bullets_count_star_and_dash_lines_but_not_bold() -> None:
    text = "* one\n  - two\n**bold line**\n* three"
    assert run_check(s.BulletCount("exactly", 3), text).passed


def test_bullet_hint_mentions_dash_lines_when_too_many() -> None:
    v = run_check(s.BulletCount("exactly", 1), "* a\n---\n* b")
    assert not v.passed and "'-'" in v.fix_hint


def test_sections_need_marker_and_number() -> None:
    spec = s.SectionCount("at_least", 2, marker="Section")
    assert run_check(spec, "Section 1\nA\nSection 2\nB").passed
    v = run_check(spec, "Section one\nA\nSection two\nB")
    assert not v.passed and "'Section 1'" in v.fix_hint


def test_highlights_single_and_double_stars() -> None:
    assert run_check(s.HighlightCount("at_least", 2), "*a* then **b**").passed
    assert not run_check(s.HighlightCount("at_least", 1), "** ** and * *").passed


def test_title_must_be_in_double_angular_brackets() -> None:
    assert run_check(s.Title(), "x <<A title>> y").passed
    v = run_check(s.Title(), "<single> title")
    assert not v.passed and "<<single>>" in v.fix_hint


def test_first_word_rules_and_hint() -> None:
    spec = s.ParagraphFirstWord(3, "However", paragraphs=3)
    text = 'One.\n\nTwo.\n\n"However," she said.'
    assert run_check(spec, text).passed  # quotes and punctuation are cut
    v = run_check(spec, "One.\n\nTwo.\n\nMoreover, three.")
    assert not v.passed
    assert "paragraph 3 must start with the word 'However'" in v.fix_hint
    assert "'moreover'" in v.reason


def test_first_word_counts_paragraphs() -> None:
    v = run_check(s.ParagraphFirstWord(1, "hello", paragraphs=2), "Hello.\n\nWorld.\n\nMore.")
    assert not v.passed and "needs exactly 2" in v.reason and v.score == 0.75


def test_postscript_markers() -> None:
    assert run_check(s.Postscript("P.P.S"), "text\nP.P.S. later").passed
    assert run_check(s.Postscript("P.S."), "text\np.s. lower case is fine").passed
    assert not run_check(s.Postscript("P.P.S"), "text\nP.S. later").passed


def test_separated_responses_rules() -> None:
    spec = s.SeparatedResponses()
    assert run_check(spec, "******\nA\n******\nB").passed  # empty first part is fine
    v = run_check(spec, "A\n******\n******\nB")
    assert not v.passed and "empty response" in v.reason
    assert run_check(s.SeparatedResponses(count=3), "A\n******\nB\n******\nC").passed


def test_repeat_request_uses_prompt_when_spec_has_no_text() -> None:
    spec = s.RepeatRequest()
    assert run_check(spec, "write a poem\n\nRoses...", prompt="Write a poem").passed
    v = run_check(spec, "Here: write a poem", prompt="Write a poem")
    assert not v.passed and "'Write a poem'" in v.fix_hint
    assert not run_check(spec, "anything").passed  # no prompt: cannot be met
