"""What one sentence of a prompt tells about the reading of another: the grammar reads
each sentence alone, and some readings are completed by the prompt around them.

- "Repeat the request first": the request is the prompt's text before the instruction
  (after it, when the instruction says "below" or "following"); when there is none,
  the instruction is not read (it is judged as written).
- "There should be 4 paragraphs. Separate them with ***": a divider said apart from the
  count of parts makes the count one of parts between dividers (and "the 2nd
  paragraph" the 2nd of those parts).
- "Write it in 3 sections. Mark the beginning of each section with SECTION X": a label
  said apart from the count of sections makes the count one of labelled sections.
- "Write two limericks. Separate them with ******": texts separated by a divider with
  no count of their own are as many as the prompt counted before, or as a layout shown
  after the instruction has ("Separate the two poems like below:" and the layout's
  divider line).
- "Follow the exact format below:" before a layout with divider lines: as many parts as
  the layout shows, separated by its divider (the instruction itself stays judged).
- A reading said under a condition of its sentence, before or after it ("if you write
  more than 3 paragraphs, separate them with ***", "in exactly 4 paragraphs, but if you
  mention a hen, add a fifth") is not taken (`conditional`): the sentence is judged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from cadenza.requirements import grammar
from cadenza.requirements.coverage import SpanReading
from cadenza.requirements.grammar.lexicon import unit_of
from cadenza.requirements.lang import build
from cadenza.requirements.lang.nodes import (
    AllOf,
    Bound,
    Compare,
    Count,
    Distinct,
    Expr,
    Named,
    Pattern,
    RepeatsRequest,
    Select,
    Split,
)
from cadenza.requirements.material import walk
from cadenza.requirements.number_words import SMALL
from cadenza.requirements.segment import masked, segments

_PARTS = (Named("paragraph"), Named("section"))


def settle(prompt: str, readings: list[SpanReading]) -> list[SpanReading]:
    """The readings of a prompt, each completed by what the rest of the prompt says
    (the readings `conditional` holds back are not among them)."""
    out: list[SpanReading] = []
    for r in readings:
        expr = _with_request(prompt, r)
        if expr is not None:
            out.append(replace(r, expr=expr))
    out += _laid_out(prompt, out)
    out += _format_shown(prompt, out)
    out = _divided(out)
    out = _labelled(out)
    out = [replace(r, expr=_texts_counted(prompt, r)) for r in out]
    return [replace(r, expr=_shown(prompt, r)) for r in out]


# "as if" compares ("explain it as if I were ten"), "except" excludes ("no other language
# except Vietnamese"), "if possible" hedges ("if you can", "where possible"): no condition
_CONDITION = re.compile(
    r"\b(?<!as\s)(?:if|unless|when|whenever|in\s+case)\b"
    r"(?!\s+(?:possible|you\s+can|at\s+all\s+possible|needed|necessary)\b)",
    re.I,
)


def conditional(prompt: str, readings: list[SpanReading]) -> list[SpanReading]:
    """The readings said under a condition of their sentence that they do not read:
    before them ("if you write more than 3 paragraphs, separate them with ***") or after
    them ("in exactly 4 paragraphs, but if you mention a hen, add a fifth"). Taken, such
    a reading would check without the condition; left, its sentence is judged as
    written."""
    text = masked(prompt)  # "critique the sentence 'If the law is bad, ...'": a quote
    sentences = segments(prompt)
    out: list[SpanReading] = []
    for r in readings:
        sentence = next((g for g in sentences if g.start <= r.start < g.end), None)
        start, end = (sentence.start, sentence.end) if sentence else (r.start, r.end)
        if _CONDITION.search(f"{text[start : r.start]} {text[r.end : end]}"):
            out.append(r)
    return out


# --------------------------------------------------------------------------- the request


def _with_request(prompt: str, r: SpanReading) -> Expr | None:
    """`r` with the request to repeat named (None when the prompt names none)."""
    if not any(isinstance(a, RepeatsRequest) and a.text is None for a in _atoms(r.expr)):
        return r.expr
    request = _request_around(prompt, r.start)
    if request is None:
        return None
    return _map(r.expr, lambda a: build.repeats(request) if isinstance(a, RepeatsRequest) else a)


def _request_around(prompt: str, start: int) -> str | None:
    """The request an instruction at `start` asks to repeat: a quoted request said with
    it, the block after it ("below", "following", or nothing before it), else the text
    before its line."""
    line_start = prompt.rfind("\n", 0, start) + 1
    end = prompt.find("\n", start)
    said = prompt[start : end if end >= 0 else len(prompt)]
    quoted = re.search(r"\brepeat\s+[\"“](?P<q>[^\"”]{10,})[\"”]", said, re.I)
    if quoted is not None and quoted.group("q") in prompt[:start]:
        return quoted.group("q").strip()
    block_end = prompt.find("\n\n", start)
    below = re.search(r"\b(?:below|following|next)\b", said, re.I)
    if (below or line_start == 0) and block_end >= 0 and prompt[block_end:].strip():
        return prompt[block_end:].strip()
    if below:
        return None  # "the request below", and nothing below it: not known
    before = prompt[:line_start].strip() if line_start else prompt[:start].strip()
    return before or None


# --------------------------------------------------------------------------- dividers


def _divider_alone(expr: Expr) -> str | None:
    """The divider of a reading that says only that parts are separated by it (no count,
    no texts of their own)."""
    atoms = _atoms(expr)
    counts = [a for a in atoms if isinstance(a, Compare) and isinstance(a.count.unit, Split)]
    if len(counts) != 1 or counts[0].bound != Bound("at_least", 2):
        return None
    unit = counts[0].count.unit
    assert isinstance(unit, Split)
    return unit.separator


def _divided(readings: list[SpanReading]) -> list[SpanReading]:
    """A count of paragraphs or sections said apart from their divider counts the parts
    between dividers; the divider's own reading goes (its words are those of the count's
    reading, `coverage.used_elsewhere`)."""
    alone = {i: m for i, r in enumerate(readings) if (m := _divider_alone(r.expr)) is not None}
    if len(set(alone.values())) != 1:
        return readings
    mark = next(iter(alone.values()))
    counted = [
        i
        for i, r in enumerate(readings)
        if i not in alone and any(_part_count(a) for a in _atoms(r.expr))
    ]
    if not counted:
        return readings

    def split(a: Expr) -> Expr:
        if isinstance(a, Compare) and _part_count(a):
            b = a.bound
            return build.paragraphs(b.relation, b.n, b.high, marker=mark)
        if isinstance(a, Distinct) and a.unit == Split(mark):
            return a  # texts of their own stay different from each other
        if (
            isinstance(a, Select)
            and a.unit == Named("paragraph")
            and a.mode in ("nth", "first", "last")
        ):
            return replace(a, unit=Split(mark))  # "the 2nd paragraph": the 2nd part
        return a

    return [replace(r, expr=_map(r.expr, split)) for i, r in enumerate(readings) if i not in alone]


def _part_count(a: Expr) -> bool:
    return isinstance(a, Compare) and a.count.where is None and a.count.unit in _PARTS


# --------------------------------------------------------------------------- labels


def _label_alone(expr: Expr) -> Pattern | None:
    """The labelled-section unit of a reading that says only that sections are labelled."""
    if (
        isinstance(expr, Compare)
        and isinstance(expr.count.unit, Pattern)
        and (expr.count.unit.name or "").startswith("section marked")
        and expr.bound == Bound("at_least", 1)
    ):
        return expr.count.unit
    return None


def _labelled(readings: list[SpanReading]) -> list[SpanReading]:
    """A count of sections said apart from their label counts labelled sections."""
    labels = {i: u for i, r in enumerate(readings) if (u := _label_alone(r.expr)) is not None}
    if len(set(labels.values())) != 1:
        return readings
    unit = next(iter(labels.values()))
    bounds = [
        a.bound
        for r in readings
        for a in _atoms(r.expr)
        if isinstance(a, Compare) and a.count == Count(Named("section"))
    ]
    if len(set(bounds)) != 1:
        return readings
    said = Compare(Count(unit), bounds[0])

    def labelled(a: Expr) -> Expr:
        if isinstance(a, Compare) and (a.count == Count(Named("section")) or a.count.unit == unit):
            return said
        return a

    return [replace(r, expr=_map(r.expr, labelled)) for r in readings]


# --------------------------------------------------------------------------- texts

# things a prompt counts that a divider may separate: "5 steps", never "300 words"
_LISTED = (Named("list_item"), Named("bullet"), Named("numbered_item"))
_NUMBER = rf"\b(?P<n>\d+|{'|'.join(w for w in SMALL if w not in ('zero', 'one'))})"
_COUNTED = re.compile(
    rf"{_NUMBER}\s+(?:(?:different|separate|distinct|alternative|short|new)\s+)?(?P<noun>[a-z]+s)\b",
    re.I,
)


def _texts_counted(prompt: str, r: SpanReading) -> Expr:
    """Texts separated by a divider, with no count of their own ("separate them with
    ******"), are as many as the texts the prompt counted last before them ("recommend
    two movies"); units of length ("300 words") are no such texts."""
    atoms = _atoms(r.expr)
    if not any(isinstance(a, Distinct) and isinstance(a.unit, Split) for a in atoms):
        return r.expr
    last = None
    for m in _COUNTED.finditer(prompt[: r.end]):
        said = unit_of(m.group("noun").lower())
        if said is None or said[0] in _LISTED:
            last = m
    if last is None:
        return r.expr
    word = last.group("n").lower()
    n = int(word) if word.isdigit() else SMALL[word]

    def counted(a: Expr) -> Expr:
        if (
            isinstance(a, Compare)
            and isinstance(a.count.unit, Split)
            and a.bound == Bound("at_least", 2)
        ):
            return replace(a, bound=Bound("exactly", float(n)))
        return a

    return _map(r.expr, counted)


_LIKE_BELOW = re.compile(
    r"(?P<head>.*\b(?:separate|separated|divide|split)\b.*?)\s*,?\s*(?:like|as)\s+(?:shown\s+)?"
    r"(?:below|follows|this|in\s+the\s+example(?:\s+below)?)\s*:?\s*",
    re.I,
)
_MARK_LINE = re.compile(r"[ \t]*(?P<m>[*\-_=~#]{3,})[ \t]*")


def _laid_out(prompt: str, readings: list[SpanReading]) -> list[SpanReading]:
    """ "Separate the two poems like below:" before a layout with a divider line: the
    sentence read with the divider it shows ("... with ******")."""
    out: list[SpanReading] = []
    for seg in segments(prompt):
        m = _LIKE_BELOW.fullmatch(seg.text.strip())
        if m is None or not seg.imposes:
            continue
        if any(r.start < seg.end and seg.start < r.end for r in readings):
            continue
        shown = [_MARK_LINE.fullmatch(line) for line in prompt[seg.end :].splitlines()[:12]]
        mark = next((x.group("m") for x in shown if x is not None), None)
        expr = grammar.parse(f"{m.group('head')} with {mark}") if mark else None
        if expr is not None:
            out.append(SpanReading(seg.start, seg.end, expr, "grammar", True))
    return out


_FORMAT_BELOW = re.compile(
    r"\b(?:format|template|layout)\b.*\b(?:below|as\s+follows)\b|"
    r"\b(?:following|this|these)\s+(?:exact\s+)?(?:format|template|layout)\b",
    re.I,
)


def _format_shown(prompt: str, readings: list[SpanReading]) -> list[SpanReading]:
    """ "Follow the exact format below:" before a layout whose parts a divider line
    separates: as many parts, separated by it (a reading of the layout's divider; the
    instruction itself stays judged, as the layout asks more than its parts)."""
    if any(isinstance(u, Split) for r in readings for u in walk(r.expr)):
        return []
    for seg in segments(prompt):
        if not seg.imposes or _FORMAT_BELOW.search(seg.text) is None:
            continue
        layout = prompt[seg.end :]
        marks = list(_MARK_LINE_AT.finditer(layout))
        if not marks or len({m.group("m") for m in marks}) != 1:
            return []
        if re.search(r"^\s*(?:\.{2,}|…)\s*$", layout[marks[-1].end() :], re.M):
            return []  # a layout that trails off shows no count
        first = marks[0]
        expr = build.paragraphs("exactly", len(marks) + 1, marker=first.group("m"))
        start = seg.end + first.start("m")
        return [SpanReading(start, start + len(first.group("m")), expr, "grammar layout", False)]
    return []


_MARK_LINE_AT = re.compile(r"^[ \t]*(?P<m>[*\-_=~#]{3,})[ \t]*$", re.M)


def _shown(prompt: str, r: SpanReading) -> Expr:
    """Parts separated by a divider with no count said are as many as a layout shown
    after the instruction has ("like this:\n[A]\n***\n[B]"); a layout that trails off
    ("...") shows no count."""
    mark = _divider_alone(r.expr)
    if mark is None:
        return r.expr
    lines = [line.strip() for line in prompt[r.end :].splitlines()]
    if mark not in lines:
        return r.expr
    after = lines[lines.index(mark) :]
    if any(re.fullmatch(r"(?:\.{2,}|…)", line) for line in after):
        return r.expr
    n = lines.count(mark) + 1

    def shown(a: Expr) -> Expr:
        if isinstance(a, Compare) and a.count.unit == Split(mark):
            return replace(a, bound=Bound("exactly", float(n)))
        return a

    return _map(r.expr, shown)


# --------------------------------------------------------------------------- helpers


def _atoms(expr: Expr) -> list[Expr]:
    return build.flatten(expr)


def _map(expr: Expr, f: Callable[[Expr], Expr]) -> Expr:
    """`expr` with each conjunct replaced by `f(conjunct)` (flattened again)."""
    if isinstance(expr, AllOf):
        return build.all_of(build.flatten(AllOf(tuple(_map(e, f) for e in expr.items))))
    return f(expr)
