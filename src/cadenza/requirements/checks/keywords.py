"""Keyword checks: keywords that must appear, forbidden words, how often a keyword
appears, and an answer chosen from fixed options.

As in IFEval: keywords match case-insensitively anywhere (also inside longer words)
unless `whole_word` is set; forbidden words match as whole words.
"""

from __future__ import annotations

import re

from cadenza.requirements.checks import text as tx
from cadenza.requirements.checks.grade import count_verdict, failed, passed, quote, where_sentences
from cadenza.requirements.spec import (
    AnswerOption,
    ForbiddenWords,
    KeywordFrequency,
    KeywordsPresent,
)
from cadenza.requirements.verdict import Verdict


def keyword_pattern(keyword: str, whole_word: bool) -> re.Pattern[str]:
    body = re.escape(keyword.strip())
    if whole_word:
        body = r"\b" + body + r"\b"
    return re.compile(body, re.IGNORECASE)


def check_keywords(spec: KeywordsPresent, text: str) -> Verdict:
    missing = [k for k in spec.keywords if not keyword_pattern(k, spec.whole_word).search(text)]
    total = len(spec.keywords)
    if not missing:
        return passed(spec.family, f"all {total} keyword(s) present")
    names = ", ".join(repr(k) for k in missing)
    return failed(
        spec.family,
        (total - len(missing)) / total,
        f"missing {len(missing)} of {total} keyword(s): {names}",
        f"use {names} in the answer (each at least once, spelled exactly so)",
    )


def check_forbidden_words(spec: ForbiddenWords, text: str) -> Verdict:
    sentences = tx.sentences(text)
    found: dict[str, list[int]] = {}
    for word in spec.words:
        where = [sentences.number_at(m.start()) for m in keyword_pattern(word, True).finditer(text)]
        if where:
            found[word] = where
    if not found:
        return passed(spec.family, f"none of the {len(spec.words)} forbidden word(s) used")
    uses = sum(len(v) for v in found.values())
    detail = "; ".join(f"{w!r} {len(v)}x (in {where_sentences(v)})" for w, v in found.items())
    return failed(
        spec.family,
        0.5**uses,
        f"forbidden word(s) used: {detail}",
        f"rewrite those sentences without {', '.join(repr(w) for w in found)} "
        "(use a synonym or rephrase)",
    )


def check_keyword_frequency(spec: KeywordFrequency, text: str) -> Verdict:
    pattern = keyword_pattern(spec.keyword, spec.whole_word)
    matches = list(pattern.finditer(text))
    word = spec.keyword.strip()
    inside = [m for m in matches if _inside_word(text, m.start(), m.end())]
    note = (
        f"{len(inside)} of them inside longer words such as "
        f"{quote(_word_around(text, inside[0].start(), inside[0].end()))}"
        if inside
        else ""
    )
    return count_verdict(
        family=spec.family,
        relation=spec.relation,
        n=spec.n,
        n_max=spec.n_max,
        value=len(matches),
        noun=f"occurrence of {word!r}",
        nouns=f"occurrences of {word!r}",
        detail=note,
        add_hint=lambda k: f"use {word!r} {k} more time(s)",
        cut_hint=lambda k: (
            f"replace {k} occurrence(s) of {word!r} with a synonym"
            + (" (this also counts it inside longer words)" if inside else "")
        ),
    )


def check_answer_option(spec: AnswerOption, text: str) -> Verdict:
    body = text.strip()
    for option in spec.options:
        if option in body:
            return passed(spec.family, f"answers with {option!r}")
    lowered = body.lower()
    near = [o for o in spec.options if o.lower().rstrip(".") in lowered]
    options = " / ".join(repr(o) for o in spec.options)
    if near:
        return failed(
            spec.family,
            0.7,
            f"uses {near[0]!r} but not exactly (case or punctuation differ)",
            f"write the option exactly as given: {near[0]!r}",
        )
    return failed(
        spec.family,
        0.0,
        f"none of the options {options} appears",
        f"answer with exactly one of: {options}",
    )


def _inside_word(text: str, start: int, end: int) -> bool:
    before = start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_")
    after = end < len(text) and (text[end].isalnum() or text[end] == "_")
    return before or after


def _word_around(text: str, start: int, end: int) -> str:
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end]
