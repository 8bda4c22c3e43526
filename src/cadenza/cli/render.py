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

from cadenza.result import SolveResult


def print_json(console: Console, data: Any) -> None:
    console.file.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")


def usage_line(result: SolveResult) -> str:
    u = result.usage
    cost = f"${u.cost_usd:.4f}"
    return (
        f"{result.strategy} on {', '.join(result.models)} · {result.calls} call(s) · "
        f"{u.input_tokens} in + {u.output_tokens} out tokens · {cost} · {result.wall_s:.1f}s · "
        f"finish: {result.finish_reason} · score {result.score:.2f}"
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


def print_result(console: Console, result: SolveResult) -> None:
    console.print(Panel(Text(result.text), title="answer", title_align="left"))
    if result.requirements:
        console.print(requirements_table(result))
    for note in result.notes:
        console.print(Text(f"note: {note}", style="yellow"))
    console.print(Text(usage_line(result), style="dim"))
