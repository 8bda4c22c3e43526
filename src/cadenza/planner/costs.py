"""All budget arithmetic: what is left (`Remaining`), the share of it an action uses
(`cost_fraction`), and the expected cost of each kind of call, from what this solve
has seen so far and the engine's running estimates (persisted across runs), with
cautious defaults.

Input tokens are those of the whole request a call sends — the task, the requirements
block, the feedback, the judge's rubric and instructions — measured on the rendered
prompts (`cadenza.planner.steps.prompt_sizes`, `request_tokens`), not on the task alone. Dollars use
the solve's price table (`cadenza.providers.pricing.prices_for`: a model's own price,
the user's, the built-in one), the same prices its calls are charged at.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from cadenza.engine.estimates import Estimates
from cadenza.engine.outcomes import Spend
from cadenza.errors import BudgetError
from cadenza.providers.base import CompletionRequest, Model, Usage, estimate_tokens
from cadenza.providers.wrapper import sequence_cost
from cadenza.requirements.judge import JUDGE_MAX_TOKENS
from cadenza.settings import Price
from cadenza.task import Budget


@dataclass(frozen=True, slots=True)
class Cost:
    """What one action is expected to cost."""

    calls: int = 0
    tokens: float = 0.0
    dollars: float = 0.0
    latency_s: float = 0.0

    def times(self, n: int) -> Cost:
        return Cost(self.calls * n, self.tokens * n, self.dollars * n, self.latency_s)

    def __add__(self, other: Cost) -> Cost:
        """This, then `other` (latencies add)."""
        return Cost(
            self.calls + other.calls,
            self.tokens + other.tokens,
            self.dollars + other.dollars,
            self.latency_s + other.latency_s,
        )

    def reserve(self) -> Spend:
        """What the engine's ledger reserves for a step expected to cost this: all of it."""
        return Spend.estimate(
            dollars=self.dollars, tokens=math.ceil(self.tokens), calls=max(1, self.calls)
        )


@dataclass(frozen=True, slots=True)
class Remaining:
    """What is left of the budget (None: no limit on that axis)."""

    calls: int | None = None
    tokens: float | None = None
    dollars: float | None = None
    seconds: float | None = None

    @staticmethod
    def left(budget: Budget, spent: Spend, elapsed: float) -> Remaining:
        """What `budget` leaves after `spent` and `elapsed` seconds."""
        return Remaining(
            calls=None if budget.calls is None else budget.calls - spent.calls,
            tokens=None if budget.tokens is None else budget.tokens - spent.tokens,
            dollars=None if budget.dollars is None else budget.dollars - spent.dollars,
            seconds=None if budget.seconds is None else budget.seconds - elapsed,
        )

    @property
    def exhausted(self) -> bool:
        """Whether some limit is used up (no model call can be paid for)."""
        axes = (self.calls, self.tokens, self.dollars, self.seconds)
        return any(left is not None and left <= 0 for left in axes)

    def fits(self, cost: Cost) -> bool:
        return cost_fraction(cost, self) <= 1.0


def cost_fraction(cost: Cost, remaining: Remaining) -> float:
    """The share of the remaining budget `cost` uses on its tightest axis (inf when it
    does not fit; a small floor when nothing is limited so ratios stay finite)."""
    shares = [0.01 * cost.calls]
    pairs: list[tuple[float, float | None]] = [
        (cost.calls, remaining.calls),
        (cost.tokens, remaining.tokens),
        (cost.dollars, remaining.dollars),
        (cost.latency_s, remaining.seconds),
    ]
    for need, left in pairs:
        if left is None or need <= 0:
            continue
        shares.append(math.inf if left <= 0 else need / left)
    return max(shares)


def affordable(cost_share: float) -> int:
    """How many actions of one share each the budget affords (capped)."""
    if cost_share <= 0:
        return 100
    return min(100, max(0, math.floor(1.0 / cost_share + 1e-9)))


