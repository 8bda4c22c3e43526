"""Ctrl-C: one line, the run recorded as interrupted, the process gone within a second.

`run_async` runs a command's coroutine with a SIGINT watcher beside it. On Ctrl-C it
prints the command's one line, cancels the coroutine (a solve records its run as
``interrupted`` with every step it finished, see `cadenza.store.recorder.ended`) and
arms a watchdog: work that cannot be cancelled at once (the embedded model loading or
reading a long prompt in its thread) does not keep the process alive past
`GRACE_S`. What was committed to the store stays (SQLite commits are atomic), and a
run left ``running`` by a process that is gone reads ``interrupted`` when the store is
next opened.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

import anyio

from cadenza.cli.app import EXIT_INTERRUPTED, Interrupted, say

T = TypeVar("T")

GRACE_S = 0.8
"""Seconds between Ctrl-C and the hard exit if cancelling has not finished by then."""


def _hard_exit() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(EXIT_INTERRUPTED)


def run_async(main: Callable[[], Awaitable[T]], *, interrupted: str) -> T:
    """``anyio.run(main)``, interruptible as the module docstring says. Raises
    `Interrupted` (its line printed) after Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        return anyio.run(main)  # signals reach the main thread only: nothing to watch
    results: list[T] = []
    watchdog: list[threading.Timer] = []

    async def guarded() -> None:
        async with anyio.create_task_group() as tg:

            async def body() -> None:
                results.append(await main())
                tg.cancel_scope.cancel()  # done: stop watching

            async def watch() -> None:
                with anyio.open_signal_receiver(signal.SIGINT) as signals:
                    async for _ in signals:
                        say("interrupted:", interrupted, style="bold yellow")
                        timer = threading.Timer(GRACE_S, _hard_exit)
                        timer.daemon = True
                        timer.start()
                        watchdog.append(timer)
                        tg.cancel_scope.cancel()
                        return

            tg.start_soon(watch)
            tg.start_soon(body)

    try:
        anyio.run(guarded)
    finally:
        for timer in watchdog:
            timer.cancel()
    if watchdog or not results:
        raise Interrupted
    return results[0]
