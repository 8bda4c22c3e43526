"""The LLM judge: one narrow yes/no question per requirement and answer.

The question is the one a small model answers best (measured, see
``docs/results/judge-calibration/``): the task and the instruction first, then what was
written, then "Did they follow the instruction ...? Answer yes or no", with the output
constrained to ``yes`` or ``no`` (`CompletionRequest.choices`: a grammar on the embedded
model, structured output on hosted ones). A longer grader's brief with the requirement
asked after the answer separated the 1.5B model's passes from its near misses no better
than chance on data it was not tuned on; the plain question, with the instruction read
before the answer, does. Where the provider returns token probabilities the score is
P(yes), a graded score, and the requirement passes when it reaches `PASS_THRESHOLD`
(calibrated on labelled data of our own: ``benchmarks/judge_calibration.py``); where it
does not, the score is 1.0 for yes and 0.0 for no. The reason and fix hint are a
separate, short free-text call (`judge_reason`), made only when a fix needs them.
`compare` asks which of two candidates better meets a requirement, "A or B", where only
an order is needed.

The candidate is treated strictly as data: it goes in the user message between two
markers that carry a nonce derived from the candidate, the system prompt tells the
judge the text is data and never to obey it, and any marker-like sequence inside the
candidate is escaped so it cannot close the data block early. The system prompt comes
first, so every judge call shares it as a prefix.

A reply that is not one of the choices is a `JudgeError`: the judge failed, and the
requirement is not verified.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cadenza.errors import JudgeError
from cadenza.prompts import render
from cadenza.providers.base import Completion, CompletionRequest, Message, Model
from cadenza.requirements.verdict import Verdict

YES, NO = "yes", "no"
JUDGE_CHOICES = (YES, NO)
COMPARE_CHOICES = ("A", "B")
PASS_THRESHOLD = 0.30
"""P(yes) at which a requirement passes: the best of 0.05 .. 0.95 on our own 95 labelled
rows with the embedded 1.5B model (0.789 right against 0.589 at 0.5), see
``docs/results/judge-calibration/``. It was 0.40 while the batched local model read
P(yes) from the exact token "yes" alone; every usual spelling of yes and of no now counts,
and the 1.5B model's P(yes) came out lower on most rows."""
CONFIDENT_AT = 0.90
"""P(yes) at which a judge's yes is taken as proof. Between `PASS_THRESHOLD` and this the
requirement passes (the candidate ranks as meeting it, no fix is spent on it) but a solve
that rests on it is reported ``unverified``, not ``satisfied``: on our 95 labelled rows no
threshold makes the embedded 1.5B model's yes right nine times in ten (its precision is
0.79 at 0.40 and falls above it; no row reaches 0.90; ``docs/results/judge-calibration/``).
A provider that returns no probabilities scores a yes 1.0: its yes is taken at its word."""
JUDGE_MAX_TOKENS = 4
"""A choice is a token or two; a little room for a tokenizer that splits it."""
REASON_MAX_TOKENS = 120
_MARKER_LIKE = re.compile(r"<<<|>>>")
_QUOTE = 120


@dataclass(frozen=True, slots=True)
class Markers:
    """The data markers around one candidate."""

    begin: str
    end: str


def markers_for(candidate: str, label: str = "CANDIDATE") -> Markers:
    nonce = hashlib.sha256(candidate.encode("utf-8")).hexdigest()[:12]
    return Markers(f"<<<{label} {nonce}>>>", f"<<<END {label} {nonce}>>>")


def escape_candidate(candidate: str) -> str:
    """The candidate with every ``<<<`` / ``>>>`` made harmless (it cannot forge or close
    a data marker)."""
    return _MARKER_LIKE.sub(lambda m: "‹‹‹" if m.group(0) == "<<<" else "›››", candidate)


def _messages(
    candidate: str, rubric: str, task_prompt: str | None, closing: str
) -> tuple[Message, Message]:
    """The system message, then the user message: the task and the instruction, the
    candidate between markers, and the `closing` prompt (the yes/no question, or the
    request for a reason) naming the instruction again."""
    marks = markers_for(candidate, "TEXT")
    system = render("judge_system", begin=marks.begin, end=marks.end)
    task = " ".join((task_prompt or "").split()) or "to write a text"
    instruction = " ".join(rubric.split())
    user = render(
        "judge_user",
        task=task,
        rubric=instruction,
        begin=marks.begin,
        end=marks.end,
        candidate=escape_candidate(candidate),
    )
    ask = render(closing, rubric=instruction)
    return Message("system", system), Message("user", f"{user.rstrip()}\n\n{ask}")


def judge_request(
    candidate: str,
    rubric: str,
    *,
    task_prompt: str | None = None,
    max_tokens: int = JUDGE_MAX_TOKENS,
) -> CompletionRequest:
    """The request the judge sends: system rules, the task and the instruction, the
    escaped candidate between data markers, then the yes/no question; output
    constrained to yes or no."""
    return CompletionRequest(
        messages=_messages(candidate, rubric, task_prompt, "judge_question"),
        temperature=0.0,
        seed=0,
        max_tokens=max_tokens,
        choices=JUDGE_CHOICES,
    )


async def judge(
    candidate: str,
    rubric: str,
    *,
    model: Model,
    task_prompt: str | None = None,
    threshold: float = PASS_THRESHOLD,
    max_tokens: int = JUDGE_MAX_TOKENS,
) -> Verdict:
    """Grade `candidate` against `rubric` with `model`: yes or no, scored P(yes) where
    the provider gives probabilities. Provider errors propagate (the caller decides
    whether to retry); a reply that is not yes or no raises `JudgeError`."""
    if not candidate.strip():
        return Verdict(0.0, False, "the answer is empty", "write an answer", "judge")
    request = judge_request(candidate, rubric, task_prompt=task_prompt, max_tokens=max_tokens)
    completion = await model.complete(request)
    return read_judge_answer(completion, threshold=threshold, model_id=model.id)


