"""The 25 instruction ids IFEval scores, what arguments each takes, and its check.

`validate_kwargs` is strict where the official checker would silently invent a
random value (a missing threshold, a letter that is not one character): a benchmark
row like that cannot be scored reproducibly, so it is reported instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, assert_never

from cadenza.bench.ifeval.official import checks
from cadenza.bench.ifeval.official.checks import RELATIONS, Check

Kind = Literal["int", "str", "words", "relation"]


@dataclass(frozen=True, slots=True)
class Instruction:
    id: str
    check: Check
    params: Mapping[str, Kind]

    @property
    def family(self) -> str:
        """The part before the colon: `keywords`, `length_constraints`..."""
        return self.id.split(":", 1)[0]


def _spec(instruction_id: str, check: Check, **params: Kind) -> Instruction:
    return Instruction(id=instruction_id, check=check, params=params)


INSTRUCTIONS: dict[str, Instruction] = {
    spec.id: spec
    for spec in (
        _spec("keywords:existence", checks.keywords_existence, keywords="words"),
        _spec(
            "keywords:frequency",
            checks.keywords_frequency,
            keyword="str",
            frequency="int",
            relation="relation",
        ),
        _spec("keywords:forbidden_words", checks.keywords_forbidden, forbidden_words="words"),
        _spec(
            "keywords:letter_frequency",
            checks.keywords_letter_frequency,
            letter="str",
            let_frequency="int",
            let_relation="relation",
        ),
        _spec("language:response_language", checks.response_language, language="str"),
        _spec(
            "length_constraints:number_sentences",
            checks.number_sentences,
            num_sentences="int",
            relation="relation",
        ),
        _spec(
            "length_constraints:number_paragraphs", checks.number_paragraphs, num_paragraphs="int"
        ),
        _spec(
            "length_constraints:number_words",
            checks.number_words,
            num_words="int",
            relation="relation",
        ),
        _spec(
            "length_constraints:nth_paragraph_first_word",
            checks.nth_paragraph_first_word,
            num_paragraphs="int",
            nth_paragraph="int",
            first_word="str",
        ),
        _spec(
            "detectable_content:number_placeholders",
            checks.number_placeholders,
            num_placeholders="int",
        ),
        _spec("detectable_content:postscript", checks.postscript, postscript_marker="str"),
        _spec(
            "detectable_format:number_bullet_lists", checks.number_bullet_lists, num_bullets="int"
        ),
        _spec("detectable_format:constrained_response", checks.constrained_response),
        _spec(
            "detectable_format:number_highlighted_sections",
            checks.number_highlighted_sections,
            num_highlights="int",
        ),
        _spec(
            "detectable_format:multiple_sections",
            checks.multiple_sections,
            section_spliter="str",
            num_sections="int",
        ),
        _spec("detectable_format:json_format", checks.json_format),
        _spec("detectable_format:title", checks.title),
        _spec("combination:two_responses", checks.two_responses),
        _spec("combination:repeat_prompt", checks.repeat_prompt, prompt_to_repeat="str"),
        _spec("startend:end_checker", checks.end_checker, end_phrase="str"),
        _spec("startend:quotation", checks.quotation),
        _spec(
            "change_case:capital_word_frequency",
            checks.capital_word_frequency,
            capital_frequency="int",
            capital_relation="relation",
        ),
        _spec("change_case:english_capital", checks.english_capital),
        _spec("change_case:english_lowercase", checks.english_lowercase),
        _spec("punctuation:no_comma", checks.no_comma),
    )
}


def validate_kwargs(instruction_id: str, kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The kwargs an instruction is scored with, or ValueError saying what is wrong.
    Keys whose value is null are dropped (the Hugging Face copy of IFEval lists every
    key of every instruction, null where unused)."""
    spec = INSTRUCTIONS.get(instruction_id)
    if spec is None:
        raise ValueError(f"unknown instruction id {instruction_id!r}")
    given = {k: v for k, v in kwargs.items() if v is not None}
    unknown = sorted(set(given) - set(spec.params))
    if unknown:
        raise ValueError(f"{instruction_id} does not take {', '.join(unknown)}")
    for name, kind in spec.params.items():
        if name not in given:
            raise ValueError(f"{instruction_id} needs {name!r}")
        problem = _kind_problem(name, kind, given[name])
        if problem:
            raise ValueError(f"{instruction_id}: {problem}")
    if instruction_id == "keywords:letter_frequency" and len(given["letter"]) != 1:
        raise ValueError(
            f"{instruction_id}: 'letter' must be one character, got {given['letter']!r}"
        )
    if instruction_id == "length_constraints:nth_paragraph_first_word" and not (
        1 <= given["nth_paragraph"] <= given["num_paragraphs"]
    ):
        raise ValueError(f"{instruction_id}: 'nth_paragraph' must be within 1..num_paragraphs")
    return given


def _kind_problem(name: str, kind: Kind, value: Any) -> str:
    match kind:
        case "int":
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
            wanted = "a non-negative integer"
        case "str":
            ok = isinstance(value, str) and bool(value)
            wanted = "a non-empty string"
        case "words":
            ok = isinstance(value, list) and bool(value) and all(isinstance(w, str) for w in value)
            wanted = "a non-empty list of strings"
        case "relation":
            ok = value in RELATIONS
            wanted = f"one of {', '.join(RELATIONS)}"
        case _:
            assert_never(kind)
    return "" if ok else f"{name!r} must be {wanted}, got {value!r}"
