"""How the answer's parts are laid out, said as an instruction: units put in order
("sort the bullets alphabetically", "list the lines from Z to A"), numbers spelt out
("write numbers as words, not digits"), code put in a block ("wrap the code in triple
backticks", "put the code in 1 fenced code block"), a table with a number of columns
("use a markdown table with exactly 3 columns"), a title in double angular brackets
at the top, dates in a format ("write all dates in YYYY-MM-DD format"), numbers as
digits, a sentence to a line, and the line the answer opens with."""

from __future__ import annotations

import re

from cadenza.requirements.grammar.clauses import COUNT, EACH, MODAL, Clause, Q, bound_of
from cadenza.requirements.grammar.lexicon import UNIT_RE, count_of
from cadenza.requirements.lang import build
from cadenza.requirements.lang.dates import FORMAT, dates_as
from cadenza.requirements.lang.nodes import (
    AllOf,
    Bound,
    Compare,
    Count,
    Expr,
    Format,
    Matches,
    Named,
    Pattern,
    Select,
    Sorted,
    StartsWith,
)

# verbs that arrange the parts of an answer
_ARRANGE = r"(?:sort|order|list|put|arrange|keep|present|write|give)"
_THE = r"(?:(?:the|your|all\s+(?:the\s+)?|all\s+of\s+the)\s+)?"
_ASCENDING = (
    r"(?:in\s+)?(?:alphabetical|alphabetic|a\s*-\s*z|a\s+to\s+z)\s+order|alphabetically|"
    r"from\s+a\s+to\s+z"
)
_DESCENDING = (
    r"(?:in\s+)?(?:reverse|reversed|inverse)\s+(?:alphabetical|alphabetic)\s+order|"
    r"reverse\s+alphabetically|from\s+z\s+to\s+a|(?:in\s+)?z\s*-\s*a\s+order"
)


def ordered(clause: Clause) -> Expr | None:
    """ "sort the bullets alphabetically", "put the lines in alphabetical order", "list
    the bullet points from Z to A": the named units in order."""
    m = re.fullmatch(
        rf"{_ARRANGE}\s+{_THE}(?P<u>{UNIT_RE})\s+(?:(?P<down>{_DESCENDING})|{_ASCENDING})",
        clause.text,
    )
    if m is None or (unit := count_of(m.group("u"))) is None or unit.where is not None:
        return None
    if unit.unit not in _LISTED:
        return None
    return Sorted(unit.unit, descending=m.group("down") is not None)


_LISTED = (
    Named("bullet"),
    Named("numbered_item"),
    Named("list_item"),
    Named("line"),
    Named("paragraph"),
    Named("sentence"),
    Named("heading"),
)


def spelled(clause: Clause) -> Expr | None:
    """ "spell out all numbers (instead of using digits)", "write numbers as words, not
    digits", "no numbers in digits": no digit in the answer."""
    if re.fullmatch(
        r"(?:spell\s+out\s+(?:all\s+|every\s+|each\s+)?(?:the\s+)?numbers?|"
        r"(?:write|give|express)\s+(?:all\s+|every\s+|each\s+)?(?:the\s+)?numbers?\s+"
        r"(?:as|in)\s+words|no\s+numbers?\s+(?:in|as|written\s+(?:in|as))\s+(?:digits|numerals))"
        r"(?:,?\s+(?:not|instead\s+of|rather\s+than|never)\s+(?:using\s+|as\s+|in\s+)?"
        r"(?:digits|numerals))?",
        clause.text,
    ):
        return build.count("digit", "exactly", 0)
    return None


_CODE = r"(?:the\s+|your\s+|all\s+(?:the\s+|your\s+)?)?code(?:\s+(?:snippets?|examples?))?"
_BLOCK = r"(?:(?:fenced|markdown)\s+)*code\s*blocks?|triple\s+backticks|(?:a\s+)?code\s+fence"


def fenced(clause: Clause) -> Expr | None:
    """ "put the code in 1 fenced code block", "wrap the code in triple backticks":
    code blocks (exactly 1 when one is said)."""
    m = re.fullmatch(
        rf"(?:put|place|wrap|keep|write|format|enclose|give)\s+{_CODE}\s+(?:in|inside|into|within)\s+"
        rf"(?:(?P<one>1|one)\s+|a\s+)?(?:{_BLOCK})",
        clause.text,
    )
    if m is None:
        return None
    bound = Bound("exactly", 1) if m.group("one") else Bound("at_least", 1)
    return Compare(Count(Named("code_block")), bound)


