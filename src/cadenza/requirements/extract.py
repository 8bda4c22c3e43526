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
from dataclasses import dataclass, replace
from typing import Any

from cadenza.errors import ProviderError
from cadenza.prompts import render
from cadenza.providers.base import CompletionRequest, Message, Model
from cadenza.requirements import grammar
from cadenza.requirements.compile import CompiledRequirement, Compiler, compile_requirement
from cadenza.requirements.lang.build import all_of, flatten
from cadenza.requirements.lang.codec import to_text
from cadenza.requirements.lang.describe import describe
from cadenza.requirements.lang.nodes import (
    Bound,
    Case,
    Compare,
    EndsWith,
    Equals,
    Expr,
    Format,
    Language,
    Not,
    Ratio,
    Select,
    StartsWith,
)
from cadenza.requirements.material import literals_unused, material, walk
from cadenza.requirements.rules import find_in_prompt, unexplained
from cadenza.requirements.segment import clauses, imposing, masked, quoted_spans, segments
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


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    expr: Expr
    rules: str
    whole: bool  # read by the grammar, which reads all of its span or nothing


def extract_requirements(prompt: str) -> list[CompiledRequirement]:
    """The requirements the prompt imposes, in prompt order (no model): what the rules
    read, and every directive clause they did not read, judged as written."""
    return list(read_prompt(prompt).requirements)


def read_prompt(prompt: str) -> PromptReading:
    """`extract_requirements` with what was not understood (see `PromptReading`)."""
    found = _readings(prompt)
    clauses = _directive_clauses(prompt)
    task = _task_clause(prompt, clauses)
    covered: set[tuple[int, int]] = set()
    out: list[CompiledRequirement] = []
    seen: set[Expr] = set()
    for f in sorted(found, key=lambda x: x.start):
        mine = [c for c in clauses if _covers(prompt, f, c, task=c == task)]
        if f.whole or mine:
            covered.update(mine)
        if f.expr in seen:
            continue
        seen.add(f.expr)
        text = _text_of(prompt, mine) if mine else describe(f.expr)
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
    covered.update(c for c in clauses if _used_elsewhere(prompt, c, found))
    unread = _unread(prompt, clauses, covered, task)
    for start, end in unread:
        out.append(_judged(prompt, (start, end)))
    out.sort(key=lambda c: c.span[0] if c.span else 0)
    return PromptReading(tuple(out), tuple(_clean(prompt[s:e]) for s, e in unread))


def _readings(prompt: str) -> list[_Found]:
    """Every reading of the prompt's directive text: the grammar's (whole sentences, or
    clauses of them) and the phrasing rules' (a phrasing reading counts when the same
    rule also reads the prompt with every quoted passage blanked out, so it is not an
    instruction inside quotes, and when no negation or condition of its sentence is
    left out of it)."""
    grammar_found = _grammar_readings(prompt)
    sentences = {(seg.start, seg.end) for seg in segments(prompt)}
    whole = [g for g in grammar_found if (g.start, g.end) in sentences]
    outside = {rule for r in find_in_prompt(masked(prompt)) for rule in r.rules}
    quotes = quoted_spans(prompt)
    out: list[_Found] = []
    for r in find_in_prompt(prompt):
        if not outside & set(r.rules):
            continue
        if any(s <= r.start and r.end <= e for s, e in quotes):
            continue
        if not imposing(prompt, r.start, r.end):
            continue
        if any(
            g.start < r.end and r.start < g.end and not _says_more(r.expr, g.expr) for g in whole
        ):
            continue  # the grammar read that whole sentence, and the phrasing says no more
        if not _faithful(prompt, r.start, r.end, r.expr):
            continue
        out.append(_Found(r.start, r.end, r.expr, ", ".join(r.rules), False))
    marked_sections = any("sections" in f.rules for f in out)
    phrased = list(out)
    for g in grammar_found:
        if marked_sections and '"section"' in to_text(g.expr):
            continue  # the prompt says how its sections are marked: not markdown sections
        if any(_covers(prompt, p, (g.start, g.end)) for p in phrased):
            continue  # a phrasing reading of the sentence reads this clause too
        out.append(g)
    return out


def _says_more(phrased: Expr, read: Expr) -> bool:
    """Whether a phrasing reading carries what the grammar read of the same sentence and
    more (a paragraph count read across sentences, a divider between paragraphs)."""
    mine = set(flatten(phrased))
    theirs = set(flatten(read))
    return "split" in to_text(phrased) or (theirs < mine)


def _grammar_readings(prompt: str) -> list[_Found]:
    """Directive sentences, or clauses of them, the grammar reads whole (and whether it
    was the whole sentence)."""
    out: list[_Found] = []
    for seg in segments(prompt):
        if not seg.imposes:
            continue
        expr = grammar.parse(seg.text)
        if expr is not None and imposing(prompt, seg.start, seg.end):
            out.append(_Found(seg.start, seg.end, expr, "grammar", True))
            continue
        for start, end in clauses(seg.text, seg.start):
            piece = prompt[start:end]
            expr = grammar.parse(piece) if len(piece.split()) >= 2 else None
            if expr is not None and imposing(prompt, start, end):
                out.append(_Found(start, end, expr, "grammar", True))
    return out


