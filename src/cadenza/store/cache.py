"""The response cache table: key (a hash of model id + request) -> the completion as
first received, when it was stored, and how often it has been served since."""

from __future__ import annotations

import sqlite3
import time

from cadenza.providers.base import Completion
from cadenza.store.codec import completion_from_json, completion_to_json


def get(conn: sqlite3.Connection, key: str) -> Completion | None:
    """The stored completion (original usage, `cached` False) and count the hit."""
    # fetchall: the statement must run to its end for the autocommit to happen.
    rows = conn.execute(
        "UPDATE cache SET hits = hits + 1, last_hit = ? WHERE key = ? RETURNING completion",
        (time.time(), key),
    ).fetchall()
    return completion_from_json(rows[0]["completion"]) if rows else None


def put(conn: sqlite3.Connection, key: str, completion: Completion) -> None:
    """Store `completion` under `key`; a key already stored keeps its first answer."""
    conn.execute(
        "INSERT INTO cache (key, model, completion, created) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (key) DO NOTHING",
        (key, completion.model, completion_to_json(completion), time.time()),
    )


def hits(conn: sqlite3.Connection, key: str) -> int | None:
    row = conn.execute("SELECT hits FROM cache WHERE key = ?", (key,)).fetchone()
    return None if row is None else int(row["hits"])


def prune(conn: sqlite3.Connection, keep: int) -> int:
    """Keep the `keep` most recently used entries (served or stored); drop the rest.
    Returns how many were dropped. Counting first keeps the usual case (under the
    bound) from sorting the whole table every time a store opens."""
    (count,) = conn.execute("SELECT COUNT(*) FROM cache").fetchone()
    if count <= keep:
        return 0
    cursor = conn.execute(
        "DELETE FROM cache WHERE key NOT IN ("
        "SELECT key FROM cache ORDER BY COALESCE(last_hit, created) DESC, rowid DESC LIMIT ?)",
        (keep,),
    )
    return cursor.rowcount
