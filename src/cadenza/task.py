"""Task, Requirement and Budget: plain frozen data, checked when built.

Every field is checked by type on entry (`cadenza.fields`): a wrong type is refused
with a message naming the field, never coerced (``"is_mandatory": "false"`` reads as
false, ``"description": null`` is refused, ``{"calls": "3"}`` says to drop the quotes,
a NaN, infinite or empty budget is refused rather than meaning "no limit").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from cadenza.errors import BudgetError, EmptyTaskError, RequirementError
from cadenza.fields import read_bool, read_number, read_text, read_whole, utf8


@dataclass(frozen=True, slots=True)
class Task:
    """What to do: an instruction and optional context (documents, data...)."""

    instruction: str
    context: str = ""

    def __post_init__(self) -> None:
        read_text("The task", "instruction", self.instruction, allow_empty=True)
        read_text("The task", "context", self.context, allow_empty=True)
        if not self.instruction.strip():
            raise EmptyTaskError(
                "The task is empty: give an instruction, e.g. "
                'cadenza run "Write a haiku about the sea".'
            )

    def prompt(self) -> str:
        """The text sent to a model as the user's request."""
        if self.context.strip():
            return f"{self.context.strip()}\n\n{self.instruction.strip()}"
        return self.instruction


_REQUIREMENT_KEYS = ("name", "description", "is_mandatory", "weight")


@dataclass(frozen=True, slots=True)
class Requirement:
    """One explicit requirement, in the shape AI21's Maestro API takes
    (`name`, `description`, `is_mandatory`) plus an optional `weight`."""

    description: str
    name: str = ""
    is_mandatory: bool = True
    weight: float = 1.0

    def __post_init__(self) -> None:
        where = "A requirement"
        description: object = self.description  # typed str, but callers may pass anything
        if not isinstance(description, str):
            read_text(where, "description", description, error=RequirementError)
        utf8(where, "description", self.description, error=RequirementError)
        if not self.description.strip():
            raise RequirementError("A requirement has an empty description: write what it asks.")
        where = f"Requirement {_slug(self.description)!r}"
        read_text(where, "name", self.name, error=RequirementError, allow_empty=True)
        if not isinstance(self.is_mandatory, bool):
            raise RequirementError(
                f"{where}: field 'is_mandatory' must be true or false, got {self.is_mandatory!r}."
            )
        weight = read_number(where, "weight", self.weight, error=RequirementError)
        if weight <= 0:
            raise RequirementError(
                f"Requirement {self.label!r} has weight {self.weight}: weights must be > 0."
            )
        object.__setattr__(self, "weight", weight)

    @property
    def label(self) -> str:
        return self.name or _slug(self.description)

    @staticmethod
    def of(value: str | Requirement | Mapping[str, Any]) -> Requirement:
        """A requirement from a string, a Requirement, or a Maestro-style mapping.
        Mapping fields are read by type: `description` text, `name` text (or null),
        `is_mandatory` true/false (the strings "true"/"false" too), `weight` a
        positive number."""
        if isinstance(value, Requirement):
            return value
        if isinstance(value, str):
            return Requirement(description=value)
        if isinstance(value, Mapping):
            shown = _brief(value)
            unknown = set(value) - set(_REQUIREMENT_KEYS)
            if unknown:
                raise RequirementError(
                    f"Requirement {shown} has unknown keys {sorted(map(str, unknown))}; "
                    "allowed: name, description, is_mandatory, weight."
                )
            if "description" not in value:
                raise RequirementError(
                    f"Requirement {shown} has no 'description': say what it requires."
                )
            where = f"Requirement {shown}"
            description = value["description"]
            if description is None or not isinstance(description, str):
                read_text(where, "description", description, error=RequirementError)
            name = value.get("name")
            return Requirement(
                description=description,
                name=""
                if name is None
                else read_text(where, "name", name, error=RequirementError, allow_empty=True),
                is_mandatory=read_bool(
                    where, "is_mandatory", value.get("is_mandatory", True), error=RequirementError
                ),
                weight=read_number(
                    where, "weight", value.get("weight", 1.0), error=RequirementError
                ),
            )
        raise RequirementError(
            f"Cannot read a requirement from {value!r}: give a string or "
            "{name, description, is_mandatory} object."
        )


