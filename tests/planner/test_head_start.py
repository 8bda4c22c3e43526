"""The first sample starts while the requirements are read, and is never paid twice."""

from __future__ import annotations

import json
import time

import anyio
import pytest

from cadenza.api import solve
from cadenza.errors import BudgetError
from cadenza.planner.head_start import HeadStart
from cadenza.planner.steps import DriveOptions, first_sample_request
from cadenza.providers.base import Completion, CompletionRequest, ProgressCallback
from cadenza.providers.scripted import Reply, ScriptedModel
from cadenza.providers.wrapper import ModelWrapper
from cadenza.settings import Settings

TASK = "Write a note about tea in fewer than 40 words."


class Timeline:
    """A scripted writer that logs when each kind of call starts."""

    def __init__(self, extraction_s: float = 0.5) -> None:
        self.started = time.monotonic()
        self.log: list[tuple[str, float, int | None]] = []
        self.extraction_s = extraction_s

    def __call__(self, request: CompletionRequest, index: int) -> Reply:
        kind = "judge" if request.choices else "extract" if request.json_schema else "sample"
        self.log.append((kind, time.monotonic() - self.started, request.seed))
        if kind == "extract":
            return Reply(json.dumps({"requirements": []}), latency_s=self.extraction_s)
        if kind == "judge":
            return Reply("yes", latency_s=0.05)
        return Reply("Green tea is light and grassy; I drink it every morning.", latency_s=0.2)


@pytest.mark.anyio
async def test_the_first_sample_starts_while_the_requirements_are_read_and_is_paid_once() -> None:
    timeline = Timeline()
    model = ScriptedModel(timeline)
    result = await solve(
        TASK, models=[model], strategy="tree", options={"extract_with_model": True}
    )
    assert result.finish_reason == "satisfied"
    extraction = next(t for kind, t, _ in timeline.log if kind == "extract")
    first = [t for kind, t, seed in timeline.log if kind == "sample" and seed == 1]
    assert len(first) == 1  # the round took the call under way instead of making it again
    assert first[0] < extraction + timeline.extraction_s / 2  # not after the reading
    assert result.calls == model.calls  # every call counted, none twice
    assert not any("not used" in n for n in result.notes)


@pytest.mark.anyio
async def test_without_speculation_the_first_sample_waits_for_the_reading() -> None:
    timeline = Timeline()
    model = ScriptedModel(timeline)
    options = {"extract_with_model": True, "speculate": False}
    result = await solve(TASK, models=[model], strategy="tree", options=options)
    extraction = next(t for kind, t, _ in timeline.log if kind == "extract")
    first = next(t for kind, t, seed in timeline.log if kind == "sample" and seed == 1)
    assert first >= extraction + timeline.extraction_s * 0.9
    assert result.calls == model.calls


@pytest.mark.anyio
async def test_a_refused_solve_stops_the_head_start_and_raises_its_own_error() -> None:
    model = ScriptedModel(Timeline(), latency=5.0)
    with pytest.raises(BudgetError):  # the error itself, not a group holding it
        await solve(
            TASK, models=[model], strategy="tree", budget="low", options={"max_tokens": 8000}
        )
    assert model.in_flight == 0 and model.cancelled == 1


@pytest.mark.anyio
async def test_an_unclaimed_head_start_is_stopped_and_its_spend_reported() -> None:
    def script(request: CompletionRequest, index: int) -> Reply:
        slow = "Say something." in request.messages[-1].content
        return Reply("one two three four", latency_s=5.0 if slow else 0.01)

    model = ScriptedModel(script)
    request = first_sample_request("Say something.", DriveOptions(max_tokens=16))
    head = HeadStart(model, request)
    async with anyio.create_task_group() as group:
        group.start_soon(head.run)
        other = await head.complete(CompletionRequest.of("Something else.", max_tokens=4))
        head.cancel()
    assert other.text == "one two three four"  # another request is not the head start's
    assert model.cancelled == 1
    wasted = head.wasted(Settings())
    assert wasted is not None and wasted.input_tokens > 0 and wasted.output_tokens == 0


@pytest.mark.anyio
async def test_a_claimer_cancelled_stops_the_call() -> None:
    model = ScriptedModel(lambda r, i: Reply("slow", latency_s=5.0))
    request = first_sample_request("Say something.", DriveOptions(max_tokens=16))
    head = HeadStart(model, request)
    async with anyio.create_task_group() as group:
        group.start_soon(head.run)
        with anyio.move_on_after(0.1):
            await head.complete(request)
    assert model.cancelled == 1 and model.in_flight == 0
    assert head.wasted(Settings()) is None  # claimed: the claimer's step counts it


class Counted(ModelWrapper):
    """The real model, with each call's start and end and kind logged."""

    def __init__(self, inner: object) -> None:
        super().__init__(inner)  # type: ignore[arg-type]
        self.log: list[tuple[str, float, float, int | None]] = []

    async def complete(
        self, request: CompletionRequest, *, on_progress: ProgressCallback | None = None
    ) -> Completion:
        kind = "judge" if request.choices else "extract" if request.json_schema else "sample"
        start = time.monotonic()
        done = await self.inner.complete(request, on_progress=on_progress)
        self.log.append((kind, start, time.monotonic(), request.seed))
        return done


@pytest.mark.real_model
@pytest.mark.anyio
async def test_on_the_real_model_the_first_sample_runs_beside_the_extraction() -> None:
    from cadenza.providers.registry import resolve

    model = Counted(resolve("local:smollm2-135m", Settings.load()))
    result = await solve(
        "Write one sentence about rain. End with a question.",
        models=[model],
        strategy="tree",
        budget={"calls": 12},
        options={"max_tokens": 24, "extract_with_model": True, "max_width": 1},
    )
    extraction = [(s, e) for kind, s, e, _ in model.log if kind == "extract"]
    first = [(s, e) for kind, s, e, seed in model.log if kind == "sample" and seed == 1]
    assert len(extraction) == 1 and len(first) == 1
    assert first[0][0] < extraction[0][1]  # it started before the reading ended
    assert result.calls >= len(model.log)  # every finished call is counted
