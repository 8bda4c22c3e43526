from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from cadenza.errors import ToolConfigError
from cadenza.tools.http import HttpTool
from cadenza.tools.loading import parse_tool
from cadenza.tools.mcp import McpServer


def test_each_kind_of_tool_has_its_form(tmp_path: Path) -> None:
    (function,) = parse_tool("json:dumps")
    assert function is json.dumps
    assert parse_tool("python:json:loads") == [json.loads]
    (stdio,) = parse_tool("mcp:python server.py --verbose 'two words'")
    assert isinstance(stdio, McpServer)
    assert stdio.target == ("python", "server.py", "--verbose", "two words")
    (remote,) = parse_tool("mcp:https://example.com/mcp?key=secret")
    assert isinstance(remote, McpServer) and remote.describe() == "https://example.com/mcp"


def test_tool_files_hold_http_and_mcp_definitions(tmp_path: Path) -> None:
    http = {
        "type": "http",
        "function": {"name": "w", "description": "Weather.", "parameters": {"type": "object"}},
        "endpoint": {"url": "http://127.0.0.1:1/w", "headers": {"Authorization": "Bearer s"}},
    }
    mcp = {"type": "mcp", "server_url": "http://127.0.0.1:1/mcp", "allowed_tools": ["a"]}
    path = tmp_path / "tools.yaml"
    path.write_text(yaml.safe_dump([http, mcp]))
    first, second = parse_tool(str(path))
    assert isinstance(first, HttpTool) and first.name == "w"
    assert isinstance(second, McpServer) and second.allowed_tools == ("a",)
    single = tmp_path / "one.json"
    single.write_text(json.dumps(http))
    assert [t.name for t in parse_tool(f"http:{single}")] == ["w"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1]", "expected an object"),
        ("{", "cannot be parsed"),
        ('{"type": "mcp"}', "needs server_url"),
    ],
)
def test_bad_tool_files_say_what_is_wrong(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ToolConfigError, match=message):
        parse_tool(str(path))
