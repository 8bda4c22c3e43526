"""Strategy options are checked by type on entry, naming the option."""

from __future__ import annotations

import pytest

from cadenza.api import solve
from cadenza.errors import UserError
from cadenza.options import check_options
from cadenza.providers.scripted import ScriptedModel


def test_good_options_are_normalised() -> None:
    checked = check_options({"max_tokens": 64.0, "speculate": "false", "temperature": 1})
    assert checked == {"max_tokens": 64, "speculate": False, "temperature": 1.0}
    assert check_options(None) == {}
    assert check_options({"max_width": None}) == {}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_tokens": -5}, "'max_tokens' must be at least 1, got -5"),
        ({"max_tokens": "64"}, "'max_tokens' must be a number, got a string"),
        ({"n": 2.5}, "'n' must be a whole number"),
        ({"temperature": float("nan")}, "'temperature' must be a finite number"),
        ({"temperature": 9}, "'temperature' must be at most 2"),
        ({"speculate": "sometimes"}, "'speculate' must be true or false"),
        ({"max_tokenz": 10}, "Unknown option 'max_tokenz'. Known options: compile_with_model"),
    ],
)
def test_bad_options_are_refused_naming_the_option(
    options: dict[str, object], message: str
) -> None:
    with pytest.raises(UserError, match=message):
        check_options(options)


@pytest.mark.anyio
async def test_solve_refuses_bad_input_before_any_call() -> None:
    model = ScriptedModel(["an answer"])
    with pytest.raises(UserError, match="max_tokens"):
        await solve("Write", ["be brief"], models=[model], options={"max_tokens": 0})
    with pytest.raises(UserError, match="wrap it in a list"):
        await solve("Write", "be brief", models=[model])  # type: ignore[arg-type]
    with pytest.raises(UserError, match="sets no limit"):
        await solve("Write", ["be brief"], models=[model], budget={})
    with pytest.raises(UserError, match="model ids"):
        await solve("Write", ["be brief"], models=[3])  # type: ignore[list-item]
    assert model.calls == 0
