"""Expected cost of each kind of call, from what this solve has seen so far and the
engine's running estimates (persisted across runs), with cautious defaults."""

from __future__ import annotations

from collections.abc import Mapping

from cadenza.engine.estimates import Estimates
from cadenza.planner.policy import Cost
from cadenza.settings import Price

JUDGE_OUTPUT_TOKENS = 60


def approx_tokens(text: str) -> int:
    """A rough token count (about 4 characters per token)."""
    return max(1, len(text) // 4)


class CostBook:
    """Expected cost of a sample, fix, merge or judge call per model. Output tokens
    default to 60% of `max_tokens` until observed; latency to `default_latency_s`."""

    def __init__(
        self,
        *,
        task_tokens: int,
        max_tokens: int,
        prices: Mapping[str, Price] | None = None,
        estimates: Estimates | None = None,
        default_latency_s: float = 5.0,
    ) -> None:
        self.task_tokens = task_tokens
        self.max_tokens = max_tokens
        self.prices = dict(prices or {})
        self.estimates = estimates
        self.default_latency_s = default_latency_s
        self._out: dict[tuple[str, str], tuple[int, float]] = {}
        self._lat: dict[tuple[str, str], tuple[int, float]] = {}

    def observe(self, model: str, kind: str, *, output_tokens: int, latency_s: float) -> None:
        n, mean = self._out.get((model, kind), (0, 0.0))
        self._out[(model, kind)] = (n + 1, mean + (output_tokens - mean) / (n + 1))
        n, mean = self._lat.get((model, kind), (0, 0.0))
        self._lat[(model, kind)] = (n + 1, mean + (latency_s - mean) / (n + 1))

    def output_tokens(self, model: str, kind: str) -> float:
        seen = self._out.get((model, kind)) or self._out.get((model, "sample"))
        if seen:
            return min(float(self.max_tokens), seen[1])
        est = self.estimates.get(model, kind) if self.estimates else None
        if est is not None and est.tokens > 0:
            return min(float(self.max_tokens), est.tokens / 2)
        return 0.6 * self.max_tokens

    def latency(self, model: str, kind: str) -> float:
        seen = self._lat.get((model, kind)) or self._lat.get((model, "sample"))
        if seen:
            return seen[1]
        est = self.estimates.latency_s(model, kind) if self.estimates else None
        return est if est is not None else self.default_latency_s

    def _cost(self, model: str, kind: str, input_tokens: float) -> Cost:
        out = self.output_tokens(model, kind)
        price = self.prices.get(model)
        dollars = price.cost(int(input_tokens), int(out)) if price else 0.0
        return Cost(1, input_tokens + out, dollars, self.latency(model, kind))

    def sample(self, model: str) -> Cost:
        return self._cost(model, "sample", self.task_tokens + 40)

    def fix(self, model: str, draft_tokens: int) -> Cost:
        return self._cost(model, "fix", self.task_tokens + draft_tokens + 120)

    def merge(self, model: str, draft_tokens: int) -> Cost:
        return self._cost(model, "merge", self.task_tokens + draft_tokens + 120)

    def judge(self, model: str, draft_tokens: int) -> Cost:
        """One judge call: the rubric prompt around the draft, a short JSON verdict."""
        price = self.prices.get(model)
        dollars = price.cost(draft_tokens + 200, JUDGE_OUTPUT_TOKENS) if price else 0.0
        return Cost(
            1, draft_tokens + 200 + JUDGE_OUTPUT_TOKENS, dollars, self.latency(model, "judge")
        )

    def checked(self, cost: Cost, model: str, kind: str, judges: int, judge_model: str) -> Cost:
        """`cost` of a call that writes a candidate, plus judging that candidate on
        `judges` requirements (so a step is only planned when its verdicts are too)."""
        if judges <= 0:
            return cost
        judging = self.judge(judge_model, int(self.output_tokens(model, kind))).times(judges)
        # Judging follows the writing, so latencies add (`Cost.__add__` is for calls
        # made side by side and takes the longer one).
        return Cost(
            cost.calls + judging.calls,
            cost.tokens + judging.tokens,
            cost.dollars + judging.dollars,
            cost.latency_s + judging.latency_s,
        )
