"""Numbers and count relations as people write them ("at least five", "300+", "6 or 7",
"no more than 100", "twice") turned into a relation and integers.

The regex fragments here are shared by every phrasing rule; `read_count` turns one
match of `COUNT` into ``(relation, n, n_max)``.
"""

from __future__ import annotations

import re

from cadenza.requirements.lang.nodes import Relation
from cadenza.requirements.number_words import SMALL, TENS

_UNITS = {
    **SMALL,
    **TENS,
    "no": 0,
    "a": 1,
    "an": 1,
    "single": 1,
    "a single": 1,
    "hundred": 100,
    "a hundred": 100,
    "one hundred": 100,
    "dozen": 12,
    "a dozen": 12,
}
_TENS = "|".join(TENS)
_SMALL = "|".join(word for word in SMALL if word != "zero")

# One number: digits (thousands commas allowed), or a number word up to ninety-nine.
NUM = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:a|one|{_SMALL})\s+(?:hundred|thousand)|"
    rf"(?:{_TENS})(?:[- ](?:{_SMALL}))?|hundred|a dozen|dozen|{_SMALL}|zero)"
)
# Relation words in front of a number.
_AT_LEAST = (
    r"at\s+least|at\s+minimum|no\s+less\s+than|not\s+less\s+than|no\s+fewer\s+than|"
    r"not\s+fewer\s+than|a\s+minimum\s+of|minimum\s+of|min(?:imum)?\.?|a\s+min(?:imum)?\s+of"
)
_AT_MOST = (
    r"at\s+most|at\s+max(?:imum)?|no\s+more\s+than|not\s+more\s+than|a\s+maximum\s+of|"
    r"maximum\s+of|max(?:imum)?\.?|up\s+to|not\s+exceed(?:ing)?|no\s+longer\s+than|"
    r"not\s+longer\s+than|within|a\s+max(?:imum)?\s+of"
)
_LESS = r"less\s+than|fewer\s+than|under|below|shorter\s+than|lower\s+than"
_MORE = r"more\s+than|over|above|greater\s+than|longer\s+than|in\s+excess\s+of|exceeding"
_EXACT = r"exactly|precisely|just|only"
REL = rf"(?:{_AT_LEAST}|{_AT_MOST}|{_LESS}|{_MORE}|{_EXACT}|between)"

# A count: an optional relation, a number, an optional range or "or more" suffix.
COUNT = (
    rf"(?:(?P<rel>{REL})\s+(?:a\s+total\s+of\s+)?)?(?P<n>{NUM})(?P<plus>\s*\+)?"
    rf"(?:\s*(?:to|-|–|and|or)\s*(?P<m>{NUM})(?!\s*(?:st|nd|rd|th)\b))?"
    r"(?P<suffix>\s+or\s+(?:more|less|fewer|above|below|greater|higher|lower))?"
)


def to_int(word: str) -> int:
    """The integer a number written in digits or words stands for."""
    text = word.strip().lower().replace(",", "")
    if text.isdigit():
        return int(text)
    text = " ".join(text.split())
    if text in _UNITS:
        return _UNITS[text]
    scaled = re.fullmatch(r"(\w+) (hundred|thousand)", text)
    if scaled and scaled.group(1) in _UNITS:
        return _UNITS[scaled.group(1)] * (100 if scaled.group(2) == "hundred" else 1000)
    parts = re.split(r"[- ]", text)
    if len(parts) == 2 and parts[0] in _UNITS and parts[1] in _UNITS:
        return _UNITS[parts[0]] + _UNITS[parts[1]]
    raise ValueError(f"not a number: {word!r}")


def _relation_of(rel: str | None) -> Relation | None:
    if rel is None:
        return None
    text = " ".join(rel.lower().split())
    for pattern, relation in (
        (_AT_LEAST, "at_least"),
        (_AT_MOST, "at_most"),
        (_LESS, "less_than"),
        (_MORE, "more_than"),
        (_EXACT, "exactly"),
    ):
        if re.fullmatch(pattern, text):
            return relation  # type: ignore[return-value]
    return "between" if text == "between" else None


def read_count(
    rel: str | None,
    n: str,
    m: str | None = None,
    suffix: str | None = None,
    plus: str | None = None,
    *,
    bare: Relation = "exactly",
) -> tuple[Relation, int, int | None]:
    """(relation, n, n_max) from the pieces of a count; `bare` is the relation of a
    number written without any ("5 bullet points" means exactly 5)."""
    low = to_int(n)
    if m is not None:
        high = to_int(m)
        if high < low:
            low, high = high, low
        return ("between", low, high) if high > low else ("exactly", low, None)
    relation = _relation_of(rel)
    if plus:
        return "at_least", low, None
    if suffix:
        word = suffix.split()[-1].lower()
        if word in ("more", "above", "greater", "higher"):
            return "at_least", low, None
        return "at_most", low, None
    if relation is None or relation == "between":
        return bare, low, None
    if relation == "less_than" and low == 0:
        return "exactly", 0, None
    return relation, low, None
