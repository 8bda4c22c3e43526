"""Contradictions between expressions, found before any model is called.

Only strict contradictions are reported, where no text can meet both: two bounds on
the same count that do not overlap ("at least 300 words" and "at most 100 words"),
all lowercase and all capitals, two languages, a word both required and forbidden, a
forbidden character the answer is required to contain (in a phrase, a request to
repeat, or a unit made of it such as a *highlight*), two different opening (or
closing) phrases, two different values for the same unit ("the first word of
paragraph 1 is 'so'" and "... is 'but'"), and fewer words than the sentences or
paragraphs required. Each pair of expressions in conflict is reported once (with the
first contradiction found between their parts).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from cadenza.requirements.lang.build import flatten
from cadenza.requirements.lang.codec import unit_json
from cadenza.requirements.lang.describe import describe, quote, unit_names
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
    RepeatsRequest,
    Select,
    StartsWith,
    Text,
)
from cadenza.requirements.lang.predicates import DECOR, normalised

# Characters every occurrence of a unit is written with (a *highlight* needs '*').
_UNIT_MARKS = {
    "highlight": "*",
    "placeholder": "[]",
    "hashtag": "#",
    "mention": "@",
    "email": "@.",
    "heading": "#",
    "table": "|-",
    "table_row": "|",
}


@dataclass(frozen=True, slots=True)
class _Range:
    key: str
    low: float
    high: float


def find_conflicts(exprs: Sequence[Expr]) -> list[str]:
    """One message per pair of expressions in conflict (parts of one conjunction are
    compared too): "'the answer has at least 300 words' contradicts 'the answer has at
    most 100 words'". Empty when all can hold at once."""
    atoms = [(i, a) for i, e in enumerate(exprs) for a in flatten(e)]
    out: list[str] = []
    reported: set[tuple[int, int]] = set()  # pairs of expressions already in conflict
    for (i, a), (j, b) in combinations(atoms, 2):
        if i != j and (i, j) in reported:
            continue
        why = _why(a, b)
        if why is None:
            continue
        reported.add((i, j))
        msg = f"{describe(a)!r} contradicts {describe(b)!r}" + (f": {why}" if why else "")
        if msg not in out:
            out.append(msg)
    return out


def _why(a: Expr, b: Expr) -> str | None:
    """Why `a` and `b` cannot both hold ("" when the descriptions say it), or None."""
    ra, rb = _range(a), _range(b)
    if ra is not None and rb is not None:
        if ra.key == rb.key and (ra.low > rb.high or rb.low > ra.high):
            return ""
        for words, holder in ((ra, rb), (rb, ra)):
            if (
                words.key == '"word"'
                and holder.key in ('"sentence"', '"paragraph"')
                and words.high < holder.low
            ):
                return "every sentence or paragraph needs at least one word"
    return _pair(a, b) or _pair(b, a)


def _range(expr: Expr) -> _Range | None:
    if isinstance(expr, Compare) and expr.count.where is None:
        low, high = expr.bound.interval()
        return _Range(_key(expr), low, high)
    if isinstance(expr, Contains):
        key = _text_key(Text(expr.text, expr.whole_word, expr.case_sensitive))
        return _Range(key, 1, float("inf"))
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
            return _forbidden_but_required(a, b)
        case StartsWith() | RepeatsRequest(), StartsWith() | RepeatsRequest():
            p, q = _opening(a), _opening(b)
            if p is None or q is None or _compatible(p, q):
                return None
            return "the answer cannot start with both"
        case EndsWith(), EndsWith():
            if _compatible(_closing(a), _closing(b)):
                return None
            return "the answer cannot end with both"
        case Equals(), Equals():
            same = normalised(a.text, False).casefold() == normalised(b.text, False).casefold()
            return None if same else f"a text cannot be both {quote(a.text)} and {quote(b.text)}"
        case Select(), Select() if _same_position(a, b):
            inner = _why(a.check, b.check)
            return None if inner is None else inner or "the same unit cannot meet both"
        case _:
            return None


def _forbidden_but_required(forbid: Compare, other: Expr) -> str | None:
    unit = forbid.count.unit
    assert isinstance(unit, Text)
    required = _required(other)
    if unit.whole_word and re.search(r"\w", unit.text):
        clash = [t for t in required if _word_in(unit.text, t)]
    else:
        clash = [t for t in required if unit.text.lower() in t.lower()]
    if clash:
        return f"it requires {unit.text!r}"
    mark = unit.text.strip()
    if len(mark) == 1 and isinstance(other, Compare) and isinstance(other.count.unit, Named):
        name = other.count.unit.name
        if mark in _UNIT_MARKS.get(name, "") and other.bound.interval()[0] >= 1:
            return f"every {unit_names(other.count.unit)[0]} needs {quote(mark)}"
    return None


def _opening(expr: Expr) -> tuple[str, bool] | None:
    """The text an answer must open with, lowercased, and whether leading decoration
    (emphasis, quotes) is looked past before it; None when not known."""
    if isinstance(expr, StartsWith):
        text = expr.text.strip().lower()
        return text, not text.startswith(tuple(DECOR))
    if isinstance(expr, RepeatsRequest) and expr.text is not None and expr.text.strip():
        return expr.text.strip().lower(), False
    return None


def _closing(expr: EndsWith) -> tuple[str, bool]:
    """`_opening` for the end of the answer, reversed."""
    text = expr.text.strip().lower()
    return text[::-1], not text.endswith(tuple(DECOR))


def _compatible(a: tuple[str, bool], b: tuple[str, bool]) -> bool:
    """Whether one text can open with both `a` and `b` (each: the text, and whether
    decoration before it is looked past)."""
    (p, p_skips), (q, q_skips) = a, b
    if p_skips == q_skips:
        return p.startswith(q) or q.startswith(p)
    if q_skips:
        p, q = q, p  # p looks past decoration, q does not
    rest = q.lstrip(DECOR)
    return not rest or rest.startswith(p) or p.startswith(rest)


def _same_position(a: Select, b: Select) -> bool:
    """Both select the same single unit (first = nth 1, last = nth -1)."""

    def index(s: Select) -> int | None:
        return {"first": 1, "last": -1}.get(s.mode, s.index if s.mode == "nth" else None)

    ia, ib = index(a), index(b)
    return ia is not None and ia == ib and a.unit == b.unit


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
        case RepeatsRequest() if expr.text is not None:
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
