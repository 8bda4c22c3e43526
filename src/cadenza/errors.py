"""Every error cadenza raises on purpose, in one place.

Errors carry what a caller needs to decide what to do next (`provider`, `status`,
`retry_after`, `retryable`) and a message written for a person: what is wrong and
what to do about it. They never print or log themselves, and no message ever
contains a secret.

Two families:
- `UserError`: the input is wrong (unknown model, empty task, bad requirement file...).
  The CLI prints the message and exits non-zero without a traceback.
- `ProviderError`: a model call failed. `retryable` tells the engine whether trying
  again can help.
"""

from __future__ import annotations

from functools import partial
from typing import Any


class CadenzaError(Exception):
    """Base class of every error cadenza raises on purpose."""


class UserError(CadenzaError):
    """Bad input: the message says what is wrong and what to do."""


class UnknownModelError(UserError):
    """A model id that no registered provider knows."""


class EmptyTaskError(UserError):
    """The task has no instruction text."""


class ModelNotInstalledError(UserError):
    """A local model whose packages are not installed."""


class CorruptModelError(UserError):
    """A local model file whose size or sha256 does not match the catalogue."""


class RequirementError(UserError):
    """A requirement (or requirements file) that cannot be used as given."""


class BudgetError(UserError):
    """A budget that cannot be parsed, or that cannot pay for even one call."""


class StoreError(UserError):
    """The store cannot be opened or written (read-only file or folder, full disk,
    not a cadenza database...). The message names the file and what to do."""


class RunNotFoundError(UserError):
    """No run of that id in the store (the server answers 404)."""


class ClusterError(UserError):
    """A Ray cluster that cannot run a batch: unreachable, too few CPUs for the workers
    asked for, or every worker lost (what finished is saved; a rerun resumes)."""


class ProviderError(CadenzaError):
    """A model call failed.

    `provider` names the provider (``"openai"``, ``"anthropic"``, ``"local"`` ...),
    `status` is the HTTP status when there was one, `retry_after` the delay in seconds
    the server asked for, and `retryable` whether the same call may succeed later.
    `input_tokens`, `output_tokens` and `cost_usd` are what a call that failed part way
    (a stream cut off) is known or estimated to have used: it is charged to the budget.
    """

    retryable_default = False

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        status: int | None = None,
        retry_after: float | None = None,
        retryable: bool | None = None,
        input_tokens: int = 0,
        output_tokens: int = 0,
        cost_usd: float = 0.0,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.provider = provider
        self.status = status
        self.retry_after = retry_after
        self.retryable = self.retryable_default if retryable is None else retryable
        self.input_tokens = input_tokens
        self.output_tokens = output_tokens
        self.cost_usd = cost_usd

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Keyword arguments survive pickling (errors raised on a Ray worker).
        rebuild = partial(
            type(self),
            self.message,
            provider=self.provider,
            status=self.status,
            retry_after=self.retry_after,
            retryable=self.retryable,
        )
        return rebuild, ()


class MissingKeyError(ProviderError, UserError):
    """No API key for a hosted provider; the message names the variable to set."""


class AuthError(ProviderError, UserError):
    """The provider rejected the key (401/403)."""


class RateLimitError(ProviderError):
    """The provider asked us to slow down (429); `retry_after` says for how long."""

    retryable_default = True


class ProviderTimeoutError(ProviderError):
    """The call did not finish in time."""

    retryable_default = True


class ProviderConnectionError(ProviderError, UserError):
    """The provider could not be reached (unreachable base URL, refused connection)."""

    retryable_default = True


class ContextTooLongError(ProviderError):
    """The prompt plus the requested output do not fit the model's context window."""


class BadResponseError(ProviderError):
    """The provider answered with something we cannot use (server error, bad payload)."""


class JudgeError(BadResponseError):
    """A judge model answered with something that is not a verdict: not exactly one of
    the choices it was given (``yes`` or ``no``; ``A`` or ``B`` for a comparison). The
    requirement is then not verified: a judge failure, never a pass."""


class ProviderUnavailableError(ProviderError):
    """The provider is temporarily unable to serve (5xx, overloaded)."""

    retryable_default = True


class ToolError(CadenzaError):
    """A tool call failed (bad arguments, a timeout, the tool raised, the endpoint
    answered with an error). A failed tool call is data: the plan records it and the
    joiner may replan. `tool` names the tool, `retryable` whether the same call may
    succeed later (timeouts, unreachable or overloaded endpoints), `retry_after` the
    delay an endpoint asked for."""

    def __init__(
        self,
        message: str,
        *,
        tool: str,
        retryable: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.tool = tool
        self.retryable = retryable
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message


class ToolArgumentsError(ToolError):
    """The arguments of a tool call do not match the tool's JSON schema."""


class ToolTimeoutError(ToolError):
    """A tool call did not finish within the tool's timeout."""


class ToolConfigError(UserError):
    """A tool given by the caller cannot be used as given (bad schema, unreadable tool
    file, unknown tool form, duplicate names, an MCP server that cannot be reached)."""


class InvalidFieldError(UserError):
    """A request to the server with a field that cannot be used: `field` names it
    (``requirements[2].description``), the message says what to send instead."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class ApiError(CadenzaError):
    """The cadenza server refused a request or failed it: `status` is the HTTP status,
    `type` the server's error type (``invalid_request``, ``unauthorized``,
    ``not_found`` ...), `field` the request field at fault when there is one."""

    def __init__(self, status: int, type: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.type = type
        self.message = message
        self.field = field

    def __str__(self) -> str:
        where = f" (field {self.field})" if self.field else ""
        return f"{self.message}{where} [HTTP {self.status}]"


class ServerUnreachableError(UserError):
    """The cadenza server could not be reached at the URL given."""


class ServerBusyError(CadenzaError):
    """The server has as many runs in progress as it accepts: retry later."""
