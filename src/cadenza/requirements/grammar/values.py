"""Values written in a format, said of a kind of value: "use the 24-hour clock for all
times", "show all amounts with 2 decimal places", "dates in YYYY-MM-DD", "prices should
always have 2 decimals", "give percentages to 1 decimal place, like 12.5%", "24h
times", "never write percentages as words". The kind is named by a noun (dates, times,
prices, percentages) or by the format itself ("the ISO date format", "the 24-hour
clock"); what the format is, `lang.values.written` says, or the clause is not read."""

from __future__ import annotations

import re

from cadenza.requirements.grammar.clauses import MODAL, Clause
from cadenza.requirements.lang.build import all_of
from cadenza.requirements.lang.nodes import Bound, Compare, Count, Expr, Text
from cadenza.requirements.lang.values import ValueKind, written

_NOUNS: dict[ValueKind, str] = {
    "date": r"dates?",
    "time": r"times?|timestamps?|clock\s+times?",
    "money": (
        r"(?:money\s+|monetary\s+|dollar\s+|euro\s+)?(?:amounts?|prices?|costs?|fees?|sums?)|"
        r"money"
    ),
    "percentage": r"percentages?|percents?",
}
_Q = (
    r"(?:(?:all|every|each|any)\s+(?:of\s+)?(?:the\s+|your\s+)?|the\s+|your\s+)?"
    r"(?:large\s+|big\s+)?"
)
_FORMAT_NOUN = r"(?:\s+(?:format|formatting|notation|style|convention))?"
_END = r"(?:\s+(?:throughout|everywhere|consistently|always|only|please))*"
_EXAMPLE = re.compile(r",?\s+(?:like|e\.g\.|such\s+as|for\s+example|as\s+in)\s+\S.*$")
_VERB = (
    r"(?:write|give|show|format|express|put|present|display|round|list|state|quote|keep|"
    r"print|report|render)"
)
_PREP = r"(?:in|as|with|using|on|to|like|in\s+the\s+form)"
_BE = (
    rf"(?:{MODAL}(?:always\s+)?(?:be\s+)?(?:(?:written|formatted|given|shown|expressed|displayed|"
    r"rounded|stated|reported)\s+)?)"
)


def _kind_of(noun: str) -> ValueKind | None:
    for kind, pattern in _NOUNS.items():
        if re.fullmatch(pattern, noun):
            return kind
    return None


def _named_in(fmt: str) -> tuple[ValueKind, str] | None:
    """A format that names its kind: "the ISO date format", "the 24-hour clock"."""
    m = re.fullmatch(r"(?P<f>.+?)\s+(?P<k>date|time|price|money|amount|percentage)s?", fmt)
    if m is not None:
        kind = _kind_of(m.group("k"))
        return (kind, m.group("f")) if kind is not None else None
    m = re.fullmatch(r"(?P<f>.+?)\s+clock", fmt)
    return ("time", m.group("f")) if m is not None else None


def _format(kind: ValueKind, fmt: str) -> Expr | None:
    fmt = _EXAMPLE.sub("", fmt.strip())
    fmt = re.sub(rf"^(?:the|a|an)\s+|{_FORMAT_NOUN}$", "", fmt.strip())
    return written(kind, fmt)


def value_format(clause: Clause) -> Expr | None:
    """Every value of a kind written in a format (see the module)."""
    c = _EXAMPLE.sub("", clause.text)
    c = re.sub(rf"{_END}$", "", c)
    nouns = "|".join(f"(?:{p})" for p in _NOUNS.values())
    for regex in (
        rf"{_VERB}\s+{_Q}(?P<n>{nouns})\s+{_PREP}\s+(?P<f>.+)",
        rf"{_Q}(?P<n>{nouns})\s+{_BE}{_PREP}\s+(?P<f>.+)",
        rf"{_Q}(?P<n>{nouns})\s+{MODAL}(?:always\s+)?(?:have|carry|show|use)\s+(?P<f>.+)",
        rf"use\s+(?P<f>.+?)\s+(?:for|in|with|on)\s+{_Q}(?P<n>{nouns})",
        rf"(?P<f>[^\s]+(?:\s+[^\s]+)?)\s+(?P<n>{nouns})",
    ):
        m = re.fullmatch(regex, c)
        kind = _kind_of(m.group("n")) if m is not None else None
        if m is not None and kind is not None and (expr := _format(kind, m.group("f"))):
            if _currency_unchecked(m.group("n"), m.group("f")):
                return None  # "dollar amounts with 2 decimals": the dollars go unchecked
            return expr
    m = re.fullmatch(r"use\s+(?P<f>.+?)", c)
    if m is not None:
        fmt = re.sub(rf"^(?:the|a|an)\s+|{_FORMAT_NOUN}$", "", m.group("f"))
        named = _named_in(fmt)
        if named is not None:
            return _format(*named)
    return _not_in_words(clause, c)


_CURRENCY_MARKS = {"dollar": r"dollar|\$", "euro": r"euro|€"}


def _currency_unchecked(noun: str, fmt: str) -> bool:
    """Whether the noun names a currency ("dollar amounts") that the format's words do
    not ("with 2 decimal places"): the sentence asks more than the format checks."""
    said = re.match(r"dollar|euro", noun)
    return said is not None and re.search(_CURRENCY_MARKS[said.group()], fmt) is None


# a word that names a kind of value, and the format that writes it as a symbol
_SPELLED: dict[str, tuple[ValueKind, str]] = {
    "percent": ("percentage", "%"),
    "per cent": ("percentage", "%"),
}


def _not_in_words(clause: Clause, c: str) -> Expr | None:
    """ "never write percentages as words": every percentage with its symbol; "do not
    spell out 'percent'; use the symbol": that word nowhere, and every percentage with
    its symbol."""
    nouns = _NOUNS["percentage"]
    if re.fullmatch(
        rf"(?:never|do\s+not|don't)\s+(?:write|spell\s+out|give)\s+{_Q}(?:{nouns})\s+(?:as|in)\s+words",
        c,
    ):
        return written("percentage", "%")
    m = re.fullmatch(
        r"(?:never|do\s+not|don't)\s+(?:spell\s+out|write\s+out|write|use\s+the\s+word)\s+"
        r"⟦(?P<q>\d+)⟧\s*[;,]?\s*(?:but\s+)?use\s+the\s+(?:symbol|sign)(?:\s+instead)?",
        c,
    )
    if m is None:
        return None
    word = clause.norm.quote(m.group("q")).strip().lower()
    if word not in _SPELLED:
        return None
    kind, symbol = _SPELLED[word]
    each = written(kind, symbol)
    if each is None:
        return None
    return all_of([Compare(Count(Text(word)), Bound("exactly", 0)), each])
