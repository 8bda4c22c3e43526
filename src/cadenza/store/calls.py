"""The calls log: every answer a run obtained from a model, in the order it came.

A resumed run is served these answers again (matched by model and by the request
without its seed, each answer used once), so nothing the run already paid for is paid
for twice. Rows are written when the answer arrives, each committed on its own: a
process killed at any moment loses at most the call that was in flight."""

from __future__ import annotations

import sqlite3
import time

from cadenza.providers.base import Completion
from cadenza.providers.recorded import RecordedCall
from cadenza.store.codec import completion_from_json, completion_to_json


def insert(
    conn: sqlite3.Connection,
    run_id: str,
    model: str,
    shape: str,
    completion: Completion,
    *,
    served: bool,
) -> None:
    conn.execute(
        "INSERT INTO calls (run_id, model, shape, completion, served, created) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            run_id,
            model,
            shape,
            completion_to_json(completion),
            int(served),
            time.time(),
        ),
    )


def of_run(conn: sqlite3.Connection, run_id: str) -> list[RecordedCall]:
    rows = conn.execute(
        "SELECT model, shape, completion, served FROM calls WHERE run_id = ? ORDER BY rowid",
        (run_id,),
    ).fetchall()
    return [
        RecordedCall(
            model=row["model"],
            shape=row["shape"],
            completion=completion_from_json(row["completion"]),
            served=bool(row["served"]),
        )
        for row in rows
    ]
