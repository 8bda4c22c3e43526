"""Find the requirements a prompt imposes on its answer, from the prompt text alone.

`read_prompt(prompt)` is deterministic. It segments the prompt (`segment.py`): only
directive sentences impose requirements, never text inside quotation marks, a question
about something, or someone's reported rule. In those sentences the grammar reads each
clause ("no more than 50 words", "lowercase only", "3 paragraphs separated by ***"),
the rest of the prompt completes what a sentence leaves to it (`across.py`: the
request to repeat, a divider or a label said apart from the count of parts); the
grammar is the only rule that reads. Every directive clause is accounted for
(`coverage.py`): a reading carries the words of the clauses it covers, and a clause
that names a constraint and that no reading covers becomes a judged requirement with
exactly its words (`unread`), never dropped. Every requirement keeps the span of the
prompt it came from.

`read_prompt_with_model` also asks a model for the requirements the rules did not find
(tone, audience, "British spelling", "no commentary"), each with the exact words of the
prompt it comes from; an item is kept when those words are in the prompt, in a
directive sentence and outside quotes, and not all read by a rule already (the model
may add the half of a sentence a rule did not read); it is compiled like a given
requirement (rules, the compiler, or the judge). A failed call is reported in the
notes. `extract_requirements` and `extract_requirements_with_model` give the
requirements alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from cadenza.errors import ProviderError
from cadenza.prompts import render
from cadenza.providers.base import CompletionRequest, Message, Model
from cadenza.requirements import grammar
from cadenza.requirements.across import conditional, settle
from cadenza.requirements.compile import CompiledRequirement, Compiler, compile_requirement
from cadenza.requirements.coverage import (
    SpanReading,
    accounted,
    bracketed,
    clean,
    covers,
    directive_clauses,
    illustrates,
    introduces,
    restates,
    set_aside,
    task_clause,
    text_of,
    unread,
    used_elsewhere,
)
from cadenza.requirements.grammar.content import listed_options
from cadenza.requirements.grammar.phrases import phrases, said_of_a_part
from cadenza.requirements.instruction import sort_parts
from cadenza.requirements.lang.build import all_of
from cadenza.requirements.lang.describe import describe
from cadenza.requirements.lang.nodes import (
    Compare,
    Expr,
)
from cadenza.requirements.material import material
from cadenza.requirements.segment import clauses, imposing, quoted_spans, segments
from cadenza.requirements.situation import situation
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


@dataclass(frozen=True, slots=True)
class PromptReading:
    """What a prompt asks of its answer: the requirements (each with the exact words of
    the prompt it checks), the directive text no rule read (`unread`, judged as written:
    it is among the requirements), and what the caller should know (`notes`: an
    extraction call that failed ...)."""

    requirements: tuple[CompiledRequirement, ...]
    unread: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    aside: tuple[tuple[int, int], ...] = ()
    """Directive text no rule finds asking anything ("I drink three cups a day"), set
    aside (`coverage.set_aside`); named in the notes."""
    unsorted: tuple[str, ...] = ()
    """The set-aside parts no model was asked about: only the rules say they ask
    nothing, so an answer is never verified against them (`strategy.settle`)."""


def extract_requirements(prompt: str) -> list[CompiledRequirement]:
    """The requirements the prompt imposes, in prompt order (no model): what the rules
    read, and every directive clause they did not read, judged as written."""
    return list(read_prompt(prompt).requirements)


def read_prompt(prompt: str) -> PromptReading:
    """`extract_requirements` with what was not understood (see `PromptReading`)."""
    read = _grammar_readings(prompt)
    # a reading said under a condition is not taken: its words are judged as written,
    # never left out
    held = conditional(prompt, read)
    found = settle(prompt, [r for r in read if r not in held])
    directive = directive_clauses(prompt)
    task = task_clause(prompt, directive)
    covered: set[tuple[int, int]] = set()
    out: list[CompiledRequirement] = []
    seen: set[Expr] = set()
    for f in sorted(found, key=lambda x: x.start):
        mine = [c for c in directive if covers(prompt, f, c, task=c == task)]
        covered.update(mine)
        if f.expr in seen:
            continue
        seen.add(f.expr)
        text = text_of(prompt, mine) if mine else describe(f.expr)
        span = (mine[0][0], mine[-1][1]) if mine else (f.start, f.end)
        out.append(
            CompiledRequirement(
                Requirement(description=text),
                "rule",
                f.expr,
                why=f"read from the prompt by rule ({f.rules})",
                span=span,
            )
        )
    covered.update(
        c for c in directive if used_elsewhere(prompt, c, found) or introduces(prompt, c, found)
    )
    covered.update(c for c in directive if illustrates(prompt, c, covered))
    read_at = covered | {(f.start, f.end) for f in found}
    covered.update(c for c in directive if restates(prompt, c, read_at))
    left = unread(prompt, directive, covered, task)
    taken = [*left, *(c.span for c in out if c.span)]
    left += [
        h for h in _sentences_of(prompt, held) if not any(s < h[1] and h[0] < e for s, e in taken)
    ]
    for start, end in left:
        out.append(_judged(prompt, (start, end)))
    out.sort(key=lambda c: c.span[0] if c.span else 0)
    aside = tuple(set_aside(prompt, directive, covered, task, left))
    told = [a for a in aside if _inside(a, list(situation(prompt)))]
    notes = tuple(
        _aside_note(prompt, spans, why)
        for spans, why in (
            ([a for a in aside if a not in told], "no rule reads it as an instruction"),
            (told, "it tells the situation the question asks about"),
        )
        if spans
    )
    return PromptReading(
        tuple(out), _parts_at(prompt, left), notes, aside, _parts_at(prompt, aside)
    )


_ASIDE = "Set aside as asking nothing of the answer"


def _aside_note(prompt: str, spans: Sequence[tuple[int, int]], why: str) -> str:
    return f"{_ASIDE} ({why}): {_named(prompt, spans)}."


def _named(prompt: str, spans: Sequence[tuple[int, int]]) -> str:
    """The parts at `spans`, quoted and listed for a note."""
    return quoted(_parts_at(prompt, spans))


def quoted(parts: Sequence[str]) -> str:
    """Parts of a prompt quoted and listed for a note: 'past tense only', 'I drink ...'."""
    return ", ".join(repr(p.rstrip(".!")) for p in parts)


def _parts_at(prompt: str, spans: Sequence[tuple[int, int]]) -> tuple[str, ...]:
    return tuple(clean(prompt[s:e]) for s, e in spans)


def _sentences_of(prompt: str, readings: Sequence[SpanReading]) -> list[tuple[int, int]]:
    """The sentences (`segments`) the readings start in, once each, in prompt order."""
    return sorted(
        {(g.start, g.end) for g in segments(prompt) for r in readings if g.start <= r.start < g.end}
    )


def _grammar_readings(prompt: str) -> list[SpanReading]:
    """Directive sentences, or clauses of them, the grammar reads whole, and where it
    reads neither, the constraint phrases inside a clause (`grammar.phrases`); options
    given one a line after the clause that offers them (`content.listed_options`)."""
    out: list[SpanReading] = []
    directive = directive_clauses(prompt)  # an example's lines are not among them
    told = situation(prompt)  # what the question is about: no rule reads an instruction there
    for seg in segments(prompt):
        if not seg.imposes or not any(seg.start <= c[0] < seg.end for c in directive):
            continue
        if (seg.start, seg.end) in told:
            continue
        expr = grammar.parse(seg.text)
        if expr is not None and imposing(prompt, seg.start, seg.end):
            out.append(SpanReading(seg.start, seg.end, expr, "grammar", True))
            continue
        for start, end in bracketed(prompt, clauses(seg.text, seg.start)):
            piece = prompt[start:end]
            expr = grammar.parse(piece) if len(piece.split()) >= 2 else None
            if isinstance(expr, Compare) and said_of_a_part(prompt[seg.start : start], piece):
                expr = None  # "The title must be in bold and | under 6 words."
            if expr is not None and imposing(prompt, start, end):
                out.append(SpanReading(start, end, expr, "grammar", True))
                continue
            for a, b, inner in phrases(piece, prompt[seg.start : start]):  # "... of 2 paragraphs"
                if imposing(prompt, start + a, start + b):
                    out.append(SpanReading(start + a, start + b, inner, "grammar phrase", False))
        mine = [r for r in out if seg.start <= r.start < seg.end]
        for a, b, inner in phrases(seg.text):  # a phrase across clause cuts: "with a, b and c keys"
            a, b = seg.start + a, seg.start + b
            inside = [r for r in mine if r.start < b and a < r.end]
            if any(r.start < a or b < r.end or (r.start, r.end) == (a, b) for r in inside):
                continue  # it overlaps a reading it does not hold
            if imposing(prompt, a, b):  # it holds only shorter phrases: it reads more
                out = [r for r in out if r not in inside]
                out.append(SpanReading(a, b, inner, "grammar phrase", False))
    for a, b, options in listed_options(prompt):  # "... one of these phrases:" and a line each
        if imposing(prompt, a, a + 1) and not any(r.start < b and a < r.end for r in out):
            out.append(SpanReading(a, b, options, "grammar", True))
    return out


_UNREAD_WHY = "no rule reads it: judged as written"


def _judged(prompt: str, span: tuple[int, int], why: str = _UNREAD_WHY) -> CompiledRequirement:
    text = clean(prompt[span[0] : span[1]])
    return CompiledRequirement(
        Requirement(description=text), "judged", rubric=text, why=why, span=span
    )


async def extract_requirements_with_model(
    prompt: str,
    *,
    model: Model,
    compiler: Compiler | None = None,
) -> list[CompiledRequirement]:
    """`extract_requirements`, plus the model's reading of the prompt for requirements
    the rules missed."""
    return list((await read_prompt_with_model(prompt, model=model, compiler=compiler)).requirements)


async def read_prompt_with_model(
    prompt: str,
    *,
    model: Model,
    compiler: Compiler | None = None,
    list_items: bool = True,
    sort_aside: bool = True,
) -> PromptReading:
    """`read_prompt`, plus the model's reading of the prompt: an item the model quotes
    from the prompt's directive words (`list_items`) is kept unless the rules read all
    of those words already (the model may add the half of a sentence a rule did not
    read); it is compiled like a given requirement. Directive text that neither the
    rules nor the model's items account for stays judged as written. Each piece the
    rules set aside and no item quotes is put to the model as a yes/no question
    (`sort_aside`, `instruction.sort_parts`): an instruction is judged as written, the
    rest stays set aside, named in the notes; a part the model could not answer about
    is judged as written. A failed call is reported in the notes, and the rules'
    reading (with what they did not read, judged) stands."""
    base = read_prompt(prompt)
    try:
        items = await _ask_model(prompt, model) if list_items else []
    except ProviderError as error:
        note = (
            f"The model {model.id} could not list the requirements the rules missed "
            f"({error}); what no rule read is judged as written."
        )
        base = replace(base, notes=(*base.notes, note))
        items = []
    ruled = [c for c in base.requirements if not c.judged or c.why != _UNREAD_WHY]
    unread = [c for c in base.requirements if c.judged and c.why == _UNREAD_WHY]
    known = {c.expr for c in ruled if c.expr is not None}
    read_spans = [c.span for c in ruled if c.span is not None and c.method == "rule"]
    found = list(ruled)
    added: list[tuple[int, int]] = []
    asking = _asking(prompt) if items else []
    for quote, text in items:
        span = locate(prompt, quote)
        if span is None or not imposing(prompt, *span):
            continue  # not the prompt's own words, or not said as an instruction
        if not any(s < span[1] and span[0] < e for s, e in asking):
            continue  # the asker's situation ("I ran 5 km today"): the set-aside question decides
        if _inside(span, read_spans):
            continue  # the rules read all of these words already
        if _is_the_task(prompt, span) or not _related(quote, text):
            continue
        if _restates_the_task(prompt, span, text):
            continue  # "Write a poem about rain": judged once already, as "does the task"
        compiled = compile_requirement(Requirement(description=text))
        if compiled.judged and compiler is not None:
            compiled = await compiler.compile(compiled.requirement, prompt)
        if compiled.expr is not None and compiled.expr in known:
            continue
        if compiled.expr is not None:
            known.add(compiled.expr)
        added.append(span)
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
    still: list[CompiledRequirement] = []
    for c in unread:
        assert c.span is not None
        if not accounted(prompt, c.span, added):
            still.append(c)
    aside = [a for a in base.aside if not any(s < a[1] and a[0] < e for s, e in added)]
    notes = [n for n in base.notes if not n.startswith(_ASIDE)]
    unasked = _unasked(prompt, aside) if sort_aside else {}
    aside = [a for a in aside if not any(a in spans for spans in unasked.values())]
    if sort_aside and aside:
        answers = await sort_parts(prompt, aside, model=model)
        for answer in answers:
            if answer.instruction():
                still.append(_judged(prompt, answer.span, _model_why(model, answer.p_yes)))
        failed = [a for a in answers if a.p_yes is None]
        if failed:  # not understood by anyone: judged as written, never left out
            notes.append(
                f"The model {model.id} could not say whether {len(failed)} set-aside "
                f"part(s) are instructions ({failed[0].error}); they are judged as written: "
                f"{_named(prompt, [a.span for a in failed])}."
            )
            why = f"no rule reads it, and {model.id} could not say what it is: judged as written"
            still += [_judged(prompt, a.span, why) for a in failed]
        said_no = [a.span for a in answers if a.p_yes is not None and not a.instruction()]
        if said_no:
            why = f"no rule reads it as an instruction, and {model.id} says it is none"
            notes.append(_aside_note(prompt, said_no, why))
        aside = said_no
    elif aside:
        notes.append(_aside_note(prompt, aside, "no rule reads it as an instruction"))
    for why, spans in unasked.items():
        notes.append(_aside_note(prompt, spans, why))
        aside = sorted([*aside, *spans])
    found += still
    found.sort(key=lambda c: c.span[0] if c.span else 0)
    return PromptReading(
        tuple(found),
        tuple(c.requirement.description for c in still),
        tuple(notes),
        tuple(aside),
        () if sort_aside else _parts_at(prompt, aside),
    )


def _unasked(prompt: str, aside: Sequence[tuple[int, int]]) -> dict[str, list[tuple[int, int]]]:
    """The set-aside parts not put to the model (which says yes to nearly any part), by
    why: a sentence that only tells the situation of a prompt asking nothing but
    questions (`situation.situation`: "I ran 5 km this morning and my knee hurts.
    Should I rest tomorrow?"; before a request for a text, "My son loves trains. Write a
    story ...", a statement is still asked about), and quoted text, what the task works
    on ("Translate into Spanish: 'Please reply in two sentences.'")."""
    told = [a for a in aside if _inside(a, list(situation(prompt)))]
    quoted = [a for a in aside if a not in told and _inside(a, quoted_spans(prompt))]
    reasons = (
        ("it tells the situation the question asks about", told),
        ("it is quoted text the task works on, not an instruction", quoted),
    )
    return {why: spans for why, spans in reasons if spans}


def _asking(prompt: str) -> list[tuple[int, int]]:
    """The clauses a model's item may quote: the request's own clause (its modifiers,
    "in a playful tone", are requirements) and every clause that names a constraint as
    the rules see one (an instruction, a tone or audience, or a count, quoted text or
    letter of a unit). A clause that names none, such as the asker's situation ("We have
    200 euros left") or what someone else was told, is left to the yes/no question on
    set-aside parts, which was calibrated for it, rather than to a listed item."""
    directive = directive_clauses(prompt)
    task = task_clause(prompt, directive)
    return [*unread(prompt, directive, set(), task), *([task] if task else [])]


def _model_why(model: Model, p_yes: float | None) -> str:
    score = f" (P(yes) = {p_yes:.2f})" if p_yes is not None and 0.0 < p_yes < 1.0 else ""
    return f"no rule reads it; {model.id} says it is an instruction{score}: judged as written"


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in spans)


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


def _restates_the_task(prompt: str, span: tuple[int, int], requirement: str) -> bool:
    """Whether a model's item is the request itself: its quote opens the request's own
    clause, names no count, quoted text or letter, and the requirement opens with the
    request's verb ("Write a poem about rain"). An item quoting a part of that clause
    ("in a playful tone" -> "Use a playful tone") is a requirement."""
    task = task_clause(prompt, directive_clauses(prompt))
    if task is None or span[0] > task[0] or span[1] > task[1]:
        return False
    if material(prompt[span[0] : span[1]]).literal:
        return False
    verb = prompt[task[0] : task[1]].split()[0].casefold()
    return requirement.split()[0].casefold() == verb


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


def reading_summary(compiled: Sequence[CompiledRequirement]) -> str:
    """How each requirement read from a task text is decided, in one note: which words
    the rules read, which a model compiled, which are judged, and which no rule
    understood (judged as written)."""
    groups: dict[str, list[str]] = {}
    for c in compiled:
        if c.span is None:
            continue  # not read from the text (the implicit task requirement)
        if c.why == _UNREAD_WHY:
            how = "not understood by any rule, judged as written"
        elif c.method == "rule" and c.rubric:
            how = "read by rule in part, the rest judged"
        else:
            how = {"rule": "read by rule", "compiled": "compiled by a model"}.get(
                c.method, "judged"
            )
        groups.setdefault(how, []).append(repr(c.requirement.description))
    if not groups:
        return "No requirement was read from the task text."
    parts = [f"{how}: {', '.join(texts)}" for how, texts in groups.items()]
    return (
        f"{len([c for c in compiled if c.span is not None])} requirement(s) from the task text; "
        + "; ".join(parts)
        + "."
    )
