"""The compiled-requirements table: a requirement's normalised text and the compiler
version -> the expression a model wrote and verified (or null: judged), why, and which
model. Read before compiling, so a requirement is compiled once."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CompiledRow:
    text: str
    version: str
    expr: str | None  # the expression as JSON text; None when it is judged
    why: str
    model: str


def get(conn: sqlite3.Connection, key: str) -> CompiledRow | None:
    rows = conn.execute(
        "UPDATE compiled SET hits = hits + 1 WHERE key = ? "
        "RETURNING text, version, expr, why, model",
        (key,),
    ).fetchall()
    if not rows:
        return None
    r = rows[0]
    return CompiledRow(r["text"], r["version"], r["expr"], r["why"], r["model"])


def put(conn: sqlite3.Connection, key: str, row: CompiledRow) -> None:
    """Store a compile; a key already stored keeps its first result."""
    conn.execute(
        "INSERT INTO compiled (key, text, version, expr, why, model, created) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
        (key, row.text, row.version, row.expr, row.why, row.model, time.time()),
    )
