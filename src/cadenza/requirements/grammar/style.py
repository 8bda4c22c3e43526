"""How the answer may be marked up and repeat itself, said as an instruction: no
markdown ("plain text only"), no lists ("write in prose, not a list"), a count of bold
spans said with "highlight ... in bold", and units never repeated ("don't repeat any
line", "no two sentences may be the same")."""

from __future__ import annotations

import re

from cadenza.requirements.grammar.clauses import COUNT, MODAL, Clause, bound_of
from cadenza.requirements.grammar.lexicon import UNIT_RE, count_of
from cadenza.requirements.lang import build
from cadenza.requirements.lang.nodes import (
    AllOf,
    Compare,
    Count,
    Distinct,
    Expr,
    Named,
    UnitName,
)

_NOT = r"(?:do\s+not|never|avoid|no|without)"
# what markdown marks in a text a reader sees raw: emphasis, headings, code, tables
_MARKUP: tuple[UnitName, ...] = ("bold", "italic", "heading", "code_block", "table")


def unmarked(clause: Clause) -> Expr | None:
    """ "don't use markdown", "no markdown formatting", "plain text only": no bold,
    italics, headings, code blocks or tables (lists are left to what is said of them)."""
    if re.fullmatch(
        rf"(?:{_NOT}\s+(?:use\s+)?(?:any\s+)?markdown(?:\s+(?:formatting|syntax|markup))?|"
        r"(?:(?:write|answer|reply|respond)\s+(?:in\s+)?)?plain\s+text(?:\s+only)?|"
        r"only\s+plain\s+text)",
        clause.text,
    ):
        return AllOf(tuple(build.count(u, "exactly", 0) for u in _MARKUP))
    return None


def unlisted(clause: Clause) -> Expr | None:
    """ "write in prose, not a list", "avoid lists", "no lists": no list item."""
    if re.fullmatch(
        r"(?:(?:write|answer|reply|respond)\s+)?in\s+prose,?\s+(?:not|rather\s+than)\s+"
        r"(?:in\s+)?(?:a\s+)?lists?|"
        rf"{_NOT}\s+(?:use\s+)?(?:any\s+)?lists?",
        clause.text,
    ):
        return build.count("list_item", "exactly", 0)
    return None


def bolded(clause: Clause) -> Expr | None:
    """ "highlight at least 2 words in bold", "put exactly 1 term in bold": a count of
    bold spans."""
    m = re.fullmatch(
        r"(?:highlight|put|mark|write|set|format|emphasi[sz]e)\s+"
        rf"{COUNT}\s+(?:key\s+)?(?:words?|terms?|phrases?|keywords?)\s+(?:in|with|using)\s+bold",
        clause.text,
    )
    if m is None or (bound := bound_of(m)) is None:
        return None
    return Compare(Count(Named("bold")), bound)


def unrepeated(clause: Clause) -> Expr | None:
    """ "don't repeat any line", "no 2 sentences may be the same": the units differ."""
    m = re.fullmatch(
        rf"(?:do\s+not|never|avoid)\s+(?:repeat(?:ing)?)\s+(?:any|a)\s+(?P<u>{UNIT_RE})|"
        rf"no\s+2\s+(?P<u2>{UNIT_RE})\s+{MODAL}(?:be\s+|are\s+)?(?:the\s+same|identical|alike)",
        clause.text,
    )
    if m is None or (unit := count_of(m.group("u") or m.group("u2"))) is None:
        return None
    if unit.where is not None or unit.unit in (Named("word"), Named("character"), Named("letter")):
        return None  # "no 2 words the same" is about words, not items
    return Distinct(unit.unit)


def unquoted(clause: Clause) -> Expr | None:
    """ "don't quote anyone", "never quote sources": no quotation."""
    if re.fullmatch(
        r"(?:do\s+not|never|avoid)\s+quot(?:e|ing)\s+(?:anyone|anybody|people|others|sources?|"
        r"anything)(?:\s+directly)?",
        clause.text,
    ):
        return build.count("quote", "exactly", 0)
    return None
