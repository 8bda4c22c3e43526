"""Prompt segmentation: which parts of a prompt impose requirements on the answer, and
which only talk about such things.

A prompt mixes the task ("Write a product blurb for beeswax candles") with
requirements on the answer ("no more than 50 words") and, sometimes, text that only
mentions constraint-like things as its subject ("What does writing in all caps mean
online?", "Translate 'reply in two sentences' into Spanish", "My teacher says never end
a sentence with a preposition"). `segments(prompt)` splits the prompt into sentences
and marks each one: a *directive* may impose requirements; a *question* asks about
something (constraint words in it are its subject, unless it is a request such as
"Can you write ... in under 100 words?"); *reported* speech quotes someone's rule;
text inside quotation marks is content, never an instruction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from cadenza.requirements.lang.units import BULLET_MARK
from cadenza.requirements.quoting import SINGLE_QUOTED
from cadenza.requirements.verbs import base_verb

SegmentKind = Literal["directive", "question", "reported"]

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*|\n|$)")
_QUOTED = re.compile(rf"”[^”\"\n]*[\"”]|\"[^\"\n]*\"|“[^”\n]*”|‘[^’\n]*’|{SINGLE_QUOTED}")
_ABBREV = re.compile(
    r"\b(?:(?:i\.e|e\.g|etc|vs|mr|mrs|ms|dr|st|no|incl)\.|(?:i\.e|e\.g)(?=\s)|p\.p\.s\b\.?|p\.s\b\.?)",
    re.I,
)
_WH = re.compile(
    r"^\s*(?:what|what's|whats|why|how|who|whom|whose|when|where|which|is|are|was|were|do|does|did|"
    r"has|have|had|should|would|could|can|will|shall|may|might|isn't|aren't|doesn't|don't)\b",
    re.I,
)
_REQUEST = re.compile(
    r"^\s*(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?(?:write|give|draft|make|create|"
    r"summari[sz]e|list|describe|explain|compose|suggest|tell|send|generate|help|rewrite|translate|"
    r"produce|provide|come\s+up|put|turn|format|prepare|plan|outline|recommend)\b",
    re.I,
)
_REPORTED = re.compile(
    r"\b(?:says|said|told\s+(?:me|us)|tells\s+(?:me|us)|read\s+that|heard\s+that|claims?|"
    r"the\s+rule|a\s+rule|rule\s+(?:that|is)|means?|meant(?!\s+(?:for|to|as)\b)|stands\s+for|"
    r"is\s+called|wrote|writes|"
    r"asked\s+(?:me|us)\s+to|wants?\s+(?:me|us)\s+to\s+know)\b",
    re.I,
)


# the marker a list line opens with: "- ", "* ", "+ ", "• ", "2. ", "3) "
LIST_MARK = re.compile(rf"^\s*(?:{BULLET_MARK}|\d+[.)])\s+")


# a word that makes the measure after it one of each unit ("3 bullets, each under 10 words")
DISTRIBUTIVE = r"(?:each|every|per|apiece)"


def is_request(text: str) -> bool:
    """Whether `text` asks for something as a question ("Can you write ...", "Could you
    pitch it at ...?", "Why not make it a fable?", "How about a recipe?")."""
    if _REQUEST.match(text) or _SUGGESTION.match(text):
        return True
    m = _ASKED.match(text)
    return m is not None and base_verb(m.group(1))


_ASKED = re.compile(  # "Would you consider yourself smart?" asks an opinion, not a text
    r"^\s*(?:(?:can|could)\s+(?:you|u)\s+(?:please\s+)?|(?:would|will)\s+(?:you|u)\s+please\s+)"
    r"([a-z]+)\b",
    re.I,
)
_SUGGESTION = re.compile(r"^\s*(?:why\s+not|how\s+about|what\s+about)\b", re.I)


@dataclass(frozen=True, slots=True)
class Segment:
    """One sentence of a prompt: where it is and what kind of sentence it is."""

    start: int
    end: int
    text: str
    kind: SegmentKind

    @property
    def imposes(self) -> bool:
        return self.kind == "directive"


def quoted_spans(prompt: str) -> list[tuple[int, int]]:
    """Where quoted text sits in the prompt (apostrophes inside words are not quotes)."""
    return [(m.start(), m.end()) for m in _QUOTED.finditer(prompt)]


def masked(prompt: str) -> str:
    """The prompt with every quoted passage blanked out (same length, same offsets), so
    no rule reads an instruction inside quotes."""
    out = list(prompt)
    for start, end in quoted_spans(prompt):
        for i in range(start + 1, end - 1):
            if not out[i].isspace():
                out[i] = "x"
    return "".join(out)


# A postscript marker ("P.S.", or "P.P.S" without its last dot), then a new sentence.
_MARKER_ENDS = re.compile(
    r"(?:(?<=\bP\0P\0S)|(?<=\bP\0P\0S\0)|(?<=\bP\0S)|(?<=\bP\0S\0))[ \t](?=[A-Z])"
)


def segments(prompt: str) -> list[Segment]:
    """The prompt's sentences, each marked directive, question or reported."""
    hidden = _ABBREV.sub(lambda m: m.group(0).replace(".", "\0"), masked(prompt))
    hidden = _MARKER_ENDS.sub("\n", hidden)  # "... starting with P.P.S The response must"
    out: list[Segment] = []
    for m in _SENTENCE.finditer(hidden):
        if not m.group(0).strip():
            continue
        start, end = m.start(), m.end()
        text = prompt[start:end]
        out.append(Segment(start, end, text, _kind(hidden[start:end])))
    return out


_FRAME = re.compile(
    r"^(?:here(?:'s|\s+is|\s+are)|this\s+is|these\s+are|below\s+is|the\s+following\s+is|there'?s)\b"
    r"(?!\s+(?:for|aimed\s+at|meant\s+for|intended\s+for|addressed\s+to|written\s+for)\b)",
    re.I,
)  # "This is the text: ..." introduces material; "This is for a class" asks for something


def _kind(sentence: str) -> SegmentKind:
    body = sentence.strip()
    if (_REPORTED.search(body) or _FRAME.match(body)) and not is_request(body):
        return "reported"
    asked = re.sub(r"^[^,?]{1,40},\s*", "", body)  # "In regex, how do I ...?"
    asked = _LEADING_CONDITION.sub("", asked)  # "If I miss my flight in Frankfurt, what ...?"
    if (
        body.endswith("?")
        and (_WH.match(body) or _WH.match(asked) or _OPEN_ASK.match(asked))
        and not is_request(body)
        and not is_request(asked)
    ):
        return "question"
    return "directive"


# A condition or a reason before the question itself, up to its comma or semicolon.
_LEADING_CONDITION = re.compile(
    r"^(?:if|when|whenever|unless|since|because|as|once|after|before|while|although|though)\b"
    r"[^?;,]{1,120}[,;]\s*",
    re.I,
)
# A question that asks for the answer itself without a question word: "Any ideas ...?"
_OPEN_ASK = re.compile(
    r"^\s*(?:any|got\s+any)\s+(?:ideas?|tips?|advice|suggestions?|recommendations?|thoughts?)\b",
    re.I,
)


def imposing(prompt: str, start: int, end: int) -> bool:
    """Whether text at [start, end) of the prompt may impose a requirement: it lies in a
    directive sentence and not entirely inside quotes."""
    for s, e in quoted_spans(prompt):
        if s <= start and end <= e:
            return False
    for seg in segments(prompt):
        if (seg.start <= start < seg.end or start <= seg.start < end) and seg.imposes:
            return True
    return False


_CLAUSE_BREAK = re.compile(
    r"\s*(?:[,;:]|\s(?:[-–—→]|->)\s|\band\b|\bbut\b|\bplus\b|\bwhere\b|\bin\s+which\b|\bso\s+that\b|"
    r"\bsuch\s+that\b|\bwhile\b)\s*"
)
_MODIFIER = re.compile(
    r"(?:starting|ending|beginning|using|separated|written|including|followed|marked|"
    r"wrapped|formatted|like|such\s+as|e\.g\.|i\.e\.|unless|except|if|or)\b",
    re.I,
)


_BRACKET = re.compile(r"\([^()\n]*\)")  # "(reasoning and the answer)": not cut at "and"
# "between 100 and 150 words": one range, not cut at its "and"
_BETWEEN = re.compile(r"\bbetween\s+[^\s,;:]+(?:\s+[^\s,;:]+)?\s+and\s", re.I)


def clauses(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """The clauses of one sentence as spans (shifted by `offset`): split at commas,
    semicolons, colons, dashes, "and", "but", "where" ...; a piece that only modifies
    the one before it ("..., starting with '#'", "unless ...") stays part of it, and
    quoted text is never split."""
    hidden = masked(text)
    inside = [(m.start(), m.end()) for m in _BRACKET.finditer(hidden)]
    inside += [(m.start(), m.end()) for m in _BETWEEN.finditer(hidden)]
    cuts = [
        (m.start(), m.end())
        for m in _CLAUSE_BREAK.finditer(hidden)
        if m.end() > m.start()
        and not (
            re.search(r"[a-z]", m.group(0), re.I)  # a joining word, not a mark
            and any(s < m.start() and m.end() <= e for s, e in inside)
        )
    ]
    pieces: list[tuple[int, int]] = []
    pos = 0
    for start, end in [*cuts, (len(text), len(text))]:
        if start > pos:
            pieces.append((pos, start))
        pos = max(pos, end)
    out: list[tuple[int, int]] = []
    for start, end in pieces:
        piece = text[start:end]
        if not piece.strip(" .!?\"'"):
            continue
        if out and (_MODIFIER.match(piece) or len(piece.split()) < 2):
            out[-1] = (out[-1][0], end)
            continue
        out.append((start, end))
    trimmed = []
    for s, e in out:
        piece = text[s:e]
        s += len(piece) - len(piece.lstrip())
        e -= len(piece) - len(piece.rstrip())
        trimmed.append((offset + s, offset + e))
    return trimmed
