"""Screens for degenerate answers: text that cannot be doing its task, whatever the
task, found without a model call, in any script.

- empty: nothing but blanks;
- a tool's output given as the answer that gives instructions (prompt injection);
- an answer that speaks to its grader ("ignore all previous instructions", "answer yes",
  "this answer meets every requirement"): the yes/no judge is a small model that such
  words sway, so they fail the answer before it is judged;
- loop: a span repeated back to back over most of the text (spans of words; of
  characters in scripts without spaces), or the whole answer said twice;
- cut off: the provider stopped at the token limit (finish reason ``length``), or the
  text stops mid-sentence (an open code block, a last line ending on "the" or a comma);
- the request pasted back, alone or in front of too little to do the task;
- a refusal ("Sorry, but I cannot ...", "As a language model, I do not ...");
- only a title (one line in title form: ``<<...>>``, a markdown heading, "Title: ...")
  where the request asks for more than a title;
- far too short for what the task asks (`cadenza.requirements.asked`).

Each screen reports a `Finding` with a reason and a fix hint. A `certain` finding fails
the answer; an uncertain one (a refusal followed by more text, a text mostly copied
from the request, a last line that may be cut) is left to the judge. Repetition the
task asks for ("repeat the word ...") is not a loop.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from cadenza.requirements.asked import Expected
from cadenza.requirements.lang.units import BULLET_MARK
from cadenza.requirements.words import FUNCTION_WORDS, token_spans

Kind = Literal[
    "empty",
    "loop",
    "cut_off",
    "request_back",
    "refusal",
    "too_short",
    "tool_instructions",
    "title_only",
    "addresses_judge",
]


@dataclass(frozen=True, slots=True)
class Finding:
    """What is wrong with an answer: `reason` and `hint` are sentences for the verdict
    and the fix; `certain` findings fail the answer, the others go to the judge."""

    kind: Kind
    reason: str
    hint: str
    certain: bool


LOOP_SHARE = 0.5
"""The least share of the text a repeated span covers to be a loop."""
LOOP_TIMES = 3
"""The fewest copies of a span in a loop (a whole answer said twice aside)."""
_NGRAM = 3
_TWICE_LEAST = 8
_QUOTE_CHARS = 60


def screen_text(
    text: str,
    request: str,
    asked: Expected,
    *,
    finish_reason: str = "",
    from_tool: bool = False,
    restates_request: bool = False,
) -> Finding | None:
    """What makes `text` not an answer to `request` (None: nothing found): the first
    certain finding, else the first uncertain one, in the order of the module
    docstring's list. `finish_reason` is the provider's (``length``: cut at the token
    limit); `from_tool`: the text is a tool's output, not written by the model;
    `restates_request`: a requirement asks for the request to be repeated."""
    stripped = text.strip()
    if not stripped:
        return Finding("empty", "the answer is empty", "answer the request", True)
    spans = token_spans(stripped)
    words = [t for t, _, _ in spans]
    restated = restates_request or asked.restates_request
    found = [
        f
        for f in (
            tool_instructions(stripped) if from_tool else None,
            addresses_judge(stripped),
            loop(stripped, spans, asked, request),
            cut_off(stripped, finish_reason),
            request_back(words, request, asked, restated),
            refusal(stripped, len(words)),
            title_only(stripped, request),
            too_short(stripped, words, asked),
        )
        if f is not None
    ]
    return next((f for f in found if f.certain), found[0] if found else None)


# ------------------------------------------------------------------ sizes


def too_short(text: str, words: list[str], asked: Expected) -> Finding | None:
    """Under the floor of what the task asks for. A character of a script without
    spaces counts as a word (generous: such a word is often two or more characters,
    and a false "too short" costs a good answer)."""
    size = len(words)
    if not asked.min_words or size >= asked.min_words:
        return None
    shown = _quote(text)
    words_said = f"{size} word{'' if size == 1 else 's'}"
    return Finding(
        "too_short",
        f"the answer ({words_said}: '{shown}') is far too short to be {asked.kind}",
        f"write {asked.kind} in full, as the task asks",
        True,
    )


_TITLE_FORM = re.compile(
    r"<<[^<>\n]{1,150}>>|#{1,6}[ \t]+\S[^\n]{0,150}|(?i:title)[ \t]*:[ \t]*\S[^\n]{0,150}"
)
_TITLE_ASKED = re.compile(
    r"\b(?:give|suggest|write|propose|come\s+up\s+with|think\s+of|need|want|choose|pick|"
    r"create|generate|make)\b(?P<gap>[^.?!\n]{0,40}?)\b(?:title|headline|heading|name|slogan|"
    r"tagline|caption)s?\b|\b(?:title|headline|name|slogan|tagline)s?\s+(?:for|of)\b"
    r"|\bwhat\s+(?:should|could|would|shall)\s+(?:i|we)\s+(?:call|name|title)\b"
    r"|(?:^|[.?!:]\s+)name\s+(?:a|an|one|two|three|some|\d+)\b",
    re.I,
)
_THE_ANSWERS_OWN = re.compile(r"\b(?:it|them|each|every|your|its|the\s+answer)\b", re.I)
"""A title given to the answer itself ("give it a title", "your answer must have a
title"): a part of the answer, not what is asked for."""


def _title_asked(request: str) -> bool:
    return any(
        not _THE_ANSWERS_OWN.search(m.group("gap") or "")
        for m in _TITLE_ASKED.finditer(_QUOTED_SPANS.sub(" ", request))
    )


def title_only(text: str, request: str) -> Finding | None:
    """The answer is one line in a title's form and nothing else. Certain when the
    request does not ask for a title or a name; when it may (\"suggest a title for
    ...\"), left to the judge."""
    if "\n" in text or not _TITLE_FORM.fullmatch(text):
        return None
    if re.search(r"[.!?]\W*$", text):
        return None  # a sentence, even in a title's brackets: "<<Yes, it is.>>"
    asked = _title_asked(request)
    return Finding(
        "title_only",
        f"the answer is only a title ('{_quote(text)}'), not what the request asks for",
        "write the answer itself under the title",
        not asked,
    )


_QUOTED_SPANS = re.compile(r"\"[^\"]*\"|“[^”]*”|<<[^<>]*>>")


# ------------------------------------------------------------------ loops


def loop(
    text: str, spans: list[tuple[str, int, int]], asked: Expected, request: str
) -> Finding | None:
    """A span repeated back to back (`LOOP_TIMES` or more times over at least
    `LOOP_SHARE` of the text), or the whole answer (four fifths of it) said twice. A
    refrain between verses, a line opening repeated, a template filled in for each item
    are not loops: what follows a copy of the span is not the span again."""
    words = _counted_alike(spans)
    found = _tandem(words) if len(words) >= 3 * _NGRAM else None
    if found is None:
        return _same_lines(text, asked, request)
    start, period, times = found
    share = period * times / (len(words) - _request_prefix(words, request))
    twice = times == 2
    if twice and (period < _TWICE_LEAST or share < 0.8):
        return None
    if not twice and (times < LOOP_TIMES or share < LOOP_SHARE):
        return None
    first = spans[start][1]
    last = spans[start + period][1] if start + period < len(spans) else len(text)
    phrase = _quote(text[first:last].strip())
    if asked.repetition and _mentioned(words[start : start + period], request):
        return None
    if twice:
        reason = f"the answer says the same thing twice ('{phrase}' and again)"
        hint = "write it once, and do the task"
    else:
        reason = f"the answer repeats '{phrase}' {times} times ({share:.0%} of the text)"
        hint = "write it once and finish the task"
    return Finding("loop", reason, hint, not asked.repetition)


_ITEM_MARK = re.compile(rf"^\s*(?:{BULLET_MARK}|\d+[.)]|[a-z][.)])?\s*", re.I)


def _same_lines(text: str, asked: Expected, request: str) -> Finding | None:
    """Three lines or more, most of them copies of one line once list marks and
    numbers are left out ("- apple" five times for five fruits), unless the request
    asks for that line repeated."""
    lines = [_ITEM_MARK.sub("", ln).strip().casefold() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    if len(lines) < 3:
        return None
    line, times = Counter(lines).most_common(1)[0]
    if times < 3 or 2 * times <= len(lines):
        return None
    if asked.repetition and _mentioned([t for t, _, _ in token_spans(line)], request):
        return None
    reason = f"{times} of the answer's {len(lines)} lines are the same ('{_quote(line)}')"
    return Finding("loop", reason, "write each item once, and do the task", not asked.repetition)


def _counted_alike(spans: list[tuple[str, int, int]]) -> list[str]:
    """The words of `spans`, every number made one word: "1. safeguard" and "2.
    safeguard" are the same span repeated."""
    return ["0" if w.isdigit() else w for w, _, _ in spans]


def _request_prefix(words: list[str], request: str) -> int:
    """How many words the text opens with that copy the request word for word (a
    request repeated as asked, before the answer proper); 0 under eight."""
    asked = _counted_alike(token_spans(request))
    n = 0
    while n < min(len(words), len(asked)) and words[n].casefold() == asked[n].casefold():
        n += 1
    return n if n >= 8 else 0


def _tandem(words: list[str]) -> tuple[int, int, int] | None:
    """The longest stretch of `words` that is one span repeated back to back (a copy
    may differ in a fifth of its words): where it starts, the span's length (the
    period) and how many copies it holds. Periods tried are the gaps between repeats
    of the same n-gram."""
    gaps: Counter[int] = Counter()
    last: dict[tuple[str, ...], int] = {}
    for i in range(len(words) - _NGRAM + 1):
        gram = tuple(words[i : i + _NGRAM])
        if gram in last:
            gaps[i - last[gram]] += 1
        last[gram] = i
    best: tuple[int, int, int] | None = None
    best_length = 0
    for period, _ in gaps.most_common(8):
        start, length = _run(words, period)
        region = length + period
        if region > best_length and region >= 2 * period:
            best, best_length = (start, period, region // period), region
    return best


def _run(words: list[str], period: int) -> tuple[int, int]:
    """The longest stretch where a word equals the word `period` later, allowing one
    mismatch in five (Kadane's maximum sum: +1 a match, -4 a mismatch)."""
    best_sum = 0
    best = (0, 0)
    total, begin = 0, 0
    for i in range(len(words) - period):
        if total <= 0:
            total, begin = 0, i
        total += 1 if words[i] == words[i + period] else -4
        if total > best_sum:
            best_sum, best = total, (begin, i + 1 - begin)
    return best


def _mentioned(unit: list[str], request: str) -> bool:
    """Whether the repeated words are ones the request names (the word it asks to be
    repeated)."""
    asked = {t for t, _, _ in token_spans(request)}
    content = [w for w in unit if w not in FUNCTION_WORDS]
    return bool(content) and all(w in asked for w in content)


# ------------------------------------------------------------------ cut off

_OPEN_ENDING = re.compile(r"[,;:(\[{/–—-]$")
_TERMINAL = ".!?。！？…\"'”’)]}*`>|»"


def cut_off(text: str, finish_reason: str) -> Finding | None:
    """Stopped at the token limit (certain), or ending mid-sentence (uncertain)."""
    tail = _quote(text[-_QUOTE_CHARS:], end=True)
    if finish_reason == "length":
        return Finding(
            "cut_off",
            f"the answer was cut off at the token limit (it ends '{tail}')",
            "write a complete answer that fits: shorter, ending with a finished sentence",
            True,
        )
    if text.count("```") % 2 == 1:
        return Finding(
            "cut_off",
            "the answer stops inside a code block that is never closed",
            "finish the code and close the block",
            False,
        )
    last = text.rstrip().splitlines()[-1].strip()
    line_words = [t for t, _, _ in token_spans(last)]
    if len(line_words) < 8 or last[-1] in _TERMINAL or re.match(r"^([-*+#>|]|\d+[.)])", last):
        return None
    if _OPEN_ENDING.search(last) or line_words[-1] in _DANGLING:
        return Finding(
            "cut_off",
            f"the answer stops mid-sentence (it ends '{tail}')",
            "finish the answer: end with a complete sentence",
            False,
        )
    return None


_DANGLING = frozenset(
    re.findall(
        r"\w+",
        "the a an and or but of to with for in on at by from as that which who whose my your "
        "their our its his her is are was were be been will would can could should",
    )
)


# ------------------------------------------------------------------ the request back


def request_back(words: list[str], request: str, asked: Expected, restated: bool) -> Finding | None:
    """The request pasted back: as the whole answer, or in front of too little to do
    the task (certain), or an answer mostly copied from the request (uncertain)."""
    asked_words = [t for t, _, _ in token_spans(request)]
    if len(asked_words) < 6 or len(words) < 4:
        return None
    matcher = difflib.SequenceMatcher(None, asked_words, words, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size >= 5]
    copied = sum(b.size for b in blocks)
    rest = len(words) - copied
    # the request is in the answer; where it asks to be repeated, the part it means
    # (the instruction to repeat it aside) may be all the answer opens with
    opens_with_it = restated and bool(blocks) and blocks[0].b == 0
    if copied >= 0.8 * len(asked_words) or opens_with_it:
        if restated:  # a name or a yes may be all the answer proper is
            floor = max(asked.min_words, 1)
            if rest >= floor:
                return None
            return Finding(
                "request_back",
                f"after the request repeated, the answer has only {rest} word(s) of its own",
                "after repeating the request, answer it in full",
                True,
            )
        if rest < max(asked.min_words, 3):
            return Finding(
                "request_back",
                f"the answer is the request pasted back, with {rest} word(s) of its own",
                "do not repeat the request: answer it",
                True,
            )
        if rest < 20:
            return Finding(
                "request_back",
                f"the answer is mostly the request pasted back ({rest} words of its own)",
                "do not repeat the request: answer it",
                False,
            )
        return None
    if not restated and copied >= 0.85 * len(words) and len(words) >= 8:
        return Finding(
            "request_back",
            f"the answer is mostly text copied from the request ({copied / len(words):.0%})",
            "write your own answer instead of copying the request's text",
            False,
        )
    return None


# ------------------------------------------------------------------ refusals

_APOLOGY = re.compile(
    r"^\W*(?:(?:i'?m|i\s+am)\s+(?:so\s+|very\s+|really\s+|truly\s+)?sorry|sorry|"
    r"(?:my\s+)?apologies|i\s+apologi[sz]e|unfortunately|regrettably)\b",
    re.I,
)
_SELF = re.compile(
    r"\bas\s+an?\s+(?:ai|artificial\s+intelligence|(?:large\s+)?language\s+model|llm|"
    r"ai\s+(?:language\s+)?model|ai\s+assistant|assistant|chatbot|virtual\s+assistant)\b",
    re.I,
)
_CANNOT = re.compile(
    r"\bi\s+(?:cannot|can\s*not|can'?t|can’t|am\s+unable\s+to|'m\s+unable\s+to|am\s+not\s+able\s+to|"
    r"'m\s+not\s+able\s+to|won'?t|won’t|will\s+not|must\s+decline|have\s+to\s+decline|"
    r"do\s+not\s+have\s+the\s+ability|don'?t\s+have\s+the\s+ability)\b(?!\s+help\s+but)",
    re.I,
)
_OPENING_CHARS = 240


def refusal(text: str, size: int) -> Finding | None:
    """An answer that opens by declining: an apology with "I cannot", or an "as a
    language model" disclaimer. An apology that declines with little after it:
    certain; a disclaimer, or more text after it (an answer may follow): the judge
    tells."""
    opening = _first_sentences(text)
    apology = _APOLOGY.search(opening) is not None
    declines = _CANNOT.search(opening) is not None
    if not (_SELF.search(opening) or (apology and declines)):
        return None
    shown = _quote(opening)
    if apology and declines and size <= 60:
        return Finding(
            "refusal",
            f"the answer declines the task ('{shown}')",
            "do the task the request asks for",
            True,
        )
    return Finding("refusal", f"the answer opens by declining ('{shown}')", "do the task", False)


def _first_sentences(text: str) -> str:
    """The opening of `text`: its first two sentences, at most `_OPENING_CHARS`."""
    head = text[:_OPENING_CHARS]
    ends = [m.end() for m in re.finditer(r"[.!?](?:\s|$)", head)]
    return head[: ends[1]] if len(ends) > 1 else head


# ------------------------------------------------------------------ tool output

_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+|my\s+)?"
    r"(?:previous|prior|above|earlier|preceding|former|other|system)?\s*"
    r"(?:instructions?|prompts?|rules|directions|guidelines|messages?)\b"
    r"|^\s*(?:system|assistant|developer)\s*:"
    r"|\byou\s+are\s+now\b|\bfrom\s+now\s+on,?\s+you\b|\bnew\s+instructions?\s*:"
    r"|\b(?:reply|respond|answer)\s+(?:only\s+)?(?:with|by\s+saying)\b",
    re.I | re.M,
)


def tool_instructions(text: str) -> Finding | None:
    """A tool's output that addresses the model with instructions: data, never an
    answer."""
    match = _INJECTION.search(text)
    if match is None:
        return None
    around = _quote(text[max(0, match.start() - 10) : match.end() + 40])
    return Finding(
        "tool_instructions",
        f"the answer is a tool's output that gives instructions ('{around}'): it is data, "
        "not an answer",
        "answer the task yourself, using the tool's output only as information",
        True,
    )


_TO_THE_GRADER = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:the\s+|your\s+)?"
    r"(?:previous|prior|above|earlier|preceding|other|system)\s+(?:instructions?|prompts?|rules)\b"
    r"|\b(?:answer|reply|respond|say|output)\s+(?:with\s+)?[\"'“]?yes[\"'”]?\s*(?:[.!]|$|to\b)"
    # "this answer", "this corrected answer", "the final revised draft"
    r"|\b(?:this|the|my)\s+(?:[a-z-]+\s+){0,2}"
    r"(?:answer|response|text|reply|output|version|draft|rewrite|revision)\s+"
    r"(?:(?:has\s+been|was|is)\s+(?:verified|checked|confirmed|tested)\s+to\s+)?"
    r"(?:meets?|satisf(?:y|ies)|pass(?:es)?|fulfill?s?|follows?|compl(?:y|ies)\s+with|"
    r"adheres?\s+to)\s+(?:every|all)"
    # what it meets is the prompt's ("all the requirements", "all of them."), not the
    # subject's ("the latest version meets all safety standards")
    r"(?:\s+(?:of\s+)?(?:(?:the|your|these|those|its)\s+)?(?:[a-z-]+\s+)?"
    r"(?:requirements?|instructions?|criteria|constraints?|rules|conditions|specifications)\b"
    r"|\s+of\s+them\b|\s*(?:[.!:;,]|$))",
    re.I | re.M,
)


_QUOTATION = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”|(?<![\w'])'[^'\n]{3,200}'(?![\w'])")


def addresses_judge(text: str) -> Finding | None:
    """Words addressed to whoever grades the answer, not to its reader (words quoted, as
    in an essay on prompt injection, are not)."""
    unquoted = _QUOTATION.sub(lambda m: " " * len(m.group(0)), text)
    match = _TO_THE_GRADER.search(unquoted)
    if match is None:
        return None
    around = _quote(text[max(0, match.start() - 10) : match.end() + 30])
    return Finding(
        "addresses_judge",
        f"the answer speaks to its grader ('{around}') instead of doing the task",
        "answer the task itself; say nothing to the grader",
        True,
    )


def gives_instructions(text: str) -> bool:
    """Whether `text` (a tool's output) addresses the model with instructions."""
    return _INJECTION.search(text) is not None


# ------------------------------------------------------------------ quoting


def _quote(text: str, *, end: bool = False) -> str:
    flat = " ".join(text.split())
    if len(flat) <= _QUOTE_CHARS:
        return flat
    return "…" + flat[-_QUOTE_CHARS:] if end else flat[:_QUOTE_CHARS] + "…"
