"""``--ray [ADDRESS]`` and ``--workers``, shared by the commands that can run on Ray
(`cadenza batch`, `cadenza bench ifeval`)."""

from __future__ import annotations

import re
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from cadenza.batching.run import RayTarget
from cadenza.errors import UserError

RayFlag = Annotated[
    bool,
    typer.Option(
        "--ray",
        help="Run on Ray: --ray joins or starts a local cluster, --ray ADDRESS uses that one.",
    ),
]
RayAddress = Annotated[str | None, typer.Option("--ray-address", hidden=True)]
RayWorkers = Annotated[
    int | None, typer.Option("--workers", help="Ray workers (default: one per CPU).", min=1)
]

_ADDRESS = re.compile(r"(ray://)?[\w.\-]+:\d+|auto|local")


class RayAddressCommand(TyperCommand):
    """Lets ``--ray`` stand alone (join or start a local cluster) or take an address
    (``--ray HOST:PORT``, ``--ray ray://HOST:10001``, ``--ray=auto``)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        rewritten: list[str] = []
        position = 0
        while position < len(args):
            arg = args[position]
            following = args[position + 1] if position + 1 < len(args) else ""
            if arg == "--ray" and _ADDRESS.fullmatch(following):
                rewritten += ["--ray-address", following]
                position += 2
                continue
            if arg.startswith("--ray="):
                arg = "--ray-address=" + arg.removeprefix("--ray=")
            rewritten.append(arg)
            position += 1
        result: list[str] = super().parse_args(ctx, rewritten)
        return result


def ray_target(ray: bool, address: str | None, workers: int | None) -> RayTarget | None:
    """What ``--ray [ADDRESS]`` and ``--workers`` ask for (None: run here)."""
    if address is None and not ray:
        if workers is not None:
            raise UserError("--workers counts Ray workers: give --ray with it.")
        return None
    return RayTarget(None if address in (None, "local") else address, workers)
