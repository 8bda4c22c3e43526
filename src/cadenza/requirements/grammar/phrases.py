"""Constraint phrases inside a sentence the grammar cannot read whole: "Write a story
of exactly 2 paragraphs about a man who ...", "Write a 300+ word summary of ...", "Write
a critique in all capital letters". The sentence is cut at the words that attach a
phrase to the task (of, with, in, using, within, without, ...); a run of pieces the
grammar reads whole as a measure of the whole answer (a count with its number, a case,
a language, a format, the answers it may give) is a reading of that span. The rest of the sentence
is the task or is left to the judge (`coverage.py` accounts for what a span reading
leaves out). A span is never read from inside quotes."""

from __future__ import annotations

import re

from cadenza.requirements.grammar import parse
from cadenza.requirements.grammar.lexicon import THE_ANSWER, normalise
from cadenza.requirements.grammar.structure import named_parts
from cadenza.requirements.lang.build import flatten
from cadenza.requirements.lang.nodes import (
    AllOf,
    AnyOf,
    Bound,
    Case,
    Compare,
    Contains,
    Expr,
    Format,
    Language,
    Pattern,
    Select,
    Split,
    Text,
)
from cadenza.requirements.material import material
from cadenza.requirements.segment import DISTRIBUTIVE, quoted_spans

# the words that attach a phrase to the rest of the sentence
_ATTACH = (
    r"(?:of|with|in|into|using|within|without|under|about|on|for|(?:that|which)(?:'s|\s+is|\s+are)?|"
    r"where|while|and|but|to|describing|explaining|listing|showing|containing|including)"
)
# a phrase also ends after the letters it names ("in all capital letters | tell me ...")
_CUT = re.compile(rf"\s*(?:,|;|\(|\)|\b{_ATTACH}\b)\s*|(?<=\bletters)\s+", re.I)
# a question word ends a phrase and opens what the task is about ("explain in French | why ...")
_TOPIC = re.compile(r"\s+(?=(?:why|how|what|when|who)\b)", re.I)
_DANGLING = re.compile(rf"\b{_ATTACH}$", re.I)  # a piece ends where the next one begins
_MAX = 80  # characters: a constraint phrase is short (a quoted passage counts as one)
_DISTRIBUTED = re.compile(rf"\b{DISTRIBUTIVE}\b(?!\s+time)", re.I)  # not "each time"
_TRANSLATION = re.compile(r"\btranslat", re.I)
_OF_WORDS = re.compile(r"\bwords?\s+(?:or\s+phrases\s+)?(?:with|in|using|written\s+in)\s*$", re.I)
_LISTS_WORDS = re.compile(  # a phrase that names the words a text has, or has not
    r"(?:includ|contain|us|mention|featur|incorporat|say|writ|ha[sv]|with|avoid|do(?:es)?\s+not|"
    r"never)\w*\s+(?:\w+\s+){0,3}?(?:key\s*-?\s*words?|words?|phrases?|terms?|names?)\b|"
    r"(?:includ|contain|mention|us|say)\w*\s+⟦"
)
_BOUND_BEFORE = re.compile(
    r"\b(?:than|least|most|exactly|about|around|roughly|approximately|up\s+to|under|over|"
    r"below|above|within)"
    r"(?:\s+a\s+(?:total|maximum|minimum)\s+of)?\s*$",
    re.I,
)


def phrases(text: str, before: str = "") -> list[tuple[int, int, Expr]]:
    """Readings of spans of `text`, longest first, none overlapping, each with its
    offsets in `text`; `before` is what the sentence says before `text`."""
    found = list(_CUT.finditer(text))
    quotes = quoted_spans(text)
    ends = {e for _, e in quotes}  # what follows a quoted passage is said of it, or anew
    topics = {m.start() for m in _TOPIC.finditer(text)}  # where a phrase may end, not start
    cuts = sorted(
        {0, len(text), *ends, *topics, *(m.start() for m in found), *(m.end() for m in found)}
    )
    spans: list[tuple[int, int, Expr]] = []
    for i, start in enumerate(cuts):
        if start in topics or any(s < start < e for s, e in quotes):
            continue  # never read from inside quotes
        if _DISTRIBUTED.search(before + text[:start]):
            continue  # "each under 10 words": a measure of each unit, not of the answer
        if _BOUND_BEFORE.search(text[:start]):
            continue  # "less than a total of | 10 sentences": the bound is said before
        if _OF_WORDS.search(text[:start]):
            continue  # "words with | all capital letters": how some words are, not the answer
        for end in reversed(cuts[i + 1 :]):
            piece = text[start:end].strip(" ,;()").rstrip(".?!")  # the sentence's end mark
            if not piece or _length(piece) > _MAX or (start, end) == (0, len(text)):
                continue
            if _DANGLING.search(piece) or any(s < end and start < e for s, e, _ in spans):
                continue
            expr = parse(piece)
            if expr is None or not (
                _names_a_constraint(piece, expr) or _said_of_the_answer(text[:start], piece, expr)
            ):
                continue
            if isinstance(expr, Compare) and said_of_a_part(before + text[:start], piece):
                continue  # "The title must be in bold and | under 6 words": the title's
            if isinstance(expr, Language) and _TRANSLATION.search(text):
                continue  # "a translation of X in German": the translation's language
            offset = text.index(piece, start)
            spans.append((offset, offset + len(piece), expr))
            break
    if not spans and (both := named_parts(text.strip().rstrip(".!"))) is not None:
        start = len(text) - len(text.lstrip())  # the divider, not what the parts hold
        spans.append((start, start + len(text.strip().rstrip(".!")), both))
    return sorted(spans)