# Negation that a reading of a clause must carry ("no more than" and "no fewer than"
# are bounds, read as such); conditions no rule reads ("unless ...", "except when ...").
_NEGATION = re.compile(r"\b(?:no|not|never|none|nor|without|avoid|neither)\b|n't\b", re.I)
_BOUND_PHRASE = re.compile(
    r"\b(?:no|not)\s+(?:more|less|fewer|longer|shorter|later|earlier)\s+than\b|"
    r"\b(?:do\s+not|don't|never)\s+forget\b|\bnot\s+only\b",
    re.I,
)
_CONDITION = re.compile(r"\b(?:unless|except|only\s+if|only\s+when|if|when)\b", re.I)


def _faithful(prompt: str, start: int, end: int, expr: Expr) -> bool:
    """Whether a phrasing reading keeps the negation and the conditions of the clauses
    it was read from: "do not use more than 3 bullets" or "none of them longer than 12
    words" read as a minimum, or "no commas unless listing" read as "no commas", is
    not."""
    around = [c for c in _directive_clauses(prompt) if c[0] < end and start < c[1]]
    if around:
        start, end = min(start, around[0][0]), max(end, around[-1][1])
    text = _BOUND_PHRASE.sub(" ", masked(prompt)[start:end])
    if _CONDITION.search(text):
        return False
    counts = any(isinstance(n, (Compare, Ratio)) for n in walk(expr))
    return not (counts and _NEGATION.search(text)) or _negative(expr)


def _negative(expr: Expr) -> bool:
    """Whether an expression forbids or caps something (what a negated clause says)."""
    for node in walk(expr):
        if isinstance(node, Not) or (isinstance(node, Select) and node.mode == "none"):
            return True
        if isinstance(node, Bound) and (
            node.relation in ("at_most", "less_than")
            or (node.relation == "exactly" and node.n == 0)
        ):
            return True
        if isinstance(node, (Case, Language, Format, EndsWith, StartsWith, Equals)):
            return True  # "no capital letters", "nothing but JSON", "nothing after the P.S."
    return False


def _directive_clauses(prompt: str) -> list[tuple[int, int]]:
    """The clauses of the prompt's directive sentences, apart from the lines of an
    example a sentence introduces ("... such as:" followed by "* This is point 1")."""
    out: list[tuple[int, int]] = []
    example = False
    for seg in segments(prompt):
        line = seg.text.strip()
        if example and _LIST_LINE.match(line):
            continue
        example = line.endswith(":") or (example and not line)
        if seg.imposes:
            out.extend(clauses(seg.text, seg.start))
    return out


_LIST_LINE = re.compile(r"^(?:[-*+•]|\d+[.)])\s")


