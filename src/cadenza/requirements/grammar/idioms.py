"""Idioms of requirement sentences read across a whole clause: sentence case ("don't
capitalise anything except the first word of each sentence"), ratios ("at least half of
the sentences are questions", "3 times as many sentences as paragraphs"), repeated
words, bold counts, "start each paragraph with 'X'", "paragraphs of at least 2 sentences
each", list shapes and named headings."""

from __future__ import annotations

import re

from cadenza.requirements.grammar.clauses import (
    COUNT,
    EACH,
    END,
    MODAL,
    START,
    Clause,
    N,
    Q,
    bound_of,
    count_expr,
    object_of,
)
from cadenza.requirements.grammar.lexicon import REL_BEFORE, UNIT_RE, count_of, relation_of
from cadenza.requirements.lang.nodes import (
    AllOf,
    Bound,
    Case,
    Compare,
    Count,
    Distinct,
    Equals,
    Expr,
    Matches,
    Named,
    Palindrome,
    Ratio,
    Relation,
    Select,
)


def each_with(clause: Clause) -> Expr | None:
    """ "start each paragraph with 'Today'", "end every line with a full stop"."""
    m = re.fullmatch(
        rf"(?P<v>{START}|{END})\s+{EACH}(?P<u>{UNIT_RE})\s+(?:with|on)\s+(?P<x>.+)", clause.text
    )
    if m is None:
        return None
    count = count_of(m.group("u"))
    end = re.match(END, m.group("v")) is not None
    obj = object_of(clause, m.group("x"), end=end)
    if count is None or obj is None:
        return None
    return Select("each", count.unit, obj, count.where)


def units_of(clause: Clause) -> Expr | None:
    """ "paragraphs of at least 2 sentences each", "bullets with at most 8 words each",
    "at least 8 words per sentence"."""
    m = re.fullmatch(
        rf"(?P<u>{UNIT_RE})\s+(?:of|with|containing|having)\s+(?P<rest>.+?)\s+each", clause.text
    )
    if m is None:
        m = re.fullmatch(
            rf"(?:(?:use|have|write|keep\s+it\s+to|keep\s+to)\s+)?(?P<rest>.+?)\s+(?:per|in\s+each|in\s+every|for\s+each)\s+(?P<u>{UNIT_RE})",
            clause.text,
        )
    if m is None:
        return None
    count = count_of(m.group("u"))
    inner = count_expr(clause, m.group("rest"))
    if count is None or inner is None:
        return None
    return Select("each", count.unit, inner, count.where)


def sentence_case(clause: Clause) -> Expr | None:
    """ "don't capitalise anything except the first word of each sentence (and 'I')",
    "only the first word gets a capital"."""
    c = clause.text
    if re.fullmatch(
        r"(?:do\s+not|never)\s+capitali[sz]e\s+(?:anything|any\s+words?|words)\s+"
        r"(?:except|but|other\s+than|apart\s+from|besides)\s+the\s+first\s+(?:word|letter)\s+"
        rf"(?:of|in)\s+(?:each|every|a|the)\s+sentences?(?:\s+and\s+(?:the\s+(?:word|pronoun)\s+)?(?:{Q}|i))?",
        c,
    ) or re.fullmatch(
        r"(?:only|just)\s+the\s+first\s+word(?:\s+of\s+(?:each|every|the)\s+sentences?)?\s+"
        r"(?:gets|has|takes|is\s+given|starts\s+with)\s+a\s+capital(?:\s+letter)?",
        c,
    ):
        return Case("sentence")
    return None


def ratio(clause: Clause) -> Expr | None:
    """ "at least half of the sentences are questions", "at least 3 times as many
    sentences as paragraphs"."""
    c = clause.text
    m = re.fullmatch(
        rf"(?:{REL_BEFORE}\s+)?(?P<f>\d+(?:\.\d+)?)(?P<pct>%|\s+percent)?\s+of\s+(?:the|all|your)\s+"
        rf"(?P<u>{UNIT_RE})\s+{MODAL}(?:be\s+|are\s+)?(?P<u2>{UNIT_RE})",
        c,
    )
    if m is not None:
        whole = count_of(m.group("u"))
        part = count_of(m.group("u2"))
        if whole is None or part is None or part.unit != whole.unit or part.where is None:
            return None
        value = float(m.group("f")) / (100 if m.group("pct") else 1)
        rel = relation_of(m.group("rel"), None) or "exactly"
        if value > 1:
            return None
        return Ratio(
            Count(whole.unit, part.where), Count(whole.unit, whole.where), Bound(rel, value)
        )
    m = re.fullmatch(
        rf"(?:{REL_BEFORE}\s+)?{N}\s+times\s+as\s+many\s+(?P<u>{UNIT_RE})\s+as\s+(?P<u2>{UNIT_RE})",
        c,
    )
    if m is not None:
        top, bottom = count_of(m.group("u")), count_of(m.group("u2"))
        if top is None or bottom is None:
            return None
        times: Relation | None = "at_least"
        if m.group("rel"):
            times = relation_of(m.group("rel"), None)
        if times is None:
            return None
        return Ratio(top, bottom, Bound(times, float(m.group("n"))))
    return None


