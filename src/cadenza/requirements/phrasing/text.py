"""Small text helpers for the phrasing rules: sentence spans."""

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
