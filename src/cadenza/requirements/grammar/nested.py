"""Selections inside selections and several positions at once: "the first word of
every line must be capitalized", "capitalize the first word of each line", "the last
word of every line should be 'now'" (a position within each unit), and "the last two
lines must start with '>'" (each of the first or last N units)."""

from __future__ import annotations

import re

from cadenza.requirements.grammar.clauses import (
    EACH,
    LOWER_START,
    MODAL,
    ORD,
    Clause,
    ordinal,
    predicate,
)
from cadenza.requirements.grammar.lexicon import UNIT_RE, count_of
from cadenza.requirements.lang.nodes import AllOf, Expr, Not, Select

_CAPITALISED = r"(?:be\s+)?capitali[sz]ed|(?:start|begin)\s+with\s+(?:a\s+)?capital(?:\s+letter)?"


def within_each(clause: Clause) -> Expr | None:
    """ "the first word of every line must be capitalized", "capitalize the first word
    of each line": the unit at that position inside each unit."""
    c = clause.text
    m = re.fullmatch(
        rf"(?:the\s+)?{ORD}\s+(?P<in>{UNIT_RE})\s+of\s+{EACH}(?P<out>{UNIT_RE})\s+{MODAL}(?P<p>.+)",
        c,
    )
    said = m.group("p") if m else None
    if m is None:
        m = re.fullmatch(
            rf"capitali[sz]e\s+the\s+{ORD}\s+(?P<in>{UNIT_RE})\s+of\s+{EACH}(?P<out>{UNIT_RE})", c
        )
        said = "be capitalized" if m else None
    if m is None or said is None:
        return None
    inner, outer = count_of(m.group("in")), count_of(m.group("out"))
    if inner is None or outer is None or inner.where or outer.where or inner == outer:
        return None
    index = ordinal(m.group("ord"))
    pred = Not(LOWER_START) if re.fullmatch(_CAPITALISED, said) else predicate(clause, said)
    if pred is None:
        return None
    if index == 1:
        at: Expr = Select("first", inner.unit, pred)
    elif index == -1:
        at = Select("last", inner.unit, pred)
    else:
        at = Select("nth", inner.unit, pred, index=index)
    return Select("each", outer.unit, at)


def several(clause: Clause) -> Expr | None:
    """ "the last two lines must start with '>'", "the final 2 bullet points should end
    with a question mark": each of those units (and there are that many)."""
    m = re.fullmatch(
        r"(?:the\s+)?(?P<pos>first|opening|last|final|closing)\s+(?P<k>\d+)\s+"
        rf"(?P<u>{UNIT_RE})\s+{MODAL}(?:each\s+|all\s+|both\s+)?(?P<p>.+)",
        clause.text,
    )
    if m is None or (unit := count_of(m.group("u"))) is None or unit.where is not None:
        return None
    k = int(m.group("k"))
    pred = predicate(clause, m.group("p"))
    if pred is None or not 2 <= k <= 10:
        return None
    sign = 1 if m.group("pos") in ("first", "opening") else -1
    return AllOf(tuple(Select("nth", unit.unit, pred, index=sign * i) for i in range(1, k + 1)))