# a part of the answer named as the subject ("the title", "each paragraph", "give it a
# heading"), and the answer itself ("your response", "it")
_PART = re.compile(
    r"\b(?:the|your|its|their|this|that|a|an|one|each|every|first|last)\s+(?:[\w-]+\s+)?"
    r"(?:title|heading|headline|subject\s+line|greeting|sign-?off|signature|paragraph|sentence|"
    r"line|bullet(?:\s+point)?|section|item|step|stanza|verse|chapter|point|intro(?:duction)?|"
    r"conclusion|opening|closing|postscript|p\.?s\.?)s?\b",
    re.I,
)
_JOINED = re.compile(r"(?:\b(?:and|but|or)|[,;:–—-])\s*$", re.I)
_BARE = re.compile(
    r"\W*((?:and|but|or)\s+)?(?:(?:in|with)\s+)?(?:under|over|below|above|fewer|less|more|"
    r"at\s+(?:least|most)|no\s+(?:more|less|fewer|longer|shorter|over)|not\s+(?:more|over|longer)|"
    r"between|exactly|max(?:imum)?|min(?:imum)?|up\s+to|within|around|about|roughly|"
    r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|fifty)\b",
    re.I,
)
_WHOLE = re.compile(rf"\b(?:{THE_ANSWER}|it|all\s+of\s+it|everything|the\s+whole\s+thing)\b", re.I)


def said_of_a_part(before: str, piece: str) -> bool:
    """Whether `piece`, a measure said without a verb or a subject of its own ("under 6
    words") after "and", "but" or a comma, is a part's: the last subject `before` names
    is a part of the answer ("The title must be in bold and ..."), not the answer ("Your
    reply must be formal and ..."). "... and have less than 5 sentences" and "... and
    should not contain commas" have verbs: said of the answer."""
    bare = _BARE.match(piece)
    if bare is None or not (bare.group(1) or _JOINED.search(before)):
        return False
    parts = [m.start() for m in _PART.finditer(before)]
    wholes = [m.start() for m in _WHOLE.finditer(before)]
    return bool(parts) and (not wholes or parts[-1] > wholes[-1])


def _length(piece: str) -> int:
    """How long a piece is, each quoted passage in it counted as one character."""
    return len(piece) - sum(e - s - 1 for s, e in quoted_spans(piece))


def _names_a_constraint(piece: str, expr: Expr) -> bool:
    """A measure of the whole answer: a count, a case, a language, a format, or the
    absence of a mark or a letter said with "without" ("without using any commas"; "two
    people trying to avoid the letter t" is about the people). What a
    text starts or ends with, or contains, depends on what the phrase is attached to
    ("highlight sections by starting and ending with '*'"): not read from a phrase."""
    if _LISTS_WORDS.match(normalise(piece).text) and all(
        (isinstance(a, Contains) and any(c.isalnum() for c in a.text)) or _absence(a, words=True)
        for a in flatten(expr)
    ):
        return True  # "... that includes the keywords 'a' and 'b'", "without the word 'x'"
    if isinstance(expr, AllOf) and all(isinstance(a, (Case, Language)) for a in expr.items):
        return True  # "in lowercase Dutch"
    if isinstance(expr, AnyOf) and all(isinstance(a, Contains) for a in expr.items):
        return True  # the answers it may give, quoted: "with one of these phrases: 'a', 'b'"
    without = piece.lower().startswith("without ")  # "who try to avoid the letter t": theirs
    if isinstance(expr, AllOf) and all(_absence(e) for e in expr.items):
        return without
    if any(isinstance(a, Compare) and isinstance(a.count.unit, Split) for a in flatten(expr)):
        return True  # parts and their divider: "(separated by ***)"
    marked = expr.check if isinstance(expr, Select) and expr.mode == "last" else expr
    if isinstance(marked, Compare) and isinstance(marked.count.unit, Pattern):
        return True  # a marked part: "with a P.S. at the end", "with a title in << >>"
    if not isinstance(expr, (Compare, Case, Language, Format)):
        return False
    found = material(piece)
    return bool(found.numbers) or not isinstance(expr, Compare) or (without and _absence(expr))


def _said_of_the_answer(before: str, piece: str, expr: Expr) -> bool:
    """ "a riddle that doesn't use commas": an absence said of the text asked for."""
    return (
        re.search(r"\b(?:that|which)\s*$", before, re.I) is not None
        and re.match(r"(?:does\s+not|doesn't|do\s+not|don't|has\s+no|contains\s+no)\b", piece, re.I)
        is not None
        and _absence(expr)
    )


def _absence(expr: Expr, *, words: bool = False) -> bool:
    """ "without using any commas", "without the letter e": none of a mark or letter (or
    of a word, with `words`)."""
    return (
        isinstance(expr, Compare)
        and expr.bound == Bound("exactly", 0)
        and isinstance(expr.count.unit, Text)
        and (
            words
            or len(expr.count.unit.text) == 1
            or not any(c.isalnum() for c in expr.count.unit.text)
        )
    )
