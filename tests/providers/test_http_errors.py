"""Mapping HTTP failures to cadenza errors, for both hosted providers."""

from __future__ import annotations

import email.utils
import time
from dataclasses import replace

import httpx2
import openai
import pytest

from cadenza.errors import (
    AuthError,
    BadResponseError,
    ContextTooLongError,
    ProviderError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    RateLimitError,
)
from cadenza.providers.http_errors import Failure, retry_after_seconds, to_provider_error
from cadenza.providers.openai import OpenAIModel
from cadenza.settings import Secret, Settings

BASE = Failure(
    kind="status",
    provider="openai",
    model="gpt-4.1-mini",
    base_url="https://api.openai.com/v1",
    key_variable="OPENAI_API_KEY",
)


def failure(status: int, message: str = "", **fields: object) -> Failure:
    return replace(BASE, status=status, message=message, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "message", "code", "expected", "retryable"),
    [
        (401, "Incorrect API key provided: sk-abc***xyz", "", AuthError, False),
        (403, "forbidden", "", AuthError, False),
        (429, "slow down", "", RateLimitError, True),
        (400, "This model's maximum context length is 8192 tokens", "", ContextTooLongError, False),
        (400, "too big", "context_length_exceeded", ContextTooLongError, False),
        (400, "prompt is too long: 208356 tokens > 200000 maximum", "", ContextTooLongError, False),
        (400, "unknown parameter: foo", "", BadResponseError, False),
        (404, "model not found", "", BadResponseError, False),
        (500, "boom", "", ProviderUnavailableError, True),
        (503, "", "", ProviderUnavailableError, True),
        (529, "Overloaded", "", ProviderUnavailableError, True),
    ],
)
def test_status_maps_to_the_right_error(
    status: int, message: str, code: str, expected: type[ProviderError], retryable: bool
) -> None:
    error = to_provider_error(failure(status, message, error_code=code))
    assert type(error) is expected
    assert (error.status, error.retryable, error.provider) == (status, retryable, "openai")


def test_auth_errors_never_quote_the_server_which_may_echo_the_key() -> None:
    error = to_provider_error(failure(401, "Incorrect API key provided: sk-abc***xyz"))
    assert "sk-abc" not in str(error)
    assert "OPENAI_API_KEY" in str(error)


def test_timeouts_and_connection_failures() -> None:
    timeout = to_provider_error(replace(BASE, kind="timeout"))
    assert isinstance(timeout, ProviderTimeoutError) and timeout.retryable
    connection = to_provider_error(replace(BASE, kind="connection"))
    assert "https://api.openai.com/v1" in str(connection)


def test_an_error_event_in_a_stream_is_mapped_by_its_type() -> None:
    error = to_provider_error(failure(200, "Overloaded", error_type="overloaded_error"))
    assert isinstance(error, ProviderUnavailableError)
    limited = to_provider_error(failure(200, "", error_type="rate_limit_error"))
    assert isinstance(limited, RateLimitError)


def test_retry_after_in_seconds_milliseconds_or_a_date() -> None:
    assert retry_after_seconds({"Retry-After": "12"}) == 12.0
    assert retry_after_seconds({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= (retry_after_seconds({"retry-after": later}) or 0) <= 31
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds({}) is None


def test_openai_sdk_errors_are_translated_with_retry_after() -> None:
    model = OpenAIModel("gpt-4.1-mini", Settings(keys={"openai": Secret("sk-x")}))
    request = httpx2.Request("POST", "https://api.openai.com/v1/chat/completions")
    response = httpx2.Response(429, headers={"retry-after": "3"}, request=request)
    sdk_error = openai.RateLimitError(
        "Error code: 429",
        response=response,
        body={"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"},
    )
    error = model._error(sdk_error)
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 3.0
    assert "Rate limit reached" in str(error)
    assert isinstance(model._error(openai.APITimeoutError(request=request)), ProviderTimeoutError)


def test_a_server_that_echoes_the_key_never_puts_it_in_the_error() -> None:
    key = "sk-live-0123456789abcdefABCDEF"
    echo = f"internal error handling request with headers {{'authorization': 'Bearer {key}'}}"
    error = to_provider_error(failure(500, echo, secrets=(key,)))
    assert key not in str(error) and "[redacted]" in str(error)
    assert "internal error handling request" in str(error)  # the rest is still quoted
    odd = "unshapedSecretValue77"  # a key with no recognisable shape: scrubbed as given
    error = to_provider_error(failure(400, f"bad key {odd}", secrets=(odd,)))
    assert odd not in str(error) and "bad key [redacted]" in str(error)
