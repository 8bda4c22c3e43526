"""Readable terminal output for results (the CLI's only renderer). Every string that
came from a user or a model is rendered as plain `Text`, never parsed as Rich markup
(a requirement "[bold] titles [/]" shows as written)."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cadenza.result import PlanReport, SolveResult


def print_json(console: Console, data: Any) -> None:
    console.file.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")


# What a finish reason that is not a plain outcome means for the answer.
_FINISH_MEANS = {
    "unverified": " (not every requirement could be checked)",
    "pending": " (stopped before every requirement was judged)",
}


def usage_line(result: SolveResult) -> str:
    u = result.usage
    cost = f"${u.cost_usd:.4f}"
    means = _FINISH_MEANS.get(result.finish_reason, "")
    return (
        f"{result.strategy} on {', '.join(result.models)} · {result.calls} call(s) · "
        f"{u.input_tokens} in + {u.output_tokens} out tokens · {cost} · {result.wall_s:.1f}s · "
        f"finish: {result.finish_reason}{means} · score {result.score:.2f}"
    )


def requirements_table(result: SolveResult) -> Table:
    table = Table(title="Requirements", title_justify="left", show_lines=False)
    table.add_column("requirement", overflow="fold")
    table.add_column("method")
    table.add_column("score", justify="right")
    table.add_column("passed")
    table.add_column("reason", overflow="fold")
    for r in result.requirements:
        mark = Text("yes", style="green") if r.passed else Text("no", style="red")
        name = r.description if r.is_mandatory else f"{r.description} (optional)"
        table.add_row(Text(name), Text(r.method), f"{r.score:.2f}", mark, Text(r.reason))
    return table


def plan_table(plan: PlanReport) -> Table:
    """Every step of every plan: the call, its status, output, latency and cost."""
    title = f"plan steps ({plan.tool_calls} tool call(s))"
    if plan.refused:
        title += f" · refused: {plan.refused}"
    table = Table(title=title, title_justify="left")
    for column in ("plan", "step", "call", "status", "output", "latency", "cost"):
        table.add_column(column, overflow="fold")
    for node in plan.nodes:
        args = node.inputs if node.inputs is not None else node.args
        call = f"{node.tool}({', '.join(f'{k}={v!r}' for k, v in args.items())})"
        output = node.output if node.status == "ok" else node.error
        style = "green" if node.status == "ok" else "red"
        table.add_row(
            str(node.plan),
            f"${node.node}",
            call,
            Text(node.status, style=style),
            output[:200],
            "" if node.latency_s is None else f"{node.latency_s:.2f}s",
            f"${node.cost_usd:.4f}",
        )
    return table


def print_result(console: Console, result: SolveResult) -> None:
    if result.plan is not None:
        console.print(plan_table(result.plan))
    console.print(Panel(Text(result.text), title="answer", title_align="left"))
    if result.requirements:
        console.print(requirements_table(result))
    for note in result.notes:
        console.print(Text(f"note: {note}", style="yellow"))
    console.print(Text(usage_line(result), style="dim"))
