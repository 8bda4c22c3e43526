"""Sentences about the shape of the whole answer, read across their clauses: a table or
CSV and its options ("CSV with exactly 3 columns and a header row", "markdown table, 3
columns, 3 rows not counting the header"), and a list with what may surround it
("numbered, 10 tips, no intro or outro", "just the code block, no explanation")."""

from __future__ import annotations

import re

from cadenza.requirements.grammar.clauses import COUNT, RESTATEMENT, Clause, Q, bound_of
from cadenza.requirements.grammar.lexicon import Normalised
from cadenza.requirements.lang.build import all_of
from cadenza.requirements.lang.nodes import (
    Bound,
    ColumnType,
    Compare,
    Count,
    Expr,
    Format,
    FormatKind,
    Named,
    Select,
    Sorted,
    Split,
    Unit,
)

_PARTS = re.compile(r"\s*(?:,\s*with\s+|,|;|\s[-–—]\s|\s+and\s+|\s+with\s+|\s+having\s+)\s*")
_TABLE_HEAD = re.compile(
    r"(?:(?:give|write|return|format|output|answer|put)\s+(?:it|them|this)?\s*|(?:the\s+answer|it)\s+is\s+)?"
    r"(?:in\s+|as\s+)?(?:a\s+)?"
    r"(?:valid\s+)?(?P<f>csv|comma-separated(?:\s+values)?|markdown\s+table|table)(?:\s+format)?(?:\s+only)?"
)


def read_shape(norm: Normalised, body: str) -> Expr | None:
    return _table(norm, body) or _listing(norm, body)


# --------------------------------------------------------------------------- tables


def _table(norm: Normalised, body: str) -> Expr | None:
    if not re.search(r"\bcsv\b|comma-separated|\btable\b", body):
        return None
    kind: FormatKind | None = None
    columns: int | tuple[str, ...] | None = None
    header: bool | None = None
    rows: Bound | None = None
    types: list[tuple[str, ColumnType]] = []
    body = re.sub(
        r"(columns?\b\s*:?\s*(?:for\s+)?)([\w-]+(?:\s*,\s*[\w-]+)+|[\w-]+\s+and\s+[\w-]+)",
        lambda m: m.group(1) + re.sub(r"\s*(?:,|\band\b)\s*", "|", m.group(2)),
        body,
    )
    for part in _PARTS.split(body):
        part = part.strip(" .")
        if not part:
            continue
        head = _TABLE_HEAD.fullmatch(part)
        if head is not None and kind is None:
            kind = "markdown_table" if "table" in head.group("f") else "csv"
            continue
        m = re.fullmatch(rf"(?:exactly\s+)?{COUNT}\s+columns?", part)
        if m is not None:
            bound = bound_of(m)
            if bound is None or bound.relation != "exactly":
                return None
            columns = int(bound.n)
            continue
        m = re.fullmatch(r"columns?\s*:?\s*(?:for\s+)?(?P<names>.+)", part)
        if m is not None:
            names = _names(norm, m.group("names"))
            if not names:
                return None
            columns = tuple(names)
            continue
        if re.fullmatch(r"(?:a\s+|with\s+a\s+)?header(?:\s+row)?", part):
            header = True
            continue
        if re.fullmatch(r"(?:no|without(?:\s+a)?)\s+header(?:\s+row)?", part):
            header = False
            continue
        m = re.fullmatch(
            rf"{COUNT}\s+(?:data\s+)?rows?(?:\s+(?:not\s+counting|excluding|besides|plus)\s+the\s+header(?:\s+row)?)?",
            part,
        )
        if m is not None:
            rows = bound_of(m)
            if rows is None:
                return None
            continue
        m = re.fullmatch(
            r"(?P<col>[a-z][\w ]{0,30}?)\s+as\s+(?P<t>whole\s+numbers|integers|numbers|decimals)",
            part,
        )
        if m is not None:
            kind_of: ColumnType = (
                "integer" if m.group("t") in ("whole numbers", "integers") else "number"
            )
            types.append((m.group("col").strip(), kind_of))
            continue
        if RESTATEMENT.fullmatch(part):
            continue
        return None
    if kind is None:
        return None
    if kind == "csv" and isinstance(columns, tuple) and header is None:
        header = None
    return Format(kind, columns=columns, header=header, rows=rows, types=tuple(types))


def _names(norm: Normalised, text: str) -> list[str]:
    quoted = re.findall(Q.replace("?P<q>", ""), text)
    if quoted:
        return [norm.quote(q) for q in quoted]
    items = re.split(r"\s*(?:,|\||\s+and\s+|\s+plus\s+)\s*", text.strip())
    if not all(re.fullmatch(r"[a-z][\w-]{0,30}", i) for i in items) or len(items) > 20:
        return []
    return items


