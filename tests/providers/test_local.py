"""The embedded provider with the real 135M model: usage, seeded reproducibility,
queued calls (the unbatched path), cancellation, context checks, JSON output, and
refusing a bad file. Batching itself is tested in test_local_batch.py."""

from __future__ import annotations

import hashlib
import importlib
import json
import re
import time
from pathlib import Path

import anyio
import pytest

from cadenza.errors import ContextTooLongError, CorruptModelError, UnknownModelError
from cadenza.providers.base import CompletionRequest, Progress
from cadenza.providers.local import BATCH, LocalModel, create, describe
from cadenza.providers.local_models import LocalModelSpec, Part, spec_for
from cadenza.providers.registry import resolve
from cadenza.settings import Settings

pytestmark = pytest.mark.anyio
LONG = CompletionRequest.of(
    "Count from 1 to 1000, one number per line, no words.", max_tokens=1500, temperature=0.0
)


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def smollm2(settings: Settings) -> LocalModel:
    return create("smollm2-135m", settings)


@pytest.fixture(scope="module")
def queued(settings: Settings) -> LocalModel:
    """The same model on the old path: one call at a time through the chat call."""
    return LocalModel(spec_for("smollm2-135m"), settings, batched=False)


@pytest.mark.real_model
async def test_a_completion_returns_text_with_usage(smollm2: LocalModel) -> None:
    progress: list[Progress] = []
    completion = await smollm2.complete(
        CompletionRequest.of("Name three colours.", max_tokens=12, seed=1),
        on_progress=progress.append,
    )
    assert completion.text.strip()
    assert completion.model == "local:smollm2-135m"
    assert completion.finish_reason in ("stop", "length")
    assert 0 < completion.usage.output_tokens <= 12
    assert completion.usage.input_tokens > 5  # the chat template's tokens count too
    assert completion.usage.cost_usd == 0.0
    assert completion.usage.latency_s > 0
    assert progress and progress[-1].output_tokens == completion.usage.output_tokens
    assert smollm2.load_seconds is not None and smollm2.load_seconds > 0
    assert smollm2.max_concurrency == BATCH.max_sequences > 1


@pytest.mark.real_model
async def test_the_same_seed_gives_the_same_text(smollm2: LocalModel) -> None:
    request = CompletionRequest.of("Write a line about rain.", max_tokens=16, seed=42)
    first = await smollm2.complete(request)
    await smollm2.complete(CompletionRequest.of("Something else.", max_tokens=4, seed=7))
    second = await smollm2.complete(request)
    assert first.text == second.text


@pytest.mark.real_model
async def test_unbatched_concurrent_calls_queue_and_never_overlap(queued: LocalModel) -> None:
    assert queued.max_concurrency == 1
    loaded = await queued.load()
    loaded.max_in_flight = 0
    texts: list[str] = []

    async def call(seed: int) -> None:
        completion = await queued.complete(
            CompletionRequest.of("Say something.", max_tokens=10, seed=seed)
        )
        texts.append(completion.text)

    async with anyio.create_task_group() as group:
        for seed in (1, 2, 3):
            group.start_soon(call, seed)
    assert len(texts) == 3
    assert loaded.max_in_flight == 1
    assert loaded.in_flight == 0


@pytest.mark.real_model
@pytest.mark.parametrize("batched", [True, False])
async def test_cancelling_stops_a_long_generation_within_a_token_and_the_next_call_works(
    smollm2: LocalModel, queued: LocalModel, batched: bool
) -> None:
    model = smollm2 if batched else queued
    loaded = await model.load()

    def tokens_out() -> int:
        stats = model.batch_stats
        return (stats.tokens_out if stats else 0) if batched else loaded.tokens_out

    def in_flight() -> int:
        stats = model.batch_stats
        return (stats.in_flight if stats else 0) if batched else loaded.in_flight

    before = tokens_out()
    at_cancel: list[int] = []

    async def cancel_soon(scope: anyio.CancelScope) -> None:
        await anyio.sleep(0.5)
        at_cancel.append(tokens_out())
        scope.cancel()

    async with anyio.create_task_group() as group:
        with anyio.CancelScope() as scope:
            group.start_soon(cancel_soon, scope)
            await model.complete(LONG)
    assert scope.cancelled_caught  # it was still generating when cancelled
    # The worker stops within a token of the cancel (however loaded the machine is),
    # far short of the 1,500 tokens it was asked for.
    assert tokens_out() - at_cancel[0] <= 2
    assert tokens_out() - before < LONG.max_tokens // 2
    assert in_flight() == 0  # the worker let go before cancellation returned
    assert not loaded.lock.locked()
    after = await model.complete(CompletionRequest.of("Hi.", max_tokens=4, seed=1))
    assert after.usage.output_tokens > 0


