"""Phrasing rules for counted things not yet read by the grammar alone: highlighted
spans, letters and keywords."""

from __future__ import annotations

import re
from collections.abc import Callable

from cadenza.errors import RequirementError
from cadenza.requirements.lang.build import count, occurrences
from cadenza.requirements.lang.nodes import Compare, Expr, Relation, Text
from cadenza.requirements.phrasing.found import Found, found_in
from cadenza.requirements.phrasing.numbers import (
    COUNT,
    TIMES,
    read_count,
    read_times,
)
from cadenza.requirements.phrasing.text import QUOTED, Sentence, unquote

Builder = Callable[[Relation, float, "float | None"], Expr]


def _of(unit: str) -> Builder:
    def build(relation: Relation, n: float, high: float | None) -> Expr:
        return count(unit, relation, n, high)  # type: ignore[arg-type]

    return build


HighlightCount = _of("highlight")


_I = re.I
_ADJ = (
    r"(?:(?!(?:must|should|shall|will|start|starts|begin|with|of|in|and|or|be|to|is|are|that|"
    r"for|the|times?)\b)[\w'-]+\s+){0,3}?"
)
_NEG = re.compile(
    r"\b(?:no|not|never|without|avoid(?:ing)?|refrain|exclude|excluding|free|forbidden|"
    r"cannot|zero)\b|n't\b",
    _I,
)


def _count_of(m: re.Match[str], *, bare: Relation = "exactly") -> tuple[Relation, int, int | None]:
    return read_count(
        m.group("rel"), m.group("n"), m.group("m"), m.group("suffix"), m.group("plus"), bare=bare
    )


def _spec(build: Builder, relation: Relation, n: int, n_max: int | None) -> Expr | None:
    try:
        return build(relation, n, n_max)
    except RequirementError:
        return None


def _suffix(m: re.Match[str]) -> str | None:
    return m.group("tsuffix0") or m.group("tsuffix")


# --------------------------------------------------------------------------- words etc.

# --------------------------------------------------------------------------- markdown counts

_HIGHLIGHTS = re.compile(
    rf"\b{COUNT}\s+{_ADJ}(?:sections?|parts?|portions?|phrases?|spans?|texts?|areas?|"
    r"passages?|key\s+points?|points?|words?|lines?|sentences?)\b",
    _I,
)
_HIGHLIGHT_VERB = re.compile(rf"\b(?:highlight|italicize|emphasize|bold)\s+{COUNT}\b", _I)


def highlights(text: str, sents: list[Sentence]) -> list[Found]:
    out: list[Found] = []
    for s in sents:
        if not re.search(r"\bhighlight|\bitali[cs]", s.text, _I):
            continue
        if re.search(r"\bwords?\s+(?:with|in)\s+all\s+capital", s.text, _I) and not re.search(
            r"markdown|\*", s.text
        ):
            continue  # "use words with all capital letters to highlight key points"
        m = _HIGHLIGHT_VERB.search(s.text)
        if m is None:
            candidates = [
                c
                for c in _HIGHLIGHTS.finditer(s.text)
                if not re.search(r"\bwords?\b|\bsentences?\b", c.group(0), _I)
                or re.search(r"highlight|itali", c.group(0), _I)
            ]
            m = candidates[0] if candidates else None
        if m is not None:
            relation, n, n_max = _count_of(m, bare="at_least")
            spec = _spec(HighlightCount, relation, n, n_max)
        else:
            spec = HighlightCount("at_least", 1, None)
        if spec is not None:
            out.append(found_in(s, "highlights", spec))
    return out


# --------------------------------------------------------------------------- frequencies

_LETTER = re.compile(
    r"\bletters?\s+[\"'“‘]?(?P<l>[A-Za-z])[\"'”’]?(?![\w'])"
    r"(?P<mid>(?:\s+(?:should|must|needs?\s+to|has\s+to|to|will|shall|can|may))?"
    r"(?:\s+(?:be\s+)?(?:appear(?:ing|s)?|occurs?|occurring|shows?\s+up|used|be\s+used|included|present))?"
    r"(?:\s+(?:in|throughout)\s+(?:the|your)\s+(?:entire\s+)?\w+(?:\s+\w+)?)?"
    r"(?:\s+(?:for|a\s+total\s+of))?)\s+"
    rf"{TIMES}",
    _I,
)
_NO_LETTER = re.compile(
    r"\b(?:without(?:\s+using)?|not?\s+(?:use|include|contain|say)|avoid(?:\s+using)?|don't\s+"
    r"(?:use|include|contain)|never\s+use|no)\s+(?:any\s+)?(?:the\s+)?letters?\s+"
    r"[\"'“‘]?(?P<l>[A-Za-z])[\"'”’]?(?![\w'])"
    r"|\bletter\s+[\"'“‘]?(?P<l2>[A-Za-z])[\"'”’]?\s+(?:should|must|may|can)\s*(?:not|n't|never)\s+"
    r"(?:appear|be\s+used|occur|be\s+present)",
    _I,
)


