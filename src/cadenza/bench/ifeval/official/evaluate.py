"""Strict and loose following, as IFEval defines them.

Strict: the response as given must be non-blank and pass the check. Loose: the
check may pass on any of eight variants of the response (as is, without its first
line, without its last line, without both, and each of those with every '*'
removed), which forgives a chatty first line or a markdown wrapper.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cadenza.bench.ifeval.official.registry import INSTRUCTIONS
from cadenza.bench.ifeval.official.text import TextTools


def loose_variants(response: str) -> tuple[str, ...]:
    lines = response.split("\n")
    no_first = "\n".join(lines[1:]).strip()
    no_last = "\n".join(lines[:-1]).strip()
    no_both = "\n".join(lines[1:-1]).strip()
    return (
        response,
        response.replace("*", ""),
        no_first,
        no_last,
        no_both,
        no_first.replace("*", ""),
        no_last.replace("*", ""),
        no_both.replace("*", ""),
    )


def follows(
    instruction_id: str, kwargs: Mapping[str, Any], prompt: str, text: str, tools: TextTools
) -> bool:
    """Whether one (non-blank) text passes one instruction's check."""
    if not text.strip():
        return False
    return INSTRUCTIONS[instruction_id].check(text, kwargs, prompt, tools)


def follows_strict(
    instruction_id: str, kwargs: Mapping[str, Any], prompt: str, response: str, tools: TextTools
) -> bool:
    return follows(instruction_id, kwargs, prompt, response, tools)


def follows_loose(
    instruction_id: str, kwargs: Mapping[str, Any], prompt: str, response: str, tools: TextTools
) -> bool:
    return any(
        follows(instruction_id, kwargs, prompt, variant, tools)
        for variant in loose_variants(response)
    )
