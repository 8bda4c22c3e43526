"""MCP tools against a real server written with the SDK's own `MCPServer`
(tests/tools/mcp_facts_server.py), started by the test over stdio and over
streamable HTTP on loopback."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest

from cadenza.errors import ToolConfigError, ToolError
from cadenza.tools.base import invoke
from cadenza.tools.mcp import McpServer, python_command
from cadenza.tools.toolset import opened

pytestmark = pytest.mark.anyio

SERVER = str(Path(__file__).with_name("mcp_facts_server.py"))


async def test_stdio_server_tools_are_listed_and_called() -> None:
    async with opened([McpServer(python_command(SERVER))]) as box:
        assert sorted(box) == ["add", "capital", "shout"]
        add = box["add"]
        assert add.description == "Add two numbers."
        assert add.parameters["required"] == ["a", "b"]
        assert (await invoke(add, {"a": 2, "b": 3})).value == 5
        assert (await invoke(box["capital"], {"country": "Japan"})).text == "Tokyo"
        with pytest.raises(ToolError, match="no capital known for Atlantis"):
            await invoke(box["capital"], {"country": "Atlantis"})


async def test_allowed_tools_keep_only_those() -> None:
    spec = {"type": "mcp", "command": python_command(SERVER), "allowed_tools": ["shout"]}
    async with opened([spec]) as box:
        assert list(box) == ["shout"]
    with pytest.raises(ToolConfigError, match="does not offer"):
        async with opened([McpServer(python_command(SERVER), allowed_tools=["nope"])]):
            pass


async def test_an_error_inside_the_session_comes_out_unwrapped() -> None:
    with pytest.raises(KeyError, match="inside"):
        async with opened([McpServer(python_command(SERVER))]):
            raise KeyError("inside")


async def test_a_command_that_is_not_a_server_is_a_clear_error() -> None:
    with pytest.raises(ToolConfigError, match="Cannot use MCP server"), anyio.fail_after(30):
        async with opened([McpServer([sys.executable, "-c", "print('hello')"])]):
            pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def http_server() -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, SERVER, "http", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # bounded wait for the server to listen
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(timeout=10)


async def test_streamable_http_server_tools_are_called(http_server: str) -> None:
    async with opened([McpServer(http_server, headers={"x-test": "1"})]) as box:
        assert (await invoke(box["shout"], {"text": "hey"})).value == "HEY"
    async with opened([McpServer(http_server)]) as box:
        assert (await invoke(box["add"], {"a": 1.5, "b": 1})).value == 2.5
