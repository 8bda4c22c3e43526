"""What a requirement's words say of its boundaries and its letter case, against what
an expression states.

The relation put on each number: "4 or fewer" allows 4 (at most), "under 50" does not
(fewer than), "do not go over 140" allows 140, "no paragraph has more than 3" is each
paragraph at most 3. The words are the grammar's own relation words
(`lexicon.REL_BEFORE`, `REL_AFTER`); a negation in front ("not", "never", "no ...",
"avoid") turns the relation round, in the text and in the expression (`Not`, a `none`
selection) alike. A case the expression checks ("in title case") must be one the text
names. The model compiler uses both to refuse a restatement that moves a boundary by
one or checks a case nobody asked for."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from cadenza.requirements.grammar.clauses import LOWER_WORD, UPPER_WORD
from cadenza.requirements.grammar.lexicon import REL_AFTER, REL_BEFORE, normalise, relation_of
from cadenza.requirements.lang.nodes import (
    AllOf,
    AnyOf,
    Bound,
    Case,
    CaseKind,
    Compare,
    Count,
    Expr,
    Not,
    Ratio,
    Relation,
    Select,
)
from cadenza.requirements.material import walk

_TURNED: dict[Relation, Relation] = {
    "at_most": "more_than",
    "more_than": "at_most",
    "at_least": "less_than",
    "less_than": "at_least",
}
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.]*\d)")
_BEFORE = re.compile(rf"{REL_BEFORE}\s+$|(?P<exceed>exceed(?:s|ing)?)\s+$")
_AFTER = re.compile(rf"^\s+(?:[a-z'’-]+\s+){{0,3}}?{REL_AFTER}(?![a-z])")
_NEGATION = re.compile(r"\b(?:not|never|no|avoid(?:ing)?)\b(?:\s+[a-z]+){0,3}\s*$")
_UNSURE = {"exactly", "precisely", "just", "only", "roughly", "approximately", "around", "about"}
"""Words that say a count without saying which side of it is allowed ("just 3", "about
3"): no relation is read from them."""


def said(text: str) -> dict[float, set[Relation]]:
    """Each number `text` names with an explicit relation word, and the relations said of
    it (a number said twice may carry two)."""
    body = normalise(text).text
    out: dict[float, set[Relation]] = {}
    for m in _NUMBER.finditer(body):
        head = body[: m.start()]
        before = _BEFORE.search(head)
        after = _AFTER.match(body[m.end() :])
        relation: Relation | None
        if before is not None and before.group("exceed"):
            relation = "more_than"
        else:
            words = before.group("rel") if before is not None else None
            if words is not None and " ".join(words.split()) in _UNSURE:
                words = None
            if words is None and after is None:
                continue
            relation = relation_of(words, after.group("after") if after is not None else None)
        if relation is None or relation not in _TURNED:
            continue
        start = before.start() if before is not None else m.start()
        if _NEGATION.search(body[:start]):
            relation = _TURNED[relation]
        out.setdefault(float(m.group()), set()).add(relation)
    return out


def stated(expr: Expr, negated: bool = False) -> Iterator[tuple[Bound, Relation]]:
    """Each bound of `expr` with the relation it states once the negations around it
    are taken into account."""
    match expr:
        case Compare(count=count, bound=bound):
            yield from _of_count(count, negated)
            yield from _bound(bound, negated)
        case Ratio(bound=bound):
            yield from _bound(bound, negated)
        case Not(item=item):
            yield from stated(item, not negated)
        case Select(mode=mode, check=check, where=where):
            if where is not None:
                yield from stated(where, negated)
            yield from stated(check, negated != (mode == "none"))
        case AllOf(items=items) | AnyOf(items=items):
            for item in items:
                yield from stated(item, negated)
        case _:
            return


def _of_count(count: Count, negated: bool) -> Iterator[tuple[Bound, Relation]]:
    if count.where is not None:
        yield from stated(count.where, negated)


def _bound(bound: Bound, negated: bool) -> Iterator[tuple[Bound, Relation]]:
    if bound.relation in _TURNED:
        yield bound, _TURNED[bound.relation] if negated else bound.relation


def moved(text: str, expr: Expr) -> list[str]:
    """The boundaries `expr` moves from what `text` says ("at most 4" stated as "fewer
    than 4"), each as a short phrase for the model to correct; empty when none."""
    words = said(text)
    out: list[str] = []
    for bound, relation in stated(expr):
        wanted = words.get(bound.n)
        if wanted and relation not in wanted:
            means = " or ".join(f"{_PHRASE[w]} {bound.n:g}" for w in sorted(wanted))
            out.append(f"{_PHRASE[relation]} {bound.n:g} (the requirement means {means})")
    return out


def rebound(text: str, expr: Expr) -> Expr:
    """`expr` with each boundary put on the side `text`'s words say, where they say one
    side only ("4 or fewer": a "fewer than 4" becomes "at most 4"); the rest as it is."""
    words = said(text)
    return _rebound(expr, words, negated=False) if words else expr


def _rebound(expr: Expr, words: dict[float, set[Relation]], negated: bool) -> Expr:
    match expr:
        case Compare(count=count, bound=bound):
            where = _rebound(count.where, words, negated) if count.where is not None else None
            return Compare(replace(count, where=where), _side(bound, words, negated))
        case Ratio(bound=bound):
            return replace(expr, bound=_side(bound, words, negated))
        case Not(item=item):
            return Not(_rebound(item, words, not negated))
        case Select(mode=mode, check=check, where=where):
            inner = negated != (mode == "none")
            kept = _rebound(where, words, negated) if where is not None else None
            return replace(expr, check=_rebound(check, words, inner), where=kept)
        case AllOf(items=items):
            return AllOf(tuple(_rebound(item, words, negated) for item in items))
        case AnyOf(items=items):
            return AnyOf(tuple(_rebound(item, words, negated) for item in items))
        case _:
            return expr


def _side(bound: Bound, words: dict[float, set[Relation]], negated: bool) -> Bound:
    wanted = words.get(bound.n)
    if bound.relation not in _TURNED or not wanted or len(wanted) != 1:
        return bound
    (relation,) = wanted
    return replace(bound, relation=_TURNED[relation] if negated else relation)


_PHRASE: dict[Relation, str] = {
    "at_most": "at most",
    "less_than": "fewer than",
    "at_least": "at least",
    "more_than": "more than",
}


_CASE_WORDS: dict[CaseKind, str] = {
    "lower": LOWER_WORD,
    "upper": rf"{UPPER_WORD}|capitali[sz]",
    "title": r"title\s*-?\s*case|capitali[sz]",
    "sentence": r"sentence\s*-?\s*case",
}


def cases_unsaid(text: str, expr: Expr) -> list[str]:
    """The cases `expr` checks that `text` names no word for."""
    body = normalise(text).text
    kinds = {node.kind for node in walk(expr) if isinstance(node, Case)}
    return [
        f"{kind} case"
        for kind in sorted(kinds)
        if not re.search(rf"\b(?:{_CASE_WORDS[kind]})", body)
    ]
