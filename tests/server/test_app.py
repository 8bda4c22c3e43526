"""The HTTP API on a real server over loopback: runs, their events, cancelling,
tokens, limits and errors that name the field."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from cadenza.api import solve
from cadenza.client import Client
from cadenza.errors import ApiError, UserError
from cadenza.providers.scripted import Reply, ScriptedModel
from cadenza.server import Limits
from cadenza.server.serving import running
from cadenza.store import Store

from .conftest import TOKEN, Served, config_for

pytestmark = pytest.mark.anyio

TASK = "Write one line about the sea"
REQUIREMENTS: list[Any] = [
    "at most 12 words",
    {"name": "sea", "description": "mention the sea", "is_mandatory": False},
]


def _comparable(result: dict[str, Any]) -> dict[str, Any]:
    """A result without what differs between two runs of the same input (ids, clocks)."""
    kept = {k: result[k] for k in ("text", "requirements", "score", "finish_reason", "calls")}
    kept["strategy"], kept["models"] = result["strategy"], list(result["models"])
    kept["tokens"] = result["usage"]["input_tokens"], result["usage"]["output_tokens"]
    kept["decisions"] = [(d["action"], d["reason"]) for d in result["decisions"]]
    kept["candidates"] = [
        {k: v for k, v in n.items() if k != "latency_s"}
        for n in result["trace"]
        if n["type"] == "candidate"
    ]
    return json.loads(json.dumps(kept))


async def test_an_api_run_gives_what_solve_gives_for_the_same_input(served: Served) -> None:
    created = await served.client.create_run(TASK, REQUIREMENTS, models=["scripted:echo"])
    assert created["status"] == "in_progress" and created["id"]
    seen = [event async for event in served.client.events(created["id"])]
    run = await served.client.get_run(created["id"])
    assert run["status"] == "completed" and run["id"] == created["id"]

    direct = await solve(TASK, REQUIREMENTS, models=["scripted:echo"], store=":memory:")
    assert _comparable(run["result"]) == _comparable(direct.to_json())
    assert [r["name"] for r in run["result"]["requirements"]] == [
        "at-most-12-words",
        "sea",
        "does-the-task",
    ]

    kinds = [e["type"] for e in seen]
    assert kinds[0] == "status" and kinds[-1] == "end"
    assert {"call", "candidate", "decision"} <= set(kinds)
    assert seen[-1]["result"] == run["result"]
    (listed,) = await served.client.list_runs()
    assert listed["id"] == created["id"] and listed["status"] == "completed"
    assert listed["input"] == TASK


async def test_a_finished_run_is_told_from_the_store_after_a_restart(tmp_path: Path) -> None:
    store = tmp_path / "s.db"
    async with running(config_for(store)) as url, Client(url, TOKEN) as client:
        run = await client.solve(TASK, REQUIREMENTS, models=["scripted:echo"])
    async with running(config_for(store)) as url, Client(url, TOKEN) as client:
        again = await client.get_run(run["id"])
        assert again["status"] == "completed" and again["result"] == run["result"]
        told = [e async for e in client.events(run["id"])]
    candidates = [e["candidate"] for e in told if e["type"] == "candidate"]
    assert [c["id"] for c in candidates] == [
        n["id"] for n in run["result"]["trace"] if n["type"] == "candidate"
    ]
    assert all(c["verdicts"] for c in candidates)  # the verdicts recorded for each
    assert told[-1]["type"] == "end" and told[-1]["status"] == "completed"


async def test_no_route_answers_without_the_token(served: Served) -> None:
    routes = [
        ("GET", "/"),
        ("GET", "/static/app.js"),
        ("GET", "/v1/info"),
        ("GET", "/v1/runs"),
        ("POST", "/v1/runs"),
        ("GET", "/v1/runs/some-id"),
        ("DELETE", "/v1/runs/some-id"),
        ("GET", "/v1/runs/some-id/events"),
        ("GET", "/v1/events"),
        ("GET", "/v1/openapi.json"),
        ("GET", "/no/such/route"),
    ]
    async with httpx.AsyncClient(base_url=served.url) as http:
        for method, path in routes:
            bare = await http.request(method, path, json={"input": "x"})
            wrong = await http.request(
                method, path, headers={"authorization": "Bearer not-the-token"}
            )
            for response in (bare, wrong):
                assert response.status_code == 401, (method, path)
                assert response.json()["error"]["type"] == "unauthorized"
                assert response.headers["www-authenticate"].startswith("Bearer")
        ok = await http.get("/v1/info", headers={"authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200 and ok.json()["strategies"][0] == "tree"
        # The page: the token in the address sets a cookie and is dropped from it.
        opened = await http.get(f"/?token={TOKEN}")
        assert opened.status_code == 303 and opened.headers["location"] == "/"
        assert TOKEN not in opened.headers["set-cookie"]
        page = await http.get("/")  # the client keeps the cookie
        assert page.status_code == 200 and "<title>cadenza</title>" in page.text
        wrong_link = await http.get("/?token=guess")
        assert wrong_link.status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "input"),
        ({"input": 5}, "input"),
        ({"input": "  "}, "input"),
        ({"input": "x", "surprise": 1}, "surprise"),
        ({"input": "x", "requirements": "one"}, "requirements"),
        ({"input": "x", "requirements": ["ok", {"name": "a"}]}, "requirements[1].description"),
        ({"input": "x", "requirements": [{"description": "d", "is_mandatory": "false"}]},
         "requirements[0].is_mandatory"),
        ({"input": "x", "requirements": [7]}, "requirements[0]"),
        ({"input": "x", "budget": "huge"}, "budget"),
        ({"input": "x", "budget": {"calls": "3"}}, "budget.calls"),
        ({"input": "x", "budget": {"calls": -1}}, "budget.calls"),
        ({"input": "x", "budget": {}}, "budget"),
        ({"input": "x", "budget": {"minutes": 3}}, "budget.minutes"),
        ({"input": "x", "models": ["nosuch:model"]}, "models[0]"),
        ({"input": "x", "models": []}, "models"),
        ({"input": "x", "strategy": "magic"}, "strategy"),
        ({"input": "x", "tools": [{"name": "search"}]}, "tools"),
        ({"input": "x", "options": {"max_tokens": -5}}, "options.max_tokens"),
        ({"input": "x", "options": {"max_tokens": True}}, "options.max_tokens"),
        ({"input": "x", "budget": {"dollars": "NaN"}}, "budget.dollars"),
        ({"input": "x", "options": {"verbose": True}}, "options.verbose"),
    ],
)  # fmt: skip
async def test_a_bad_request_gets_a_4xx_naming_the_field(
    served: Served, body: dict[str, Any], field: str
) -> None:
    async with httpx.AsyncClient(base_url=served.url) as http:
        response = await http.post(
            "/v1/runs", json=body, headers={"authorization": f"Bearer {TOKEN}"}
        )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["type"] == "invalid_request" and error["field"] == field
    assert field.split("[")[0].split(".")[0] in error["message"]
    assert await served.client.list_runs() == []  # nothing was started


async def test_malformed_and_oversized_bodies_are_refused(tmp_path: Path) -> None:
    config = config_for(tmp_path / "s.db", max_body_bytes=2_000)
    headers = {"authorization": f"Bearer {TOKEN}", "content-type": "application/json"}
    async with running(config) as url, httpx.AsyncClient(base_url=url) as http:
        broken = await http.post("/v1/runs", content=b'{"input": ', headers=headers)
        assert broken.status_code == 422 and broken.json()["error"]["field"] == "body"
        big = json.dumps({"input": "x" * 5_000}).encode()
        too_big = await http.post("/v1/runs", content=big, headers=headers)
        assert too_big.status_code == 413 and too_big.json()["error"]["field"] == "body"

        async def chunks() -> Any:  # no content-length: counted as it arrives
            for _ in range(10):
                yield b" " * 500

        streamed = await http.post("/v1/runs", content=chunks(), headers=headers)
        assert streamed.status_code == 413
        unknown = await http.get("/v1/runs/no-such-run", headers=headers)
        assert unknown.status_code == 404 and "No run" in unknown.json()["error"]["message"]


async def test_cancelling_stops_the_calls_in_flight_and_keeps_what_was_paid(
    tmp_path: Path,
) -> None:
    # A quick first answer (too long), then a fix that would take half a minute.
    slow = ScriptedModel(
        [Reply("one two three four five six", latency_s=0.0), Reply("fixed", latency_s=30.0)],
        name="scripted:slow",
    )
    store = tmp_path / "s.db"
    config = config_for(store, models={"scripted:slow": slow})
    async with running(config) as url, Client(url, TOKEN) as client:
        run = await client.create_run(
            TASK, ["at most 3 words"], models=["scripted:slow"], strategy="refine"
        )
        async for event in client.events(run["id"]):
            if event["type"] == "call" and event["purpose"] == "fix":
                break  # the fix is in flight
        cancelled = await client.cancel_run(run["id"])
        assert cancelled == {"id": run["id"], "status": "cancelled"}
        assert slow.cancelled == 1 and slow.in_flight == 0
        described = await client.get_run(run["id"])
        assert described["status"] == "cancelled" and described["result"] is None
        assert "cancelled" in described["error"]["message"]
        with pytest.raises(ApiError) as again:
            await client.cancel_run(run["id"])
        assert again.value.status == 409
    with Store.open(store) as opened:  # the answer paid for before the cancel is kept
        (paid,) = opened.run_calls(run["id"])
        assert paid.completion.text == "one two three four five six"
        steps = opened.load_run(run["id"]).steps
        assert (steps[0].record.kind, steps[0].record.outcome) == ("sample", "ok")


async def test_runs_beyond_the_limit_wait_and_beyond_the_backlog_are_refused(
    tmp_path: Path,
) -> None:
    gate = ScriptedModel(name="scripted:gate", latency=30.0)
    limits = Limits(max_running=1, max_pending=2)
    config = config_for(tmp_path / "s.db", models={"scripted:gate": gate}, limits=limits)
    async with running(config) as url, Client(url, TOKEN) as client:
        first = await client.create_run(TASK, None, models=["scripted:gate"], strategy="single")
        second = await client.create_run(TASK, None, models=["scripted:gate"], strategy="single")
        with pytest.raises(ApiError) as refused:
            await client.create_run(TASK, None, models=["scripted:gate"], strategy="single")
        assert refused.value.status == 429 and refused.value.type == "busy"
        waiting = await client.get_run(second["id"])
        assert waiting["status"] == "in_progress" and waiting["queued"] is True
        assert gate.max_in_flight == 1
        for run in (first, second):
            await client.cancel_run(run["id"])


async def test_the_token_reaches_neither_the_logs_nor_the_store(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with httpx.AsyncClient(base_url=served.url) as http:
        await http.get(f"/?token={TOKEN}")
        await http.get("/?token=wrong-guess")
        await http.get("/v1/runs", headers={"authorization": f"Bearer {TOKEN}"})
    await served.client.solve(TASK, REQUIREMENTS, models=["scripted:echo"])
    server_side = [r for r in caplog.records if r.name.startswith(("cadenza", "uvicorn"))]
    logged = "\n".join(r.getMessage() for r in server_side)  # (httpx logs the client's URLs)
    assert "GET / 303" in logged and "GET /v1/runs 200" in logged  # requests are logged
    assert TOKEN not in logged
    for part in served.store.parent.glob(served.store.name + "*"):
        assert TOKEN.encode() not in part.read_bytes(), part


async def test_a_hundred_concurrent_runs_all_complete_and_the_store_stays_sound(
    tmp_path: Path,
) -> None:
    store = tmp_path / "s.db"
    inputs = [f"Write line {n} about the sea" for n in range(100)]
    config = config_for(store, limits=Limits(max_running=16))
    async with running(config) as url, Client(url, TOKEN) as client:
        finished: dict[str, dict[str, Any]] = {}

        async def one(text: str) -> None:
            finished[text] = await client.solve(text, REQUIREMENTS, models=["scripted:echo"])

        async with anyio.create_task_group() as tg:
            for text in inputs:
                tg.start_soon(one, text)
        listed = await client.list_runs(limit=1000)
    assert len(finished) == 100 and len(listed) == 100
    assert {r["status"] for r in finished.values()} == {"completed"}
    assert len({r["id"] for r in finished.values()}) == 100
    for text, run in finished.items():  # each its own run, with its own verdicts
        assert run["input"] == text and text in run["result"]["text"]  # echoed back
        assert [r["name"] for r in run["result"]["requirements"]] == [
            "at-most-12-words",
            "sea",
            "does-the-task",
        ]
    conn = sqlite3.connect(store)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        statuses = conn.execute("SELECT status, COUNT(*) FROM runs GROUP BY status").fetchall()
    finally:
        conn.close()
    assert sum(n for _, n in statuses) == 100 and "running" not in dict(statuses)


async def test_runs_that_cannot_be_answered_read_refused(served: Served) -> None:
    contradiction = await served.client.solve(
        TASK, ["at least 300 words", "at most 100 words"], models=["scripted:echo"]
    )
    assert contradiction["status"] == "refused"
    assert contradiction["result"]["finish_reason"] == "impossible"
    too_poor = await served.client.solve(TASK, None, models=["scripted:echo"], budget={"tokens": 1})
    assert too_poor["status"] == "refused" and too_poor["result"] is None
    assert too_poor["error"]["type"] == "BudgetError"
    assert "cannot pay for even one call" in too_poor["error"]["message"]


async def test_a_server_that_cannot_start_says_so(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("not a database\n" * 100)
    with pytest.raises(UserError, match="could not start"):
        async with running(config_for(notes)):
            pass


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b'{"input": "sea \\ud800 waves"}', "input"),
        (b'{"input": "x", "context": "\\udfff"}', "context"),
        (b'{"input": "x", "requirements": ["at most \\ud800 words"]}', "requirements[0]"),
    ],
)
async def test_text_that_is_not_unicode_gets_a_422_naming_the_field(
    served: Served, raw: bytes, field: str
) -> None:
    headers = {"authorization": f"Bearer {TOKEN}", "content-type": "application/json"}
    async with httpx.AsyncClient(base_url=served.url) as http:
        response = await http.post("/v1/runs", content=raw, headers=headers)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["type"] == "invalid_request" and error["field"] == field
    assert "UTF-8" in error["message"] and repr(field) in error["message"]
    assert await served.client.list_runs() == []


def _not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every local model reads as not installed (its pip package is missing)."""
    monkeypatch.setattr("cadenza.providers.local_models.find_part", lambda part: None)


