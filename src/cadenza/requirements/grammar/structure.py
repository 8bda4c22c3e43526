"""How the answer is laid out in parts, said in a clause: parts separated by a divider
("3 paragraphs separated by ***", "separate the two versions with 6 asterisks", "use
*** as the section separator"), parts marked by a numbered label ("mark the beginning
of each section with SECTION X", "label each paragraph with PARAGRAPH X"), and the
request repeated before the answer ("first repeat the request word for word, then give
your answer").

Parts that are pieces of one text (paragraphs, sections, parts, stanzas ...) separated
by a divider are counted between the dividers; several texts of their own (responses,
versions, jokes ...) separated by one are also different from each other. The request
to repeat is not known to a clause: it is read as "the request" (`RepeatsRequest()`),
and the prompt it was said in names it (`requirements.across`)."""

from __future__ import annotations

import re

from cadenza.requirements.grammar.clauses import COUNT, MODAL, Clause, bound_of
from cadenza.requirements.grammar.lexicon import normalise
from cadenza.requirements.lang import build
from cadenza.requirements.lang.nodes import (
    AllOf,
    Bound,
    Distinct,
    Expr,
    Named,
    Pattern,
    RepeatsRequest,
    Select,
    Split,
    StartsWith,
)

# A part of one text; anything else separated by a divider is a text of its own.
_PART = r"(?:paragraph|part|section|stanza|portion|segment|chunk|chapter|verse|block)s?"
# a word of what is separated: no modal, no negation, no condition
_WORD = (
    r"(?!(?:not|never|no|nor|without|should|must|shall|will|would|can|could|may|might|be|is|are|"
    r"if|unless|when)\b)[a-z]+"
)
_TEXTS = rf"(?:{_WORD}\s+){{0,2}}?{_WORD}"  # "responses", "different versions", "bad code snippets"
# A divider: a run of marks ("***", "------"), a quoted one, or "N asterisks".
_RUN = r"[*\-_=~#]{3,}"
_STARS = (
    r"(?:exactly\s+|just\s+|only\s+)?(?P<k>\d+)\s+(?:asterisks?|aterisks?|stars?|⟦\d+⟧)"
    r"(?:\s+(?:symbols?|signs?|marks?|markers?|characters?))?"
)
_DIVIDER = (
    r"(?:a\s+line\s+(?:with|of)\s+(?:just\s+|only\s+)?)?(?:(?:a|the)\s+)?(?:markdown\s+)?"
    r"(?:(?:divider|separator|line)\s+)?"
    rf"(?:{_STARS}(?:\s*:?\s*(?:{_RUN}|⟦\d+⟧))?|(?P<run>{_RUN})|⟦(?P<dq>\d+)⟧)"
)
_SEPARATED = (
    r"(?:(?:each\s+)?(?:separated|divided|split)(?:\s+from\s+(?:each\s+other|one\s+another))?|"
    r"(?:separat|divid)(?:e|ing)\s+them)\s+(?:by|with|using)"
)
# What the texts answer or are about: "2 responses to the question '...'"
_ABOUT = r"(?:\s+(?:to|about|on|for|of)\s+(?:the\s+|a\s+|your\s+)?(?:[a-z]+\s+)?(?:⟦\d+⟧|[a-z]+))?"
# What comes before a count of parts: "the rap song should have", "write it in", "there
# should be" (never a negation or a condition: "do not write 3 paragraphs ...", "if you
# write more than 3 paragraphs, ...")
_BEFORE = (
    r"(?:(?:(?!(?:not|never|no|without|if|unless|when|whenever|except|only)\b)[a-z']+\s+){0,8}?"
    r"(?:in|into|using|with|to|as|"
    r"have|has|be|give|write|provide|include|use|are|is|of)\s+)?"
)


def _mark(clause: Clause, m: re.Match[str]) -> str | None:
    """The divider a match names, as written."""
    if m.group("k") is not None:
        n = int(m.group("k"))
        return "*" * n if 3 <= n <= 12 else None
    if m.group("run") is not None:
        return m.group("run")
    said = clause.norm.quote(m.group("dq")).strip()
    return said if re.fullmatch(_RUN, said) else None


