"""A small async client for `cadenza serve`'s API, on httpx.

    async with Client("http://127.0.0.1:8740", token) as client:
        run = await client.create_run("Write a haiku", ["exactly 3 lines"],
                                      models=["local:qwen2.5-coder-1.5b"])
        async for event in client.events(run["id"]):
            print(event["type"])
        done = await client.get_run(run["id"])   # {"id", "status", "result", ...}

`wait(id)` follows the events to the end and returns the run; `solve(...)` is
`create_run` then `wait`. A refusal raises `cadenza.errors.ApiError` (its `status`,
`type`, `field` and message, as the server gave them); a server that cannot be
reached raises `ServerUnreachableError`.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping, Sequence
from types import TracebackType
from typing import Any

import httpx

from cadenza.errors import ApiError, ServerUnreachableError

Json = dict[str, Any]
DEFAULT_URL = "http://127.0.0.1:8740"


class Client:
    """`token` is the server's bearer token. `transport` is for httpx transports
    (tests, custom connection pools)."""

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        token: str | None = None,
        *,
        timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        headers = {} if token is None else {"authorization": f"Bearer {token}"}
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers=headers,
            timeout=httpx.Timeout(timeout, read=None),  # event streams wait as long as runs do
            transport=transport,
        )

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # ------------------------------------------------------------------ runs

    async def create_run(
        self,
        input: str,
        requirements: Sequence[str | Mapping[str, Any]] | None = None,
        *,
        budget: str | Mapping[str, Any] | None = None,
        models: Sequence[str] | None = None,
        strategy: str | None = None,
        context: str | None = None,
        tools: Sequence[Mapping[str, Any]] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> Json:
        """Start a run; ``{"id", "status"}`` at once (the run goes on on the server)."""
        body: Json = {"input": input}
        fields = {
            "requirements": None if requirements is None else list(requirements),
            "budget": budget,
            "models": None if models is None else list(models),
            "strategy": strategy,
            "context": context,
            "tools": None if tools is None else list(tools),
            "options": None if options is None else dict(options),
        }
        body.update({k: v for k, v in fields.items() if v is not None})
        return await self._json("POST", "/v1/runs", json=body)

    async def get_run(self, run_id: str) -> Json:
        return await self._json("GET", f"/v1/runs/{run_id}")

    async def list_runs(self, limit: int = 50) -> list[Json]:
        data = await self._json("GET", "/v1/runs", params={"limit": limit})
        runs: list[Json] = data["runs"]
        return runs

    async def cancel_run(self, run_id: str) -> Json:
        """Cancel a run in progress; ``{"id", "status"}`` once it has stopped."""
        return await self._json("DELETE", f"/v1/runs/{run_id}")

    async def info(self) -> Json:
        return await self._json("GET", "/v1/info")

    async def events(self, run_id: str) -> AsyncIterator[Json]:
        """The run's events as they happen, ending with its ``end`` event."""
        async for event in self._stream(f"/v1/runs/{run_id}/events"):
            yield event
            if event.get("type") == "end":
                return

    async def wait(self, run_id: str) -> Json:
        """Follow the run to its end; the run as `get_run` gives it then."""
        async for _ in self.events(run_id):
            pass
        return await self.get_run(run_id)

    async def solve(
        self,
        input: str,
        requirements: Sequence[str | Mapping[str, Any]] | None = None,
        **fields: Any,
    ) -> Json:
        """`create_run`, then `wait`."""
        created = await self.create_run(input, requirements, **fields)
        return await self.wait(created["id"])

    # ------------------------------------------------------------------ transport

    async def _json(self, method: str, path: str, **kwargs: Any) -> Json:
        try:
            response = await self._http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise self._unreachable(exc) from None
        if response.status_code >= 400:
            raise _api_error(response.status_code, response.content)
        data: Json = response.json()
        return data

    async def _stream(self, path: str) -> AsyncIterator[Json]:
        try:
            async with self._http.stream("GET", path) as response:
                if response.status_code >= 400:
                    raise _api_error(response.status_code, await response.aread())
                data: list[str] = []
                async for line in response.aiter_lines():
                    if line.startswith("data:"):
                        data.append(line[5:].lstrip())
                    elif not line and data:
                        yield json.loads("\n".join(data))
                        data = []
        except httpx.TransportError as exc:
            raise self._unreachable(exc) from None

    def _unreachable(self, exc: httpx.TransportError) -> ServerUnreachableError:
        return ServerUnreachableError(
            f"Cannot reach the cadenza server at {self._http.base_url} "
            f"({type(exc).__name__}): is `cadenza serve` running there?"
        )


def _api_error(status: int, content: bytes) -> ApiError:
    try:
        error = json.loads(content)["error"]
        return ApiError(status, str(error["type"]), str(error["message"]), error.get("field"))
    except (ValueError, KeyError, TypeError):
        return ApiError(status, "http_error", content[:200].decode("utf-8", "replace"))
