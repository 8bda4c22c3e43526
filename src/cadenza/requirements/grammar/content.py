"""Constructions for what an answer is written in and what it must say: its language
("answer in Dutch", "using only the Hindi language", "in lowercase Dutch"), the fixed
answers it may give ("answer with one of the following: 'yes', 'no'"), and how many
of its spans are emphasised ("highlight at least 3 sections with markdown",
"include 2 italic text sections", "at least 4 parts should be italicized").

A language is said of the answer only: what others speak ("for readers who speak
English"), a style ("in the style of French cinema") or what a text is translated
into ("translate it into German and criticise it") is no language of the answer said
as such (`phrases` reads no language of a translation). A negated language ("do not answer in
English") is the language's negation. Options are the quoted texts a clause offers as
the answers to give, never a list of topics to write about.
"""

from __future__ import annotations

import re

from cadenza.requirements.grammar.clauses import (
    COUNT,
    LOWER_WORD,
    UPPER_WORD,
    Clause,
    bound_of,
    case_of,
)
from cadenza.requirements.grammar.languages import LANGUAGE_NAMES, LANGUAGES
from cadenza.requirements.grammar.lexicon import THE_ANSWER, normalise, strip_subject
from cadenza.requirements.lang.build import all_of, one_of
from cadenza.requirements.lang.nodes import Bound, Compare, Count, Expr, Language, Named, Not

# --------------------------------------------------------------------------- language

_LANG = rf"(?P<l>{LANGUAGE_NAMES})(?:\s+language)?(?:\s+only)?"
_ADVERB = r"(?:(?:only|entirely|completely|fully|wholly|purely|solely|all)\s+)"
_PLAIN = r"(?:(?:only|entirely|completely|the|pure|plain|proper|fluent|good)\s+)"
_CASED = rf"(?:(?P<case>(?:all\s+)?(?:{LOWER_WORD}|{UPPER_WORD}))\s+)?"
# "write it in", "be written entirely in", "respond using only", "is in only the"
_SAID_IN = (
    r"(?:(?:write|written|answer|respond|reply|speak|be|is|are|stay|be\s+written|is\s+written|"
    r"are\s+written|it\s+is)\s+)?(?:it\s+|everything\s+)?"
    rf"{_ADVERB}*(?:in|using)\s+{_ADVERB}?{_PLAIN}*{_CASED}{_LANG}"
)
_USED = rf"(?:use|uses|using|speak|speaks)\s+{_ADVERB}?{_PLAIN}*{_CASED}{_LANG}"
_ONLY = rf"{_LANG}(?<=only)"  # "Swahili only", "Swahili language only"
_NOT = r"(?:(?:do|does|must|should|will|can)\s+not|never)\s+"
_EACH_ANSWER = r"(?:(?:each|every)\s+(?:answer|response|reply)\s+(?:should|must)\s+)?"


def language(clause: Clause) -> Expr | None:
    """The answer's language, with a case said with it ("in lowercase Dutch"); "do not
    answer in English" is its negation."""
    c = clause.text
    m = None
    for form in (rf"{_EACH_ANSWER}(?P<not>{_NOT})?{_SAID_IN}", rf"(?P<not>{_NOT})?{_USED}", _ONLY):
        m = m or re.fullmatch(form, c)
    if m is None:
        coded = re.fullmatch(r"(?:is\s+)?written\s+in\s+language\s+⟦(?P<q>\d+)⟧", c)
        code = clause.quote(coded) if coded is not None else ""
        return Language(code) if code in LANGUAGES.values() else None
    said = Language(LANGUAGES[m.group("l")])
    if m.groupdict().get("not"):
        return Not(said) if m.groupdict().get("case") is None else None
    case = case_of(m.group("case")) if m.groupdict().get("case") else None
    return all_of([case, said]) if case is not None else said


# --------------------------------------------------------------------------- options

