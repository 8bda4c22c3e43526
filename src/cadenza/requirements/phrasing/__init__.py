"""Deterministic reading of requirement phrasings ("at least 300 words", "no commas",
"end with the phrase X", "wrap your entire response in double quotes" ...).

`find_phrases(text)` runs every rule over a text (one requirement, or a whole prompt)
and returns what it found, each finding with the checks it stands for and the span of
text it was read from. It never calls a model; what it cannot read is left to the
compiler's LLM fallback and judge.
"""

from __future__ import annotations

from cadenza.requirements.lang.nodes import Expr
from cadenza.requirements.phrasing.found import Found, Rule
from cadenza.requirements.phrasing.text import Sentence, sentences

__all__ = ["RULES", "Found", "Sentence", "find_phrases", "sentences"]

RULES: tuple[Rule, ...] = ()


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
    """Drop the checks another finding made already."""
    out: list[Found] = []
    seen: set[str] = set()
    for f in found:
        kept: list[Expr] = []
        for spec in f.specs:
            key = repr(spec)
            if key in seen:
                continue
            seen.add(key)
            kept.append(spec)
        if kept:
            out.append(Found(f.start, f.end, f.rule, tuple(kept)))
    return out
