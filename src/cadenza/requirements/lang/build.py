"""Builders for common expressions: what the grammar and hand-written checks
write ("at least 300 words" is ``count("word", "at_least", 300)``). Every builder
returns an ordinary expression of the language; there is no second vocabulary."""

from __future__ import annotations

import re
from collections.abc import Sequence

from cadenza.requirements.lang.nodes import (
    AllOf,
    AnyOf,
    Bound,
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
    Language,
    Named,
    Pattern,
    Relation,
    RepeatsRequest,
    Select,
    Split,
    StartsWith,
    Text,
    Unit,
    UnitName,
)


def bound(relation: Relation, n: float, high: float | None = None) -> Bound:
    return Bound(relation, float(n), None if high is None else float(high))


def count(
    unit: UnitName | Unit,
    relation: Relation,
    n: float,
    high: float | None = None,
    *,
    where: Expr | None = None,
) -> Compare:
    """``count(unit) <relation> n``."""
    the_unit: Unit = Named(unit) if isinstance(unit, str) else unit
    return Compare(Count(the_unit, where), bound(relation, n, high))


def all_of(items: Sequence[Expr]) -> Expr:
    """One expression for several (the item itself when there is one)."""
    return items[0] if len(items) == 1 else AllOf(tuple(items))


def any_of(items: Sequence[Expr]) -> Expr:
    return items[0] if len(items) == 1 else AnyOf(tuple(items))


def paragraphs(
    relation: Relation, n: float, high: float | None = None, *, marker: str | None = None
) -> Expr:
    """Paragraphs between blank lines, or the parts between `marker`s (then a blank part
    between two markers fails, as IFEval counts them)."""
    if marker is None:
        return count("paragraph", relation, n, high)
    parts = Split(marker)
    return AllOf(
        (
            count(parts, relation, n, high),
            Select("none", parts, count("character", "exactly", 0)),
        )
    )


def characters(
    relation: Relation, n: float, high: float | None = None, *, spaces: bool = True
) -> Expr:
    if spaces:
        return count("character", relation, n, high)
    return count(Pattern(r"\S"), relation, n, high)


def sections(relation: Relation, n: float, high: float | None = None, *, marker: str) -> Expr:
    """Sections introduced by `marker` and a number ("SECTION 1"), case as written; a
    line opening with the marker in another case or without a number is a near miss."""
    m = " ".join(marker.split())
    unit = Pattern(
        re.escape(m) + r"\s?\d+",
        name=f"section marked '{m} N'",
        example=f"{m} 1",
        near=r"^[ \t#*_]*(?i:" + re.escape(m) + r")\s?\w+",
    )
    return count(unit, relation, n, high)


def code_blocks(
    relation: Relation, n: float, high: float | None = None, *, language: str | None = None
) -> Expr:
    where = CodeLanguage(language) if language else None
    return count("code_block", relation, n, high, where=where)


def occurrences(
    text: str, relation: Relation, n: float, high: float | None = None, *, whole_word: bool = False
) -> Expr:
    """How often `text` occurs (case-insensitive; inside longer words unless
    `whole_word`, as IFEval counts keywords and letters)."""
    return count(Text(text, whole_word=whole_word), relation, n, high)


def includes(words: Sequence[str], *, whole_word: bool = False) -> Expr:
    """Every word or phrase appears at least once."""
    return all_of([Contains(w, whole_word=whole_word) for w in words])


def excludes(words: Sequence[str], *, whole_word: bool = True) -> Expr:
    """None of the words or phrases appears."""
    return all_of([count(Text(w, whole_word=whole_word), "exactly", 0) for w in words])


def no_characters(characters_: str) -> Expr:
    """None of the characters appears ("no commas")."""
    chars = list(dict.fromkeys(characters_))
    return all_of([count(Text(c, whole_word=False), "exactly", 0) for c in chars])


def lowercase() -> Expr:
    return Case("lower")


def uppercase() -> Expr:
    return Case("upper")


def starts_with(phrase: str) -> Expr:
    return StartsWith(phrase)


def ends_with(phrase: str) -> Expr:
    return EndsWith(phrase)


def wrapped_in(quote: str = '"') -> Expr:
    """The whole answer is wrapped in `quote` characters: it starts and ends with one,
    and has two (a lone quote mark wraps nothing, as IFEval has it)."""
    return AllOf(
        (StartsWith(quote), EndsWith(quote), count(Text(quote, whole_word=False), "at_least", 2))
    )