_QUOTES = r"(?P<list>\(?\s*⟦\d+⟧(?:\s*(?:,|,?\s*or)\s*⟦\d+⟧)+\s*\)?)"
_OFFERED = (
    r"(?:(?:answer|respond|reply)\s+(?:with\s+)?|(?:say|choose|pick|select|give|use|write|"
    r"contain|include)s?\s+|choose\s+from\s+|with\s+)"
)
_ONE_OF = (
    r"(?:(?:exactly|only|just)\s+)?(?:1|one)\s+of\s*(?:the\s+following|these|those|the)?\s*"
    r"(?:(?:exact|possible|allowed)\s+)?(?:(?:phrases|options|answers|responses|choices|replies)\s*)?"
)


def options(clause: Clause) -> Expr | None:
    """The answers the answer may give, quoted: "answer with one of the following
    options: 'yes', 'no'", "contain one of these exact phrases: ...", "choose from
    ('a', 'b')", "say 'yes' or 'no'". Never a list the clause does not offer as the
    answer ("write about one of the following topics: ...")."""
    m = re.fullmatch(
        rf"(?:just\s+)?{_OFFERED}(?:{_ONE_OF}|(?:the\s+following\s*)?)?:?\s*{_QUOTES}", clause.text
    )
    if m is None:
        return None
    said = [clause.norm.quote(q).strip() for q in re.findall(r"⟦(\d+)⟧", m.group("list"))]
    said = [s for s in dict.fromkeys(said) if s]
    if len(said) < 2 or len(said) > 12:
        return None
    return one_of(said)


_INTRO = re.compile(
    r"(?:just\s+)?(?:(?:answer|respond|reply)(?:\s+with)?|(?:say|choose|pick|select|give|use|"
    rf"write|contain|include)s?)\s+{_ONE_OF}|(?:just\s+)?choose\s+from(?:\s+the\s+following)?"
)


def listed_options(text: str) -> list[tuple[int, int, Expr]]:
    """Options given one a line after a clause that offers them and ends with a colon
    ("Your answer must contain one of the following phrases:" then "Yes, it is." and
    "No, it is not." on lines of their own), each with the span from the clause to its
    last option. The options end at a blank line or at an instruction."""
    from cadenza.requirements.material import material  # it reads with this lexicon
    from cadenza.requirements.segment import LIST_MARK

    out: list[tuple[int, int, Expr]] = []
    for m in re.finditer(r"(?m)^(?P<line>[^\n]*?):[ \t]*$", text):
        said = re.split(r"(?<=[.!?])\s+", m.group("line"))[-1]
        if not _INTRO.fullmatch(strip_subject(normalise(said).text.strip(" .;!"))):
            continue
        lines: list[str] = []
        end = pos = m.end() + 1
        for line in text[pos:].split("\n"):
            option = LIST_MARK.sub("", line).strip().strip("\"'“”‘’`")
            if not option or len(option) > 80 or material(option).directive:
                break
            lines.append(option)
            end = pos + len(line.rstrip())
            pos += len(line) + 1
        options = list(dict.fromkeys(lines))
        if 2 <= len(options) <= 12:
            start = m.start() + len(m.group("line")) - len(said)
            out.append((start, end, one_of(options)))
    return out


# --------------------------------------------------------------------------- emphasis

