"""Whether a sentence no rule classified asks something of the answer, asked of a model.

The rules read imperatives, modals and wishes; a verbless fragment ("past tense only",
"written for first-time voters") or a statement ("my students are nine years old") is
one they cannot tell from background ("I drink three cups a day"). Such a piece is set
aside by rule, and with a model at hand each one is put to it as one narrow question,
answered yes or no with the output constrained to those two words: the request first
(so every question about one prompt shares it as a prefix), then the part, then "does
this part tell the assistant what its reply must be like or contain?". The score is
P(yes) where the provider returns token probabilities; a part is an instruction when it
reaches `INSTRUCTION_AT`, calibrated on labelled data of our own
(``benchmarks/instruction_calibration.py``). A part the model calls an instruction is
judged as written; the rest stays set aside and is named in the reading's notes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from cadenza.errors import ProviderError
from cadenza.prompts import render
from cadenza.providers.base import CompletionRequest, Message, Model
from cadenza.requirements.judge import (
    JUDGE_CHOICES,
    JUDGE_MAX_TOKENS,
    escape_candidate,
    markers_for,
    read_judge_answer,
)

INSTRUCTION_AT = 0.86
"""P(yes) at which a set-aside part counts as an instruction. The embedded 1.5B model
says yes to almost any part (background scored 0.71 to 0.93 on our labelled parts,
instructions 0.82 to 0.96): 0.86 is the best threshold on one half of the families and
on all of them (``docs/results/instruction_1.5b.json``). A provider without token
probabilities scores a yes 1.0 and a no 0.0, so any threshold takes its word."""


@dataclass(frozen=True, slots=True)
class Sorted:
    """The model's word on one set-aside part: P(yes) (1.0 or 0.0 without token
    probabilities), or None when the call failed (`error` says why)."""

    span: tuple[int, int]
    p_yes: float | None
    error: str = ""

    def instruction(self, threshold: float = INSTRUCTION_AT) -> bool:
        return self.p_yes is not None and self.p_yes >= threshold


def instruction_request(prompt: str, part: str) -> CompletionRequest:
    """The yes/no question about one part of `prompt`."""
    marks = markers_for(prompt, "REQUEST")
    user = render(
        "instruction_user",
        begin=marks.begin,
        end=marks.end,
        prompt=escape_candidate(prompt.strip()),
        part=" ".join(part.split()),
    )
    return CompletionRequest(
        messages=(Message("system", render("instruction_system")), Message("user", user)),
        temperature=0.0,
        seed=0,
        max_tokens=JUDGE_MAX_TOKENS,
        choices=JUDGE_CHOICES,
    )


async def sort_parts(
    prompt: str, spans: Sequence[tuple[int, int]], *, model: Model
) -> list[Sorted]:
    """The model's word on each part of `prompt` at `spans`, asked together (a local
    model decodes questions that are ready at once in one batch)."""

    async def one(span: tuple[int, int]) -> Sorted:
        request = instruction_request(prompt, prompt[span[0] : span[1]])
        try:
            verdict = read_judge_answer(await model.complete(request), model_id=model.id)
        except ProviderError as error:  # a JudgeError (neither yes nor no) is one too
            return Sorted(span, None, str(error))
        return Sorted(span, verdict.score)

    return list(await asyncio.gather(*(one(s) for s in spans)))
