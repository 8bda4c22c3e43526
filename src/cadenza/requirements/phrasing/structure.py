"""Phrasing rules that read the structure asked for across several sentences:
paragraph counts and their divider, the first word of the n-th paragraph, sections
marked "SECTION X", two responses split by a marker, and repeating the request."""

from __future__ import annotations

import re
from contextlib import suppress

from cadenza.errors import RequirementError
from cadenza.requirements.lang import build
from cadenza.requirements.phrasing.found import Found, found_in
from cadenza.requirements.phrasing.numbers import (
    COUNT,
    NUM,
    ORDINAL,
    ordinal_to_int,
    read_count,
    to_int,
)
from cadenza.requirements.phrasing.text import Sentence

_I = re.I
_ADJ = r"(?:[\w'-]*\w[ \t]+){0,2}?"  # words between a count and its noun, on one line
_STARS3 = re.compile(r"(?<!\*)\*\*\*(?!\*)|\b(?:3|three)\s+asterisks?\b", _I)
_STARS6 = re.compile(r"\*{6}|\b(?:6|six)\s+asterisks?\b", _I)
_PARAGRAPHS = re.compile(rf"\b{COUNT}[ \t-]+{_ADJ}paragraphs?\b", _I)
_PARTS = re.compile(rf"\b{COUNT}[ \t-]+{_ADJ}(?:parts?|sections?|stanzas?|portions?|steps?)\b", _I)
_WORD = r"[\"'“‘]?(?P<w>[A-Za-z][\w'-]*)[\"'”’]?"
_FIRST_WORD = [
    re.compile(
        rf"\bparagraph\s+(?:number\s+)?(?P<n>{NUM})\s+(?:must|should|has\s+to|needs\s+to|will|shall)?"
        rf"\s*(?:start|begin)s?\s+with\s+(?:the\s+)?(?:word\s+)?{_WORD}",
        _I,
    ),
    re.compile(
        rf"\b(?:very\s+)?(?P<o>{ORDINAL})\s+paragraph\s+(?:must|should|has\s+to|needs\s+to|will|shall)?"
        rf"\s*(?:start|begin)s?\s+with\s+(?:the\s+)?(?:word\s+)?{_WORD}",
        _I,
    ),
    re.compile(
        rf"\b(?:start|begin)\s+(?:the\s+)?(?:(?P<o>{ORDINAL})\s+paragraph|paragraph\s+(?P<n>{NUM}))"
        rf"\s+with\s+(?:the\s+)?(?:word\s+)?{_WORD}",
        _I,
    ),
    re.compile(
        rf"\bfirst\s+word\s+of\s+(?:the\s+|your\s+)?(?:(?P<o>{ORDINAL})\s+paragraph|paragraph\s+(?P<n>{NUM}))"
        rf"\s+(?:must|should|has\s+to|needs\s+to|will|is)?\s*(?:be\s+)?{_WORD}",
        _I,
    ),
]


def _paragraph_count(text: str) -> tuple[re.Match[str] | None, bool]:
    """The count of paragraphs asked for (or of parts/sections when none), and whether
    it counted paragraphs proper."""
    m = _PARAGRAPHS.search(text)
    if m is not None:
        return m, True
    return _PARTS.search(text), False


# "Separate your thinking and the final answer by ***": two named parts, so exactly two.
_TWO_THINGS = re.compile(
    r"\bseparate\s+(?:the\s+|your\s+|my\s+)?(?!(?:the\s+)?(?:paragraphs|parts|sections)\b)"
    r"\w+(?:\s+\w+)?\s+(?:and|from)\s+(?:the\s+|your\s+)?\w+(?:\s+\w+)?\s+"
    r"(?:by|with|using)\b",
    re.I,
)


