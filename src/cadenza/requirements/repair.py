"""Safe deterministic repairs: fix a failed check without a model call, by edits that
keep the answer's content.

Allowed edits change case, punctuation, wrapping, whitespace and markers: lowercase or
capitalise everything, drop forbidden punctuation marks or emojis, strip markdown
emphasis or heading markers, wrap in quotes (a start or end that is only marks is put
on directly), put a divider between paragraphs, rewrite a pattern's near misses with
its own fix (an existing heading into a ``<<title>>``, "PS" into "P.S."), fix the case
of a required answer option.
Content is added or removed only when the requirement itself names it: the exact
closing phrase it asks for, the request it asks to repeat, JSON it asks for alone.
Nothing else (no boilerplate postscript, no pasted prompt, no cut sentences).

A repair is kept only when the repaired text passes the failed check and no other
check regresses (each is re-run before and after); the repaired candidate is then
validated like any other, the task's own requirement included.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence

from cadenza.requirements.lang import units as un
from cadenza.requirements.lang.build import flatten
from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.lang.formats import find_embedded_json
from cadenza.requirements.lang.nodes import (
    AnyOf,
    Case,
    Compare,
    Contains,
    EndsWith,
    Expr,
    Format,
    Named,
    Pattern,
    RepeatsRequest,
    Split,
    StartsWith,
    Text,
)

_RULE_LINE = re.compile(r"^[ \t]*(?:\*[ \t]*\*[ \t]*\*[ \t*]*|-{3,}|_{3,}|\*{3,})[ \t]*$", re.M)


def repair(
    text: str, failed: Expr, others: Sequence[Expr], request: str | None = None
) -> str | None:
    """`text` repaired for `failed`, or None when no safe repair exists (none for that
    kind of check, or every candidate breaks one of `others`)."""
    if evaluate(failed, text, request=request).passed:
        return None
    rest = [e for e in others if e != failed]
    before = [evaluate(e, text, request=request) for e in rest]
    for candidate in candidates(failed, text, request):
        if candidate == text or not candidate.strip():
            continue
        if not evaluate(failed, candidate, request=request).passed:
            continue
        after = [evaluate(e, candidate, request=request) for e in rest]
        if all(
            (a.passed or not b.passed) and a.score >= b.score - 1e-9
            for b, a in zip(before, after, strict=True)
        ):
            return candidate
    return None


def repair_all(
    text: str, exprs: Sequence[Expr], request: str | None = None
) -> tuple[str, list[Expr]]:
    """Apply every safe repair in turn; returns the text and the expressions repaired."""
    repaired: list[Expr] = []
    for expr in exprs:
        fixed = repair(text, expr, exprs, request)
        if fixed is not None:
            text = fixed
            repaired.append(expr)
    return text, repaired


def candidates(expr: Expr, text: str, request: str | None) -> Iterator[str]:
    """Repaired texts to try for `expr`, most conservative first. A conjunction is
    repaired part by part, each edit applied on top of the previous."""
    parts = flatten(expr)
    if len(parts) > 1:
        current = text
        for part in parts:
            if evaluate(part, current, request=request).passed:
                continue
            fixed = next(iter(_one(part, current, request)), None)
            if fixed is None:
                return
            current = fixed
        yield current
        return
    yield from _one(expr, text, request)


def _one(expr: Expr, text: str, request: str | None) -> Iterator[str]:
    match expr:
        case Case(kind="lower"):
            yield text.lower()
        case Case(kind="upper"):
            yield text.upper()
        case Compare() if expr.bound.interval()[1] == 0 and expr.count.where is None:
            yield from _remove(expr, text)
        case StartsWith() if _is_marks(expr.text):
            yield expr.text.strip() + text.lstrip()
        case EndsWith() if _is_marks(expr.text):
            yield _append(text, expr.text.strip(), "")
        case EndsWith():
            phrase = expr.text.strip()
            for sep in ("\n\n", " ", "\n"):
                yield _append(text, phrase, sep)
        case RepeatsRequest():
            wanted = expr.text if expr.text is not None else request
            if wanted and wanted.strip():
                yield f"{wanted.strip()}\n\n{text.strip()}"
        case Format(kind="json"):
            span = find_embedded_json(text)
            if span is not None:
                yield text[span[0] : span[1]]
        case AnyOf() if all(isinstance(i, Contains) for i in expr.items):
            for option in expr.items:
                assert isinstance(option, Contains)
                core = re.escape(option.text.rstrip(".").strip())
                found = re.search(core + r"\.?", text, re.IGNORECASE)
                if found:
                    yield text[: found.start()] + option.text + text[found.end() :]
        case Compare() if isinstance(expr.count.unit, Split):
            yield from _dividers(text, expr.count.unit.separator)
        case Compare() if isinstance(expr.count.unit, Pattern) and expr.count.unit.fix is not None:
            yield from _fix_near_misses(expr, text)
        case _:
            return


def _remove(expr: Compare, text: str) -> Iterator[str]:
    """Drop what must not be there, when dropping it leaves the content: punctuation
    marks and symbols, emojis, markdown emphasis and heading markers."""
    unit = expr.count.unit
    if isinstance(unit, Text) and len(unit.text) == 1 and _is_mark(unit.text):
        yield _remove_characters(text, unit.text)
    elif isinstance(unit, Named) and unit.name == "emoji":
        out = text
        for span in reversed(un.find(unit, text)):
            left, right = out[span.start - 1 : span.start], out[span.end : span.end + 1]
            apart = left and right and not left.isspace() and not right.isspace()
            out = out[: span.start] + (" " if apart else "") + out[span.end :]  # "a👋b": "a b"
        out = re.sub(r"[ \t]+([.,!?;:])", r"\1", out)
        yield re.sub(r"(?<=\S)[ \t]{2,}", " ", out).strip()
    elif isinstance(unit, Named) and unit.name in ("bold", "italic", "highlight"):
        out = re.sub(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__", r"\1\2", text)
        if unit.name != "bold":
            out = re.sub(r"(?<![*\w])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![*\w])", r"\1", out)
        yield out
    elif isinstance(unit, Named) and unit.name == "heading":
        yield re.sub(r"^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", r"\1", text, flags=re.M)


def _is_mark(char: str) -> bool:
    return unicodedata.category(char)[0] in ("P", "S")


def _is_marks(text: str) -> bool:
    """Whether `text` is only marks (a quote, a bracket): added with no space."""
    core = text.strip()
    return bool(core) and all(_is_mark(c) for c in core)


def _remove_characters(text: str, characters: str) -> str:
    """Drop each forbidden mark; ``a , b``, ``a, b``, ``a,b`` and ``a,,b`` become ``a b``
    (a mark that joins two words keeps them apart), while ``1,000`` becomes ``1000``."""

    def replace(m: re.Match[str]) -> str:
        if m.group(1) or m.group(2):
            return " "
        before, after = m.string[m.start() - 1 : m.start()], m.string[m.end() : m.end() + 1]
        between_digits = before.isdigit() and after.isdigit()
        return " " if before.isalnum() and after.isalnum() and not between_digits else ""

    for c in characters:  # a run of the mark ("a,,b") is one mark
        text = re.sub(r"( ?)(?:" + re.escape(c) + r")+( ?)", replace, text)
    return text


def _append(text: str, addition: str, sep: str) -> str:
    """`addition` after the text, inside wrapping double quotes if there are any."""
    body = text.rstrip()
    if len(body) > 1 and body.startswith('"') and body.endswith('"'):
        return body[:-1].rstrip() + sep + addition + '"'
    return body + sep + addition


def _dividers(text: str, marker: str) -> Iterator[str]:
    # 1. other divider lines (--- , * * * , ___) become the marker
    if _RULE_LINE.search(text):
        yield _RULE_LINE.sub(marker, text)
    # 2. doubled markers (an empty part between two) collapse into one
    doubled = re.compile(r"(?:\s*" + re.escape(marker) + r"){2,}")
    if doubled.search(text):
        yield doubled.sub("\n\n" + marker, text)
    # 3. a marker between blank-line paragraphs
    if marker not in text:
        parts = [p.text for p in un.paragraphs(text)]
        if len(parts) > 1:
            yield f"\n\n{marker}\n\n".join(parts)


def _fix_near_misses(expr: Compare, text: str) -> Iterator[str]:
    """Rewrite as many near misses as the count lacks with the pattern's own fix (a
    "# Heading" or "<Title>" becomes "<<Title>>", "PS" becomes "P.S.")."""
    unit = expr.count.unit
    assert isinstance(unit, Pattern)
    missing = int(expr.bound.interval()[0]) - len(un.find(unit, text))
    near = un.near_misses(unit, text)[: max(0, missing)]
    if not near:
        return
    out = text
    for span in reversed(near):
        out = out[: span.start] + un.fixed(unit, span, text) + out[span.end :]
    yield out