def json_value(schema: str | None = None) -> Expr:
    return Format("json", schema=schema)


def language(code: str) -> Expr:
    return Language(code)


def one_of(options: Sequence[str]) -> Expr:
    """The answer contains one of the options (IFEval's "My answer is yes." ...), each as
    written and as a whole word: 'no' is not found in "know" or "nothing"."""
    return any_of([Contains(o, whole_word=True, case_sensitive=True) for o in options])


# Near misses of a <<title>>: <one bracket>, a markdown heading, a short first line
# (bold or not, no closing punctuation) above more text; each becomes <<its words>>.
_NEAR_TITLE = (
    r"(?<!<)<(?!<)[*_ \t]*([^<>\n]*?[^\s<>*_][^<>\n]*?)[*_ \t]*>(?!>)"
    r"|^[ \t]{0,3}#{1,6}[ \t]+[*_]*([^\n]*?[^\s*_#])[*_]*[ \t#]*$"
    r"|\A[ \t]*[*_]*((?:[^\s<>#*_]+[ \t]+){0,9}[^\s<>#*_]*[^\s<>#*_.!?:,;])[*_]*[ \t]*"
    r"(?=\n\s*\S)"
)


def title() -> Expr:
    """A title in double angular brackets, ``<<like this>>``."""
    unit = Pattern(
        r"<<[^\n]*[^\s<>][^\n]*>>",
        name="title in double angular brackets",
        example="<<Title>>",
        near=_NEAR_TITLE,
        fix=r"<<\1\2\3>>",
    )
    return count(unit, "at_least", 1)


def postscript(marker: str = "P.S.") -> Expr:
    """A postscript line starting with `marker` (IFEval's patterns for P.S. and P.P.S);
    the marker with its dots or spaces wrong ("PS", "P.S") is a near miss."""
    m = marker.strip()
    if m.upper().replace(" ", "") in ("P.P.S", "P.P.S."):
        regex, m = r"^\s*p\.\s?p\.\s?s.*$", "P.P.S."
    elif m.upper().replace(" ", "") in ("P.S.", "P.S"):
        regex, m = r"^\s*p\.\s?s\..*$", "P.S."
    else:
        regex = r"^\s*" + re.escape(m.lower()) + r".*$"
    unit = Pattern(
        regex,
        ignore_case=True,
        name=f"postscript starting with '{m}'",
        example=f"{m} ...",
        near=_loose_marker(m),
        fix=m.replace("\\", r"\\"),
    )
    return count(unit, "at_least", 1)


def _loose_marker(marker: str) -> str:
    """A line opening with `marker`, its punctuation optional and spaced at will
    ("P.S." -> "PS", "P. S", "p.s")."""
    pieces = [
        re.escape(c) if c.isalnum() else re.escape(c) + "?" for c in marker if not c.isspace()
    ]
    return r"^[ \t]*" + r"[ \t]?".join(pieces) + r"(?![^\W_])"


def separated(parts: int, marker: str = "******") -> Expr:
    """`parts` different responses separated by `marker`."""
    split = Split(marker)
    return AllOf(
        (
            count(split, "exactly", parts),
            Select("none", split, count("character", "exactly", 0)),
            Distinct(split),
        )
    )


def first_word_of_paragraph(nth: int, word: str, total: int | None = None) -> Expr:
    """Paragraph `nth` starts with `word` (and there are `total` paragraphs)."""
    first = Select(
        "nth", Named("paragraph"), Select("first", Named("word"), Equals(word)), index=nth
    )
    if total is None:
        return first
    return AllOf((count("paragraph", "exactly", total), first))


def repeats(request: str | None) -> Expr:
    """The answer starts with the request, word for word (`request` None: the request
    the answer is checked against)."""
    if request is None or not request.strip():
        return RepeatsRequest()
    return RepeatsRequest(request.strip())


def is_count(expr: Expr, unit: UnitName) -> bool:
    """Whether `expr` counts `unit` over the whole answer (no filter)."""
    return (
        isinstance(expr, Compare)
        and expr.count.where is None
        and isinstance(expr.count.unit, Named)
        and expr.count.unit.name == unit
    )


def flatten(expr: Expr) -> list[Expr]:
    """The conjuncts of an expression (all_of flattened)."""
    if isinstance(expr, AllOf):
        return [e for item in expr.items for e in flatten(item)]
    return [expr]