def paragraphs(text: str, sents: list[Sentence]) -> list[Found]:
    """ "N paragraphs", with the *** divider when the text names it, or the first word
    of the n-th paragraph (blank-line paragraphs)."""
    out: list[Found] = []
    first_word = _first_word(text)
    stars = _STARS3.search(text)
    count, proper = _paragraph_count(text)
    if first_word is not None:
        nth, word, where = first_word
        paragraphs_n = None
        if count is not None and proper:
            _, paragraphs_n, _ = read_count(count.group("rel"), count.group("n"), count.group("m"))
        if nth == -1:
            nth = paragraphs_n or 1
        spec = build.first_word_of_paragraph(
            nth, word, paragraphs_n if paragraphs_n is not None and paragraphs_n >= nth else None
        )
        return [Found(where[0], where[1], "paragraph_first_word", (spec,))]
    if stars is not None and not _STARS6.search(text[max(0, stars.start() - 3) : stars.end() + 3]):
        if count is None:
            count, proper = _PARTS.search(text), False
        sentence = _sentence_at(sents, count.start() if count else stars.start())
        if count is not None:
            relation, n, n_max = read_count(
                count.group("rel"),
                count.group("n"),
                count.group("m"),
                count.group("suffix"),
                count.group("plus"),
                bare="exactly",
            )
        else:
            # no count given: a template with *** lines shows how many parts are wanted
            dividers = len(re.findall(r"^\s*\*\*\*\s*$", text, re.M))
            if dividers:
                relation, n, n_max = "exactly", dividers + 1, None
            elif _TWO_THINGS.search(sentence.text):  # "separate your thinking and the answer"
                relation, n, n_max = "exactly", 2, None
            else:
                relation, n, n_max = "at_least", 2, None
        with suppress(RequirementError):
            out.append(
                found_in(sentence, "paragraphs", build.paragraphs(relation, n, n_max, marker="***"))
            )
        return out
    if count is not None and proper:
        sentence = _sentence_at(sents, count.start())
        if re.search(
            r"\b(?:each|every|per)\s+(?:section|part|response|version)\b", sentence.text, _I
        ):
            return out
        relation, n, n_max = read_count(
            count.group("rel"),
            count.group("n"),
            count.group("m"),
            count.group("suffix"),
            count.group("plus"),
            bare="exactly",
        )
        with suppress(RequirementError):
            out.append(found_in(sentence, "paragraphs", build.paragraphs(relation, n, n_max)))
    return out


def _first_word(text: str) -> tuple[int, str, tuple[int, int]] | None:
    for pattern in _FIRST_WORD:
        m = pattern.search(text)
        if m is None:
            continue
        groups = m.groupdict()
        if groups.get("n"):
            nth = to_int(groups["n"])
        elif groups.get("o"):
            nth = ordinal_to_int(groups["o"])
        else:
            continue
        return nth, m.group("w"), (m.start(), m.end())
    return None


def _sentence_at(sents: list[Sentence], pos: int) -> Sentence:
    for s in sents:
        if s.start <= pos < s.end:
            return s
    return sents[-1]


_MARKER = re.compile(
    r"\b(?:with|by|as|using|start(?:ing|s)?\s+with|begin(?:ning|s)?\s+with|marked|labell?ed|"
    r"noted\s+as|titled|include|including|named)\s+(?:the\s+)?(?:(?:word|marker|heading)\s+)?"
    r"[\"'“‘]?(?P<marker>[A-Za-z]+)\s+(?:X|N|\d+|\[?x\]?|\{x\}|#)[\"'”’]?(?![\w])",
)
_MARKER_EXAMPLE = re.compile(
    r"\((?P<marker>[A-Z][A-Za-z]+)\s+1\s+and\s+(?P=marker)\s+2\)|[\"“](?P<quoted>[A-Za-z]+)\s+1[\"”]"
)
_SECTIONS = re.compile(rf"\b{COUNT}[\s-]+{_ADJ}(?:sections?|parts?|days?|chapters?)\b", _I)


