"""The LLM judge: score one candidate against one rubric, with a reason and a fix hint.

The candidate is treated strictly as data: it goes in the user message between two
markers that carry a nonce derived from the candidate, the system prompt tells the
judge the candidate is untrusted and never to obey it, and any marker-like sequence
inside the candidate is escaped so it cannot close the data block early. The answer
is JSON-schema constrained (`JUDGE_SCHEMA`) and parsed defensively: an unreadable
answer is a failed verdict that says so (model mistakes are data), never a crash.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from cadenza.prompts import render
from cadenza.providers.base import CompletionRequest, Message, Model
from cadenza.requirements.verdict import Verdict

JUDGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "reason": {"type": "string", "maxLength": 300},
        "fix_hint": {"type": "string", "maxLength": 300},
    },
    "required": ["score", "reason", "fix_hint"],
    "additionalProperties": False,
}
PASS_THRESHOLD = 0.7
JUDGE_MAX_TOKENS = 200
_MARKER_LIKE = re.compile(r"<<<|>>>")


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
    """Grade `candidate` against `rubric` with `model`. Passed when score >= threshold.
    Provider errors propagate (the caller decides whether to retry)."""
    if not candidate.strip():
        return Verdict(0.0, False, "the answer is empty", "write an answer", "judge")
    request = judge_request(candidate, rubric, task_prompt=task_prompt, max_tokens=max_tokens)
    completion = await model.complete(request)
    return read_judge_answer(completion.text, threshold=threshold)


def read_judge_answer(text: str, *, threshold: float = PASS_THRESHOLD) -> Verdict:
    """The verdict in a judge's JSON answer; an unreadable answer fails with a reason."""
    data = _json_object(text)
    if data is None:
        return Verdict(
            0.0,
            False,
            "the judge's answer could not be read as JSON",
            "re-run the judge, or use a stronger judge model",
            "judge",
        )
    raw = data.get("score")
    score = float(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else math.nan
    if math.isnan(score):
        return Verdict(0.0, False, "the judge gave no numeric score", "re-run the judge", "judge")
    if score > 1.0 and score <= 10.0:
        score = score / 10.0  # a 0-10 scale slipped through
    score = min(1.0, max(0.0, score))
    reason = str(data.get("reason") or "").strip() or "no reason given"
    passed = score >= threshold
    hint = (
        ""
        if passed
        else (str(data.get("fix_hint") or "").strip() or "revise to meet the requirement")
    )
    return Verdict(score, passed, reason, hint, "judge")


def _json_object(text: str) -> dict[str, Any] | None:
    body = text.strip()
    if body.startswith("```"):
        body = body.split("\n", 1)[1] if "\n" in body else ""
        body = body.rsplit("```", 1)[0]
    start = body.find("{")
    if start < 0:
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(body[start:])
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None
