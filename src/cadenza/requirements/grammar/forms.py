"""Whole-answer forms said in a clause: the answer wrapped in quotation marks, a title in
double angular brackets, a postscript, a count of markdown highlights, paragraphs
separated by a marker, "a 300+ word essay", "list 7 items as bullets"."""

from __future__ import annotations

import re

from cadenza.requirements.grammar.clauses import COUNT, Clause, Q, bound_of
from cadenza.requirements.grammar.lexicon import THE_ANSWER, UNIT_RE, count_of
from cadenza.requirements.lang import build
from cadenza.requirements.lang.nodes import (
    AllOf,
    Bound,
    Compare,
    Count,
    Expr,
    Named,
    Pattern,
    Select,
    StartsWith,
)

_WHOLE = (
    rf"(?:it|everything|{THE_ANSWER}|(?:your|the)\s+(?:whole\s+|entire\s+)?[\w-]+\s+"
    r"(?:response|answer|reply|output))"
)
# quotation marks (no kind said: double)
_QUOTES = r"(?:a\s+pair\s+of\s+)?(?:(?P<q>double|single)\s+)?quot(?:ations?\s+marks?|es|e\s+marks)"


def wrapped(clause: Clause) -> Expr | None:
    """ "wrap your entire response with double quotation marks", "put double quotes
    around your whole reply", "your entire response is wrapped in double quotes"."""
    m = (
        re.fullmatch(
            rf"(?:wrap|put|enclose|place|surround)\s+{_WHOLE}\s+"
            rf"(?:with(?:in)?|in|inside|between|into)\s+{_QUOTES}",
            clause.text,
        )
        or re.fullmatch(rf"(?:put|place|add|use)\s+{_QUOTES}\s+around\s+{_WHOLE}", clause.text)
        or re.fullmatch(
            rf"{_QUOTES}\s+(?:should|must|need\s+to)\s+be\s+(?:placed|put)\s+around\s+{_WHOLE}",
            clause.text,
        )
        or re.fullmatch(
            rf"(?:{_WHOLE}\s+(?:is|should\s+be|must\s+be)\s+|be\s+|is\s+)?"
            rf"(?:wrapped|enclosed|surrounded)\s+(?:with(?:in)?|in|inside|by)\s+{_QUOTES}",
            clause.text,
        )
    )
    if m is None:
        return None
    return build.wrapped_in("'" if m.group("q") == "single" else '"')


_ANGLED = r"(?:double\s+angul?ar\s+brackets|double\s+angle\s+brackets|<<[^<>]*>>)"
_ANGLED_EXAMPLE = r"(?:,?\s+(?:like|such\s+as|e\.g\.?|i\.e\.?|for\s+example)\s*,?\s+<<[^<>]*>>)?"


def titled(clause: Clause) -> Expr | None:
    """ "include a title wrapped in double angular brackets", "add a title like <<T>>",
    "the title should be wrapped in ...", "put the name of the story in << >>", "give
    your answer wrapped in double angular brackets": a part of the answer in << >>."""
    if re.fullmatch(
        r"(?:(?:both|all|each)\s+[a-z]+\s+)?"
        r"(?:(?:include|add|give(?:\s+it)?|use|have|has|put|contains?|with|provide|"
        r"followed\s+by)\s+)?(?:a\s+|the\s+|your\s+)?(?:[a-z]+\s+)?(?:title|name|answer)"
        r"(?:\s+of\s+(?:the|your)\s+[a-z]+(?:\s+[a-z]+)?)?"
        r",?\s+(?:(?:should|must|will)\s+be\s+|(?:that|which)\s+is\s+)?"
        r"(?:(?:wrapped|written|put|contained|enclosed)\s+)?"
        rf"(?:in|inside|within|between|like)\s+{_ANGLED}{_ANGLED_EXAMPLE}",
        clause.text,
    ):
        return build.title()
    return None


_MARKER = r"p\.\s?(?:p\.\s?)?s\.?"
_AT_THE_END = rf"(?:at|to)\s+the\s+(?:very\s+)?end(?:\s+of\s+{THE_ANSWER})?"


