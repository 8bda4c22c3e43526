"""What a requirement's words say of its boundaries, its case and its language, against
what an expression states.

The relation put on each number: "4 or fewer" allows 4 (at most), "under 50" does not
(fewer than), "do not go over 140" allows 140, "no paragraph has more than 3" is each
paragraph at most 3. The words are the grammar's own relation words
(`lexicon.REL_BEFORE`, `REL_AFTER`); a negation in front ("not", "never", "no ...",
"avoid") turns the relation round, in the text and in the expression (`Not`, a `none`
selection) alike; a count said exactly ("exactly once") needs an exact check. A case or
a language the expression checks must be one the text names, and a unit's name in
quotes that the text does not quote is that unit. The model compiler uses these to
refuse a restatement that moves a boundary by one, loses a count, or checks a case or a
language nobody asked for (`moved`, `cases_unsaid`, `languages_unsaid`), and to put a
boundary back on the side the words say (`rebound`, `units_for_names`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from cadenza.requirements.grammar.clauses import LOWER_WORD, UPPER_WORD
from cadenza.requirements.grammar.languages import LANGUAGES
from cadenza.requirements.grammar.lexicon import (
    REL_AFTER,
    REL_BEFORE,
    count_of,
    normalise,
    relation_of,
)
from cadenza.requirements.lang.nodes import (
    AllOf,
    AnyOf,
    Bound,
    Case,
    CaseKind,
    Compare,
    Contains,
    Count,
    Expr,
    Format,
    Language,
    Not,
    Ratio,
    Relation,
    Select,
)
from cadenza.requirements.material import material, walk

_TURNED: dict[Relation, Relation] = {
    "at_most": "more_than",
    "more_than": "at_most",
    "at_least": "less_than",
    "less_than": "at_least",
}
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.]*\d)")
_BEFORE = re.compile(
    rf"\b{REL_BEFORE}\s+$|\b(?P<exceed>exceed(?:s|ing)?|go(?:es|ing)?\s+(?:beyond|past))\s+$"
)
_AFTER = re.compile(rf"^\s+(?:[a-z'’-]+\s+){{0,3}}?{REL_AFTER}(?![a-z])")
# a negation in front, a few words back, within the clause ("no bullet point should have")
_NEGATION = re.compile(
    r"\b(?:not|never|no|avoid(?:ing)?)\b(?:\s+(?!and\b|but\b|or\b)[a-z']+){0,5}\s*$"
)
_UNSURE = {"just", "only", "roughly", "approximately", "around", "about"}
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
        if relation is None or relation not in (*_TURNED, "exactly"):
            continue
        if relation == "exactly" and not _counts(body[m.end() :]):
            continue  # "exactly two decimal places", "exactly one of the following"
        start = before.start() if before is not None else m.start()
        if _NEGATION.search(body[:start]):
            if relation == "exactly":
                continue  # "not exactly 3" says no side
            relation = _TURNED[relation]
        out.setdefault(float(m.group()), set()).add(relation)
    return out


def _counts(after: str) -> bool:
    """Whether the words after a number name what it counts: times, or a unit."""
    words = after.split()[:2]
    if words and re.fullmatch(r"times?\W*", words[0]):
        return True
    return any(count_of(" ".join(words[:k]).strip(".,;:!?")) is not None for k in (1, 2))


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
    """The boundaries `expr` moves from what `text` says, each as a short phrase for the
    model to correct; empty when none. A boundary on the same side as the words but
    moved by one ("at most 4" stated as "fewer than 4"), and a count said exactly that
    no check of `expr` states exactly ("the letter z exactly once" as "contains 'z'").
    A boundary on the other side is left alone: the words around a negation are read
    too loosely to overrule the expression."""
    words = said(text)
    out: list[str] = []
    for bound, relation in stated(expr):
        wanted = words.get(bound.n, set()) - {"exactly"}
        same_side = {w for w in wanted if _SIDE[w] == _SIDE[relation]}
        if same_side and relation not in same_side:
            means = " or ".join(f"{_PHRASE[w]} {bound.n:g}" for w in sorted(same_side))
            out.append(f"{_PHRASE[relation]} {bound.n:g} (the requirement means {means})")
    exact = _exact(expr)
    bounded = {b.n for b, _ in stated(expr)} | {
        b.n + 1 for b, r in stated(expr) if r == "less_than"
    }
    bounded |= {b.n - 1 for b, r in stated(expr) if r == "more_than"}
    for n, relations in words.items():
        if "exactly" in relations and n not in exact:
            out.append(f"no check of exactly {n:g} (the requirement says exactly {n:g})")
        for relation in sorted(relations - {"exactly"}):
            if n not in bounded:
                out.append(f"no check of {_PHRASE[relation]} {n:g} (the requirement says so)")
    return out


def _exact(expr: Expr) -> set[float]:
    """The numbers `expr` states exactly: an exact bound, a range of one number, the
    columns of a table."""
    out: set[float] = set()
    for node in walk(expr):
        if isinstance(node, Bound) and (
            node.relation == "exactly" or (node.relation == "between" and node.high == node.n)
        ):
            out.add(node.n)
        if isinstance(node, Format) and isinstance(node.columns, int):
            out.add(float(node.columns))
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


def units_for_names(text: str, expr: Expr) -> Expr:
    """`expr` with a unit's name put in quotes read as that unit, where `text` does not
    quote it: "the answer does not contain 'digit'" for "No digits." is "the answer has
    no digits", "contains 'emoji'" is at least one emoji."""
    quoted = {" ".join(q.lower().split()) for q in material(text).quoted}
    body = normalise(text).text
    # a name said as a word ("include the word hashtag") is a word to include
    quoted |= {m.group(1) for m in re.finditer(r"\b(?:word|term|phrase)\s+([a-z][a-z ]*)", body)}
    quoted |= {" ".join(w.split()[:1]) for w in quoted}
    return _named(expr, quoted)


