"""Deterministic reading of requirement phrasings ("at least 300 words", "no commas",
"end with the phrase X", "wrap your entire response in double quotes" ...).

`find_phrases(text)` runs every rule over a text (one requirement, or a whole prompt)
and returns what it found, each finding with the checks it stands for and the span of
text it was read from. It never calls a model; what it cannot read is left to the
compiler's LLM fallback and judge.
"""

from __future__ import annotations

from cadenza.requirements.lang.build import is_count
from cadenza.requirements.lang.nodes import AllOf, Compare, Expr, Pattern
from cadenza.requirements.phrasing import structure
from cadenza.requirements.phrasing.found import Found, Rule
from cadenza.requirements.phrasing.text import Sentence, sentences

__all__ = ["RULES", "Found", "Sentence", "find_phrases", "sentences"]

RULES: tuple[Rule, ...] = (
    structure.repeat,
    structure.separated,
    structure.sections,
    structure.paragraphs,
)


def find_phrases(text: str) -> list[Found]:
    """Every check the text asks for, in text order, without duplicates."""
    sents = sentences(text)
    if not sents:
        return []
    found: list[Found] = []
    for rule in RULES:
        found.extend(rule(text, sents))
    return _reconcile(sorted(found, key=lambda f: (f.start, f.end)))


def _reconcile(found: list[Found]) -> list[Found]:
    """Drop findings another finding makes redundant or contradicts."""
    has_first_word = any(
        f.rule == "paragraph_first_word" and isinstance(f.specs[0], AllOf) for f in found
    )
    paragraph_sections = any(
        f.rule == "sections"
        and isinstance(e := f.specs[0], Compare)
        and isinstance(e.count.unit, Pattern)
        and e.count.unit.regex.lower().startswith("paragraph")
        for f in found
    )
    out: list[Found] = []
    seen: set[str] = set()
    for f in found:
        kept: list[Expr] = []
        for spec in f.specs:
            if (
                f.rule == "paragraphs"
                and is_count(spec, "paragraph")
                and (has_first_word or paragraph_sections)
            ):
                continue
            key = repr(spec)
            if key in seen:
                continue
            seen.add(key)
            kept.append(spec)
        if kept:
            out.append(Found(f.start, f.end, f.rule, tuple(kept)))
    return out
