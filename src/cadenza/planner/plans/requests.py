"""The requests of plan-and-execute (plan, repair, replan, sub-task, join) and the
reading of the joiner's answer. Texts come from the ``tools_*.txt`` templates.

Tool outputs reach prompts only as data: each between two markers carrying a nonce
derived from the output (``<<<RESULT 2 1a2b...>>>`` ... ``<<<END RESULT 2 1a2b...>>>``),
with any marker-like sequence inside escaped so an output cannot close its block
early or forge another (the judge's approach, `cadenza.requirements.judge`), and the
system prompt says never to obey them. Outputs are already capped by the tool's
``max_output_chars``."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from cadenza.planner.plans.plan import json_object, plan_schema
from cadenza.prompts import render
from cadenza.providers.base import CompletionRequest, Message
from cadenza.requirements.judge import escape_candidate
from cadenza.tools.base import ToolInfo

PLAN_MAX_TOKENS = 600
JOIN_MAX_TOKENS = 300
SUBTASK_MAX_TOKENS = 200
JoinChoice = Literal["answer", "replan"]


@dataclass(frozen=True, slots=True)
class Result:
    """One step's result as a prompt shows it: `text` is its output, or why it has
    none (failed, skipped)."""

    node: int
    call: str
    ok: bool
    text: str
    step_id: str = ""


def data_block(label: str, text: str) -> str:
    """`text` as delimited, escaped data."""
    nonce = hashlib.sha256(f"{label}\x00{text}".encode()).hexdigest()[:12]
    return f"<<<{label} {nonce}>>>\n{escape_candidate(text)}\n<<<END {label} {nonce}>>>"


def results_text(results: Sequence[Result], *, refs: bool = True) -> str:
    """The results as delimited data, each labelled ``$N = call:`` (or, for a replan,
    whose new steps number afresh, ``result N, call:``)."""
    parts = []
    for n, r in enumerate(results, start=1):
        status = "" if r.ok else " (no output)"
        label = f"${r.node} =" if refs else f"result {n},"
        block = data_block(f"RESULT {r.node if refs else n}", r.text)
        parts.append(f"{label} {r.call}{status}:\n{block}")
    return "\n".join(parts) if parts else "(none)"


def _signature(tool: ToolInfo) -> str:
    """``name(arg: type, ...)``, each optional argument marked ``?``."""
    props: Mapping[str, Any] = tool.parameters.get("properties") or {}
    required = set(tool.parameters.get("required") or [])
    args = []
    for name, prop in props.items():
        kind = _kind(prop)
        optional = "" if name in required else "?"
        note = (
            f" ({prop['description']})"
            if isinstance(prop, Mapping) and prop.get("description")
            else ""
        )
        args.append(f"{name}{optional}: {kind}{note}")
    return f"{tool.name}({', '.join(args)})"


def _kind(prop: object) -> str:
    if not isinstance(prop, Mapping):
        return "any"
    if "enum" in prop:
        return "one of " + "|".join(str(v) for v in prop["enum"])
    if "anyOf" in prop:
        return " or ".join(_kind(p) for p in prop["anyOf"])
    kind = prop.get("type", "any")
    return "|".join(kind) if isinstance(kind, list) else str(kind)


def plan_request(
    task: str,
    tools: Sequence[ToolInfo],
    *,
    max_steps: int,
    previous: Sequence[Result] = (),
    reason: str = "",
) -> CompletionRequest:
    """Ask for a plan (a replan when `previous` results and the joiner's `reason` are
    given). `tools` are the tools offered, ``llm`` included when it is. Greedy
    (temperature 0): the same task and tools give the same plan, and no seed is set so a
    local model may reuse its cached prompt prefix."""
    offered = tuple(tools)
    described = "\n".join(f"- {_signature(t)}: {t.description.strip()}" for t in offered)
    system = render("tools_plan_system", tools=described, max_steps=max_steps)
    if previous or reason:
        user = render(
            "tools_replan",
            task=task.strip(),
            results=results_text(previous, refs=False),
            reason=reason,
        )
    else:
        user = render("tools_plan_user", task=task.strip())
    return CompletionRequest(
        messages=(Message("system", system.strip()), Message("user", user.strip())),
        temperature=0.0,
        max_tokens=PLAN_MAX_TOKENS,
        json_schema=plan_schema(offered, max_steps),
    )


def repair_request(
    previous: CompletionRequest, answer: str, problems: Sequence[str]
) -> CompletionRequest:
    """Ask once more, showing the plan and what is wrong with it."""
    fix = render("tools_plan_fix", problems="\n".join(f"- {p}" for p in problems))
    return CompletionRequest(
        messages=(
            *previous.messages,
            Message("assistant", answer.strip() or "(no plan)"),
            Message("user", fix.strip()),
        ),
        temperature=previous.temperature,
        seed=None if previous.seed is None else previous.seed + 1,
        max_tokens=previous.max_tokens,
        json_schema=previous.json_schema,
    )


def subtask_request(prompt: str, results: Sequence[Result]) -> CompletionRequest:
    text = render("tools_subtask", prompt=prompt.strip(), results=results_text(results))
    return CompletionRequest.of(text.strip(), temperature=0.0, max_tokens=SUBTASK_MAX_TOKENS)


def join_schema(can_replan: bool) -> dict[str, Any]:
    """With every step done, only the answer is asked for (fewest tokens); after a
    failure, first the reason, then answer or replan, then the answer."""
    if not can_replan:
        return {
            "type": "object",
            "properties": {"answer": {"type": "string"}},
            "required": ["answer"],
            "additionalProperties": False,
        }
    return {
        "type": "object",
        "properties": {
            "reason": {"type": "string"},
            "decision": {"enum": ["answer", "replan"]},
            "answer": {"type": "string"},
        },
        "required": ["reason", "decision", "answer"],
        "additionalProperties": False,
    }


def join_request(task: str, results: Sequence[Result], *, can_replan: bool) -> CompletionRequest:
    reply = render("tools_join_replan" if can_replan else "tools_join_answer")
    system = render("tools_join_system", reply=reply.strip())
    user = render("tools_join_user", task=task.strip(), results=results_text(results))
    return CompletionRequest(
        messages=(Message("system", system.strip()), Message("user", user.strip())),
        temperature=0.0,
        max_tokens=JOIN_MAX_TOKENS,
        json_schema=join_schema(can_replan),
    )


@dataclass(frozen=True, slots=True)
class JoinAnswer:
    decision: JoinChoice
    reason: str
    answer: str


def read_join(text: str, *, can_replan: bool) -> JoinAnswer:
    """The joiner's decision; an answer that is not the JSON asked for is taken as the
    final answer itself (model mistakes are data)."""
    data = json_object(text)
    if data is None:
        return JoinAnswer(
            "answer", "the joiner did not reply in JSON: its text is the answer", text.strip()
        )
    decision: JoinChoice = "replan" if data.get("decision") == "replan" and can_replan else "answer"
    return JoinAnswer(
        decision, str(data.get("reason") or "").strip(), str(data.get("answer") or "").strip()
    )


def facts_context(results: Sequence[Result]) -> str:
    """The tool results as delimited data, for the task's context in later rounds."""
    return render("tools_facts", results=results_text([r for r in results if r.ok])).strip()
