"""The command line's tool forms (``cadenza run --tool ...``), one per kind of tool:

- ``--tool package.module:function`` (or ``python:package.module:function``): a Python
  function, imported;
- ``--tool tools.yaml`` (or ``.yml`` / ``.json``; ``http:PATH`` also works): a file
  holding one tool definition or a list of them, in AI21 Maestro's shape (``type:
  http`` with ``function`` and ``endpoint``; ``type: mcp`` with ``server_url``, or
  ``command`` for a stdio server);
- ``--tool "mcp:python server.py --flag"``: an MCP server started over stdio (the
  command is split like a shell would), or ``--tool mcp:https://host/mcp``: a
  streamable HTTP MCP server.
"""

from __future__ import annotations

import importlib
import json
import re
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from cadenza.errors import ToolConfigError
from cadenza.tools.mcp import McpServer
from cadenza.tools.toolset import ToolInput

_FUNCTION = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
FORMS = (
    "use package.module:function (a Python function), a .json/.yaml file of HTTP or MCP "
    "tool definitions, 'mcp:COMMAND ARGS' (an MCP server over stdio) or mcp:URL (a "
    "streamable HTTP MCP server)"
)


def parse_tool(form: str) -> list[ToolInput]:
    """The tools one ``--tool`` value names (a file may hold several)."""
    text = form.strip()
    if text.startswith("mcp:"):
        rest = text[4:].strip()
        if rest.startswith(("http://", "https://")):
            return [McpServer(rest)]
        try:
            command = shlex.split(rest)
        except ValueError as exc:
            raise ToolConfigError(f"--tool {form!r}: cannot split the command ({exc}).") from None
        if not command:
            raise ToolConfigError(f"--tool {form!r}: give the command that starts the server.")
        return [McpServer(command)]
    if text.startswith("python:"):
        return [import_function(text[7:])]
    if text.startswith("http:") and not text.startswith("http://"):
        return load_tool_file(Path(text[5:]))
    path = Path(text)
    if path.suffix.lower() in (".json", ".yaml", ".yml"):
        return load_tool_file(path)
    if _FUNCTION.match(text):
        return [import_function(text)]
    raise ToolConfigError(f"--tool {form!r} names no tool: {FORMS}.")


def import_function(target: str) -> ToolInput:
    module_name, _, attribute = target.partition(":")
    if not _FUNCTION.match(target):
        raise ToolConfigError(
            f"Python tool {target!r}: write it as package.module:function, e.g. mytools:lookup."
        )
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ToolConfigError(
            f"Python tool {target!r}: cannot import {module_name!r} ({exc}). Check the name, "
            "and that the module is on the Python path (e.g. run from its folder)."
        ) from None
    function = getattr(module, attribute, None)
    if not callable(function):
        raise ToolConfigError(
            f"Python tool {target!r}: {module_name!r} has no function {attribute!r}."
        )
    return function  # type: ignore[no-any-return]


def load_tool_file(path: Path) -> list[ToolInput]:
    """Tool definitions from a JSON or YAML file (one object or a list)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ToolConfigError(f"Cannot read tool file {path}: {exc.strerror or exc}.") from None
    try:
        data: Any = json.loads(raw) if path.suffix.lower() == ".json" else yaml.safe_load(raw)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ToolConfigError(f"Tool file {path} cannot be parsed: {exc}.") from None
    items = data if isinstance(data, list) else [data]
    tools: list[ToolInput] = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            raise ToolConfigError(
                f"Tool file {path}, entry {n}: expected an object with type http or mcp."
            )
        source = f"Tool file {path}, entry {n}"
        if item.get("type", "http") == "mcp":
            from cadenza.tools.toolset import mcp_of_spec

            tools.append(mcp_of_spec(item, source))
        else:
            from cadenza.tools.http import HttpTool

            tools.append(HttpTool.from_spec(item, source=source))
    return tools
