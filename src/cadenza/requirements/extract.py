"""Find the requirements a prompt imposes on its answer, from the prompt text alone.

`extract_requirements(prompt)` is deterministic. It segments the prompt
(`segment.py`): only directive sentences impose requirements, never text inside
quotation marks, a question about something, or someone's reported rule. In those
sentences the grammar reads each clause ("no more than 50 words", "lowercase only")
and the phrasing rules read the longer phrasings prompts use ("Your response must
contain at least 3 paragraphs separated by ***"). Every requirement keeps the span of
the prompt it came from.

`extract_requirements_with_model` also asks a model for the requirements the rules did
not find (tone, audience, "British spelling", "no commentary"), each with the exact
words of the prompt it comes from; an item is kept only when those words are in the
prompt, in a directive sentence and outside quotes, and then compiled like a given
requirement (rules, the compiler, or the judge).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from cadenza.errors import ProviderError
from cadenza.prompts import render
from cadenza.providers.base import CompletionRequest, Message, Model
from cadenza.requirements import grammar
from cadenza.requirements.compile import CompiledRequirement, Compiler, compile_requirement
from cadenza.requirements.lang.build import all_of, flatten
from cadenza.requirements.lang.codec import to_text
from cadenza.requirements.lang.describe import describe
from cadenza.requirements.lang.nodes import Expr
from cadenza.requirements.rules import find_in_prompt
from cadenza.requirements.segment import imposing, masked, quoted_spans, segments
from cadenza.requirements.words import content_words
from cadenza.task import Requirement

EXTRACT_MAX_TOKENS = 320
EXTRACT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "requirements": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "quote": {"type": "string", "minLength": 2, "maxLength": 200},
                    "requirement": {"type": "string", "minLength": 2, "maxLength": 200},
                },
                "required": ["quote", "requirement"],
                "additionalProperties": False,
            },
            "maxItems": 6,
        }
    },
    "required": ["requirements"],
    "additionalProperties": False,
}
_MODIFIER = re.compile(
    r"\s*(?:starting|ending|beginning|using|separated|written|including|followed|marked|"
    r"wrapped|formatted|like|such\s+as|e\.g\.)\b",
    re.I,
)
_CLAUSES = re.compile(
    r"\s*(?:[,;:]|\s[-–—]\s|\band\b|\bbut\b|\bwhere\b|\bin\s+which\b|\bso\s+that\b|\bsuch\s+that\b)\s*"
)


def extract_requirements(prompt: str) -> list[CompiledRequirement]:
    """The checkable requirements the prompt imposes, in prompt order (no model)."""
    readings: list[tuple[int, int, Expr, str]] = []
    grammar_found = _grammar_readings(prompt)
    whole = [(s, e, expr) for s, e, expr, is_whole in grammar_found if is_whole]
    # A phrasing reading counts when the same rule also reads the prompt with every
    # quoted passage blanked out (so it is not an instruction inside quotes) and it
    # sits in a directive sentence.
    outside = {rule for r in find_in_prompt(masked(prompt)) for rule in r.rules}
    quotes = quoted_spans(prompt)
    phrased: list[tuple[int, int]] = []
    for r in find_in_prompt(prompt):
        if not outside & set(r.rules):
            continue
        if any(s <= r.start and r.end <= e for s, e in quotes):
            continue
        if not imposing(prompt, r.start, r.end):
            continue
        if any(s < r.end and r.start < e and not _says_more(r.expr, g) for s, e, g in whole):
            continue  # the grammar read that whole sentence, and the phrasing says no more
        readings.append((r.start, r.end, r.expr, ", ".join(r.rules)))
        phrased.append((r.start, r.end))
    marked_sections = any("sections" in r for *_, r in readings)
    for start, end, expr, _ in grammar_found:
        if any(s < end and start < e for s, e in phrased):
            continue  # the phrasing rules read this sentence, or the sentence it belongs to
        if marked_sections and '"section"' in to_text(expr):
            continue  # the prompt says how its sections are marked: not markdown sections
        readings.append((start, end, expr, "grammar"))
    out: list[CompiledRequirement] = []
    seen: set[Expr] = set()
    for start, end, expr, rules in sorted(readings, key=lambda x: x[0]):
        if expr in seen:
            continue
        seen.add(expr)
        text = " ".join(prompt[start:end].split())
        requirement = Requirement(description=text or describe(expr))
        out.append(
            CompiledRequirement(
                requirement,
                "rule",
                expr,
                why=f"read from the prompt by rule ({rules})",
                span=(start, end),
            )
        )
    return out


def _says_more(phrased: Expr, read: Expr) -> bool:
    """Whether a phrasing reading carries what the grammar read of the same sentence and
    more (a paragraph count read across sentences, a divider between paragraphs)."""
    mine = set(flatten(phrased))
    theirs = set(flatten(read))
    return "split" in to_text(phrased) or (theirs < mine)


def _grammar_readings(prompt: str) -> list[tuple[int, int, Expr, bool]]:
    """Directive sentences, or clauses of them, the grammar reads whole (and whether it
    was the whole sentence). A clause that only modifies the one before it ("..., starting
    with '#'") is not a requirement of its own."""
    out: list[tuple[int, int, Expr, bool]] = []
    for seg in segments(prompt):
        if not seg.imposes:
            continue
        whole = grammar.parse(seg.text)
        if whole is not None and imposing(prompt, seg.start, seg.end):
            out.append((seg.start, seg.end, whole, True))
            continue
        pos = 0
        for piece in _CLAUSES.split(seg.text):
            at = seg.text.find(piece, pos)
            pos = at + len(piece) if at >= 0 else pos
            if len(piece.split()) < 2 or at < 0 or _MODIFIER.match(piece):
                continue
            expr = grammar.parse(piece)
            start = seg.start + at
            if expr is not None and imposing(prompt, start, start + len(piece)):
                out.append((start, start + len(piece), expr, False))
    return out


async def extract_requirements_with_model(
    prompt: str,
    *,
    model: Model,
    compiler: Compiler | None = None,
) -> list[CompiledRequirement]:
    """`extract_requirements`, plus the model's reading of the prompt for requirements
    the rules missed. A model error leaves the deterministic result."""
    found = extract_requirements(prompt)
    try:
        items = await _ask_model(prompt, model)
    except ProviderError:
        return found
    known = {c.expr for c in found if c.expr is not None}
    spans = [c.span for c in found if c.span is not None]
    for quote, text in items:
        span = locate(prompt, quote)
        if span is None or not imposing(prompt, *span):
            continue  # not the prompt's own words, or not said as an instruction
        if any(s < span[1] and span[0] < e for s, e in spans):
            continue  # the rules already read this part
        if _is_the_task(prompt, span) or not _related(quote, text):
            continue
        compiled = compile_requirement(Requirement(description=text))
        if compiled.judged and compiler is not None:
            compiled = await compiler.compile(compiled.requirement, prompt)
        if compiled.expr is not None and compiled.expr in known:
            continue
        if compiled.expr is not None:
            known.add(compiled.expr)
        spans.append(span)
        found.append(
            CompiledRequirement(
                compiled.requirement,
                compiled.method,
                compiled.expr,
                compiled.rubric,
                f"found in the prompt by {model.id}; {compiled.why}",
                span,
            )
        )
    return sorted(found, key=lambda c: c.span[0] if c.span else 0)


async def _ask_model(prompt: str, model: Model) -> list[tuple[str, str]]:
    request = CompletionRequest(
        messages=(
            Message("system", render("extract_system")),
            Message("user", render("extract_user", prompt=prompt)),
        ),
        temperature=0.0,
        seed=0,
        max_tokens=EXTRACT_MAX_TOKENS,
        json_schema=EXTRACT_SCHEMA,
    )
    completion = await model.complete(request)
    return read_extract_answer(completion.text)


def read_extract_answer(text: str) -> list[tuple[str, str]]:
    """(quote, requirement) pairs from a model's JSON answer; anything malformed is
    dropped."""
    try:
        data = json.loads(text)
    except ValueError:
        return []
    items = data.get("requirements") if isinstance(data, dict) else None
    out: list[tuple[str, str]] = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        quote, requirement = item.get("quote"), item.get("requirement")
        if isinstance(quote, str) and isinstance(requirement, str) and requirement.strip():
            out.append((" ".join(quote.split()), " ".join(requirement.split())))
    return out


def locate(prompt: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` sits in the prompt (case and spacing aside), or None."""
    words = [re.escape(w) for w in quote.strip(" .,;:!?\"'").split()]
    if not words:
        return None
    m = re.search(r"\s+".join(words), prompt, re.I)
    return (m.start(), m.end()) if m else None


def _related(quote: str, requirement: str) -> bool:
    """Whether the requirement was read from the quoted words (they share a content
    word), so a model cannot attach a requirement to unrelated words of the prompt."""

    verbs = ("keep", "make", "use")  # how a requirement is put, not what it is about
    return bool(
        content_words(quote, also_ignore=verbs) & content_words(requirement, also_ignore=verbs)
    )


def _is_the_task(prompt: str, span: tuple[int, int]) -> bool:
    """Whether the quoted words are the whole request (the task, not a requirement)."""
    covered = span[1] - span[0]
    return covered >= 0.8 * len(prompt.strip())


def without_duplicates(compiled: Sequence[CompiledRequirement]) -> list[CompiledRequirement]:
    seen: set[Expr] = set()
    out: list[CompiledRequirement] = []
    for c in compiled:
        if c.expr is not None and c.expr in seen:
            continue
        if c.expr is not None:
            seen.add(c.expr)
        out.append(c)
    return out


def combined(compiled: Sequence[CompiledRequirement]) -> Expr | None:
    exprs = [c.expr for c in compiled if c.expr is not None]
    return all_of(exprs) if exprs else None