def sections(text: str, sents: list[Sentence]) -> list[Found]:
    """ "N sections, mark each with SECTION X" (the marker word is kept as written)."""
    marker_match = None
    for m in _MARKER.finditer(text):
        if (
            m.group("marker").lower() in ("p", "s", "ps", "a", "the", "paragraph")
            and m.group("marker") != "PARAGRAPH"
        ):
            continue
        if re.search(
            r"\bsections?\b|\bparts?\b|\beach\b|\bmark\b",
            text[max(0, m.start() - 80) : m.end()],
            _I,
        ):
            marker_match = m
            break
    if marker_match is None:
        marker_match = _MARKER_EXAMPLE.search(text)
    if marker_match is None:
        return []
    marker = marker_match.group("marker") or marker_match.group("quoted")
    count = _SECTIONS.search(text)
    if count is not None:
        # "must have 4 sections": at least 4 marked sections (a text in two versions has
        # each version's sections)
        relation, n, n_max = read_count(
            count.group("rel"),
            count.group("n"),
            count.group("m"),
            count.group("suffix"),
            count.group("plus"),
            bare="at_least",
        )
    else:
        relation, n, n_max = "at_least", 1, None
    try:
        spec = build.sections(relation, n, n_max, marker=marker)
    except RequirementError:
        return []
    where = _sentence_at(sents, marker_match.start())
    return [found_in(where, "sections", spec)]


_TWO = re.compile(
    r"\b(?P<n>two|2|three|3)\s+(?:different\s+|separate\s+|distinct\s+|alternative\s+)?"
    r"(?:responses|answers|versions|replies|jokes|poems|limericks|critiques|options|variants|"
    r"drafts|scenes|stories|parts|texts|essays|rewrites|paragraphs)\b",
    _I,
)


def separated(text: str, sents: list[Sentence]) -> list[Found]:
    stars = _STARS6.search(text)
    if stars is None:
        return []
    two = _TWO.search(text)
    count = to_int(two.group("n")) if two else 2
    return [
        found_in(_sentence_at(sents, stars.start()), "separated", build.separated(count, "******"))
    ]


# --------------------------------------------------------------------------- repeat

_REPEAT = re.compile(r"\b(?:repeat|repleat)\b", _I)
# What is repeated must be the request itself, said so: "repeat the request", "repeat
# the question above word for word" (never "repeat your favourite word in every
# sentence").
_REPEAT_OBJECT = re.compile(
    r"\brepeat(?:ing)?\s+(?:(?:the|this|my|your|exact|entire|whole|full|original|same|"
    r"following|above|below|user'?s?|given)\s+){0,3}(?:request|prompt|question|instructions?|"
    r"query|task)\b|"
    r"\brepeat(?:ing)?\s+(?:the|this)\s+(?:first\s+|last\s+|above\s+)?(?:sentence|line|text)\b"
    r"(?=.*\b(?:above|below|word\s+for\s+word|verbatim|without\s+change)\b)|"
    r"\brepeat(?:ing)?\s+the\s+(?:first\s+)?(?:sentence|line|text)\s+(?:above|below)\b",
    _I,
)


def repeat(text: str, sents: list[Sentence]) -> list[Found]:
    """ "First repeat the request word for word, then answer": the request to repeat is
    the text before the instruction, or after it when it says "below"/"following"."""
    for s in sents:
        if not _REPEAT.search(s.text) or not _REPEAT_OBJECT.search(s.text):
            continue
        if re.search(
            r"\b(?:do\s+not|don't|never)\s+repeat\b|\brepeat(?:ed|ing)?\s+(?:words?|letters?|phrases?)\b",
            s.text,
            _I,
        ):
            continue
        request = _request_around(text, s)
        spec = build.repeats(request)
        return [Found(s.start, s.end, "repeat_request", (spec,))]
    return []


def _request_around(text: str, s: Sentence) -> str | None:
    """The request the instruction at `s` asks to repeat (None when unclear)."""
    line_start = text.rfind("\n", 0, s.start) + 1
    block_end = text.find("\n\n", s.start)
    quoted = re.search(r"\brepeat\s+[\"“](?P<q>[^\"”]{10,})[\"”]", s.text, _I)
    if quoted is not None and quoted.group("q") in text[: s.start]:
        return quoted.group("q").strip()
    forward = re.search(r"\b(?:below|following|next)\b", s.text, _I) or line_start == 0
    if forward and block_end >= 0 and text[block_end:].strip():
        return text[block_end:].strip() or None
    before = text[:line_start].strip() if line_start else text[: s.start].strip()
    return before or None
