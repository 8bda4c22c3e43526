"""The tools of one solve: what the caller gave (Python functions, HTTP tool
definitions, MCP servers, `Tool` objects), opened and checked into a `Toolbox`.

Only the tools in the toolbox can be called: a plan naming any other tool is refused.
MCP connections stay open for as long as the caller's exit stack."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from cadenza.errors import ToolConfigError
from cadenza.tools.base import Tool, ToolInfo, info
from cadenza.tools.http import HttpTool
from cadenza.tools.mcp import McpServer
from cadenza.tools.python import PythonTool

ToolInput = Tool | McpServer | Mapping[str, Any] | Callable[..., Any]
RESERVED = frozenset({"llm"})
"""Names the planner uses itself (``llm``: a sub-task answered by the model)."""


class Toolbox(Mapping[str, Tool]):
    """The opened tools by name (read-only)."""

    def __init__(self, tools: Sequence[Tool] = ()) -> None:
        by_name: dict[str, Tool] = {}
        for tool in tools:
            if tool.name in RESERVED:
                raise ToolConfigError(
                    f"A tool is named {tool.name!r}, a name the planner keeps for itself "
                    "(a sub-task answered by the model): rename the tool."
                )
            if tool.name in by_name:
                raise ToolConfigError(
                    f"Two tools are named {tool.name!r}: tool names must be unique (rename one, "
                    "or keep one with an MCP server's allowed_tools)."
                )
            by_name[tool.name] = tool
        self._tools = by_name

    def __getitem__(self, name: str) -> Tool:
        return self._tools[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tools)

    def __len__(self) -> int:
        return len(self._tools)

    def infos(self) -> tuple[ToolInfo, ...]:
        return tuple(info(t) for t in self._tools.values())


@asynccontextmanager
async def opened(inputs: Sequence[ToolInput]) -> AsyncIterator[Toolbox]:
    """The `Toolbox` of `inputs` for the duration of the block (MCP sessions close when
    it ends). An error raised in the block comes out as itself, not wrapped in the
    exception group of an MCP session's task group."""
    try:
        async with AsyncExitStack() as stack:
            yield await open_tools(inputs, stack)
    except BaseExceptionGroup as group:
        raise single(group) from None


def single(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The one exception inside nested groups, or the group when there are several."""
    leaves: list[BaseException] = []

    def walk(error: BaseException) -> None:
        if isinstance(error, BaseExceptionGroup):
            for inner in error.exceptions:
                walk(inner)
        else:
            leaves.append(error)

    walk(group)
    return leaves[0] if len(leaves) == 1 else group


async def open_tools(inputs: Sequence[ToolInput], stack: AsyncExitStack) -> Toolbox:
    """Turn what the caller gave into a `Toolbox`; MCP servers are connected and
    listed (closed with `stack`)."""
    tools: list[Tool] = []
    for value in inputs:
        if isinstance(value, McpServer):
            tools.extend(await value.open(stack))
        elif isinstance(value, Mapping):
            kind = value.get("type", "http")
            if kind == "mcp":
                tools.extend(await mcp_of_spec(value).open(stack))
            else:
                tools.append(HttpTool.from_spec(value))
        elif isinstance(value, Tool):
            tools.append(value)
        elif callable(value):
            tools.append(PythonTool(value))
        else:
            raise ToolConfigError(
                f"Cannot use {value!r} as a tool: give a Python function, an HTTP tool "
                'definition ({"type": "http", "function": ..., "endpoint": ...}), an '
                "McpServer, or a cadenza Tool."
            )
    return Toolbox(tools)


def mcp_of_spec(spec: Mapping[str, Any], source: str = "the tool definition") -> McpServer:
    """An MCP server from Maestro's shape (``type: mcp``, ``server_url``, optional
    ``server_label``, ``headers``, ``allowed_tools``) or cadenza's stdio form
    (``command``: a list)."""
    url = spec.get("server_url")
    command = spec.get("command")
    target: str | list[str]
    if isinstance(url, str):
        target = url
    elif isinstance(command, list) and command:
        target = [str(part) for part in command]
    else:
        raise ToolConfigError(
            f"{source}: an MCP tool needs server_url (a streamable HTTP URL) or command (a "
            "list: program and arguments, started over stdio)."
        )
    allowed = spec.get("allowed_tools")
    headers = spec.get("headers") or {}
    if not isinstance(headers, Mapping):
        raise ToolConfigError(f"{source}: headers must be an object of strings.")
    return McpServer(
        target,
        headers={str(k): str(v) for k, v in headers.items()},
        allowed_tools=None if allowed is None else [str(a) for a in allowed],
        label=spec.get("server_label"),
    )