def _parts(clause: Clause, noun: str, bound: Bound | None, mark: str) -> Expr:
    """`bound` of the things named by `noun` separated by `mark` (at least 2 when no
    count is said)."""
    if re.fullmatch(_PART, noun.split()[-1]):
        said = bound
        bound = bound or Bound("at_least", 2)
        parts = build.paragraphs(bound.relation, bound.n, bound.high, marker=mark)
        if said is None and noun.split()[-1].startswith("paragraph"):
            # "separate the paragraphs with ***": every paragraph, so no two paragraphs
            # between two dividers
            one = Select("each", Split(mark), build.count("paragraph", "exactly", 1))
            return AllOf((*build.flatten(parts), one))
        return parts
    if bound is not None and bound.relation == "exactly":
        return build.separated(int(bound.n), mark)
    # texts of their own ("the responses", "them"), different from each other; how
    # many, the prompt may say elsewhere (`requirements.across`)
    bound = bound or Bound("at_least", 2)
    parts = build.paragraphs(bound.relation, bound.n, bound.high, marker=mark)
    return AllOf((*build.flatten(parts), Distinct(Split(mark))))


def divided(clause: Clause) -> Expr | None:
    """ "(write it in) 3 paragraphs separated by ***", "give exactly 2 different responses
    separated by 6 asterisk symbols", "break the dialogue into 2 scenes, separated by
    ******", "separate your song into 3 parts, where each part is separated with ***"."""
    c = clause.text
    m = re.fullmatch(
        rf"{_BEFORE}{COUNT}\s+(?P<noun>{_TEXTS}){_ABOUT}\s*,?\s+"
        rf"(?:(?:where\s+|and\s+)?(?:each\s+(?:{_PART}|1)\s+)?(?:is\s+|are\s+|{MODAL}be\s+)?)?"
        rf"{_SEPARATED}\s+{_DIVIDER}",
        c,
    )
    if m is None:
        return None
    mark, bound = _mark(clause, m), bound_of(m)
    if mark is None or bound is None:
        return None
    return _parts(clause, m.group("noun"), bound, mark)


def divider(clause: Clause) -> Expr | None:
    """ "separate the paragraphs with ***", "separate your 2 answers with ******", "the
    parts should be separated by ***", "use *** as the section separator": parts
    separated by the divider (at least 2 when no count is said)."""
    c = clause.text
    m = re.fullmatch(
        r"(?:separate|separated|divide|split)\s+(?:(?:the|your|those|these|my)\s+)?"
        rf"(?:(?P<n>\d+)\s+)?(?P<noun>{_TEXTS}|them)\s+(?:by|with|using)\s+{_DIVIDER}",
        c,
    ) or re.fullmatch(
        rf"(?:the\s+|your\s+)?(?:(?P<n>\d+)\s+)?(?P<noun>{_TEXTS})\s+(?:and\s+only\s+[a-z]+\s+)?"
        rf"(?:{MODAL}be\s+|are\s+|is\s+)?{_SEPARATED}\s+{_DIVIDER}",
        c,
    )
    if m is not None:
        noun = m.group("noun")
        if noun.startswith(("each ", "every ", "all ")):
            return None
        mark = _mark(clause, m)
        if mark is None:
            return None
        n = m.group("n")
        return _parts(clause, noun, Bound("exactly", float(n)) if n else None, mark)
    m = re.fullmatch(  # "put *** between the paragraphs"
        rf"(?:put|place|insert|add|use)\s+{_DIVIDER}\s+between\s+(?:the\s+|your\s+)?"
        rf"(?:(?P<n>\d+)\s+)?(?P<noun>{_TEXTS})",
        c,
    )
    if m is not None and (mark := _mark(clause, m)) is not None:
        n = m.group("n")
        return _parts(clause, m.group("noun"), Bound("exactly", float(n)) if n else None, mark)
    m = re.fullmatch(
        rf"use\s+{_DIVIDER}\s+(?:as|for)\s+(?:the|a)\s+(?:(?P<noun>{_PART})\s+)?"
        r"(?:separator|divider)s?",
        c,
    )
    if m is not None and (mark := _mark(clause, m)) is not None:
        return build.paragraphs("at_least", 2, marker=mark)
    return None


