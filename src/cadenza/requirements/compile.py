"""Requirement text -> `CompiledRequirement`: an expression of the check language, a
judge rubric, or both.

For each requirement, in order:
1. the rules (`rules.read`): the grammar of requirement sentences, no model, no
   cost, trusted only where it reads the whole sentence (method ``rule``);
2. with a `Compiler` (`compiler.py`): the model restates the requirement in the
   controlled language the grammar reads (`controlled.py`), the grammar parses the
   restatement, and literal accounting and a round trip verify it; else it is
   restated once more, else the requirement is judged. Compiled expressions are
   cached in the store (method ``compiled``);
3. the LLM judge, with the requirement as the rubric (method ``judged``).

Nothing is dropped silently: every compiled requirement says how it will be decided
and why (`why`). A requirement with a mechanical and a subjective part ("a formal
tone, under 100 words") gets its expression AND a rubric for the rest. Contradictory
mandatory requirements are refused before any model is called (`raise_on_conflicts`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, Protocol

from cadenza.errors import RequirementError
from cadenza.requirements.conflicts import find_conflicts
from cadenza.requirements.grammar import names_a_constraint
from cadenza.requirements.grammar.asides import without_asides
from cadenza.requirements.grammar.lexicon import normalise
from cadenza.requirements.grammar.phrases import said_of_a_part
from cadenza.requirements.lang.build import all_of
from cadenza.requirements.lang.describe import describe
from cadenza.requirements.lang.nodes import Compare, Expr
from cadenza.requirements.material import material
from cadenza.requirements.rules import read
from cadenza.requirements.segment import clauses
from cadenza.task import Requirement

CompileMethod = Literal["rule", "compiled", "judged", "given"]
"""How a requirement is decided: ``rule`` (read by the rules), ``compiled`` (a
model's restatement, read by the grammar and verified), ``judged`` (the LLM judge), ``given`` (an
expression the caller supplied)."""

# Words that mark a part of a requirement no program can check.
_SUBJECTIVE = re.compile(
    r"\b(?:tone|style|voice|audience|friendly|formal|informal|professional|polite|persuasive|"
    r"funny|humorous|witty|playful|serious|engaging|enthusiastic|cheerful|warm|empathetic|"
    r"concise|clear|simple|accessible|kids?|children|beginners?|experts?|factual|accurate|"
    r"objective|neutral|optimistic|catchy|creative|vivid|sarcastic|poetic|rhym\w*|brand|"
    r"casual|courteous|gracious|humble|scary|jargon|slang|spoilers?|topic|relevant|"
    r"persuade|convincing|examples?|reasons?|hints?)\b",
    re.I,
)
# Quoted words are content to check ("include the keyword 'warm'"), not a tone.
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|(?<!\w)'[^']*'(?!\w)")


def subjective_word(text: str) -> re.Match[str] | None:
    """The word of `text`, outside quotes, that asks for something no program can
    check (tone, audience, style ...), if any."""
    return _SUBJECTIVE.search(_QUOTED.sub(lambda m: " " * len(m.group(0)), text))


def is_subjective(text: str) -> bool:
    return subjective_word(text) is not None


@dataclass(frozen=True, slots=True)
class CompiledRequirement:
    """One requirement and how it is decided: `expr` (checked by a program), `rubric`
    (the LLM judge), or both for a mixed requirement. `why` says why, for reports;
    `span` is where in the prompt an extracted requirement was read."""

    requirement: Requirement
    method: CompileMethod
    expr: Expr | None = None
    rubric: str | None = None
    why: str = ""
    span: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if self.expr is None and not self.rubric:
            raise ValueError("a compiled requirement needs an expression or a rubric")  # a bug

    @property
    def judged(self) -> bool:
        """Whether only the LLM judge decides this requirement."""
        return self.expr is None

    @property
    def needs_judge(self) -> bool:
        """Whether the LLM judge has a part in deciding it (judged, or mixed)."""
        return self.rubric is not None

    @property
    def label(self) -> str:
        return self.requirement.label

    @property
    def checks(self) -> str:
        """The expression in English ("" when judged)."""
        return describe(self.expr) if self.expr is not None else ""


class Compiler(Protocol):
    """Compiles what the rules cannot read (a model that verifies itself, with a cache)."""

    async def compile(self, requirement: Requirement, task: str | None) -> CompiledRequirement: ...


def compile_requirement(value: str | Requirement | Mapping[str, Any]) -> CompiledRequirement:
    """Rules only: an expression when a rule reads the requirement, else judged. Never
    calls a model. A requirement the rules read in part ("under 280 characters and two
    brand names", "a formal tone, under 100 words") gets the expression of the clauses
    read and, for the judge, the words of the rest, so no verdict claims more than it
    checked."""
    requirement = Requirement.of(value)
    text = requirement.description
    reading = read(text)
    subjective = subjective_word(text)
    if reading is not None and subjective is None:
        rules = ", ".join(reading.rules)
        return CompiledRequirement(requirement, "rule", reading.expr, why=f"read by rule ({rules})")
    parts = read_in_parts(text)
    if reading is not None and (parts is None or not parts[1]):
        assert subjective is not None
        rubric = f"{text} (grade only what is not about: {describe(reading.expr)})"
        return CompiledRequirement(
            requirement,
            "rule",
            reading.expr,
            rubric,
            why=f"read by rule ({', '.join(reading.rules)}) for the mechanical part; "
            f"the judge for {subjective.group(0)!r}",
        )
    if parts is None:
        why = (
            f"asks for {subjective.group(0)!r}, which only a judge can assess"
            if subjective
            else "no rule reads it"
        )
        return CompiledRequirement(requirement, "judged", rubric=text, why=why)
    expr, rest = parts
    if not rest:
        return CompiledRequirement(
            requirement, "rule", expr, why="read by rule (grammar), clause by clause"
        )
    asks = subjective_word(rest)
    judge_for = f"asks for {asks.group(0)!r}" if asks else "no rule reads it"
    return CompiledRequirement(
        requirement,
        "rule",
        expr,
        rest,
        why=f"read by rule for {describe(expr)!r}; the judge for {rest!r} ({judge_for})",
    )


def read_in_parts(text: str) -> tuple[Expr, str] | None:
    """For a requirement the rules do not read whole: the expression of the clauses
    they read, and the words of the clauses they did not that name a constraint (""
    when there are none). None when they read no clause."""
    spans = clauses(text)
    if len(spans) < 2:
        return None
    exprs: list[Expr] = []
    rest: list[str] = []
    for start, end in spans:
        piece = text[start:end].strip(" .!;,")
        reading = read(piece) if piece else None
        if reading and isinstance(reading.expr, Compare) and said_of_a_part(text[:start], piece):
            reading = None  # "The title must be in bold and | under 6 words": the title's
        if reading is not None:
            exprs.append(reading.expr)
        elif piece and not only_aside(piece):
            rest.append(piece)
    if not exprs:
        return None
    return all_of(exprs), "; ".join(rest)


def only_aside(piece: str) -> bool:
    """Whether a clause no rule read only hedges, thanks or gives a reason ("if
    possible", "because it goes in the newsletter", "it's for LinkedIn"): set aside.
    Anything else the sentence says ("each starting with a verb", "a title above it")
    is part of what it asks, and goes to the judge."""
    if material(piece).any or is_subjective(piece):
        return False
    rest = without_asides(normalise(piece).text.lower(), names_a_constraint).strip()
    return not rest or _STATEMENT.match(rest) is not None


# a reason said without "because": a statement with a subject of its own ("it's for
# LinkedIn"), or what the text is for ("for the newsletter", "for a tweet")
_STATEMENT = re.compile(
    r"^(?:it|it's|its|this|this's|that|that's|they|they're|we|we're|i|i'm|you|you're|our|my|"
    r"your|his|her|their|she|she's|he|he's|people|everyone|everybody|nobody|"
    r"for\s+(?:a|an|the|my|our|your|his|her|their|this|that))\b"
)


def needs_compiler(compiled: CompiledRequirement) -> bool:
    """Whether a requirement the rules left to the judge may be mechanical after all
    (so worth a compile): it names nothing only a judge can assess."""
    return compiled.judged and not is_subjective(compiled.requirement.description)


async def compile_requirements(
    values: Iterable[str | Requirement | Mapping[str, Any] | CompiledRequirement],
    *,
    compiler: Compiler | None = None,
    task: str | None = None,
    check_conflicts: bool = True,
) -> list[CompiledRequirement]:
    """Compile every requirement (rules first; `compiler` for what they leave that may
    be mechanical). Raises `RequirementError` listing contradictory requirements when
    `check_conflicts`."""
    out = [v if isinstance(v, CompiledRequirement) else compile_requirement(v) for v in values]
    if check_conflicts:
        raise_on_conflicts(out)  # before any model is called
    if compiler is not None:
        for i, compiled in enumerate(out):
            if needs_compiler(compiled):
                out[i] = await compiler.compile(compiled.requirement, task)
            elif _rest_may_compile(compiled):
                out[i] = await _compile_rest(compiled, compiler, task)
        if check_conflicts:
            raise_on_conflicts(out)
    return out


def _rest_may_compile(compiled: CompiledRequirement) -> bool:
    """Whether the judged rest of a requirement read in part may be mechanical."""
    rest = compiled.rubric
    return (
        compiled.expr is not None
        and rest is not None
        and rest != compiled.requirement.description
        and "grade only what is not about" not in rest
        and not is_subjective(rest)
    )


async def _compile_rest(
    compiled: CompiledRequirement, compiler: Compiler, task: str | None
) -> CompiledRequirement:
    """The requirement with its unread rest compiled by the model, when it can be."""
    assert compiled.expr is not None and compiled.rubric is not None
    rest = await compiler.compile(Requirement(description=compiled.rubric), task)
    if rest.expr is None:
        return compiled
    return CompiledRequirement(
        compiled.requirement,
        "compiled",
        all_of([compiled.expr, rest.expr]),
        why=f"{compiled.why}; the rest {rest.why}",
        span=compiled.span,
    )


def given(requirement: Requirement, expr: Expr) -> CompiledRequirement:
    """A requirement with the caller's own expression."""
    return CompiledRequirement(requirement, "given", expr, why="expression given by the caller")


def conflicts_of(compiled: Sequence[CompiledRequirement]) -> list[str]:
    """Contradictory pairs among the expressions of mandatory requirements."""
    exprs = [c.expr for c in compiled if c.requirement.is_mandatory and c.expr is not None]
    return find_conflicts(exprs)


def raise_on_conflicts(compiled: Sequence[CompiledRequirement]) -> None:
    conflicts = conflicts_of(compiled)
    if conflicts:
        listed = "; ".join(conflicts)
        raise RequirementError(
            f"Contradictory requirements: {listed}. No answer can meet them all: remove or "
            "relax one of each pair (or mark it is_mandatory=false)."
        )


def with_span(compiled: CompiledRequirement, span: tuple[int, int]) -> CompiledRequirement:
    return replace(compiled, span=span)