def columns(clause: Clause) -> Expr | None:
    """ "use a markdown table with exactly 3 columns", "make a table with 4 columns": a
    table, and every table with that many columns."""
    m = re.fullmatch(
        r"(?:use|make|include|create|give|add|present\s+it\s+(?:as|in)|format\s+it\s+as|"
        r"answer\s+(?:with|in))\s+(?:a|1)\s+(?:markdown\s+)?table\s+(?:with|of|that\s+has)\s+"
        rf"{COUNT}\s+columns?",
        clause.text,
    )
    if m is None or m.group("lo") is not None:
        return None
    bound = bound_of(m)
    if bound is None or bound.relation != "exactly":
        return None
    table = Format("markdown_table", columns=int(bound.n))
    return AllOf((build.count("table", "at_least", 1), Select("each", Named("table"), table)))


def title_on_top(clause: Clause) -> Expr | None:
    """ "put a title in double angular brackets at the top", "start with a title wrapped
    in << and >>": a title in << >> that opens the answer."""
    if re.fullmatch(
        r"(?:(?:put|place|add|give|include)\s+a\s+title\s+(?:wrapped\s+|enclosed\s+)?"
        r"(?:in|inside|within|between)\s+(?P<a>_A_)\s+at\s+the\s+(?:top|start|beginning)|"
        r"(?:start|begin|open)\s+with\s+a\s+title\s+(?:wrapped\s+|enclosed\s+)?"
        r"(?:in|inside|within|between)\s+(?P<b>_A_))".replace("_A_", _ANGLED),
        clause.text,
    ):
        return AllOf((build.title(), Matches(r"\A\s*<<[^\n]*[^\s<>][^\n]*>>")))
    return None


_ANGLED = r"(?:double\s+angul?ar\s+brackets|double\s+angle\s+brackets|<<\s*(?:and\s*)?>>)"


_DATES = r"(?:all\s+(?:the\s+)?|every\s+|each\s+|any\s+|the\s+)?dates?"
_AS = rf"(?P<fK>{FORMAT})(?:\s+format)?"  # K: which of the two


def dated(clause: Clause) -> Expr | None:
    """ "write all dates in YYYY-MM-DD format", "write every date as DD/MM/YYYY", "use
    the YYYY-MM-DD format for dates", "use MM/DD/YYYY for all dates": every date the
    answer writes, in that format."""
    m = re.fullmatch(
        rf"(?:write|give|put|express)\s+{_DATES}\s+(?:in|as|using)\s+(?:the\s+)?"
        + _AS.replace("K", "1")
        + rf"|use\s+(?:the\s+)?{_AS.replace('K', '2')}\s+(?:for|in)\s+{_DATES}",
        clause.text,
    )
    if m is None:
        return None
    return dates_as(m.group("f1") or m.group("f2"))


def own_line(clause: Clause) -> Expr | None:
    """ "put each sentence on its own line", "every sentence should go on a separate
    line": no line holds two of them."""
    m = re.fullmatch(
        rf"(?:(?:put|write|place|start)\s+{EACH}(?P<u>{UNIT_RE})\s+on\s+(?:its\s+own|a\s+separate|"
        rf"a\s+new|their\s+own|separate)\s+lines?|{EACH}(?P<u2>{UNIT_RE})\s+{MODAL}"
        r"(?:go|be|sit|stand)\s+on\s+(?:its\s+own|a\s+separate|a\s+new|their\s+own|separate)\s+lines?)",
        clause.text,
    )
    if m is None or (unit := count_of(m.group("u") or m.group("u2"))) is None:
        return None
    if unit.where is not None or unit.unit not in (Named("sentence"), Named("list_item")):
        return None
    return Select("each", Named("line"), build.count(unit.unit, "at_most", 1))


def lead_line(clause: Clause) -> Expr | None:
    """ "open with a 'Note:' line", "open with a line starting with 'Update:'": the first
    line opens with the quoted text."""
    m = re.fullmatch(
        rf"(?:open|start|begin)\s+with\s+a\s+(?:{Q}\s+line|line\s+(?:that\s+)?"
        rf"(?:starting|beginning|opening|starts|begins|opens)\s+with\s+⟦(?P<q2>\d+)⟧)",
        clause.text,
    )
    if m is None:
        return None
    said = clause.norm.quote(m.group("q") or m.group("q2")).strip()
    return Select("first", Named("line"), StartsWith(said)) if said else None


# number words (not "one", which is as often a pronoun: "no one", "the one")
_NUMBER_WORDS = (
    r"\b(?:zero|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|million|billion)\b"
)


def numerals(clause: Clause) -> Expr | None:
    """ "write all numbers as digits", "numbers must be written in numerals": no number
    written as a word."""
    m = re.fullmatch(
        r"(?:(?:write|give|express|put)\s+(?:all\s+|every\s+|each\s+|the\s+)?numbers?|"
        r"(?:all\s+|the\s+)?numbers?\s+(?:must|should|need\s+to|have\s+to)\s+be\s+(?:written|given))"
        r"\s+(?:as|in)\s+(?:digits|numerals|figures)",
        clause.text,
    )
    if m is None:
        return None
    words = Pattern(_NUMBER_WORDS, ignore_case=True, name="number written as a word")
    return build.count(words, "exactly", 0)