def _brief(value: Mapping[str, Any]) -> str:
    text = repr(dict(value))
    return text if len(text) <= 80 else text[:77] + "..."


def _slug(text: str, limit: int = 40) -> str:
    words = re.findall(r"[A-Za-z0-9]+", text.lower())
    slug = "-".join(words)
    return slug[:limit].rstrip("-") or "requirement"


BudgetPreset = Literal["low", "medium", "high"]
_PRESETS: tuple[BudgetPreset, ...] = ("low", "medium", "high")
_LIMITS = ("dollars", "tokens", "seconds", "calls")


@dataclass(frozen=True, slots=True)
class Budget:
    """Limits on what a solve may spend. `None` means no limit on that axis. Dollars
    and seconds are finite positive numbers, tokens and calls positive whole numbers."""

    dollars: float | None = None
    tokens: int | None = None
    seconds: float | None = None
    calls: int | None = None
    preset: BudgetPreset | None = None

    def __post_init__(self) -> None:
        for axis in _LIMITS:
            value = getattr(self, axis)
            if value is None:
                continue
            where = "The budget"
            if axis in ("tokens", "calls"):
                number: float = read_whole(where, axis, value, error=BudgetError)
            else:
                number = read_number(where, axis, value, error=BudgetError)
            if number <= 0:
                raise BudgetError(
                    f"Budget {axis} must be positive, got {value}. Give a limit above 0, "
                    "or leave the axis out for no limit on it."
                )
            object.__setattr__(self, axis, number)
        if self.preset is not None and self.preset not in _PRESETS:
            raise BudgetError(f"Unknown budget preset {self.preset!r}: use low, medium or high.")

    @property
    def limited(self) -> bool:
        """Whether any axis has a limit."""
        return any(getattr(self, axis) is not None for axis in _LIMITS)

    @staticmethod
    def of(value: str | Budget | Mapping[str, Any] | None) -> Budget:
        """`low | medium | high`, a Budget, or a mapping of explicit limits (at least
        one of dollars, tokens, seconds, calls)."""
        if value is None:
            return Budget.preset_of("medium")
        if isinstance(value, Budget):
            return value
        if isinstance(value, str):
            return Budget.preset_of(value)
        if isinstance(value, Mapping):
            unknown = set(value) - {*_LIMITS, "preset"}
            if unknown:
                raise BudgetError(
                    f"Unknown budget keys {sorted(map(str, unknown))}; allowed: dollars, "
                    "tokens, seconds, calls."
                )
            limits = {k: v for k, v in value.items() if k in _LIMITS and v is not None}
            if not limits:
                raise BudgetError(
                    f"The budget {dict(value)!r} sets no limit: give at least one of "
                    'dollars, tokens, seconds or calls (e.g. {"calls": 10}), or use '
                    "low, medium or high."
                )
            return Budget(**dict(value))
        raise BudgetError(f"Cannot read a budget from {value!r}: use low, medium or high.")

    @staticmethod
    def preset_of(name: str) -> Budget:
        presets: dict[str, Budget] = {
            "low": Budget(calls=4, tokens=4_000, preset="low"),
            "medium": Budget(calls=12, tokens=16_000, preset="medium"),
            "high": Budget(calls=40, tokens=64_000, preset="high"),
        }
        try:
            return presets[name.strip().lower()]
        except KeyError:
            raise BudgetError(
                f"Unknown budget {name!r}: use low, medium or high, or explicit limits "
                "(dollars, tokens, seconds, calls)."
            ) from None
