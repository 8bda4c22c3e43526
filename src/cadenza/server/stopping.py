"""Stopping a server process on SIGINT (Ctrl-C) or SIGTERM, whenever the signal comes.

`StopSignals` is entered as soon as `cadenza serve` starts, before the slow part of
starting (imports, opening the store), so a signal that arrives early still stops the
server cleanly: before it serves, it never starts; while it serves, uvicorn is asked to
stop (a second signal stops it without waiting for open streams). `received` says
which signal came first, so the command can exit saying so."""

from __future__ import annotations

import signal
import threading
from types import FrameType, TracebackType
from typing import Protocol

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Stoppable(Protocol):
    should_exit: bool
    force_exit: bool


class StopSignals:
    def __init__(self) -> None:
        self.received = 0
        self._server: Stoppable | None = None
        self._previous: dict[int, object] = {}

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():
            self._previous = {sig: signal.signal(sig, self._handle) for sig in SIGNALS}
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]
        self._previous.clear()

    def attach(self, server: Stoppable) -> None:
        """From now on a signal stops `server` (at once if one came already)."""
        self._server = server
        if self.received:
            server.should_exit = True

    def _handle(self, sig: int, frame: FrameType | None) -> None:
        self.received = self.received or sig
        server = self._server
        if server is not None:
            server.force_exit = server.should_exit
            server.should_exit = True
