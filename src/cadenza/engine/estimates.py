"""Running estimates per (model, kind of step): latency, tokens, cost and success.

The planner reads them to choose between paths (expected cost, latency and chance of
success, each with its uncertainty); the engine feeds them one observation per finished
attempt; the store persists them across runs through `Estimates.to_dict` /
`Estimates.from_dict` (plain JSON-ready data).

Latency, tokens and cost use Welford's online mean and variance. Success uses a Beta
posterior (uniform Beta(1, 1) prior), so an unseen pair has p = 0.5 with wide
uncertainty rather than a confident guess.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

NO_MODEL = "-"  # key for steps that use no resource (e.g. programmatic checks)


class Welford:
    """Online mean and variance of a stream of numbers."""

    __slots__ = ("m2", "mean", "n")

    def __init__(self, n: int = 0, mean: float = 0.0, m2: float = 0.0) -> None:
        self.n = n
        self.mean = mean
        self.m2 = m2

    def add(self, x: float) -> None:
        self.n += 1
        delta = x - self.mean
        self.mean += delta / self.n
        self.m2 += delta * (x - self.mean)

    @property
    def variance(self) -> float:
        """Sample variance (0 with fewer than two observations)."""
        return self.m2 / (self.n - 1) if self.n > 1 else 0.0

    @property
    def std(self) -> float:
        return math.sqrt(self.variance)

    @property
    def stderr(self) -> float:
        """Standard error of the mean (inf before two observations: we do not know)."""
        return math.sqrt(self.variance / self.n) if self.n > 1 else math.inf

    def to_list(self) -> list[float]:
        return [self.n, self.mean, self.m2]

    @staticmethod
    def from_list(data: Any) -> Welford:
        n, mean, m2 = data
        return Welford(int(n), float(mean), float(m2))


class BetaPosterior:
    """Beta(alpha, beta) belief about a success probability."""

    __slots__ = ("alpha", "beta")

    def __init__(self, alpha: float = 1.0, beta: float = 1.0) -> None:
        self.alpha = alpha
        self.beta = beta

    def add(self, success: bool) -> None:
        if success:
            self.alpha += 1.0
        else:
            self.beta += 1.0

    @property
    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    @property
    def std(self) -> float:
        a, b = self.alpha, self.beta
        return math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1.0)))


@dataclass(frozen=True, slots=True)
class Estimate:
    """A snapshot of what we believe about one (model, kind) pair. `n` is how many
    attempts were observed; stds are of single observations, `*_stderr` of the means."""

    model: str
    kind: str
    n: int
    latency_s: float
    latency_std_s: float
    latency_stderr_s: float
    tokens: float
    tokens_std: float
    cost_usd: float
    cost_std_usd: float
    success_p: float
    success_std: float


class _Stats:
    __slots__ = ("cost", "latency", "success", "tokens")

    def __init__(self) -> None:
        self.latency = Welford()
        self.tokens = Welford()
        self.cost = Welford()
        self.success = BetaPosterior()


class Estimates:
    """Running estimates keyed by (model id, step kind). Mutable; owned by whoever
    holds it (a run feeds it, the planner reads it, the store saves it)."""

    def __init__(self) -> None:
        self._stats: dict[tuple[str, str], _Stats] = {}

    def observe(
        self,
        model: str | None,
        kind: str,
        *,
        latency_s: float,
        tokens: int,
        cost_usd: float,
        success: bool,
    ) -> None:
        """Add one finished attempt. Failed attempts count toward success only: their
        latency and spend say little about a successful call's."""
        key = (model or NO_MODEL, kind)
        stats = self._stats.get(key)
        if stats is None:
            stats = self._stats[key] = _Stats()
        stats.success.add(success)
        if success:
            stats.latency.add(latency_s)
            stats.tokens.add(float(tokens))
            stats.cost.add(cost_usd)

    def get(self, model: str | None, kind: str) -> Estimate | None:
        """What we believe about (model, kind), or None if never observed."""
        stats = self._stats.get((model or NO_MODEL, kind))
        if stats is None:
            return None
        lat = stats.latency
        return Estimate(
            model=model or NO_MODEL,
            kind=kind,
            n=int(stats.success.alpha + stats.success.beta - 2),
            latency_s=lat.mean,
            latency_std_s=lat.std,
            latency_stderr_s=lat.stderr,
            tokens=stats.tokens.mean,
            tokens_std=stats.tokens.std,
            cost_usd=stats.cost.mean,
            cost_std_usd=stats.cost.std,
            success_p=stats.success.mean,
            success_std=stats.success.std,
        )

    def latency_s(self, model: str | None, kind: str) -> float | None:
        """Mean latency of successful attempts, or None before the first one."""
        stats = self._stats.get((model or NO_MODEL, kind))
        if stats is None or stats.latency.n == 0:
            return None
        return stats.latency.mean

    def __iter__(self) -> Iterator[Estimate]:
        for model, kind in sorted(self._stats):
            estimate = self.get(model, kind)
            assert estimate is not None
            yield estimate

    def __len__(self) -> int:
        return len(self._stats)

    def merge(self, other: Estimates) -> None:
        """Fold `other`'s observations into these (parallel Welford combination)."""
        for key, theirs in other._stats.items():
            mine = self._stats.get(key)
            if mine is None:
                mine = self._stats[key] = _Stats()
            for name in ("latency", "tokens", "cost"):
                a: Welford = getattr(mine, name)
                b: Welford = getattr(theirs, name)
                setattr(mine, name, _combine(a, b))
            mine.success.alpha += theirs.success.alpha - 1.0
            mine.success.beta += theirs.success.beta - 1.0

    def minus(self, base: Estimates) -> Estimates:
        """The observations these hold beyond `base`, when these are `base` plus more
        (what a run added to the estimates it started from): the inverse of `merge`, so
        ``base.merge(e.minus(base))`` gives back `e` up to rounding."""
        added = Estimates()
        empty = _Stats()
        for key, mine in self._stats.items():
            theirs = base._stats.get(key, empty)
            stats = _Stats()
            for name in ("latency", "tokens", "cost"):
                setattr(stats, name, _uncombine(getattr(mine, name), getattr(theirs, name)))
            stats.success = BetaPosterior(
                mine.success.alpha - theirs.success.alpha + 1.0,
                mine.success.beta - theirs.success.beta + 1.0,
            )
            if stats.success.alpha + stats.success.beta > 2.0:  # observed something
                added._stats[key] = stats
        return added

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"version": 1, "pairs": [{"model", "kind", "latency": [n, mean,
        m2], "tokens": [...], "cost": [...], "success": [alpha, beta]}, ...]}``."""
        return {
            "version": 1,
            "pairs": [
                {
                    "model": model,
                    "kind": kind,
                    "latency": s.latency.to_list(),
                    "tokens": s.tokens.to_list(),
                    "cost": s.cost.to_list(),
                    "success": [s.success.alpha, s.success.beta],
                }
                for (model, kind), s in sorted(self._stats.items())
            ],
        }

    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> Estimates:
        if data.get("version") != 1:
            raise ValueError(f"unknown estimates format version {data.get('version')!r}")
        estimates = Estimates()
        for pair in data["pairs"]:
            stats = _Stats()
            stats.latency = Welford.from_list(pair["latency"])
            stats.tokens = Welford.from_list(pair["tokens"])
            stats.cost = Welford.from_list(pair["cost"])
            alpha, beta = pair["success"]
            stats.success = BetaPosterior(float(alpha), float(beta))
            estimates._stats[(str(pair["model"]), str(pair["kind"]))] = stats
        return estimates


def _combine(a: Welford, b: Welford) -> Welford:
    n = a.n + b.n
    if n == 0:
        return Welford()
    delta = b.mean - a.mean
    mean = a.mean + delta * b.n / n
    m2 = a.m2 + b.m2 + delta * delta * a.n * b.n / n
    return Welford(n, mean, m2)


def _uncombine(total: Welford, part: Welford) -> Welford:
    """The Welford summary of the observations `total` holds beyond `part`."""
    n = total.n - part.n
    if n <= 0:
        return Welford()
    mean = (total.n * total.mean - part.n * part.mean) / n
    delta = mean - part.mean
    m2 = total.m2 - part.m2 - delta * delta * part.n * n / total.n
    return Welford(n, mean, max(0.0, m2))
