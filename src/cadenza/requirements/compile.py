"""Requirement text -> `CompiledRequirement`: programmatic checks, or an LLM-judge rubric.

Order of attempts for each requirement:
1. deterministic phrasings (`cadenza.requirements.phrasing`): no model, no cost;
2. with a model: the model maps the text into the check vocabulary through
   JSON-schema constrained output; what it returns is validated (`spec_from_dict`),
   and anything invalid falls through to the judge;
3. the LLM judge with a rubric (tone, audience, style, brand voice ...).

A requirement that cannot be understood is kept, marked ``not_understood`` and
judged with its own text as the rubric: never silently dropped. A requirement with
both a mechanical and a subjective part ("a formal tone, under 100 words") gets its
checks AND a judge rubric for the rest.

Contradictions: `compile_requirements` raises `RequirementError` listing every
contradictory pair (part 1's `find_conflicts`) before any candidate is generated, so
nobody pays for samples that can never pass. `conflicts_of` returns them instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from cadenza.errors import ProviderError, RequirementError
from cadenza.prompts import render
from cadenza.providers.base import CompletionRequest, Message, Model
from cadenza.requirements.conflicts import find_conflicts
from cadenza.requirements.describe import catalogue, describe
from cadenza.requirements.phrasing import find_phrases
from cadenza.requirements.phrasing.languages import LANGUAGES
from cadenza.requirements.spec import CheckSpec, spec_from_dict, spec_json_schema
from cadenza.task import Requirement

CompileMethod = Literal["parsed", "llm", "judge", "not_understood", "given"]
"""How a requirement was compiled: ``parsed`` by the deterministic phrasings, ``llm``
mapped by a model into checks, ``judge`` a rubric for the LLM judge, ``not_understood``
(judged with its own text), ``given`` checks supplied by the caller."""

COMPILE_MAX_TOKENS = 300

# Words that mark a part of a requirement no program can check.
_SUBJECTIVE = re.compile(
    r"\b(?:tone|style|voice|audience|friendly|formal|informal|professional|polite|persuasive|"
    r"funny|humorous|witty|playful|serious|engaging|enthusiastic|cheerful|warm|empathetic|"
    r"concise|clear|simple|accessible|kids?|children|beginners?|experts?|factual|accurate|"
    r"objective|neutral|optimistic|catchy|creative|vivid|sarcastic|poetic|rhym\w*|brand)\b",
    re.I,
)


# Quoted words are content to check ("include the keyword 'warm'"), not a tone.
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|(?<!\w)'[^']*'(?!\w)")


def subjective_word(text: str) -> re.Match[str] | None:
    """The word of `text`, outside quotes, that asks for something no program can
    check (tone, audience, style ...), if any."""
    return _SUBJECTIVE.search(_QUOTED.sub(lambda m: " " * len(m.group(0)), text))


def is_subjective(text: str) -> bool:
    """Whether `text` asks for something no program can check (tone, audience ...)."""
    return subjective_word(text) is not None


@dataclass(frozen=True, slots=True)
class CompiledRequirement:
    """One requirement and how it will be verified: `specs` (programmatic checks, all
    must pass) or `rubric` (the LLM judge). `note` says why, for reports."""

    requirement: Requirement
    method: CompileMethod
    specs: tuple[CheckSpec, ...] = ()
    rubric: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if not self.specs and not self.rubric:
            raise ValueError("a compiled requirement needs checks or a rubric")  # a bug

    @property
    def judged(self) -> bool:
        """Whether only the LLM judge decides this requirement (no checks)."""
        return not self.specs

    @property
    def needs_judge(self) -> bool:
        """Whether the LLM judge has a part in deciding it (judged, or mixed)."""
        return self.rubric is not None

    @property
    def label(self) -> str:
        return self.requirement.label


def compile_text(text: str) -> tuple[CheckSpec, ...]:
    """The checks the deterministic phrasings read in `text` (empty when none)."""
    return tuple(spec for found in find_phrases(text) for spec in found.specs)


def compile_requirement(value: str | Requirement | Mapping[str, Any]) -> CompiledRequirement:
    """Deterministic compile: checks when a known phrasing is found, else a judge rubric
    (the requirement text itself). Never calls a model."""
    requirement = Requirement.of(value)
    specs = compile_text(requirement.description)
    if specs:
        subjective = subjective_word(requirement.description)
        if subjective is None:
            return CompiledRequirement(requirement, "parsed", specs)
        checked = "; ".join(describe(s) for s in specs)
        rubric = f"{requirement.description} (grade only what is not about: {checked})"
        note = f"checks for the mechanical part, the judge for {subjective.group(0)!r}"
        return CompiledRequirement(requirement, "parsed", specs, rubric, note)
    return CompiledRequirement(
        requirement, "judge", rubric=requirement.description, note="no mechanical phrasing found"
    )


async def compile_requirements(
    values: Iterable[str | Requirement | Mapping[str, Any] | CompiledRequirement],
    *,
    model: Model | None = None,
    check_conflicts: bool = True,
) -> list[CompiledRequirement]:
    """Compile every requirement (deterministic first; `model`, when given, maps the rest
    into checks or a rubric). Raises `RequirementError` listing contradictory
    requirements when `check_conflicts`."""
    out: list[CompiledRequirement] = []
    for value in values:
        compiled = value if isinstance(value, CompiledRequirement) else compile_requirement(value)
        if compiled.method == "judge" and model is not None:
            compiled = await compile_with_model(compiled.requirement, model)
        out.append(compiled)
    if check_conflicts:
        raise_on_conflicts(out)
    return out


def conflicts_of(compiled: Sequence[CompiledRequirement]) -> list[str]:
    """Contradictory pairs among the checks of mandatory requirements."""
    specs = [s for c in compiled if c.requirement.is_mandatory for s in c.specs]
    return find_conflicts(specs)


def raise_on_conflicts(compiled: Sequence[CompiledRequirement]) -> None:
    conflicts = conflicts_of(compiled)
    if conflicts:
        listed = "; ".join(conflicts)
        raise RequirementError(
            f"Contradictory requirements: {listed}. No answer can meet them all: remove or "
            "relax one of each pair (or mark it is_mandatory=false)."
        )


def compile_schema() -> dict[str, Any]:
    """The JSON schema the model answers with: a check list, or a judge rubric."""
    return {
        "anyOf": [
            {
                "type": "object",
                "properties": {
                    "kind": {"const": "check"},
                    "checks": {
                        "type": "array",
                        "items": spec_json_schema(),
                        "minItems": 1,
                        "maxItems": 3,
                    },
                },
                "required": ["kind", "checks"],
                "additionalProperties": False,
            },
            {
                "type": "object",
                "properties": {
                    "kind": {"type": "string", "enum": ["judge", "unclear"]},
                    "rubric": {"type": "string", "maxLength": 300},
                },
                "required": ["kind", "rubric"],
                "additionalProperties": False,
            },
        ]
    }


async def compile_with_model(requirement: Requirement, model: Model) -> CompiledRequirement:
    """Ask `model` to map the requirement into checks (validated) or a rubric. A model
    error or an unusable answer leaves the requirement judged, with a note why."""
    request = CompletionRequest(
        messages=(
            Message("system", render("compile_system", catalogue=catalogue())),
            Message("user", render("compile_user", requirement=requirement.description)),
        ),
        temperature=0.0,
        seed=0,
        max_tokens=COMPILE_MAX_TOKENS,
        json_schema=compile_schema(),
    )
    try:
        completion = await model.complete(request)
    except ProviderError as exc:
        return _judged(requirement, f"compile model failed ({exc.message}); judged instead")
    return read_compile_answer(requirement, completion.text)


def read_compile_answer(requirement: Requirement, text: str) -> CompiledRequirement:
    """The compiled requirement a model's JSON answer describes (invalid -> judged)."""
    try:
        data = json.loads(_strip_fence(text))
    except json.JSONDecodeError:
        return _judged(requirement, "the model's mapping was not JSON; judged instead")
    if not isinstance(data, dict):
        return _judged(requirement, "the model's mapping was not an object; judged instead")
    kind = data.get("kind")
    if kind == "check":
        raw = data.get("checks")
        specs: list[CheckSpec] = []
        problems: list[str] = []
        for item in raw if isinstance(raw, list) else []:
            try:
                spec = spec_from_dict(_normalised(item))
            except RequirementError as exc:
                problems.append(str(exc))
                continue
            if not plausible(spec, requirement.description):
                problems.append(f"{spec.family} has nothing to do with the text")
            else:
                specs.append(spec)
        if specs and not problems:
            return CompiledRequirement(requirement, "llm", tuple(specs), note="mapped by the model")
        why = "; ".join(problems) or "no checks given"
        return _judged(requirement, f"the model's checks were invalid ({why}); judged instead")
    rubric = data.get("rubric")
    if kind == "judge" and isinstance(rubric, str) and rubric.strip():
        return CompiledRequirement(
            requirement, "judge", rubric=f"{requirement.description} ({rubric.strip()})"
        )
    return CompiledRequirement(
        requirement,
        "not_understood",
        rubric=requirement.description,
        note="not understood as a check; judged with its own text as the rubric",
    )