def letters(text: str, sents: list[Sentence]) -> list[Found]:
    out: list[Found] = []
    for s in sents:
        for m in _LETTER.finditer(s.text):
            relation, n, n_max = read_times(
                m.group("trel"), m.group("tn"), m.group("tm"), m.group("tw"), _suffix(m)
            )
            if _NEG.search(s.text[: m.start()]) and relation == "more_than":
                relation = "at_most"  # "avoid using the letter i more than twice"
            try:
                spec: Expr = occurrences(m.group("l").lower(), relation, n, n_max)
            except RequirementError:
                continue
            out.append(Found(s.start + m.start(), s.start + m.end(), "letters", (spec,)))
        if not out or out[-1].start < s.start:
            m2 = _NO_LETTER.search(s.text)
            if m2 is not None and not re.search(
                r"capital|upper|lower", s.text[m2.start() : m2.end()], _I
            ):
                letter = (m2.group("l") or m2.group("l2")).lower()
                spec = occurrences(letter, "exactly", 0)
                out.append(Found(s.start + m2.start(), s.start + m2.end(), "letters", (spec,)))
    counted = {letter for f in out if (letter := _counted_text(f.specs[0], positive=True))}
    return [f for f in out if _counted_text(f.specs[0], positive=False) not in counted]


def _counted_text(expr: Expr, *, positive: bool) -> str | None:
    """The text a letter count counts, when it asks for some (`positive`) or none."""
    if (
        isinstance(expr, Compare)
        and isinstance(expr.count.unit, Text)
        and (expr.bound.n > 0) == positive
    ):
        return expr.count.unit.text
    return None


_KW = rf"(?P<kw>{QUOTED}|[A-Za-z][\w'-]*)"
_KEYWORD_FREQ = re.compile(
    rf"\b(?:key\s*word|word|term|name|phrase)\s+{_KW}"
    r"(?:\s+(?:should|must|needs?\s+to|has\s+to|to|will|shall|is\s+to))?"
    r"(?:\s+(?:be\s+)?(?:used|mentioned|included|appear(?:s|ing)?|occurs?|shows?\s+up|present|repeated))?"
    r"(?:\s+(?:in|throughout)\s+(?:the|your)\s+(?:entire\s+)?\w+)?"
    rf"(?:\s+(?:for|a\s+total\s+of))?\s+{TIMES}",
    _I,
)
_KEYWORD_VERB_FREQ = re.compile(
    r"\b(?:use|using|uses|include|including|includes|mention|mentioning|mentions|say|repeat|"
    r"contain|containing|contains)\s+(?:the\s+)?(?:(?:key\s*word|word|term|name|phrase)\s+)?"
    rf"{_KW}(?:\s+(?:in|throughout)\s+(?:the|your)\s+(?:entire\s+)?\w+)?(?:\s+for)?\s+{TIMES}",
    _I,
)


def keyword_frequency(text: str, sents: list[Sentence]) -> list[Found]:
    out: list[Found] = []
    for s in sents:
        spans: list[tuple[int, int]] = []
        for pattern in (_KEYWORD_FREQ, _KEYWORD_VERB_FREQ):
            for m in pattern.finditer(s.text):
                if any(a <= m.start() < b for a, b in spans):
                    continue
                keyword = unquote(m.group("kw"))
                if keyword.lower() in ("letter", "word", "words", "the", "a") and not m.group(
                    "kw"
                ).startswith(("'", '"', "“")):
                    continue
                if re.fullmatch(r"[A-Za-z]", keyword) and re.search(
                    r"letter\s*$", s.text[: m.start("kw")], _I
                ):
                    continue
                relation, n, n_max = read_times(
                    m.group("trel"), m.group("tn"), m.group("tm"), m.group("tw"), _suffix(m)
                )
                try:
                    spec: Expr = occurrences(keyword, relation, n, n_max)
                except RequirementError:
                    continue
                spans.append((m.start(), m.end()))
                out.append(
                    Found(s.start + m.start(), s.start + m.end(), "keyword_frequency", (spec,))
                )
    return out
