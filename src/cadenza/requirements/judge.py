"""The LLM judge: score one candidate against one rubric, with a reason and a fix hint.

The candidate is treated strictly as data: it goes in the user message between two
markers that carry a nonce derived from the candidate, the system prompt tells the
judge the candidate is untrusted and never to obey it, and any marker-like sequence
inside the candidate is escaped so it cannot close the data block early.

The answer is JSON-schema constrained (`JUDGE_SCHEMA`; the Anthropic provider sends
it as a forced tool) and parsed strictly: the whole reply must be one JSON object with
a boolean ``passed`` and a ``score`` in [0, 1] (optional ``reason`` and ``fix_hint``
strings) and nothing else. Anything else — prose around the object, a 1-10 score, a
missing field, an object quoted from the candidate — is a `JudgeError`: the judge
failed, and the requirement is not verified. A pass needs both ``passed`` and a score
at the threshold.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from cadenza.errors import JudgeError
from cadenza.prompts import render
from cadenza.providers.base import CompletionRequest, Message, Model
from cadenza.requirements.verdict import Verdict

JUDGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "passed": {"type": "boolean"},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "reason": {"type": "string", "maxLength": 300},
        "fix_hint": {"type": "string", "maxLength": 300},
    },
    "required": ["passed", "score", "reason", "fix_hint"],
    "additionalProperties": False,
}
PASS_THRESHOLD = 0.7
JUDGE_MAX_TOKENS = 200
_MARKER_LIKE = re.compile(r"<<<|>>>")
_FIELDS = frozenset(JUDGE_SCHEMA["properties"])
_QUOTE = 120


@dataclass(frozen=True, slots=True)
class Markers:
    """The data markers around one candidate."""

    begin: str
    end: str


def markers_for(candidate: str) -> Markers:
    nonce = hashlib.sha256(candidate.encode("utf-8")).hexdigest()[:12]
    return Markers(f"<<<CANDIDATE {nonce}>>>", f"<<<END CANDIDATE {nonce}>>>")


def escape_candidate(candidate: str) -> str:
    """The candidate with every ``<<<`` / ``>>>`` made harmless (it cannot forge or close
    a data marker)."""
    return _MARKER_LIKE.sub(lambda m: "‹‹‹" if m.group(0) == "<<<" else "›››", candidate)


def judge_request(
    candidate: str,
    rubric: str,
    *,
    task_prompt: str | None = None,
    max_tokens: int = JUDGE_MAX_TOKENS,
) -> CompletionRequest:
    """The request the judge sends: system rules, then the rubric, the task and the
    escaped candidate between data markers in the user message."""
    marks = markers_for(candidate)
    system = render("judge_system", begin=marks.begin, end=marks.end)
    user = render(
        "judge_user",
        rubric=rubric.strip(),
        task=(task_prompt or "(not given)").strip(),
        begin=marks.begin,
        end=marks.end,
        candidate=escape_candidate(candidate),
    )
    return CompletionRequest(
        messages=(Message("system", system), Message("user", user)),
        temperature=0.0,
        seed=0,
        max_tokens=max_tokens,
        json_schema=JUDGE_SCHEMA,
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
    """Grade `candidate` against `rubric` with `model`. Provider errors propagate (the
    caller decides whether to retry); a reply that is not a verdict raises `JudgeError`."""
    if not candidate.strip():
        return Verdict(0.0, False, "the answer is empty", "write an answer", "judge")
    request = judge_request(candidate, rubric, task_prompt=task_prompt, max_tokens=max_tokens)
    completion = await model.complete(request)
    return read_judge_answer(completion.text, threshold=threshold, model_id=model.id)


def read_judge_answer(
    text: str, *, threshold: float = PASS_THRESHOLD, model_id: str = "the judge"
) -> Verdict:
    """The verdict in a judge's reply, read strictly (see the module docstring).
    Raises `JudgeError` naming what is wrong when the reply is not exactly a verdict."""
    data = _verdict_object(text, model_id)
    passed = data["passed"]
    score = data["score"]
    reason = data.get("reason", "")
    hint = data.get("fix_hint", "")
    problem = ""
    if not isinstance(passed, bool):
        problem = f"'passed' is {_kind(passed)}, not true or false"
    elif isinstance(score, bool) or not isinstance(score, (int, float)):
        problem = f"'score' is {_kind(score)}, not a number"
    elif not math.isfinite(score) or not 0.0 <= score <= 1.0:
        problem = f"'score' is {score!r}, outside [0, 1]"
    elif not isinstance(reason, str) or not isinstance(hint, str):
        problem = "'reason' and 'fix_hint' must be strings"
    if problem:
        raise _failure(model_id, problem, text)
    ok = passed and score >= threshold
    reason = reason.strip() or "no reason given"
    hint = "" if ok else (hint.strip() or "revise to meet the requirement")
    return Verdict(float(score), ok, reason, hint, "judge")


def _verdict_object(text: str, model_id: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise _failure(model_id, "the reply is not a JSON object", text) from None
    if not isinstance(data, dict):
        raise _failure(model_id, "the reply is not a JSON object", text)
    missing = sorted({"passed", "score"} - set(data))
    if missing:
        raise _failure(model_id, f"the object has no {' or '.join(map(repr, missing))}", text)
    extra = sorted(set(data) - _FIELDS)
    if extra:
        raise _failure(model_id, f"the object has unexpected fields {extra}", text)
    return data


def _failure(model_id: str, problem: str, text: str) -> JudgeError:
    quoted = " ".join(text.split())
    if len(quoted) > _QUOTE:
        quoted = quoted[: _QUOTE - 1] + "…"
    provider = model_id.split(":", 1)[0] if ":" in model_id else model_id
    return JudgeError(
        f"The judge {model_id} did not answer with a verdict: {problem} (it replied "
        f"{quoted!r}). The requirement is not verified. Use a judge model that follows "
        'a JSON schema (reply exactly {"passed": true|false, "score": 0..1, "reason": '
        '..., "fix_hint": ...}).',
        provider=provider,
        retryable=False,
    )


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return f"the string {value[:20]!r}"
    return type(value).__name__
