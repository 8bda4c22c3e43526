"""Batched decoding on the real 135M model: concurrent calls share decode steps, each
keeps its own limits, stops, grammar and choices; seeds reproduce their text whoever
else is in the batch; cancelling one call leaves the others running; a shared prompt
prefix is computed once."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import anyio
import pytest

from cadenza.providers.base import Completion, CompletionRequest
from cadenza.providers.local import MEASURED_STEPS, SEQUENCE_COST, LocalModel, create
from cadenza.providers.local_batch import EngineStats
from cadenza.settings import Settings

pytestmark = [pytest.mark.anyio, pytest.mark.real_model]
SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string", "maxLength": 12}, "rank": {"type": "integer"}},
    "required": ["city", "rank"],
}
# A long shared prefix, as a judge prompt has (system + task + answer first).
CONTEXT = (
    "You check answers. The task was: write a short note to a neighbour about a parcel "
    "left at the door. The answer was: Dear Sam, a parcel came for you this morning; "
    "I kept it inside so the rain would not spoil it. Come by any time after six. Best, Ana."
)


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> LocalModel:
    return create("smollm2-135m", Settings(cache_dir=tmp_path_factory.mktemp("cache")))


async def stats_of(model: LocalModel) -> EngineStats:
    if model.batch_stats is None:  # start the engine with one tiny call
        await model.complete(CompletionRequest.of("Hi.", max_tokens=1, temperature=0.0))
    stats = model.batch_stats
    assert stats is not None
    return stats


async def together(
    model: LocalModel, requests: dict[str, CompletionRequest]
) -> dict[str, Completion]:
    results: dict[str, Completion] = {}

    async def call(name: str, request: CompletionRequest) -> None:
        results[name] = await model.complete(request)

    async with anyio.create_task_group() as group:
        for name, request in requests.items():
            group.start_soon(call, name, request)
    return results


async def test_concurrent_calls_share_decode_steps_and_keep_their_own_settings(
    model: LocalModel,
) -> None:
    assert model.batched and model.max_concurrency >= 4
    stats = await stats_of(model)
    stats.max_batch_sequences = 0
    results = await together(
        model,
        {
            "short": CompletionRequest.of("Describe the sea.", max_tokens=6, seed=1),
            "long": CompletionRequest.of("Describe a forest.", max_tokens=20, seed=2),
            "stop": CompletionRequest.of(
                "Count from 1 to 20, one number per line.",
                max_tokens=40,
                temperature=0.0,
                stop=("5",),
            ),
            "json": CompletionRequest.of(
                "Name a city and its rank.", max_tokens=40, seed=5, json_schema=SCHEMA
            ),
            "choice": CompletionRequest.of(
                "Is the sky blue? Answer yes or no.", temperature=0.0, choices=("yes", "no")
            ),
        },
    )
    assert stats.max_batch_sequences >= 4  # decoded in one batch, not one after another
    assert stats.in_flight == 0
    assert results["short"].usage.output_tokens <= 6
    assert results["long"].usage.output_tokens <= 20
    assert results["long"].usage.output_tokens > results["short"].usage.output_tokens
    stop = results["stop"]
    assert stop.finish_reason == "stop" and "5" not in stop.text and "4" in stop.text
    data = json.loads(results["json"].text)
    assert isinstance(data["city"], str) and isinstance(data["rank"], int)
    choice = results["choice"]
    assert choice.text in ("yes", "no")
    assert choice.choice_probs is not None
    assert set(choice.choice_probs) == {"yes", "no"}
    assert sum(choice.choice_probs.values()) == pytest.approx(1.0)
    assert choice.text == max(choice.choice_probs, key=choice.choice_probs.__getitem__)


async def test_a_seed_gives_the_same_text_alone_and_in_a_batch(model: LocalModel) -> None:
    request = CompletionRequest.of("Write a line about rain.", max_tokens=16, seed=42)
    alone = await model.complete(request)
    crowd = await together(
        model,
        {
            "again": request,
            **{
                f"other{seed}": CompletionRequest.of(
                    "Write a line about snow.", max_tokens=16, seed=seed
                )
                for seed in (7, 8, 9)
            },
        },
    )
    assert crowd["again"].text == alone.text
    assert len({c.text for c in crowd.values()}) > 1  # the others drew their own text


async def test_a_seed_gives_the_same_text_again_when_its_prompt_is_reused(
    model: LocalModel,
) -> None:
    stats = await stats_of(model)
    request = CompletionRequest.of(
        "Write one line about the rain over the harbour at dusk, in plain words.",
        max_tokens=24,
        seed=11,
    )
    first = await model.complete(request)
    computed = stats.prompt_tokens_computed
    again = await model.complete(request)
    assert stats.prompt_tokens_computed - computed <= 4  # it read its kept prompt
    assert again.text == first.text


async def test_cancelling_one_call_leaves_the_others_running(model: LocalModel) -> None:
    stats = await stats_of(model)
    long = CompletionRequest.of(
        "Count from 1 to 500, one per line.", max_tokens=60, temperature=0.0
    )
    kept: list[Completion] = []
    in_flight_after_cancel: list[int] = []

    async def keep() -> None:
        kept.append(await model.complete(long))

    async def cancelled() -> None:
        # a grammar that cannot finish before some 400 tokens: the call is still running
        # when it is cancelled, whatever text the model would have chosen
        endless = replace(
            CompletionRequest.of("Sing la la la.", max_tokens=900, seed=3),
            grammar='root ::= "la "{400}',
        )
        with anyio.move_on_after(0.4) as scope:
            await model.complete(endless)
        assert scope.cancelled_caught
        in_flight_after_cancel.append(stats.in_flight)

    async with anyio.create_task_group() as group:
        group.start_soon(keep)
        group.start_soon(cancelled)
    # The cancelled sequence had left the batch when its cancellation returned, while
    # the other was still decoding; that one then ran to its own limit.
    assert in_flight_after_cancel == [1]
    assert kept[0].finish_reason == "length" and kept[0].usage.output_tokens == 60


async def test_a_shared_prefix_is_computed_once(model: LocalModel) -> None:
    stats = await stats_of(model)
    questions = ("Is it polite?", "Does it name a time?", "Is it under 50 words?")
    requests = {
        q: CompletionRequest.of(q, system=CONTEXT, max_tokens=3, temperature=0.0) for q in questions
    }
    before = (stats.prompt_tokens, stats.prompt_tokens_computed)
    await together(model, requests)
    prompt = stats.prompt_tokens - before[0]
    computed = stats.prompt_tokens_computed - before[1]
    shared = len(CONTEXT) // 6  # well under the shared prefix's token count
    assert computed <= prompt - 2 * shared  # the context was read once, not three times

    # Later calls over the same context reuse the kept prompts, and the state they reuse
    # gives about the probabilities a fresh read of the whole prompt gives. Not exactly:
    # llama.cpp's numbers depend on which tokens share a decode step, and a prompt kept
    # from the concurrent calls above was read in company (measured: up to 0.031 apart
    # in P(yes); read alone and reused, equal to the last digit). Before the last two
    # prompt tokens were always recomputed, reusing a whole prompt was 0.043 off, and
    # the batched path read choices differently from the unbatched one (0.12 off).
    def asked(question: str) -> CompletionRequest:
        return CompletionRequest.of(
            question, system=CONTEXT, max_tokens=1, temperature=0.0, choices=("yes", "no")
        )

    fresh = LocalModel(model.spec, Settings(), batched=False)
    for question in (*questions, "Is it signed?"):
        before = (stats.prompt_tokens, stats.prompt_tokens_computed)
        reused = await model.complete(asked(question))
        assert stats.prompt_tokens_computed - before[1] < (stats.prompt_tokens - before[0]) - shared
        alone = await fresh.complete(asked(question))
        assert reused.choice_probs is not None and alone.choice_probs is not None
        for choice, p in alone.choice_probs.items():
            assert reused.choice_probs[choice] == pytest.approx(p, abs=0.05)


async def test_a_measured_sequence_cost_is_kept_for_the_next_process(tmp_path: Path) -> None:
    """The planner sizes its batches by the measured cost of one more sequence; a new
    process starts from the last measurement with this build, not from the default."""
    settings = Settings(cache_dir=tmp_path)
    first = create("smollm2-135m", settings)
    assert first.sequence_cost == SEQUENCE_COST  # nothing measured or kept yet
    steady = replace(
        CompletionRequest.of("Sing.", max_tokens=80, temperature=0.0),
        grammar=f'root ::= "la "{{{MEASURED_STEPS + 10}}}',
    )
    await first.complete(steady)  # decode steps over one sequence
    await together(first, {"a": steady, "b": replace(steady, seed=5)})  # over two
    stats = await stats_of(first)
    fitted = stats.marginal_sequence_cost()
    assert fitted is not None
    measured = first.sequence_cost
    assert measured == min(1.0, fitted)
    second = create("smollm2-135m", settings)  # as a new process would: nothing loaded
    assert second.batch_stats is None
    assert second.sequence_cost == pytest.approx(measured)
    # a measurement made with another llama.cpp build is not used
    kept = next((tmp_path / "models").glob("*.sequence-cost.json"))
    saved = json.loads(kept.read_text())
    kept.write_text(json.dumps({**saved, "build": "another build"}))
    assert create("smollm2-135m", settings).sequence_cost == SEQUENCE_COST