@pytest.mark.real_model
async def test_cancelling_a_queued_call_does_not_wait_for_the_running_one(
    queued: LocalModel,
) -> None:
    waited: list[float] = []

    async def waiting() -> None:
        await anyio.sleep(0.2)  # let the long call take the lock first
        started = time.monotonic()
        with anyio.move_on_after(0.3):
            await queued.complete(CompletionRequest.of("Hi.", max_tokens=4))
        waited.append(time.monotonic() - started)

    async with anyio.create_task_group() as group:
        group.start_soon(waiting)
        with anyio.move_on_after(1.5):
            await queued.complete(LONG)
    assert waited and waited[0] < 0.8


@pytest.mark.real_model
async def test_a_prompt_that_does_not_fit_is_refused_before_generating(
    smollm2: LocalModel,
) -> None:
    request = CompletionRequest.of("word " * 5000, max_tokens=16)
    with pytest.raises(ContextTooLongError, match="max_tokens"):
        await smollm2.complete(request)


@pytest.mark.real_model
async def test_json_schema_output_parses(smollm2: LocalModel) -> None:
    schema = {
        "type": "object",
        "properties": {"city": {"type": "string", "maxLength": 20}, "rank": {"type": "integer"}},
        "required": ["city", "rank"],
    }
    completion = await smollm2.complete(
        CompletionRequest.of("Name a city and its rank.", max_tokens=40, seed=5, json_schema=schema)
    )
    data = json.loads(completion.text)
    assert isinstance(data["city"], str) and isinstance(data["rank"], int)


@pytest.mark.real_model
@pytest.mark.parametrize("batched", [True, False])
async def test_a_gbnf_grammar_constrains_the_output_on_both_paths(
    smollm2: LocalModel, queued: LocalModel, batched: bool
) -> None:
    model = smollm2 if batched else queued
    grammar = 'root ::= ("red" | "green" | "blue") " " [0-9] [0-9]'
    completion = await model.complete(
        CompletionRequest.of("Name a colour and a number.", max_tokens=12, seed=3, grammar=grammar)
    )
    assert re.fullmatch(r"(?:red|green|blue) \d\d", completion.text), completion.text


async def test_a_corrupted_model_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site" / "cadenza_fake_corrupt_model"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    fake = b"GGUF" + b"\0" * 4096
    (package / "model.gguf").write_bytes(fake)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    importlib.invalidate_caches()
    spec = LocalModelSpec(
        name="fake",
        filename="model.gguf",
        size_bytes=len(fake),
        sha256=hashlib.sha256(b"the real model").hexdigest(),
        parts=(Part("cadenza-fake-corrupt-model", "cadenza_fake_corrupt_model", "model.gguf"),),
        chunked=False,
    )
    model = LocalModel(spec, Settings(cache_dir=tmp_path / "cache"))
    with pytest.raises(CorruptModelError, match="pip install --force-reinstall"):
        await model.complete(CompletionRequest.of("hi", max_tokens=2))


def test_unknown_local_models_list_the_valid_ones() -> None:
    with pytest.raises(UnknownModelError, match="local:smollm2-135m"):
        resolve("local:gpt-5", Settings())


def test_describe_lists_every_catalogue_model_with_size_and_state(settings: Settings) -> None:
    infos = {info.id: info for info in describe(settings)}
    assert set(infos) == {
        "local:qwen2.5-coder-1.5b",
        "local:qwen2.5-coder-0.5b",
        "local:smollm2-135m",
    }
    assert infos["local:qwen2.5-coder-1.5b"].size_bytes == 1_117_320_768
    assert "default" in infos["local:qwen2.5-coder-1.5b"].detail
    for info in infos.values():
        assert info.state in ("not installed", "installed", "assembled", "verified")
        if info.state == "not installed":
            assert "pip install" in info.detail
