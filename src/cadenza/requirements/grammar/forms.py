"""Whole-answer forms said in a clause: the answer wrapped in quotation marks, a title in
double angular brackets, a postscript, a count of markdown highlights, paragraphs
separated by a marker, "a 300+ word essay", "list 7 items as bullets"."""

from __future__ import annotations

import re

from cadenza.requirements.grammar.clauses import COUNT, Clause, bound_of
from cadenza.requirements.grammar.lexicon import UNIT_RE, count_of
from cadenza.requirements.lang import build
from cadenza.requirements.lang.nodes import Bound, Compare, Count, Expr, Named

_WHOLE = (
    r"(?:it|everything|(?:your|the)\s+(?:whole\s+|entire\s+)?(?:response|answer|reply|output|text))"
)


def wrapped(clause: Clause) -> Expr | None:
    """ "wrap your entire response with double quotation marks", "put your entire reply
    inside double quotes"."""
    m = re.fullmatch(
        rf"(?:wrap|put|enclose|place)\s+{_WHOLE}\s+(?:with(?:in)?|in|inside|between)\s+"
        r"(?:a\s+pair\s+of\s+)?(?P<q>double|single)\s+quot(?:ation\s+marks?|es|e\s+marks)",
        clause.text,
    )
    if m is None:
        return None
    return build.wrapped_in('"' if m.group("q") == "double" else "'")


def titled(clause: Clause) -> Expr | None:
    """ "include a title wrapped in double angular brackets", "add a title like <<T>>"."""
    if re.fullmatch(
        r"(?:include|add|give\s+it|use|have|put)\s+a\s+title\s+"
        r"(?:(?:wrapped|written|put)\s+)?(?:in|inside|within|between|like)\s+"
        r"(?:double\s+angular\s+brackets|double\s+angle\s+brackets|<<[^<>]*>>)"
        r"(?:,?\s+(?:like|such\s+as|e\.g\.?|i\.e\.?)\s+<<[^<>]*>>)?",
        clause.text,
    ):
        return build.title()
    return None


def postscript(clause: Clause) -> Expr | None:
    """ "at the end, add a postscript starting with P.S.", "finish with a P.S. note"."""
    m = re.fullmatch(
        r"(?:at\s+the\s+(?:very\s+)?end,?\s+)?(?:add|include|write|finish\s+with|end\s+with|"
        r"close\s+with|conclude\s+with)\s+a\s+(?:postscript|(?P<short>p\.\s?(?:p\.\s?)?s\.?))"
        r"(?:\s+note)?(?:\s+(?:starting|beginning)\s+with\s+(?P<m>p\.\s?(?:p\.\s?)?s\.?))?"
        r"(?:\s+at\s+the\s+(?:very\s+)?end)?",
        clause.text,
    )
    if m is None:
        return None
    marker = (m.group("m") or m.group("short") or "p.s.").upper().replace(" ", "")
    return build.postscript(marker)


def highlights(clause: Clause) -> Expr | None:
    """ "highlight at least 3 sections with markdown", "bold or italicize at least 2 key
    phrases using markdown"."""
    m = re.fullmatch(
        r"(?:highlight|bold\s+or\s+itali[cs]i[sz]e|itali[cs]i[sz]e\s+or\s+bold|emphasi[sz]e)\s+"
        rf"{COUNT}\s+(?:key\s+)?(?:sections?|parts?|phrases?|words?|passages?)"
        r"(?:\s+(?:with|using|in)\s+markdown)?(?:,?\s+(?:i\.e\.?|e\.g\.?|like|such\s+as)\s+\S+)?",
        clause.text,
    )
    if m is None:
        return None
    bound = bound_of(m)
    return Compare(Count(Named("highlight")), bound) if bound is not None else None


def divided(clause: Clause) -> Expr | None:
    """ "answer using between 3 and 5 paragraphs separated by ***", "write it in five
    paragraphs, separated by the divider ***"."""
    m = re.fullmatch(
        rf"(?:(?:answer|write(?:\s+it)?|respond)\s+(?:using|in|with)\s+)?{COUNT}\s+paragraphs?,?\s+"
        r"(?:separated|divided)\s+(?:from\s+each\s+other\s+)?(?:by|with)\s+(?:the\s+)?"
        r"(?:markdown\s+)?(?:divider\s+)?(?P<mark>[*\-_=~#]{3,})",
        clause.text,
    )
    if m is None:
        return None
    bound = bound_of(m)
    if bound is None:
        return None
    return build.paragraphs(bound.relation, bound.n, bound.high, marker=m.group("mark"))


def sized(clause: Clause) -> Expr | None:
    """ "write a 300+ word essay" (at least 300 words), "a 3-paragraph story" (exactly
    3 paragraphs), "list 7 items as markdown bullets"."""
    m = re.fullmatch(
        r"(?:(?:write|give\s+me|compose|draft|produce)\s+)?(?:a|an)\s+(?P<n>\d+)(?P<plus>\+)?"
        rf"[-\s](?P<u>{UNIT_RE})[-\s](?:long\s+)?[a-z]+(?:\s+[a-z]+)?",
        clause.text,
    )
    if m is not None:
        count = count_of(m.group("u"))
        if count is None or count.unit not in (
            Named("word"),
            Named("sentence"),
            Named("paragraph"),
        ):
            return None
        n = float(m.group("n"))
        if m.group("plus"):
            return Compare(count, Bound("at_least", n))
        if count.unit == Named("word"):
            return None  # "a 300-word essay" is about 300 words: judged, not counted
        return Compare(count, Bound("exactly", n))
    m = re.fullmatch(
        r"list\s+(?P<n>\d+)\s+(?:items|things|points|ideas|examples|reasons)\s+as\s+"
        r"(?:markdown\s+)?(?P<k>bullet(?:s|\s+points)?|a\s+bulleted\s+list|a\s+numbered\s+list)",
        clause.text,
    )
    if m is None:
        return None
    unit = Named("numbered_item") if "numbered" in m.group("k") else Named("bullet")
    return Compare(Count(unit), Bound("exactly", float(m.group("n"))))