# A numbered label as the prompt wrote it: "SECTION X", "Day N", "PART [x]".
_LABEL = re.compile(r"(?P<label>[A-Za-z]+)\s?(?:X|N|#|\[\w\]|\{\w\})")
_LABELLED = r"(?:mark(?:ed)?|label(?:l?ed)?|noted|titled|headed|named)"


def _label(clause: Clause, q: str) -> re.Match[str] | None:
    """The numbered label quoted at `q` ("SECTION X": its word is group "label")."""
    return _LABEL.fullmatch(clause.norm.quote(q).strip())


def marked(clause: Clause) -> Expr | None:
    """ "mark the beginning of each section with SECTION X", "each section should be
    noted as Section X", "4 sections marked with SECTION X", "label each paragraph with
    PARAGRAPH X": each such part starts with the numbered label (sections: a count of
    the parts the label marks, `forms.marked_sections`)."""
    c = clause.text
    m = re.fullmatch(
        rf"(?:{_LABELLED}|mark(?:ing)?|label(?:ling)?|start(?:ing)?|begin(?:ning)?|head|"
        r"introduce)\s+(?:the\s+(?:beginning|start)\s+of\s+)?(?:each|every)\s+"
        rf"(?P<u>{_PART})\s+(?:with|as|by)\s+(?:the\s+(?:label|word|heading)\s+)?⟦(?P<q>\d+)⟧",
        c,
    ) or re.fullmatch(
        rf"(?:with\s+)?(?:each|every)\s+(?P<u>{_PART})\s+(?:{MODAL}be\s+|is\s+)?(?:explicitly\s+|clearly\s+)?"
        rf"(?:{_LABELLED}|starting|beginning|starts|begins)\s+(?:with|as|by)\s+⟦(?P<q>\d+)⟧",
        c,
    )
    if m is not None:
        label = _label(clause, m.group("q"))
        if label is None:
            return None
        if m.group("u").rstrip("s") == "section":  # counted with the sections said beside it
            return Select("each", Named("section"), StartsWith(label.group(0)))
        return build.sections("at_least", 1, marker=label.group("label"))
    m = re.fullmatch(
        rf"{_BEFORE}{COUNT}\s+sections?,?\s+(?:(?:with\s+)?(?:each\s+)?(?:{_LABELLED}|"
        r"(?:each\s+section\s+)?(?:starting|beginning))|marking\s+the\s+(?:beginning|start)\s+of\s+"
        rf"each\s+section)\s+(?:with|as|by)\s+⟦(?P<q>\d+)⟧",
        c,
    )
    if m is None:
        return None
    label, bound = _label(clause, m.group("q")), bound_of(m)
    if label is None or bound is None:
        return None
    return build.sections(bound.relation, bound.n, bound.high, marker=label.group("label"))


# --------------------------------------------------------------------------- the request

