"""Constructions: how one clause of a requirement maps onto the check language.

A clause is read whole or not at all. The constructions compose the language's parts
the way sentences do: a scope (the answer; each / no / the first / the last / the nth
unit), a measure ("at most 12 words", "between 200 and 300 characters") or a predicate
("start with 'X'", "end with a question", "be in lowercase"), and negation ("no
emojis", "don't start any sentence with 'The'").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from cadenza.requirements.grammar.lexicon import (
    REL_AFTER,
    REL_BEFORE,
    THE_ANSWER,
    UNIT_RE,
    Normalised,
    count_of,
    relation_of,
)
from cadenza.requirements.lang.build import all_of
from cadenza.requirements.lang.nodes import (
    AnyOf,
    Bound,
    Case,
    CaseKind,
    CodeLanguage,
    Compare,
    Contains,
    Count,
    Distinct,
    DistinctKey,
    EndsWith,
    Equals,
    Expr,
    Format,
    FormatKind,
    HeadingLevel,
    Matches,
    Named,
    Not,
    Palindrome,
    Pattern,
    Select,
    Sorted,
    StartsWith,
    Text,
    Unit,
)

Q = r"⟦(?P<q>\d+)⟧"
N = r"(?P<n>\d+(?:\.\d+)?)"
MODAL = (
    r"(?:(?:must|should|needs?\s+to|has\s+to|have\s+to|is\s+to|are\s+to|shall|will|can|may|"
    r"ought\s+to|is\s+allowed\s+to|are\s+allowed\s+to|each)\s+)*"
)
EACH = r"(?:each|every|all(?:\s+of\s+the)?|all\s+the|any)\s+"
ORDINALS = {
    "first": 1,
    "opening": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "last": -1,
    "final": -1,
    "closing": -1,
    "very last": -1,
    "very first": 1,
    "penultimate": -2,
    "second-to-last": -2,
    "second to last": -2,
    "next-to-last": -2,
    "next to last": -2,
    "third-to-last": -3,
    "third to last": -3,
}
ORD = (
    r"(?P<ord>very\s+first|very\s+last|first|opening|second|third|fourth|fifth|sixth|last|final|"
    r"closing|penultimate|(?:second|next|third)[-\s]to[-\s]last|\d+(?:st|nd|rd|th))"
)
START = r"(?:start|begin|open|lead)(?:s|ing)?(?:\s+off)?"
END = r"(?:end|finish|close|conclude|wrap\s+up|sign\s+off)(?:s|ing|es)?"
_FORMAT_WORDS: dict[str, FormatKind] = {
    "json": "json",
    "yaml": "yaml",
    "yml": "yaml",
    "csv": "csv",
    "comma-separated values": "csv",
    "a markdown table": "markdown_table",
    "a table": "markdown_table",
    "markdown table": "markdown_table",
    "markdown tables": "markdown_table",
}


class Clause:
    """One clause being read: its normalised text and the quoted strings it set aside."""

    def __init__(self, norm: Normalised, text: str) -> None:
        self.norm = norm
        self.text = text.strip(" ,.;:!")

    def quote(self, m: re.Match[str], group: str = "q") -> str:
        return self.norm.quote(m.group(group))


Reader = Callable[[Clause], "Expr | None"]


# --------------------------------------------------------------------------- counts


COUNT = (
    rf"(?:(?:(?:somewhere\s+|anywhere\s+)?between\s+|from\s+)?(?P<lo>\d+)\s*(?:-|–|to|and|or)\s*(?P<hi>\d+)|"
    rf"(?:{REL_BEFORE}\s+)?{N}(?:\s*{REL_AFTER})?)"
)


def bound_of(m: re.Match[str], *, integral: bool = True, after: str | None = None) -> Bound | None:
    """The bound a COUNT match states (`after`: words following the unit, e.g. "or
    fewer", "max", "long")."""
    groups = m.groupdict()
    if groups.get("lo") is not None:
        lo, hi = float(groups["lo"]), float(groups["hi"])
        return Bound("between", lo, hi) if lo <= hi else None
    n = float(groups["n"])
    if integral and n != int(n):
        return None
    tail = groups.get("after") or after
    rel = relation_of(groups.get("rel"), tail)
    if rel is None:
        return None
    if rel == "between":  # "roughly 300": within 20% either side
        return Bound("between", int(n * 0.8), -(-n * 6 // 5))
    return Bound(rel, n)


_AFTER_UNIT = (
    r"(?:\s+(?P<after2>or\s+(?:fewer|less|under|shorter|below)|or\s+(?:more|over|longer|above)|"
    r"max(?:imum)?|min(?:imum)?|at\s+most|at\s+the\s+most|at\s+least|tops))?"
)
_LONG = r"(?:\s+(?:long|in\s+length|or\s+so))?"


def count_expr(clause: Clause, body: str) -> Expr | None:
    """ "at most 12 words", "12 words or fewer", "between 200 and 300 characters long",
    "under 60 characters" -> a comparison."""
    m = re.fullmatch(rf"{COUNT}\s+occurrences?\s+of\s+(?P<letter>the\s+letter\s+)?{Q}", body)
    if m is not None:
        bound = bound_of(m)
        text = clause.quote(m)  # a run of marks ("?", "!!") is counted inside words too
        inside = not any(c.isalnum() for c in text) or m.group("letter") is not None
        if m.group("letter") is not None and not (len(text) == 1 and text.isalpha()):
            return None
        unit = Text(text, whole_word=False) if inside else Text(text)
        return Compare(Count(unit), bound) if bound is not None else None
    m = re.fullmatch(rf"no\s+(?P<u>{UNIT_RE})", body)
    if m is not None:
        none = count_of(m.group("u"))
        return Compare(none, Bound("exactly", 0)) if none is not None else None
    m = re.fullmatch(rf"(?:{COUNT}|(?P<no>no))\s+(?P<u>{UNIT_RE})\s+that\s+(?P<p>.+)", body)
    if m is not None:  # "at least 2 sentences that end with '?'"
        counted = count_of(m.group("u"))
        where = predicate(clause, m.group("p"))
        bound = Bound("exactly", 0) if m.group("no") else bound_of(m)
        if counted is None or counted.where is not None or where is None or bound is None:
            return None
        return Compare(Count(counted.unit, where), bound)
    m = re.fullmatch(rf"{COUNT}\s+(?P<u>{UNIT_RE}){_AFTER_UNIT}{_LONG}", body)
    if m is None:
        return None
    count = count_of(m.group("u"))
    bound = bound_of(m, after=m.group("after2"))
    if count is None or bound is None:
        return None
    return Compare(count, bound)


def comparative(body: str) -> Expr | None:
    """ "shorter than 10 words", "longer than 30 characters", "more than 3 sentences",
    "exceed 12 words"."""
    m = re.fullmatch(
        rf"(?P<cmp>shorter|fewer|less|longer|more|greater|over|under)\s+than\s+{N}\s+(?P<u>{UNIT_RE})",
        body,
    )
    if m is None:
        m = re.fullmatch(
            rf"(?P<cmp>exceeds?|go(?:es)?\s+(?:over|beyond))\s+{N}\s+(?P<u>{UNIT_RE})", body
        )
    if m is None:
        m = re.fullmatch(rf"(?P<cmp>over|under|above|below)\s+{N}\s+(?P<u>{UNIT_RE})", body)
    if m is None:
        return None
    count = count_of(m.group("u"))
    if count is None:
        return None
    n = float(m.group("n"))
    small = m.group("cmp") in ("shorter", "fewer", "less", "under", "below")
    return Compare(count, Bound("less_than" if small else "more_than", n))


# --------------------------------------------------------------------------- predicates


def object_of(clause: Clause, phrase: str, *, end: bool) -> Expr | None:
    """What a text starts or ends with: a quoted phrase, "the word X", "a question", "a
    full stop", "a capital letter" ..."""
    phrase = phrase.strip()
    m = re.fullmatch(rf"the\s+(?:single\s+)?word\s+{Q}", phrase)
    if m is not None:
        return Select("last" if end else "first", Named("word"), Equals(clause.quote(m)))
    m = re.fullmatch(
        r"(?:(?:the|this|these|the\s+following)\s+(?:exact\s+|same\s+|precise\s+)?"
        rf"(?:phrase|sentence|line|words|text|question)(?:\s+of)?\s*:?\s+)?(?:exactly\s+)?{Q}",
        phrase,
    )
    if m is not None:
        text = clause.quote(m).strip()
        return EndsWith(text) if end else StartsWith(text)
    letter = re.fullmatch(r"(?:the\s+|an?\s+)?letter\s+(?:⟦(?P<q>\d+)⟧|(?P<l>[a-z]))", phrase)
    if letter is not None:
        char = clause.quote(letter) if letter.group("q") else letter.group("l")
        if len(char) != 1 or not char.isalpha():
            return None
        cls = f"[{char.lower()}{char.upper()}]"
        return Matches(rf"{cls}\W*\Z") if end else Matches(rf"\A\W*{cls}")
    m = re.fullmatch(r"(?:the\s+)?word\s+(?P<w>[a-z][\w'-]*)", phrase)
    if m is not None:
        word = _original_case(clause, m.group("w"))
        return Select("last" if end else "first", Named("word"), Equals(word))
    if re.fullmatch(r"(?:an?\s+|1\s+)?(?:emoji|emoticon|smiley)", phrase):
        return Matches(rf"{EMOJI_CHAR}[\ufe0f\u200d\s]*\Z" if end else rf"\A\s*{EMOJI_CHAR}")
    mark = re.fullmatch(
        rf"(?:an?\s+|the\s+)?(?P<m>{'|'.join(_MARK_NAMES)})(?:\s+(?:sign|symbol|character))?",
        phrase,
    )
    if mark is not None:  # "start every line with a dash"
        said = _MARK_NAMES[mark.group("m")]
        return EndsWith(said) if end else StartsWith(said)
    if end:
        if re.fullmatch(r"(?:a\s+)?question(?:\s+mark)?|a\s+\?", phrase):
            return EndsWith("?")
        if re.fullmatch(r"(?:a\s+)?(?:full\s+stop|period|dot)", phrase):
            return EndsWith(".")
        if re.fullmatch(r"(?:an?\s+)?exclamation(?:\s+(?:mark|point))?", phrase):
            return EndsWith("!")
        if re.fullmatch(r"(?:a\s+)?(?:number|digit)", phrase):
            return Matches(r"\d\W*\Z")
        if re.fullmatch(r"(?:a\s+)?statement", phrase):
            return Not(EndsWith("?"))
        return None
    yes_no = re.fullmatch(
        r"(?:an?\s+)?(?:plain\s+|simple\s+|clear\s+|single-word\s+)?(?P<a>yes|no|true|false)\s+or\s+(?P<b>yes|no|true|false)",
        phrase,
    )
    if yes_no is not None:
        options = (Equals(yes_no.group("a")), Equals(yes_no.group("b")))
        return Select("first", Named("word"), AnyOf(options))
    if re.fullmatch(
        r"(?:a|an|the)\s+(?:(?:one|1)-line\s+)?bold(?:ed)?\s+(?:keyword|word|phrase|term|label|title|"
        r"span|line|summary|sentence)|(?:a|an|the)\s+(?:(?:one|1)-line\s+)?(?:summary|title|line)\s+"
        r"in\s+bold",
        phrase,
    ):
        return Matches(r"\A\s*(?:\*\*|__)[^*_\n]+(?:\*\*|__)")
    if re.fullmatch(
        r"(?:a|an)\s+(?:capital|uppercase|upper-case)(?:\s+letter)?|(?:a\s+)?capital", phrase
    ):
        return Matches(r"\A[^\w]*[A-Z]")
    if re.fullmatch(r"(?:a|an)\s+(?:lowercase|lower-case|small)(?:\s+letter)?", phrase):
        return Matches(r"\A[^\w]*[a-z]")
    if re.fullmatch(r"(?:a\s+)?(?:number|digit)", phrase):
        return Matches(r"\A\W*\d")
    return None


# an emoji character (the common blocks; `re` has no emoji property)
EMOJI_CHAR = r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]"
# a word that opens with a lowercase letter
LOWER_START = Matches(r"\A\W*[a-z]")
# marks a text or a line can open or close with, by name
_MARK_NAMES = {
    "dash": "-",
    "hyphen": "-",
    "asterisk": "*",
    "hash": "#",
    "pound": "#",
    "greater-than": ">",
    "colon": ":",
    "semicolon": ";",
    "comma": ",",
    "ellipsis": "...",
}


def _original_case(clause: Clause, word: str) -> str:
    return word  # normalisation lower-cases; words compare case-insensitively


# The case words: "lowercase", "lower-cased", "in lowercases"; "capitals", "caps".
LOWER_WORD = r"(?:lower\s*-?\s*case[sd]?|small\s+letters)"
UPPER_WORD = r"(?:upper\s*-?\s*case[sd]?|capitals|capital\s+letters|(?:all-)?caps|block\s+capitals)"
# Where a case holds, when said: the answer ("in your entire response", "throughout").
_THROUGHOUT = rf"(?:\s+(?:(?:in|of|for|throughout)\s+{THE_ANSWER}|throughout))?"

_CASES: tuple[tuple[str, CaseKind], ...] = (
    (
        r"(?:all|entirely|only|completely|fully)\s+in\s+(?:lower\s*-?\s*case[sd]?|small\s+letters)",
        "lower",
    ),
    (
        r"(?:all|entirely|only|completely|fully)\s+in\s+(?:upper\s*-?\s*case|capitals|capital\s+letters|caps)",
        "upper",
    ),
    (
        rf"(?:in\s+)?(?:all\s+)?{LOWER_WORD}(?:\s+letters)?(?:\s+only)?|"
        r"(?:written\s+)?(?:entirely\s+)?in\s+lower\s*case[sd]?",
        "lower",
    ),
    (rf"(?:in\s+)?(?:all\s+)?{UPPER_WORD}(?:\s+letters)?(?:\s+only)?", "upper"),
    (r"(?:in\s+)?title\s+case", "title"),
    (r"(?:in\s+)?sentence\s+case(?:\s+only)?", "sentence"),
)


_HOLD = r"(?:use|contain|have|has|consist\s+of)(?:s|es)?"
_CAPITALIZED = r"capitali[sz]ed"


def case_of(body: str) -> Case | None:
    """A case said of the whole text: "be in all lowercase", "(be written) in capitals
    throughout", "contain only lowercase letters", "only use capital letters in your
    entire answer"."""
    body = re.sub(rf"{_THROUGHOUT}$", "", body)
    only = re.fullmatch(
        rf"(?:only\s+{_HOLD}|{_HOLD}\s+only)\s+(?P<x>.+)|{_HOLD}\s+(?P<y>.+)\s+only", body
    )
    if only is not None:  # "use lowercase letters" alone is no case of the whole text
        body = only.group("x") or only.group("y")
    for pattern, kind in _CASES:
        if re.fullmatch(rf"(?:(?:be|is|are|stay|stays)\s+)?(?:written\s+)?{pattern}", body):
            return Case(kind)
    return None


def letter_case(said: str) -> Case | None:
    """The case every letter is said to have: "lowercase", "capitalized", "in capitals"."""
    if re.fullmatch(rf"(?:(?:be|is|are)\s+)?{_CAPITALIZED}", said):
        return Case("upper")
    case = case_of(said)
    return case if case is not None and case.kind in ("lower", "upper") else None


_OTHER_CASE: dict[CaseKind, CaseKind] = {"lower": "upper", "upper": "lower"}


_KEYS: dict[str, DistinctKey] = {
    "text": "text",
    "first word": "first_word",
    "last word": "last_word",
}


def predicate(clause: Clause, body: str) -> Expr | None:
    """A verb phrase about one text: "start with 'X'", "be under 12 words", "end with a
    question", "contain 'Acme'", "be 'Tom'", "be in lowercase"."""
    body = re.sub(r"^(?:also|then|always)\s+", "", body.strip())
    m = re.fullmatch(rf"{START}\s+(?:{THE_ANSWER}\s+)?with\s+(?P<x>.+)", body)
    if m is not None:
        return object_of(clause, m.group("x"), end=False)
    m = re.fullmatch(rf"{END}\s+(?:{THE_ANSWER}\s+)?(?:with|on|in)\s+(?P<x>.+)", body)
    if m is not None:
        return object_of(clause, m.group("x"), end=True)
    m = re.fullmatch(
        rf"(?:contain|include|mention|use|feature|have|has)s?\s+(?:the\s+(?:word|phrase|term|name)\s+)?{Q}",
        body,
    )
    if m is not None:
        return Contains(clause.quote(m))
    m = re.fullmatch(r"(?:contain|include|feature|have|has)s?\s+(?P<x>(?:a|an)\s.+)", body)
    if m is not None and (held := holding(clause, m.group("x"))) is not None:
        return held  # "each paragraph must contain a number"
    m = re.fullmatch(rf"(?:be|is|are|read|reads|say|says)\s+(?:exactly\s+)?{Q}", body)
    if m is not None:
        return Equals(clause.quote(m))
    m = re.fullmatch(r"(?:be|is|are)\s+(?:a\s+)?questions?", body)
    if m is not None:
        return EndsWith("?")
    if re.fullmatch(
        r"(?:be|is|are)\s+(?:a\s+)?statements?|(?:be|is|are)\s+not\s+(?:a\s+)?questions?", body
    ):
        return Not(EndsWith("?"))
    case = case_of(body)
    if case is not None:
        return case
    if re.fullmatch(r"(?:be|is|are)\s+(?:in\s+)?bold(?:ed)?|(?:be|is|are)\s+bolded", body):
        return Matches(r"\A\s*(?:\*\*|__)[^*_\n]+(?:\*\*|__)\W*\Z")
    if re.fullmatch(r"(?:be|is|are)\s+(?:a\s+)?palindromes?", body):
        return Palindrome()
    left_out = re.fullmatch(
        rf"(?:leaves?\s+out|omits?|lacks?|skips?|drops?)\s+(?:the\s+(?:word|phrase)\s+)?{Q}", body
    )
    if left_out is not None:  # "no paragraph may leave out 'tea'"
        return Not(Contains(clause.quote(left_out)))
    m = re.fullmatch(r"(?:does|do)\s+not\s+(?P<p>.+)|(?P<be>is|are)\s+not\s+(?P<q>.+)", body)
    if m is not None:
        inner = predicate(clause, m.group("p") or f"{m.group('be')} {m.group('q')}")
        return Not(inner) if inner is not None else None
    m = re.fullmatch(
        rf"(?:has|have)\s+(?P<u>{UNIT_RE})\s+in\s+(?P<r>reverse\s+)?alphabetical\s+order", body
    )
    if m is not None and (listed := count_of(m.group("u"))) is not None:
        return Sorted(listed.unit, descending=m.group("r") is not None)
    m = re.fullmatch(
        rf"(?:has|have)\s+no\s+2\s+(?P<u>{UNIT_RE})\s+with\s+the\s+same\s+"
        r"(?P<k>text|first\s+word|last\s+word)",
        body,
    )
    if m is not None and (twice := count_of(m.group("u"))) is not None:
        return Distinct(twice.unit, _KEYS[" ".join(m.group("k").split())])
    m = re.fullmatch(
        rf"(?:has|have)\s+no\s+(?P<u>{UNIT_RE})\s+repeated\s+right\s+after\s+itself", body
    )
    if m is not None and (repeated := count_of(m.group("u"))) is not None:
        return Distinct(repeated.unit, adjacent=True)
    m = re.fullmatch(
        r"(?:(?:be|is|are|have|has|contains?|includes?|needs?|requires?|gets?|uses?|runs?\s+to|"
        r"stays?)\s+)?"
        r"(?:to\s+)?(?P<rest>.+)",
        body,
    )
    rest = m.group("rest") if m else body
    counted = count_expr(clause, rest) or comparative(rest)
    if counted is not None:
        return counted
    return None


# --------------------------------------------------------------------------- readers


def scoped(clause: Clause) -> Expr | None:
    """ "each/every/all UNIT (must) PRED", "UNITs must each PRED"."""
    c = clause.text
    m = re.fullmatch(rf"(?:with\s+)?{EACH}(?P<u>{UNIT_RE}){_THROUGHOUT}\s+{MODAL}(?P<p>.+)", c)
    if m is None:
        m = re.fullmatch(
            rf"(?:the\s+)?(?P<u>{UNIT_RE})\s+(?:must|should|need\s+to|have\s+to)?\s*(?:each|all)\s+(?P<p>.+)",
            c,
        )
    if m is None:
        m = re.fullmatch(rf"(?:keep|make)\s+{EACH}(?P<u>{UNIT_RE})\s+(?P<p>.+)", c)
    plural = m is None
    if m is None:
        # "headings must be in uppercase": a plural unit said with a modal, each of them
        m = re.fullmatch(rf"(?:the\s+|your\s+)?(?P<u>{UNIT_RE})\s+{_OBLIGED}(?P<p>.+)", c)
        if m is None or not m.group("u").endswith("s"):
            return _plural_case(c)
    unit = count_of(m.group("u"))
    if unit is None or (plural and unit.unit in _TEXT_WIDE):
        return None if unit is None or _plural_case(c) is None else _plural_case(c)
    p = m.group("p").strip()
    if re.fullmatch(r"(?:be\s+)?(?:unique|different|distinct)(?:\s+from\s+each\s+other)?", p):
        return Distinct(unit.unit)
    if re.fullmatch(
        r"(?:be\s+)?(?:in\s+)?(?:alphabetical|alphabetic)\s+order|(?:be\s+)?sorted(?:\s+alphabetically)?",
        p,
    ):
        return Sorted(unit.unit)
    neg = re.fullmatch(r"(?:not|never)\s+(?P<p>.+)", p)
    if unit.unit in (Named("character"), Named("letter")):  # "every letter capitalized"
        case = letter_case(neg.group("p") if neg else p)
        if case is not None:
            return Case(_OTHER_CASE[case.kind]) if neg else case
    pred = predicate(clause, neg.group("p") if neg else p)
    if pred is None:
        return None
    if isinstance(pred, Case) and unit.unit in (Named("character"), Named("letter"), Named("word")):
        return Not(pred) if neg else pred  # "every letter lowercase" is the case of the text
    return Select("none" if neg else "each", unit.unit, below_heading(unit.unit, pred), unit.where)


_HEADING_LINE = Matches(r"\A\s*#{1,6}\s")


def below_heading(unit: Unit, pred: Expr) -> Expr:
    """A count of paragraphs in a section counts those below its heading: the heading
    line is the section's title, not one of its paragraphs."""
    if (
        unit == Named("section")
        and isinstance(pred, Compare)
        and pred.count.unit == Named("paragraph")
        and pred.count.where is None
    ):
        return Compare(Count(Named("paragraph"), Not(_HEADING_LINE)), pred.bound)
    return pred


_OBLIGED = r"(?:must|should|need\s+to|have\s+to|shall|are\s+to)\s+"
# units said in the plural of the whole text's words ("words must be lowercase")
_TEXT_WIDE = (Named("word"), Named("character"), Named("letter"), Named("digit"))


def _plural_case(c: str) -> Expr | None:
    """ "(the) letters in your answer are lowercase", "words must be in capitals": all
    letters or words of the text, said in the plural, have that case."""
    m = re.fullmatch(
        rf"(?:the\s+)?(?P<u>letters|characters|words){_THROUGHOUT}\s+{MODAL}(?P<p>.+)", c
    )
    if m is None:
        return None
    if m.group("u") == "words":  # "words are capitalized" says how each word starts
        return case_of(m.group("p"))
    return letter_case(m.group("p"))


def none_scoped(clause: Clause) -> Expr | None:
    """ "no UNIT (may) PRED", "none of the UNITs PRED", "no UNIT longer than N UNIT",
    "don't VERB any UNIT with X", "no UNIT without X" (each one holds X)."""
    c = clause.text
    m = re.fullmatch(
        rf"{_NO}(?P<u>{UNIT_RE}){_THROUGHOUT}\s+(?:{MODAL}(?:be\s+)?|(?:is|are)\s+)"
        r"(?:without|lacking|missing)\s+(?P<x>.+)",
        c,
    )
    if m is not None:
        unit = count_of(m.group("u"))
        held = holding(clause, m.group("x"))
        if unit is None or held is None:
            return None
        return Select("each", unit.unit, held, unit.where)
    m = re.fullmatch(
        rf"{_NO}(?P<u>{UNIT_RE}){_THROUGHOUT}\s+"
        rf"(?:(?P<has>with|having|that\s+ha(?:s|ve))\s+|{MODAL})(?P<p>.+)",
        c,
    )
    if m is not None:
        unit = count_of(m.group("u"))
        p = ("have " if m.group("has") else "") + m.group("p")  # "words with more than 8 letters"
        case = letter_case(p) if unit is not None and unit.unit == Named("letter") else None
        if case is not None:  # "no letter may be capitalized": all lowercase
            return Case(_OTHER_CASE[case.kind])
        pred = predicate(clause, p) or predicate(clause, "be " + p)
        if unit is None or pred is None:
            return None
        return Select("none", unit.unit, below_heading(unit.unit, pred), unit.where)
    m = re.fullmatch(
        rf"(?:do\s+not|never|not)\s+(?P<v>start|begin|open|end|finish|close)\s+(?:any|a|one)\s+(?P<u>{UNIT_RE})\s+with\s+(?P<x>.+)",
        c,
    )
    if m is not None:
        unit = count_of(m.group("u"))
        pred = object_of(clause, m.group("x"), end=m.group("v") in ("end", "finish", "close"))
        if unit is None or pred is None:
            return None
        return Select("none", unit.unit, pred, unit.where)
    return None


# "no", "not one", "none of the" before a unit: not any of them
_NO = (
    r"(?:no|not\s+(?:one|1|a\s+single)|avoid(?:\s+any)?|"
    r"(?:none|not\s+(?:one|1))\s+of\s+(?:the|your|its|these|those))\s+"
)


def holding(clause: Clause, x: str) -> Expr | None:
    """What a text holds when it has "a number", "a colon", "an emoji", "'tea'": at least
    one of the unit named, or the quoted text."""
    x = x.strip()
    quoted = re.fullmatch(rf"(?:the\s+(?:word|phrase|term|name)\s+)?{Q}", x)
    if quoted is not None:
        return Contains(clause.quote(quoted))
    m = re.fullmatch(r"(?:a|an|1|any|some|at\s+least\s+1)\s+(?P<u>[a-z][\w\s-]*)", x)
    if m is None:
        return None
    counted = count_expr(clause, f"at least 1 {m.group('u')}")
    if not isinstance(counted, Compare) or counted.bound.n != 1:
        return None
    unit = counted.count.unit
    if isinstance(unit, Named) and unit.name in _PARTS and counted.count.where is None:
        return None  # "each section must have a heading": how it is laid out, not a mark
    return counted


# units that lay a text out rather than mark it
_PARTS = frozenset({"heading", "title", "section", "paragraph", "line", "sentence", "word"})


def same_word(clause: Clause) -> Expr | None:
    """ "no two UNITs may begin with the same word", "don't start 2 UNITs with the same word"."""
    c = clause.text
    m = re.fullmatch(
        rf"(?:no\s+2\s+(?P<u>{UNIT_RE})\s+{MODAL}(?P<v>start|begin|open|end|finish)s?\s+with|"
        rf"(?:do\s+not|never)\s+(?P<v2>start|begin|open|end|finish)\s+2\s+(?P<u2>{UNIT_RE})\s+with)"
        r"\s+the\s+same\s+word",
        c,
    )
    if m is None:
        return None
    unit = count_of(m.group("u") or m.group("u2"))
    verb = m.group("v") or m.group("v2")
    if unit is None:
        return None
    return Distinct(unit.unit, "last_word" if verb in ("end", "finish") else "first_word")


def positional(clause: Clause) -> Expr | None:
    """ "the first/last UNIT (must) PRED", "UNIT N (must) PRED", "end on the word X"."""
    c = clause.text
    m = re.fullmatch(
        rf"(?:(?:the|your|my)\s+)?{ORD}\s+(?P<u>{UNIT_RE})\s+(?:of\s+(?:the|your)\s+\w+\s+)?{MODAL}(?P<p>.+)",
        c,
    )
    index: int | None = None
    if m is not None:
        index = ordinal(m.group("ord"))
    else:
        m = re.fullmatch(rf"(?P<u>{UNIT_RE})\s+(?:number\s+)?(?P<i>\d+)\s+{MODAL}(?P<p>.+)", c)
        if m is not None:
            index = int(m.group("i"))
    if m is None:  # "begin the third paragraph with 'X'"
        m = re.fullmatch(
            rf"(?P<v>{START}|{END})\s+(?:the|your)\s+{ORD}\s+(?P<u>{UNIT_RE})\s+(?P<p>(?:with|on)\s+.+)",
            c,
        )
        if m is not None:
            index = ordinal(m.group("ord"))
    if m is None:  # "start paragraph 2 with 'X'"
        m = re.fullmatch(
            rf"(?P<v>{START}|{END})\s+(?P<u>{UNIT_RE})\s+(?:number\s+)?(?P<i>\d+)\s+(?P<p>(?:with|on)\s+.+)",
            c,
        )
        if m is not None:
            index = int(m.group("i"))
    if m is None or index is None:
        return None
    unit = count_of(m.group("u"))
    if unit is None or unit.where is not None:
        return None
    p = m.group("p")
    if m.groupdict().get("v"):
        p = f"{m.group('v')} {p}"
    pred = predicate(clause, p)
    named = re.fullmatch(r"(?:be|is)\s+[^:]{1,40}:\s*(?P<v>[\w'][\w' -]{0,40})", p)
    if pred is None and named is not None:
        pred = Equals(named.group("v").strip())
    if pred is None:
        bare = re.fullmatch(r"(?:be|is)\s+(?:the\s+word\s+)?(?P<w>[a-z][\w'-]*)", p)
        if bare is None or m.group("u").startswith(("sentence", "line", "paragraph")):
            return None
        pred = Equals(bare.group("w"))
    several = isinstance(pred, Equals) and len(pred.text.split()) > 1
    if several and unit.unit == Named("word") and index in (1, -1):
        # "the first words should be 'Hello team'": the text starts with them
        assert isinstance(pred, Equals)
        return StartsWith(pred.text) if index == 1 else EndsWith(pred.text)
    if index == 1:
        return Select("first", unit.unit, pred)
    if index == -1:
        return Select("last", unit.unit, pred)
    return Select("nth", unit.unit, pred, index=index)


def ordinal(said: str) -> int:
    """1 for "first" and "1st", -1 for "last"."""
    said = " ".join(said.split())
    return ORDINALS[said] if said in ORDINALS else int(said[:-2])


_NOT = (
    r"(?:must\s+not|should\s+not|can\s+not|cannot|may\s+not|will\s+not|do\s+not|does\s+not|"
    r"never|not)"
)
_BEYOND = r"(?:exceed|go\s+(?:over|beyond|past|above)|run\s+(?:over|past))"
_WRITE = r"(?:use|write|include|have|give|add|put|contain)"
_LIMIT = (
    r"(?:limit|cap|restrict)\s+(?:yourself|it|this|them|the\s+(?:answer|response|reply|text)|"
    r"your\s+(?:answer|response|reply|text))\s+(?:to|at)"
)


def capped(clause: Clause) -> Expr | None:
    """A limit said as a negation or a verb of limiting: "it must not exceed 20 words",
    "do not write more than 3 paragraphs" (at most), "don't use fewer than 5 bullets"
    (at least), "it must not be longer than 50 words", "avoid more than 2 emojis" (at
    most), "limit yourself to 4 sentences" (at most, unless a relation is said)."""
    c = clause.text
    m = re.fullmatch(
        rf"{_NOT}\s+(?:{_BEYOND}|{_WRITE}\s+(?P<more>more\s+than|over|above))\s+{N}\s+(?P<u>{UNIT_RE})",
        c,
    )
    if m is None:
        m = re.fullmatch(
            rf"{_NOT}\s+{_WRITE}\s+(?P<less>fewer|less)\s+than\s+{N}\s+(?P<u>{UNIT_RE})", c
        )
    if m is None:  # "it must not be longer than 50 words", "avoid using more than 2 emojis"
        m = re.fullmatch(
            rf"(?:{_NOT}\s+be|avoid(?:\s+(?:using|writing|having|including))?)\s+"
            rf"(?:(?P<more>longer|more|greater|over)|(?P<less>shorter|fewer|less))\s+than\s+{N}"
            rf"\s+(?P<u>{UNIT_RE})",
            c,
        )
    if m is None:  # "I don't want anything longer than 30 words"
        m = re.fullmatch(
            r"(?:i|we)\s+do\s+not\s+want\s+(?:anything|it)\s+(?:longer|more)\s+than\s+"
            rf"{N}\s+(?P<u>{UNIT_RE})",
            c,
        )
    if m is not None:
        count = count_of(m.group("u"))
        n = float(m.group("n"))
        bound = Bound("at_least", n) if m.groupdict().get("less") else Bound("at_most", n)
        return Compare(count, bound) if count is not None else None
    m = re.fullmatch(rf"{_LIMIT}\s+(?P<rest>.+)", c)
    said = count_expr(clause, m.group("rest")) if m is not None else None
    if m is None or not isinstance(said, Compare):
        return None
    if re.fullmatch(rf"{N}\s+(?:{UNIT_RE})", m.group("rest")):  # no relation said: a cap
        return Compare(said.count, Bound("at_most", said.bound.n))
    return said


def number_of(clause: Clause) -> Expr | None:
    """ "the number of sentences should be in the range of 40 to 60", "the number of
    words must be at least 300"."""
    m = re.fullmatch(
        rf"(?:limit\s+)?the\s+(?:number|count|total)\s+of\s+(?P<u>{UNIT_RE})\s+(?:to\s+|{MODAL}(?:be\s+)?)"
        r"(?:in\s+the\s+range\s+(?:of\s+)?|within\s+the\s+range\s+(?:of\s+)?)?(?P<rest>.+)",
        clause.text,
    )
    if m is None:
        return None
    said = count_expr(clause, f"{m.group('rest')} {m.group('u')}")
    return said if isinstance(said, Compare) else None


def unit_appears(clause: Clause) -> Expr | None:
    """ "the words with all capital letters should appear at least 10 times"."""
    m = re.fullmatch(
        rf"(?:the\s+|those\s+|these\s+)?(?P<u>{UNIT_RE})\s+{MODAL}(?:appear|occur|be\s+used|show\s+up)\s+"
        rf"{COUNT}\s+times?",
        clause.text,
    ) or re.fullmatch(  # "use words in all capital letters at least 3 times"
        rf"(?:use|include|have|add)\s+(?P<u>{UNIT_RE})\s+{COUNT}\s+times?", clause.text
    )
    if m is None:
        return None
    count = count_of(m.group("u"))
    bound = bound_of(m)
    return Compare(count, bound) if count is not None and bound is not None else None


def whole_count(clause: Clause) -> Expr | None:
    """ "at most 100 words", "use exactly 2 emojis", "split it into 3 paragraphs"."""
    c = clause.text
    c = re.sub(
        r"^(?:uses?|includes?|has|have|contains?|give|write|add|with|in|into|be|is|to|at(?=\s+\d)|"
        r"split(?:\s+it)?\s+into|divide(?:\s+it)?\s+into|as|answer\s+in|keep\s+it\s+to|"
        r"keep\s+it\s+(?=under|below|within)|limit\s+it\s+to|run\s+to|stay\s+(?=under|within)|"
        r"stick\s+to|aim\s+for|expand(?:\s+it)?\s+(?:in)?to|"
        rf"organi[sz]e(?:\s+it|\s+{THE_ANSWER})?\s+in(?:to)?)\s+",
        "",
        c,
    )
    if (
        c != clause.text
        and re.match(r"(?:stick|aim)\b", clause.text)
        and re.fullmatch(rf"\d+\s+(?:{UNIT_RE})", c)
    ):
        return None  # "aim for 300 words" is a target, not an exact count
    c = re.sub(r"\s+only$", "", c)
    m = re.fullmatch(
        rf"(?:be\s+|write\s+|in\s+)?{N}\s+words(?:\s+long|\s+in\s+length)?", clause.text
    )
    if m is not None and float(m.group("n")) >= 50:
        # "be 500 words long": a length to aim at, about 500 (as "roughly 500"); nobody
        # counts a few hundred words exactly unless they say "exactly"
        n = float(m.group("n"))
        return Compare(Count(Named("word")), Bound("between", int(n * 0.8), -(-n * 6 // 5)))
    return count_expr(clause, c) or comparative(c)


_NEG_LEAD = (
    r"(?:no|zero|without(?:\s+using|\s+the\s+use\s+of)?(?:\s+any)?|"
    r"avoid(?:\s+(?:using|saying|mentioning|writing))?(?:\s+any)?|"
    r"skip(?:\s+the)?|exclude(?:\s+any)?|leave\s+out(?:\s+the)?|"
    r"(?:you\s+)?(?:are|is)\s+not\s+allowed\s+to\s+(?:use|include|have)(?:\s+any)?|"
    r"refrain\s+from\s+(?:using|including)(?:\s+any)?|"
    r"(?:(?:do|does|can|may|must|should|will)\s+not|never|not)\s+"
    r"(?:use|include|add|put|have|give|write|contain|mention|say|leave)"
    r"(?:\s+any)?|"
    r"there\s+(?:(?:should|must|can|may|will|shall)\s+not\s+be|(?:are|is)\s+not)(?:\s+any)?|"
    r"(?:have|has|contains?|uses?)\s+no|"
    r"free\s+of|there\s+(?:should|must)\s+be\s+no)\s+"
)


def none_of(clause: Clause) -> Expr | None:
    """ "no emojis", "don't use any colons or semicolons", "without links or URLs",
    "commas are not allowed"."""
    c = clause.text
    m = re.fullmatch(
        rf"(?:the\s+use\s+of\s+)?(?P<u>{UNIT_RE})\s+(?:are|is)\s+(?:not\s+allowed|not\s+permitted|"
        r"forbidden|prohibited|banned|off[- ]limits)",
        c,
    )
    if m is not None and (counted := count_of(m.group("u"))) is not None:
        return Compare(counted, Bound("exactly", 0))
    m = re.fullmatch(  # "no commas are allowed", "no capital letters may appear"
        rf"no\s+(?P<list>.+?)\s+{MODAL}(?:(?:is|are|be)\s+)?(?:allowed|permitted|used|included|"
        rf"present|appear|occur|show\s+up)s?{_THROUGHOUT}",
        c,
    ) or re.fullmatch(rf"{_NEG_LEAD}(?P<list>.+?)(?:\s+(?:whatsoever|at\s+all))?{_THROUGHOUT}", c)
    if m is None:
        m = re.fullmatch(r"(?P<list>.+?)\s+(?:are|is)\s+(?:not\s+allowed|forbidden|banned)", c)
    if m is None:
        return None
    items = re.split(
        r"\s*(?:,\s*(?:or\s+|and\s+)?|\s+or\s+|\s+and\s+|/)\s*", m.group("list").strip()
    )
    exprs: list[Expr] = []
    for item in items:
        item = re.sub(r"^(?:any|the|a|an)\s+", "", item.strip())
        if re.fullmatch(
            rf"(?:capital|upper\s*-?\s*case)(?:\s+letters)?|capitals|{_CAPITALIZED}\s+letters", item
        ):
            exprs.append(Case("lower"))
            continue
        if re.fullmatch(r"(?:lower\s*-?\s*case|small)\s+letters", item):
            exprs.append(Case("upper"))
            continue
        if re.fullmatch(r"line\s+breaks?|new\s*lines?", item):
            exprs.append(Compare(Count(Named("line")), Bound("exactly", 1)))
            continue
        q = re.fullmatch(
            rf"(?:the\s+)?(?P<k>word|phrase|term|name|keyword|letter|character)?s?\s*{Q}", item
        )
        if q is not None:
            said = clause.quote(q)
            part = q.group("k") in ("letter", "character")
            if part and len(said) != 1:
                return None
            exprs.append(Compare(Count(Text(said, whole_word=not part)), Bound("exactly", 0)))
            continue
        bare = re.fullmatch(r"(?:the\s+)?(?:letter|character)\s+(?P<c>[a-z])", item)
        if bare is not None:
            exprs.append(
                Compare(Count(Text(bare.group("c"), whole_word=False)), Bound("exactly", 0))
            )
            continue
        count = count_of(item)
        if count is None:
            return None
        expr: Expr = Compare(count, Bound("exactly", 0))
        if expr not in exprs:
            exprs.append(expr)
    return all_of(exprs) if exprs else None


def whole_predicate(clause: Clause) -> Expr | None:
    """ "start with 'X'", "end with a question", "all lowercase", "in French"."""
    c = re.sub(r"^(?:it|the\s+(?:answer|response|text))\s+", "", clause.text)
    pred = predicate(clause, c)
    if pred is not None and not isinstance(pred, Compare):
        return pred
    for pattern, kind in _CASES:
        if re.fullmatch(
            rf"(?:(?:write|use|answer|reply|respond|type)\s+)?(?:it\s+)?(?:in\s+|with\s+)?"
            rf"(?:(?:only|entirely|all|just)\s+)?{pattern}(?:\s+only)?",
            c,
        ):
            return Case(kind)
    if re.fullmatch(
        r"capitali[sz]e\s+the\s+first\s+letter\s+of\s+(?:every|each|all)\s+(?:the\s+)?words?", c
    ):
        return Select("none", Named("word"), LOWER_START)  # each word's first letter
    if re.fullmatch(  # "capitalize all your words": all capitals, as IFEval means it
        r"capitali[sz]e\s+(?:(?:every|each|all)\s+(?:of\s+)?(?:your\s+|the\s+)?"
        rf"(?:letters?|characters?|words?)|everything|{THE_ANSWER}){_THROUGHOUT}",
        c,
    ):
        return Case("upper")
    if re.fullmatch(
        r"(?:do\s+not|never)\s+capitali[sz]e\s*(?:any(?:thing)?|a\s+single)?\s*(?:letters?|words?)?",
        c,
    ):
        return Case("lower")
    m = re.fullmatch(rf"end\s+(?:it\s+)?on\s+(?:the\s+word\s+)?{Q}", c)
    if m is not None:
        return Select("last", Named("word"), Equals(clause.quote(m)))
    m = re.fullmatch(rf"(?:do\s+not|never|not)\s+{END}\s+(?:with|on)\s+(?P<x>.+)", c)
    if m is not None:
        obj = object_of(clause, m.group("x"), end=True)
        return Not(obj) if obj is not None else None
    return own_line(clause, c) or top_line(clause, c)


_NAME = r"(?:(?:my|your|the|his|her|their|our)\s+)?(?:name|sign-?off|signature)"


def own_line(clause: Clause, c: str) -> Expr | None:
    """ "sign it off with 'Cheers, Priya' on its own line (at the very end)", "end with my
    name, Tom, on a line by itself": the last line is exactly that."""
    m = re.fullmatch(
        rf"{END}\s+with\s+(?:{_NAME}\s*,?\s*)?(?:{Q}|(?P<w>[a-z][\w'-]*(?:\s+[a-z][\w'-]*)?))\s*,?\s+"
        r"on\s+(?:a|its|their|his|her)\s+(?:own\s+)?line(?:\s+by\s+(?:itself|themselves))?"
        r"(?:\s+at\s+the\s+(?:very\s+)?end)?",
        c,
    )
    if m is None:
        return None
    value = clause.quote(m) if m.group("q") else m.group("w")
    return Select("last", Named("line"), Equals(value))


def top_line(clause: Clause, c: str) -> Expr | None:
    """ "put a TL;DR line at the very top": the first line starts with the marker."""
    m = re.fullmatch(
        r"(?:put|add|start\s+with|lead\s+with)\s+(?:a|an|the)\s+(?P<x>[^\s]*[^\w\s][^\s]*)\s+line\s+"
        r"(?:at\s+the\s+(?:very\s+)?(?:top|start|beginning)|first)",
        c,
    )
    if m is None:
        return None
    return Select("first", Named("line"), StartsWith(m.group("x")))


_LITERAL_NOUN = r"(?:key\s*-?\s*words?|words?|phrases?|terms?|names?|items?|lines?)"
_SAY = (
    r"(?:includ(?:e|es|ing)|contain(?:s|ing)?|us(?:e|es|ing)|mention(?:s|ing)?|"
    r"featur(?:e|es|ing)|incorporat(?:e|es|ing)|say(?:s|ing)?|writ(?:e|es|ing)|ha(?:ve|s|ving)|with)"
)
_NOT_SAY = (  # a negation that is no verb of its own takes one ("never say"), or a noun
    rf"(?:avoid(?:ing)?|refrain(?:ing)?\s+from|exclud(?:e|ing))(?:\s+{_SAY})?|"
    rf"(?:(?:(?:do|does|must|should|can|will|may)\s+)?not(?:\s+to)?|never|without)\s+"
    rf"(?:{_SAY}|(?=(?:the\s+|these\s+|following\s+)*{_LITERAL_NOUN}\b))"
)
_AND_OR = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)"
_QUOTES = rf"\[?\s*⟦\d+⟧(?:{_AND_OR}⟦\d+⟧)*\s*\]?"
_PLAIN = rf"[a-z][\w'-]*(?:{_AND_OR}[a-z][\w'-]*)*"
_NOT_A_WORD = frozenset({"a", "an", "the", "any", "and", "or", "that", "this", "these", "it"})
# where the words go: in the answer, or in a part of it (which the answer then has too)
_IN = (
    r"(?:\s+(?:somewhere\s+|anywhere\s+)?(?:in|within)\s+(?:the|your|this|it)(?:\s+[a-z]+){0,2})?"
    r"(?:\s+somewhere)?"
)
_STAY_OUT = (  # "be in the answer" is "be" once the answer is dropped as filler
    rf"(?:{_NOT}\s+(?:be(?:\s+(?:in|used|included|mentioned|present))?|appear|occur|show\s+up)|"
    r"are\s+not\s+allowed)"
)


def literal_list(clause: Clause) -> Expr | None:
    """Words a text has or has not, listed (what one part of it has, it has): "include
    the keywords 'alpha' and 'beta'",
    "mention 'A', 'B' and 'C'", "use the terms fog, mist and haze", "don't say 'x' or
    'y'", "avoid these words: bad, awful", "the words x and y must not appear"."""
    c = clause.text
    m = re.fullmatch(
        rf"(?P<one>(?:at\s+least\s+)?1\s+of\s+(?:the|your|my)\s+[a-z]+\s+{MODAL})?"
        rf"(?:(?P<not>{_NOT_SAY})|{_SAY}\b)\s*(?P<the>(?:(?:the|these|those|following|all|both)\s+)*)"
        rf"(?:(?:[a-z]+\s+)?(?P<noun>{_LITERAL_NOUN})\s*:?\s*(?P<eg>,?\s*(?:such\s+as|like|e\.g\.,?)\s+)?)?"
        rf"(?P<list>{_QUOTES}|{_PLAIN})(?:\s*,?\s*etc\.?)?{_IN}",
        c,
    ) or re.fullmatch(
        rf"(?P<the>the\s+)?(?P<noun>{_LITERAL_NOUN})\s+(?P<list>{_QUOTES}|{_PLAIN})\s+"
        rf"{MODAL}(?:(?P<not>{_STAY_OUT})|appear|be\s+(?:used|included|mentioned)){_IN}",
        c,
    )
    if m is None:
        return None
    said = m.group("list")
    if "⟦" in said:
        items = [clause.norm.quote(q) for q in re.findall(r"⟦(\d+)⟧", said)]
        if any(re.search(r"\.\.\.|…", i) for i in items):
            return None  # "include the lines 'Name: ...'": a template, not a literal
    else:  # unquoted: only words named as such ("the word x", "keywords x and y")
        items = re.split(_AND_OR, said)
        noun = m.group("noun") or ""
        plural = noun.endswith("s") and len(items) > 1
        named = noun and (m.group("the") or plural or noun.startswith("key"))
        if not (named or (m.group("not") and "mention" in m.group(0) and len(items) > 1)):
            return None  # "never mention x and y": words; "mention risks": a subject
        if any(i in _NOT_A_WORD for i in items):
            return None  # "use the words you like"
    if m.group("not"):  # "one of them has no x" is no absence from the answer
        absent = [Compare(Count(Text(i)), Bound("exactly", 0)) for i in items]
        return None if m.groupdict().get("one") else all_of(absent)
    if m.groupdict().get("eg"):
        return None  # "use words like 'x'": any such word will do
    return all_of([Contains(i) for i in items])


def literal_count(clause: Clause) -> Expr | None:
    """ "the letter q should appear at least 5 times", "the word sneaker should not
    appear", "don't use the letter e more than 10 times"."""
    c = clause.text
    c = re.sub(r"\bletter\s+⟦(\d+)⟧", lambda q: f"letter {_letter(clause, q.group(1))}", c)
    lit = r"the\s+(?P<k>letter|character|word|name|term)\s+(?P<w>[a-z][\w'-]*)"
    m = re.fullmatch(
        rf"(?:with\s+|for\s+)?{lit}\s+{MODAL}(?:to\s+)?(?P<neg>(?:not|never)\s+)?"
        r"(?:appears?|appearing|occurs?|occurring|be\s+used|show\s+up)"
        rf"(?:\s+{COUNT}\s+times?)?",
        c,
    )
    if m is None:  # "use the word war at least 8 times", "(and) the word peace 10 times"
        m = re.fullmatch(
            r"(?:and\s+)?(?:(?:to\s+)?(?:use|include|mention|repeat|say|contain)(?:s|es|ing)?\s+)?"
            rf"{lit}\s+{COUNT}\s+times?",
            c,
        )
    capped = None
    if m is None:
        capped = re.fullmatch(
            rf"(?:{_NOT}\s+use|avoid\s+using)\s+{lit}\s+more\s+than\s+{N}\s+times?", c
        )
        if capped is None:
            return None
        m = capped
    w = m.group("w")
    named = m.group("k") in ("word", "name", "term")
    unit = Text(w) if named else Text(w, whole_word=False)
    if not named and len(w) != 1:
        return None
    if capped is not None:
        return Compare(Count(unit), Bound("at_most", float(m.group("n"))))
    if m.groupdict().get("neg"):
        return Compare(Count(unit), Bound("exactly", 0)) if m.group("n") is None else None
    if m.group("n") is None and m.group("lo") is None:
        return Compare(Count(unit), Bound("at_least", 1))
    bound = bound_of(m)
    return Compare(Count(unit), bound) if bound is not None else None


def _letter(clause: Clause, index: str) -> str:
    """A quoted letter as the letter itself ("the letter 'l'"); anything else stays quoted."""
    said = clause.norm.quote(index)
    return said.lower() if re.fullmatch(r"[A-Za-z]", said) else f"⟦{index}⟧"


def quoted_use(clause: Clause) -> Expr | None:
    """ "mention 'Acme' at least 2 times", "include the link 'X' exactly 1 time",
    "use the word 'X'"."""
    c = clause.text
    m = re.fullmatch(
        r"(?:and\s+)?(?:(?:to\s+)?(?:use|include|mention|say|repeat|contain|add|put|feature)"
        r"(?:s|es|ing)?\s+(?:the\s+)?(?:word|phrase|term|keyword|name|link|url|hashtag|tag)?\s*|"
        r"the\s+(?:word|phrase|term|keyword|name)\s+(?=⟦\d+⟧\s+\S))"
        rf"{Q}(?:\s+{COUNT}\s+times?)?(?:\s+somewhere)?",
        c,
    )
    if m is None:
        return appears(clause)
    text = clause.quote(m)
    if m.group("n") is None and m.group("lo") is None:
        return Contains(text)
    bound = bound_of(m)
    if bound is None:
        return None
    return Compare(Count(Text(text)), bound)


_LITERAL_SUBJECT = rf"(?:the\s+(?:word|phrase|term|keyword|name)\s+)?{Q}"
_SEEN = (
    r"(?:appears?|shows?\s+up|is\s+(?:used|mentioned|included)|be\s+(?:used|mentioned|included))"
)


def appears(clause: Clause) -> Expr | None:
    """ "make sure 'X' appears", "the word 'X' must appear", "'X' must not appear"."""
    m = re.fullmatch(
        rf"{_LITERAL_SUBJECT}\s+{MODAL}(?P<neg>(?:not|never)\s+)?{_SEEN}(?:\s+{COUNT}\s+times?)?",
        clause.text,
    )
    if m is None:
        return None
    text = clause.quote(m)
    if m.group("n") is not None or m.group("lo") is not None:
        bound = bound_of(m)
        if m.group("neg") or bound is None:
            return None
        return Compare(Count(Text(text)), bound)
    return Compare(Count(Text(text)), Bound("exactly", 0)) if m.group("neg") else Contains(text)


# Verbs that present the answer, or a part of it, in a form; and what they present
# ("the data", "your whole reply", "the comparison").
_PRESENT = (
    r"(?:give|write|return|format|output|answer|wrap|put|present|show|display|lay\s+out|"
    r"organi[sz]e|include|use|add|contain|have)"
)
_OBJECT = (
    r"(?:(?:the|your|this)\s+(?:whole\s+|entire\s+)?[a-z]+(?:\s+[a-z]+)?|all\s+(?:the\s+)?words|"
    r"all\s+of\s+it)\s+"
)
# A fence around data ("in JSON format using markdown ticks", "a JSON code block").
_FENCED = (
    r"(?:\s+(?:using|with|in)\s+(?:markdown\s+)?"
    r"(?:ticks|backticks|code\s+fences?|a\s+code\s+block))?"
)


def format(clause: Clause) -> Expr | None:
    c = clause.text
    schema = _schema(clause)
    if schema is not None:
        return schema
    m = re.fullmatch(
        rf"(?:(?:(?:just|only|simply)\s+)?(?:{_PRESENT}\s+)?(?:it\s+|everything\s+|{_OBJECT})?|(?:is|be)\s+)?"
        r"(?:(?:in|as|into)\s+)?(?:a\s+|1\s+)?"
        r"(?:valid\s+)?"
        r"(?P<f>json|yaml|yml|csv|a\s+markdown\s+table|markdown\s+tables?|a\s+table)"
        r"(?:\s+(?:format|object|code\s+block|block))?(?:\s+only)?"
        rf"{_FENCED}(?:,?\s+not\s+(?P<not>json|yaml|csv|markdown|xml|prose))?",
        c,
    )
    if m is None:
        return None
    kind = _FORMAT_WORDS[" ".join(m.group("f").split())]
    if kind == "markdown_table":
        return Compare(Count(Named("table")), Bound("at_least", 1))
    return Format(kind)


def _schema(clause: Clause) -> Expr | None:
    """ "validate against this JSON schema: {...}", "a JSON object with keys a, b and c",
    "with title, author and year keys": JSON of that shape."""
    m = re.fullmatch(
        r"(?:validate|conform|comply)\s+(?:against|to|with)\s+(?:this|the|a|the\s+following)\s+"
        rf"json\s+schema\s*:?\s*{Q}",
        clause.text,
    )
    if m is not None:
        try:
            value = json.loads(clause.quote(m))
        except ValueError:
            return None
        return Format("json", schema=json.dumps(value, sort_keys=True))
    words = r"[a-z_][\w-]*(?:\s*(?:,|,?\s+and)\s+[a-z_][\w-]*)+"
    m = re.fullmatch(
        r"(?:(?:give\s+me|return|write|output)\s+)?(?:a\s+)?(?:json\s+object\s+)?(?:with\s+)?"
        rf"(?:(?:the\s+)?keys\s*:?\s*(?P<a>{words})|(?:the\s+)?(?P<b>{words})\s+keys)",
        clause.text,
    )
    if m is None:
        return None
    keys = re.split(r"\s*(?:,\s*and|,|\s+and)\s+", m.group("a") or m.group("b"))
    shape = {"type": "object", "required": [k.strip() for k in keys]}
    return Format("json", schema=json.dumps(shape, sort_keys=True))


def ascii(clause: Clause) -> Expr | None:
    if re.fullmatch(
        r"(?:use\s+)?(?:plain\s+|only\s+)?ascii(?:\s+characters|\s+text)?(?:\s+only)?|"
        r"no\s+non-ascii\s+characters|only\s+ascii|no\s+(?:special|non-ascii|accented|fancy|"
        r"non-english)\s+(?:symbols|characters|letters)(?:\s+like\s+.+)?",
        clause.text,
    ):
        return Compare(Count(Pattern(r"[^\x00-\x7f]")), Bound("exactly", 0))
    return None


_CODE_LANGUAGES = (
    r"python|javascript|typescript|bash|shell|sql|rust|go|java|ruby|html|css|json|yaml"
)


def code(clause: Clause) -> Expr | None:
    m = re.fullmatch(
        rf"(?:{_PRESENT}\s+(?:it\s+|everything\s+|{_OBJECT})?)?"
        r"(?:(?:in|inside|as)\s+)?(?:a\s+)?(?:fenced\s+)?(?:markdown\s+)?"
        rf"(?:(?P<l0>{_CODE_LANGUAGES})\s+)?code\s+block"
        r"(?:\s+(?:marked|tagged|labell?ed|in)\s+(?P<l>[\w+#-]+))?",
        clause.text,
    )
    if m is None:
        return None
    language = m.group("l") or m.group("l0")
    where = CodeLanguage(language) if language else None
    return Compare(Count(Named("code_block"), where), Bound("at_least", 1))


def refine(expr: Expr, note: str) -> Expr | None:
    """A parenthetical refinement applied to `expr` ("## style" on a heading count), or
    None when the note does not refine it."""
    level = re.fullmatch(r"(#{1,6})\s+style|level[- ]?(\d)(?:\s+headings?)?|h(\d)", note)
    if level is not None and isinstance(expr, Compare) and expr.count.unit == Named("heading"):
        n = len(level.group(1)) if level.group(1) else int(level.group(2) or level.group(3))
        return Compare(Count(Named("heading"), HeadingLevel(n)), expr.bound)
    https = re.fullmatch(
        r"(?:full\s+)?(?:urls?|links?)\s+starting\s+with\s+(?P<p>https?)(?:://)?", note
    )
    if https is not None and isinstance(expr, Compare) and expr.count.unit == Named("url"):
        return Compare(Count(Named("url"), StartsWith(https.group("p") + "://")), expr.bound)
    return None


IGNORABLE_NOTE = re.compile(
    r"^(?:like|e\.?g\.?|for\s+example|for\s+instance|such\s+as|i\.?e\.?|watch\s+out|just|"
    r"an?\s+example|examples?|(?:that|which)\s+are\s+(?:marked|indicated)|(?:marked|indicated)\s+(?:by|with)|"
    r"ignoring|including|incl\.?|spaces\s+count|counting\s+spaces|not\s+counting\s+spaces)\b"
)
# Clauses that only restate what another clause of the same sentence asks.
RESTATEMENT = re.compile(
    r"^(?:separated\s+by\s+(?:a\s+)?blank\s+lines?|just\s+(?:plain\s+)?(?:prose|text|sentences|"
    r"paragraphs|words)|no\s+(?:sentence\s+)?fragments|no\s+(?:one|1)-liners|(?:keep|make)\s+(?:the\s+|your\s+)?(?:words|"
    r"sentences|lines|it|them|answer|response|reply)\s+(?:short|brief|tight|concise)|"
    r"no\s+exceptions|nothing\s+(?:else|more)|(?:with\s+)?no\s+(?:other|additional|more|further)\s+"
    r"words?\s+(?:should\s+)?(?:after|follow(?:ing)?)(?:\s+(?:it|this|that|this\s+phrase|the\s+"
    r"(?:phrase|word|sentence)(?:\s+⟦\d+⟧)?|⟦\d+⟧))?|(?:do\s+not|never)\s+(?:say|write|add)\s+"
    r"anything\s+(?:else\s+)?(?:after|following)\s+(?:it|this|that|the\s+\w+|⟦\d+⟧)|"
    r"(?:include|use|say|write|give)\s+(?:the|that|this)\s+exact\s+(?:phrase|words|wording|text)|"
    r"no\s+other\s+languages?(?:\s+(?:is|are))?(?:\s+(?:allowed|permitted))?|"
    r"length|word\s+count|(?:answer|write\s+it|reply|respond|code\s+it)\s+in\s+(?:python|javascript|"
    r"typescript|java|bash|shell|sql|rust|go|ruby|c\+\+|c#|php|kotlin|swift|r))$"
)
IGNORABLE_CLAUSE = re.compile(
    r"^(?:our|my|his|her|their|she|he|they|we|i|it\s+is|it's|this\s+is|since|because|as|so\s+that|"
    r"so\s+it|e\.?g\.?|i\.?e\.?|like|for\s+example|for\s+instance|such\s+as|thanks|thank\s+you|"
    r"watch\s+out|no\s+exceptions)\b"
)
