"""The model compiler: a requirement sentence no rule reads -> an expression of the
check language, verified by its own examples (in the manner of AutoIF's execution
feedback).

The model answers under a JSON schema (grammar-constrained on the local model,
``json_schema`` on hosted ones), after worked examples given as turns
(`prompts/compile_examples.json`), with one of:
- a *rewrite* of the requirement in the controlled language the grammar reads
  ("every bullet has at most 15 words", "the last line is 'Tom'"), which the grammar then
  compiles: a small model restates a sentence far more reliably than it writes an
  expression tree, and the grammar keeps the result precise;
- an *expression* of the JSON check language (for what the controlled language cannot
  say, such as a pattern);
- the judge, when the requirement needs human judgement.
A rewrite or expression comes with a short answer that meets the requirement and one
that narrowly fails it. The expression must use what the sentence talks about (every
number, quoted text, letter and unit of it), count only units the sentence names,
accept the first example and reject the second, and flip its verdict on answers code
mutates from the first around the constraint (`mutations.py`);
otherwise the model is asked once more with what went wrong, and then the requirement
is left to the judge, saying why. Results are cached in the store by normalised
requirement text and `COMPILER_VERSION`, so a requirement is compiled once.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from importlib.resources import files
from typing import Any, Protocol

from cadenza.errors import ProviderError
from cadenza.prompts import render
from cadenza.providers.base import CompletionRequest, Message, Model
from cadenza.requirements import grammar
from cadenza.requirements.compile import CompiledRequirement, is_subjective
from cadenza.requirements.lang import codec
from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.lang.nodes import (
    AllOf,
    AnyOf,
    Compare,
    Count,
    Expr,
    LanguageError,
    Named,
    Not,
    Ratio,
    Select,
)
from cadenza.requirements.lang.schema import defs
from cadenza.requirements.material import literals_unused, nouns_unnamed
from cadenza.requirements.mutations import insensitive
from cadenza.requirements.rules import accounts_for
from cadenza.store.compiled import CompiledRow
from cadenza.task import Requirement

COMPILER_VERSION = "lang-4"
"""Bump when the prompt, the schema or the verification changes: cached compiles of
an older version are not reused."""
COMPILE_MAX_TOKENS = 360
ATTEMPTS = 2

# Words that show a sentence talks about a unit it counts (a counted unit the sentence
# never names is a small model's guess).
_CUES: dict[str, str] = {
    "character": r"char|letter|length|long|short",
    "letter": r"letter|char|alphabet",
    "word": r"word|long|length|short|brief",
    "sentence": r"sent[ae]nce|question|statement|long|short",
    "line": r"line|row",
    "paragraph": r"paragraph|para\b|block",
    "section": r"section|part|heading",
    "bullet": r"bullet|point|list|item",
    "numbered_item": r"number|list|step|item|point",
    "list_item": r"list|item|point|step|entr",
    "heading": r"heading|header|headline|title|section",
    "emoji": r"emoji|emoticon|smiley",
    "punctuation": r"punctuat|mark",
    "digit": r"digit|number|numeral",
    "number": r"number|digit|numeral|figure",
    "capital_word": r"capital|caps|upper",
    "capitalized_word": r"capital|caps|upper",
    "code_block": r"code|block|fence|snippet|```",
    "quote": r"quot",
    "url": r"url|link|http|web|address",
    "email": r"e-?mail",
    "hashtag": r"hashtag|#",
    "mention": r"mention|@|handle|tag",
    "placeholder": r"placeholder|bracket|blank|fill",
    "bold": r"bold|strong|\*\*",
    "italic": r"itali|emphas",
    "highlight": r"highlight|emphas|itali|bold",
    "table": r"table|column|row",
    "table_row": r"row|table",
}


def compile_schema(*, first: bool = True) -> dict[str, Any]:
    """The JSON schema of the compiler's reply: a rewrite in the controlled language with
    its two examples, or the judge; on a retry (`first` false), a rewrite or an
    expression of the JSON check language, each with its two examples, and no judge."""
    example = {"type": "string", "minLength": 1, "maxLength": 300}

    def variant(properties: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": properties,
            "required": list(properties),
            "additionalProperties": False,
        }

    rewrite = variant(
        {
            "rewrite": {"type": "string", "minLength": 1, "maxLength": 160},
            "passing_example": example,
            "failing_example": example,
        }
    )
    if first:
        judge = variant({"judge": {"type": "string", "minLength": 1, "maxLength": 200}})
        return {"anyOf": [rewrite, judge]}
    expression = variant(
        {
            "expression": {"$ref": "#/$defs/expr"},
            "passing_example": example,
            "failing_example": example,
        }
    )
    return {"$defs": defs(), "anyOf": [rewrite, expression]}


def compile_messages(requirement: str) -> list[Message]:
    """The system prompt, the worked examples as turns, then the requirement."""
    messages = [Message("system", render("compile_system"))]
    for example in _examples():
        messages.append(Message("user", f"Requirement: {example['requirement']}"))
        messages.append(Message("assistant", json.dumps(example["reply"], ensure_ascii=False)))
    messages.append(Message("user", f"Requirement: {requirement}"))
    return messages


@cache
def _examples() -> list[dict[str, Any]]:
    raw = files("cadenza.prompts").joinpath("compile_examples.json").read_text(encoding="utf-8")
    loaded: list[dict[str, Any]] = json.loads(raw)
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
    """Compiles requirements with `model`; reads and fills the store's cache."""

    def __init__(self, model: Model, *, store: CompileCache | None = None) -> None:
        self.model = model
        self.store = store
        self.calls = 0
        self.served = 0

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
        key = cache_key(text)
        cached = self.cached(requirement)
        if cached is not None:
            return cached
        messages = compile_messages(text)
        problems: list[str] = []
        for attempt in range(ATTEMPTS):
            request = CompletionRequest(
                messages=tuple(messages),
                temperature=0.0,
                seed=0,
                max_tokens=COMPILE_MAX_TOKENS,
                json_schema=compile_schema(first=attempt == 0),
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
            outcome = read_reply(text, completion.text)
            if isinstance(outcome, CompiledRequirement):
                compiled = _as(requirement, outcome, self.model.id, retried=bool(problems))
                self._remember(key, text, compiled)
                return compiled
            problems.append(outcome)
            messages += [
                Message("assistant", completion.text),
                Message("user", render("compile_retry", problem=outcome)),
            ]
        why = f"the model's check did not hold up ({problems[-1]}); judged instead"
        compiled = CompiledRequirement(requirement, "judged", rubric=text, why=why)
        self._remember(key, text, compiled)
        return compiled

    def _remember(self, key: str, text: str, compiled: CompiledRequirement) -> None:
        if self.store is None:
            return
        expr = codec.to_text(compiled.expr) if compiled.expr is not None else None
        self.store.compiled_put(
            key, CompiledRow(normalised(text), COMPILER_VERSION, expr, compiled.why, self.model.id)
        )


def read_reply(text: str, reply: str) -> CompiledRequirement | str:
    """The compiled requirement a reply describes, or what is wrong with it."""
    requirement = Requirement(description=text)
    try:
        data = json.loads(reply)
    except ValueError:
        return "the reply was not JSON"
    if not isinstance(data, dict):
        return "the reply was not a JSON object"
    if "judge" in data:
        reason = str(data.get("judge") or "").strip()[:200]
        return CompiledRequirement(
            requirement,
            "judged",
            rubric=text,
            why=f"the compiler says it needs judgement ({reason or 'no reason given'})",
        )
    expr: Expr | None
    if "rewrite" in data:
        rewrite = str(data.get("rewrite") or "")
        expr = grammar.parse(rewrite)
        if expr is None:
            return (
                f"the rewrite {rewrite!r} is not in the controlled language; use only its "
                "forms, or give an expression"
            )
    elif "expression" in data:
        try:
            expr = codec.from_json(data.get("expression"))
        except LanguageError as exc:
            return f"the expression is invalid: {exc}"
    else:
        return "the reply has neither a rewrite, an expression nor the judge"
    problem = verify(text, expr, data.get("passing_example"), data.get("failing_example"))
    if problem:
        return problem
    return CompiledRequirement(requirement, "compiled", expr, why="compiled and verified")


def verify(text: str, expr: Expr, passing: Any, failing: Any) -> str:
    """What is wrong with a compiled expression ("" when it holds up): it must use what
    the sentence names (every number, quoted text, letter and unit: literal accounting,
    and the things it counts), count only units the sentence cues, accept the passing
    example and reject the failing one, and change its verdict on answers code mutates
    from the passing example around the constraint (`mutations`): the model's own
    examples are not the only test."""
    if not isinstance(passing, str) or not isinstance(failing, str):
        return "both examples must be strings"
    if not passing.strip() or not failing.strip() or passing.strip() == failing.strip():
        return "the two examples must be different, non-empty answers"
    if not accounts_for(text, expr):
        return "the expression leaves out a unit or a scope the requirement names"
    unclued = [u for u in counted_units(expr) if not re.search(_CUES.get(u, u), text, re.I)]
    if unclued:
        return f"the requirement says nothing about {', '.join(sorted(set(unclued)))}"
    unused = literals_unused(text, expr) + nouns_unnamed(text, expr)
    if unused:
        return f"the expression does not use {', '.join(unused)} of the requirement"
    good = evaluate(expr, passing)
    if not good.passed:
        return f"the expression rejects the passing example ({good.reason})"
    bad = evaluate(expr, failing)
    if bad.passed:
        return f"the expression accepts the failing example ({bad.reason})"
    ignored = insensitive(text, expr, passing)
    if ignored:
        return f"the check does not depend on what the requirement names: {ignored}"
    if is_subjective(text) and not _has_text_check(expr):
        return "the requirement asks for judgement"
    return ""


def counted_units(expr: Expr) -> list[str]:
    """The named units an expression counts (in measures, not selections)."""
    out: list[str] = []

    def visit(e: Expr) -> None:
        match e:
            case Compare():
                out.extend(_count_unit(e.count))
            case Ratio():
                out.extend(_count_unit(e.numerator) + _count_unit(e.denominator))
            case Select():
                visit(e.check)
                if e.where is not None:
                    visit(e.where)
            case AllOf() | AnyOf():
                for item in e.items:
                    visit(item)
            case Not():
                visit(e.item)
            case _:
                pass

    visit(expr)
    return out


def _count_unit(count: Count) -> list[str]:
    return [count.unit.name] if isinstance(count.unit, Named) else []


def _has_text_check(expr: Expr) -> bool:
    return bool(counted_units(expr)) or not isinstance(expr, (AllOf, AnyOf))


def _as(
    requirement: Requirement, outcome: CompiledRequirement, model: str, *, retried: bool
) -> CompiledRequirement:
    if outcome.expr is None:
        return CompiledRequirement(
            requirement, "judged", rubric=requirement.description, why=outcome.why
        )
    how = " after one correction" if retried else ""
    return CompiledRequirement(
        requirement,
        "compiled",
        outcome.expr,
        why=f"compiled by {model}{how}; its check accepts its passing example and "
        "rejects its failing one",
    )


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
