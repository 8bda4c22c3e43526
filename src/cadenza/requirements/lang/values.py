"""Values written in a format: times (24-hour, HH:MM, 12-hour with am/pm), money
amounts (a currency symbol, two decimals, thousands separators), percentages (the %
sign, decimals) and dates (numeric formats from `dates`, and "Month D, YYYY"). Built
from the language's own nodes: a `Pattern` unit finds every value of a kind, however
it is written, and a named `Matches` says the format each must be written in, so
"every time is written on the 24-hour clock" is
``Select("each", TIME, Matches(..., name="written on the 24-hour clock"))``."""

from __future__ import annotations

import re
from typing import Literal

from cadenza.requirements.lang.dates import ANY_DATE, dates_as
from cadenza.requirements.lang.nodes import Expr, Matches, Pattern, Select

ValueKind = Literal["date", "time", "money", "percentage"]

_NUM = r"\d+(?:[.,]\d+)*"
_CODES = r"usd|eur|gbp|jpy|chf|cad|aud|inr"
_CURRENCY_WORDS = r"dollars?|euros?|pounds?|yen|bucks|" + _CODES

# a number said in words ("twelve", "forty-five", "a hundred")
_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand|half|a)"
)
_WORDS = rf"(?:{_WORD}(?:[\s-]+(?:and\s+)?{_WORD})*)"

UNITS: dict[ValueKind, Pattern] = {
    "date": Pattern(ANY_DATE, ignore_case=True, name="date"),
    "time": Pattern(
        r"(?<![\w:.])(?:(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s?[ap]\.?m\b\.?|(?:[01]?\d|2[0-3]):[0-5]\d\b)",
        ignore_case=True,
        name="time",
    ),
    "money": Pattern(
        rf"(?:[$€£¥]\s?{_NUM}|\b(?:{_CODES})\s?{_NUM}|(?<![\w.,]){_NUM}\s?(?:(?:{_CURRENCY_WORDS})\b|[€£])|"
        rf"\b{_WORDS}\s(?:{_CURRENCY_WORDS})\b)",
        ignore_case=True,
        name="money amount",
    ),
    "percentage": Pattern(
        rf"(?:(?<![\w.,]){_NUM}|\b{_WORDS})\s?(?:%|percent\b|per\s?cent\b)",
        ignore_case=True,
        name="percentage",
    ),
}

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"

# format words -> (the regex each value must match, what the format is called)
_H12 = (
    r"12[- ]?h(?:ours?|r)?(?:\s+(?:clock|time|format))*"
    r"(?:\s+with\s+(?:am|a\.m\.)\s*(?:or|/)\s*(?:pm|p\.m\.))?|"
    r"am\s*(?:or|/)\s*pm|a\.m\.\s*(?:or|/)\s*p\.m\."
)
_H24 = r"24[- ]?h(?:ours?|r)?(?:\s+(?:clock|time|format))*|military\s+time"
_DOLLAR = r"(?:a\s+|the\s+)?(?:dollar\s+sign|\$(?:\s+sign)?)(?:\s+in\s+front)?"
_EURO = r"(?:a\s+|the\s+)?(?:euro\s+(?:sign|symbol)|€(?:\s+(?:sign|symbol))?)"
_THOUSANDS = (
    r"(?:a\s+|commas?\s+as\s+)?thousands?\s+separators?|commas?\s+for\s+thousands|"
    r"commas?\s+as\s+thousands?\s+separators?"
)
_LONG_DATE = rf"month\s+d,\s+yyyy|(?:{_MONTHS})\s+\d{{1,2}},\s+\d{{4}}"

# format words -> (the regex each value must match, what the format is called)
_FORMATS: dict[ValueKind, tuple[tuple[str, str, str], ...]] = {
    "time": (
        (
            r"hh:mm(?:\s+24[- ]?h(?:our)?)?|24[- ]?h(?:our)?\s+hh:mm",
            r"\A(?:[01]\d|2[0-3]):[0-5]\d\Z",
            "written as HH:MM on the 24-hour clock",
        ),
        (_H24, r"\A(?:[01]?\d|2[0-3]):[0-5]\d\Z", "written on the 24-hour clock"),
        (
            _H12,
            r"\A(?:1[0-2]|0?[1-9])(?::[0-5]\d)?\s?[ap]\.?m\.?\Z",
            "written on the 12-hour clock with am or pm",
        ),
    ),
    "money": (
        (r"\$x,xxx\.xx", r"\A\$\d{1,3}(?:,\d{3})*\.\d{2}\Z", "written as $X,XXX.XX"),
        (_DOLLAR, r"\A\$", "written with a dollar sign in front"),
        (_EURO, r"\A€|€\Z", "written with the € symbol"),
        (
            r"(?:exactly\s+)?2\s+decimal(?:\s+places|s)|cents",
            r"\.\d{2}(?!\d)",
            "written with 2 decimal places",
        ),
        (
            _THOUSANDS,
            r"\A\D*\d{1,3}(?:,\d{3})*(?:\.\d+)?\D*\Z",
            "written with commas between thousands",
        ),
    ),
    "percentage": (
        (
            r"(?:the\s+|a\s+)?(?:%|percent|percentage)(?:\s+(?:sign|symbol))?|(?:the\s+)?symbol",
            r"%\Z",
            "written with the % sign",
        ),
        (r"1\s+decimal(?:\s+place)?", r"\A\d+\.\d(?!\d)", "written with 1 decimal place"),
        (
            r"(?:a\s+)?whole\s+numbers?|no\s+decimals?",
            r"\A\d+(?![\d.,])",
            "written as a whole number",
        ),
    ),
    "date": (
        (
            _LONG_DATE,
            rf"\A(?:{_MONTHS})\s(?:[1-9]|[12]\d|3[01]),\s\d{{4}}\Z",
            "written like March 5, 2024",
        ),
        (r"iso(?:\s+8601)?(?:\s+date)?", "", "yyyy-mm-dd"),
    ),
}


def written(kind: ValueKind, said: str) -> Expr | None:
    """Every value of `kind` written in the format `said` ("24-hour", "2 decimal
    places", "DD/MM/YYYY"); None when `said` is no format of that kind."""
    said = " ".join(said.strip().lower().split())
    if kind == "date" and (numeric := dates_as(said)) is not None:
        return numeric
    for words, regex, name in _FORMATS[kind]:
        if re.fullmatch(words, said):
            if not regex:  # another name for a numeric date format
                return dates_as(name)
            return Select("each", UNITS[kind], Matches(regex, ignore_case=True, name=name))
    return None
