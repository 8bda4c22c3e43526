"""Turning step results, summaries and completions into JSON, and back.

Anything may reach the store as a step's result, so `to_jsonable` accepts any value:
JSON scalars, lists, tuples, sets, mappings, dataclasses (with their class name under
``"type"``; one with a ``stored()`` method is kept as what that returns, so a tool
output of megabytes is kept as its capped text), enums, paths; anything else becomes
its ``repr``. Secrets never get
through: a `Settings` or `Secret` anywhere in a value is replaced by ``"<redacted>"``,
and a model object by its id.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import math
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from cadenza.providers.base import Completion, Model, Usage
from cadenza.settings import Secret, Settings

REDACTED = "<redacted>"
_MAX_DEPTH = 50


def to_jsonable(value: object, _depth: int = 0) -> Any:
    """A JSON-ready copy of `value` (see the module docstring)."""
    if _depth > _MAX_DEPTH:
        return repr(value)[:200]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (Settings, Secret)):
        return REDACTED
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value, _depth + 1)
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, Model):
        return {"type": "Model", "id": value.id}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        stored = getattr(value, "stored", None)
        if callable(stored):  # the value's own record of itself (e.g. a capped tool output)
            return to_jsonable(stored(), _depth + 1)
        fields = {
            f.name: to_jsonable(getattr(value, f.name), _depth + 1)
            for f in dataclasses.fields(value)
        }
        return {"type": type(value).__name__, **fields}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v, _depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [to_jsonable(v, _depth + 1) for v in items]
    return repr(value)


def dumps(value: object) -> str:
    return json.dumps(to_jsonable(value), ensure_ascii=False, separators=(",", ":"))


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def completion_to_json(completion: Completion) -> str:
    usage = completion.usage
    data: dict[str, Any] = {
        "text": completion.text,
        "finish_reason": completion.finish_reason,
        "model": completion.model,
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "cost_usd": usage.cost_usd,
        "latency_s": usage.latency_s,
    }
    if completion.choice_probs is not None:
        data["choice_probs"] = dict(completion.choice_probs)
    return json.dumps(data, ensure_ascii=False)


def completion_from_json(text: str) -> Completion:
    """The completion as first recorded (its original cost and latency)."""
    data = json.loads(text)
    probs = data.get("choice_probs")
    return Completion(
        text=str(data["text"]),
        finish_reason=data["finish_reason"],
        usage=Usage(
            input_tokens=int(data["input_tokens"]),
            output_tokens=int(data["output_tokens"]),
            cost_usd=float(data["cost_usd"]),
            latency_s=float(data["latency_s"]),
        ),
        model=str(data["model"]),
        choice_probs=(
            {str(k): float(v) for k, v in probs.items()} if isinstance(probs, dict) else None
        ),
    )
