"""Contradictions between check specs, found before any model is called.

Only strict contradictions are reported: no text can pass both checks ("at least 300
words" and "at most 100 words"; all lowercase and all uppercase; exactly 3 and exactly
5 paragraphs; a keyword that is both required and forbidden ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from itertools import combinations

from cadenza.requirements.describe import describe
from cadenza.requirements.spec import (
    AllLowercase,
    AllUppercase,
    AnswerOption,
    BulletCount,
    CapitalWordCount,
    CharacterCount,
    CheckSpec,
    CodeBlockCount,
    EndsWith,
    ForbiddenCharacters,
    ForbiddenWords,
    HighlightCount,
    KeywordFrequency,
    KeywordsPresent,
    LetterFrequency,
    LineCount,
    MarkdownTableCount,
    NumberedItemCount,
    ParagraphCount,
    ParagraphFirstWord,
    PlaceholderCount,
    Postscript,
    RegexCount,
    RepeatRequest,
    ResponseLanguage,
    SectionCount,
    SentenceCount,
    SeparatedResponses,
    StartsWith,
    Title,
    WordCount,
    WrappedInQuotes,
    bounds,
)


@dataclass(frozen=True, slots=True)
class _Range:
    """The counts one spec allows for one measured quantity."""

    key: tuple[Hashable, ...]
    low: float
    high: float
    spec: CheckSpec


def find_conflicts(specs: Sequence[CheckSpec]) -> list[str]:
    """One message per contradictory pair: "'at least 300 words' contradicts 'at most
    100 words'". Empty when the specs can all hold at once."""
    out: list[str] = []
    seen: set[str] = set()

    def add(a: CheckSpec, b: CheckSpec, why: str) -> None:
        msg = f"{describe(a)!r} contradicts {describe(b)!r}" + (f": {why}" if why else "")
        if msg not in seen:
            seen.add(msg)
            out.append(msg)

    ranges = [r for spec in specs for r in _ranges(spec)]
    for r1, r2 in combinations(ranges, 2):
        if r1.key == r2.key and (r1.low > r2.high or r2.low > r1.high):
            add(r1.spec, r2.spec, "")
    for r in ranges:
        if r.low > r.high:
            out.append(f"{describe(r.spec)!r} can never hold")
    _length_conflicts(ranges, add)
    for a, b in combinations(specs, 2):
        why = _pair_conflict(a, b)
        if why is None:
            why = _pair_conflict(b, a)
            if why is not None:
                a, b = b, a
        if why is not None:
            add(a, b, why)
    return out


def _ranges(spec: CheckSpec) -> list[_Range]:
    """The counted quantities a spec constrains, keyed so that only like is compared."""
    inf = float("inf")
    key: tuple[Hashable, ...]
    match spec:
        case (
            WordCount()
            | SentenceCount()
            | LineCount()
            | BulletCount()
            | NumberedItemCount()
            | HighlightCount()
            | PlaceholderCount()
            | MarkdownTableCount()
            | CapitalWordCount()
        ):
            return [_Range((spec.family,), *bounds(spec.relation, spec.n, spec.n_max), spec)]
        case ParagraphCount():
            key = ("paragraphs", spec.marker)
            return [_Range(key, *bounds(spec.relation, spec.n, spec.n_max), spec)]
        case CharacterCount():
            key = (spec.family, spec.include_spaces)
            return [_Range(key, *bounds(spec.relation, spec.n, spec.n_max), spec)]
        case SectionCount():
            key = (spec.family, spec.marker)
            return [_Range(key, *bounds(spec.relation, spec.n, spec.n_max), spec)]
        case CodeBlockCount():
            key = (spec.family, (spec.language or "").lower())
            return [_Range(key, *bounds(spec.relation, spec.n, spec.n_max), spec)]
        case KeywordFrequency():
            key = ("keyword", spec.keyword.strip().lower(), spec.whole_word)
            return [_Range(key, *bounds(spec.relation, spec.n, spec.n_max), spec)]
        case KeywordsPresent():
            return [
                _Range(("keyword", k.strip().lower(), spec.whole_word), 1, inf, spec)
                for k in spec.keywords
            ]
        case LetterFrequency():
            key = (spec.family, spec.letter.lower())
            return [_Range(key, *bounds(spec.relation, spec.n, spec.n_max), spec)]
        case RegexCount():
            key = (
                spec.family,
                spec.pattern,
                spec.ignore_case,
                spec.multiline,
            )
            return [_Range(key, *bounds(spec.relation, spec.n, spec.n_max), spec)]
        case ParagraphFirstWord():
            if spec.paragraphs is None:
                return [_Range(("paragraphs", None), spec.nth, inf, spec)]
            return [_Range(("paragraphs", None), spec.paragraphs, spec.paragraphs, spec)]
        case SeparatedResponses():
            return [_Range((spec.family, spec.marker), spec.count, spec.count, spec)]
        case _:
            return []


def _length_conflicts(
    ranges: list[_Range], add: Callable[[CheckSpec, CheckSpec, str], None]
) -> None:
    """Every sentence and every paragraph holds at least one word."""
    words = [r for r in ranges if r.key == ("word_count",)]
    units = [r for r in ranges if r.key == ("sentence_count",) or r.key[0] == "paragraphs"]
    for w in words:
        for u in units:
            if w.high < u.low:
                add(w.spec, u.spec, "every sentence or paragraph needs at least one word")