# --------------------------------------------------------------------------- lists


_LIST_KIND = re.compile(
    r"(?:(?:give|write|make|format|put|present)\s+(?:it|them|the\s+\w+)\s+)?(?:as\s+|in\s+)?(?:a\s+)?"
    r"(?P<t>numbered|bullet(?:ed)?(?:\s+point)?)(?:\s+list)?(?:\s+please)?"
)
_NOTHING_AROUND = re.compile(
    r"no\s+(?:intro(?:duction)?|outro|preamble|commentary|explanations?|extra\s+text|other\s+text|"
    r"chit-?chat)(?:\s+(?:or|and|/)\s+(?:intro(?:duction)?|outro|conclusion|commentary|explanations?))?"
    r"(?:\s+(?:before|after|outside)(?:\s+(?:or|and)\s+(?:before|after))?(?:\s+it)?)?"
    r"|nothing\s+(?:else|before\s+or\s+after)"
)


def _listing(norm: Normalised, body: str) -> Expr | None:
    parts = [p.strip(" .") for p in re.split(r"\s*(?:,|;|\s[-–—]\s)\s*", body) if p.strip(" .")]
    if len(parts) < 2:
        return None
    unit: Unit | None = None
    count: Bound | None = None
    nothing_around = False
    just_one = False
    order = False
    comma_items = False
    one_line = False
    for part in parts:
        kind = _LIST_KIND.fullmatch(part)
        if kind is not None:
            unit = Named("numbered_item") if kind.group("t") == "numbered" else Named("bullet")
            continue
        numbered = re.fullmatch(
            rf"{COUNT}\s+(?P<t>numbered|bullet(?:ed)?)\s+"
            r"(?:items?|tips?|points?|steps?|entries|ideas?|things?|lines?)",
            part,
        )
        if numbered is not None and count is None:
            unit = Named("numbered_item") if numbered.group("t") == "numbered" else Named("bullet")
            count = bound_of(numbered)
            if count is None:
                return None
            continue
        m = re.fullmatch(
            rf"(?:top\s+)?{COUNT}(?:\s+(?:items?|tips?|points?|steps?|entries|ideas?|things?))?(?:\s+only)?",
            part,
        )
        if (
            m is not None
            and not re.match(r"top\b", part)
            and not re.search(r"[a-z]$", part.removesuffix(" only"))
        ):
            m = None
        if m is not None and count is None:
            count = bound_of(m)
            if count is None:
                return None
            continue
        if _NOTHING_AROUND.fullmatch(part):
            nothing_around = True
            continue
        m = re.fullmatch(
            r"(?:just|only|nothing\s+but)\s+(?:the|a|one|1)\s+(?P<u>code\s*block|table|list|json)",
            part,
        )
        if m is not None:
            just_one = True
            unit = {"table": Named("table"), "list": Named("list_item")}.get(
                m.group("u"), Named("code_block")
            )
            continue
        if re.fullmatch(
            r"(?:in\s+)?(?:alphabetical|alphabetic|a\s+to\s+z|a-z)\s+order|sorted\s+alphabetically|alphabetically|sort\s+them\s+(?:a\s+to\s+z|alphabetically)",
            part,
        ):
            order = True
            continue
        if re.fullmatch(r"comma-separated(?:\s+on\s+1\s+line)?", part):
            comma_items = True
            one_line = one_line or part.endswith("line")
            continue
        if RESTATEMENT.fullmatch(part):
            continue
        return None
    exprs: list[Expr] = []
    if comma_items:
        items: Unit = Split(",")
        if one_line:
            exprs.append(Compare(Count(Named("line")), Bound("exactly", 1)))
        exprs.append(Compare(Count(items), Bound("at_least", 2)))
        if order:
            exprs.append(Sorted(items))
        return all_of(exprs) if unit is None and count is None and not nothing_around else None
    if unit is None:
        if not order:
            return None
        unit = Named("list_item")
    if just_one:
        exprs.append(Compare(Count(unit), Bound("exactly", 1)))
        nothing_around = True
    elif count is not None:
        exprs.append(Compare(Count(unit), count))
    else:
        exprs.append(Compare(Count(unit), Bound("at_least", 1)))
    if nothing_around:
        exprs.append(Select("outside", unit, Compare(Count(Named("word")), Bound("exactly", 0))))
    if order:
        exprs.append(Sorted(unit))
    return all_of(exprs)


__all__ = ["Clause", "read_shape"]
