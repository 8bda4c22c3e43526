"""Start/end phrases, quotes, markdown tables and code blocks."""

from __future__ import annotations

from cadenza.requirements import spec as s
from cadenza.requirements.checks import run_check


def test_end_phrase_ignores_case_whitespace_and_wrapping_quotes() -> None:
    spec = s.EndsWith("Is there anything else I can help with?")
    assert run_check(spec, '"Hi. is there anything else i can help with?"\n').passed
    v = run_check(spec, "Hi. Is there anything else I can help with? Cheers!")
    assert not v.passed and "delete everything after it" in v.fix_hint


def test_end_phrase_case_sensitive_when_asked() -> None:
    assert not run_check(s.EndsWith("THE END", case_sensitive=True), "the end").passed


def test_starts_with_ignores_leading_whitespace() -> None:
    assert run_check(s.StartsWith("Dear"), "\n  dear all").passed


def test_quotes() -> None:
    assert run_check(s.WrappedInQuotes(), '  "a"  ').passed
    assert not run_check(s.WrappedInQuotes(), '"').passed
    v = run_check(s.WrappedInQuotes(), 'text"')
    assert "opening" in v.reason


def test_tables_need_a_rule_row_under_a_pipe_row() -> None:
    spec = s.MarkdownTableCount("exactly", 1)
    assert run_check(spec, "| a | b |\n| :-- | --: |\n| 1 | 2 |").passed
    assert not run_check(spec, "a | b\nno rule").passed


def test_code_blocks_by_language_and_unclosed() -> None:
    text = "```python\nx\n```\n```js\ny\n```\n```python\nz"
    v = run_check(s.CodeBlockCount("at_least", 2, language="python"), text)
    assert not v.passed and "1 unclosed" in v.reason and "close the unclosed" in v.fix_hint
    assert run_check(s.CodeBlockCount("exactly", 2), text).passed
