from __future__ import annotations

import pytest

from cadenza.errors import UnknownModelError
from cadenza.providers.registry import provider_names, resolve
from cadenza.providers.scripted import ScriptedModel
from cadenza.settings import Settings


def test_builtins_register_through_entry_points() -> None:
    assert {"openai", "anthropic", "local", "scripted"} <= set(provider_names())


def test_resolve_scripted_model() -> None:
    model = resolve("scripted:echo", Settings())
    assert isinstance(model, ScriptedModel) and model.id == "scripted:echo"


@pytest.mark.parametrize("model_id", ["nope:x", "gpt-4", "local:"])
def test_unknown_ids_list_valid_ones(model_id: str) -> None:
    with pytest.raises(UnknownModelError, match=r"local:qwen2\.5-coder-1\.5b"):
        resolve(model_id, Settings())