def _task_clause(prompt: str, clauses_: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The request's own opening clause ("Write a poem about rain"): the first clause
    said as an instruction."""
    return next((c for c in clauses_ if material(prompt[c[0] : c[1]]).directive), None)


def _covers(prompt: str, f: _Found, clause: tuple[int, int], *, task: bool = False) -> bool:
    """Whether reading `f` reads all the constraint material of `clause`. The grammar
    reads all of its span or nothing; a phrasing reading covers a clause of its span
    when it uses what the clause names (a number, a quoted text, a letter, a unit) and
    leaves none of its units, letters or quoted texts out, or, for a clause that names
    none, when it explains some of its words."""
    start, end = clause
    if not (f.start < end and start < f.end):
        return False
    if f.whole:
        return f.start <= start and end <= f.end
    text = prompt[start:end]
    if _rule_reads(text, f.rules):
        return True
    found = material(text)
    if found.literal:
        unused = literals_unused(text, f.expr)
        names = (
            len(found.numbers)
            + len(found.quoted)
            + len(found.letters)
            + len(found.units)
            + len(found.marks)
        )
        tolerated = ("'", '"') if task else ()  # a task's quoted names are its subject
        left = [u for u in unused if not u[:1].isdigit() and not u.startswith(tolerated)]
        return len(unused) < names and not left
    return not found.directive or _explains_some(text, f.expr)


def _rule_reads(text: str, rules: str) -> bool:
    """Whether one of the phrasing rules named reads the clause on its own."""
    names = set(rules.split(", "))
    return any(names & set(r.rules) for r in find_in_prompt(text))


def _used_elsewhere(prompt: str, clause: tuple[int, int], found: list[_Found]) -> bool:
    """Whether a clause only says how another clause's reading is written out: every
    unit and mark it names is used by a reading of a sentence next to it, and it names
    a mark or a quoted text that reading uses ("There should be 4 paragraphs. Separate
    them with ***.")."""
    text = prompt[clause[0] : clause[1]]
    have = material(text)
    if not (have.marks or have.quoted):
        return False
    near = [f for f in found if abs(f.start - clause[0]) < 400 or abs(f.end - clause[1]) < 400]
    return any(not literals_unused(text, f.expr) for f in near)


def _explains_some(text: str, expr: Expr) -> bool:
    """Whether some content word of `text` is one the expression accounts for."""
    left = set(unexplained(text, expr))
    said = content_words(describe(expr))
    words = content_words(text)
    return bool(words & said) or bool(words - left - content_words(" ".join(left)))


def _unread(
    prompt: str,
    clauses_: list[tuple[int, int]],
    covered: set[tuple[int, int]],
    task: tuple[int, int] | None,
) -> list[tuple[int, int]]:
    """Directive clauses no reading covers that still name a constraint, merged where
    they follow each other in one sentence. The request's own opening clause is the
    task, not a requirement, unless it names a unit with a number, a quoted text or a
    quantifier ("in every sentence"), or a letter."""
    out: list[tuple[int, int]] = []
    last: tuple[int, int] | None = None
    for start, end in clauses_:
        found = material(prompt[start:end])
        if (start, end) in covered:
            last = None
            continue
        named = found.units or found.marks
        literal = bool(found.letters) or bool(
            named and (found.numbers or found.quoted or found.scoped)
        )
        asked = found.directive or found.subjective  # "..., cheerful tone"
        if not (literal or (asked and (start, end) != task)):
            last = None
            continue
        if out and last is not None and _same_sentence(prompt, last, start):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
        last = (start, end)
    return out


def _same_sentence(prompt: str, before: tuple[int, int], start: int) -> bool:
    """Whether the clause at `start` follows `before` in the same sentence."""
    return not re.search(r"[.!?\n]\W*$", prompt[before[0] : start])


_UNREAD_WHY = "no rule reads it: judged as written"


def _judged(prompt: str, span: tuple[int, int]) -> CompiledRequirement:
    text = _clean(prompt[span[0] : span[1]])
    return CompiledRequirement(
        Requirement(description=text),
        "judged",
        rubric=text,
        why=_UNREAD_WHY,
        span=span,
    )


def _text_of(prompt: str, spans: list[tuple[int, int]]) -> str:
    """The words of the clauses a reading covers (apart where they are apart)."""
    runs: list[tuple[int, int]] = []
    for start, end in spans:
        if runs and _same_sentence(prompt, runs[-1], start):
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return " … ".join(_clean(prompt[s:e]) for s, e in runs)


def _clean(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"^(?:and|but|also|then|so|plus|while)\s+", "", text, flags=re.I)
    return text.strip(" ,;:-–—") or text


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
) -> PromptReading:
    """`read_prompt`, plus the model's reading of the prompt: an item the model quotes
    from the prompt's directive words is kept unless the rules read all of those words
    already (the model may add the half of a sentence a rule did not read); it is
    compiled like a given requirement. Directive text that neither the rules nor the
    model's items account for stays judged as written. A failed call is reported in
    the notes, and the rules' reading (with what they did not read, judged) stands."""
    base = read_prompt(prompt)
    try:
        items = await _ask_model(prompt, model)
    except ProviderError as error:
        note = (
            f"The model {model.id} could not list the requirements the rules missed "
            f"({error}); what no rule read is judged as written."
        )
        return replace(base, notes=(*base.notes, note))
    ruled = [c for c in base.requirements if not c.judged or c.why != _UNREAD_WHY]
    unread = [c for c in base.requirements if c.judged and c.why == _UNREAD_WHY]
    known = {c.expr for c in ruled if c.expr is not None}
    read_spans = [c.span for c in ruled if c.span is not None and c.method == "rule"]
    found = list(ruled)
    added: list[tuple[int, int]] = []
    for quote, text in items:
        span = locate(prompt, quote)
        if span is None or not imposing(prompt, *span):
            continue  # not the prompt's own words, or not said as an instruction
        if _inside(span, read_spans):
            continue  # the rules read all of these words already
        if _is_the_task(prompt, span) or not _related(quote, text):
            continue
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
        if not _accounted(prompt, c.span, added):
            still.append(c)
    found += still
    found.sort(key=lambda c: c.span[0] if c.span else 0)
    return PromptReading(tuple(found), tuple(c.requirement.description for c in still), base.notes)


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in spans)


def _accounted(prompt: str, span: tuple[int, int], items: list[tuple[int, int]]) -> bool:
    """Whether the model's items quote the constraint material of unread text: what
    is left of it outside their quotes names no constraint."""
    if not any(s < span[1] and span[0] < e for s, e in items):
        return False
    rest = list(prompt[span[0] : span[1]])
    for s, e in items:
        for i in range(max(s, span[0]), min(e, span[1])):
            rest[i - span[0]] = " "
    left = material("".join(rest))
    return not (left.literal or left.subjective)


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
