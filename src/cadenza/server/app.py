"""The HTTP API and the web page (`create_app`).

    POST   /v1/runs              start a run: {input, requirements, budget, models,
                                 strategy, tools, context, options} -> {id, status}
    GET    /v1/runs              the runs, newest first (?limit=)
    GET    /v1/runs/{id}         {id, status, result, error, ...}
    GET    /v1/runs/{id}/events  the run's events (Server-Sent Events) as it grows
    DELETE /v1/runs/{id}         cancel it (what was paid for is kept)
    GET    /v1/events            runs starting and ending (Server-Sent Events)
    GET    /v1/info              version, strategies, limits
    GET    /                     the web page

Every route needs the token (`cadenza.server.guard`). Errors are JSON:
``{"error": {"type", "message", "field"?}}``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

import anyio
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from cadenza import __version__, api
from cadenza.errors import InvalidFieldError, RunNotFoundError, ServerBusyError, UserError
from cadenza.server.config import ServerConfig
from cadenza.server.guard import Guard
from cadenza.server.requests import RunRequest, check, field_name
from cadenza.server.runs import LiveRun, RunService
from cadenza.store.store import Store

STATIC = Path(str(files("cadenza.server") / "static"))
CANCEL_WAIT_S = 10.0
KEEPALIVE_S = 15.0
Json = dict[str, Any]


def create_app(config: ServerConfig) -> FastAPI:
    """The server's ASGI application. Its lifespan opens the store, resumes the
    server's interrupted runs, and on shutdown cancels the runs in progress (they are
    recorded interrupted and resumed on the next start)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = Store.open(config.store)
        try:
            async with anyio.create_task_group() as tg:
                service = RunService(
                    store,
                    tg,
                    settings=config.settings,
                    models=config.models,
                    limits=config.limits,
                    tracer_provider=config.tracer_provider,
                )
                app.state.service = service
                service.resume_interrupted()
                try:
                    yield
                finally:
                    service.close()
                    tg.cancel_scope.cancel()
        finally:
            store.close()

    app = FastAPI(
        title="cadenza",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/v1/openapi.json",
    )
    app.add_middleware(Guard, token=config.token, max_body_bytes=config.max_body_bytes)
    _errors(app)
    _routes(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def service_of(request: Request) -> RunService:
    service: RunService = request.app.state.service
    return service


def error(status: int, kind: str, message: str, field: str | None = None) -> JSONResponse:
    body: Json = {"type": kind, "message": message}
    if field is not None:
        body["field"] = field
    return JSONResponse({"error": body}, status_code=status)


def _errors(app: FastAPI) -> None:
    async def invalid_body(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        first = exc.errors()[0]
        loc = list(first.get("loc", ()))
        where = field_name(loc[1:]) if loc and loc[0] == "body" else field_name(loc[1:] or loc)
        if first.get("type") == "json_invalid":
            return error(422, "invalid_request", "The body is not valid JSON.", "body")
        return error(422, "invalid_request", f"Field {where!r}: {first.get('msg')}.", where)

    async def invalid_field(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, InvalidFieldError)
        return error(422, "invalid_request", exc.message, exc.field)

    async def busy(request: Request, exc: Exception) -> Response:
        response = error(429, "busy", str(exc))
        response.headers["retry-after"] = "5"
        return response

    async def not_found(request: Request, exc: Exception) -> Response:
        return error(404, "not_found", str(exc))

    async def refused(request: Request, exc: Exception) -> Response:
        # A request this server cannot carry out as sent (the checks of
        # `cadenza.server.requests` name the field; this is what they did not foresee).
        return error(422, "invalid_request", str(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        kind = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error(exc.status_code, kind, str(exc.detail))

    handlers: dict[type[Exception], Callable[[Request, Exception], Awaitable[Response]]] = {
        RequestValidationError: invalid_body,
        InvalidFieldError: invalid_field,
        ServerBusyError: busy,
        RunNotFoundError: not_found,
        UserError: refused,
        HTTPException: http_error,
    }
    for kind, handler in handlers.items():
        app.add_exception_handler(kind, handler)


def _routes(app: FastAPI) -> None:
    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"cache-control": "no-store"})

    @app.get("/v1/info")
    async def info() -> Json:
        return {
            "version": __version__,
            "strategies": api.strategies(),
            "default_model": api.DEFAULT_MODEL,
        }

    @app.post("/v1/runs", status_code=202)
    async def create_run(body: RunRequest, request: Request) -> JSONResponse:
        service = service_of(request)
        live = service.submit(check(body, service.resolve))
        return JSONResponse(
            {"id": live.id, "status": "in_progress"},
            status_code=202,
            headers={"location": f"/v1/runs/{live.id}"},
        )

    @app.get("/v1/runs")
    async def list_runs(request: Request, limit: int = Query(50, ge=1, le=1000)) -> Json:
        return {"runs": service_of(request).listing(limit)}

    @app.get("/v1/runs/{run_id}")
    async def get_run(run_id: str, request: Request) -> Json:
        return service_of(request).describe(run_id)

    @app.delete("/v1/runs/{run_id}")
    async def cancel_run(run_id: str, request: Request) -> Response:
        service = service_of(request)
        live = service.cancel(run_id)
        if live is None:
            described = service.describe(run_id)
            held = described["status"] == "in_progress"
            where = "by another process" if held else f"already: it is {described['status']}"
            return error(
                409, "conflict", f"Run {run_id!r} cannot be cancelled here: it ended {where}."
            )
        with anyio.move_on_after(CANCEL_WAIT_S):
            await live.done.wait()
        described = service.describe(run_id)
        return JSONResponse({"id": run_id, "status": described["status"]})

    @app.get("/v1/runs/{run_id}/events")
    async def run_events(run_id: str, request: Request) -> StreamingResponse:
        service = service_of(request)
        start = _last_event_id(request) + 1
        live = service.live(run_id)
        if live is None:
            told = service.stored_events(run_id)
            return _sse(_told(told, start))
        return _sse(_followed(live, start))

    @app.get("/v1/events")
    async def run_feed(request: Request) -> StreamingResponse:
        return _sse(_feed(service_of(request)))


def _last_event_id(request: Request) -> int:
    raw = request.headers.get("last-event-id", "")
    return int(raw) if raw.isdigit() else -1


def _sse(chunks: AsyncIterator[str]) -> StreamingResponse:
    return StreamingResponse(
        chunks,
        media_type="text/event-stream",
        headers={"cache-control": "no-cache", "x-accel-buffering": "no"},
    )


def _frame(index: int | None, event: Json) -> str:
    head = "" if index is None else f"id: {index}\n"
    return f"{head}event: {event['type']}\ndata: {json.dumps(event, default=str)}\n\n"


async def _told(told: list[Json], start: int) -> AsyncIterator[str]:
    for index, event in enumerate(told):
        if index >= start:
            yield _frame(index, event)


async def _followed(live: LiveRun, start: int) -> AsyncIterator[str]:
    async for index, event in live.follow(start):
        yield ": keepalive\n\n" if event is None else _frame(index, event)


async def _feed(service: RunService) -> AsyncIterator[str]:
    with service.watch() as changes:
        yield _frame(None, {"type": "hello", "version": __version__})
        while True:
            message: Json | None = None
            with anyio.move_on_after(KEEPALIVE_S):
                try:
                    message = await changes.receive()
                except anyio.EndOfStream:  # the server is stopping
                    return
            yield ": keepalive\n\n" if message is None else _frame(None, message)
