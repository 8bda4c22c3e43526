"""What the whole answer is, said of its form: a number and nothing else ("answer with
only a number", "your answer must be a single number", "output 1 number only, no
units"), or text wrapped in tags ("wrap your entire reply in <answer></answer> tags");
and where the final answer goes ("put the final answer inside <answer>...</answer>":
some text in those tags)."""

from __future__ import annotations

import re

from cadenza.requirements.grammar.clauses import MODAL, Clause
from cadenza.requirements.lang.nodes import Bound, Compare, Count, Expr, Matches, Pattern

_ANSWER = r"(?:answer|reply|response|output|result|text|message)"
_ONLY = r"(?:only|just|nothing\s+but|solely|purely)"
_NOTHING_ELSE = (
    r"(?:\s*(?:,|and|-)?\s*(?:nothing\s+else|no\s+(?:other\s+)?(?:words|text|units|explanation)|"
    r"no\s+units\s+or\s+words|without\s+(?:any\s+)?(?:words|units|explanation)))*"
)
_A_NUMBER = r"(?:a|the|1|one)\s+(?:single\s+|final\s+|plain\s+|bare\s+)?number"

NUMBER_ALONE = Matches(
    r"\A\s*[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\.?\s*\Z", name="a number and nothing else"
)


def number_alone(clause: Clause) -> Expr | None:
    """ "answer with only a number", "reply with just the number and nothing else",
    "your answer must be a single number", "output 1 number only, no units", "no words,
    just the final number": the whole answer is a number."""
    # what else is ruled out may come first as well as last ("no words, just the number")
    c = re.sub(r"^(?:no\s+(?:other\s+)?(?:words|text|units|explanation)\s*,?\s*)+", "", clause.text)
    verb = r"(?:answer|reply|respond|output|return|give|write|print|provide)"
    if re.fullmatch(
        rf"(?:(?:{verb}\s+(?:with\s+)?)?{_ONLY}\s+{_A_NUMBER}|"
        rf"{verb}\s+(?:with\s+)?{_A_NUMBER}\s+{_ONLY}|"
        rf"(?:your\s+|the\s+)?(?:final\s+)?{_ANSWER}\s+{MODAL}be\s+(?:{_ONLY}\s+)?{_A_NUMBER}"
        rf"(?:\s+{_ONLY})?|be\s+(?:{_ONLY}\s+)?(?:a|1)\s+single\s+number)"
        rf"{_NOTHING_ELSE}",
        c,
    ):
        return NUMBER_ALONE
    return None


_TAG = (
    r"<(?P<t>[a-z][\w-]*)>\s*(?:(?:\.\.\.|…|[a-z ]+)?\s*</(?P=t)>|\s+and\s+</(?P=t)>)?"
    r"(?:\s+(?:tags?|markers?))?"
)
_PUT = r"(?:wrap|enclose|put|place|give|write|return|output)"
_IN = r"(?:in|inside|within|between|into)"


def tagged(clause: Clause) -> Expr | None:
    """ "wrap your entire reply in <answer></answer> tags", "enclose the whole response in
    <summary> and </summary>", "your reply must be wrapped in <note> tags": the answer
    is one text in those tags; "put the final answer inside <answer>...</answer>": some
    text in those tags."""
    c = clause.text
    whole = r"(?:(?:your|the)\s+)?(?:(?:entire|whole|full|complete)\s+)?"
    m = re.fullmatch(rf"{_PUT}\s+{whole}{_ANSWER}\s+{_IN}\s+{_TAG}", c) or re.fullmatch(
        rf"{whole}{_ANSWER}\s+{MODAL}be\s+(?:wrapped|enclosed|put|placed)\s+{_IN}\s+{_TAG}", c
    )
    if m is not None:
        t = re.escape(m.group("t"))
        return Matches(
            rf"\A\s*<{t}>(?:(?!</?{t}>)[\s\S])*\S(?:(?!</?{t}>)[\s\S])*</{t}>\s*\Z",
            ignore_case=True,
            name=f"wrapped in <{m.group('t')}></{m.group('t')}>",
        )
    m = re.fullmatch(rf"{_PUT}\s+(?:your\s+|the\s+)?final\s+(?:answer|result)\s+{_IN}\s+{_TAG}", c)
    if m is None:
        return None
    t = re.escape(m.group("t"))
    spans = Pattern(
        rf"<{t}>(?:(?!</?{t}>)[\s\S])*\S(?:(?!</?{t}>)[\s\S])*</{t}>",
        ignore_case=True,
        name=f"text in <{m.group('t')}></{m.group('t')}>",
    )
    return Compare(Count(spans), Bound("at_least", 1))