def adjacent_repeats(clause: Clause) -> Expr | None:
    """ "never use the same word twice in a row", "no immediate repetition"."""
    if re.fullmatch(
        r"(?:never|do\s+not|no)\s+(?:use|repeat|write)\s+(?:the\s+same\s+)?words?\s+2\s+times\s+in\s+a\s+row|"
        r"no\s+(?:immediate|consecutive|back-to-back|doubled|adjacent)\s+(?:word\s+)?(?:repetitions?|repeats|words)|"
        r"no\s+(?:repeated|doubled)\s+words\s+in\s+a\s+row|no\s+word\s+(?:repeated|twice)\s+in\s+a\s+row",
        clause.text,
    ):
        return Distinct(Named("word"), adjacent=True)
    return None


def bold_count(clause: Clause) -> Expr | None:
    """ "bold exactly 2 key phrases (using **double asterisks**)"."""
    m = re.fullmatch(
        rf"(?:bold|embolden|highlight\s+in\s+bold)\s+{COUNT}\s+(?:key\s+|important\s+)?"
        r"(?:phrases?|words?|terms?|points?|ideas?|names?)(?:\s+using\s+.+)?",
        clause.text,
    )
    if m is None:
        return None
    bound = bound_of(m)
    return Compare(Count(Named("bold")), bound) if bound is not None else None


def list_shape(clause: Clause) -> Expr | None:
    """ "a numbered list of exactly 6 steps", "bullet list", "numbered"."""
    m = re.fullmatch(
        r"(?:(?:give|write|make|format|put|present)\s+(?:it|them|the\s+\w+)\s+)?(?:as\s+|in\s+)?(?:a\s+)?"
        r"(?P<t>numbered|bullet(?:ed)?(?:\s+point)?|markdown)(?:\s+list)?"
        rf"(?:\s+(?:of|with)\s+{COUNT}\s+(?:items?|steps?|points?|tips?|entries|lines?))?(?:\s+please)?",
        clause.text,
    )
    if m is None:
        return None
    unit = Named("numbered_item") if m.group("t") == "numbered" else Named("bullet")
    if m.group("t") == "markdown":
        return None
    if m.group("n") is None and m.group("lo") is None:
        return Compare(Count(unit), Bound("at_least", 1))
    bound = bound_of(m)
    return Compare(Count(unit), bound) if bound is not None else None


def named_units(clause: Clause) -> Expr | None:
    """ "2 headings: 'What went well' and 'What to improve'" (each named unit present)."""
    m = re.fullmatch(
        rf"(?:(?:organi[sz]e\s+it\s+)?(?:under|use|with|have)\s+)?(?:exactly\s+)?{N}\s+(?P<u>{UNIT_RE})\s*:?\s*"
        rf"(?P<names>⟦\d+⟧(?:\s*(?:,|,?\s*and)\s*⟦\d+⟧)+)",
        clause.text,
    )
    if m is None:
        return None
    count = count_of(m.group("u"))
    names = [clause.norm.quote(i) for i in re.findall(r"⟦(\d+)⟧", m.group("names"))]
    if count is None or count.where is not None or len(names) != int(float(m.group("n"))):
        return None
    present = [Select("any", count.unit, Equals(name)) for name in names]
    return AllOf((Compare(count, Bound("exactly", float(m.group("n")))), *present))


def word_shapes(clause: Clause) -> Expr | None:
    """ "nothing over 10 letters" (words), "at least 1 palindrome word of 4+ letters"."""
    c = clause.text
    m = re.fullmatch(
        rf"(?:nothing|none|no\s+words?)\s+(?:over|longer\s+than|more\s+than|above)\s+{N}\s+(?:letters|characters|chars)",
        c,
    )
    if m is not None:
        limit = Compare(Count(Named("letter")), Bound("more_than", float(m.group("n"))))
        return Select("none", Named("word"), limit)
    m = re.fullmatch(
        rf"(?:(?:include|use|sneak\s+in|add|have)\s+)?{COUNT}\s+palindromes?(?:\s+words?)?"
        rf"(?:\s+(?:of|with)\s+(?P<len>\d+)\s*(?:\+|or\s+more)?\s+letters)?",
        c,
    )
    if m is not None:
        bound = bound_of(m)
        if bound is None:
            return None
        where: Expr = Palindrome()
        if m.group("len"):
            longer = Compare(Count(Named("letter")), Bound("at_least", float(m.group("len"))))
            where = AllOf((Palindrome(), longer))
        return Compare(Count(Named("word"), where), bound)
    return None


def first_line_then_blank(clause: Clause) -> Expr | None:
    """ "subject line 50 chars or less, then a blank line, then the body"."""
    parts = [p.strip() for p in re.split(r"\s*,\s*|\s+then\s+", clause.text) if p.strip()]
    if len(parts) < 2 or not re.fullmatch(
        r"(?:then\s+)?(?:a|an|one)\s+(?:blank|empty)\s+line", parts[1]
    ):
        return None
    m = re.fullmatch(
        r"(?:the\s+)?(?:subject|first|opening|title|header)\s+line\s+(?:of\s+)?(?P<rest>.+)",
        parts[0],
    )
    if m is None:
        return None
    inner = count_expr(clause, m.group("rest"))
    if inner is None:
        return None
    rest = [
        p for p in parts[2:] if not re.fullmatch(r"(?:then\s+)?the\s+(?:body|text|rest|message)", p)
    ]
    if rest:
        return None
    blank = Matches(r"\A[^\n]*\n[ \t]*\n\s*\S")
    return AllOf((Select("first", Named("line"), inner), blank))
