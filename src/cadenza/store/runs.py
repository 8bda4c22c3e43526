"""SQL for runs, their steps, verdicts and decisions. Each function is one statement
(or one read) on an autocommit connection: a write is durable when it returns."""

from __future__ import annotations

import dataclasses
import os
import socket
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from cadenza.engine.outcomes import Spend, StepRecord
from cadenza.errors import RunNotFoundError, UserError
from cadenza.redact import redact
from cadenza.result import Decision
from cadenza.store.codec import dumps, loads
from cadenza.store.records import RunHistory, RunRow, StoredStep, VerdictRecord

_RUN_COLUMNS = (
    "id, created, summary, status, finish_reason, engine_status, ended, cost_usd, "
    "input_tokens, output_tokens, calls, wall_s, score, text, stats, error"
)

_UPDATABLE = frozenset(
    {
        "finish_reason",
        "engine_status",
        "ended",
        "cost_usd",
        "input_tokens",
        "output_tokens",
        "calls",
        "wall_s",
        "score",
        "text",
        "stats",
        "result",
        "error",
    }
)


def no_run(run_id: str) -> RunNotFoundError:
    return RunNotFoundError(
        f"No run {run_id!r} in the store: `cadenza runs` lists the recorded runs."
    )


def owner() -> str:
    """This process, as a run's owner: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def insert_run(conn: sqlite3.Connection, run_id: str, created: float, summary: object) -> None:
    """Record a new run, or take up run `run_id` again when this process already
    holds it (created ahead of its solve, or reopened to be resumed): its summary is
    replaced, the rest kept."""
    cursor = conn.execute(
        "INSERT INTO runs (id, created, summary, status, owner) VALUES (?, ?, ?, 'running', ?) "
        "ON CONFLICT (id) DO UPDATE SET summary = excluded.summary "
        "WHERE runs.status = 'running' AND runs.owner = excluded.owner",
        (run_id, created, dumps(summary), owner()),
    )
    if cursor.rowcount == 0:
        raise UserError(
            f"A run {run_id!r} is already in the store and not held by this process: "
            "choose another run id (or leave it out to get a new one)."
        )


def reopen_run(conn: sqlite3.Connection, run_id: str) -> dict[str, Any]:
    """Take up interrupted run `run_id` in this process to resume it: its status
    becomes ``running`` again, its steps, verdicts and decisions are cleared (the
    resumed run records them anew; the answers it obtained stay in the calls log).
    Returns the run's summary. Raises `UserError` for a run that cannot be resumed."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        row = conn.execute(
            "SELECT status, finish_reason, owner, summary FROM runs WHERE id = ?", (run_id,)
        ).fetchone()
        if row is None:
            raise no_run(run_id)
        if row["status"] != "interrupted":
            raise UserError(_not_resumable(run_id, row))
        for table in ("steps", "verdicts", "decisions"):
            conn.execute(f"DELETE FROM {table} WHERE run_id = ?", (run_id,))
        conn.execute(
            "UPDATE runs SET status = 'running', owner = ?, finish_reason = NULL, "
            "engine_status = NULL, ended = NULL, error = NULL, result = NULL WHERE id = ?",
            (owner(), run_id),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    summary = loads(row["summary"])
    return summary if isinstance(summary, dict) else {}


def _not_resumable(run_id: str, row: sqlite3.Row) -> str:
    status = row["status"]
    if status == "running":
        return (
            f"Run {run_id!r} is still running (in process {row['owner']}): only a run "
            "whose process died can be resumed. Wait for it, or stop that process first."
        )
    if status in ("cancelled", "failed", "refused"):
        return (
            f"Run {run_id!r} ended {status}, so there is nothing to resume: start a new run "
            "with the same input instead."
        )
    return (
        f"Run {run_id!r} finished ({row['finish_reason'] or status}): there is nothing to "
        "resume. `cadenza runs ID` shows its result."
    )


def ensure_run(conn: sqlite3.Connection, run_id: str, created: float) -> None:
    """Create run `run_id` with an empty summary unless it exists."""
    conn.execute(
        "INSERT INTO runs (id, created, summary, status, owner) "
        "VALUES (?, ?, '{}', 'running', ?) ON CONFLICT (id) DO NOTHING",
        (run_id, created, owner()),
    )


def mark_interrupted(conn: sqlite3.Connection) -> int:
    """Runs still ``running`` whose process on this host is gone become
    ``interrupted`` (their recorded steps stay). Returns how many."""
    host = socket.gethostname()
    rows = conn.execute(
        "SELECT id, owner FROM runs WHERE status = 'running' AND owner LIKE ?",
        (f"{host}:%",),
    ).fetchall()
    gone = [row["id"] for row in rows if not _alive(row["owner"].rsplit(":", 1)[1])]
    if gone:
        conn.executemany(
            "UPDATE runs SET status = 'interrupted' WHERE id = ? AND status = 'running'",
            [(run_id,) for run_id in gone],
        )
    return len(gone)


def _alive(pid_text: str) -> bool:
    try:
        pid = int(pid_text)
    except ValueError:
        return True  # not ours to judge
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def update_run(
    conn: sqlite3.Connection, run_id: str, status: str | None, fields: Mapping[str, Any]
) -> None:
    """Set the given columns (None values are left alone). `status` replaces the
    current one; without it a ``running`` run becomes ``finished``."""
    unknown = set(fields) - _UPDATABLE
    if unknown:
        raise ValueError(f"not run columns: {sorted(unknown)}")
    values = {k: v for k, v in fields.items() if v is not None}
    assignments = [f"{column} = ?" for column in values]
    assignments.append(
        "status = COALESCE(?, CASE status WHEN 'running' THEN 'finished' ELSE status END)"
    )
    cursor = conn.execute(
        f"UPDATE runs SET {', '.join(assignments)} WHERE id = ?",
        (*values.values(), status, run_id),
    )
    if cursor.rowcount == 0:
        raise KeyError(f"no run {run_id!r} in the store")


def insert_step(conn: sqlite3.Connection, record: StepRecord, value: object) -> None:
    spend = record.spend
    conn.execute(
        "INSERT INTO steps (run_id, step_id, kind, resource, inputs, outcome, reason, "
        "error, attempts, started_wall, ended_wall, started_mono, ended_mono, latency_s, "
        "input_tokens, output_tokens, cost_usd, calls, speculative, result) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            record.run_id,
            record.step_id,
            record.kind,
            record.resource,
            dumps(list(record.inputs)),
            record.outcome,
            record.reason,
            None if record.error is None else redact(record.error),
            record.attempts,
            record.started_wall,
            record.ended_wall,
            record.started_mono,
            record.ended_mono,
            record.duration_s,
            spend.input_tokens,
            spend.output_tokens,
            spend.dollars,
            spend.calls,
            int(record.speculative),
            None if value is None else dumps(value),
        ),
    )


