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

from cadenza.errors import StoreError, UserError

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
    # 4: requirements compiled by a model, by normalised text and compiler version, so a
    # requirement is compiled once ("expr" is null when it was left to the judge).
    (
        """CREATE TABLE compiled (
            key TEXT PRIMARY KEY,
            text TEXT NOT NULL,
            version TEXT NOT NULL,
            expr TEXT,
            why TEXT NOT NULL,
            model TEXT NOT NULL,
            created REAL NOT NULL,
            hits INTEGER NOT NULL DEFAULT 0
        ) STRICT""",
    ),
    # 5: plan-and-execute: each plan as written, each of its steps (tool, arguments as
    # planned and as called, status, output, latency, cost), the tool calls made.
    (
        """CREATE TABLE plans (
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            plan INTEGER NOT NULL,
            steps TEXT NOT NULL,
            PRIMARY KEY (run_id, plan)
        ) STRICT""",
        """CREATE TABLE plan_nodes (
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            plan INTEGER NOT NULL,
            node INTEGER NOT NULL,
            step_id TEXT NOT NULL,
            tool TEXT NOT NULL,
            args TEXT NOT NULL,
            inputs TEXT,
            reason TEXT NOT NULL,
            status TEXT NOT NULL,
            output TEXT NOT NULL,
            error TEXT NOT NULL,
            latency_s REAL,
            cost_usd REAL NOT NULL,
            tokens INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            PRIMARY KEY (run_id, plan, node)
        ) STRICT""",
        "ALTER TABLE runs ADD COLUMN tool_calls INTEGER",
        "ALTER TABLE runs ADD COLUMN plan_refused TEXT",
    ),
    # 6: resumable runs. Every answer a run obtained from a model, in the order it came
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


def store_error(label: str, doing: str, exc: BaseException) -> StoreError:
    """One paragraph for a store that cannot be used: what failed, why, what to do."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    text = str(exc)
    if name.startswith("SQLITE_READONLY") or "readonly" in text or "read-only" in text:
        why = "the file or its folder is read-only"
        what = "make it writable, or choose a writable --store PATH (or --no-store)"
    elif name.startswith(("SQLITE_FULL", "SQLITE_IOERR")) or "full" in text or "disk I/O" in text:
        why = (
            "the disk could not be written: it is full, a file size limit was reached, or it fails"
        )
        what = "free some space, or choose another --store PATH (or --no-store)"
    elif name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        why = "the file cannot be opened there"
        what = "check the path and its permissions, or choose another --store PATH"
    elif name.startswith("SQLITE_BUSY") or "locked" in text:
        why = "another process held the store's write lock too long"
        what = "try again when the other run has finished"
    else:
        why = text or type(exc).__name__
        what = "check the file, or choose another --store PATH (or --no-store)"
    return StoreError(f"Cannot {doing} the store at {label}: {why} ({text}). To go on, {what}.")


def connect(path: str | Path, *, read_only: bool = False) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at `path` (or ``:memory:``).
    `read_only` opens an existing file for reading only (no migration): for a store
    on a read-only file or folder.

    The connection is in autocommit mode: every statement outside an explicit
    ``BEGIN`` commits on its own."""
    label = str(path)
    if read_only:
        return _connect_read_only(Path(path))
    try:
        if label != MEMORY:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(label, isolation_level=None, check_same_thread=False, timeout=10.0)
    except (sqlite3.Error, OSError) as exc:
        raise store_error(label, "open", exc) from None
    conn.row_factory = sqlite3.Row
    try:
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            if label != MEMORY:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.OperationalError as exc:
            raise store_error(label, "open", exc) from None
        except sqlite3.DatabaseError as exc:
            raise _not_a_store(label, exc) from exc
        try:
            migrate(conn, label)
        except sqlite3.OperationalError as exc:
            raise store_error(label, "open", exc) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """Read an existing store without writing anything. A WAL database in a folder
    that cannot be written is read as immutable (nobody can be writing it there)."""
    label = str(path)
    if not path.exists():
        raise StoreError(f"No store at {label}: `cadenza run` records runs there.")
    last: sqlite3.Error | None = None
    for mode in ("mode=ro", "immutable=1"):
        try:
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?{mode}",
                uri=True,
                isolation_level=None,
                check_same_thread=False,
            )
            conn.row_factory = sqlite3.Row
            version = schema_version(conn)
        except sqlite3.OperationalError as exc:
            last = exc
            continue
        except sqlite3.DatabaseError as exc:
            raise _not_a_store(label, exc) from exc
        _refuse_newer(version, label)
        if version < SCHEMA_VERSION:
            conn.close()
            raise StoreError(
                f"The store at {label} (schema version {version}) needs upgrading to "
                f"version {SCHEMA_VERSION}, which needs write access: open it once with "
                "a cadenza that can write it."
            )
        return conn
    assert last is not None
    raise store_error(label, "read", last) from None


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
