"""Format checks: start and end phrases, wrapping quotes, markdown tables, code blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cadenza.requirements.checks.grade import count_verdict, failed, passed, plural, quote
from cadenza.requirements.spec import (
    CodeBlockCount,
    EndsWith,
    MarkdownTableCount,
    StartsWith,
    WrappedInQuotes,
)
from cadenza.requirements.verdict import Verdict

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*([\w+#.-]*)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def check_starts_with(spec: StartsWith, text: str) -> Verdict:
    body = text.lstrip()
    want = spec.phrase.strip()
    a, b = (body, want) if spec.case_sensitive else (body.lower(), want.lower())
    if a.startswith(b):
        return passed(spec.family, f"starts with {quote(want)}")
    same = _common_prefix(a, b)
    return failed(
        spec.family,
        same / len(b),
        f"starts with {quote(body[: max(len(want), 20)])}, not {quote(want)}",
        f"begin the answer with exactly {quote(want, 120)}, with nothing before it",
    )


def ends_with_body(text: str) -> str:
    """What the end-phrase check looks at: the text without surrounding whitespace
    and wrapping double quotes (IFEval's rule)."""
    return text.strip().strip('"')


def check_ends_with(spec: EndsWith, text: str) -> Verdict:
    body = ends_with_body(text)
    want = spec.phrase.strip()
    a, b = (body, want) if spec.case_sensitive else (body.lower(), want.lower())
    if a.endswith(b):
        return passed(spec.family, f"ends with {quote(want)}")
    at = a.rfind(b)
    if at >= 0:
        tail = body[at + len(b) :]
        return failed(
            spec.family,
            0.6,
            f"{quote(want)} is there but {plural(len(tail), 'character')} follow it "
            f"({quote(tail)})",
            f"end the answer with {quote(want, 120)}: delete everything after it",
        )
    same = _common_suffix(a, b)
    return failed(
        spec.family,
        0.5 * same / len(b),
        f"ends with {quote(body[-max(len(want), 20) :])}, not {quote(want)}",
        f"finish the answer with exactly {quote(want, 120)} and nothing after it",
    )


def check_quotes(spec: WrappedInQuotes, text: str) -> Verdict:
    body = text.strip()
    q = spec.quote
    starts = body.startswith(q)
    ends = len(body) > 1 and body.endswith(q)
    if starts and ends:
        return passed(spec.family, f"wrapped in {q}")
    if starts or ends:
        side = "closing" if starts else "opening"
        return failed(
            spec.family,
            0.5,
            f"the {side} {q} is missing",
            f"add the {side} {q} so the whole answer is wrapped in {q}...{q}",
        )
    return failed(
        spec.family,
        0.0,
        f"not wrapped in {q}",
        f"put {q} before the first character and after the last one of the whole answer",
    )


@dataclass(frozen=True, slots=True)
class CodeBlock:
    language: str
    closed: bool


def code_blocks(text: str) -> list[CodeBlock]:
    """Fenced code blocks (``` or ~~~), with their language tag."""
    blocks: list[CodeBlock] = []
    fence: str | None = None
    language = ""
    for line in text.splitlines():
        m = _FENCE.match(line)
        if not m:
            continue
        if fence is None:
            fence, language = m.group(1), m.group(2).lower()
        elif m.group(1).startswith(fence[0]) and len(m.group(1)) >= len(fence) and not m.group(2):
            blocks.append(CodeBlock(language, True))
            fence = None
    if fence is not None:
        blocks.append(CodeBlock(language, False))
    return blocks


def check_code_blocks(spec: CodeBlockCount, text: str) -> Verdict:
    blocks = code_blocks(text)
    want_lang = spec.language.lower() if spec.language else None
    counted = [b for b in blocks if b.closed and (want_lang is None or b.language == want_lang)]
    unclosed = sum(1 for b in blocks if not b.closed)
    noun = f"closed ```{want_lang} code block" if want_lang else "closed code block"
    detail = f"{unclosed} unclosed" if unclosed else ""
    return count_verdict(
        family=spec.family,
        relation=spec.relation,
        n=spec.n,
        n_max=spec.n_max,
        value=len(counted),
        noun=noun,
        detail=detail,
        add_hint=lambda k: (
            f"add {plural(k, 'fenced code block')} (```{want_lang or ''} ... ```)"
            + ("; close the unclosed fence" if unclosed else "")
        ),
        cut_hint=lambda k: f"remove or merge {plural(k, 'code block')}",
    )


def markdown_tables(text: str) -> int:
    """Markdown tables: a row with a pipe directly followed by a ``|---|`` rule."""
    lines = text.splitlines()
    count = 0
    for i in range(1, len(lines)):
        rule = lines[i]
        if "|" in rule and "-" in rule and _TABLE_RULE.match(rule) and "|" in lines[i - 1]:
            count += 1
    return count


def check_tables(spec: MarkdownTableCount, text: str) -> Verdict:
    return count_verdict(
        family=spec.family,
        relation=spec.relation,
        n=spec.n,
        n_max=spec.n_max,
        value=markdown_tables(text),
        noun="markdown table",
        add_hint=lambda k: (
            f"add {plural(k, 'markdown table')}: a header row '| a | b |', then '|---|---|', "
            "then the rows"
        ),
        cut_hint=lambda k: f"remove or merge {plural(k, 'table')}",
    )


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
