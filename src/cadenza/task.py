"""Task, Requirement and Budget: plain frozen data, checked when built."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from cadenza.errors import BudgetError, EmptyTaskError, RequirementError


@dataclass(frozen=True, slots=True)
class Task:
    """What to do: an instruction and optional context (documents, data...)."""

    instruction: str
    context: str = ""

    def __post_init__(self) -> None:
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


@dataclass(frozen=True, slots=True)
class Requirement:
    """One explicit requirement, in the shape AI21's Maestro API takes
    (`name`, `description`, `is_mandatory`) plus an optional `weight`."""

    description: str
    name: str = ""
    is_mandatory: bool = True
    weight: float = 1.0

    def __post_init__(self) -> None:
        if not self.description.strip():
            raise RequirementError("A requirement has an empty description: write what it asks.")
        if self.weight <= 0:
            raise RequirementError(
                f"Requirement {self.label!r} has weight {self.weight}: weights must be > 0."
            )

    @property
    def label(self) -> str:
        return self.name or _slug(self.description)

    @staticmethod
    def of(value: str | Requirement | Mapping[str, Any]) -> Requirement:
        """A requirement from a string, a Requirement, or a Maestro-style mapping."""
        if isinstance(value, Requirement):
            return value
        if isinstance(value, str):
            return Requirement(description=value)
        if isinstance(value, Mapping):
            unknown = set(value) - {"name", "description", "is_mandatory", "weight"}
            if unknown:
                raise RequirementError(
                    f"Requirement {dict(value)!r} has unknown keys {sorted(unknown)}; "
                    "allowed: name, description, is_mandatory, weight."
                )
            if "description" not in value:
                raise RequirementError(
                    f"Requirement {dict(value)!r} has no 'description': say what it requires."
                )
            return Requirement(
                description=str(value["description"]),
                name=str(value.get("name", "")),
                is_mandatory=bool(value.get("is_mandatory", True)),
                weight=float(value.get("weight", 1.0)),
            )
        raise RequirementError(
            f"Cannot read a requirement from {value!r}: give a string or "
            "{name, description, is_mandatory} object."
        )


def _slug(text: str, limit: int = 40) -> str:
    words = re.findall(r"[A-Za-z0-9]+", text.lower())
    slug = "-".join(words)
    return slug[:limit].rstrip("-") or "requirement"


BudgetPreset = Literal["low", "medium", "high"]


@dataclass(frozen=True, slots=True)
class Budget:
    """Limits on what a solve may spend. `None` means no limit on that axis."""

    dollars: float | None = None
    tokens: int | None = None
    seconds: float | None = None
    calls: int | None = None
    preset: BudgetPreset | None = None

    def __post_init__(self) -> None:
        for axis in ("dollars", "tokens", "seconds", "calls"):
            value = getattr(self, axis)
            if value is not None and value <= 0:
                raise BudgetError(f"Budget {axis} must be positive, got {value}.")

    @staticmethod
    def of(value: str | Budget | Mapping[str, Any] | None) -> Budget:
        """`low | medium | high`, a Budget, or a mapping of explicit limits."""
        if value is None:
            return Budget.preset_of("medium")
        if isinstance(value, Budget):
            return value
        if isinstance(value, str):
            return Budget.preset_of(value)
        if isinstance(value, Mapping):
            unknown = set(value) - {"dollars", "tokens", "seconds", "calls", "preset"}
            if unknown:
                raise BudgetError(
                    f"Unknown budget keys {sorted(unknown)}; allowed: dollars, tokens, "
                    "seconds, calls."
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
