"""The model compiler: a requirement no rule reads -> an expression of the check
language, by a model that restates it in the controlled language (`controlled.py`) and
the grammar reader that parses the restatement.

The embedded model samples under the controlled language's llama.cpp grammar, so it
can only write sentences the reader parses, or the word ``judge``; a hosted model
writes plain text, parsed the same way. A restatement is verified without examples:
- literal accounting: the expression uses every number, quoted text, letter and unit
  the requirement names, every scope it names ("each line"), and what it counts
  ("three *brands*"), and measures nothing the requirement does not say (a number, a
  counted unit, a case); a boundary keeps the side the requirement's words put it on
  ("4 or fewer" is at most 4, not fewer than 4: `wording.py`);
- a round trip: the expression described back in English (`describe`) parses to the
  same expression, so the reader did not read the restatement as something else;
- it can fail: a check that holds for every text of a panel of unlike texts
  (`panel.py`: "every sentence has at least 1 line") checks nothing.
A restatement that fails is answered once with what went wrong; then the requirement
is left to the judge, saying why. At most two calls per requirement; results are
cached in the store by normalised requirement text and `COMPILER_VERSION`.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib.resources import files
from typing import Protocol

from cadenza.errors import ProviderError
from cadenza.prompts import render
from cadenza.providers.base import CompletionRequest, Message, Model
from cadenza.requirements import controlled, grammar
from cadenza.requirements.compile import CompiledRequirement, only_aside, subjective_word
from cadenza.requirements.lang import codec
from cadenza.requirements.lang.describe import describe
from cadenza.requirements.lang.nodes import AllOf, Expr, LanguageError
from cadenza.requirements.material import literals_invented, literals_unused, nouns_unnamed
from cadenza.requirements.panel import vacuous
from cadenza.requirements.rules import accounts_for
from cadenza.requirements.segment import clauses
from cadenza.requirements.wording import (
    cases_unsaid,
    languages_unsaid,
    moved,
    rebound,
    units_for_names,
)
from cadenza.store.compiled import CompiledRow
from cadenza.task import Requirement

COMPILER_VERSION = "restate-5"
"""Bump when the prompt, the controlled language or the verification changes: cached
compiles of an older version are not reused."""
RESTATE_MAX_TOKENS = 160
"""Enough for `controlled.MAX_CLAUSES` forms with quoted text."""
ATTEMPTS = 2


def restate_messages(requirement: str) -> list[Message]:
    """The instructions (the controlled language's forms and units), the worked
    examples as turns, then the requirement."""
    system = render("restate_system", forms=controlled.catalogue(), units=controlled.units())
    messages = [Message("system", system)]
    for example in examples():
        messages.append(Message("user", f"Requirement: {example['requirement']}"))
        messages.append(Message("assistant", example["restatement"]))
    messages.append(Message("user", f"Requirement: {requirement}"))
    return messages


@cache
def examples() -> list[dict[str, str]]:
    """The worked examples (`prompts/restate_examples.json`): a requirement and its
    restatement, on families of constraints of their own."""
    raw = files("cadenza.prompts").joinpath("restate_examples.json").read_text(encoding="utf-8")
    loaded: list[dict[str, str]] = json.loads(raw)
    return loaded


def normalised(text: str) -> str:
    """A requirement's text as the cache knows it: case, spacing and end punctuation
    do not matter."""
    return " ".join(text.lower().split()).rstrip(" .!")


def cache_key(text: str) -> str:
    digest = hashlib.sha256(f"{COMPILER_VERSION}\n{normalised(text)}".encode()).hexdigest()
    return f"compile:{digest[:32]}"


class CompileCache(Protocol):
    """Where compiles are kept (the store)."""

    def compiled_get(self, key: str) -> CompiledRow | None: ...

    def compiled_put(self, key: str, row: CompiledRow) -> None: ...


class ModelCompiler:
    """Compiles requirements with `model`; reads and fills the store's cache.
    `restatements` keeps what the model wrote, in order. `limit`: at most this many
    requirements are compiled with the model (cached compiles do not count; None: no
    limit); past that, requirements stay judged."""

    def __init__(
        self, model: Model, *, store: CompileCache | None = None, limit: int | None = None
    ) -> None:
        self.model = model
        self.store = store
        self._left = limit
        self.calls = 0
        self.served = 0
        self.restatements: list[str] = []

    def cached(self, requirement: Requirement) -> CompiledRequirement | None:
        """The stored compile of this requirement's text, if any (no model call)."""
        if self.store is None:
            return None
        row = self.store.compiled_get(cache_key(requirement.description))
        found = _from_row(requirement, row) if row is not None else None
        if found is not None:
            self.served += 1
        return found

    async def compile(self, requirement: Requirement, task: str | None) -> CompiledRequirement:
        text = requirement.description
        cached = self.cached(requirement)
        if cached is not None:
            return cached
        if self._left is not None and self._left <= 0:
            why = "no rule reads it, and the budget leaves no room to compile it; judged"
            return CompiledRequirement(requirement, "judged", rubric=text, why=why)
        if self._left is not None:
            self._left -= 1
        asks = subjective_word(text)
        if asks is not None:  # no check is all of it (callers route these to the judge too)
            why = f"asks for {asks.group(0)!r}, which only a judge can assess"
            return CompiledRequirement(requirement, "judged", rubric=text, why=why)
        messages = restate_messages(text)
        problems: list[str] = []
        for _ in range(ATTEMPTS):
            request = CompletionRequest(
                messages=tuple(messages),
                temperature=0.0,
                seed=0,
                max_tokens=RESTATE_MAX_TOKENS,
                grammar=controlled.gbnf(),
            )
            try:
                completion = await self.model.complete(request)
            except ProviderError as exc:
                return CompiledRequirement(
                    requirement,
                    "judged",
                    rubric=text,
                    why=f"the compile model failed ({exc.message}); judged instead",
                )
            self.calls += 1
            written = restatement(completion.text)
            self.restatements.append(written)
            outcome = read_restatement(requirement, written)
            if isinstance(outcome, CompiledRequirement):
                if outcome.expr is not None:
                    how = " after one correction" if problems else ""
                    why = f"restated by {self.model.id}{how} as {written!r}; literals accounted for"
                    if grammar.parse(written) != outcome.expr:
                        read_as = describe(outcome.expr)
                        why += f"; its boundary put where the requirement says: {read_as!r}"
                    outcome = CompiledRequirement(requirement, "compiled", outcome.expr, why=why)
                self._remember(text, outcome)
                return outcome
            problems.append(outcome)
            messages += [
                Message("assistant", written),
                Message("user", render("restate_retry", problem=outcome)),
            ]
        why = f"the model's restatement did not hold up ({problems[-1]}); judged instead"
        compiled = CompiledRequirement(requirement, "judged", rubric=text, why=why)
        self._remember(text, compiled)
        return compiled

    def _remember(self, text: str, compiled: CompiledRequirement) -> None:
        if self.store is None:
            return
        expr = codec.to_text(compiled.expr) if compiled.expr is not None else None
        row = CompiledRow(normalised(text), COMPILER_VERSION, expr, compiled.why, self.model.id)
        self.store.compiled_put(cache_key(text), row)


def restatement(reply: str) -> str:
    """What a model wrote, as the reader takes it: its first line, without surrounding
    space, backticks or a closing full stop (a hosted model writes free text)."""
    lines = [line.strip(" \t`") for line in reply.strip().splitlines() if line.strip(" \t`")]
    return lines[0].removesuffix(".").strip() if lines else ""


def read_restatement(requirement: Requirement, written: str) -> CompiledRequirement | str:
    """The compiled requirement a restatement states, or what is wrong with it."""
    text = requirement.description
    if written.lower() == controlled.JUDGE:
        return CompiledRequirement(
            requirement, "judged", rubric=text, why="the model says only a judge can decide it"
        )
    expr = grammar.parse(written)
    if expr is None:
        return f"{written!r} is not in the controlled language"
    # a boundary on the side the requirement's own words put it ("4 or fewer" is at
    # most 4, whichever the model wrote), a unit's name in quotes the unit it names
    expr = rebound(text, units_for_names(text, expr))
    problem = verify(text, expr)
    if problem:
        return problem
    return CompiledRequirement(requirement, "compiled", expr, why="restated and verified")


def verify(text: str, expr: Expr) -> str:
    """What is wrong with the expression a restatement of `text` states ("" when it
    holds up): literal accounting both ways, a check for each clause, then the round
    trip."""
    if not accounts_for(text, expr):
        return "the restatement leaves out a unit or a scope the requirement names"
    unused = literals_unused(text, expr) + nouns_unnamed(text, expr)
    if unused:
        return f"the restatement does not use {', '.join(unused)} of the requirement"
    invented = literals_invented(text, expr) + cases_unsaid(text, expr)
    invented += languages_unsaid(text, expr)
    if invented:
        return f"the requirement does not say {', '.join(invented)}"
    shifted = moved(text, expr)
    if shifted:
        return f"the restatement says {'; '.join(shifted)}"
    # a clause that only hedges, thanks or gives a reason ("it goes to the board") asks
    # for no check
    said = [text[a:b] for a, b in clauses(text) if not only_aside(text[a:b])]
    if len(said) > len(_conjuncts(expr)):
        # a clause without a number, a quote or a unit ("never mention prices") is not
        # caught by the accounting above: one check each, or the judge reads it whole
        return (
            f"the requirement has {len(said)} clauses ({'; '.join(said)}) and the "
            f"restatement states {len(_conjuncts(expr))} check(s): one clause went unread"
        )
    back = describe(expr)
    if grammar.parse(back) != expr:
        return f"the restatement reads as {back!r}, which does not read back the same"
    if vacuous(expr):
        return f"{back!r} holds for any text, so it checks nothing"
    return ""


def _conjuncts(expr: Expr) -> list[Expr]:
    """The checks `expr` states side by side (an all-of, flattened)."""
    if isinstance(expr, AllOf):
        return [part for item in expr.items for part in _conjuncts(item)]
    return [expr]


def _from_row(requirement: Requirement, row: CompiledRow) -> CompiledRequirement | None:
    if row.expr is None:
        return CompiledRequirement(
            requirement, "judged", rubric=requirement.description, why=f"{row.why} (cached)"
        )
    try:
        expr = codec.from_text(row.expr)
    except LanguageError:
        return None  # an unreadable cache row is compiled again
    return CompiledRequirement(requirement, "compiled", expr, why=f"{row.why} (cached)")
