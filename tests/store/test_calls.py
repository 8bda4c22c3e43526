"""The calls log, the recorded result and error of a run, and taking up an
interrupted run again (the store's side of resuming)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cadenza.errors import UserError
from cadenza.providers.base import Completion, Usage
from cadenza.store import Store
from cadenza.task import Budget, Requirement


def _completion(text: str) -> Completion:
    return Completion(text, "stop", Usage(3, 4, 0.25, 1.5), "scripted:m")


def test_calls_come_back_in_the_order_they_were_logged(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        store.record_call("r1", "scripted:m", "shape-a", _completion("one"), served=False)
        store.record_call("r2", "scripted:m", "shape-a", _completion("other run"), served=False)
        store.record_call("r1", "scripted:m", "shape-b", _completion("two"), served=True)
    with Store.open(tmp_path / "s.db") as store:  # durable: read from a new connection
        calls = store.run_calls("r1")
    assert [(c.shape, c.completion.text, c.served) for c in calls] == [
        ("shape-a", "one", False),
        ("shape-b", "two", True),
    ]
    assert calls[0].completion.usage == Usage(3, 4, 0.25, 1.5)  # as paid, with its cost


def test_a_run_is_taken_up_again_only_by_the_process_that_holds_it(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        store.start_run(task="first ask", strategy="single", run_id="r")
        store.start_run(task="same run, held here", strategy="tree", run_id="r")  # upsert
        assert store.load_run("r").run.summary["strategy"] == "tree"
        store.finish_run("r", status="completed")
        with pytest.raises(UserError, match="already in the store"):
            store.start_run(task="a new run under a used id", run_id="r")


def test_reopening_clears_what_the_resumed_run_records_anew(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store.open(path) as store:
        store.start_run(
            task="Write",
            requirements=[Requirement("at most 5 words")],
            budget=Budget(calls=3),
            strategy="tree",
            models=["scripted:m"],
            run_id="r",
            labels={"origin": "server"},
        )
        store.record_call("r", "scripted:m", "s", _completion("kept"), served=False)
        with pytest.raises(UserError, match="still running"):
            store.reopen_run("r")
    conn = sqlite3.connect(path)  # its process is gone
    conn.execute("UPDATE runs SET owner = 'nohost-here:1'")
    conn.execute("UPDATE runs SET status = 'interrupted'")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.resumable_runs("origin", "server") == ["r"]
        assert store.resumable_runs("origin", "cli") == []
        summary = store.reopen_run("r")
        assert summary["labels"] == {"origin": "server"}
        assert summary["requirements"][0]["description"] == "at most 5 words"
        run = store.load_run("r").run
        assert run.status == "running" and store.resumable_runs("origin", "server") == []
        assert [c.completion.text for c in store.run_calls("r")] == ["kept"]
        with pytest.raises(UserError, match="still running"):
            store.reopen_run("r")


def test_a_run_that_ended_without_a_result_says_why(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        store.start_run(task="Write", run_id="r")
        store.end_run("r", "refused", "BudgetError", "The budget cannot pay for even one call.")
        run = store.load_run("r").run
        assert run.status == "refused" and run.ended is not None
        assert run.error == {
            "type": "BudgetError",
            "message": "The budget cannot pay for even one call.",
        }
        assert store.run_result("r") is None
        with pytest.raises(UserError, match="ended refused"):
            store.reopen_run("r")
        with pytest.raises(UserError, match="No run 'nope'"):
            store.run_result("nope")