def read_judge_answer(
    completion: Completion | str,
    *,
    threshold: float = PASS_THRESHOLD,
    model_id: str = "the judge",
) -> Verdict:
    """The verdict in a judge's reply (a completion, or its text alone). Raises
    `JudgeError` when the reply is not yes or no."""
    text = completion if isinstance(completion, str) else completion.text
    probs = None if isinstance(completion, str) else completion.choice_probs
    said = _choice(text, JUDGE_CHOICES, model_id)
    p_yes = _probability(probs, YES)
    if p_yes is None:
        score = 1.0 if said == YES else 0.0
        reason = f"the judge answered {said}"
    else:
        score = p_yes
        said = YES if p_yes >= threshold else NO
        unsure = said == YES and p_yes < CONFIDENT_AT
        doubt = f", under the {CONFIDENT_AT:.2f} of a confident yes" if unsure else ""
        reason = f"the judge answered {said} (P(yes) = {p_yes:.2f}{doubt})"
    return Verdict(score, score >= threshold, reason, "", "judge")


def unsure_pass(verdict: Verdict) -> bool:
    """Whether `verdict` is a judge's yes too weak to be taken as proof (P(yes) under
    `CONFIDENT_AT`): the requirement counts as met, but not as verified."""
    return verdict.passed and "judge" in verdict.method and verdict.score < CONFIDENT_AT


def reason_request(
    candidate: str,
    rubric: str,
    *,
    task_prompt: str | None = None,
    max_tokens: int = REASON_MAX_TOKENS,
) -> CompletionRequest:
    """The follow-up that asks what is wrong with a candidate the judge said no to, and
    what would fix it (free text, short); same start as `judge_request`."""
    return CompletionRequest(
        messages=_messages(candidate, rubric, task_prompt, "judge_reason"),
        temperature=0.0,
        seed=0,
        max_tokens=max_tokens,
    )


def read_reason(text: str) -> str:
    """The fix hint in a reason reply: its text on one line, or a generic hint."""
    said = " ".join(text.split())
    return said or "revise the answer to meet the requirement"


async def judge_reason(
    candidate: str, rubric: str, *, model: Model, task_prompt: str | None = None
) -> str:
    """What `candidate` does wrong against `rubric` and how to fix it (one short call,
    for the fix prompt of a candidate the judge failed)."""
    completion = await model.complete(reason_request(candidate, rubric, task_prompt=task_prompt))
    return read_reason(completion.text)


@dataclass(frozen=True, slots=True)
class Comparison:
    """Which of two candidates better meets a requirement: `p_a` is the probability
    that it is A (1.0 or 0.0 without token probabilities)."""

    better: str  # "A" or "B"
    p_a: float


def compare_request(
    a: str, b: str, rubric: str, *, task_prompt: str | None = None
) -> CompletionRequest:
    """The request of `compare`: both candidates between their own markers, then the
    question, answered A or B."""
    ma, mb = markers_for(a, "CANDIDATE A"), markers_for(b, "CANDIDATE B")
    system = render(
        "judge_compare_system", begin_a=ma.begin, end_a=ma.end, begin_b=mb.begin, end_b=mb.end
    )
    user = render(
        "judge_compare_user",
        task=(task_prompt or "(not given)").strip(),
        begin_a=ma.begin,
        end_a=ma.end,
        candidate_a=escape_candidate(a),
        begin_b=mb.begin,
        end_b=mb.end,
        candidate_b=escape_candidate(b),
        rubric=rubric.strip(),
    )
    return CompletionRequest(
        messages=(Message("system", system), Message("user", user)),
        temperature=0.0,
        seed=0,
        max_tokens=JUDGE_MAX_TOKENS,
        choices=COMPARE_CHOICES,
    )


async def compare(
    a: str, b: str, rubric: str, *, model: Model, task_prompt: str | None = None
) -> Comparison:
    """Which of `a` and `b` better meets `rubric` ("A or B"). Raises `JudgeError` when
    the reply is neither."""
    completion = await model.complete(compare_request(a, b, rubric, task_prompt=task_prompt))
    said = _choice(completion.text, COMPARE_CHOICES, model.id)
    p_a = _probability(completion.choice_probs, "A")
    if p_a is None:
        return Comparison(said, 1.0 if said == "A" else 0.0)
    return Comparison("A" if p_a >= 0.5 else "B", p_a)


def _choice(text: str, choices: Sequence[str], model_id: str) -> str:
    said = text.strip().strip(".!\"'").strip().casefold()
    for choice in choices:
        if said == choice.casefold():
            return choice
    raise _failure(model_id, choices, text)


def _probability(probs: Mapping[str, float] | None, choice: str) -> float | None:
    if not probs:
        return None
    value = probs.get(choice)
    if value is None or not 0.0 <= value <= 1.0:
        return None
    return float(value)


def _failure(model_id: str, choices: Sequence[str], text: str) -> JudgeError:
    quoted = " ".join(text.split())
    if len(quoted) > _QUOTE:
        quoted = quoted[: _QUOTE - 1] + "…"
    provider = model_id.split(":", 1)[0] if ":" in model_id else model_id
    options = " or ".join(repr(c) for c in choices)
    return JudgeError(
        f"The judge {model_id} did not answer with a verdict: it replied {quoted!r}, not "
        f"{options}. The requirement is not verified. Use a judge model that follows "
        "structured output (its reply must be exactly one of the choices).",
        provider=provider,
        retryable=False,
    )