def insert_verdicts(conn: sqlite3.Connection, verdicts: Iterable[VerdictRecord]) -> None:
    rows = list(verdicts)
    if not rows:
        return
    conn.execute("BEGIN")
    try:
        _insert_verdict_rows(conn, rows)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _insert_verdict_rows(conn: sqlite3.Connection, verdicts: Iterable[VerdictRecord]) -> None:
    conn.executemany(
        "INSERT INTO verdicts (run_id, step_id, candidate, requirement, score, passed, "
        "reason, fix_hint, method) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                v.run_id,
                v.step_id,
                v.candidate,
                v.requirement,
                v.score,
                int(v.passed),
                v.reason,
                v.fix_hint,
                v.method,
            )
            for v in verdicts
        ],
    )


def import_run(conn: sqlite3.Connection, history: RunHistory) -> None:
    """Insert a whole run recorded elsewhere (another store, another process) with its
    steps, verdicts and decisions, in one transaction: all of it or none."""
    run = history.run
    conn.execute("BEGIN")
    try:
        conn.execute(
            f"INSERT INTO runs ({_RUN_COLUMNS}, owner) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run.id,
                run.created,
                dumps(run.summary),
                run.status,
                run.finish_reason,
                run.engine_status,
                run.ended,
                run.cost_usd,
                run.input_tokens,
                run.output_tokens,
                run.calls,
                run.wall_s,
                run.score,
                run.text,
                None if run.stats is None else dumps(run.stats),
                None if run.error is None else dumps(run.error),
                owner(),
            ),
        )
        for stored in history.steps:
            insert_step(conn, stored.record, stored.result)
        _insert_verdict_rows(conn, history.verdicts)
        for decision in history.decisions:
            insert_decision(conn, run.id, decision)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def insert_decision(conn: sqlite3.Connection, run_id: str, decision: Decision) -> None:
    conn.execute(
        "INSERT INTO decisions (run_id, round, action, reason, detail) VALUES (?, ?, ?, ?, ?)",
        (run_id, decision.round, decision.action, redact(decision.reason), redact(dumps(decision))),
    )


