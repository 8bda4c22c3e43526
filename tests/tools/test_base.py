from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import anyio
import pytest

from cadenza.errors import ToolArgumentsError, ToolConfigError, ToolError, ToolTimeoutError
from cadenza.tools.base import ToolLimits, cap, check_definition, coerce, invoke

pytestmark = pytest.mark.anyio

SCHEMA = {
    "type": "object",
    "properties": {"n": {"type": "integer"}},
    "required": ["n"],
    "additionalProperties": False,
}


class Echo:
    def __init__(self, limits: ToolLimits | None = None, delay: float = 0.0) -> None:
        self.limits = limits or ToolLimits()
        self.delay = delay
        self.calls: list[Mapping[str, Any]] = []

    name = "echo"
    description = "echo the number"
    parameters = SCHEMA

    async def call(self, arguments: Mapping[str, Any]) -> object:
        self.calls.append(arguments)
        await anyio.sleep(self.delay)
        if arguments["n"] < 0:
            raise ValueError("negative")
        return {"n": arguments["n"], "text": "x" * arguments["n"]}


async def test_arguments_are_checked_before_the_call() -> None:
    tool = Echo()
    with pytest.raises(ToolArgumentsError, match="schema of echo") as info:
        await invoke(tool, {"n": "three"})
    assert info.value.tool == "echo" and not info.value.retryable
    with pytest.raises(ToolArgumentsError, match="Additional properties"):
        await invoke(tool, {"n": 1, "m": 2})
    assert tool.calls == []  # never called with bad arguments


async def test_output_is_capped_and_the_value_kept() -> None:
    tool = Echo(ToolLimits(max_output_chars=40))
    out = await invoke(tool, {"n": 100})
    assert out.truncated and len(out.text) < 80 and "more characters cut" in out.text
    assert out.value["n"] == 100 and len(out.value["text"]) == 100  # references get it whole


async def test_timeout_is_a_retryable_tool_error() -> None:
    tool = Echo(ToolLimits(timeout_s=0.05), delay=1.0)
    with anyio.fail_after(2):
        with pytest.raises(ToolTimeoutError, match=r"within 0\.05 s") as info:
            await invoke(tool, {"n": 1})
    assert info.value.retryable


async def test_what_a_tool_raises_becomes_data() -> None:
    with pytest.raises(ToolError, match="echo failed: ValueError: negative") as info:
        await invoke(Echo(), {"n": -1})
    assert not info.value.retryable


def test_cap_leaves_short_text_alone() -> None:
    assert cap("abc", 10) == ("abc", False)


@pytest.mark.parametrize(
    ("name", "description", "schema", "message"),
    [
        ("bad name!", "d", SCHEMA, "not usable"),
        ("ok", "", SCHEMA, "no description"),
        ("ok", "d", {"type": "array"}, "schema of an object"),
        ("ok", "d", {"type": "object", "properties": {"a": {"type": "nope"}}}, "not a valid"),
    ],
)
def test_unusable_definitions_are_refused(
    name: str, description: str, schema: dict[str, Any], message: str
) -> None:
    with pytest.raises(ToolConfigError, match=message):
        check_definition(name, description, schema)


def test_text_that_is_a_number_becomes_one_where_the_schema_asks() -> None:
    schema = {
        "properties": {"x": {"type": "number"}, "n": {"type": "integer"}, "s": {"type": "string"}}
    }
    assert coerce({"x": "1,200.5", "n": "7", "s": 3}, schema) == {"x": 1200.5, "n": 7, "s": "3"}
    assert coerce({"x": "many"}, schema) == {"x": "many"}  # left for the schema check
