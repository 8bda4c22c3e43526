"""Small text helpers for the phrasing rules: sentence spans, quoted strings and word
lists ("the words 'bark' or 'run'", "keywords talented and tianjin")."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations whose dots do not end a sentence.
_ABBREV = re.compile(r"\b(?:i\.e|e\.g|etc|vs|Mr|Mrs|Ms|Dr|St|P\.P\.S|P\.S|No)\.", re.I)
_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n+")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence (or line) of a text and where it starts."""

    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences at ``. ! ?`` followed by space, and at line breaks.
    Dots of common abbreviations (i.e., e.g., P.S.) do not split."""
    masked = _ABBREV.sub(lambda m: m.group(0).replace(".", "\0"), text)
    out: list[Sentence] = []
    start = 0
    for m in _END.finditer(masked):
        if m.start() > start:
            out.append(Sentence(start, text[start : m.start()]))
        start = m.end()
    if start < len(text):
        out.append(Sentence(start, text[start:]))
    return [s for s in out if s.text.strip()]


QUOTED = r"(?:\"[^\"\n]+\"|“[^”\n]+”|”[^”\"\n]+[\"”]|'[^'\n]+'|‘[^’\n]+’|`[^`\n]+`)"
_QUOTED_RE = re.compile(QUOTED)
_STRIP = " \t\n\"'“”‘’`[]()*:"


def unquote(text: str) -> str:
    return text.strip().strip(_STRIP).strip()


def quoted_strings(text: str) -> list[str]:
    """The strings inside quotes in `text`, in order (apostrophes inside words, like
    "don't", are not quotes)."""
    found: list[str] = []
    for m in _QUOTED_RE.finditer(text):
        raw = m.group(0)
        if raw[0] in "'‘" and m.start() > 0 and text[m.start() - 1].isalnum():
            continue  # an apostrophe: don't, it's
        inner = unquote(raw)
        if inner:
            found.append(inner)
    return found


_LIST_STOP = re.compile(
    r"\s+(?:in|into|inside|to|for|at|throughout|within|when|while|anywhere|somewhere|"
    r"as|from|on|during|because|so|but|if|should|must|will|can|are|is|be|each|either)\b"
    r"|\s*[.;:!?\n(]|,\s*(?:and\s+)?(?:make|use|do|don't|please|the|your|write|include|avoid|"
    r"highlight|wrap|be|it|you|also|answer|respond|end|finish|separate|mark)\b"
    r"|\s+and\s+(?:make|use|do|don't|please|the|your|write|include|avoid|highlight|wrap|be|it|"
    r"you|also|answer|respond|end|finish|separate|mark|should|must|has|have|is|are|with|"
    r"without|refrain|not|never|contain|in)\b",
    re.I,
)
_SPLIT = re.compile(r"\s*(?:,\s*(?:and|or)\s+|,|\s+and\s+|\s+or\s+|/)\s*", re.I)


def word_list(text: str, *, max_items: int = 12) -> tuple[str, ...]:
    """The list of words or phrases at the start of `text`: quoted items when the list
    is quoted ("'bark' or 'run'"), else the words up to the end of the clause
    ("talented and tianjin in your response" -> talented, tianjin)."""
    head = text.lstrip(" :")
    if head.startswith("["):  # a Python-style list: ['a', 'b']
        close = head.find("]")
        if close > 0:
            items = quoted_strings(head[: close + 1]) or _split_plain(head[1:close])
            return tuple(items[:max_items])
    if head[:1] in "\"'“”‘`":
        items = []
        pos = 0
        for m in _QUOTED_RE.finditer(head):
            between = head[pos : m.start()]
            if pos and not re.fullmatch(r"\s*(?:,|,?\s*and|,?\s*or|/|&)?\s*", between, re.I):
                break
            if not pos and m.start() != 0:
                break
            inner = unquote(m.group(0))
            if inner:
                items.append(inner)
            pos = m.end()
        return tuple(items[:max_items])
    stop = _LIST_STOP.search(head)
    clause = head[: stop.start()] if stop else head
    return tuple(_split_plain(clause)[:max_items])


def _split_plain(clause: str) -> list[str]:
    items = [unquote(p) for p in _SPLIT.split(clause)]
    out = [i for i in items if i and len(i.split()) <= 4 and re.search(r"\w", i)]
    return out
