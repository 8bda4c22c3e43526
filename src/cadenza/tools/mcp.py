"""MCP servers as tool sources, through the official `mcp` SDK.

`McpServer` names a server: a command started over stdio (``["python", "server.py"]``)
or a streamable HTTP URL. `McpServer.open` connects (the session lives as long as the
caller's exit stack), lists the server's tools and returns one `McpTool` per tool
(only those in `allowed_tools`, when given). A tool call goes through the session;
a result flagged ``isError`` or a protocol error becomes a `ToolError`.

The SDK is the optional extra ``mcp`` (``pip install 'cadenza[mcp]'``; ``scripts/setup``
installs it).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING, Any, TextIO

from cadenza.errors import ToolConfigError, ToolError
from cadenza.settings import Secret
from cadenza.tools.base import Defined, ToolLimits
from cadenza.tools.http import public_url

if TYPE_CHECKING:
    from mcp import Client


class McpServer:
    """An MCP server to take tools from. `target` is a URL (streamable HTTP) or a
    command line (a sequence: program and arguments) started over stdio. `headers`
    go with every HTTP request (kept secret); `allowed_tools` keeps only those names;
    `limits` apply to each of its tools; `errlog` receives a stdio server's stderr
    (default: discarded, so a server's logs do not mix with cadenza's output)."""

    def __init__(
        self,
        target: str | Sequence[str],
        *,
        headers: Mapping[str, str] | None = None,
        allowed_tools: Sequence[str] | None = None,
        limits: ToolLimits | None = None,
        label: str | None = None,
        errlog: TextIO | None = None,
    ) -> None:
        if isinstance(target, str):
            if not target.startswith(("http://", "https://")):
                raise ToolConfigError(
                    f"MCP server {target!r}: give a streamable HTTP URL (http:// or https://) "
                    "or a command as a list, e.g. ['python', 'server.py']."
                )
        elif not target or not all(isinstance(part, str) and part for part in target):
            raise ToolConfigError("An MCP server command is empty: give the program to start.")
        self.target: str | tuple[str, ...] = target if isinstance(target, str) else tuple(target)
        self._headers = {k: Secret(str(v)) for k, v in (headers or {}).items()}
        self.allowed_tools = None if allowed_tools is None else tuple(allowed_tools)
        self.limits = limits or ToolLimits()
        self.label = label or self.describe()
        self._errlog = errlog

    def describe(self) -> str:
        """The server as it may be shown (no query string, no headers)."""
        if isinstance(self.target, str):
            return public_url(self.target)
        return " ".join(self.target)

    def _client(self, stack: AsyncExitStack) -> Client:
        try:
            from mcp import Client, StdioServerParameters
            from mcp.client.streamable_http import streamable_http_client
        except ImportError:
            raise ToolConfigError(
                "MCP tools need the official MCP SDK: pip install 'cadenza[mcp]' (or run "
                "bash scripts/setup)."
            ) from None
        timeout = self.limits.timeout_s
        if isinstance(self.target, str):
            if not self._headers:
                return Client(self.target, read_timeout_seconds=timeout)
            import httpx2

            http = httpx2.AsyncClient(headers={k: v.reveal() for k, v in self._headers.items()})
            stack.push_async_callback(http.aclose)
            transport = streamable_http_client(self.target, http_client=http)
            return Client(transport, read_timeout_seconds=timeout)
        command, *args = self.target
        errlog = self._errlog or stack.enter_context(open(os.devnull, "w"))  # noqa: SIM115
        params = StdioServerParameters(command=command, args=args)
        from mcp.client.stdio import stdio_client

        return Client(stdio_client(params, errlog=errlog), read_timeout_seconds=timeout)

    async def open(self, stack: AsyncExitStack) -> list[McpTool]:
        """Connect (closed with `stack`), list the tools, return them."""
        try:
            client = await stack.enter_async_context(self._client(stack))
            listed = []
            cursor: str | None = None
            while True:
                page = await client.list_tools(cursor=cursor)
                listed.extend(page.tools)
                cursor = page.next_cursor
                if not cursor:
                    break
        except ToolConfigError:
            raise
        except Exception as exc:
            raise connection_error(self.describe(), exc) from None
        names = {t.name for t in listed}
        if self.allowed_tools is not None:
            missing = sorted(set(self.allowed_tools) - names)
            if missing:
                raise ToolConfigError(
                    f"MCP server {self.label}: allowed_tools names {missing}, which it does "
                    f"not offer (it offers {sorted(names)})."
                )
        return [
            McpTool(client, t.name, t.description or "", t.input_schema, self.limits, self.label)
            for t in listed
            if self.allowed_tools is None or t.name in self.allowed_tools
        ]

    def __repr__(self) -> str:
        return f"McpServer({self.describe()!r})"


class McpTool(Defined):
    """One tool of a connected MCP server."""

    def __init__(
        self,
        client: Client,
        name: str,
        description: str,
        parameters: Mapping[str, Any],
        limits: ToolLimits,
        server: str,
    ) -> None:
        super().__init__(
            name, description or f"the {name} tool of MCP server {server}", parameters, limits
        )
        self._client = client
        self.server = server

    async def call(self, arguments: Mapping[str, Any]) -> object:
        from mcp import MCPError
        from mcp.types import TextContent

        try:
            result = await self._client.call_tool(self._name, dict(arguments))
        except MCPError as exc:
            raise ToolError(
                f"{self._name} (MCP server {self.server}) refused the call: {exc}", tool=self._name
            ) from None
        texts = [block.text for block in result.content if isinstance(block, TextContent)]
        if result.is_error:
            raise ToolError(
                f"{self._name} (MCP server {self.server}) failed: {' '.join(texts)[:500]}",
                tool=self._name,
            )
        structured = result.structured_content
        if isinstance(structured, dict) and set(structured) == {"result"}:
            return structured["result"]  # the SDK wraps a plain return value this way
        if structured is not None:
            return structured
        return "\n".join(texts)

    def __repr__(self) -> str:
        return f"McpTool({self._name!r}, server={self.server!r})"


def connection_error(server: str, exc: BaseException) -> ToolConfigError:
    """A readable error for a server that could not be started, reached or listed."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    detail = str(exc) or type(exc).__name__
    return ToolConfigError(
        f"Cannot use MCP server {server}: {type(exc).__name__}: {detail[:300]}. Check that "
        "the command starts an MCP server on stdio (or that the URL is a streamable HTTP "
        "MCP endpoint and the server is running)."
    )


def python_command(script: str, *args: str) -> list[str]:
    """A stdio command that runs `script` with this interpreter (for servers written
    in Python next to the caller)."""
    return [sys.executable, script, *args]
