"""The phrasing rule for highlighted spans, not yet read by the grammar alone."""

from __future__ import annotations

import re
from collections.abc import Callable

from cadenza.errors import RequirementError
from cadenza.requirements.lang.build import count
from cadenza.requirements.lang.nodes import Expr, Relation
from cadenza.requirements.phrasing.found import Found, found_in
from cadenza.requirements.phrasing.numbers import (
    COUNT,
    read_count,
)
from cadenza.requirements.phrasing.text import Sentence

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


def _count_of(m: re.Match[str], *, bare: Relation = "exactly") -> tuple[Relation, int, int | None]:
    return read_count(
        m.group("rel"), m.group("n"), m.group("m"), m.group("suffix"), m.group("plus"), bare=bare
    )


def _spec(build: Builder, relation: Relation, n: int, n_max: int | None) -> Expr | None:
    try:
        return build(relation, n, n_max)
    except RequirementError:
        return None


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