def _pair_conflict(a: CheckSpec, b: CheckSpec) -> str | None:
    """Why `a` and `b` cannot both hold, or None. Called for (a, b) and (b, a)."""
    match a, b:
        case AllLowercase(), AllUppercase():
            return "a text with letters cannot be both"
        case AllLowercase(), CapitalWordCount() if bounds(b.relation, b.n, b.n_max)[0] >= 1:
            return "an all-lowercase text has no all-capital words"
        case AllLowercase(), AnswerOption() if all(_has_upper(o) for o in b.options):
            return "every allowed answer contains capital letters"
        case AllUppercase(), AnswerOption() if all(_has_lower(o) for o in b.options):
            return "every allowed answer contains lowercase letters"
        case AllLowercase(), StartsWith() | EndsWith() if b.case_sensitive and _has_upper(b.phrase):
            return "the phrase contains capital letters"
        case AllUppercase(), StartsWith() | EndsWith() if b.case_sensitive and _has_lower(b.phrase):
            return "the phrase contains lowercase letters"
        case ResponseLanguage(), ResponseLanguage() if _lang(a.language) != _lang(b.language):
            return "one answer cannot be in two languages"
        case ForbiddenWords(), KeywordsPresent():
            clash = [k for k in b.keywords if _forbidden_hits(a.words, k)]
            return f"{clash[0]!r} is both required and forbidden" if clash else None
        case ForbiddenWords(), KeywordFrequency() if bounds(b.relation, b.n, b.n_max)[0] >= 1:
            return (
                f"{b.keyword!r} is both required and forbidden"
                if _forbidden_hits(a.words, b.keyword)
                else None
            )
        case ForbiddenWords(), StartsWith() | EndsWith():
            return (
                "the phrase uses a forbidden word" if _forbidden_hits(a.words, b.phrase) else None
            )
        case ForbiddenCharacters(), _:
            required = _required_text(b)
            bad = sorted({c for c in a.characters for t in required if c in t})
            return f"it requires {' '.join(repr(c) for c in bad)}" if bad else None
        case StartsWith() | RepeatRequest(), StartsWith() | RepeatRequest():
            p, q = _start_text(a), _start_text(b)
            if p is None or q is None or p.startswith(q) or q.startswith(p):
                return None
            return "the answer cannot start with both"
        case EndsWith(), EndsWith():
            p, q = a.phrase.strip().lower(), b.phrase.strip().lower()
            return None if p.endswith(q) or q.endswith(p) else "the answer cannot end with both"
        case WrappedInQuotes(), StartsWith() | RepeatRequest():
            start = _start_text(b)
            if start is None or start.startswith(a.quote):
                return None
            return f"the answer must start with {a.quote}"
        case ParagraphFirstWord(), ParagraphFirstWord() if a.nth == b.nth:
            if a.word.lower() != b.word.lower():
                return f"paragraph {a.nth} cannot start with both words"
            return None
        case _:
            return None


def _required_text(spec: CheckSpec) -> list[str]:
    """Text a spec forces into the answer (for forbidden-character conflicts)."""
    match spec:
        case KeywordsPresent():
            return list(spec.keywords)
        case StartsWith() | EndsWith():
            return [spec.phrase.strip()]
        case RepeatRequest():
            return [spec.request.strip()] if spec.request else []
        case AnswerOption():
            # only when every option needs the character
            common = set(spec.options[0])
            for o in spec.options[1:]:
                common &= set(o)
            return ["".join(sorted(common))]
        case Postscript():
            return [spec.marker]
        case SeparatedResponses():
            return [spec.marker]
        case ParagraphCount() if spec.marker and bounds(spec.relation, spec.n, spec.n_max)[0] >= 2:
            return [spec.marker]
        case Title():
            return ["<<>>"]
        case WrappedInQuotes():
            return [spec.quote]
        case PlaceholderCount() if bounds(spec.relation, spec.n, spec.n_max)[0] >= 1:
            return ["[]"]
        case HighlightCount() if bounds(spec.relation, spec.n, spec.n_max)[0] >= 1:
            return ["*"]
        case SectionCount() if bounds(spec.relation, spec.n, spec.n_max)[0] >= 1:
            return [spec.marker]
        case KeywordFrequency() if bounds(spec.relation, spec.n, spec.n_max)[0] >= 1:
            return [spec.keyword]
        case _:
            return []


def _start_text(spec: CheckSpec) -> str | None:
    match spec:
        case StartsWith():
            return spec.phrase.strip().lower()
        case RepeatRequest():
            return spec.request.strip().lower() if spec.request else None
        case _:
            return None


def _forbidden_hits(words: tuple[str, ...], text: str) -> bool:
    return any(re.search(r"\b" + re.escape(w.strip()) + r"\b", text, re.IGNORECASE) for w in words)


def _has_upper(text: str) -> bool:
    return any(c.isupper() for c in text)


def _has_lower(text: str) -> bool:
    return any(c.islower() for c in text)


def _lang(code: str) -> str:
    return code.lower().split("-")[0]
