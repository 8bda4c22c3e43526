"""Find providers through the ``cadenza.providers`` entry-point group and turn model
ids (``provider:name``) into `Model` objects."""

from __future__ import annotations

import importlib
from functools import cache
from importlib.metadata import entry_points

from cadenza.errors import UnknownModelError
from cadenza.providers.base import Model, ModelInfo, ProviderFactory
from cadenza.settings import Settings

GROUP = "cadenza.providers"


@cache
def provider_names() -> tuple[str, ...]:
    """Every registered provider prefix, built-ins included."""
    return tuple(sorted({entry.name for entry in entry_points(group=GROUP)}))


@cache
def provider_factory(provider: str) -> ProviderFactory:
    """The factory registered for `provider`, imported only when first needed."""
    for entry in entry_points(group=GROUP, name=provider):
        factory: ProviderFactory = entry.load()
        return factory
    raise UnknownModelError(
        f"Unknown provider {provider!r}. Registered providers: {', '.join(provider_names())}. "
        f"Valid ids include: {', '.join(example_model_ids())}."
    )


def split_model_id(model_id: str) -> tuple[str, str]:
    provider, sep, name = model_id.partition(":")
    if not sep or not provider or not name:
        raise UnknownModelError(
            f"Model id {model_id!r} is not of the form provider:name. "
            f"Valid ids include: {', '.join(example_model_ids())}."
        )
    return provider, name


def resolve(model_id: str, settings: Settings) -> Model:
    """The `Model` for an id like ``local:smollm2-135m`` or ``openai:gpt-4.1-mini``."""
    provider, name = split_model_id(model_id)
    return provider_factory(provider)(name, settings)


def describe_all(settings: Settings) -> list[ModelInfo]:
    """What each provider can offer here (for ``cadenza models``). A provider module
    may define ``describe(settings) -> list[ModelInfo]``; others are listed bare."""
    infos: list[ModelInfo] = []
    for entry in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        module = importlib.import_module(entry.module)
        describe = getattr(module, "describe", None)
        if describe is None:
            infos.append(ModelInfo(id=f"{entry.name}:*", provider=entry.name, state="registered"))
        else:
            infos.extend(describe(settings))
    return infos


def example_model_ids() -> list[str]:
    return [
        "local:qwen2.5-coder-1.5b",
        "local:qwen2.5-coder-0.5b",
        "local:smollm2-135m",
        "openai:gpt-4.1-mini",
        "anthropic:claude-sonnet-4-5",
        "scripted:echo",
    ]