# Words a requirement text uses when it asks for a family's check: an LLM mapping to a
# family none of whose cues occur in the text is implausible (small models guess).
_CUES: dict[str, tuple[str, ...]] = {
    "word_count": ("word", "long", "length", "short", "brief"),
    "sentence_count": ("sentence",),
    "paragraph_count": ("paragraph",),
    "line_count": ("line",),
    "character_count": ("character", "char", "tweet", "sms"),
    "bullet_count": ("bullet", "list", "point"),
    "numbered_item_count": ("number", "list", "step"),
    "section_count": ("section", "part"),
    "highlight_count": ("highlight", "italic", "bold", "emphas"),
    "placeholder_count": ("placeholder", "bracket"),
    "markdown_table_count": ("table",),
    "code_block_count": ("code",),
    "keyword_frequency": ("word", "mention", "keyword", "term", "time", "name"),
    "letter_frequency": ("letter",),
    "capital_word_count": ("capital", "caps", "upper"),
    "regex_count": ("pattern", "regex", "format", "match"),
    "paragraph_first_word": ("paragraph",),
    "title": ("title", "heading"),
    "postscript": ("postscript", "p.s"),
    "separated_responses": ("response", "version", "separat", "answers"),
    "repeat_request": ("repeat",),
    "keywords_present": ("include", "mention", "keyword", "word", "term", "contain", "use"),
    "forbidden_words": ("avoid", "not", "never", "without", "forbid", "exclude", "n't"),
    "all_lowercase": ("lower",),
    "all_uppercase": ("upper", "capital", "caps"),
    "forbidden_characters": ("no ", "avoid", "without", "not", "n't", "never"),
    "starts_with": ("start", "begin", "open"),
    "ends_with": ("end", "finish", "close", "conclude", "sign off"),
    "wrapped_in_quotes": ("quot",),
    "valid_json": ("json",),
    "json_schema": ("json", "schema"),
    "response_language": ("language", *LANGUAGES),
    "answer_option": ("option", "choose", "one of"),
}


def plausible(spec: CheckSpec, text: str) -> bool:
    """Whether `text` mentions anything the spec's family is about."""
    low = text.lower()
    return any(cue in low for cue in _CUES.get(spec.family, ()))


def _normalised(item: Any) -> Any:
    """Drop an `n_max` a model filled in for a relation that does not use it."""
    if isinstance(item, dict) and item.get("relation") != "between" and "n_max" in item:
        return {k: v for k, v in item.items() if k != "n_max"}
    return item


def _judged(requirement: Requirement, note: str) -> CompiledRequirement:
    return CompiledRequirement(requirement, "judge", rubric=requirement.description, note=note)


def _strip_fence(text: str) -> str:
    body = text.strip()
    if body.startswith("```"):
        body = body.split("\n", 1)[1] if "\n" in body else ""
        body = body.rsplit("```", 1)[0]
    return body.strip()
