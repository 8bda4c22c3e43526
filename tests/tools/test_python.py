from __future__ import annotations

import enum
import threading
from typing import Literal

import pytest

from cadenza.errors import ToolConfigError
from cadenza.tools.base import invoke
from cadenza.tools.python import PythonTool

pytestmark = pytest.mark.anyio


class Unit(enum.Enum):
    KM = "km"
    MI = "mi"


def lookup(country: str, field: Literal["population", "area"], year: int = 2024) -> float:
    """Look up a fact about a country.

    Args:
        country: The country's English name.
        field: Which fact.
        year: The year of the figure.
    """
    return 1.5


def distance(a: str, b: str, unit: Unit = Unit.KM, via: list[str] | None = None) -> str:
    """Distance between two cities.

    :param a: the first city
    :param b: the second city
    """
    return f"{a}-{b} {unit} {via}"


async def shout(text: str) -> str:
    """Upper-case the text."""
    return text.upper()


def test_schema_comes_from_signature_hints_and_docstring() -> None:
    tool = PythonTool(lookup)
    assert tool.name == "lookup" and tool.description == "Look up a fact about a country."
    props = tool.parameters["properties"]
    assert props["country"] == {"type": "string", "description": "The country's English name."}
    assert props["field"]["enum"] == ["population", "area"]
    assert props["year"]["type"] == "integer"
    assert tool.parameters["required"] == ["country", "field"]
    assert tool.parameters["additionalProperties"] is False


def test_sphinx_docstrings_enums_and_optional_lists() -> None:
    tool = PythonTool(distance, name="dist")
    props = tool.parameters["properties"]
    assert tool.name == "dist"
    assert props["a"]["description"] == "the first city"
    assert props["unit"] == {"enum": ["km", "mi"]}
    assert props["via"] == {
        "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]
    }


async def test_sync_functions_run_off_the_event_loop_and_async_ones_are_awaited() -> None:
    seen: list[str] = []

    def where(x: int) -> int:
        """Which thread ran me."""
        seen.append(threading.current_thread().name)
        return x * 2

    assert (await invoke(PythonTool(where), {"x": 4})).value == 8
    assert seen and seen[0] != threading.main_thread().name
    assert (await invoke(PythonTool(shout), {"text": "hi"})).text == "HI"


def test_unsupported_signatures_are_refused_with_the_reason() -> None:
    def star(*values: int) -> int:
        """Sum."""
        return sum(values)

    def odd(x: complex) -> complex:
        """Odd."""
        return x

    def undocumented(x: int) -> int:
        return x

    with pytest.raises(ToolConfigError, match="named arguments only"):
        PythonTool(star)
    with pytest.raises(ToolConfigError, match="has no JSON schema"):
        PythonTool(odd)
    with pytest.raises(ToolConfigError, match="no description"):
        PythonTool(undocumented)
    assert PythonTool(undocumented, description="identity").description == "identity"
