"""Per-arm summaries (accuracy, tokens, calls, cost, wall time) and the files a bench
leaves for people: `report.md`, `accuracy_vs_cost.png` and `summary.json`."""

from __future__ import annotations

import importlib.util
import json
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cadenza.bench.ifeval.data import IFEvalRow
from cadenza.bench.ifeval.reference import Reference
from cadenza.bench.ifeval.results import PromptResult
from cadenza.bench.ifeval.scoring import IFEvalScores, Scorer
from cadenza.bench.stats import Interval, compare, paired_difference
from cadenza.errors import UserError

REPORT = "report.md"
PLOT = "accuracy_vs_cost.png"
SUMMARY = "summary.json"


@dataclass(frozen=True, slots=True)
class ArmSummary:
    strategy: str
    model: str
    scores: IFEvalScores
    prompts: int
    failed: int
    tokens: int
    calls: int
    cost_usd: float
    wall_median_s: float
    wall_p90_s: float
    wall_total_s: float

    @property
    def label(self) -> str:
        return f"{self.strategy} · {self.model}"

    @property
    def tokens_per_prompt(self) -> float:
        return self.tokens / self.prompts if self.prompts else 0.0

    @property
    def accuracy_per_1k_tokens(self) -> float:
        """Strict prompt-level accuracy per thousand tokens spent on a prompt."""
        per_prompt = self.tokens_per_prompt
        return self.scores.strict.prompt / (per_prompt / 1000) if per_prompt else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy,
            "model": self.model,
            **self.scores.to_json(),
            "prompts": self.prompts,
            "failed": self.failed,
            "tokens": self.tokens,
            "tokens_per_prompt": round(self.tokens_per_prompt, 1),
            "calls": self.calls,
            "cost_usd": round(self.cost_usd, 6),
            "wall_median_s": round(self.wall_median_s, 3),
            "wall_p90_s": round(self.wall_p90_s, 3),
            "wall_total_s": round(self.wall_total_s, 3),
            "accuracy_per_1k_tokens": round(self.accuracy_per_1k_tokens, 4),
        }


