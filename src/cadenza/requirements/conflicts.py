"""Contradictions between expressions, found before any model is called.

Only strict contradictions are reported, where no text can meet both: two bounds on
the same count that do not overlap ("at least 300 words" and "at most 100 words"),
all lowercase and all capitals, two languages, a word both required and forbidden, a
forbidden character the answer is required to contain, two different opening (or
closing) phrases, and fewer words than the sentences or paragraphs required.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from cadenza.requirements.lang.build import flatten
from cadenza.requirements.lang.codec import unit_json
from cadenza.requirements.lang.describe import describe
from cadenza.requirements.lang.nodes import (
    AnyOf,
    Case,
    Compare,
    Contains,
    EndsWith,
    Equals,
    Expr,
    Language,
    Named,
    StartsWith,
    Text,
)


@dataclass(frozen=True, slots=True)
class _Range:
    key: str
    low: float
    high: float
    expr: Expr


def find_conflicts(exprs: Sequence[Expr]) -> list[str]:
    """One message per contradictory pair: "'the answer has at least 300 words'
    contradicts 'the answer has at most 100 words'". Empty when all can hold at once."""
    atoms = [a for e in exprs for a in flatten(e)]
    out: list[str] = []

    def add(a: Expr, b: Expr, why: str) -> None:
        msg = f"{describe(a)!r} contradicts {describe(b)!r}" + (f": {why}" if why else "")
        if msg not in out:
            out.append(msg)

    ranges = [r for a in atoms if (r := _range(a)) is not None]
    for r1, r2 in combinations(ranges, 2):
        if r1.key == r2.key and (r1.low > r2.high or r2.low > r1.high):
            add(r1.expr, r2.expr, "")
    words = [r for r in ranges if r.key == '"word"']
    holders = [r for r in ranges if r.key in ('"sentence"', '"paragraph"')]
    for w in words:
        for h in holders:
            if w.high < h.low:
                add(w.expr, h.expr, "every sentence or paragraph needs at least one word")
    for a, b in combinations(atoms, 2):
        why = _pair(a, b) or _pair(b, a)
        if why:
            add(a, b, why)
    return out


def _range(expr: Expr) -> _Range | None:
    if isinstance(expr, Compare) and expr.count.where is None:
        low, high = expr.bound.interval()
        return _Range(_key(expr), low, high, expr)
    if isinstance(expr, Contains):
        key = _text_key(Text(expr.text, expr.whole_word, expr.case_sensitive))
        return _Range(key, 1, float("inf"), expr)
    return None


def _key(expr: Compare) -> str:
    unit = expr.count.unit
    if isinstance(unit, Text):
        return _text_key(unit)
    return (
        str(unit_json(unit)).replace("'", '"') if not isinstance(unit, Named) else f'"{unit.name}"'
    )


def _text_key(unit: Text) -> str:
    return f"text:{unit.text.strip().lower()}:{unit.whole_word}"


def _pair(a: Expr, b: Expr) -> str | None:
    match a, b:
        case Case(kind="lower"), Case(kind="upper"):
            return "a text with letters cannot be both"
        case Case(kind="lower"), Compare() if (
            isinstance(b.count.unit, Named)
            and b.count.unit.name == "capital_word"
            and b.count.where is None
            and b.bound.interval()[0] >= 1
        ):
            return "an all-lowercase text has no all-capital words"
        case Case(kind="lower"), AnyOf() if all(_has_upper(t) for t in _options(b)):
            return "every allowed answer contains capital letters"
        case Case(kind="upper"), AnyOf() if all(_has_lower(t) for t in _options(b)):
            return "every allowed answer contains lowercase letters"
        case Language(), Language() if _lang(a.code) != _lang(b.code):
            return "one answer cannot be in two languages"
        case Compare(), _ if _forbids(a):
            unit = a.count.unit
            assert isinstance(unit, Text)
            required = _required(b)
            if unit.whole_word and re.search(r"\w", unit.text):
                clash = [t for t in required if _word_in(unit.text, t)]
            else:
                clash = [t for t in required if unit.text.lower() in t.lower()]
            return f"it requires {unit.text!r}" if clash else None
        case StartsWith(), StartsWith():
            p, q = a.text.strip().lower(), b.text.strip().lower()
            return (
                None if p.startswith(q) or q.startswith(p) else "the answer cannot start with both"
            )
        case EndsWith(), EndsWith():
            p, q = a.text.strip().lower(), b.text.strip().lower()
            return None if p.endswith(q) or q.endswith(p) else "the answer cannot end with both"
        case _:
            return None


def _forbids(expr: Expr) -> bool:
    return (
        isinstance(expr, Compare)
        and isinstance(expr.count.unit, Text)
        and expr.count.where is None
        and expr.bound.interval()[1] == 0
    )


def _required(expr: Expr) -> list[str]:
    """Text an expression forces into the answer."""
    match expr:
        case Contains() | StartsWith() | EndsWith() | Equals():
            return [expr.text]
        case Compare() if isinstance(expr.count.unit, Text) and expr.bound.interval()[0] >= 1:
            return [expr.count.unit.text]
        case AnyOf():
            options = _options(expr)
            if not options:
                return []
            common = set(options[0])
            for o in options[1:]:
                common &= set(o)
            return ["".join(sorted(common))] if common else []
        case _:
            return []


def _options(expr: AnyOf) -> list[str]:
    return (
        [i.text for i in expr.items if isinstance(i, Contains)]
        if all(isinstance(i, Contains) for i in expr.items)
        else []
    )


def _word_in(word: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(word.strip()) + r"(?!\w)", text, re.I) is not None


def _has_upper(text: str) -> bool:
    return any(c.isupper() for c in text)


def _has_lower(text: str) -> bool:
    return any(c.islower() for c in text)


def _lang(code: str) -> str:
    return code.lower().split("-")[0]
