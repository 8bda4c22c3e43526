"""Which unit nouns an expression accounts for: "each line under 40 characters" read as
an expression that never mentions lines has dropped a unit. Used by the rules (a reading
must use every unit its sentence names) and by literal accounting."""

from __future__ import annotations

from cadenza.requirements.lang.nodes import (
    AllOf,
    AnyOf,
    Case,
    CodeLanguage,
    Compare,
    Contains,
    Count,
    Distinct,
    EndsWith,
    Equals,
    Expr,
    Format,
    HeadingLevel,
    Matches,
    Named,
    Not,
    Pattern,
    Ratio,
    RepeatsRequest,
    Select,
    Sorted,
    Split,
    StartsWith,
    Text,
    Unit,
)

_TEXTUAL = frozenset({"word", "character", "title"})


def referenced(expr: Expr) -> set[str]:
    """The unit nouns an expression accounts for."""
    out: set[str] = set()
    match expr:
        case Compare():
            out |= _unit_refs(expr.count.unit)
            out |= _where_refs(expr.count)
        case Ratio():
            for c in (expr.numerator, expr.denominator):
                out |= _unit_refs(c.unit) | _where_refs(c)
        case Select():
            out |= _unit_refs(expr.unit) | referenced(expr.check)
            if expr.where is not None:
                out |= referenced(expr.where)
        case AllOf() | AnyOf():
            for item in expr.items:
                out |= referenced(item)
        case Not():
            out |= referenced(expr.item)
        case StartsWith() | EndsWith() | Contains() | Equals():
            out |= _TEXTUAL
        case Matches():
            out |= _TEXTUAL | {"line"}
        case Case():
            out |= {"word", "character", "sentence"}
        case Format():
            out |= {"column", "row", "line", "character"}
        case Sorted() | Distinct():
            out |= _unit_refs(expr.unit)
        case HeadingLevel():
            out |= {"heading"}
        case CodeLanguage():
            out |= {"line"}
        case RepeatsRequest():
            out |= {"word", "character", "sentence"}  # "say no word before repeating"
        case _:
            pass
    return out


def _unit_refs(unit: Unit) -> set[str]:
    match unit:
        case Named():
            name = unit.name
            aliases = {
                "numbered_item": {"list_item"},
                "bullet": {"list_item"},
                "list_item": {"bullet"},
                "highlight": {"section", "word", "title"},
                "bold": {"word", "title"},
                "italic": {"word", "title"},
                "capital_word": {"word", "character"},
                "capitalized_word": {"word", "character"},
                "letter": {"character", "word"},
                "table": {"column", "row", "line"},
                "table_row": {"row", "line"},
                "code_block": {"line"},
            }.get(name, set())
            return {name, *aliases}
        case Text():
            return set(_TEXTUAL)
        case Pattern():
            return set(_TEXTUAL) | {"section", "paragraph", "line", "title"}
        case Split():
            return {"paragraph", "section", "word", "line"}


def _where_refs(count: Count) -> set[str]:
    return referenced(count.where) if count.where is not None else set()
