"""The evaluator: grade an answer against an expression of the check language.

`evaluate(expr, text)` returns a `Verdict`: a score in [0, 1] (1 met; a failure is
graded by how near it is and never scores above 0.99), passed, a reason that names
the offending units ("sentence 4 (…): has 15 words; needs fewer than 12") and a fix
hint. Negation is pushed down to the leaves (not every = some ... not; not any = none),
so a negated requirement explains itself as well as a plain one.
"""

from __future__ import annotations

from dataclasses import dataclass

from cadenza.requirements.lang import units as un
from cadenza.requirements.lang.describe import (
    noun,
    numbered,
    plural_verb,
    quote,
    relation,
    unit_names,
    verb,
)
from cadenza.requirements.lang.nodes import (
    AllOf,
    AnyOf,
    Bound,
    Compare,
    Count,
    Expr,
    Named,
    Not,
    Pattern,
    Ratio,
    Select,
    Split,
    Text,
    Unit,
)
from cadenza.requirements.lang.predicates import check_predicate
from cadenza.requirements.lang.units import Span
from cadenza.requirements.verdict import Verdict

MAX_FAILED_SCORE = 0.99
METHOD = "check"
_SHOWN = 3  # offending units named in a reason


@dataclass(frozen=True, slots=True)
class Outcome:
    passed: bool
    score: float
    reason: str
    hint: str = ""


def evaluate(expr: Expr, text: str, *, request: str | None = None) -> Verdict:
    """The verdict of `text` on `expr`. `request` is the user's request, needed only to
    check that an answer repeats it. As IFEval does, an empty answer fails."""
    if not text.strip():
        return Verdict(0.0, False, "the answer is empty", "write an answer", METHOD)
    out = _eval(expr, Span(text, 0, len(text)), False, request)
    score = 1.0 if out.passed else clip(out.score)
    return Verdict(score, out.passed, out.reason, "" if out.passed else out.hint, METHOD)


def clip(score: float) -> float:
    return max(0.0, min(MAX_FAILED_SCORE, score))


def _eval(expr: Expr, span: Span, negated: bool, request: str | None) -> Outcome:
    match expr:
        case Compare():
            return _compare(expr, span, negated, request)
        case Ratio():
            return _ratio(expr, span, negated, request)
        case Select():
            return _select(expr, span, negated, request)
        case AllOf():
            return (
                _all(expr.items, span, negated, request)
                if not negated
                else _any(expr.items, span, True, request)
            )
        case AnyOf():
            return (
                _any(expr.items, span, negated, request)
                if not negated
                else _all(expr.items, span, True, request)
            )
        case Not():
            return _eval(expr.item, span, not negated, request)
        case _:
            fact = check_predicate(expr, span, request)
            holds = fact.holds != negated
            if holds:
                return Outcome(True, 1.0, fact.found)
            if negated:
                return Outcome(
                    False,
                    0.0,
                    f"{fact.found}; it must {verb(expr, negated=True, base=True)}",
                    f"rewrite it so it {verb(expr, negated=True)}",
                )
            return Outcome(
                False,
                clip(fact.score),
                f"{fact.found}; it must {verb(expr, base=True)}",
                fact.hint or f"make it {verb(expr, base=True)}",
            )


# --------------------------------------------------------------------------- measures


def units_where(unit: Unit, where: Expr | None, span: Span, request: str | None) -> list[Span]:
    found = list(un.find(unit, span.text))
    if where is None:
        return found
    return [u for u in found if _eval(where, u, False, request).passed]


def measure(count: Count, span: Span, request: str | None) -> tuple[int, list[Span]]:
    """How many units `count` counts in `span` (and which, when they were built)."""
    if (
        count.where is None
        and isinstance(count.unit, Named)
        and count.unit.name
        in (
            "character",
            "letter",
        )
    ):
        return un.count_fast(count.unit, span.text), []
    found = units_where(count.unit, count.where, span, request)
    return len(found), found


def _compare(expr: Compare, span: Span, negated: bool, request: str | None) -> Outcome:
    bound = expr.bound
    if negated:
        flipped = bound.complement()
        if flipped is not None:
            if flipped.relation == "more_than":  # counts are whole: "more than 0" is "at least 1"
                flipped = Bound("at_least", flipped.n + 1)
            return _compare(Compare(expr.count, flipped), span, False, request)
        return _compare_not(expr, span, request)
    value, found = measure(expr.count, span, request)
    what = _counted(expr.count, value)
    need = relation(bound)
    if bound.holds(value):
        return Outcome(True, 1.0, f"{what}; needs {need}")
    low, high = bound.interval()
    delta = int(low - value) if value < low else -int(value - high)
    examples = _examples(found) if delta < 0 else ""
    score = count_score(bound, value)
    unit = expr.count.unit
    if delta > 0 and isinstance(unit, Pattern) and expr.count.where is None:
        near = un.near_misses(unit, span.text)
        if near:
            score = max(score, 0.5 * count_score(bound, value + len(near)))
            shown = ", ".join(quote(n.text, 40) for n in near[:_SHOWN])
            more = " ..." if len(near) > _SHOWN else ""
            return Outcome(
                False,
                clip(score),
                f"{what}; needs {need}; near misses: {shown}{more}",
                _near_hint(unit, delta, list(near), span.text),
            )
    return Outcome(
        False,
        score,
        f"{what}{examples}; needs {need}",
        _count_hint(expr.count, delta, found, value),
    )


