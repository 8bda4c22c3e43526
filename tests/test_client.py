"""`cadenza.client.Client` against a real server: runs, events, and the server's
refusals as `ApiError`s carrying status, type and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadenza.client import Client
from cadenza.errors import ApiError, ServerUnreachableError
from cadenza.server.serving import bind, running

from .server.conftest import TOKEN, config_for

pytestmark = pytest.mark.anyio


async def test_the_client_runs_follows_and_lists(tmp_path: Path) -> None:
    async with running(config_for(tmp_path / "s.db")) as url, Client(url, TOKEN) as client:
        assert (await client.info())["default_model"]
        done = await client.solve(
            "Say hi", ["at most 5 words"], models=["scripted:echo"], options={"max_tokens": 16}
        )
        assert done["status"] == "completed" and done["result"]["text"].startswith("Say hi")
        events = [e["type"] async for e in client.events(done["id"])]  # told from memory
        assert events[0] == "status" and events[-1] == "end"
        assert [r["id"] for r in await client.list_runs()] == [done["id"]]


async def test_refusals_are_api_errors_with_the_field(tmp_path: Path) -> None:
    async with running(config_for(tmp_path / "s.db")) as url:
        async with Client(url, TOKEN) as client:
            with pytest.raises(ApiError) as bad:
                await client.create_run("x", budget={"calls": 0})
            assert (bad.value.status, bad.value.type, bad.value.field) == (
                422,
                "invalid_request",
                "budget.calls",
            )
            assert "budget.calls" in str(bad.value) and "HTTP 422" in str(bad.value)
            with pytest.raises(ApiError) as missing:
                await client.get_run("no-such-run")
            assert missing.value.status == 404
        async with Client(url, "wrong-token-wrong-token") as stranger:
            with pytest.raises(ApiError) as refused:
                await stranger.list_runs()
            assert refused.value.status == 401 and refused.value.type == "unauthorized"


async def test_a_server_that_is_not_there_is_said_so() -> None:
    with bind("127.0.0.1", 0) as sock:  # a port nobody answers on once closed
        port = sock.getsockname()[1]
    async with Client(f"http://127.0.0.1:{port}", TOKEN) as client:
        with pytest.raises(ServerUnreachableError, match="is `cadenza serve` running"):
            await client.list_runs()
