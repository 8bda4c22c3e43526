"""`Store`: the embedded SQLite database of runs, steps, verdicts, decisions,
estimates and cached responses.

Every write commits before the method returns, so a process killed at any moment
leaves every finished step readable. The methods are synchronous: a write costs tens
of microseconds (WAL, no fsync per commit; see ``benchmarks/store_writes.py``), less
than handing it to a worker thread, so async code calls them directly from the event
loop. One store may be shared by every task of an event loop (each call runs to its
end before another starts) and, behind its lock, by threads.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any

from cadenza.engine.estimates import Estimates
from cadenza.engine.outcomes import StepRecord
from cadenza.providers.base import Completion, Model, Usage
from cadenza.providers.recorded import RecordedCall
from cadenza.result import Decision, PlanReport, SolveResult
from cadenza.settings import Settings
from cadenza.store import cache, calls, compiled, estimates, plans, runs
from cadenza.store.codec import dumps
from cadenza.store.db import MEMORY, connect, store_error
from cadenza.store.records import RunHistory, RunRow, VerdictRecord
from cadenza.task import Budget, Requirement, Task

DEFAULT_FILE = "cadenza.db"
CACHE_MAX_ENTRIES = 20_000
"""Cached answers kept when a store opens (the most recently used ones)."""


def new_run_id() -> str:
    """A fresh run id that sorts by time: ``20260125-142501-3f9a1c``."""
    return f"{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{secrets.token_hex(3)}"


def default_path(settings: Settings) -> Path:
    return settings.data_dir / DEFAULT_FILE


class Store:
    """Open with `Store.open`; use as a context manager or call `close`."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self._conn = conn
        self._path = path
        self._lock = threading.Lock()

    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        settings: Settings | None = None,
        *,
        read_only: bool = False,
    ) -> Store:
        """The store at `path`; ``":memory:"`` for a private in-memory one; None for
        ``settings.data_dir / "cadenza.db"``. Creates and migrates as needed; refuses
        (`UserError`) a database written by a newer cadenza. Runs left ``running`` by a
        process of this host that has died are marked ``interrupted``; the response cache is
        trimmed to its `CACHE_MAX_ENTRIES` most recently used answers. `read_only` only
        reads an existing store (nothing is marked or trimmed). A store that cannot be
        opened, read or written raises `StoreError` saying why and what to do."""
        if path is None:
            path = default_path(settings if settings is not None else Settings.load())
        label = str(path)
        if read_only:
            return cls(connect(Path(path).expanduser(), read_only=True), label)
        conn = connect(label if label == MEMORY else Path(path).expanduser())
        try:
            runs.mark_interrupted(conn)
            cache.prune(conn, CACHE_MAX_ENTRIES)
        except sqlite3.Error as exc:
            conn.close()
            raise store_error(label, "open", exc) from None
        return cls(conn, label)

    @contextmanager
    def _using(self, doing: str) -> Iterator[sqlite3.Connection]:
        """The connection, under the lock; SQLite's errors become a `StoreError`."""
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as exc:
                raise store_error(self._path, doing, exc) from None

    @property
    def path(self) -> str:
        return self._path

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # runs -----------------------------------------------------------------------------

    def start_run(
        self,
        *,
        task: Task | str | None = None,
        requirements: Sequence[Requirement] | None = None,
        strategy: str | None = None,
        models: Sequence[str | Model] = (),
        budget: Budget | None = None,
        extra: Mapping[str, Any] | None = None,
        run_id: str | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> str:
        """Record a new run (status ``running``) and return its id (`run_id` or a new
        one). The summary keeps what was asked; nothing from `Settings` is stored.
        A `run_id` this process already holds (recorded ahead of its solve, or
        reopened by `reopen_run`) is taken up again: its summary is replaced. `labels`
        tag the run (``{"origin": "server"}``) so it can be found again."""
        the_id = run_id or new_run_id()
        summary: dict[str, object] = {
            "task": Task(instruction=task) if isinstance(task, str) else task,
            "requirements": None if requirements is None else list(requirements),
            "strategy": strategy,
            "models": [m if isinstance(m, str) else m.id for m in models],
            "budget": budget,
        }
        if extra:
            summary["extra"] = dict(extra)
        if labels:
            summary["labels"] = dict(labels)
        with self._using("write") as conn:
            runs.insert_run(conn, the_id, time.time(), summary)
        return the_id

    def reopen_run(self, run_id: str) -> dict[str, Any]:
        """Take up interrupted run `run_id` in this process, to resume it: it reads
        ``running`` again and its steps, verdicts and decisions are cleared (the resumed
        run records them anew); the answers it obtained stay (`run_calls`). Returns its
        summary. Raises `UserError` for an unknown run or one that is not interrupted."""
        with self._using("write") as conn:
            return runs.reopen_run(conn, run_id)

    def resumable_runs(self, label: str, value: str) -> list[str]:
        """Ids of the interrupted runs labelled `label` = `value`, oldest first."""
        with self._using("read") as conn:
            return runs.resumable(conn, label, value)

    def ensure_run(self, run_id: str, created: float | None = None) -> None:
        """Make sure run `run_id` exists (with an empty summary if it did not)."""
        with self._using("write") as conn:
            runs.ensure_run(conn, run_id, time.time() if created is None else created)

    def record_step(self, record: StepRecord, value: object = None) -> None:
        """Record how a step ended, with its result `value` (stored as JSON). The run
        must exist. Committed on return."""
        with self._using("write") as conn:
            runs.insert_step(conn, record, value)

    def record_verdicts(self, verdicts: Iterable[VerdictRecord]) -> None:
        """Record verdicts (all or none). Committed on return."""
        with self._using("write") as conn:
            runs.insert_verdicts(conn, verdicts)

    def record_plan(self, run_id: str, report: PlanReport) -> None:
        """Record what plan-and-execute did: its plans, each step (tool, arguments,
        status, output, latency, cost) and the tool calls made. Committed on return."""
        with self._using("write") as conn:
            plans.insert_plan(conn, run_id, report)

    def record_decision(self, run_id: str, decision: Decision) -> None:
        with self._using("write") as conn:
            runs.insert_decision(conn, run_id, decision)

    def finish_run(
        self,
        run_id: str,
        *,
        result: SolveResult | None = None,
        status: str | None = None,
        finish_reason: str | None = None,
        usage: Usage | None = None,
        calls: int | None = None,
        wall_s: float | None = None,
        score: float | None = None,
        text: str | None = None,
        stats: Mapping[str, Any] | None = None,
        ended: float | None = None,
    ) -> None:
        """Record how a run ended. `result` fills the solve's fields (finish reason,
        usage, calls, wall time, score, text); explicit arguments win over it. Fields
        left None keep their value, so the engine and the solve may each record their
        part. `status` is the engine's status; without one the run becomes
        ``finished``. May be called more than once."""
        if result is not None:
            finish_reason = finish_reason or result.finish_reason
            usage = usage or result.usage
            calls = result.calls if calls is None else calls
            wall_s = result.wall_s if wall_s is None else wall_s
            score = result.score if score is None else score
            text = result.text if text is None else text
        fields: dict[str, Any] = {
            "finish_reason": finish_reason,
            "engine_status": status,
            "ended": time.time() if ended is None else ended,
            "cost_usd": None if usage is None else usage.cost_usd,
            "input_tokens": None if usage is None else usage.input_tokens,
            "output_tokens": None if usage is None else usage.output_tokens,
            "calls": calls,
            "wall_s": wall_s,
            "score": score,
            "text": text,
            "stats": None if stats is None else dumps(stats),
        }
        if result is not None:
            fields["result"] = dumps({**result.to_json(), "run_id": run_id})
        with self._using("write") as conn:
            runs.update_run(conn, run_id, status, fields)

    def end_run(self, run_id: str, status: str, error_type: str, message: str) -> None:
        """Record that a run ended without a result: `status` ``failed``, ``refused``
        or ``cancelled``, and why (`error_type`, `message`: written for a person,
        never holding a secret)."""
        fields = {"ended": time.time(), "error": dumps({"type": error_type, "message": message})}
        with self._using("write") as conn:
            runs.update_run(conn, run_id, status, fields)

    def run_result(self, run_id: str) -> dict[str, Any] | None:
        """The run's result as `SolveResult.to_json` gave it when the run finished
        (None before then). Raises `UserError` for an unknown id."""
        with self._using("read") as conn:
            return runs.result(conn, run_id)

    def load_run(self, run_id: str) -> RunHistory:
        """The run with its steps, verdicts and decisions, each in recorded order.
        Raises `UserError` for an unknown id."""
        with self._using("read") as conn:
            history = runs.load_run(conn, run_id)
            return replace(history, plan=plans.load_plan(conn, run_id))

    def import_run(self, history: RunHistory) -> None:
        """Record a run that was recorded in another store (a batch task's, or a Ray
        worker's), with its steps, verdicts and decisions: all of it or none."""
        with self._using("write") as conn:
            runs.import_run(conn, history)
            if history.plan is not None:
                plans.insert_plan(conn, history.run.id, history.plan)

    def get_run(self, run_id: str) -> RunRow:
        """The run's row alone (no steps); `UserError` for an unknown id."""
        with self._using("read") as conn:
            return runs.get_run(conn, run_id)

    def list_runs(self, limit: int | None = 50) -> list[RunRow]:
        """The most recent runs first."""
        with self._using("read") as conn:
            return runs.list_runs(conn, limit)

    # estimates ------------------------------------------------------------------------

    def load_estimates(self) -> Estimates:
        """The persisted estimates of every (model, kind of step) pair (empty at first)."""
        with self._using("read") as conn:
            return estimates.load(conn)

    def save_estimates(self, values: Estimates) -> None:
        """Write every pair `values` holds (replacing those rows; other pairs' rows are
        kept), in one transaction. Save the estimates you loaded and then fed: the
        last writer of a pair wins."""
        with self._using("write") as conn:
            estimates.save(conn, values)

    # calls log ------------------------------------------------------------------------

    def record_call(
        self, run_id: str, model: str, shape: str, completion: Completion, *, served: bool
    ) -> None:
        """Log an answer run `run_id` obtained from `model` for a request of shape
        `shape` (the request without its seed); `served`: it came from the response
        cache. Committed on return."""
        with self._using("write") as conn:
            calls.insert(conn, run_id, model, shape, completion, served=served)

    def run_calls(self, run_id: str) -> list[RecordedCall]:
        """Every answer run `run_id` obtained, in the order they came."""
        with self._using("read") as conn:
            return calls.of_run(conn, run_id)

    # response cache -------------------------------------------------------------------

    def cache_get(self, key: str) -> Completion | None:
        """The completion stored under `key` as first received, or None; counts a hit."""
        with self._using("read") as conn:
            return cache.get(conn, key)

    def cache_put(self, key: str, completion: Completion) -> None:
        """Store `completion` under `key` (the first answer stored for a key stays)."""
        with self._using("write") as conn:
            cache.put(conn, key, completion)

    def prune_cache(self, keep: int = CACHE_MAX_ENTRIES) -> int:
        """Keep only the `keep` most recently used cached answers; returns how many
        were dropped (`open` does this, so the cache never grows without bound)."""
        with self._using("write") as conn:
            return cache.prune(conn, keep)

    # compiled requirements -----------------------------------------------------------

    def compiled_get(self, key: str) -> compiled.CompiledRow | None:
        """The compile stored under `key` (normalised text + compiler version), or None."""
        with self._lock:
            return compiled.get(self._conn, key)

    def compiled_put(self, key: str, row: compiled.CompiledRow) -> None:
        """Store a compile (the first one stored for a key stays)."""
        with self._lock:
            compiled.put(self._conn, key, row)

    def cache_hits(self, key: str) -> int | None:
        """How many times `key` was served from the cache (None: not stored)."""
        with self._using("read") as conn:
            return cache.hits(conn, key)
