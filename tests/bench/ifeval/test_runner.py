"""The bench runner: results on disk as prompts finish, resume without paying twice,
concurrency, failures recorded, settings guarded."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from cadenza.bench.ifeval import IFEvalRow, load_rows
from cadenza.bench.ifeval.results import ArmStore
from cadenza.bench.ifeval.runner import Arm, BenchPlan, Event, Finished, Mode, run_bench
from cadenza.errors import ProviderUnavailableError, UserError
from cadenza.providers.base import CompletionRequest, Model
from cadenza.providers.scripted import Reply, ScriptedModel
from cadenza.result import SolveResult
from cadenza.settings import Settings

MODEL = "scripted:bench"


class Interrupted(Exception):
    """Stands for a crash or Ctrl-C in the middle of a bench."""


class FakeSolve:
    """The shape of `cadenza.api.solve`: one call to the first model. Records what
    it was asked, and can be told to crash on its n-th solve."""

    def __init__(self, crash_on: int | None = None) -> None:
        self.crash_on = crash_on
        self.tasks: list[str] = []
        self.requirements: list[Sequence[Any] | None] = []
        self.options: list[Mapping[str, Any] | None] = []

    async def __call__(
        self,
        task: str,
        requirements: Sequence[Any] | None = None,
        *,
        budget: str,
        models: Sequence[str | Model] | None,
        strategy: str | None,
        settings: Settings | None,
        options: Mapping[str, Any] | None = None,
    ) -> SolveResult:
        if self.crash_on is not None and len(self.tasks) + 1 == self.crash_on:
            raise Interrupted
        self.tasks.append(task)
        self.requirements.append(requirements)
        self.options.append(options)
        assert models
        model = models[0]
        assert isinstance(model, Model)
        completion = await model.complete(CompletionRequest.of(task, max_tokens=300))
        return SolveResult(
            text=completion.text,
            requirements=(),
            score=1.0,
            finish_reason="completed",
            usage=completion.usage,
            calls=1,
            wall_s=0.0,
            strategy=strategy or "single",
            models=(model.id,),
        )


@pytest.fixture(scope="module")
def rows(ifeval_dir: Path) -> tuple[IFEvalRow, ...]:
    return tuple(load_rows(ifeval_dir)[:4])


def plan_of(
    rows: Sequence[IFEvalRow], out: Path, *, mode: Mode = "prompt", **options: Any
) -> BenchPlan:
    return BenchPlan(rows=tuple(rows), arms=(Arm("single", MODEL),), out=out, mode=mode, **options)


async def run(
    plan: BenchPlan, model: Model, solve: FakeSolve, events: list[Event] | None = None
) -> Any:
    return await run_bench(
        plan,
        {MODEL: model},
        solve=solve,
        settings=Settings(),
        on_event=None if events is None else events.append,
    )


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.anyio
async def test_interrupted_bench_resumes_without_solving_twice(
    rows: tuple[IFEvalRow, ...], tmp_path: Path
) -> None:
    plan = plan_of(rows[:3], tmp_path)
    model = ScriptedModel(["An answer, with a comma."], name=MODEL)
    with pytest.raises(Interrupted):
        await run(plan, model, FakeSolve(crash_on=3))
    arm = tmp_path / Arm("single", MODEL).name
    assert [r["key"] for r in lines(arm / "results.jsonl")] == [rows[0].key, rows[1].key]
    assert model.calls == 2

    again = FakeSolve()
    events: list[Event] = []
    results = await run(plan, model, again, events)
    assert again.tasks == [rows[2].prompt]  # only the prompt that had not finished
    assert model.calls == 3
    assert [r.key for r in results[Arm("single", MODEL)]] == [row.key for row in rows[:3]]
    official = lines(arm / "responses.jsonl")
    assert [r["prompt"] for r in official] == [row.prompt for row in rows[:3]]
    assert set(official[0]) == {"prompt", "response"}
    finished = [e for e in events if isinstance(e, Finished)]
    assert [e.done for e in finished] == [3]

    third = FakeSolve()
    await run(plan, model, third)
    assert third.tasks == []
    assert model.calls == 3


@pytest.mark.anyio
async def test_results_carry_usage_and_finish_reason(
    rows: tuple[IFEvalRow, ...], tmp_path: Path
) -> None:
    model = ScriptedModel(["one two three"], name=MODEL)
    results = await run(plan_of(rows[:1], tmp_path), model, FakeSolve())
    result = results[Arm("single", MODEL)][0]
    assert result.response == "one two three"
    assert result.output_tokens == 3
    assert result.input_tokens > 0
    assert result.calls == 1
    assert result.finish_reason == "completed"
    assert result.wall_s >= 0


@pytest.mark.anyio
async def test_concurrency_bounds_prompts_in_flight(
    rows: tuple[IFEvalRow, ...], tmp_path: Path
) -> None:
    model = ScriptedModel(["ok"], name=MODEL, latency=0.05)
    await run(plan_of(rows, tmp_path, concurrency=2), model, FakeSolve())
    assert model.calls == 4
    assert model.max_in_flight == 2


@pytest.mark.anyio
async def test_a_failed_prompt_is_recorded_then_retried(
    rows: tuple[IFEvalRow, ...], tmp_path: Path
) -> None:
    down = ProviderUnavailableError("overloaded", provider="scripted")
    model = ScriptedModel([Reply(error=down), Reply("fine")], name=MODEL)
    plan = plan_of(rows[:2], tmp_path)
    results = (await run(plan, model, FakeSolve()))[Arm("single", MODEL)]
    assert [bool(r.error) for r in results] == [True, False]
    assert results[0].finish_reason == "failed"
    arm = tmp_path / Arm("single", MODEL).name
    assert len(lines(arm / "responses.jsonl")) == 1  # only the answered prompt

    again = FakeSolve()
    results = (await run(plan, model, again))[Arm("single", MODEL)]
    assert again.tasks == [rows[0].prompt]
    assert all(r.ok for r in results)


@pytest.mark.anyio
async def test_explicit_mode_states_requirements(
    rows: tuple[IFEvalRow, ...], tmp_path: Path
) -> None:
    model = ScriptedModel(["ok"], name=MODEL)
    prompt_mode, explicit = FakeSolve(), FakeSolve()
    await run(plan_of(rows[:1], tmp_path / "p"), model, prompt_mode)
    await run(plan_of(rows[:1], tmp_path / "e", mode="explicit"), model, explicit)
    assert prompt_mode.requirements == [None]
    stated = explicit.requirements[0]
    assert stated is not None
    assert len(stated) == len(rows[0].instruction_ids)
    descriptions = " ".join(r["description"] for r in stated)
    assert "commas" in descriptions  # row 1000 forbids commas
    assert "at least 300 words" in descriptions
    assert all(r["is_mandatory"] for r in stated)


@pytest.mark.anyio
async def test_max_tokens_caps_every_call(rows: tuple[IFEvalRow, ...], tmp_path: Path) -> None:
    model = ScriptedModel(["word " * 50], name=MODEL)
    solve = FakeSolve()
    results = await run(plan_of(rows[:1], tmp_path, max_tokens=5), model, solve)
    assert [o["max_tokens"] for o in solve.options] == [5]  # the strategy is told
    # a baseline is what a user does without cadenza: no judge, no extraction; its
    # answer is still screened (no call), so a title is never reported satisfied
    baseline = solve.options[0]
    assert baseline["judge"] is False and baseline["judge_final"] is False
    assert baseline["extract_with_model"] is False and "task_requirement" not in baseline
    assert model.requests[0].max_tokens == 5  # and the model enforces it
    assert results[Arm("single", MODEL)][0].output_tokens == 5


@pytest.mark.anyio
async def test_resume_under_other_settings_is_refused(
    rows: tuple[IFEvalRow, ...], tmp_path: Path
) -> None:
    model = ScriptedModel(["ok"], name=MODEL)
    await run(plan_of(rows[:1], tmp_path), model, FakeSolve())
    with pytest.raises(UserError, match="mode differ"):
        await run(plan_of(rows[:1], tmp_path, mode="explicit"), model, FakeSolve())


@pytest.mark.anyio
async def test_a_line_torn_by_a_crash_is_dropped(
    rows: tuple[IFEvalRow, ...], tmp_path: Path
) -> None:
    model = ScriptedModel(["ok"], name=MODEL)
    plan = plan_of(rows[:2], tmp_path)
    await run(plan_of(rows[:1], tmp_path), model, FakeSolve())
    store = ArmStore(tmp_path / Arm("single", MODEL).name)
    with store.results_path.open("a", encoding="utf-8") as handle:
        handle.write('{"key": 123, "prompt": "half a li')
    again = FakeSolve()
    await run(plan, model, again)
    assert again.tasks == [rows[1].prompt]
    assert [r.key for r in store.load()] == [rows[0].key, rows[1].key]


def test_a_plan_is_checked_when_built(rows: tuple[IFEvalRow, ...], tmp_path: Path) -> None:
    with pytest.raises(UserError, match="concurrency"):
        plan_of(rows, tmp_path, concurrency=0)
    with pytest.raises(UserError, match="No IFEval prompts"):
        plan_of((), tmp_path)
