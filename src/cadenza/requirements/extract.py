"""Find the explicit requirements in a prompt, from the prompt text alone.

`extract_requirements(prompt)` is deterministic: it runs the phrasing rules over the
whole prompt and returns one compiled requirement per sentence that asks for
something checkable ("Do not use any commas." -> no commas), with that sentence as
the requirement text. `extract_requirements_with_model` also asks a model for the
requirements the rules did not cover (tone, audience ...) and compiles those; by
default only when the rules found nothing, so the common case costs no call.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Literal

from cadenza.errors import ProviderError
from cadenza.prompts import render
from cadenza.providers.base import CompletionRequest, Message, Model
from cadenza.requirements.compile import (
    CompiledRequirement,
    compile_requirement,
    compile_with_model,
)
from cadenza.requirements.phrasing import Found, find_phrases
from cadenza.task import Requirement

EXTRACT_MAX_TOKENS = 256
EXTRACT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "requirements": {
            "type": "array",
            "items": {"type": "string", "maxLength": 200},
            "maxItems": 8,
        }
    },
    "required": ["requirements"],
    "additionalProperties": False,
}
LlmPolicy = Literal["when_empty", "always"]


def extract_requirements(prompt: str) -> list[CompiledRequirement]:
    """The checkable requirements the prompt states, in prompt order (no model)."""
    groups: dict[tuple[int, int], list[Found]] = {}
    for found in find_phrases(prompt):
        groups.setdefault((found.start, found.end), []).append(found)
    out: list[CompiledRequirement] = []
    for (start, end), items in sorted(groups.items()):
        text = " ".join(prompt[start:end].split())
        specs = tuple(spec for f in items for spec in f.specs)
        name = "+".join(dict.fromkeys(spec.family for spec in specs))
        requirement = Requirement(description=text or name, name=name)
        out.append(
            CompiledRequirement(requirement, "parsed", specs, note="extracted from the prompt")
        )
    return out


async def extract_requirements_with_model(
    prompt: str, *, model: Model, policy: LlmPolicy = "when_empty"
) -> list[CompiledRequirement]:
    """`extract_requirements`, plus the model's reading of the prompt for requirements
    the rules missed (`policy`: only when the rules found none, or always). A model
    error leaves the deterministic result."""
    found = extract_requirements(prompt)
    if found and policy == "when_empty":
        return found
    try:
        texts = await _ask_model(prompt, model)
    except ProviderError:
        return found
    families = {spec.family for c in found for spec in c.specs}
    for text in texts:
        compiled = compile_requirement(text)
        if compiled.method == "parsed":
            if {s.family for s in compiled.specs} <= families:
                continue  # already covered by the rules
        elif _overlaps(text, found):
            continue
        else:
            compiled = await compile_with_model(compiled.requirement, model)
        families.update(s.family for s in compiled.specs)
        found.append(compiled)
    return found


async def _ask_model(prompt: str, model: Model) -> list[str]:
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
    return read_extract_answer(completion.text, prompt)


def read_extract_answer(text: str, prompt: str) -> list[str]:
    """The requirement texts in a model's JSON answer; texts that merely restate the
    whole prompt, or are empty, are dropped."""
    try:
        data = json.loads(text.strip().removeprefix("```json").removesuffix("```"))
    except json.JSONDecodeError:
        return []
    items = data.get("requirements") if isinstance(data, dict) else None
    out: list[str] = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str) and item.strip() and item.strip() != prompt.strip():
            out.append(" ".join(item.split()))
    return list(dict.fromkeys(out))


def _overlaps(text: str, found: Sequence[CompiledRequirement]) -> bool:
    low = text.lower()
    return any(low in c.requirement.description.lower() for c in found)