def _named(expr: Expr, quoted: set[str]) -> Expr:
    match expr:
        case Contains(text=said) if " ".join(said.lower().split()) not in quoted:
            unit = count_of(" ".join(said.lower().split()))
            return Compare(unit, Bound("at_least", 1)) if unit is not None else expr
        case Not(item=Contains() as inner):
            found = _named(inner, quoted)
            if isinstance(found, Compare):
                return Compare(found.count, Bound("exactly", 0))
            return expr
        case Select(check=check):
            return replace(expr, check=_named(check, quoted))
        case AllOf(items=items):
            return AllOf(tuple(_named(item, quoted) for item in items))
        case _:
            return expr


def _side(bound: Bound, words: dict[float, set[Relation]], negated: bool) -> Bound:
    if bound.relation not in _TURNED:
        return bound
    stated_as = _TURNED[bound.relation] if negated else bound.relation
    n, wanted = bound.n, words.get(bound.n, set()) - {"exactly"}
    if not wanted:  # "fewer than 4" for "3 at most" is "at most 3", said with its number
        if stated_as == "less_than" and words.get(n - 1) == {"at_most"}:
            n, wanted = n - 1, {"at_most"}
        elif stated_as == "more_than" and words.get(n + 1) == {"at_least"}:
            n, wanted = n + 1, {"at_least"}
    if len(wanted) != 1:
        return bound
    (relation,) = wanted
    if _SIDE[relation] != _SIDE[stated_as]:
        return bound
    return replace(bound, relation=_TURNED[relation] if negated else relation, n=n)


_SIDE: dict[Relation, str] = {
    "at_most": "upper",
    "less_than": "upper",
    "at_least": "lower",
    "more_than": "lower",
}
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
    """The cases `expr` checks that `text` names no word for; "no lowercase letters"
    names capitals, "no capital letters" lower case."""
    body = normalise(text).text
    kinds = {node.kind for node in walk(expr) if isinstance(node, Case)}
    named = {kind for kind in kinds if re.search(rf"\b(?:{_CASE_WORDS[kind]})", body)}
    opposite: tuple[tuple[CaseKind, CaseKind], ...] = (("lower", "upper"), ("upper", "lower"))
    for kind, other in opposite:
        if re.search(rf"{_DENIED}(?:{_CASE_WORDS[kind]})", body):
            named.add(other)
    return [f"{kind} case" for kind in sorted(kinds - named)]


_DENIED = r"\b(?:no|not|never|without|avoid(?:ing)?|zero)\s+(?:(?:any|use|using|a|single)\s+){0,2}"


def languages_unsaid(text: str, expr: Expr) -> list[str]:
    """The languages `expr` checks that `text` names no word for ("written in English"
    for a requirement about dates)."""
    body = normalise(text).text
    named = {code for name, code in LANGUAGES.items() if re.search(rf"\b{name}\b", body)}
    found = {node.code for node in walk(expr) if isinstance(node, Language)}
    return [f"language {code!r}" for code in sorted(found - named)]
