"""The strategy options a caller may pass to `solve(options=...)`, checked by type on
entry: an unknown name or a wrong type is refused with a message naming the option
(``max_tokens=-5``, ``speculate="false"``, ``n=2.5`` ...), never coerced."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cadenza.errors import UserError
from cadenza.fields import read_bool, read_number, read_whole

MAX_OUTPUT_TOKENS = 200_000
"""The largest `max_tokens` accepted (above any model's output limit)."""

DEFAULT_MAX_TOKENS = 1024
"""Most output tokens of one sample, fix or merge when the caller does not say."""

_WHERE = "Option"


def _whole(low: int, high: int | None = None) -> Callable[[str, Any], int]:
    def read(name: str, value: Any) -> int:
        return read_whole(_WHERE, name, value, low=low, high=high)

    return read


def _number(low: float, high: float) -> Callable[[str, Any], float]:
    def read(name: str, value: Any) -> float:
        return read_number(_WHERE, name, value, low=low, high=high)

    return read


def _flag(name: str, value: Any) -> bool:
    return read_bool(_WHERE, name, value)


READERS: Mapping[str, Callable[[str, Any], object]] = {
    "max_tokens": _whole(1, MAX_OUTPUT_TOKENS),  # most output tokens per call
    "temperature": _number(0.0, 2.0),  # fresh samples' (default: single 0, refine 0.7, else 0.9)
    "n": _whole(1, 100),  # best_of_n: samples
    "max_rounds": _whole(1, 1000),  # refine: fixes at most
    "speculate": _flag,  # tree: start likely next steps early
    "speculation_confidence": _number(0.0, 1.0),
    "keep": _whole(1, 100),  # tree: candidates kept per round
    "max_width": _whole(1, 100),  # tree: samples in the first round at most
    "compile_with_model": _flag,  # map unparsed requirements into checks with the model
    "extract_with_model": _flag,  # no requirements given: the model also reads the prompt
    "task_requirement": _flag,  # the implicit judged requirement that the answer does the task
    "task_weight": _number(0.01, 100.0),  # its weight
    "judge": _flag,  # requirements no check reads are judged by a model (off: unverified)
    "judge_final": _flag,  # the final answer is judged once on whether it does the task
    "improve_optional": _flag,  # tree: keep improving optional requirements within the budget
    "max_steps": _whole(1, 100),  # plan: tool calls in one plan at most
    "max_replans": _whole(0, 100),  # plan: new plans after the first at most
    "llm_steps": _flag,  # plan: the plan may include model steps
    "max_answer_chars": _whole(16),  # plan: an answer filled in from tool outputs, at most
}


def check_options(options: Mapping[str, Any] | None) -> dict[str, object]:
    """`options` with every value checked and normalised (None: no options). Raises
    `UserError` naming the option for an unknown name or a wrong value."""
    if options is None:
        return {}
    if not isinstance(options, Mapping):
        raise UserError(
            f"options must be a mapping of option names to values, got {type(options).__name__}."
        )
    checked: dict[str, object] = {}
    for name, value in options.items():
        reader = READERS.get(str(name))
        if reader is None:
            raise UserError(
                f"Unknown option {name!r}. Known options: {', '.join(sorted(READERS))}."
            )
        if value is None and name == "max_width":
            continue  # no cap: the default
        checked[str(name)] = reader(str(name), value)
    return checked


def from_pairs(pairs: Sequence[str]) -> dict[str, object]:
    """Options written as ``KEY=VALUE`` (the command line's ``-o``), each VALUE read as
    JSON (``false``, ``3``, ``0.5``) and otherwise kept as text, then checked like any
    options. Raises `UserError` for a pair without ``=``."""
    read: dict[str, object] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            raise UserError(
                f"Option {pair!r} is not KEY=VALUE: write it as, e.g., -o task_requirement=false."
            )
        try:
            value: object = json.loads(raw)
        except ValueError:
            value = raw
        read[name.strip()] = value
    return check_options(read)