async def test_a_run_on_a_default_model_not_installed_is_refused_at_post(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    _not_installed(monkeypatch)
    with pytest.raises(ApiError) as refused:
        await served.client.create_run(TASK, None)  # no models: the default one
    assert refused.value.status == 422 and refused.value.type == "invalid_request"
    assert refused.value.field == "models"
    assert "local:qwen2.5-coder-1.5b" in refused.value.message
    assert "pip install" in refused.value.message  # how to install it
    assert await served.client.list_runs() == []  # nothing was started


async def test_a_run_that_stops_before_its_strategy_starts_ends_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unusable(*args: Any, **kwargs: Any) -> Any:
        raise UserError("The model went away between the request and the run.")

    monkeypatch.setattr("cadenza.server.runs.api.solve", unusable)
    store = tmp_path / "s.db"
    async with running(config_for(store)) as url, Client(url, TOKEN) as client:
        created = await client.create_run(TASK, None, models=["scripted:echo"])
        seen = [event async for event in client.events(created["id"])]
        run = await client.get_run(created["id"])
    assert run["status"] == "failed"
    assert run["error"]["message"] == "The model went away between the request and the run."
    assert seen[-1]["type"] == "end" and seen[-1]["status"] == "failed"
    with Store.open(store) as opened:
        assert opened.get_run(created["id"]).status == "failed"
