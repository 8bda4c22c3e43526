"""A real MCP server for the tests, written with the official SDK's own server
(`MCPServer`). Run over stdio: ``python mcp_facts_server.py``; over streamable HTTP:
``python mcp_facts_server.py http PORT``."""

from __future__ import annotations

import sys

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

server = MCPServer("facts")
CAPITALS = {"France": "Paris", "Japan": "Tokyo", "Kenya": "Nairobi"}


@server.tool()
def capital(country: str) -> str:
    """The capital city of a country."""
    if country not in CAPITALS:
        raise ToolError(f"no capital known for {country}")
    return CAPITALS[country]


@server.tool()
def add(a: float, b: float) -> float:
    """Add two numbers."""
    return a + b


@server.tool()
def shout(text: str) -> str:
    """The text in capital letters."""
    return text.upper()


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "http":
        server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[2]))
    else:
        server.run("stdio")
