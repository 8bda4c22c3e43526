"""A batch on the real embedded 135M model: the model is loaded once, the tasks share
it (their calls decoded together in the model's one batch, never more sequences than
it has), and every task is answered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cadenza.api import batch
from cadenza.batching import BatchEvent, WorkerDone
from cadenza.providers.local import LocalModel
from cadenza.providers.registry import resolve
from cadenza.settings import Settings

pytestmark = [pytest.mark.anyio, pytest.mark.real_model]


async def test_tasks_share_the_one_local_model(tmp_path: Path) -> None:
    model = resolve("local:smollm2-135m", Settings(cache_dir=tmp_path / "cache"))
    assert isinstance(model, LocalModel)
    tasks = [{"id": colour, "input": f"Say one word about {colour}."} for colour in
             ("red", "green", "blue")]  # fmt: skip
    events: list[BatchEvent] = []
    summary = await batch(
        tasks,
        tmp_path / "out.jsonl",
        models=[model],
        strategy="single",
        requirements=[],
        options={"max_tokens": 8},
        concurrency=3,
        on_event=events.append,
    )
    assert (summary.done, summary.failed, summary.calls) == (3, 0, 3)
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert sorted(r["id"] for r in out) == ["blue", "green", "red"]
    assert all(r["text"].strip() and r["models"] == ["local:smollm2-135m"] for r in out)
    loaded = model.shared
    assert loaded is not None
    assert loaded.engine is not None  # the batched path served them
    stats = loaded.engine.stats
    assert stats.calls == loaded.calls >= 3
    assert 1 <= stats.max_in_flight <= model.max_concurrency
    (done,) = [e for e in events if isinstance(e, WorkerDone)]
    assert done.loaded == {"local:smollm2-135m": loaded.calls}
    assert loaded.calls >= 3
