"""The embedded SQLite store: runs, steps and outcomes, verdicts, decisions, estimates
and the response cache. Open it with `Store.open`; record an engine run with
`RunRecorder`; read a run back with `Store.load_run`."""

from cadenza.store.db import SCHEMA_VERSION
from cadenza.store.recorder import RunRecorder
from cadenza.store.records import RunHistory, RunRow, StoredStep, VerdictRecord
from cadenza.store.store import Store, default_path, new_run_id

__all__ = [
    "SCHEMA_VERSION",
    "RunHistory",
    "RunRecorder",
    "RunRow",
    "Store",
    "StoredStep",
    "VerdictRecord",
    "default_path",
    "new_run_id",
]
