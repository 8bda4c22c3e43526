"""The test's provider for killed-and-resumed runs, shared by the child processes
that get killed and by the tests (loaded with `exec`, so a child needs no import
path): a scripted model whose answers depend only on the request (so every process
answers alike), which prints one line per call it completes ("paid <request key>").
"""

from __future__ import annotations

import hashlib
import random
from typing import TextIO

from cadenza.providers.base import Completion, CompletionRequest, ProgressCallback
from cadenza.providers.cached import request_key
from cadenza.providers.scripted import Reply, ScriptedModel

WORDS = ["alpha", "beta", "Acme", "sea", "wave", "blue", "deep", "salt"]


class CountingModel(ScriptedModel):
    """Answers from the request alone; `paid` lists the request keys it answered."""

    def __init__(self, slots: int, latency: float, out: TextIO | None = None) -> None:
        super().__init__(self._answer, name="scripted:counting", max_concurrency=slots)
        self._delay = latency
        self._out = out
        self.paid: list[str] = []

    def _answer(self, request: CompletionRequest, index: int) -> Reply:
        seed = f"{request.messages[-1].content}|{request.seed}".encode()
        rng = random.Random(hashlib.sha256(seed).digest())
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9)))
        return Reply(text, latency_s=self._delay * rng.uniform(0.5, 1.5))

    async def complete(
        self, request: CompletionRequest, *, on_progress: ProgressCallback | None = None
    ) -> Completion:
        completion = await super().complete(request, on_progress=on_progress)
        key = request_key(self.id, request) or ""
        self.paid.append(key)
        if self._out is not None:
            print("paid", key, file=self._out, flush=True)
        return completion
