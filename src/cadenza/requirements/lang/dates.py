"""Dates written in a format ("YYYY-MM-DD", "DD/MM/YYYY"): every date the answer writes,
numeric or with a month's name, is written in that format. Built from the language's
own nodes (a `Pattern` unit for any date, a `Matches` predicate for the format)."""

from __future__ import annotations

import re

from cadenza.requirements.lang.nodes import Expr, Matches, Pattern, Select

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# any date: numeric with - / . between its fields, or a month's name with a day and year
ANY_DATE = (
    r"\b(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|"
    rf"{_MONTH}\.?\s+{_DAY},?\s+\d{{4}}|{_DAY}\s+(?:of\s+)?{_MONTH}\.?,?\s+\d{{4}})\b"
)
_FIELDS = {
    "yyyy": r"\d{4}",
    "yy": r"\d{2}",
    "mm": r"(?:0[1-9]|1[0-2])",
    "m": r"(?:0?[1-9]|1[0-2])",
    "dd": r"(?:0[1-9]|[12]\d|3[01])",
    "d": r"(?:0?[1-9]|[12]\d|3[01])",
}
FORMAT = r"(?:yyyy|yy|mm|dd|m|d)(?:[-/.](?:yyyy|yy|mm|dd|m|d)){2}"


def dates_as(said: str) -> Expr | None:
    """Every date in the format `said` ("YYYY-MM-DD"); None when it is no date format
    (three fields, one year, one month, one day)."""
    fmt = said.strip().lower()
    if not re.fullmatch(FORMAT, fmt):
        return None
    fields = re.split(r"[-/.]", fmt)
    if sorted(f[0] for f in fields) != ["d", "m", "y"]:
        return None
    seps = re.findall(r"[-/.]", fmt)
    regex = _FIELDS[fields[0]]
    for sep, field in zip(seps, fields[1:], strict=True):
        regex += re.escape(sep) + _FIELDS[field]
    unit = Pattern(ANY_DATE, ignore_case=True, name="date", example=said.strip().upper())
    return Select("each", unit, Matches(rf"\A{regex}\Z", name=f"written as {said.strip().upper()}"))
