"""Python functions as tools: the schema comes from the signature, the type hints and
the docstring (Google ``Args:`` or Sphinx ``:param x:`` sections describe parameters).

Sync functions run in a worker thread so that a slow one does not block the event
loop; a timeout abandons the thread (Python cannot stop it) and the call fails.
"""

from __future__ import annotations

import enum
import functools
import inspect
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Literal, Union, get_args, get_origin

import anyio.to_thread

from cadenza.errors import ToolConfigError
from cadenza.tools.base import Defined, ToolLimits

_SCALARS: dict[type, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}


class PythonTool(Defined):
    """A tool backed by a Python function (sync or async)."""

    def __init__(
        self,
        fn: Callable[..., Any],
        *,
        name: str | None = None,
        description: str | None = None,
        limits: ToolLimits | None = None,
    ) -> None:
        summary, params = _docstring(inspect.getdoc(fn) or "")
        label = name or str(getattr(fn, "__name__", ""))
        super().__init__(label, description or summary, schema_of(fn, params), limits)
        self._fn = fn
        self._async = inspect.iscoroutinefunction(fn)

    async def call(self, arguments: Mapping[str, Any]) -> object:
        if self._async:
            return await self._fn(**arguments)
        call = functools.partial(self._fn, **arguments)
        return await anyio.to_thread.run_sync(call, abandon_on_cancel=True)

    def __repr__(self) -> str:
        return f"PythonTool({self._name!r})"


def schema_of(fn: Callable[..., Any], described: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The JSON schema of `fn`'s keyword arguments."""
    name = getattr(fn, "__name__", repr(fn))
    try:
        hints = typing.get_type_hints(fn)
    except Exception as exc:  # an annotation that does not resolve
        raise ToolConfigError(
            f"Tool {name!r}: its type hints cannot be read ({exc}). Import the types the "
            "annotations name, or remove the annotation."
        ) from None
    properties: dict[str, Any] = {}
    required: list[str] = []
    for param in inspect.signature(fn).parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD, param.POSITIONAL_ONLY):
            raise ToolConfigError(
                f"Tool {name!r}: parameter {param.name!r} is {param.kind.description}; a tool "
                "takes named arguments only. Give it an explicit keyword parameter."
            )
        prop = _type_schema(hints.get(param.name, Any), name, param.name)
        if described and described.get(param.name):
            prop = {**prop, "description": described[param.name]}
        if param.default is inspect.Parameter.empty:
            required.append(param.name)
        properties[param.name] = prop
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    return schema


def _type_schema(hint: Any, tool: str, param: str) -> dict[str, Any]:
    if hint is Any or hint is inspect.Parameter.empty:
        return {}
    if hint in _SCALARS:
        return {"type": _SCALARS[hint]}
    if hint is type(None):
        return {"type": "null"}
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return {"enum": [m.value for m in hint]}
    origin, args = get_origin(hint), get_args(hint)
    if origin is Literal:
        return {"enum": list(args)}
    if origin in (Union, types.UnionType):
        options = [_type_schema(a, tool, param) for a in args]
        return {"anyOf": options}
    if origin in (list, tuple, set, frozenset) or hint in (list, tuple, set, frozenset):
        item = args[0] if args else None
        schema: dict[str, Any] = {"type": "array"}
        if item is not None:
            schema["items"] = _type_schema(item, tool, param)
        return schema
    if origin in (dict, Mapping) or hint in (dict, Mapping):
        return {"type": "object"}
    raise ToolConfigError(
        f"Tool {tool!r}: parameter {param!r} has type {hint!r}, which has no JSON schema. "
        "Use str, int, float, bool, a Literal, an Enum, or lists and dicts of those."
    )


_SECTION = re.compile(r"^(Args|Arguments|Parameters|Params):\s*$")
_GOOGLE = re.compile(r"^\s+(\w+)\s*(?:\([^)]*\))?:\s*(.*)$")
_SPHINX = re.compile(r"^:param\s+(?:[^:]*\s)?(\w+):\s*(.*)$")


def _docstring(doc: str) -> tuple[str, dict[str, str]]:
    """The summary (first paragraph) and the parameter descriptions of a docstring."""
    lines = doc.splitlines()
    summary_lines: list[str] = []
    for line in lines:
        if not line.strip() or _SECTION.match(line.strip()) or line.startswith(":"):
            break
        summary_lines.append(line.strip())
    params: dict[str, str] = {}
    in_section = False
    last = ""
    for line in lines:
        if _SECTION.match(line.strip()):
            in_section = True
            continue
        sphinx = _SPHINX.match(line.strip())
        if sphinx:
            params[sphinx.group(1)] = sphinx.group(2).strip()
            continue
        if in_section:
            google = _GOOGLE.match(line)
            if google and len(line) - len(line.lstrip()) <= 4:
                last = google.group(1)
                params[last] = google.group(2).strip()
            elif line.strip() and last and line.startswith(" " * 6):
                params[last] = f"{params[last]} {line.strip()}"
            elif line.strip() and not line.startswith(" "):
                in_section = False  # the next section
    return " ".join(summary_lines), params