_REQUEST = (
    r"(?:(?:the|this|my|your|exact|entire|whole|full|original|same|following|user's|given)\s+){0,3}"
    r"(?:request|prompt|question|instructions?|query|task)(?:\s+itself)?"
)
_PLACE = r"(?:\s+(?:above|below))?"
_AS_IS = (
    r"(?:word\s+(?:for|by)\s+word|verbatim|exactly(?:\s+as\s+it\s+is)?|as\s+it\s+is|"
    r"without\s+(?:any\s+)?change(?:\s+of\s+words)?|without\s+changing\s+(?:1|a)\s+(?:letter|word)|"
    r"without\s+(?:any\s+)?changes)"
)
_FIRST = (
    r"(?:first|at\s+the\s+(?:very\s+)?(?:beginning|start)(?:\s+of\s+(?:your|the)\s+(?:entire\s+)?"
    r"(?:response|answer|reply))?|before\s+(?:you\s+)?(?:say(?:ing)?\s+anything|answer(?:ing)?|"
    r"giv(?:e|ing)\s+(?:your|the|my)\s+[a-z]+|respond(?:ing)?)(?:\s+it)?"
    r"(?:\s+(?:or|and)\s+[a-z]+(?:\s+[a-z]+){0,4})?)"
)
_THEN = (
    r"(?:then|and\s+then|after\s+that|before)\s+(?:give|write|provide|answer|respond|outputting|"
    r"giving|answering)(?:\s+(?:to\s+)?(?:your|the|my)\s+[a-z]+(?:\s+[a-z]+)?|\s+it)?"
)


def repeat_request(clause: Clause) -> Expr | None:
    """ "first repeat the request word for word without change, then give your answer",
    "repeat the exact request above first", "before answering, repeat the question
    below as it is": the answer opens with the request, word for word. Only the
    request itself ("repeat your favourite word in every sentence" is no request)."""
    c = re.sub(
        r"^(?:in\s+this\s+task,?\s+|let(?:\s+u|')s\s+|you\s+need\s+to\s+|just\s+|"
        r"for\s+the\s+(?:following|above)\s+(?:request|prompt|question),?\s+)+",
        "",
        clause.text,
    )
    c = re.sub(
        rf"^(?:{_FIRST}),?\s+(?:(?:you\s+)?(?:need\s+to\s+|must\s+|should\s+)?)?", "first ", c
    )
    m = re.fullmatch(
        rf"(?:first,?\s+)?(?:just\s+|please\s+)?repeat\s+(?:(?:{_REQUEST}){_PLACE}|the\s+(?:first\s+)?"
        rf"(?:sentence|line|text)(?=.*(?:above|below|{_AS_IS})){_PLACE})"
        rf"(?:,?\s+(?:{_AS_IS}|{_FIRST}))*(?:,?\s+{_THEN})?",
        c,
    )
    return RepeatsRequest() if m is not None else None


def named_parts(text: str) -> Expr | None:
    """ "separate your thinking and the final answer with ***": two parts, separated by
    the divider. What each part holds is not read (a judge reads it): this is a reading
    of a phrase of the sentence (`grammar.phrases`), not of all of it."""
    norm = normalise(text)
    clause = Clause(norm, norm.text)
    m = re.fullmatch(
        r"(?:separate|divide)\s+(?:the\s+|your\s+)?[a-z]+(?:\s+[a-z]+)?\s+(?:and|from)\s+"
        rf"(?:the\s+|your\s+)?[a-z]+(?:\s+[a-z]+){{0,2}}\s+(?:by|with|using)\s+"
        # "with a linebreak, ***, then another linebreak"
        rf"(?:{_DIVIDER}|[a-z ]*,\s*(?P<between>{_RUN})\s*,[a-z ]*)",
        clause.text,
    )
    mark = (m.group("between") or _mark(clause, m)) if m is not None else None
    return build.paragraphs("exactly", 2, marker=mark) if mark is not None else None


def aside(note: str, expr: Expr) -> bool:
    """Whether a bracket only shows what `expr` reads already: the divider it separates
    by ("(******)"), or what a label's placeholder stands for ("(where X is 1, 2, 3)")."""
    from cadenza.requirements.material import walk  # it reads with this grammar's lexicon

    units = list(walk(expr))
    if any(isinstance(u, Split) and u.separator == note.strip() for u in units):
        return True
    return re.fullmatch(
        r"where\s+[a-z]\s+(?:is|=|stands\s+for)\s+[\w\s,.]+", note
    ) is not None and any(
        isinstance(u, Pattern) and u.name is not None and u.name.startswith("section marked")
        for u in units
    )


__all__ = ["aside", "divided", "divider", "marked", "named_parts", "repeat_request"]
