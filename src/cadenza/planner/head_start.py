"""The first sample started while the requirements are still being read.

When a solve reads its requirements from the task text, a model may be asked for the
requirements the rules do not find (`prepare`): seconds on the embedded model, during
which nothing else runs. The first sample's request does not depend on that reading (in
prompt mode the requirements are not listed in it), so it can start at once. The
round that asks for exactly that request later takes the call already under way; a head
start nobody claims is cancelled when the solve ends and counted as wasted speculation
(its tokens, and a call).

On the embedded model the two calls share decode steps (`local_batch`), so the reading
costs the sample a fraction of a step per token instead of its whole duration.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace

import anyio

from cadenza.planner.context import SolveContext
from cadenza.planner.costs import request_tokens
from cadenza.planner.steps import DriveOptions, first_sample_request
from cadenza.providers.base import (
    Completion,
    CompletionRequest,
    Model,
    Progress,
    ProgressCallback,
    Usage,
)
from cadenza.providers.pricing import cost_of
from cadenza.providers.wrapper import ModelWrapper
from cadenza.settings import Settings


class HeadStart(ModelWrapper):
    """`inner`, with `request` started before anyone asks for it: the first call that
    asks for an equal request gets that call (and its progress from then on); every
    other call goes to `inner`."""

    def __init__(self, inner: Model, request: CompletionRequest) -> None:
        super().__init__(inner)
        self.request = request
        self.claimed = False
        self._scope = anyio.CancelScope()
        self._done = anyio.Event()
        self._result: Completion | Exception | None = None
        self._listener: ProgressCallback | None = None
        self._output_tokens = 0

    async def run(self) -> None:
        """Make the call (in a task of the solve's task group)."""
        try:
            with self._scope:
                self._result = await self.inner.complete(self.request, on_progress=self._progress)
        except Exception as error:  # the claimer gets it, as if it had called
            self._result = error
        finally:
            self._done.set()

    def _progress(self, progress: Progress) -> None:
        self._output_tokens = progress.output_tokens
        if self._listener is not None:
            self._listener(progress)

    async def complete(
        self, request: CompletionRequest, *, on_progress: ProgressCallback | None = None
    ) -> Completion:
        if self.claimed or request != self.request:
            return await self.inner.complete(request, on_progress=on_progress)
        self.claimed = True
        self._listener = on_progress
        try:
            await self._done.wait()
        except BaseException:  # the claimer was cancelled: so is the call
            self._scope.cancel()
            raise
        result = self._result
        if isinstance(result, Exception):
            raise result
        if result is None:  # cancelled before it was claimed: cannot happen once claimed
            return await self.inner.complete(request, on_progress=on_progress)
        return result

    def cancel(self) -> None:
        """Stop the call unless a round took it."""
        if not self.claimed:
            self._scope.cancel()

    def wasted(self, settings: Settings) -> Usage | None:
        """What the call cost when no round took it (when it was stopped: its prompt, as
        estimated, and the tokens it had written, at the model's price); None when a
        round took it."""
        if self.claimed:
            return None
        if isinstance(self._result, Completion):
            return self._result.usage
        tokens = request_tokens(self.request), self._output_tokens
        return Usage(*tokens, cost_of(self.inner, settings, *tokens))


@dataclass(frozen=True, slots=True)
class Started:
    """The solve's context (its first model wrapped) and the head start, if any."""

    context: SolveContext
    head: HeadStart | None


@asynccontextmanager
async def head_start(
    context: SolveContext, options: DriveOptions, *, allowed: bool
) -> AsyncIterator[Started]:
    """Start the first sample at once when the solve reads its requirements from the
    task (in prompt mode), has one model, and may speculate (the ``speculate`` option);
    on leaving, stop it if nobody took it."""
    if not (
        allowed
        and context.requirements is None
        and len(context.models) == 1
        and bool(context.options.get("speculate", True))
    ):
        yield Started(context, None)
        return
    head = HeadStart(context.models[0], first_sample_request(context.task.prompt(), options))
    try:
        async with anyio.create_task_group() as group:
            group.start_soon(head.run)
            try:
                yield Started(replace(context, models=(head,)), head)
            finally:
                head.cancel()
    except BaseExceptionGroup as raised:  # the solve's own error, as the caller knows it
        if len(raised.exceptions) == 1:  # (`run` keeps its own errors for the claimer)
            raise raised.exceptions[0] from None
        raise
