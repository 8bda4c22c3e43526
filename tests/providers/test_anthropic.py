"""The anthropic provider's wire handling, against recorded Messages-API responses
served on loopback (no key exists here). The model name picks the recording."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cadenza.errors import (
    AuthError,
    BadResponseError,
    ContextTooLongError,
    MissingKeyError,
    ProviderConnectionError,
    ProviderUnavailableError,
    RateLimitError,
)
from cadenza.providers.anthropic import AnthropicModel, create, describe
from cadenza.providers.base import CompletionRequest, Message, Progress
from cadenza.settings import Price, Secret, Settings

pytestmark = pytest.mark.anyio
SECRET = "sk-ant-test-0123456789"


def model(base_url: str, name: str, **settings: object) -> AnthropicModel:
    return create(
        name,
        Settings(
            keys={"anthropic": Secret(SECRET)},
            base_urls={"anthropic": base_url},
            **settings,  # type: ignore[arg-type]
        ),
    )


REQUEST = CompletionRequest(
    messages=(
        Message("system", "You are a poet."),
        Message("user", "Write a haiku about the sea."),
        Message("assistant", "Shall it rhyme?"),
        Message("user", "No."),
    ),
    temperature=0.3,
    max_tokens=64,
    stop=("###",),
    seed=5,
)


async def test_a_message_gives_text_usage_and_cost(recorded_anthropic: str) -> None:
    prices = {"anthropic:message": Price(3.0, 15.0)}
    completion = await model(recorded_anthropic, "message", prices=prices).complete(REQUEST)
    assert completion.text.count("\n") == 2
    assert completion.text.startswith("Waves fold")
    assert completion.finish_reason == "stop"
    assert completion.model == "anthropic:message"
    assert (completion.usage.input_tokens, completion.usage.output_tokens) == (31, 24)
    assert completion.usage.cost_usd == pytest.approx((31 * 3.0 + 24 * 15.0) / 1e6)
    assert completion.usage.latency_s > 0


async def test_system_messages_go_in_the_system_parameter(
    recorded_anthropic: str, anthropic_requests: list[dict[str, Any]]
) -> None:
    await model(recorded_anthropic, "message").complete(REQUEST)
    sent = anthropic_requests[-1]
    assert sent["system"] == "You are a poet."
    assert [m["role"] for m in sent["messages"]] == ["user", "assistant", "user"]
    assert sent["messages"][0]["content"] == "Write a haiku about the sea."
    assert sent["max_tokens"] == 64
    assert sent["temperature"] == 0.3  # sent through extra_body: gone from the SDK
    assert sent["stop_sequences"] == ["###"]
    assert "seed" not in sent  # the Messages API has none
    headers = sent["_headers"]
    assert SECRET in (headers.get("x-api-key"), headers.get("authorization", "")[7:])


async def test_a_truncated_message_finishes_with_length_and_counts_cached_input(
    recorded_anthropic: str,
) -> None:
    completion = await model(recorded_anthropic, "max_tokens").complete(REQUEST)
    assert completion.finish_reason == "length"
    assert completion.usage.input_tokens == 12 + 8


async def test_a_streamed_message_reports_progress_and_usage(
    recorded_anthropic: str, anthropic_requests: list[dict[str, Any]]
) -> None:
    progress: list[Progress] = []
    completion = await model(recorded_anthropic, "stream_message").complete(
        REQUEST, on_progress=progress.append
    )
    assert anthropic_requests[-1]["stream"] is True
    assert completion.text == (
        "Waves fold on the shore\nsalt wind carries gull voices\nthe tide keeps its time"
    )
    assert completion.finish_reason == "stop"
    assert (completion.usage.input_tokens, completion.usage.output_tokens) == (472, 24)
    assert len(progress) >= 4
    assert progress[-1].output_tokens == 24
    assert [p.elapsed_s for p in progress] == sorted(p.elapsed_s for p in progress)


async def test_json_schema_becomes_a_forced_tool_whose_input_is_the_answer(
    recorded_anthropic: str, anthropic_requests: list[dict[str, Any]]
) -> None:
    schema = {"type": "object", "properties": {"title": {"type": "string"}}}
    request = CompletionRequest.of("A title.", json_schema=schema)
    completion = await model(recorded_anthropic, "structured").complete(request)
    assert json.loads(completion.text) == {"title": "Sea", "lines": 3}
    assert completion.finish_reason == "stop"
    sent = anthropic_requests[-1]
    assert sent["tools"][0]["name"] == "answer"
    assert sent["tools"][0]["input_schema"] == schema
    assert sent["tool_choice"] == {"type": "tool", "name": "answer"}
    assert "output_config" not in sent


async def test_a_streamed_structured_answer_joins_the_tool_input(
    recorded_anthropic: str,
) -> None:
    schema = {"type": "object", "properties": {"title": {"type": "string"}}}
    progress: list[Progress] = []
    request = CompletionRequest.of("A title.", json_schema=schema)
    completion = await model(recorded_anthropic, "structured").complete(
        request, on_progress=progress.append
    )
    assert json.loads(completion.text) == {"title": "Sea", "lines": 3}
    assert completion.usage.output_tokens == 41 and progress


async def test_a_schema_that_is_not_an_object_is_wrapped_and_unwrapped(
    recorded_anthropic: str, anthropic_requests: list[dict[str, Any]]
) -> None:
    schema = {"type": "array", "items": {"type": "string"}, "maxItems": 3}
    request = CompletionRequest.of("Three words.", json_schema=schema)
    completion = await model(recorded_anthropic, "structured_list").complete(request)
    assert json.loads(completion.text) == ["waves", "salt", "gulls"]
    wrapped = anthropic_requests[-1]["tools"][0]["input_schema"]
    assert wrapped == {"type": "object", "properties": {"value": schema}, "required": ["value"]}


async def test_a_structured_answer_without_the_tool_call_is_a_bad_response(
    recorded_anthropic: str,
) -> None:
    request = CompletionRequest.of("Grade it.", json_schema={"type": "object"})
    with pytest.raises(BadResponseError, match="did not call the 'answer' tool"):
        await model(recorded_anthropic, "structured_no_tool").complete(request)


async def test_a_model_that_refuses_temperature_is_asked_again_without_it(
    recorded_anthropic: str, anthropic_requests: list[dict[str, Any]]
) -> None:
    chosen = model(recorded_anthropic, "no_temperature")
    first = await chosen.complete(REQUEST)
    assert first.text.startswith("Waves fold")
    assert "temperature" in anthropic_requests[-2]
    assert "temperature" not in anthropic_requests[-1]
    await chosen.complete(REQUEST)  # remembered: no second refusal
    assert "temperature" not in anthropic_requests[-1]
    assert anthropic_requests[-1]["model"] == anthropic_requests[-2]["model"]


async def test_429_is_a_rate_limit_with_retry_after(recorded_anthropic: str) -> None:
    with pytest.raises(RateLimitError) as caught:
        await model(recorded_anthropic, "rate_limited").complete(REQUEST)
    error = caught.value
    assert (error.status, error.retry_after, error.retryable) == (429, 7.0, True)
    assert error.provider == "anthropic"
    assert "retry after 7 s" in str(error)


async def test_401_is_an_auth_error_naming_the_variable_not_the_key(
    recorded_anthropic: str,
) -> None:
    with pytest.raises(AuthError) as caught:
        await model(recorded_anthropic, "bad_key").complete(REQUEST)
    assert caught.value.status == 401
    assert not caught.value.retryable
    assert "ANTHROPIC_API_KEY" in str(caught.value)
    assert SECRET not in str(caught.value)


async def test_prompt_too_long_is_context_too_long(recorded_anthropic: str) -> None:
    with pytest.raises(ContextTooLongError) as caught:
        await model(recorded_anthropic, "prompt_too_long").complete(REQUEST)
    assert caught.value.status == 400
    assert not caught.value.retryable
    assert "208356 tokens > 200000" in str(caught.value)


@pytest.mark.parametrize("name", ["overloaded", "server_error"])
async def test_overloaded_and_server_errors_are_retryable_unavailability(
    recorded_anthropic: str, name: str
) -> None:
    with pytest.raises(ProviderUnavailableError) as caught:
        await model(recorded_anthropic, name).complete(REQUEST)
    assert caught.value.status == {"overloaded": 529, "server_error": 500}[name]
    assert caught.value.retryable


async def test_an_error_event_inside_a_stream_is_mapped_by_its_type(
    recorded_anthropic: str,
) -> None:
    with pytest.raises(ProviderUnavailableError) as caught:
        await model(recorded_anthropic, "overloaded_mid_stream").complete(
            REQUEST, on_progress=lambda _: None
        )
    assert caught.value.retryable


async def test_an_unreachable_server_is_a_connection_error_naming_the_url(
    unreachable_url: str,
) -> None:
    url = unreachable_url
    settings = Settings(keys={"anthropic": Secret(SECRET)}, base_urls={"anthropic": url})
    with pytest.raises(ProviderConnectionError) as caught:
        await create("claude-recorded", settings).complete(REQUEST)
    assert url in str(caught.value)
    assert "running" in str(caught.value)


def test_no_key_names_the_variable() -> None:
    with pytest.raises(MissingKeyError, match="ANTHROPIC_API_KEY"):
        create("claude-sonnet-4-5", Settings())


def test_describe_says_whether_a_key_is_set_never_its_value() -> None:
    (with_key,) = describe(Settings(keys={"anthropic": Secret(SECRET)}))
    (without,) = describe(Settings())
    assert (with_key.state, without.state) == ("key set", "no key")
    assert SECRET not in repr(with_key)
    assert "ANTHROPIC_API_KEY" in without.detail