def _decision(row: sqlite3.Row) -> Decision:
    """The decision as recorded: its full detail where there is one (fields this
    version of `Decision` does not have are dropped), else round, action and reason."""
    values: dict[str, Any] = {}
    detail = loads(row["detail"])
    if isinstance(detail, dict):
        for field in dataclasses.fields(Decision):
            if field.name in detail:
                value = detail[field.name]
                values[field.name] = tuple(value) if isinstance(value, list) else value
    values.update(round=row["round"], action=row["action"], reason=row["reason"])
    return Decision(**values)


def _run_row(row: sqlite3.Row) -> RunRow:
    return RunRow(
        id=row["id"],
        created=row["created"],
        summary=loads(row["summary"]),
        status=row["status"],
        finish_reason=row["finish_reason"],
        engine_status=row["engine_status"],
        ended=row["ended"],
        cost_usd=row["cost_usd"],
        input_tokens=row["input_tokens"],
        output_tokens=row["output_tokens"],
        calls=row["calls"],
        wall_s=row["wall_s"],
        score=row["score"],
        text=row["text"],
        stats=loads(row["stats"]),
        error=loads(row["error"]),
    )


def _stored_step(row: sqlite3.Row) -> StoredStep:
    record = StepRecord(
        run_id=row["run_id"],
        step_id=row["step_id"],
        kind=row["kind"],
        resource=row["resource"],
        outcome=row["outcome"],
        reason=row["reason"],
        error=row["error"],
        attempts=row["attempts"],
        started_mono=row["started_mono"],
        ended_mono=row["ended_mono"],
        started_wall=row["started_wall"],
        ended_wall=row["ended_wall"],
        spend=Spend(row["cost_usd"], row["input_tokens"], row["output_tokens"], row["calls"]),
        inputs=tuple(loads(row["inputs"])),
        speculative=bool(row["speculative"]),
    )
    return StoredStep(record=record, result=loads(row["result"]))


def get_run(conn: sqlite3.Connection, run_id: str) -> RunRow:
    row = conn.execute(f"SELECT {_RUN_COLUMNS} FROM runs WHERE id = ?", (run_id,)).fetchone()
    if row is None:
        raise no_run(run_id)
    return _run_row(row)


def list_runs(conn: sqlite3.Connection, limit: int | None) -> list[RunRow]:
    rows = conn.execute(
        f"SELECT {_RUN_COLUMNS} FROM runs ORDER BY created DESC, rowid DESC LIMIT ?",
        (-1 if limit is None else limit,),
    ).fetchall()
    return [_run_row(row) for row in rows]


def load_run(conn: sqlite3.Connection, run_id: str) -> RunHistory:
    """Read a run back; reads happen in one transaction so the parts agree."""
    conn.execute("BEGIN")
    try:
        row = conn.execute(f"SELECT {_RUN_COLUMNS} FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise no_run(run_id)
        steps = conn.execute(
            "SELECT * FROM steps WHERE run_id = ? ORDER BY rowid", (run_id,)
        ).fetchall()
        verdicts = conn.execute(
            "SELECT run_id, step_id, candidate, requirement, score, passed, reason, "
            "fix_hint, method FROM verdicts WHERE run_id = ? ORDER BY rowid",
            (run_id,),
        ).fetchall()
        decisions = conn.execute(
            "SELECT round, action, reason, detail FROM decisions WHERE run_id = ? ORDER BY rowid",
            (run_id,),
        ).fetchall()
    finally:
        conn.execute("COMMIT")
    return RunHistory(
        run=_run_row(row),
        steps=tuple(_stored_step(s) for s in steps),
        verdicts=tuple(
            VerdictRecord(
                run_id=v["run_id"],
                step_id=v["step_id"],
                candidate=v["candidate"],
                requirement=v["requirement"],
                score=v["score"],
                passed=bool(v["passed"]),
                reason=v["reason"],
                fix_hint=v["fix_hint"],
                method=v["method"],
            )
            for v in verdicts
        ),
        decisions=tuple(_decision(d) for d in decisions),
    )


def result(conn: sqlite3.Connection, run_id: str) -> dict[str, Any] | None:
    """The solve's result as recorded when the run finished (None before)."""
    row = conn.execute("SELECT result FROM runs WHERE id = ?", (run_id,)).fetchone()
    if row is None:
        raise no_run(run_id)
    value = loads(row["result"])
    return value if isinstance(value, dict) else None


def resumable(conn: sqlite3.Connection, label: str, value: str) -> list[str]:
    """Interrupted runs whose summary carries label `label` = `value`, oldest first."""
    rows = conn.execute(
        "SELECT id FROM runs WHERE status = 'interrupted' "
        "AND json_extract(summary, '$.labels.' || ?) = ? ORDER BY created, rowid",
        (label, value),
    ).fetchall()
    return [row["id"] for row in rows]
