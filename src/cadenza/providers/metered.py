"""`Metered`: a model that adds up the calls made through it and their usage (answers
served from the response cache cost nothing and are not counted), so work done outside
the engine (compiling requirements, reading a prompt, a benchmark's judge) is charged."""

from __future__ import annotations

from cadenza.providers.base import Completion, CompletionRequest, Model, ProgressCallback, Usage
from cadenza.providers.wrapper import ModelWrapper


class Metered(ModelWrapper):
    def __init__(self, inner: Model) -> None:
        super().__init__(inner)
        self.usage = Usage()
        self.calls = 0

    async def complete(
        self, request: CompletionRequest, *, on_progress: ProgressCallback | None = None
    ) -> Completion:
        completion = await self._inner.complete(request, on_progress=on_progress)
        if not completion.cached:
            self.usage = self.usage + completion.usage
            self.calls += 1
        return completion