_EMPHASISE = (
    r"(?:highlight|itali[cs]i[sz]e|emphasi[sz]e|bold|embolden)"
    r"(?:\s*(?:/|or)\s*(?:highlight|itali[cs]i[sz]e|emphasi[sz]e|bold))?"
)
_EMPHASISED = r"(?:highlighted|itali[cs]i[sz]ed|emphasi[sz]ed|in\s+italics?|bold(?:ed)?)"
_SPAN = (
    r"(?:(?:text|key|important|main|different)\s+)?(?:sections?|parts?|portions?|phrases?|"
    r"spans?|passages?|points?|key\s*words?|words?|terms?|ideas?|areas?|sentences?)"
    r"(?:\s+or\s+(?:phrases?|words?|sentences?))?"
)
_OF_IT = rf"(?:\s+(?:of|in|within)\s+(?:{THE_ANSWER}|it))?"
_MARKS = r"(?:markdown|asterisks?|⟦\d+⟧|\*{1,2}|(?:a\s+)?1\s+\*|(?:an\s+)?asterisk)"  # "single": 1
_HOW = (
    rf"(?:,?\s+(?:with|using|in|by\s+using|via)\s+(?:the\s+)?{_MARKS}(?:\s+(?:format|syntax))?|"
    rf",?\s+by\s+(?:starting\s+and\s+ending|wrapping|surrounding|enclosing)\s+"
    rf"(?:(?:it|them|each(?:\s+of\s+them)?)\s+)?with\s+(?:the\s+)?{_MARKS}|"
    rf",?\s+by\s+itali[cs]i[sz](?:e|ing)\s+them(?:\s+(?:with|using|in)\s+markdown)?)?"
)
# an example of a span as it should look: ", i.e. *highlighted section*", "like: *a*, *b*, etc."
_EXAMPLE = r"(?:i\.?e\.?|e\.?g\.?|like|such\s+as|for\s+example|example|like\s+this|as\s+in)"
_SHOWN = (
    rf"(?:,?\s*{_EXAMPLE}?\s*:?\s*\*{{1,2}}[^*\n]+\*{{1,2}}(?:\s*,\s*\*{{1,2}}[^*\n]+\*{{1,2}})*"
    rf"(?:,?\s*etc\.?)?|,?\s*{_EXAMPLE}\s*:\s*⟦\d+⟧)?"
)
_TO = rf"(?:use\s+(?:the\s+)?{_MARKS}\s+to\s+)?"


def emphasis(clause: Clause) -> Expr | None:
    """How many spans are emphasised ("highlight at least 2 sections with markdown, i.e.
    *this*", "use markdown to italicize 3 parts", "include 2 italic text sections",
    "at least 4 parts should be highlighted", "highlight some key words"): a count of
    *highlighted* spans, at least as many as said."""
    c = clause.text
    m = (
        re.fullmatch(
            rf"{_TO}{_EMPHASISE}\s+(?:(?P<some>some|a\s+few|several)|{COUNT})\s+{_SPAN}{_OF_IT}{_HOW}{_SHOWN}",
            c,
        )
        or re.fullmatch(
            rf"(?:have|has|include|includes|contain|contains|use|add)\s+{COUNT}\s+"
            rf"(?:{_EMPHASISED}|italic|highlighted)\s+(?:text\s+)?{_SPAN}{_OF_IT}{_HOW}{_SHOWN}",
            c,
        )
        or re.fullmatch(
            rf"{COUNT}\s+{_SPAN}{_OF_IT}\s+(?:should|must|need\s+to|needs\s+to|have\s+to|has\s+to|"
            rf"will|shall)\s+be\s+{_EMPHASISED}{_HOW}{_SHOWN}",
            c,
        )
    )
    if m is None:
        return None
    if m.groupdict().get("some"):
        return Compare(Count(Named("highlight")), Bound("at_least", 1.0))
    bound = bound_of(m)
    if bound is None:
        return None
    if bound.relation == "exactly":  # "italicize 2 sections": that many at least
        bound = Bound("at_least", bound.n)
    return Compare(Count(Named("highlight")), bound)


def shows_emphasis(expr: Expr, note: str) -> bool:
    """Whether a bracket after a count of emphasised spans only says how they are
    marked ("(using * to italicize, like *this*)")."""
    if not isinstance(expr, Compare) or expr.count != Count(Named("highlight")):
        return False
    return (
        re.fullmatch(
            rf"(?:(?:using|with)\s+(?:the\s+)?{_MARKS}(?:\s+to\s+{_EMPHASISE})?){_SHOWN}", note
        )
        is not None
    )


__all__ = ["emphasis", "language", "listed_options", "options", "shows_emphasis"]
