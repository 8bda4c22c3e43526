"""What the batch tests share: a scripted model's answers drawn from the request alone."""

from __future__ import annotations

import hashlib
import random

import pytest

from cadenza.providers.base import CompletionRequest
from cadenza.providers.scripted import Reply


class Hashed:
    """Answers and latencies drawn from the request alone (not from the call order, nor
    from where it runs); `slow` changes every latency, and so how tasks interleave, but
    no answer."""

    def __init__(self, slow: float = 0.01) -> None:
        self.slow = slow

    def __call__(self, request: CompletionRequest, index: int) -> Reply:
        text = "\n".join(m.content for m in request.messages)
        rng = random.Random(hashlib.sha256(f"{request.seed}|{text}".encode()).digest())
        words = " ".join(rng.choice(["sea", "salt", "wind", "gull", "tide"]) for _ in range(12))
        if rng.random() < 0.5:
            words = words.replace(" ", ", ", 1)
        return Reply(words, latency_s=self.slow * rng.random())


@pytest.fixture(scope="session")
def hashed() -> type[Hashed]:
    return Hashed
