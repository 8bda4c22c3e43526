"""Running the server with uvicorn: bind first (a port in use is a clear error, and
port 0 picks a free one), then serve until stopped.

`running` serves in the background for as long as its block runs and yields the base
URL once the server accepts requests (its lifespan has opened the store and resumed
interrupted runs); `serve` is the same for a command that runs until interrupted.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import anyio
import uvicorn

from cadenza.errors import UserError
from cadenza.server.app import create_app
from cadenza.server.config import ServerConfig
from cadenza.server.stopping import StopSignals

GRACEFUL_S = 3  # open streams get this long to end when the server stops
NOT_STARTED = "The server could not start: the messages above say why."


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on `host`:`port` (0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP said explicitly: asyncio sets TCP_NODELAY on accepted connections only
    # when their socket says so, and without it small writes wait ~40 ms for an ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UserError(
            f"Cannot listen on {host}:{port} ({exc.strerror}): another program may use the "
            "port; stop it or choose another with --port."
        ) from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def base_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class _Server(uvicorn.Server):
    """uvicorn's server, saying when it is ready instead of being asked, and leaving
    signals to whoever runs it (`cadenza.server.stopping.StopSignals` for the
    command): uvicorn's own handling re-raises the signal once stopped, so the exit
    would not say what happened."""

    def __init__(self, config: uvicorn.Config, ready: anyio.Event) -> None:
        super().__init__(config)
        self._ready = ready

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets)
        except SystemExit:  # uvicorn's way to say the application did not start
            self.should_exit = True
            return
        if self.started:
            self._ready.set()


def _uvicorn(config: ServerConfig, ready: anyio.Event) -> _Server:
    return _Server(
        uvicorn.Config(
            create_app(config),
            lifespan="on",
            access_log=False,  # the guard logs requests without their query strings
            log_level="warning",
            timeout_graceful_shutdown=GRACEFUL_S,
        ),
        ready,
    )


@asynccontextmanager
async def running(config: ServerConfig, sock: socket.socket | None = None) -> AsyncIterator[str]:
    """Serve `config` in the background; yields the base URL when ready, stops (and
    waits for the server to finish) when the block ends."""
    sock = sock or bind(config.host, config.port)
    ready = anyio.Event()
    server = _uvicorn(config, ready)

    async def serving() -> None:
        try:
            await server.serve([sock])
        finally:
            ready.set()  # also when it could not start: the waiter looks why

    async with anyio.create_task_group() as tg:
        tg.start_soon(serving)
        await ready.wait()
        if server.started:
            try:
                yield base_url(sock)
            finally:
                server.should_exit = True
    if not server.started:
        raise UserError(NOT_STARTED)


async def serve(
    config: ServerConfig, sock: socket.socket, on_ready: anyio.Event, stop: StopSignals
) -> int:
    """Serve until `stop` receives SIGINT (Ctrl-C) or SIGTERM; returns that signal.
    `on_ready` is set once the server accepts requests. Raises `UserError` when it
    could not start."""
    server = _uvicorn(config, on_ready)
    stop.attach(server)
    if stop.received:
        return stop.received
    await server.serve([sock])
    if not server.started and not stop.received:
        raise UserError(NOT_STARTED)
    return stop.received
