"""SQL for plan-and-execute: the plans a run wrote and each of their steps."""

from __future__ import annotations

import sqlite3

from cadenza.result import NodeReport, PlanReport
from cadenza.store.codec import dumps, loads


def insert_plan(conn: sqlite3.Connection, run_id: str, report: PlanReport) -> None:
    """Record `report` (plans, steps, tool calls, refusal) in one transaction."""
    conn.execute("BEGIN")
    try:
        conn.executemany(
            "INSERT OR REPLACE INTO plans (run_id, plan, steps) VALUES (?, ?, ?)",
            [(run_id, n, dumps(plan)) for n, plan in enumerate(report.plans, start=1)],
        )
        conn.executemany(
            "INSERT OR REPLACE INTO plan_nodes (run_id, plan, node, step_id, tool, args, "
            "inputs, reason, status, output, error, latency_s, cost_usd, tokens, attempts) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    run_id,
                    r.plan,
                    r.node,
                    r.step_id,
                    r.tool,
                    dumps(r.args),
                    None if r.inputs is None else dumps(r.inputs),
                    r.reason,
                    r.status,
                    r.output,
                    r.error,
                    r.latency_s,
                    r.cost_usd,
                    r.tokens,
                    r.attempts,
                )
                for r in report.nodes
            ],
        )
        conn.execute(
            "UPDATE runs SET tool_calls = ?, plan_refused = ? WHERE id = ?",
            (report.tool_calls, report.refused or None, run_id),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def load_plan(conn: sqlite3.Connection, run_id: str) -> PlanReport | None:
    """The plan report of run `run_id`, or None if it made no plan."""
    row = conn.execute(
        "SELECT tool_calls, plan_refused FROM runs WHERE id = ?", (run_id,)
    ).fetchone()
    plans = conn.execute(
        "SELECT steps FROM plans WHERE run_id = ? ORDER BY plan", (run_id,)
    ).fetchall()
    nodes = conn.execute(
        "SELECT * FROM plan_nodes WHERE run_id = ? ORDER BY plan, node", (run_id,)
    ).fetchall()
    if row is None or (row["tool_calls"] is None and not plans and not row["plan_refused"]):
        return None
    return PlanReport(
        plans=tuple(loads(p["steps"]) for p in plans),
        nodes=tuple(
            NodeReport(
                plan=n["plan"],
                node=n["node"],
                tool=n["tool"],
                args=loads(n["args"]),
                reason=n["reason"],
                status=n["status"],
                step_id=n["step_id"],
                inputs=loads(n["inputs"]),
                output=n["output"],
                error=n["error"],
                latency_s=n["latency_s"],
                cost_usd=n["cost_usd"],
                tokens=n["tokens"],
                attempts=n["attempts"],
            )
            for n in nodes
        ),
        tool_calls=row["tool_calls"] or 0,
        refused=row["plan_refused"] or "",
    )
