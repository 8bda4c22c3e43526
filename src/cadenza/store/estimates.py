"""Persisted estimates: one row per (model id, kind of step) holding that pair's
statistics from `cadenza.engine.estimates.Estimates.to_dict` (plus the format
``version``). Rows in a format this cadenza does not read are skipped on load: an
estimate is a prior, and starting without one is always safe."""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from cadenza.engine.estimates import Estimates
from cadenza.store.codec import dumps

FORMAT_VERSION = 1


def load(conn: sqlite3.Connection) -> Estimates:
    pairs: list[dict[str, Any]] = []
    for row in conn.execute("SELECT model, kind, stats FROM estimates ORDER BY model, kind"):
        stats = json.loads(row["stats"])
        if not isinstance(stats, dict) or stats.get("version") != FORMAT_VERSION:
            continue
        pairs.append({**stats, "model": row["model"], "kind": row["kind"]})
    return Estimates.from_dict({"version": FORMAT_VERSION, "pairs": pairs})


def save(conn: sqlite3.Connection, estimates: Estimates) -> None:
    """Insert or replace the rows of every pair in `estimates` in one transaction;
    pairs it does not hold keep their rows."""
    data = estimates.to_dict()
    if data.get("version") != FORMAT_VERSION:
        raise ValueError(f"cannot store estimates format {data.get('version')!r}")
    now = time.time()
    rows = []
    for pair in data["pairs"]:
        stats = {k: v for k, v in pair.items() if k not in ("model", "kind")}
        stats["version"] = FORMAT_VERSION
        rows.append((str(pair["model"]), str(pair["kind"]), dumps(stats), now))
    if not rows:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany(
            "INSERT INTO estimates (model, kind, stats, updated) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (model, kind) DO UPDATE SET stats = excluded.stats, "
            "updated = excluded.updated",
            rows,
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
