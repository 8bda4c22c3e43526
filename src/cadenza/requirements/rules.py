"""Rules: the fast, free path from text to expressions.

`read(sentence)` reads one requirement sentence with the grammar of requirement
sentences (`grammar/`: scopes, units, measures and predicates composed the way the
language composes them). A reading is only trusted when it accounts for what the
sentence talks about: a sentence that names a unit or a scope the expression does not
use ("every *line* under 40 characters" read as a limit on the whole answer) is not
read by rule at all, and goes to the compiler instead. Precision over recall.

`accounts_for` and `unexplained` say what of a sentence an expression leaves out; the
compiler and the prompt's coverage (`coverage.py`) ask them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cadenza.requirements import grammar
from cadenza.requirements.lang.nodes import (
    AllOf,
    AnyOf,
    Case,
    Compare,
    Contains,
    EndsWith,
    Equals,
    Expr,
    Format,
    Language,
    Named,
    Not,
    Pattern,
    Ratio,
    RepeatsRequest,
    Select,
    Split,
    StartsWith,
    Text,
)
from cadenza.requirements.lang.references import referenced

# Unit nouns a requirement sentence may name, and the unit each stands for.
_MENTIONS: dict[str, re.Pattern[str]] = {
    "line": re.compile(r"\blines?\b(?!\s+break)", re.I),
    "sentence": re.compile(r"\bsent[ae]nces?\b", re.I),
    "paragraph": re.compile(r"\bparagraphs?\b|\bparas?\b", re.I),
    "bullet": re.compile(r"\bbullet(?:s|\s+points?)?\b", re.I),
    "list_item": re.compile(r"\b(?:list\s+)?items?\b|\bsteps?\b|\bentries\b", re.I),
    "heading": re.compile(r"\bheadings?\b|\bheaders?\b|\bheadlines?\b|\bsubheadings?\b", re.I),
    "section": re.compile(r"\bsections?\b", re.I),
    "word": re.compile(r"\bwords?\b", re.I),
    "character": re.compile(r"\bchar(?:acter)?s?\b", re.I),
    "column": re.compile(r"\bcolumns?\b", re.I),
    "row": re.compile(r"\brows?\b", re.I),
    "title": re.compile(r"\btitles?\b(?![\s-]*case)|\bsubject\b", re.I),
}
_UNIT_NOUN = "|".join(p.pattern for p in _MENTIONS.values())
# A scope: a quantifier or position right before a unit noun ("each line", "the last word").
_SCOPES = re.compile(
    r"\b(?:each|every|per|any|first|last|final|opening|closing|second|third|fourth|fifth)\s+"
    rf"(?:[\w-]+\s+)?(?:{_UNIT_NOUN})",
    re.I,
)
# What each kind of expression accounts for, beyond the units it counts.


@dataclass(frozen=True, slots=True)
class Reading:
    """An expression read from `text[start:end]` by the named rules."""

    expr: Expr
    rules: tuple[str, ...]
    start: int
    end: int


def read(text: str) -> Reading | None:
    """The expression a requirement sentence states: the grammar's reading when it reads
    all of it (every clause read, or a reason or restatement of another clause)."""
    parsed = grammar.parse(text)
    if parsed is None:
        return None
    return Reading(parsed, ("grammar",), 0, len(text))


# Words a requirement sentence may use around what its expression says, and the words
# each kind of expression accounts for. What is left over is something the reading
# did not understand.
_FUNCTION = frozenset(
    " ".join(
        (
            "a an the of in on at to for with by from as and or but it its this that these those",
            "your you my me i we our us they them be is are was were should must shall will",
            "would can could may might need needs has have had do does please make sure ensure",
            "keep write writing written use using used answer response reply respond output",
            "text entire whole full complete all any each every only just total overall",
            "throughout so yourself limit limited restrict least most more less fewer than no",
            "not never without avoid exactly precisely between up over under below above",
            "maximum minimum max min around about roughly within include including includes",
            "contain containing contains give provide add put wrap wrapped format formatted",
            "long length times time there following appear appears appearing occur occurs",
            "show shown inside like i.e e.g note list other allowed starting beginning ending",
            "markdown essay story poem article post blog email report summary message piece",
            "copy then structure organize organise divide split fenced fence",
        )
    ).split()
)
_KIND_WORDS: dict[str, str] = {
    "case": "lowercase lower upper uppercase case capital capitals capitalized capitalize "
    "capitalise letters letter caps small english",
    "language": "language entirely completely fully solely purely only",
    "format": "json yaml csv table markdown valid block code object schema validate against fenced",
    "starts": "start starts begin begins open opens beginning first phrase word exact exactly",
    "ends": "end ends finish finishes close conclude phrase word exact exactly last",
    "contains": "keyword keywords word words term terms phrase mention mentions letter",
    "quote": "quotation quotes quote marks double single",
    "repeat": "repeat request word change first then",
    "title": "title double angular angle brackets",
    "postscript": "postscript p.s p.p.s end finish",
    "highlight": "highlight highlighted sections section markdown italic italics italicize bold "
    "key phrases phrase",
    "placeholder": "placeholder placeholders square brackets",
    "divider": "divider separated separate markdown",
    "section": "section sections mark",
}


def unexplained(text: str, expr: Expr) -> list[str]:
    """The content words of `text` that nothing in `expr` accounts for."""
    from cadenza.requirements.grammar.languages import LANGUAGES
    from cadenza.requirements.grammar.lexicon import normalise
    from cadenza.requirements.lang.codec import to_text

    norm = re.sub(r"⟦\d+⟧|\b1\s+of\b", " ", normalise(text).text)
    spelled = to_text(expr).lower()
    numbers = _bound_numbers(expr)
    allowed = set(_FUNCTION) | referenced(expr) | set(LANGUAGES)
    for kind, words in _KIND_WORDS.items():
        if kind in _kinds(expr):
            allowed |= set(words.split())
    left: list[str] = [
        mark
        for mark in re.findall(r"\{\{|\[\[|<<|\*\*|__|~~|```", text)
        if mark not in spelled and re.escape(mark) not in spelled
    ]
    for word in re.findall(r"[a-z][a-z.'-]*|\d+(?:\.\d+)?", norm):
        base = word.rstrip(".'").removesuffix("'s")
        if base[:1].isdigit():
            if not any(low <= float(base) <= high for low, high in numbers):
                left.append(base)
            continue
        if base in allowed or base.rstrip("s") in allowed or base in spelled:
            continue
        if _MENTIONS_ANY.search(base):
            continue
        left.append(base)
    return left


_MENTIONS_ANY = re.compile("|".join(f"^(?:{p.pattern})$" for p in _MENTIONS.values()), re.I)


def _bound_numbers(expr: Expr) -> list[tuple[float, float]]:
    """The numbers an expression's bounds let a sentence name (an approximate count,
    "roughly 300", reads as the range around it)."""
    out: list[tuple[float, float]] = []
    match expr:
        case Compare() | Ratio():
            b = expr.bound
            out.append((b.n, b.high if b.high is not None else b.n))
            if isinstance(expr, Compare) and expr.count.where is not None:
                out += _bound_numbers(expr.count.where)
        case AllOf() | AnyOf():
            for item in expr.items:
                out += _bound_numbers(item)
        case Not():
            out += _bound_numbers(expr.item)
        case Select():
            out += _bound_numbers(expr.check)
            if expr.index is not None:
                out.append((abs(expr.index), abs(expr.index)))
        case _:
            pass
    return out


def _kinds(expr: Expr) -> set[str]:
    out: set[str] = set()
    match expr:
        case Case() | Language():
            out.add("case" if isinstance(expr, Case) else "language")
        case Format():
            out.add("format")
        case StartsWith():
            out.add("starts")
            if expr.text in ('"', "'"):
                out.add("quote")
        case EndsWith():
            out.add("ends")
            if expr.text in ('"', "'"):
                out.add("quote")
        case Contains() | Equals():
            out.add("contains")
        case Compare():
            unit = expr.count.unit
            if isinstance(unit, Named):
                out |= {"highlight"} if unit.name == "highlight" else set()
                out |= {"placeholder"} if unit.name == "placeholder" else set()
            if isinstance(unit, Pattern):
                out |= {"title", "postscript", "section"}
            if isinstance(unit, Split):
                out.add("divider")
            if isinstance(unit, Text):
                out.add("contains")
        case AllOf() | AnyOf():
            for item in expr.items:
                out |= _kinds(item)
        case Not():
            out |= _kinds(expr.item)
        case Select():
            out |= _kinds(expr.check)
        case RepeatsRequest():
            out.add("repeat")
        case _:
            pass
    return out


def accounts_for(text: str, expr: Expr) -> bool:
    """Whether `expr` uses every unit and scope `text` names (a reading that drops the
    "each line" of "each line under 40 characters" does not)."""
    named = {unit for unit, pattern in _MENTIONS.items() if pattern.search(text)}
    used = referenced(expr)
    if named - used:
        return False
    scoped = _SCOPES.search(_unquoted(text))
    return scoped is None or _has_scope(expr) or _scope_is_ornamental(text, scoped)


def _has_scope(expr: Expr) -> bool:
    match expr:
        case Select():
            return True
        case AllOf() | AnyOf():
            return any(_has_scope(e) for e in expr.items)
        case Not():
            return _has_scope(expr.item)
        case Compare():
            return isinstance(expr.count.unit, Split) or (
                expr.count.where is not None and _has_scope(expr.count.where)
            )
        case _:
            return False


def _scope_is_ornamental(text: str, scoped: re.Match[str]) -> bool:
    """Scope words that do not restrict where a measure applies: "each paragraph should
    be separated by ***", "mark the beginning of each section with SECTION X", "the first
    word of paragraph 2" (read by its own rule)."""
    tail = text[scoped.end() : scoped.end() + 60]
    return bool(
        re.search(
            r"\b(?:separated|divided|split|marked?|labell?ed|begin(?:ning)?\s+of)\b", tail, re.I
        )
        or re.search(r"\bmark\s+the\s+beginning\s+of\s+each\b", text, re.I)
        or re.search(
            r"\bfirst\s+word\s+of\b|\bparagraph\s+\d|\b\d+(?:st|nd|rd|th)\s+paragraph\b", text, re.I
        )
    )


def _unquoted(text: str) -> str:
    return re.sub(r"\"[^\"]*\"|“[^”]*”|(?<!\w)'[^']*'(?!\w)", " ", text)