def postscript(clause: Clause) -> Expr | None:
    """ "at the end, add a postscript starting with P.S.", "finish with a P.S. note",
    "include a postscript at the end of your response that starts with P.P.S"."""
    m = re.fullmatch(
        rf"(?:{_AT_THE_END},?\s+)?(?:(?:explicitly\s+)?(?:add|include|write|have|"
        rf"(?:finish|end|close|conclude)(?:\s+it|\s+{THE_ANSWER})?\s+with)\s+)?"
        rf"a\s+(?:postscript|post\s+script|(?P<short>{_MARKER}))(?:\s+note)?"
        rf"(?:\s+(?:{_AT_THE_END}|(?:(?:that|which)\s+)?(?:starting|beginning|starts|begins)\s+with\s+"
        rf"(?P<m>{_MARKER})|(?:indicated|marked)\s+(?:by|with)\s+(?P<m2>{_MARKER})))*\??",
        clause.text,
    )
    if m is None:
        return None
    said = m.group("m") or m.group("m2") or m.group("short") or "p.s."
    expr = build.postscript(said.upper().replace(" ", ""))
    if re.search(rf"{_AT_THE_END}|^(?:finish|end|close|conclude)\b", clause.text):
        return Select("last", Named("paragraph"), expr)  # where it is said to be
    return expr


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
    """ "write a 300+ word essay" (at least 300 words), "a 300-word essay" (about 300,
    as "roughly 300 words"), "a 3-paragraph story" (exactly 3 paragraphs), "list 7 items
    as markdown bullets", "name 3 dogs using bullet points" (the things named are the
    bullets)."""
    m = re.fullmatch(
        r"(?:(?:(?:can|could|would|will)\s+you\s+)?(?:write|give\s+me|compose|draft|produce|create)\s+)?"
        r"(?:(?:a|an)\s+(?:[a-z]+,?\s+)?)?"
        rf"(?P<n>\d+)(?P<plus>\+)?[-\s](?P<u>{UNIT_RE})[-\s](?:long\s+)?[a-z]+(?:\s+[a-z]+){{0,2}}",
        clause.text,
    )
    if m is not None:
        count = count_of(m.group("u"))
        if count is None or count.unit not in (
            Named("word"),
            Named("sentence"),
            Named("paragraph"),
            Named("line"),
            Named("section"),
        ):
            return None
        n = float(m.group("n"))
        if m.group("plus"):
            return Compare(count, Bound("at_least", n))
        if count.unit == Named("word"):  # "a 300-word essay": about 300 words
            return Compare(count, Bound("between", int(n * 0.8), -(-n * 6 // 5)))
        return Compare(count, Bound("exactly", n))
    m = re.fullmatch(
        r"(?:list|name|give|write|provide|suggest)\s+(?:exactly\s+)?(?P<n>\d+)\s+[a-z]+"
        r"(?:\s+[a-z]+){0,6}?\s+(?:as|using|in|with)\s+(?:markdown\s+)?"
        r"(?P<k>bullet(?:s|\s+points)?|a\s+bulleted\s+list|a\s+numbered\s+list)",
        clause.text,
    )
    if m is None:
        return None
    unit = Named("numbered_item") if "numbered" in m.group("k") else Named("bullet")
    return Compare(Count(unit), Bound("exactly", float(m.group("n"))))


# A label with a placeholder for its number: "SECTION X", "Day N", "PART [x]", "Chapter #".
_NUMBERED_LABEL = re.compile(r"(?P<label>[A-Za-z]+)\s?(?:X|N|#|\d+|\[\w\]|\{\w\})")


def marked_sections(expr: Expr) -> Expr:
    """Sections that each start with a numbered label ("each section should start with
    'SECTION X'") are the sections that label marks: a count of sections is a count of
    labelled ones, and the label itself (its number a placeholder) is not a literal."""
    items = expr.items if isinstance(expr, AllOf) else (expr,)
    label = next((lab for e in items if (lab := _label(e)) is not None), None)
    if label is None:
        return expr
    out: list[Expr] = []
    for e in items:
        if _label(e) is not None:
            continue
        if isinstance(e, Compare) and e.count == Count(Named("section")):
            e = build.sections(e.bound.relation, e.bound.n, e.bound.high, marker=label)
        out.append(e)
    if not any(isinstance(e, Compare) for e in out):
        out.append(build.sections("at_least", 1, marker=label))
    return out[0] if len(out) == 1 else AllOf(tuple(out))


def _label(expr: Expr) -> str | None:
    if not (
        isinstance(expr, Select)
        and expr.mode == "each"
        and expr.unit == Named("section")
        and isinstance(expr.check, StartsWith)
    ):
        return None
    m = _NUMBERED_LABEL.fullmatch(expr.check.text.strip())
    return m.group("label") if m else None


def matching(clause: Clause) -> Expr | None:
    """ "the answer must match the regular expression `^[A-Z]`", "never match the
    pattern `\\d{3}`": a quoted regular expression the text matches (or never does)."""
    m = re.fullmatch(
        r"(?P<neg>(?:do\s+)?not\s+|never\s+)?match(?:es)?\s+(?:the\s+)?"
        rf"(?:regular\s+expression|regex|pattern)\s*:?\s*{Q}",
        clause.text,
    )
    if m is None:
        return None
    pattern = Pattern(clause.quote(m))
    if m.group("neg"):
        return build.count(pattern, "exactly", 0)
    return build.count(pattern, "at_least", 1)


def ending(clause: Clause) -> Expr | None:
    """ "no other words should follow 'Peace!'", "the very end of your response should
    read 'X'": the answer ends with the phrase."""
    m = re.fullmatch(
        r"(?:no\s+(?:other|additional|more|further)\s+words?\s+(?:should|may|can|must|will)?\s*"
        r"(?:follow|come\s+after)|(?:do\s+not|never)\s+(?:say|write|add)\s+anything\s+after|"
        rf"(?:the\s+)?(?:very\s+)?(?:end|last\s+words?)\s+of\s+{THE_ANSWER}\s+(?:should|must|will)\s+"
        r"(?:read|be|say)(?:\s+exactly)?(?:\s+like)?)\s*:?\s*"
        rf"{Q}",
        clause.text,
    )
    return build.ends_with(clause.quote(m)) if m is not None else None


def placeholders(clause: Clause) -> Expr | None:
    """ "use square brackets for placeholders": at least one placeholder."""
    if re.fullmatch(
        r"use\s+(?:square\s+)?brackets\s+for\s+(?:the\s+|any\s+)?placeholders?", clause.text
    ):
        return build.count("placeholder", "at_least", 1)
    return None


def counted_after(clause: Clause) -> Expr | None:
    """ "include placeholders in square brackets, at least three": the count said after
    the unit it counts."""
    m = re.fullmatch(
        rf"(?:include|use|add|have|give|write)\s+(?:some\s+)?(?P<u>{UNIT_RE}),?\s+{COUNT}",
        clause.text,
    )
    if m is None or m.group("u") is None:
        return None
    count = count_of(m.group("u"))
    bound = bound_of(m)
    return Compare(count, bound) if count is not None and bound is not None else None


def labelled_sections(clause: Clause) -> Expr | None:
    """ "include two sections: 'SECTION 1' and 'SECTION 2'": sections marked by the label
    their examples share."""
    m = re.fullmatch(
        rf"(?:(?:include|have|write|use|with)\s+)?{COUNT}\s+sections?\s*:?\s*"
        r"(?P<a>⟦\d+⟧)(?:\s*(?:,|and|,\s*and)\s*⟦\d+⟧)+",
        clause.text,
    )
    if m is None:
        return None
    label = _NUMBERED_LABEL.fullmatch(clause.norm.quote(m.group("a")[1:-1]).strip())
    bound = bound_of(m)
    if label is None or bound is None:
        return None
    return build.sections(bound.relation, bound.n, bound.high, marker=label.group("label"))


# Units every text has: "use words" asks for nothing.
_EVERY_TEXT_HAS = frozenset({"word", "character", "letter", "sentence", "paragraph", "line"})


def present(clause: Clause) -> Expr | None:
    """ "use some emojis", "include a few words in all capital letters", "capitalize a
    few words": at least one of the unit."""
    m = re.fullmatch(
        r"(?:use|include|add|have|put\s+in)\s+(?P<q>(?:some|a\s+few|several|a\s+couple\s+of)\s+)?"
        rf"(?P<u>{UNIT_RE})",
        clause.text,
    ) or re.fullmatch(r"capitali[sz]e\s+(?P<q>some|a\s+few|several)\s+(?P<u>words)", clause.text)
    if m is None:
        return None
    count = count_of(m.group("u"))
    if clause.text.startswith("capitali"):
        count = Count(Named("capital_word"))
    if count is None or (isinstance(count.unit, Named) and count.unit.name in _EVERY_TEXT_HAS):
        return None
    return Compare(count, Bound("at_least", 1))


def in_capitals(clause: Clause) -> Expr | None:
    """ "have more than 4 words be in all capital letters", "at least 5 words in the
    output should be in all caps": a count of capitalised words."""
    m = re.fullmatch(
        rf"(?:have\s+)?{COUNT}\s+words\s+(?:in\s+{THE_ANSWER}\s+)?{_MODAL_BE}"
        r"(?:in\s+)?(?:all\s+)?(?:capital\s+letters|caps|capitals|upper-?case|capitali[sz]ed)",
        clause.text,
    )
    bound = bound_of(m) if m is not None else None
    return Compare(Count(Named("capital_word")), bound) if bound is not None else None


_MODAL_BE = r"(?:(?:should|must|will|need\s+to|have\s+to)\s+)?be\s+"
