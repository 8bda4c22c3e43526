from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cadenza.errors import UserError
from cadenza.settings import Settings
from cadenza.store import SCHEMA_VERSION, Store
from cadenza.store.db import MIGRATIONS

# The schema as version 1 shipped it, written out by hand (not taken from MIGRATIONS)
# so that a change to migration 1 shows up here as a failure.
V1_SCHEMA = """
CREATE TABLE runs (
    id TEXT PRIMARY KEY, created REAL NOT NULL, summary TEXT NOT NULL, status TEXT NOT NULL,
    finish_reason TEXT, ended REAL, cost_usd REAL, input_tokens INTEGER,
    output_tokens INTEGER, calls INTEGER, wall_s REAL, score REAL, text TEXT) STRICT;
CREATE INDEX runs_by_created ON runs (created);
CREATE TABLE steps (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE, step_id TEXT NOT NULL,
    kind TEXT NOT NULL, resource TEXT, inputs TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (
        outcome IN ('ok', 'failed', 'cancelled', 'pruned', 'skipped')),
    reason TEXT NOT NULL, error TEXT, attempts INTEGER NOT NULL, started_wall REAL,
    ended_wall REAL NOT NULL, started_mono REAL, ended_mono REAL NOT NULL, latency_s REAL,
    input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, cost_usd REAL NOT NULL,
    calls INTEGER NOT NULL, speculative INTEGER NOT NULL, result TEXT,
    PRIMARY KEY (run_id, step_id)) STRICT;
CREATE TABLE decisions (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE, round INTEGER NOT NULL,
    action TEXT NOT NULL, reason TEXT NOT NULL) STRICT;
CREATE INDEX decisions_by_run ON decisions (run_id);
CREATE TABLE estimates (
    model TEXT NOT NULL, kind TEXT NOT NULL, stats TEXT NOT NULL, updated REAL NOT NULL,
    PRIMARY KEY (model, kind)) STRICT;
INSERT INTO runs (id, created, summary, status, finish_reason, score, text)
    VALUES ('old-run', 1700000000.0, '{"strategy": "single"}', 'finished', 'completed',
            0.75, 'an old answer');
INSERT INTO steps VALUES ('old-run', 's1', 'sample', 'local:smollm2-135m', '[]', 'ok', '',
    NULL, 1, 1700000000.0, 1700000001.5, 10.0, 11.5, 1.5, 12, 30, 0.0, 1, 0,
    '"an old answer"');
INSERT INTO decisions VALUES ('old-run', 0, 'reduce', 'one candidate');
PRAGMA user_version = 1;
"""


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {row[0] for row in rows}


def _version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def test_there_is_a_previous_version_to_migrate_from() -> None:
    assert SCHEMA_VERSION == len(MIGRATIONS) >= 2


def test_an_empty_database_is_migrated_to_the_current_version(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "store.db"
    with Store.open(path) as store:
        assert store.list_runs() == []
    assert _version(path) == SCHEMA_VERSION
    assert {"runs", "steps", "verdicts", "decisions", "estimates", "cache"} <= _tables(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
    # Opening again applies nothing and keeps the version.
    Store.open(path).close()
    assert _version(path) == SCHEMA_VERSION


def test_a_version_1_database_is_migrated_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.close()
    assert _version(path) == 1
    assert "verdicts" not in _tables(path)

    with Store.open(path) as store:
        history = store.load_run("old-run")
        assert history.run.summary == {"strategy": "single"}
        assert history.run.finish_reason == "completed"
        assert history.run.engine_status is None  # a column migration 2 added
        assert history.run.score == 0.75
        (step,) = history.steps
        assert step.record.step_id == "s1"
        assert step.record.resource == "local:smollm2-135m"
        assert step.record.spend.output_tokens == 30
        assert step.latency_s == pytest.approx(1.5)
        assert step.result == "an old answer"
        assert [d.action for d in history.decisions] == ["reduce"]
        assert history.verdicts == ()
        # The tables migration 2 added work.
        store.finish_run("old-run", status="completed", stats={"steps": 1})
        assert store.load_run("old-run").run.stats == {"steps": 1}
    assert _version(path) == SCHEMA_VERSION


def test_a_database_from_a_newer_cadenza_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE runs (id TEXT)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(UserError, match=r"newer cadenza.*Upgrade cadenza") as info:
        Store.open(path)
    assert str(path) in str(info.value)
    assert f"version {SCHEMA_VERSION + 1}" in str(info.value)
    assert _version(path) == SCHEMA_VERSION + 1  # left untouched


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(UserError, match="not a cadenza store"):
        Store.open(path)


def test_the_default_path_is_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    with Store.open(None, settings) as store:
        assert store.path == str(tmp_path / "data" / "cadenza.db")
    assert (tmp_path / "data" / "cadenza.db").exists()


def test_memory_stores_are_private() -> None:
    with Store.open(":memory:") as first, Store.open(":memory:") as second:
        first.start_run(strategy="single", run_id="only-in-first")
        assert [r.id for r in first.list_runs()] == ["only-in-first"]
        assert second.list_runs() == []
