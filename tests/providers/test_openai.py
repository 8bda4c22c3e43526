"""The openai provider against a real OpenAI-compatible server on loopback:
llama-cpp-python's own server serving the 135M model (see conftest.py)."""

from __future__ import annotations

import json

import pytest

from cadenza.errors import MissingKeyError, ProviderConnectionError
from cadenza.providers.base import CompletionRequest, Progress
from cadenza.providers.openai import OpenAIModel, create, describe
from cadenza.providers.registry import resolve
from cadenza.settings import Price, Secret, Settings

pytestmark = pytest.mark.anyio


def served(base_url: str, **settings: object) -> OpenAIModel:
    return create("smollm2-135m", Settings(base_urls={"openai": base_url}, **settings))  # type: ignore[arg-type]


async def test_a_short_completion_has_text_and_usage(llama_server: str) -> None:
    prices = {"openai:smollm2-135m": Price(1.0, 2.0)}
    model = served(llama_server, prices=prices)
    completion = await model.complete(
        CompletionRequest.of("Name a colour.", max_tokens=8, seed=1, temperature=0.0)
    )
    assert completion.text.strip()
    assert completion.model == "openai:smollm2-135m"
    assert completion.finish_reason in ("stop", "length")
    assert 0 < completion.usage.output_tokens <= 8
    assert completion.usage.input_tokens > 0
    expected = (completion.usage.input_tokens * 1.0 + completion.usage.output_tokens * 2.0) / 1e6
    assert completion.usage.cost_usd == pytest.approx(expected)
    assert completion.usage.latency_s > 0


async def test_seed_and_temperature_pass_through(llama_server: str) -> None:
    model = served(llama_server)
    request = CompletionRequest.of("Invent a word.", max_tokens=8, seed=11, temperature=1.0)
    first = await model.complete(request)
    second = await model.complete(request)
    assert first.text == second.text


async def test_stop_sequences_end_the_answer(llama_server: str) -> None:
    completion = await served(llama_server).complete(
        CompletionRequest.of(
            "Count from 1 to 20, separated by commas.",
            max_tokens=40,
            temperature=0.0,
            stop=("5",),
        )
    )
    assert "5" not in completion.text
    assert completion.finish_reason == "stop"


async def test_streaming_reports_progress_as_tokens_arrive(llama_server: str) -> None:
    progress: list[Progress] = []
    completion = await served(llama_server).complete(
        CompletionRequest.of("Describe the sea.", max_tokens=16, seed=2),
        on_progress=progress.append,
    )
    assert len(progress) >= 2
    counts = [p.output_tokens for p in progress]
    assert counts == sorted(counts) and counts[0] == 1
    assert counts[-1] <= completion.usage.output_tokens
    assert all(p.elapsed_s >= 0 for p in progress)


async def test_json_schema_output_parses(llama_server: str) -> None:
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string", "maxLength": 20}, "age": {"type": "integer"}},
        "required": ["name", "age"],
    }
    model = served(llama_server)
    completion = await model.complete(
        CompletionRequest.of("Invent a person.", max_tokens=60, seed=3, json_schema=schema)
    )
    data = json.loads(completion.text)
    assert isinstance(data["name"], str)
    assert isinstance(data["age"], int)


async def test_an_unreachable_base_url_is_a_connection_error_that_says_what_to_check(
    unreachable_url: str,
) -> None:
    model = served(f"{unreachable_url}/v1")
    with pytest.raises(ProviderConnectionError) as caught:
        await model.complete(CompletionRequest.of("hi", max_tokens=4))
    message = str(caught.value)
    assert f"{unreachable_url}/v1" in message
    assert "server is running" in message
    assert caught.value.retryable


def test_no_key_and_no_base_url_names_the_variable() -> None:
    with pytest.raises(MissingKeyError, match="OPENAI_API_KEY"):
        resolve("openai:gpt-4.1-mini", Settings())


def test_a_custom_server_needs_no_key() -> None:
    model = resolve("openai:any", Settings(base_urls={"openai": "http://127.0.0.1:9/v1"}))
    assert model.id == "openai:any"


def test_describe_says_whether_a_key_is_set_never_its_value() -> None:
    secret = "sk-test-abcdef0123456789"
    (with_key,) = describe(Settings(keys={"openai": Secret(secret)}))
    (without,) = describe(Settings())
    (custom,) = describe(Settings(base_urls={"openai": "http://127.0.0.1:8080/v1"}))
    assert (with_key.state, without.state, custom.state) == ("key set", "no key", "no key needed")
    assert secret not in repr(with_key)
    assert "OPENAI_API_KEY" in without.detail
    assert "127.0.0.1:8080" in custom.detail


async def test_choices_come_back_as_one_of_them(llama_server: str) -> None:
    """Structured output carries the choice; the text is the choice itself. The server
    may or may not send log probabilities: when it does they are normalised."""
    model = served(llama_server)
    completion = await model.complete(
        CompletionRequest.of(
            "Is the sea salty? Answer yes or no.", max_tokens=20, seed=0, choices=("yes", "no")
        )
    )
    assert completion.text in ("yes", "no")
    if completion.choice_probs is not None:
        assert sum(completion.choice_probs.values()) == pytest.approx(1.0)
