"""A scripted planner for the plan-and-execute tests: it answers plan requests with
the plans it is given (in turn), joiner requests with `join`, fixes and sub-tasks
with fixed texts, and keeps every request it saw."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from cadenza.providers.base import CompletionRequest
from cadenza.providers.scripted import Reply, ScriptedModel

Join = Callable[[CompletionRequest], dict[str, Any]]


def kind_of(request: CompletionRequest) -> str:
    first = request.messages[0].content
    if first.startswith("You plan how"):
        return "plan"
    if first.startswith("You write the final answer"):
        return "join"
    return "other"


class Planner:
    def __init__(
        self,
        plans: Sequence[dict[str, Any] | str],
        join: Join | None = None,
        other: str = "an answer",
        latency: float = 0.0,
        stream_s: float | None = None,
    ) -> None:
        self.stream_s = stream_s  # set: plans stream over this many seconds
        self.plans = list(plans)
        self.join = join or (lambda request: {"answer": "joined"})
        self.other = other
        self.seen: list[tuple[str, CompletionRequest]] = []
        self.model = ScriptedModel(self._reply, name="scripted:planner", latency=latency)

    def _reply(self, request: CompletionRequest, index: int) -> str | Reply:
        kind = kind_of(request)
        self.seen.append((kind, request))
        if kind == "plan":
            made = sum(1 for k, _ in self.seen if k == "plan")
            plan = self.plans[min(made, len(self.plans)) - 1]
            text = plan if isinstance(plan, str) else json.dumps(plan)
            if self.stream_s is not None:
                return Reply(text, latency_s=self.stream_s, first_token_s=0.0)
            return text
        if kind == "join":
            return json.dumps(self.join(request))
        if request.choices:  # a yes/no judge: it passes what it is asked about
            return "yes" if "yes" in request.choices else request.choices[0]
        return self.other

    def requests(self, kind: str) -> list[CompletionRequest]:
        return [r for k, r in self.seen if k == kind]


def step(node: int, tool: str, reason: str = "needed", **args: Any) -> dict[str, Any]:
    return {"id": node, "tool": tool, "args": args, "reason": reason}
