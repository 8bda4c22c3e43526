"""Answers mutated around a constraint, written by code: how a compiled check is tested
against answers the model did not write.

A check compiled from "Mention exactly three brands of tea" must change its verdict
when the answer changes in what the sentence talks about: a count one off (a unit
removed or repeated until the verdict flips), the named text removed or added. A
check that accepts the passing example whatever happens to what the sentence names
(``contains 'tea'`` for three brands) does not check the sentence.

`insensitive(text, expr, passing)` names what the check ignores ("" when every
mutation that could be made flips some verdict).
"""

from __future__ import annotations

import re

from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.lang.nodes import Count, Expr, Named, Text, Unit
from cadenza.requirements.lang.units import find
from cadenza.requirements.material import material, walk

MAX_REMOVALS = 400
MAX_DOUBLINGS = 11
"""A count is mutated down one unit at a time (at most `MAX_REMOVALS`), and up by one,
two, four ... units (`MAX_DOUBLINGS` steps, about 2,000 units)."""

_BLOCK = {"paragraph": "\n\n", "section": "\n\n"}
_LINE = frozenset(
    {"line", "bullet", "numbered_item", "list_item", "heading", "table_row", "code_block"}
)


def insensitive(text: str, expr: Expr, passing: str) -> str:
    """What of `text` the check `expr` ignores on answers mutated from `passing` (an
    answer it accepts): a quoted text or letter whose removal or addition never flips
    the verdict, or a counted unit no number of removals or repeats flips. "" when
    every mutation that can be made flips it."""
    found = material(text)
    for literal in (*found.quoted, *found.letters):
        tries = _literal_mutations(passing, literal)
        if tries and all(evaluate(expr, t).passed for t in tries):
            return f"answers with {literal!r} removed or added are still accepted"
    for unit in _counted(expr):
        flipped = _flips_by_count(expr, passing, unit)
        if flipped is False:
            return f"answers with {_name(unit)} removed or repeated are still accepted"
    return ""


def _literal_mutations(passing: str, literal: str) -> list[str]:
    """The passing example without `literal`, with it once more, and with it many
    times more."""
    out: list[str] = []
    pattern = re.compile(re.escape(literal), re.I)
    if pattern.search(passing):
        out.append(" ".join(pattern.sub(" ", passing).split()))
    out.append(f"{passing} {literal}")
    out.append(f"{passing} " + " ".join([literal] * 40))
    return [t for t in out if t.strip() and t != passing]


def _counted(expr: Expr) -> list[Unit]:
    units: list[Unit] = []
    for node in walk(expr):
        if isinstance(node, Count) and node.unit not in units:
            units.append(node.unit)
    return units


def _flips_by_count(expr: Expr, passing: str, unit: Unit) -> bool | None:
    """Whether removing occurrences of `unit` (the last one, then the last two ...),
    or repeating its last occurrence (once, twice, four times ...), flips the verdict
    on `passing` (None when there is no occurrence to remove or repeat)."""
    spans = find(unit, passing)
    tried = False
    current = passing
    for span in list(reversed(spans))[:MAX_REMOVALS]:
        current = current[: span.start] + current[span.end :]
        tried = True
        if not evaluate(expr, current).passed:
            return True
    if spans:
        last = spans[-1]
        piece = _separator(unit) + passing[last.start : last.end]
        for step in range(MAX_DOUBLINGS):
            grown = passing[: last.end] + piece * (1 << step) + passing[last.end :]
            tried = True
            if not evaluate(expr, grown).passed:
                return True
    elif isinstance(unit, Text):
        for step in range(MAX_DOUBLINGS):
            tried = True
            if not evaluate(expr, passing + f" {unit.text}" * (1 << step)).passed:
                return True
    return False if tried else None


def _separator(unit: Unit) -> str:
    if isinstance(unit, Named):
        if unit.name in _LINE:
            return "\n"
        if unit.name in ("character", "letter", "digit", "punctuation", "emoji"):
            return ""
        return _BLOCK.get(unit.name, " ")
    return " "


def _name(unit: Unit) -> str:
    if isinstance(unit, Named):
        return f"{unit.name}s"
    if isinstance(unit, Text):
        return repr(unit.text)
    return "the counted units"
