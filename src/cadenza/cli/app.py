"""The typer applications every CLI module registers its commands on, and the one
place where cadenza's errors become a readable message and a non-zero exit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape

from cadenza.errors import CadenzaError, ProviderError, UserError

app = typer.Typer(
    name="cadenza",
    help="Make LLMs follow instructions: plan, sample, validate, fix and reduce.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
bench_app = typer.Typer(
    help="Benchmarks on real data with official scoring.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(bench_app, name="bench")

EXIT_USER_ERROR = 2
EXIT_PROVIDER_ERROR = 3

err_console = Console(stderr=True, soft_wrap=True)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn cadenza's own errors into one readable paragraph on stderr and a non-zero
    exit, without a traceback. Bugs (any other exception) still raise."""
    try:
        yield
    except UserError as exc:
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, highlight=False)
        raise typer.Exit(EXIT_USER_ERROR) from None
    except ProviderError as exc:
        message = f"[bold red]error from {exc.provider}:[/] {escape(str(exc))}"
        err_console.print(message, markup=True, highlight=False)
        raise typer.Exit(EXIT_PROVIDER_ERROR) from None
    except CadenzaError as exc:
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, highlight=False)
        raise typer.Exit(EXIT_USER_ERROR) from None


from cadenza.cli import batch as _batch  # noqa: E402, F401  (registers `cadenza batch`)
