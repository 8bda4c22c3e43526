"""Requirements from Python values, JSON or YAML files.

Accepted shapes: a list whose items are strings or ``{name, description,
is_mandatory, weight}`` objects (the shape AI21's Maestro API takes), or an object
``{"requirements": [...]}``. Errors name the file, the line (and column) and what to
fix: JSON syntax errors use the decoder's position, YAML ones PyYAML's marks, and a
bad item the line where that item starts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from cadenza.errors import RequirementError
from cadenza.task import Requirement


def requirements_from_value(
    value: Any, *, source: str = "requirements", lines: Sequence[int | None] | None = None
) -> list[Requirement]:
    """Requirements from an already-parsed value. `lines` gives the line of each item
    (for messages), when known."""
    items = value.get("requirements") if isinstance(value, Mapping) else value
    if isinstance(value, Mapping) and set(value) - {"requirements"}:
        raise RequirementError(
            f"{source}: unknown top-level keys {sorted(set(value) - {'requirements'})}; "
            "give a list of requirements, or an object with only 'requirements'."
        )
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
        raise RequirementError(
            f"{source}: expected a list of requirements (strings or {{name, description, "
            f"is_mandatory}} objects), got {type(items).__name__}."
        )
    out: list[Requirement] = []
    for index, item in enumerate(items):
        line = lines[index] if lines is not None and index < len(lines) else None
        where = f"{source}: item {index + 1}" + (f" (line {line})" if line else "")
        try:
            out.append(Requirement.of(item))
        except RequirementError as exc:
            raise RequirementError(f"{where}: {exc}") from None
        except (TypeError, ValueError) as exc:
            raise RequirementError(f"{where}: {exc}; check the value types.") from None
    return out


def parse_requirements(text: str, *, fmt: str, source: str = "requirements") -> list[Requirement]:
    """Requirements from JSON (`fmt` ``"json"``) or YAML (``"yaml"``) text."""
    if fmt == "json":
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RequirementError(
                f"{source}: line {exc.lineno}, column {exc.colno}: invalid JSON ({exc.msg}). "
                "Fix the syntax there (quotes, commas, brackets)."
            ) from None
        return requirements_from_value(value, source=source, lines=_json_item_lines(text, value))
    if fmt == "yaml":
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            value = yaml.safe_load(text)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            problem = exc.problem or exc.context or "syntax error"
            raise RequirementError(
                f"{source}: {where}invalid YAML ({problem}). Fix the syntax there "
                "(indentation, '- ' before each item, quotes around text with ':')."
            ) from None
        except yaml.YAMLError as exc:
            raise RequirementError(f"{source}: invalid YAML ({exc}).") from None
        return requirements_from_value(value, source=source, lines=_yaml_item_lines(node))
    raise RequirementError(f"{source}: unknown format {fmt!r}; use json or yaml.")


def load_requirements(path: str | Path) -> list[Requirement]:
    """Requirements from a ``.json``, ``.yaml`` or ``.yml`` file."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in (".json", ".yaml", ".yml"):
        raise RequirementError(
            f"{file}: unknown requirements file type {suffix or '(none)'!r}; "
            "use .json, .yaml or .yml."
        )
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RequirementError(f"{file}: no such requirements file.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RequirementError(f"{file}: cannot read it ({exc}).") from None
    return parse_requirements(text, fmt="json" if suffix == ".json" else "yaml", source=str(file))


def _yaml_item_lines(node: yaml.Node | None) -> list[int | None] | None:
    if isinstance(node, yaml.MappingNode):
        for key, val in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "requirements":
                node = val
                break
    if isinstance(node, yaml.SequenceNode):
        return [item.start_mark.line + 1 for item in node.value]
    return None


def _json_item_lines(text: str, value: Any) -> list[int | None] | None:
    """The line each top-level item starts on (a light scan; None where unknown)."""
    items = value.get("requirements") if isinstance(value, Mapping) else value
    if not isinstance(items, list):
        return None
    decoder = json.JSONDecoder()
    start = text.find("[", text.find('"requirements"') if isinstance(value, Mapping) else 0)
    pos = start + 1
    lines: list[int | None] = []
    for _ in items:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        lines.append(text.count("\n", 0, pos) + 1)
        try:
            _, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            return None
    return lines
