"""The tool protocol: a name, a description, a JSON schema for the arguments, limits,
and one async `call`.

Every kind of tool (a Python function, an HTTP endpoint, a tool of an MCP server) is a
`Tool`. Callers never call `Tool.call` directly: `invoke` checks the arguments against
the schema first, enforces the timeout, turns whatever the tool raised into a
`ToolError` (a failed call is data, never a crash) and caps the output, so what reaches
a prompt is bounded.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import anyio
import jsonschema

from cadenza.errors import ToolArgumentsError, ToolConfigError, ToolError, ToolTimeoutError

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,63}$")
EMPTY_SCHEMA: Mapping[str, Any] = {"type": "object", "properties": {}}


@dataclass(frozen=True, slots=True)
class ToolLimits:
    """How a tool may be called. `timeout_s` bounds one attempt; `max_concurrency`
    is the tool's own slot count in the engine; `max_attempts` counts the first try
    (retryable failures only: timeouts, unreachable or overloaded endpoints);
    `max_output_chars` caps what a call returns to prompts; `latency_s` is the expected
    latency of one call (None: the engine learns it); `cost_usd` is charged per call."""

    timeout_s: float = 30.0
    max_concurrency: int = 4
    max_attempts: int = 2
    max_output_chars: int = 4_000
    latency_s: float | None = None
    cost_usd: float = 0.0

    def __post_init__(self) -> None:
        if self.timeout_s <= 0 or self.max_concurrency < 1 or self.max_attempts < 1:
            raise ToolConfigError(
                f"Tool limits {self} are not usable: timeout_s must be > 0, "
                "max_concurrency and max_attempts >= 1."
            )
        if self.max_output_chars < 16 or self.cost_usd < 0:
            raise ToolConfigError(
                f"Tool limits {self} are not usable: max_output_chars must be >= 16 and "
                "cost_usd >= 0."
            )


@runtime_checkable
class Tool(Protocol):
    """A callable tool. `parameters` is a JSON schema of an object (the arguments)."""

    @property
    def name(self) -> str: ...

    @property
    def description(self) -> str: ...

    @property
    def parameters(self) -> Mapping[str, Any]: ...

    @property
    def limits(self) -> ToolLimits: ...

    async def call(self, arguments: Mapping[str, Any]) -> object:
        """Run the tool; return a JSON-ready value (or text). Raise `ToolError` for a
        failure the tool can describe; anything else it raises is wrapped by `invoke`."""
        ...


@dataclass(frozen=True, slots=True)
class ToolOutput:
    """What one call returned: `value` (JSON-ready, for references from later steps),
    `text` (what a prompt shows, capped at the tool's `max_output_chars`), whether the
    text was `truncated`, and the call's `latency_s`."""

    value: Any
    text: str
    truncated: bool = False
    latency_s: float = 0.0
    cost_usd: float = 0.0

    def stored(self) -> dict[str, Any]:
        """What a record of this call keeps: the value only when its text was not cut
        (a tool may return megabytes; the capped text is what prompts saw)."""
        return {
            "type": "ToolOutput",
            "value": None if self.truncated else self.value,
            "text": self.text,
            "truncated": self.truncated,
            "latency_s": self.latency_s,
            "cost_usd": self.cost_usd,
        }


@dataclass(frozen=True, slots=True)
class ToolInfo:
    """A tool as the planner sees it (no way to call it)."""

    name: str
    description: str
    parameters: Mapping[str, Any] = field(default_factory=lambda: dict(EMPTY_SCHEMA))


class Defined:
    """What every tool class shares: its name, description, argument schema and limits,
    checked once when the tool is made (`check_definition`)."""

    def __init__(
        self,
        name: str,
        description: str,
        parameters: Mapping[str, Any],
        limits: ToolLimits | None = None,
    ) -> None:
        check_definition(name, description, parameters)
        self._name = name
        self._description = description
        self._parameters = dict(parameters)
        self._limits = limits or ToolLimits()

    @property
    def name(self) -> str:
        return self._name

    @property
    def description(self) -> str:
        return self._description

    @property
    def parameters(self) -> Mapping[str, Any]:
        return self._parameters

    @property
    def limits(self) -> ToolLimits:
        return self._limits


def info(tool: Tool) -> ToolInfo:
    return ToolInfo(tool.name, tool.description, tool.parameters)


def check_definition(name: str, description: str, parameters: Mapping[str, Any]) -> None:
    """Refuse a tool whose name or schema cannot be used (`ToolConfigError`)."""
    if not NAME.match(name):
        raise ToolConfigError(
            f"Tool name {name!r} is not usable: use letters, digits, '_' or '-' (at most "
            "64, starting with a letter or '_'), e.g. get_weather."
        )
    if parameters.get("type", "object") != "object":
        raise ToolConfigError(
            f"Tool {name!r}: its parameters must be a JSON schema of an object "
            '({"type": "object", "properties": {...}}), got type '
            f"{parameters.get('type')!r}."
        )
    try:
        jsonschema.Draft202012Validator.check_schema(dict(parameters))
    except jsonschema.SchemaError as exc:
        raise ToolConfigError(
            f"Tool {name!r}: its parameters are not a valid JSON schema ({exc.message}). "
            "Fix the schema."
        ) from None
    if not description.strip():
        raise ToolConfigError(
            f"Tool {name!r} has no description: say what it does and when to use it, so "
            "the planner can choose it."
        )


def argument_problems(parameters: Mapping[str, Any], arguments: Mapping[str, Any]) -> list[str]:
    """What is wrong with `arguments` against the schema (empty: they are valid)."""
    validator = jsonschema.Draft202012Validator(dict(parameters))
    problems = []
    for error in sorted(validator.iter_errors(dict(arguments)), key=lambda e: list(e.path)):
        where = "/".join(str(p) for p in error.path)
        problems.append(f"{where}: {error.message}" if where else error.message)
    return problems


def coerce(arguments: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    """Arguments whose schema asks for a number or integer and that hold text that
    is exactly one (a plan step's output filled in as text) become that number."""
    properties = schema.get("properties") or {}
    out = dict(arguments)
    for name, value in arguments.items():
        wanted = _types(properties.get(name))
        if isinstance(value, str) and wanted & {"number", "integer"}:
            number = _number(value)
            if number is not None and ("number" in wanted or float(number).is_integer()):
                out[name] = (
                    int(number) if "integer" in wanted and "number" not in wanted else number
                )
        elif (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and "string" in wanted
            and not wanted & {"number", "integer"}
        ):
            out[name] = render_value(value)
    return out


def _types(schema: object) -> set[str]:
    if not isinstance(schema, Mapping):
        return set()
    kind = schema.get("type")
    found = {kind} if isinstance(kind, str) else set(kind) if isinstance(kind, list) else set()
    for option in schema.get("anyOf") or []:
        found |= _types(option)
    return found


def _number(text: str) -> int | float | None:
    cleaned = text.strip().replace(",", "")
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        return float(cleaned)
    except ValueError:
        return None


def render_value(value: object) -> str:
    """A tool's value as text for a prompt."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def cap(text: str, limit: int) -> tuple[str, bool]:
    """`text` cut to `limit` characters, with a note of how much was cut."""
    if len(text) <= limit:
        return text, False
    cut = len(text) - limit
    return f"{text[:limit]} … [{cut} more characters cut]", True


async def invoke(tool: Tool, arguments: Mapping[str, Any]) -> ToolOutput:
    """Check `arguments`, call `tool` within its timeout and cap its output. Raises
    `ToolError` (`ToolArgumentsError`, `ToolTimeoutError`, or the tool's own failure);
    cancellation propagates."""
    problems = argument_problems(tool.parameters, arguments)
    if problems:
        raise ToolArgumentsError(
            f"Arguments {json.dumps(dict(arguments), default=str)[:300]} do not match the "
            f"schema of {tool.name}: {'; '.join(problems[:5])}.",
            tool=tool.name,
        )
    limits = tool.limits
    started = time.monotonic()
    try:
        with anyio.fail_after(limits.timeout_s):
            value = await tool.call(arguments)
    except TimeoutError:
        raise ToolTimeoutError(
            f"{tool.name} did not answer within {limits.timeout_s:g} s.",
            tool=tool.name,
            retryable=True,
        ) from None
    except ToolError:
        raise
    except Exception as exc:  # the tool's own failure is data, never our crash
        text = str(exc) or type(exc).__name__
        raise ToolError(
            f"{tool.name} failed: {type(exc).__name__}: {text[:500]}", tool=tool.name
        ) from exc
    text, truncated = cap(render_value(value), limits.max_output_chars)
    return ToolOutput(
        value=value,
        text=text,
        truncated=truncated,
        latency_s=time.monotonic() - started,
        cost_usd=limits.cost_usd,
    )
