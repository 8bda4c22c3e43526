"""What `POST /v1/runs` accepts, checked field by field into a `RunSpec`.

The body is Maestro-shaped: ``{input, requirements, budget, models, strategy, tools}``
(plus ``context`` and strategy ``options``). Types are strict (``"3"`` is not a
number, ``"false"`` not a boolean) and every refusal names the field at fault
(`InvalidFieldError`), so a client in any language can point at it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from cadenza.api import DEFAULT_MODEL, strategies
from cadenza.errors import InvalidFieldError, UserError
from cadenza.fields import utf8
from cadenza.options import check_options
from cadenza.providers.base import Model
from cadenza.task import Budget, Requirement, Task

MAX_REQUIREMENTS = 100
MAX_MODELS = 8
PRESETS = ("low", "medium", "high")


class RunRequest(BaseModel):
    """The JSON body of `POST /v1/runs`, as parsed (strict types, no unknown keys)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    input: str
    context: str = ""
    requirements: list[Any] | None = None
    budget: Any = "medium"
    models: list[str] | None = None
    strategy: str | None = None
    tools: list[Any] | None = None
    options: dict[str, Any] | None = None


class _Requirement(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)

    description: str
    name: str = ""
    is_mandatory: bool = True
    weight: float = 1.0


class _Budget(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)

    dollars: float | None = None
    tokens: int | None = None
    seconds: float | None = None
    calls: int | None = None


@dataclass(frozen=True, slots=True)
class RunSpec:
    """A checked request: what `cadenza.api.solve` is called with."""

    task: Task
    requirements: tuple[Requirement, ...] | None
    budget: Budget
    models: tuple[Model, ...]
    strategy: str | None
    options: dict[str, Any] = field(default_factory=dict)


Resolver = Callable[[str], Model]


def field_name(loc: Sequence[str | int], prefix: str = "") -> str:
    """``("requirements", 2, "description")`` -> ``requirements[2].description``."""
    name = prefix
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else part
    return name or "body"


def first_error(exc: ValidationError, prefix: str = "") -> InvalidFieldError:
    """The first error of a pydantic validation, as a field and a sentence."""
    error = exc.errors()[0]
    return invalid(field_name(error["loc"], prefix), str(error["msg"]))


def invalid(where: str, problem: str) -> InvalidFieldError:
    return InvalidFieldError(where, f"Field {where!r}: {problem}.")


def check(request: RunRequest, resolve: Resolver) -> RunSpec:
    """The `RunSpec` of `request`; raises `InvalidFieldError` naming the first field
    that cannot be used. `resolve` turns a model id into a `Model` (raising
    `UserError` for an id it cannot serve)."""
    _text("input", request.input)
    _text("context", request.context)
    if not request.input.strip():
        raise invalid("input", "the task is empty; give the instruction to carry out")
    check_tools(request.tools)
    task = Task(instruction=request.input, context=request.context)
    requirements = _requirements(request.requirements)
    budget = _budget(request.budget)
    strategy = _strategy(request.strategy)
    options = _options(request.options or {})
    return RunSpec(  # the fields' own checks first, then whether the models can run here
        task=task,
        requirements=requirements,
        budget=budget,
        models=_models(request.models, resolve),
        strategy=strategy,
        options=options,
    )


def _text(where: str, value: str) -> None:
    """Refuse text that is not Unicode (a lone surrogate such as JSON's ``"\\ud800"``)."""
    try:
        utf8("The request", where, value)
    except UserError as exc:
        raise InvalidFieldError(where, f"Field {where!r}: {exc}") from None


def _requirements(raw: list[Any] | None) -> tuple[Requirement, ...] | None:
    if raw is None:
        return None
    if len(raw) > MAX_REQUIREMENTS:
        raise invalid("requirements", f"{len(raw)} given; send at most {MAX_REQUIREMENTS}")
    checked: list[Requirement] = []
    for i, item in enumerate(raw):
        where = f"requirements[{i}]"
        if isinstance(item, str):
            try:
                checked.append(Requirement.of(item))
            except UserError as exc:
                raise InvalidFieldError(where, f"Field {where!r}: {exc}") from None
            continue
        if not isinstance(item, Mapping):
            raise invalid(where, "give a string or a {name, description, is_mandatory} object")
        try:
            _Requirement.model_validate(item)  # types, field by field
        except ValidationError as exc:
            raise first_error(exc, where) from None
        try:
            checked.append(Requirement.of(item))  # the rules `solve` applies
        except UserError as exc:
            raise InvalidFieldError(where, f"Field {where!r}: {exc}") from None
    return tuple(checked)


def _budget(raw: Any) -> Budget:
    if isinstance(raw, str):
        if raw not in PRESETS:
            raise invalid("budget", f"unknown preset {raw!r}; use low, medium or high")
        return Budget.preset_of(raw)
    if not isinstance(raw, Mapping):
        raise invalid("budget", "give low, medium, high or {dollars, tokens, seconds, calls}")
    try:
        parsed = _Budget.model_validate(raw)
    except ValidationError as exc:
        raise first_error(exc, "budget") from None
    limits = parsed.model_dump()
    if all(v is None for v in limits.values()):
        raise invalid(
            "budget", "no limit given; set at least one of dollars, tokens, seconds, calls"
        )
    for axis, value in limits.items():
        if value is not None and value <= 0:
            raise invalid(f"budget.{axis}", f"must be greater than 0, got {value}")
    try:
        return Budget.of({k: v for k, v in limits.items() if v is not None})
    except UserError as exc:
        raise InvalidFieldError("budget", f"Field 'budget': {exc}") from None


def _models(raw: list[str] | None, resolve: Resolver) -> tuple[Model, ...]:
    """The models asked for; without any, the default model, resolved now so that one
    not installed here is refused with how to install it, not started and lost."""
    if raw is None:
        try:
            return (resolve(DEFAULT_MODEL),)
        except UserError as exc:
            raise InvalidFieldError(
                "models",
                f"Field 'models': none given, and the default model {DEFAULT_MODEL} cannot "
                f"be used here: {exc} Or name an installed model in 'models'.",
            ) from None
    if not raw:
        raise invalid("models", "the list is empty; name at least one model or leave it out")
    if len(raw) > MAX_MODELS:
        raise invalid("models", f"{len(raw)} given; send at most {MAX_MODELS}")
    models: list[Model] = []
    for i, model_id in enumerate(raw):
        try:
            models.append(resolve(model_id))
        except UserError as exc:
            where = f"models[{i}]"
            raise InvalidFieldError(where, f"Field {where!r}: {exc}") from None
    return tuple(models)


def _strategy(raw: str | None) -> str | None:
    if raw is not None and raw not in strategies():
        raise invalid("strategy", f"unknown strategy {raw!r}; use one of {', '.join(strategies())}")
    return raw


def _options(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The strategy options, each checked by `solve`'s own rules."""
    checked: dict[str, Any] = {}
    for name, value in raw.items():
        try:
            checked.update(check_options({name: value}))
        except UserError as exc:
            where = f"options.{name}"
            raise InvalidFieldError(where, f"Field {where!r}: {exc}") from None
    return checked


def check_tools(raw: list[Any] | None) -> None:
    """Tools are accepted in the request's shape but this cadenza has none to run."""
    if raw:
        raise invalid(
            "tools",
            "this cadenza cannot call tools yet; send the run without tools (an empty list "
            "or none)",
        )
