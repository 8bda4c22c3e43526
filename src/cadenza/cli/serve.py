"""`cadenza serve`: the HTTP API and the web page, until interrupted."""

from __future__ import annotations

import logging
import signal
from pathlib import Path
from typing import Annotated

import anyio
import typer
from rich.console import Console
from rich.markup import escape

from cadenza.cli.app import app, user_errors
from cadenza.errors import UserError
from cadenza.server import Limits, ServerConfig, token_for
from cadenza.server.config import DEFAULT_HOST, DEFAULT_MAX_BODY, DEFAULT_PORT, is_loopback
from cadenza.server.stopping import StopSignals
from cadenza.settings import Settings
from cadenza.store.store import Store, default_path

EXIT_INTERRUPTED = 130  # stopped by Ctrl-C


@app.command("serve")
def serve_command(
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on. Loopback by default; any other address makes the "
            "server reachable from other machines (the token is still required).",
        ),
    ] = DEFAULT_HOST,
    port: Annotated[int, typer.Option("--port", help="Port (0: any free one).")] = DEFAULT_PORT,
    store: Annotated[
        Path | None,
        typer.Option("--store", help="The SQLite store (default: the one `cadenza run` uses)."),
    ] = None,
    max_running: Annotated[
        int, typer.Option("--max-running", help="Runs solving at once; more wait their turn.")
    ] = 16,
    max_pending: Annotated[
        int, typer.Option("--max-pending", help="Runs accepted and not finished; more get 429.")
    ] = 1_000,
    max_body: Annotated[
        int, typer.Option("--max-body", help="Largest request body, in bytes.")
    ] = DEFAULT_MAX_BODY,
) -> None:
    """Serve the HTTP API (POST /v1/runs ...) and the web page of the runs. Every
    request needs the token: CADENZA_TOKEN, or [server] token in the config file, or
    the one made (and printed, once) on the first start."""
    console = Console(highlight=False, soft_wrap=True)
    with StopSignals() as stop, user_errors():  # a signal from now on stops it cleanly
        for name, value in (("--max-running", max_running), ("--max-pending", max_pending),
                            ("--max-body", max_body)):  # fmt: skip
            if value < 1:
                raise UserError(f"{name} must be at least 1, got {value}.")
        from cadenza.server.serving import base_url, bind, serve  # the web stack, only here

        settings = Settings.load()
        token = token_for(settings)
        path = store or default_path(settings)
        Store.open(path).close()  # a store it cannot use is an error now, not in the log
        sock = bind(host, port)
        url = base_url(sock)
        config = ServerConfig(
            store=path,
            token=token.secret,
            settings=settings,
            host=host,
            port=port,
            max_body_bytes=max_body,
            limits=Limits(max_running=max_running, max_pending=max_pending),
        )
        console.print(f"cadenza serve: {url}  (store {escape(str(path))})")
        if not is_loopback(host):
            console.print(
                f"[yellow]listening on {escape(host)}: reachable from other machines; every "
                "request still needs the token[/]"
            )
        if token.generated:
            console.print(f"token (shown this once; kept in {escape(token.origin)}):")
            console.print(token.secret.reveal())
            console.print(f"web page: {url}/?token={token.secret.reveal()}")
        else:
            source = (
                "CADENZA_TOKEN or the config file" if token.origin == "configured" else token.origin
            )
            console.print(f"token: from {escape(source)}; web page: {url}/?token=TOKEN")
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        stopped_by = anyio.run(serve, config, sock, anyio.Event(), stop)
        console.print("cadenza serve: stopped; runs in progress resume on the next start")
        if stopped_by == signal.SIGINT:
            raise typer.Exit(EXIT_INTERRUPTED)