JUDGE_OUTPUT_TOKENS = 2
"""A judge's verdict (yes or no: a token or two) until judge answers are observed."""
COMPILE_INPUT_TOKENS = 1_000
"""A model compile's request: its instructions, the controlled language's forms and
the worked examples (about 3,400 characters)."""
COMPILE_OUTPUT_TOKENS = 160
"""A model compile's answer at most (the compiler's own cap, `RESTATE_MAX_TOKENS`)."""
MESSAGE_OVERHEAD = 8
"""Tokens a chat template adds around each message (role markers, separators)."""
MAX_MODEL_COMPILES = 3
"""At most this many requirements per solve are compiled by a model (cached ones are free)."""
COMPILE_SHARE = 1 / 3
"""Model compiles may use at most this share of any limit of the budget."""
DEFAULT_LATENCY_S = 5.0
"""Seconds a call is expected to take until calls of its model and kind are observed."""


def planning_slots(model: Model) -> int:
    """Calls of `model` worth planning side by side (width, speculation): its
    `max_concurrency`, and on a batching model only as many as one more sequence's
    measured cost pays for (about 1 / cost: at 0.15 a batch of 6 to 7 costs what 2
    calls in a row would; at 1.0, one)."""
    slots = max(1, model.max_concurrency)
    cost = sequence_cost(model)
    if cost is None or slots == 1:
        return slots
    return max(1, min(slots, round(1 / max(cost, 1 / slots))))


def request_tokens(request: CompletionRequest) -> int:
    """Input tokens of `request`: every message, with the chat template's overhead."""
    return sum(estimate_tokens(m.content) + MESSAGE_OVERHEAD for m in request.messages)


@dataclass(frozen=True, slots=True)
class PromptSizes:
    """Input tokens of each kind of request apart from the drafts it carries: a sample
    (task and requirements block), a fix and a merge (their instructions, the task and
    every requirement with its feedback), and one judge call (instructions, task and
    rubric; the mean over the judged requirements)."""

    sample: int
    fix: int
    merge: int
    judge: int


class CostBook:
    """Expected cost of a call per model and kind (sample, fix, merge, judge, a tool
    plan's). Output tokens default to 60% of the call's `max_tokens` (the solve's
    unless a request says otherwise) until observed; latency to `DEFAULT_LATENCY_S`.
    `prices` maps model ids to their price (a model without one costs nothing known);
    `estimates` are the engine's running ones, when the solve has them; `judges`: how
    many requirements `judge_model` (the caller's first model) judges per candidate.
    """

    def __init__(
        self,
        *,
        max_tokens: int,
        prices: Mapping[str, Price] | None = None,
        sizes: PromptSizes = PromptSizes(0, 0, 0, 0),
        estimates: Estimates | None = None,
        judges: int = 0,
        judge_model: str = "",
    ) -> None:
        self.sizes = sizes
        self.judges = judges
        self.judge_model = judge_model
        self.max_tokens = max_tokens
        self.prices = dict(prices or {})
        self.estimates = estimates
        self._out: dict[tuple[str, str], tuple[int, float]] = {}
        self._lat: dict[tuple[str, str], tuple[int, float]] = {}

    def observe(self, model: str, kind: str, usage: Usage) -> None:
        """What a call of `kind` on `model` wrote and how long it took."""
        for seen, value in ((self._out, usage.output_tokens), (self._lat, usage.latency_s)):
            n, mean = seen.get((model, kind), (0, 0.0))
            seen[(model, kind)] = (n + 1, mean + (value - mean) / (n + 1))

    def output_tokens(self, model: str, kind: str, max_tokens: int | None = None) -> float:
        cap = float(self.max_tokens if max_tokens is None else max_tokens)
        if kind == "compile":
            return cap
        if kind == "judge":
            seen = self._out.get((model, kind))
            if seen:
                return min(float(JUDGE_MAX_TOKENS), seen[1])
            return float(JUDGE_OUTPUT_TOKENS)
        seen = self._out.get((model, kind)) or self._out.get((model, "sample"))
        if seen:
            return min(cap, seen[1])
        est = self.estimates.get(model, kind) if self.estimates else None
        if est is not None and est.tokens > 0:
            return min(cap, est.tokens / 2)
        return 0.6 * cap

    def latency(self, model: str, kind: str) -> float:
        seen = self._lat.get((model, kind)) or self._lat.get((model, "sample"))
        if seen:
            return seen[1]
        est = self.estimates.latency_s(model, kind) if self.estimates else None
        return est if est is not None else DEFAULT_LATENCY_S

    def dollars(self, model: str, input_tokens: float, output_tokens: float) -> float:
        price = self.prices.get(model)
        return price.cost(math.ceil(input_tokens), math.ceil(output_tokens)) if price else 0.0

    def call(
        self, model: str, kind: str, input_tokens: float, max_tokens: int | None = None
    ) -> Cost:
        """One call of `kind` on `model` sending `input_tokens`."""
        out = self.output_tokens(model, kind, max_tokens)
        return Cost(
            1, input_tokens + out, self.dollars(model, input_tokens, out), self.latency(model, kind)
        )

    def request(self, model: str, kind: str, request: CompletionRequest) -> Cost:
        """One call of `kind` on `model` sending `request`."""
        return self.call(model, kind, request_tokens(request), request.max_tokens)

    def sample(self, model: str) -> Cost:
        return self.call(model, "sample", self.sizes.sample)

    def checked(
        self, kind: Literal["sample", "fix", "merge"], model: str, draft_tokens: int = 0
    ) -> Cost:
        """One call of `kind` on `model` sending `draft_tokens` of drafts, plus judging
        what it writes on every judged requirement (so a step is only planned when its
        verdicts are too)."""
        cost = self.call(model, kind, getattr(self.sizes, kind) + draft_tokens)
        if self.judges <= 0:
            return cost
        written = int(self.output_tokens(model, kind))
        judging = self.call(self.judge_model, "judge", self.sizes.judge + written)
        return cost + judging.times(self.judges)  # judging follows the writing


