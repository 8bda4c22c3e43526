"""A batch's summary, read from OUT: how many tasks are done, failed and satisfied, what
they cost, and how often each requirement passed across the tasks that had it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from cadenza.batching.items import LineError
from cadenza.batching.jobs import is_failed
from cadenza.batching.workshop import WorkerDone


@dataclass(frozen=True, slots=True)
class RequirementRate:
    """How many of the answers that had `requirement` passed it."""

    requirement: str
    passed: int
    total: int

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "requirement": self.requirement,
            "passed": self.passed,
            "total": self.total,
            "rate": self.rate,
        }


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """The batch as OUT holds it after a run. `tasks` counts the usable input lines;
    `done` those with an answer in OUT, `failed` those recorded as failed, `ran` what
    this run finished and `skipped` what earlier runs had finished. Money and tokens
    cover every done task; `wall_s` is this run's; `workers` says what each worker of
    this run did."""

    out: str
    tasks: int
    done: int
    failed: int
    ran: int
    skipped: int
    satisfied: int
    cost_usd: float
    input_tokens: int
    output_tokens: int
    calls: int
    wall_s: float
    requirements: tuple[RequirementRate, ...]
    malformed: tuple[LineError, ...] = ()
    lost_workers: int = 0
    workers: tuple[WorkerDone, ...] = ()

    @property
    def satisfied_share(self) -> float:
        """Share of the done tasks whose answer meets every mandatory requirement."""
        return self.satisfied / self.done if self.done else 0.0

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def to_json(self) -> dict[str, Any]:
        return {
            "out": self.out,
            "tasks": self.tasks,
            "done": self.done,
            "failed": self.failed,
            "ran": self.ran,
            "skipped": self.skipped,
            "satisfied": self.satisfied,
            "satisfied_share": self.satisfied_share,
            "cost_usd": self.cost_usd,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "tokens": self.tokens,
            "calls": self.calls,
            "wall_s": self.wall_s,
            "lost_workers": self.lost_workers,
            "workers": [asdict(w) for w in self.workers],
            "malformed": [{"line": e.line, "error": e.message} for e in self.malformed],
            "requirements": [r.to_json() for r in self.requirements],
        }


def summarise(
    records: Iterable[Mapping[str, Any]],
    *,
    out: str,
    tasks: int,
    ran: int,
    skipped: int,
    wall_s: float,
    malformed: tuple[LineError, ...] = (),
    lost_workers: int = 0,
    workers: tuple[WorkerDone, ...] = (),
) -> BatchSummary:
    """Sum up the OUT lines of this batch's tasks (`records`)."""
    done = failed = satisfied = calls = input_tokens = output_tokens = 0
    cost = 0.0
    rates: dict[str, list[int]] = {}
    for record in records:
        if is_failed(record):
            failed += 1
            continue
        done += 1
        satisfied += bool(record.get("passed"))
        calls += int(record.get("calls") or 0)
        usage = record.get("usage") or {}
        cost += float(usage.get("cost_usd") or 0.0)
        input_tokens += int(usage.get("input_tokens") or 0)
        output_tokens += int(usage.get("output_tokens") or 0)
        for report in record.get("requirements") or ():
            counts = rates.setdefault(str(report.get("description", "")), [0, 0])
            counts[0] += bool(report.get("passed"))
            counts[1] += 1
    ordered = sorted(rates.items(), key=lambda kv: (-kv[1][1], kv[0]))
    return BatchSummary(
        out=out,
        tasks=tasks,
        done=done,
        failed=failed,
        ran=ran,
        skipped=skipped,
        satisfied=satisfied,
        cost_usd=cost,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        calls=calls,
        wall_s=wall_s,
        requirements=tuple(RequirementRate(name, p, t) for name, (p, t) in ordered),
        malformed=malformed,
        lost_workers=lost_workers,
        workers=workers,
    )
