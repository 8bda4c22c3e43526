from __future__ import annotations

import sqlite3
from pathlib import Path

from cadenza.result import NodeReport, PlanReport
from cadenza.store import Store
from cadenza.store.db import MIGRATIONS, migrate

REPORT = PlanReport(
    plans=(
        {"steps": [{"id": 1, "tool": "capital", "args": {"country": "France"}, "reason": "r"}]},
    ),
    nodes=(
        NodeReport(
            1,
            1,
            "capital",
            {"country": "France"},
            "r",
            "ok",
            "p1-n1",
            inputs={"country": "France"},
            output="Paris",
            latency_s=0.5,
            cost_usd=0.001,
            attempts=1,
        ),
        NodeReport(1, 2, "add", {"a": "$1"}, "", "skipped", "p1-n2", error="skipped (input)"),
    ),
    tool_calls=1,
)


def test_a_plan_report_is_recorded_and_read_back(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        run = store.start_run(task="t")
        store.record_plan(run, REPORT)
        assert store.load_run(run).plan == REPORT
        other = store.start_run(task="no tools")
        assert store.load_run(other).plan is None


def test_a_refused_plan_is_recorded() -> None:
    with Store.open(":memory:") as store:
        run = store.start_run(task="t")
        store.record_plan(run, PlanReport(refused="the plan cannot run"))
        assert store.load_run(run).plan == PlanReport(refused="the plan cannot run")


def test_a_version_3_database_gains_the_plan_tables(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for statements in MIGRATIONS[:3]:
        for statement in statements:
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 3")
    conn.execute(
        "INSERT INTO runs (id, created, summary, status) VALUES ('r1', 1.0, '{}', 'finished')"
    )
    assert migrate(conn) == len(MIGRATIONS) == 6
    conn.close()
    with Store.open(path) as store:
        assert store.load_run("r1").plan is None
        store.record_plan("r1", REPORT)
        assert store.load_run("r1").plan == REPORT
