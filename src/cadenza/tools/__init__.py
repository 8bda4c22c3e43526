"""Tools behind one protocol (a name, a description, a JSON schema of the arguments,
limits, an async call): Python functions, HTTP endpoints in AI21 Maestro's shape, and
the tools of MCP servers (through the official `mcp` SDK)."""

from cadenza.tools.base import Tool, ToolInfo, ToolLimits, ToolOutput, invoke
from cadenza.tools.http import HttpTool
from cadenza.tools.mcp import McpServer, McpTool
from cadenza.tools.python import PythonTool
from cadenza.tools.toolset import Toolbox, ToolInput, open_tools

__all__ = [
    "HttpTool",
    "McpServer",
    "McpTool",
    "PythonTool",
    "Tool",
    "ToolInfo",
    "ToolInput",
    "ToolLimits",
    "ToolOutput",
    "Toolbox",
    "invoke",
    "open_tools",
]
