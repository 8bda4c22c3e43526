"""The SQLite connection and the numbered schema migrations.

The schema version lives in ``PRAGMA user_version``. Opening a database applies every
migration newer than its version, in order, each in its own transaction (a crash in
the middle of a migration leaves the previous version intact). A database written by a
newer cadenza (a version above `SCHEMA_VERSION`) is refused rather than guessed at.

File databases run in WAL mode with ``synchronous=NORMAL``: every committed transaction
survives the process being killed (only a power loss may drop the last commits), and a
commit costs no fsync, so committing each step as it ends is cheap.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from cadenza.errors import UserError

MEMORY = ":memory:"

# Rows of steps, verdicts and decisions come back in rowid order, which is the order
# they were inserted in (SQLite gives a new row max(rowid) + 1).
#
# Migration N (1-based) takes a database from version N-1 to version N. Never edit a
# migration that has shipped: add a new one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: runs, their steps and the planner's decisions; estimates.
    (
        """CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            created REAL NOT NULL,
            summary TEXT NOT NULL,
            status TEXT NOT NULL,
            finish_reason TEXT,
            ended REAL,
            cost_usd REAL,
            input_tokens INTEGER,
            output_tokens INTEGER,
            calls INTEGER,
            wall_s REAL,
            score REAL,
            text TEXT
        ) STRICT""",
        "CREATE INDEX runs_by_created ON runs (created)",
        """CREATE TABLE steps (
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            step_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            resource TEXT,
            inputs TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (
                outcome IN ('ok', 'failed', 'cancelled', 'pruned', 'skipped')),
            reason TEXT NOT NULL,
            error TEXT,
            attempts INTEGER NOT NULL,
            started_wall REAL,
            ended_wall REAL NOT NULL,
            started_mono REAL,
            ended_mono REAL NOT NULL,
            latency_s REAL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cost_usd REAL NOT NULL,
            calls INTEGER NOT NULL,
            speculative INTEGER NOT NULL,
            result TEXT,
            PRIMARY KEY (run_id, step_id)
        ) STRICT""",
        """CREATE TABLE decisions (
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            round INTEGER NOT NULL,
            action TEXT NOT NULL,
            reason TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX decisions_by_run ON decisions (run_id)",
        """CREATE TABLE estimates (
            model TEXT NOT NULL,
            kind TEXT NOT NULL,
            stats TEXT NOT NULL,
            updated REAL NOT NULL,
            PRIMARY KEY (model, kind)
        ) STRICT""",
    ),
    # 2: requirement verdicts per candidate, the response cache, the engine's run status
    # and statistics, the full detail of decisions.
    (
        """CREATE TABLE verdicts (
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            step_id TEXT NOT NULL,
            candidate TEXT NOT NULL,
            requirement TEXT NOT NULL,
            score REAL NOT NULL,
            passed INTEGER NOT NULL,
            reason TEXT NOT NULL,
            fix_hint TEXT NOT NULL,
            method TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX verdicts_by_run ON verdicts (run_id)",
        """CREATE TABLE cache (
            key TEXT PRIMARY KEY,
            model TEXT NOT NULL,
            completion TEXT NOT NULL,
            created REAL NOT NULL,
            hits INTEGER NOT NULL DEFAULT 0,
            last_hit REAL
        ) STRICT""",
        "ALTER TABLE runs ADD COLUMN engine_status TEXT",
        "ALTER TABLE runs ADD COLUMN stats TEXT",
        # the whole decision as JSON (targets, expected gain and cost ...)
        "ALTER TABLE decisions ADD COLUMN detail TEXT",
    ),
    # 3: the process that runs a run ("host:pid"), so a run whose process died can be
    # told from one still going.
    ("ALTER TABLE runs ADD COLUMN owner TEXT",),
    # 4: resumable runs. Every answer a run obtained from a model, in the order it came
    # (`shape`: the request without its seed), so a resumed run is served what it
    # already paid for; the solve's whole result as JSON; why a run did not finish.
    (
        """CREATE TABLE calls (
            run_id TEXT NOT NULL,
            model TEXT NOT NULL,
            shape TEXT NOT NULL,
            completion TEXT NOT NULL,
            served INTEGER NOT NULL,
            created REAL NOT NULL
        ) STRICT""",
        "CREATE INDEX calls_by_run ON calls (run_id)",
        "ALTER TABLE runs ADD COLUMN result TEXT",
        "ALTER TABLE runs ADD COLUMN error TEXT",
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: str | Path) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at `path` (or ``:memory:``).

    The connection is in autocommit mode: every statement outside an explicit
    ``BEGIN`` commits on its own."""
    label = str(path)
    if label != MEMORY:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(label, isolation_level=None, check_same_thread=False, timeout=10.0)
    except sqlite3.Error as exc:
        raise UserError(
            f"Cannot open the store at {label}: {exc}. Check the path and its permissions, "
            "or choose another store path."
        ) from exc
    conn.row_factory = sqlite3.Row
    try:
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            if label != MEMORY:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            raise _not_a_store(label, exc) from exc
        migrate(conn, label)
    except BaseException:
        conn.close()
        raise
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def migrate(conn: sqlite3.Connection, label: str = MEMORY) -> int:
    """Apply the migrations `conn`'s database lacks; return the resulting version."""
    try:
        version = schema_version(conn)
    except sqlite3.DatabaseError as exc:
        raise _not_a_store(label, exc) from exc
    _refuse_newer(version, label)
    while version < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the write lock.
            version = schema_version(conn)
            _refuse_newer(version, label)
            if version < SCHEMA_VERSION:
                for statement in MIGRATIONS[version]:
                    conn.execute(statement)
                version += 1
                conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return version


def _refuse_newer(version: int, label: str) -> None:
    if version > SCHEMA_VERSION:
        raise UserError(
            f"The store at {label} has schema version {version}, but this cadenza only "
            f"knows versions up to {SCHEMA_VERSION}: it was written by a newer cadenza. "
            "Upgrade cadenza, or use another store path."
        )


def _not_a_store(label: str, exc: sqlite3.DatabaseError) -> UserError:
    return UserError(
        f"{label} is not a cadenza store ({exc}). Point cadenza at another file or move "
        "this one away."
    )