def percentile(values: Sequence[float], q: float) -> float:
    """The `q` quantile (0..1) with linear interpolation between order statistics."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarise(
    strategy: str,
    model: str,
    results: Sequence[PromptResult],
    rows: Sequence[IFEvalRow],
    scorer: Scorer,
) -> ArmSummary:
    """Score an arm's results; a prompt that failed counts as an empty response (it
    follows nothing), so failures lower accuracy instead of vanishing."""
    by_prompt = {r.prompt: r.response for r in results}
    scored_rows = [row for row in rows if row.prompt in by_prompt]
    scores = scorer.score_responses(scored_rows, by_prompt)
    walls = [r.wall_s for r in results]
    return ArmSummary(
        strategy=strategy,
        model=model,
        scores=scores,
        prompts=len(results),
        failed=sum(1 for r in results if not r.ok),
        tokens=sum(r.total_tokens for r in results),
        calls=sum(r.calls for r in results),
        cost_usd=sum(r.cost_usd for r in results),
        wall_median_s=statistics.median(walls) if walls else 0.0,
        wall_p90_s=percentile(walls, 0.9),
        wall_total_s=sum(walls),
    )


def paired(a: IFEvalScores, b: IFEvalScores) -> Interval | None:
    """Strict prompt-level accuracy of `a` minus `b` on the prompts both answered, with
    its paired bootstrap 95% interval (None when they share no prompt)."""
    shared = [p for p in a.strict_by_prompt if p in b.strict_by_prompt]
    if not shared:
        return None
    return paired_difference(
        [a.strict_by_prompt[p] for p in shared], [b.strict_by_prompt[p] for p in shared]
    )


def differences(summaries: Sequence[ArmSummary], refs: Sequence[Reference]) -> list[str]:
    """Each arm against the first arm and against each reference, on the same prompts:
    the difference in strict prompt-level accuracy, its interval, and what it allows one
    to say."""
    pairs = [(s, summaries[0].label, summaries[0].scores) for s in summaries[1:]]
    pairs += [(s, ref.name, ref.scores) for s in summaries for ref in refs]
    lines: list[str] = []
    for arm, other, scores in pairs:
        diff = paired(arm.scores, scores)
        if diff is None:
            continue
        lines.append(
            f"- {arm.label} minus {other}: {100 * diff.estimate:+.1f} points "
            f"[{100 * diff.low:+.1f}, {100 * diff.high:+.1f}] ({compare(diff)})"
        )
    if lines:
        head = "Differences in strict prompt-level accuracy on the same prompts (paired "
        head += "bootstrap 95% interval; a claim holds only when the interval excludes 0):"
        lines = ["", head, "", *lines]
    return lines


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def render_markdown(
    summaries: Sequence[ArmSummary],
    *,
    title: str,
    command: str = "",
    refs: Sequence[Reference] = (),
) -> str:
    lines = [f"# {title}", ""]
    if command:
        lines += ["Made with:", "", "```", command, "```", ""]
    lines += [
        "| strategy | model | n | strict prompt | strict instr. | loose prompt | loose instr. "
        "| tokens/prompt | calls | cost $ | wall median s | wall p90 s | acc. per 1k tok |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in summaries:
        lines.append(
            f"| {s.strategy} | {s.model} | {s.scores.n} | {_pct(s.scores.strict.prompt)} "
            f"| {_pct(s.scores.strict.instruction)} | {_pct(s.scores.loose.prompt)} "
            f"| {_pct(s.scores.loose.instruction)} | {s.tokens_per_prompt:.0f} | {s.calls} "
            f"| {s.cost_usd:.4f} | {s.wall_median_s:.2f} | {s.wall_p90_s:.2f} "
            f"| {s.accuracy_per_1k_tokens:.3f} |"
        )
    lines += [
        "",
        "Strict prompt-level accuracy with its 95% Wilson interval: "
        + "; ".join(f"{s.label} {s.scores.interval('strict', 'prompt').shown()}" for s in summaries)
        + ".",
    ]
    lines += differences(summaries, refs)
    for ref in refs:
        lines += [
            "",
            f"Reference: the {ref.name} responses shipped with the data ({ref.file}), scored "
            f"on the same {ref.scores.n} prompts: strict prompt {_pct(ref.scores.strict.prompt)}"
            f", strict instruction {_pct(ref.scores.strict.instruction)}, loose prompt "
            f"{_pct(ref.scores.loose.prompt)}, loose instruction "
            f"{_pct(ref.scores.loose.instruction)}.",
        ]
    failed = [s for s in summaries if s.failed]
    if failed:
        lines += [""] + [
            f"- {s.label}: {s.failed} prompt(s) failed and count as empty answers." for s in failed
        ]
    families = sorted({name for s in summaries for name in s.scores.by_family})
    if families:
        lines += [
            "",
            "## Strict instruction-level accuracy per instruction",
            "",
            "| instruction | " + " | ".join(s.label for s in summaries) + " |",
            "|---|" + "---:|" * len(summaries),
        ]
        for name in families:
            cells = []
            for s in summaries:
                family = s.scores.by_family.get(name)
                cells.append(f"{_pct(family.strict)} ({family.n})" if family else "–")
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"![accuracy against tokens and wall time]({PLOT})",
        "",
        "Scored with IFEval's official checker semantics (strict: the response as given; "
        "loose: also without its first/last line or '*' marks).",
        "",
    ]
    return "\n".join(lines)


def require_plotting() -> None:
    """Refuse early (before any model call) when matplotlib is missing."""
    if importlib.util.find_spec("matplotlib") is None:
        raise UserError(
            "The bench report draws its plot with matplotlib, which is not installed: "
            "pip install 'cadenza[bench]'."
        )


def plot(summaries: Sequence[ArmSummary], path: Path, refs: Sequence[Reference] = ()) -> None:
    """Two panels: strict prompt-level accuracy against tokens per prompt and against
    median wall time per prompt; one labelled point per strategy and model, a dashed
    line per reference (its single answers, cost unknown)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.ticker import MaxNLocator

    models = sorted({s.model for s in summaries})
    figure, (left, right) = pyplot.subplots(1, 2, figsize=(11, 4.5), constrained_layout=True)
    try:
        for axis, xs, xlabel in (
            (left, [s.tokens_per_prompt for s in summaries], "tokens per prompt (mean)"),
            (right, [s.wall_median_s for s in summaries], "wall time per prompt, median (s)"),
        ):
            for s, x in zip(summaries, xs, strict=True):
                y = 100 * s.scores.strict.prompt
                axis.scatter([x], [y], s=60)
                label = s.strategy if len(models) == 1 else s.label
                axis.annotate(label, (x, y), textcoords="offset points", xytext=(6, 6))
            for ref in refs:
                level = 100 * ref.scores.strict.prompt
                axis.axhline(level, linestyle="--", color="grey", linewidth=1)
                axis.annotate(
                    f"{ref.name} reference",
                    (0.98, level),
                    xycoords=axis.get_yaxis_transform(),
                    textcoords="offset points",
                    xytext=(0, -13),
                    ha="right",
                    color="grey",
                )
            axis.set_xlabel(xlabel)
            axis.set_ylabel("IFEval strict prompt-level accuracy (%)")
            axis.set_ylim(0, 100)
            axis.set_xlim(left=0, right=max(xs, default=1) * 1.3 or 1)
            axis.xaxis.set_major_locator(MaxNLocator(nbins=5))
            axis.grid(alpha=0.3)
        on = f" ({models[0]})" if len(models) == 1 else ""
        figure.suptitle(f"IFEval: accuracy against cost{on}")
        figure.savefig(path, dpi=120)
    finally:
        pyplot.close(figure)


def write_report(
    summaries: Sequence[ArmSummary],
    out: Path,
    *,
    title: str = "IFEval benchmark",
    command: str = "",
    extra: Mapping[str, Any] | None = None,
    refs: Sequence[Reference] = (),
) -> dict[str, Path]:
    """Write `report.md`, `accuracy_vs_cost.png` and `summary.json` into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {"report": out / REPORT, "plot": out / PLOT, "summary": out / SUMMARY}
    markdown = render_markdown(summaries, title=title, command=command, refs=refs)
    paths["report"].write_text(markdown, "utf-8")
    plot(summaries, paths["plot"], refs)
    summary: dict[str, Any] = {"arms": [s.to_json() for s in summaries], **(extra or {})}
    if refs:
        summary["references"] = [
            {"name": r.name, "file": r.file, **r.scores.to_json()} for r in refs
        ]
    paths["summary"].write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return paths
