"""All budget arithmetic: what is left, the share an action uses, and the expected cost
of each kind of call (input tokens of the whole rendered request, not the task alone)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field, replace
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

    def cut(self, budget: Budget) -> Budget:
        """`budget` cut to what is left, each limit kept positive."""
        return replace(
            budget,
            dollars=None if self.dollars is None else max(self.dollars, 1e-9),
            tokens=None if self.tokens is None else max(1, int(self.tokens)),
            calls=None if self.calls is None else max(1, int(self.calls)),
            seconds=None if self.seconds is None else max(self.seconds, 1e-9),
        )


def cost_fraction(cost: Cost, remaining: Remaining) -> float:
    """The share of the remaining budget `cost` uses on its tightest axis (inf when it
    does not fit; a small floor when nothing is limited so ratios stay finite)."""
    shares = [0.01 * cost.calls]
    needs = (cost.calls, cost.tokens, cost.dollars, cost.latency_s)
    lefts = (remaining.calls, remaining.tokens, remaining.dollars, remaining.seconds)
    for need, left in zip(needs, lefts, strict=True):
        if left is not None and need > 0:
            shares.append(math.inf if left <= 0 else need / left)
    return max(shares)


def affordable(cost_share: float) -> int:
    """How many actions of one share each the budget affords (capped)."""
    return 100 if cost_share <= 0 else min(100, max(0, math.floor(1.0 / cost_share + 1e-9)))


JUDGE_OUTPUT_TOKENS = 2  # a yes or no, until judge answers are observed
COMPILE_INPUT_TOKENS = 1_000  # a model compile's request (about 3,400 characters)
COMPILE_OUTPUT_TOKENS = 160  # the compiler's own cap, `RESTATE_MAX_TOKENS`
MESSAGE_OVERHEAD = 8  # tokens a chat template adds around each message
MAX_MODEL_COMPILES = 3  # requirements a solve may have a model compile (cached ones are free)
COMPILE_SHARE = 1 / 3  # of any limit of the budget, at most, for model compiles
DEFAULT_LATENCY_S = 5.0  # seconds a call takes until calls of its model and kind are seen


def planning_slots(model: Model) -> int:
    """Calls of `model` worth planning side by side: on a batching model, about 1 / the
    measured cost of one more sequence (at 0.15, 6 to 7 cost what 2 in a row would)."""
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
    """Input tokens of each kind of request apart from the drafts it carries."""

    sample: int
    fix: int
    merge: int
    judge: int


@dataclass(eq=False)
class CostBook:
    """Expected cost of a call per model and kind; `judges`: judged requirements."""

    _: KW_ONLY
    max_tokens: int
    prices: Mapping[str, Price] = field(default_factory=dict)
    sizes: PromptSizes = PromptSizes(0, 0, 0, 0)
    estimates: Estimates | None = None
    judges: int = 0
    judge_model: str = ""
    _out: dict[tuple[str, str], tuple[int, float]] = field(default_factory=dict, init=False)
    _lat: dict[tuple[str, str], tuple[int, float]] = field(default_factory=dict, init=False)

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
            return min(float(JUDGE_MAX_TOKENS), seen[1]) if seen else float(JUDGE_OUTPUT_TOKENS)
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
        what it writes (a step is planned only when its verdicts can be paid for too)."""
        cost = self.call(model, kind, getattr(self.sizes, kind) + draft_tokens)
        if self.judges <= 0:
            return cost
        written = int(self.output_tokens(model, kind))
        judging = self.call(self.judge_model, "judge", self.sizes.judge + written)
        return cost + judging.times(self.judges)  # judging follows the writing


def model_compiles(budget: Budget, costs: CostBook, models: Sequence[str]) -> int:
    """`MAX_MODEL_COMPILES` when they stay within `COMPILE_SHARE` and leave one answer
    (else they would be paid for and the solve refused); else none."""
    one = CostBook(max_tokens=COMPILE_OUTPUT_TOKENS, prices=costs.prices).call(
        models[0], "compile", COMPILE_INPUT_TOKENS
    )
    need = replace(one.times(MAX_MODEL_COMPILES), latency_s=one.latency_s * MAX_MODEL_COMPILES)
    whole = Remaining(budget.calls, budget.tokens, budget.dollars, budget.seconds)
    if cost_fraction(need, whole) > COMPILE_SHARE:
        return 0
    paid = Remaining(budget.calls, budget.tokens, budget.dollars)
    return MAX_MODEL_COMPILES if paid.fits(need + cheapest_sample(costs, models, paid)) else 0


def cheapest_sample(costs: CostBook, models: Sequence[str], limits: Remaining) -> Cost:
    """The sample among `models` that uses the least of `limits`."""
    return min((costs.sample(m) for m in models), key=lambda c: cost_fraction(c, limits))


def refuse_unaffordable(costs: CostBook, models: Sequence[str], budget: Budget) -> None:
    """Refuse (`BudgetError`) a `budget` that cannot pay for the cheapest sample. Not
    on seconds: latencies are guesses, so a time budget stops a run, never refuses it."""
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
