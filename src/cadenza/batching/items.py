"""The tasks of a batch: one input line (or one Python mapping) each, checked when read.

A line is a JSON object with the fields of a run::

    {"id": "sku-1", "input": "Describe the lamp.", "requirements": ["under 50 words"],
     "budget": "low", "models": ["openai:gpt-4.1-mini"], "strategy": "tree",
     "options": {"max_tokens": 300}}

Only ``input`` is required (a string, or ``{"instruction", "context"}``); every other
field falls back to the batch's `Defaults` (the command line's ``-r``, ``-m``,
``--budget``, ``--strategy``). A present ``requirements`` replaces the defaults; ``null``
asks for them to be read from the task text. Without an ``id`` the line number is the
id. A line that cannot be used becomes a `LineError` (its number and what is wrong) and
is skipped; the rest of the batch runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cadenza.errors import UserError
from cadenza.task import Budget, Requirement, Task

FIELDS = ("id", "input", "requirements", "budget", "models", "strategy", "options", "tools")

ItemId = str | int


@dataclass(frozen=True, slots=True)
class Defaults:
    """What a line does not say. `models` are model ids, the first the default model."""

    models: tuple[str, ...]
    strategy: str
    requirements: tuple[Requirement, ...] | None = None
    budget: Budget = field(default_factory=lambda: Budget.of("medium"))
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One task of a batch, checked: everything `solve` needs, with its id and line."""

    id: ItemId
    task: Task
    requirements: tuple[Requirement, ...] | None
    budget: Budget
    models: tuple[str, ...]
    strategy: str
    options: Mapping[str, Any]
    line: int

    @property
    def key(self) -> str:
        """The id as a string that tells ``1`` from ``"1"`` (how OUT is matched)."""
        return key_of(self.id)


@dataclass(frozen=True, slots=True)
class LineError:
    """A line that cannot be run: its number (1-based) and what is wrong with it."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def key_of(item_id: ItemId) -> str:
    return json.dumps(item_id)


CheckModel = Callable[[str], None]
"""Raises `UserError` when a model id cannot be used (unknown provider, no key ...)."""


def read_lines(path: Path) -> list[tuple[int, Any]]:
    """The JSON value of every non-blank line of `path` with its number; a line that is
    not UTF-8 text or not JSON is kept as a `LineError` to report."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"Input file {path} does not exist: give a JSONL file.") from None
    except OSError as exc:
        raise UserError(f"Cannot read input file {path}: {exc}.") from None
    entries: list[tuple[int, Any]] = []
    for number, line in enumerate(data.splitlines(), start=1):
        try:
            raw = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            problem = (
                f"{path} is not UTF-8 text on this line (byte 0x{line[exc.start]:02x} at "
                f"byte {exc.start} of the line): save the file as UTF-8."
            )
            entries.append((number, LineError(number, problem)))
            continue
        if not raw.strip():
            continue
        try:
            entries.append((number, json.loads(raw)))
        except json.JSONDecodeError as exc:
            entries.append((number, LineError(number, f"not valid JSON ({exc.msg}).")))
    return entries


def parse_items(
    entries: Iterable[tuple[int, Any]],
    defaults: Defaults,
    strategies: Iterable[str],
    check_model: CheckModel,
) -> tuple[list[BatchItem], list[LineError]]:
    """Check every entry; return the usable items and the errors, both in line order.
    A repeated id is an error on the later line."""
    known = tuple(strategies)
    checked: dict[str, None] = {}
    items: list[BatchItem] = []
    errors: list[LineError] = []
    first_line: dict[str, int] = {}

    def usable(model_id: str) -> None:
        if model_id not in checked:
            check_model(model_id)
            checked[model_id] = None

    for number, value in entries:
        if isinstance(value, LineError):
            errors.append(value)
            continue
        try:
            item = item_of(value, number, defaults, known, usable)
        except UserError as exc:
            errors.append(LineError(number, str(exc)))
            continue
        if item.key in first_line:
            errors.append(
                LineError(
                    number,
                    f"id {item.key} is already used on line {first_line[item.key]}: "
                    "give every line its own id.",
                )
            )
            continue
        first_line[item.key] = number
        items.append(item)
    return items, errors


def item_of(
    value: Any,
    number: int,
    defaults: Defaults,
    strategies: tuple[str, ...],
    check_model: CheckModel,
) -> BatchItem:
    """One entry as a `BatchItem`; raises `UserError` saying what is wrong."""
    if not isinstance(value, Mapping):
        raise UserError(f"expected a JSON object with an 'input', got {type(value).__name__}.")
    unknown = sorted(set(value) - set(FIELDS))
    if unknown:
        raise UserError(f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(FIELDS)}.")
    if value.get("tools"):
        raise UserError(
            "'tools' are not supported by this version of cadenza's solve; remove them."
        )
    item_id = value.get("id", number)
    if isinstance(item_id, bool) or not isinstance(item_id, str | int):
        raise UserError(f"'id' must be a string or an integer, got {item_id!r}.")
    if "input" not in value:
        raise UserError("no 'input': give the task text.")
    requirements = defaults.requirements
    if "requirements" in value:
        requirements = _requirements(value["requirements"])
    models = defaults.models
    if value.get("models") is not None:
        models = _models(value["models"])
    for model_id in models:
        check_model(model_id)
    strategy = value.get("strategy") or defaults.strategy
    if strategy not in strategies:
        raise UserError(f"unknown strategy {strategy!r}: choose one of {', '.join(strategies)}.")
    options = dict(defaults.options)
    if value.get("options") is not None:
        if not isinstance(value["options"], Mapping):
            raise UserError("'options' must be an object, e.g. {\"max_tokens\": 300}.")
        options.update(value["options"])
    budget = defaults.budget if value.get("budget") is None else Budget.of(value["budget"])
    return BatchItem(
        id=item_id,
        task=_task(value["input"]),
        requirements=requirements,
        budget=budget,
        models=models,
        strategy=strategy,
        options=options,
        line=number,
    )


def _task(value: Any) -> Task:
    if isinstance(value, str):
        return Task(instruction=value)
    if isinstance(value, Mapping) and set(value) <= {"instruction", "context"}:
        instruction, context = value.get("instruction", ""), value.get("context", "")
        if isinstance(instruction, str) and isinstance(context, str):
            return Task(instruction=instruction, context=context)
    raise UserError('\'input\' must be a string or {"instruction": ..., "context": ...}.')


def _requirements(value: Any) -> tuple[Requirement, ...] | None:
    if value is None:
        return None
    if isinstance(value, str | Mapping):
        value = [value]
    if not isinstance(value, list):
        raise UserError("'requirements' must be a list of strings or objects, or null.")
    return tuple(Requirement.of(r) for r in value)


def _models(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(m, str) for m in value):
        raise UserError("'models' must be a model id or a non-empty list of model ids.")
    return tuple(value)
