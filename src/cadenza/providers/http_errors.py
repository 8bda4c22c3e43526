"""Turn an HTTP provider's failure into the matching `cadenza.errors` error.

The OpenAI and Anthropic SDKs fail in the same shapes (a status error with the
response and its JSON body, a timeout, a connection failure, a body that does not
validate), so both providers describe their failure as a `Failure` and let
`to_provider_error` choose the error class and write the message.

Server messages are quoted (trimmed) so the user sees what the server said, except
for authentication failures, whose messages may echo part of the key. A quoted
message is scrubbed first (`cadenza.redact`): the caller's key and anything shaped
like a credential become ``[redacted]``, so a server that echoes the request's
headers never puts the key into an error, a note, a trace or the store.
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from cadenza.errors import (
    AuthError,
    BadResponseError,
    ContextTooLongError,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    RateLimitError,
)
from cadenza.redact import redact

FailureKind = Literal["status", "timeout", "connection", "bad_payload"]

_CONTEXT_PATTERNS = re.compile(
    r"context[_ ]length|context window|maximum context|prompt is too long|too many tokens"
    r"|exceeds? the (?:model's )?(?:maximum|context)",
    re.IGNORECASE,
)
_MAX_QUOTE = 300
# An error that arrives inside a stream (after a 200) carries only its type; these
# are the statuses the same errors have when they come as the response itself.
_STATUS_OF_TYPE: Mapping[str, int] = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}


@dataclass(frozen=True, slots=True)
class Failure:
    """What went wrong with one HTTP call, independent of the SDK that made it."""

    kind: FailureKind
    provider: str
    model: str
    base_url: str
    key_variable: str
    status: int | None = None
    message: str = ""
    error_type: str = ""  # e.g. "invalid_request_error", "overloaded_error"
    error_code: str = ""  # e.g. "context_length_exceeded"
    headers: Mapping[str, str] | None = None
    secrets: tuple[str, ...] = ()  # values to scrub from quoted messages (the key)
    timeout_s: float | None = None  # the timeout that ran out, for a timeout


def error_fields(body: object) -> tuple[str, str, str]:
    """(message, type, code) from an error body in the OpenAI or Anthropic shape."""
    if not isinstance(body, Mapping):
        return ("", "", "")
    inner = body.get("error", body)
    if not isinstance(inner, Mapping):
        return (str(inner), "", "")
    message = inner.get("message") or ""
    error_type = inner.get("type") or ""
    code = inner.get("code") or ""
    return (str(message), str(error_type), str(code))


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """Seconds the server asked us to wait: ``retry-after-ms``, ``retry-after`` as
    seconds or as an HTTP date. None when absent or unreadable."""
    if not headers:
        return None
    lowered = {name.lower(): value for name, value in headers.items()}
    millis = lowered.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def is_context_too_long(failure: Failure) -> bool:
    if failure.status not in (400, 413, 422, None):
        return False
    if failure.error_code == "context_length_exceeded":
        return True
    return bool(_CONTEXT_PATTERNS.search(failure.message))


def _quote(message: str, secrets: tuple[str, ...] = ()) -> str:
    message = " ".join(redact(message, secrets).split())
    if not message:
        return ""
    if len(message) > _MAX_QUOTE:
        message = message[: _MAX_QUOTE - 1] + "…"
    return f" The server said: {message}"


def to_provider_error(failure: Failure) -> ProviderError:
    """The `ProviderError` subclass and message for `failure`."""
    who = f"{failure.provider}:{failure.model}"
    provider, status_code = failure.provider, failure.status
    quoted = _quote(failure.message, failure.secrets)
    if failure.kind == "timeout":
        after = f" after {failure.timeout_s:g} s" if failure.timeout_s is not None else ""
        return ProviderTimeoutError(
            f"The call to {who} at {failure.base_url} timed out{after}. The server may be "
            "overloaded, silent, or the request too large; try again, lower max_tokens, or "
            "raise the timeout (--timeout SECONDS, or `timeout` in the config file).",
            provider=provider,
            status=status_code,
        )
    if failure.kind == "connection":
        return ProviderConnectionError(
            f"Could not connect to {failure.base_url} for {who}. Check that the server is "
            "running and that the base URL (and its /v1 suffix, if the server needs one) is "
            "right, then try again.",
            provider=provider,
            status=status_code,
        )
    if failure.kind == "bad_payload":
        return BadResponseError(
            f"{who} answered with a response cadenza cannot read.{quoted}",
            provider=provider,
            status=status_code,
            retryable=True,
        )
    status = failure.status or 0
    if status < 400:  # an error event inside a successful stream
        status = _STATUS_OF_TYPE.get(failure.error_type, 500)
    if status in (401, 403):
        verb = "rejected the API key" if status == 401 else "refused access with this API key"
        return AuthError(
            f"{failure.provider} {verb} (HTTP {status}) for {who}. Check "
            f"{failure.key_variable} (a valid key with access to this model), then try again.",
            provider=provider,
            status=status_code,
        )
    if status == 429:
        wait = retry_after_seconds(failure.headers)
        after = f" It asked to retry after {wait:g} s." if wait is not None else ""
        return RateLimitError(
            f"{failure.provider} rate-limited the call to {who} (HTTP 429).{after} Slow down, "
            f"lower the concurrency, or check the account's limits.{quoted}",
            provider=provider,
            status=status_code,
            retry_after=wait,
        )
    if is_context_too_long(replace(failure, status=status)):
        return ContextTooLongError(
            f"The prompt plus max_tokens do not fit the context window of {who}. Shorten the "
            f"task or lower max_tokens.{quoted}",
            provider=provider,
            status=status_code,
        )
    if status == 529 or failure.error_type == "overloaded_error" or status >= 500:
        return ProviderUnavailableError(
            f"{failure.provider} could not serve {who} right now (HTTP {status}). Try again "
            f"later.{quoted}",
            provider=provider,
            status=status_code,
            retry_after=retry_after_seconds(failure.headers),
        )
    if status == 404:
        return BadResponseError(
            f"{failure.provider} does not know the model {failure.model!r} at "
            f"{failure.base_url} (HTTP 404). Check the model name.{quoted}",
            provider=provider,
            status=status_code,
        )
    return BadResponseError(
        f"{failure.provider} refused the request to {who} (HTTP {status}).{quoted}",
        provider=provider,
        status=status_code,
    )


def from_sdk_error(
    exc: Exception,
    base: Failure,
    *,
    timeout: type[Exception],
    connection: type[Exception],
    status: type[Exception],
) -> ProviderError:
    """The error for an SDK exception `exc`, given the SDK's timeout, connection and
    status error classes (OpenAI's and Anthropic's SDKs share this shape; the timeout
    class is a subclass of the connection class, so it is tested first)."""
    if isinstance(exc, timeout):
        return to_provider_error(replace(base, kind="timeout"))
    if isinstance(exc, connection):
        return to_provider_error(replace(base, kind="connection"))
    if isinstance(exc, status):
        message, error_type, error_code = error_fields(getattr(exc, "body", None))
        response = getattr(exc, "response", None)
        return to_provider_error(
            replace(
                base,
                kind="status",
                status=getattr(exc, "status_code", None),
                message=message or str(getattr(exc, "message", "") or exc),
                error_type=error_type,
                error_code=error_code,
                headers=dict(response.headers) if response is not None else None,
            )
        )
    return to_provider_error(replace(base, message=str(exc)))