def model_compiles(budget: Budget, costs: CostBook, models: Sequence[str]) -> int:
    """How many requirements the first of `models` may compile before the search
    starts: `MAX_MODEL_COMPILES` when their estimated cost, one after another, stays
    within `COMPILE_SHARE` of every limit of `budget` (calls, tokens, dollars and
    seconds), so the search keeps what it needs, and leaves `budget` able to pay for
    one answer as `costs` estimates it (`unaffordable`: else the compiles would be paid
    for and the solve refused); else none."""
    one = CostBook(max_tokens=COMPILE_OUTPUT_TOKENS, prices=costs.prices).call(
        models[0], "compile", COMPILE_INPUT_TOKENS
    )
    need = one.times(MAX_MODEL_COMPILES)
    need = Cost(need.calls, need.tokens, need.dollars, need.latency_s * MAX_MODEL_COMPILES)
    whole = Remaining(budget.calls, budget.tokens, budget.dollars, budget.seconds)
    if cost_fraction(need, whole) > COMPILE_SHARE:
        return 0
    paid = Remaining(budget.calls, budget.tokens, budget.dollars)
    return MAX_MODEL_COMPILES if paid.fits(need + cheapest_sample(costs, models, paid)) else 0


def cheapest_sample(costs: CostBook, models: Sequence[str], limits: Remaining) -> Cost:
    """The sample among `models` that uses the least of `limits`."""
    return min((costs.sample(m) for m in models), key=lambda c: cost_fraction(c, limits))


def refuse_unaffordable(costs: CostBook, models: Sequence[str], budget: Budget) -> None:
    """Refuse a solve (`BudgetError`, before any answer is asked for) whose `budget`
    cannot pay for the cheapest sample among `models`. Calls, tokens and dollars only:
    latencies are guesses, so a time budget stops a run, it does not refuse one."""
    limits = Remaining(budget.calls, budget.tokens, budget.dollars)
    cheapest = cheapest_sample(costs, models, limits)
    if limits.fits(cheapest):
        return
    axes = {"calls": budget.calls, "tokens": budget.tokens, "dollars": budget.dollars}
    given = ", ".join(f"{name} {value}" for name, value in axes.items() if value is not None)
    raise BudgetError(
        f"The budget cannot pay for even one call: one answer is estimated at about "
        f"{cheapest.tokens:.0f} tokens and ${cheapest.dollars:.4f} "
        f"(budget: {given or 'unlimited'}). Raise the budget or lower max tokens."
    )
