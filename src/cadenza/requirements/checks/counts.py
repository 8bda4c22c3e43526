"""Length checks: words, sentences, paragraphs, lines, characters, letters, regex matches.

Counting follows Google's IFEval checker: words are runs of ``\\w+``; sentences come
from NLTK punkt; paragraphs split by a marker (``***``) tolerate a single space around
the marker, and an empty paragraph between two markers fails the check.
"""

from __future__ import annotations

import re

from cadenza.requirements.checks import text as tx
from cadenza.requirements.checks.grade import count_verdict, failed, plural
from cadenza.requirements.spec import (
    CharacterCount,
    LetterFrequency,
    LineCount,
    ParagraphCount,
    RegexCount,
    SentenceCount,
    WordCount,
)
from cadenza.requirements.verdict import Verdict


def check_words(spec: WordCount, text: str) -> Verdict:
    return count_verdict(
        family=spec.family,
        relation=spec.relation,
        n=spec.n,
        n_max=spec.n_max,
        value=tx.word_count(text),
        noun="word",
        add_hint=lambda k: f"add about {k} words (develop the existing points further)",
        cut_hint=lambda k: f"cut about {k} words (drop the least important details)",
    )


def check_sentences(spec: SentenceCount, text: str) -> Verdict:
    return count_verdict(
        family=spec.family,
        relation=spec.relation,
        n=spec.n,
        n_max=spec.n_max,
        value=len(tx.sentences(text)),
        noun="sentence",
        add_hint=lambda k: f"add {plural(k, 'sentence')}",
        cut_hint=lambda k: f"remove or merge {plural(k, 'sentence')}",
    )


def check_paragraphs(spec: ParagraphCount, text: str) -> Verdict:
    if spec.marker is None:
        parts = tx.split_blank_line_paragraphs(text)
        count = sum(1 for p in parts if p.strip())
        how = "separated by blank lines"
    else:
        parts = tx.split_on_marker(text, spec.marker)
        empty_inside = [i for i, p in enumerate(parts) if not p.strip() and 0 < i < len(parts) - 1]
        count = sum(1 for p in parts if p.strip())
        how = f"separated by {spec.marker!r}"
        if empty_inside:
            return failed(
                spec.family,
                0.5,
                f"an empty paragraph between two {spec.marker!r} markers "
                f"(after paragraph {empty_inside[0]})",
                f"remove the doubled {spec.marker!r} marker so every marker sits between "
                "two paragraphs with text",
            )
    marker_hint = f" with a line {spec.marker!r} between paragraphs" if spec.marker else ""
    return count_verdict(
        family=spec.family,
        relation=spec.relation,
        n=spec.n,
        n_max=spec.n_max,
        value=count,
        noun="paragraph",
        detail=how,
        add_hint=lambda k: f"split or add {plural(k, 'paragraph')}{marker_hint}",
        cut_hint=lambda k: f"merge paragraphs to have {plural(k, 'paragraph')} fewer{marker_hint}",
    )


def check_lines(spec: LineCount, text: str) -> Verdict:
    count = sum(1 for line in text.splitlines() if line.strip())
    return count_verdict(
        family=spec.family,
        relation=spec.relation,
        n=spec.n,
        n_max=spec.n_max,
        value=count,
        noun="non-blank line",
        add_hint=lambda k: f"add {plural(k, 'line')}",
        cut_hint=lambda k: f"remove or join {plural(k, 'line')}",
    )


def check_characters(spec: CharacterCount, text: str) -> Verdict:
    body = text.strip()
    if not spec.include_spaces:
        body = re.sub(r"\s+", "", body)
    noun = "character" if spec.include_spaces else "non-space character"
    return count_verdict(
        family=spec.family,
        relation=spec.relation,
        n=spec.n,
        n_max=spec.n_max,
        value=len(body),
        noun=noun,
        add_hint=lambda k: f"add about {k} characters",
        cut_hint=lambda k: f"cut about {k} characters",
    )


def check_letter(spec: LetterFrequency, text: str) -> Verdict:
    letter = spec.letter.lower()
    count = text.lower().count(letter)
    return count_verdict(
        family=spec.family,
        relation=spec.relation,
        n=spec.n,
        n_max=spec.n_max,
        value=count,
        noun=f"letter {letter!r}",
        nouns=f"letters {letter!r}",
        add_hint=lambda k: f"use about {k} more words containing {letter!r}",
        cut_hint=lambda k: f"replace words containing {letter!r} to drop {k} of them",
    )


def check_regex(spec: RegexCount, text: str) -> Verdict:
    flags = (re.IGNORECASE if spec.ignore_case else 0) | (re.MULTILINE if spec.multiline else 0)
    matches = list(re.finditer(spec.pattern, text, flags))
    shown = ", ".join(repr(m.group(0)[:30]) for m in matches[:3])
    return count_verdict(
        family=spec.family,
        relation=spec.relation,
        n=spec.n,
        n_max=spec.n_max,
        value=len(matches),
        noun=f"match of /{spec.pattern}/",
        nouns=f"matches of /{spec.pattern}/",
        detail=f"e.g. {shown}" if shown else "",
        add_hint=lambda k: f"add {k} more text(s) matching /{spec.pattern}/",
        cut_hint=lambda k: f"rewrite {k} of the parts matching /{spec.pattern}/ ({shown})",
    )
