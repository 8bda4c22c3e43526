"""`--ray [ADDRESS]` and `--workers`: the flag alone, or followed by an address, before
or after the positional argument."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

from cadenza.batching.run import RayTarget
from cadenza.cli import app
from cadenza.cli.ray_options import ray_target
from cadenza.errors import UserError


@pytest.mark.parametrize(
    ("args", "ray", "address"),
    [
        ([], False, None),
        (["--ray"], True, None),
        (["--ray", "10.0.0.5:6379"], False, "10.0.0.5:6379"),
        (["--ray", "ray://head:10001", "--workers", "3"], False, "ray://head:10001"),
        (["--ray=auto"], False, "auto"),
    ],
)
def test_ray_takes_an_optional_address(
    args: list[str], ray: bool, address: str | None, tmp_path: Path
) -> None:
    command = typer.main.get_command(app).commands["batch"]  # type: ignore[attr-defined]
    for order in ([str(tmp_path / "in.jsonl"), *args], [*args, str(tmp_path / "in.jsonl")]):
        context = command.make_context("batch", [*order, "--out", "o.jsonl"])
        assert context.params["input_path"] == tmp_path / "in.jsonl"
        assert (context.params["ray"], context.params["ray_address"]) == (ray, address)


def test_the_options_become_a_ray_target() -> None:
    assert ray_target(False, None, None) is None
    assert ray_target(True, None, 3) == RayTarget(None, 3)
    assert ray_target(False, "local", None) == RayTarget(None, None)
    assert ray_target(False, "head:6379", None) == RayTarget("head:6379", None)
    with pytest.raises(UserError, match="--workers counts Ray workers"):
        ray_target(False, None, 2)