def _compare_not(expr: Compare, span: Span, request: str | None) -> Outcome:
    """A count that must *not* be exactly n, not between two numbers above 0, or not
    at least 0 (which nothing meets): the bounds whose complement is no one bound."""
    bound = expr.bound
    value, _ = measure(expr.count, span, request)
    what = _counted(expr.count, value)
    if bound.relation == "at_least":  # not at least 0: no count is below 0
        return Outcome(
            False, 0.0, f"{what}; needs fewer than 0, which no count is", "this cannot be met"
        )
    if bound.relation == "between":
        need = f"fewer than {_n(bound.n)} or more than {_n(bound.high or bound.n)}"
    else:
        need = f"any number but {_n(bound.n)}"
    if not bound.holds(value):
        return Outcome(True, 1.0, f"{what}; needs {need}")
    unit = expr.count.unit
    low, high = bound.interval()
    below, above = int(value - low + 1), int(high - value + 1)
    return Outcome(
        False,
        0.0,
        f"{what}; needs {need}",
        f"add {noun(unit, above)} or remove {noun(unit, below)}",
    )


def _n(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _near_hint(unit: Pattern, missing: int, near: list[Span], text: str) -> str:
    """Turn near misses into matches: "write '<Poem>' as '<<Poem>>'"."""
    use = near[:missing]
    if unit.fix is not None:
        fixes = [f"write {quote(n.text, 40)} as {quote(un.fixed(unit, n, text), 40)}" for n in use]
        hint = "; ".join(fixes[:_SHOWN]) + (" ..." if len(fixes) > _SHOWN else "")
    else:
        shown = ", ".join(quote(n.text, 40) for n in use[:_SHOWN])
        more = " ..." if len(use) > _SHOWN else ""
        form = f"like {quote(unit.example)}" if unit.example else f"as {unit_names(unit)[1]}"
        hint = f"rewrite {shown}{more} {form}"
    rest = missing - len(use)
    if rest > 0:
        hint += f"; and add {noun(unit, rest)}" + _like(unit)
    return hint


def _like(unit: Unit) -> str:
    return f", like {quote(unit.example)}" if isinstance(unit, Pattern) and unit.example else ""


def count_score(bound: Bound, value: float, integral: bool = True) -> float:
    """1.0 when the bound holds; otherwise 1 - relative distance to the nearest allowed
    value. When only 0 is allowed, each extra item halves the score."""
    if bound.holds(value):
        return 1.0
    low, high = bound.interval(integral)
    if value < low:
        gap, ref = low - value, low
    else:
        gap, ref = value - high, high
    score = 0.5**gap if ref <= 0 else 1.0 - gap / ref
    return clip(score)


def _counted(count: Count, value: int) -> str:
    where = ""
    if count.where is not None:
        where = f" that {verb(count.where) if value == 1 else plural_verb(count.where)}"
    return f"{noun(count.unit, value)}{where}"


def _examples(found: list[Span]) -> str:
    if not found or len(found) > 12:
        return ""
    shown = ", ".join(quote(s.text, 30) for s in found[:_SHOWN])
    return f" ({shown}{' ...' if len(found) > _SHOWN else ''})"


# Units that can be merged into their neighbours when there are too many.
_MERGEABLE = frozenset(
    {"sentence", "line", "paragraph", "section", "bullet", "numbered_item", "list_item"}
)


def _count_hint(count: Count, delta: int, found: list[Span], value: int) -> str:
    unit = count.unit
    k = abs(delta)
    if count.where is not None:
        k_units = noun(unit, k)
        where = f" that {verb(count.where) if k == 1 else plural_verb(count.where)}"
        if delta > 0:
            return f"add {k_units}{where}"
        return f"remove or rewrite {k_units}{where}{_examples(found)}"
    match unit:
        case Named(name="word" | "character" | "letter"):
            if delta > 0 and value == 0:
                return "write something in it (it is empty)"
            if delta > 0:
                return f"add about {noun(unit, k)} (develop the existing points further)"
            return f"cut about {noun(unit, k)} (drop the least important details)"
        case Text():
            if delta > 0:
                return f"use {quote(unit.text)} {k} more time{'s' if k != 1 else ''}"
            return f"remove {k} of the {quote(unit.text)}" + (
                "" if len(unit.text) > 1 else f" {unit_names(unit)[1]}"
            )
        case Split():
            sep = quote(unit.separator)
            if delta > 0:
                return f"add {k} more part{'s' if k != 1 else ''}, each after a {sep} separator"
            return f"merge {k} part{'s' if k != 1 else ''} into the others (remove {k} {sep})"
        case Pattern():
            if delta > 0:
                return f"add {noun(unit, k)}{_like(unit)}"
            return f"remove or rewrite {noun(unit, k)}{_examples(found)}"
        case Named() if delta > 0:
            return f"add {noun(unit, k)}"
        case Named(name=name) if name in _MERGEABLE:
            return f"remove or merge {noun(unit, k)}{_examples(found)}"
        case Named(name="capital_word" | "capitalized_word"):
            return f"write {noun(unit, k)} in lowercase{_examples(found)}"
        case Named(name="bold" | "italic" | "highlight"):
            return f"remove the emphasis from {noun(unit, k)}{_examples(found)}"
        case Named(name="placeholder"):
            return f"fill in or remove {noun(unit, k)}{_examples(found)}"
        case _:
            return f"remove {noun(unit, k)}{_examples(found)}"


def _ratio(expr: Ratio, span: Span, negated: bool, request: str | None) -> Outcome:
    num, _ = measure(expr.numerator, span, request)
    den, _ = measure(expr.denominator, span, request)
    num_name = _counted(expr.numerator, num)
    den_name = _counted(expr.denominator, den)
    need = ("not " if negated else "") + relation(expr.bound)
    if den == 0:
        return Outcome(
            False, 0.0, f"{den_name} to compare with", f"add {noun(expr.denominator.unit)}"
        )
    value = num / den
    holds = expr.bound.holds(value) != negated
    per = unit_names(expr.denominator.unit)[0]
    reason = f"{num_name} for {den_name}: {value:.2f} per {per}; needs {need}"
    if holds:
        return Outcome(True, 1.0, reason)
    low, _ = expr.bound.interval(integral=False)
    raise_it = value < low and not negated
    hint = _ratio_hint(expr, raise_it)
    score = 0.0 if negated else count_score(expr.bound, value, integral=False)
    return Outcome(False, score, reason, hint)


def _ratio_hint(expr: Ratio, raise_it: bool) -> str:
    """Which units to add or rewrite: "more sentences that end with '?'"."""
    num, den = expr.numerator, expr.denominator
    top = _measure_name(num)
    more, fewer = ("more", "fewer") if raise_it else ("fewer", "more")
    share = "raise the share" if raise_it else "lower the share"
    if num.unit == den.unit and den.where is None and num.where is not None:
        # the numerator's units are some of the denominator's: add them or drop the others
        others = "that do not" if raise_it else "of the others"
        return f"{share}: {more} {top}, or {fewer} {others}"
    return f"{share}: {more} {top} or {fewer} {_measure_name(den)}"


def _measure_name(count: Count) -> str:
    where = f" that {plural_verb(count.where)}" if count.where is not None else ""
    return f"{noun(count.unit)}{where}"


# --------------------------------------------------------------------------- selections


def _select(sel: Select, span: Span, negated: bool, request: str | None) -> Outcome:
    mode = sel.mode
    check_negated = False
    if mode == "none":
        mode, check_negated = "each", True
    if negated:
        check_negated = not check_negated
        if mode == "each":
            mode = "any"
        elif mode == "any":
            mode = "each"
    singular, plural = unit_names(sel.unit)
    match mode:
        case "each":
            chosen = units_where(sel.unit, sel.where, span, request)
            return _each(sel, chosen, check_negated, request, singular, plural)
        case "any":
            chosen = units_where(sel.unit, sel.where, span, request)
            return _some(sel, chosen, check_negated, request, singular, plural)
        case "first" | "last" | "nth":
            found = list(un.find(sel.unit, span.text))
            index = {"first": 1, "last": -1}.get(mode, sel.index or 1)
            at = index - 1 if index > 0 else len(found) + index
            place = _place(sel.unit, mode, index)
            if not 0 <= at < len(found):
                have = f"there {'is' if len(found) == 1 else 'are'} {noun(sel.unit, len(found))}"
                missing = abs(index) - len(found)
                return Outcome(
                    False,
                    0.0,
                    f"{have}, so no {place}",
                    f"add {noun(sel.unit, missing)} to have {place}",
                )
            sub = _eval(sel.check, found[at], check_negated, request)
            return _located(sub, f"{place} ({quote(found[at].text, 40)})")
        case "outside":
            rest = _without(span.text, un.find(sel.unit, span.text))
            sub = _eval(sel.check, Span(rest, 0, len(rest)), check_negated, request)
            return _located(sub, f"outside the {plural}")
        case _:
            raise AssertionError(f"unnormalised selection {mode!r}")  # a bug in this module


def _each(
    sel: Select,
    chosen: list[Span],
    check_negated: bool,
    request: str | None,
    singular: str,
    plural: str,
) -> Outcome:
    if not chosen:
        return Outcome(True, 1.0, f"no {plural} to check")
    results = [_eval(sel.check, u, check_negated, request) for u in chosen]
    failing = [
        (i, u, r) for i, (u, r) in enumerate(zip(chosen, results, strict=True)) if not r.passed
    ]
    mean = sum(r.score for r in results) / len(results)
    if not failing:
        return Outcome(True, 1.0, f"all {noun(sel.unit, len(chosen))} comply")
    named = [
        f"{numbered(sel.unit, i + 1)} ({quote(u.text, 40)}): {r.reason}"
        for i, u, r in failing[:_SHOWN]
    ]
    more = f" and {len(failing) - _SHOWN} more" if len(failing) > _SHOWN else ""
    hints = [f"{numbered(sel.unit, i + 1)}: {r.hint}" for i, _, r in failing[:_SHOWN] if r.hint]
    return Outcome(
        False,
        clip(mean),
        f"{len(failing)} of {noun(sel.unit, len(chosen))} fail: " + "; ".join(named) + more,
        "; ".join(hints)
        + (f"; and {len(failing) - _SHOWN} more {plural} like these" if more else ""),
    )


def _some(
    sel: Select,
    chosen: list[Span],
    check_negated: bool,
    request: str | None,
    singular: str,
    plural: str,
) -> Outcome:
    wanted = verb(sel.check, negated=check_negated, base=True)
    if not chosen:
        return Outcome(False, 0.0, f"no {plural} at all", f"add a {singular} that does {wanted}")
    results = [_eval(sel.check, u, check_negated, request) for u in chosen]
    for i, (u, r) in enumerate(zip(chosen, results, strict=True)):
        if r.passed:
            return Outcome(
                True, 1.0, f"{numbered(sel.unit, i + 1)} ({quote(u.text, 40)}): {r.reason}"
            )
    best = max(range(len(results)), key=lambda i: results[i].score)
    return Outcome(
        False,
        clip(results[best].score),
        f"none of the {noun(sel.unit, len(chosen))} does; nearest is "
        f"{numbered(sel.unit, best + 1)} ({quote(chosen[best].text, 40)}): {results[best].reason}",
        f"make at least one {singular} {wanted}",
    )


def _place(unit: Unit, mode: str, index: int) -> str:
    """``the first paragraph``, ``paragraph 2``, ``paragraph 2 from the end``."""
    if mode in ("first", "last"):
        return f"the {mode} {unit_names(unit)[0]}"
    if index > 0:
        return numbered(unit, index)
    return f"{numbered(unit, -index)} from the end"


def _located(sub: Outcome, where: str) -> Outcome:
    hint = f"{where}: {sub.hint}" if sub.hint else ""
    return Outcome(sub.passed, sub.score, f"{where}: {sub.reason}", hint)


def _without(text: str, found: tuple[Span, ...]) -> str:
    parts: list[str] = []
    pos = 0
    for s in sorted(found, key=lambda s: s.start):
        parts.append(text[pos : s.start])
        parts.append("\n\n")
        pos = max(pos, s.end)
    parts.append(text[pos:])
    return "".join(parts).strip()


# --------------------------------------------------------------------------- combinators


def _all(items: tuple[Expr, ...], span: Span, negated: bool, request: str | None) -> Outcome:
    results = [_eval(e, span, negated, request) for e in items]
    failing = [r for r in results if not r.passed]
    mean = sum(r.score for r in results) / len(results)
    if not failing:
        return Outcome(True, 1.0, "; ".join(r.reason for r in results))
    return Outcome(
        False,
        clip(mean),
        "; ".join(r.reason for r in failing),
        "; ".join(r.hint for r in failing if r.hint),
    )


def _any(items: tuple[Expr, ...], span: Span, negated: bool, request: str | None) -> Outcome:
    results = [_eval(e, span, negated, request) for e in items]
    for r in results:
        if r.passed:
            return r
    best = max(results, key=lambda r: r.score)
    return Outcome(
        False,
        best.score,
        "none holds: " + " | ".join(r.reason for r in results),
        "either " + " or ".join(r.hint for r in results if r.hint),
    )
