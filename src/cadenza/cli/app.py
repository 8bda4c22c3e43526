"""The typer applications every CLI module registers its commands on, and the one
place where errors become a readable paragraph and an exit code that tells the truth.

Exit codes, on every command:

- 0: it did what was asked (`run`: an answer was produced; `check`: every mandatory
  requirement passes);
- 1: `check` only: the answer fails a mandatory requirement; or a bug in cadenza (the
  paragraph says so; ``CADENZA_DEBUG=1`` shows the traceback);
- 2: bad input: unknown model, bad requirement or budget, contradictory requirements,
  a budget too small for one call, a missing key, a store that cannot be used ...;
- 3: a provider failed (unreachable, rejected key, server error, timeout, a judge
  that did not answer with a verdict);
- 130: interrupted (Ctrl-C): one line says so, and the process is gone within a second.

Messages are printed as plain text (never read as Rich markup) and scrubbed of secrets.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.text import Text

from cadenza.errors import CadenzaError, MissingKeyError, ProviderError, UserError
from cadenza.redact import redact

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

EXIT_OK = 0
EXIT_BUG = 1
EXIT_USER_ERROR = 2
EXIT_PROVIDER_ERROR = 3
EXIT_INTERRUPTED = 130

err_console = Console(stderr=True, soft_wrap=True, highlight=False)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C was handled: its one line is already printed."""


def say(label: str, message: str, *, style: str = "bold red") -> None:
    """One paragraph on stderr: a styled label, then the message as plain text."""
    line = Text(f"{label} ", style=style)
    line.append(redact(" ".join(message.split())))
    err_console.print(line)


def fail(message: str, code: int = EXIT_USER_ERROR) -> typer.Exit:
    """Print `message` as an error paragraph and return the exit to raise."""
    say("error:", message)
    return typer.Exit(code)


def _leaves(group: BaseExceptionGroup[BaseException]) -> list[BaseException]:
    out: list[BaseException] = []
    for error in group.exceptions:
        out.extend(_leaves(error) if isinstance(error, BaseExceptionGroup) else [error])
    return out


def _cadenza_error(error: BaseException) -> BaseException:
    """The error to report: for a group (errors from concurrent calls), its most
    telling member, an interrupt or cadenza error before anything else."""
    if not isinstance(error, BaseExceptionGroup):
        return error
    leaves = _leaves(error)
    for wanted in (KeyboardInterrupt, UserError, ProviderError, CadenzaError):
        for leaf in leaves:
            if isinstance(leaf, wanted):
                return leaf
    return leaves[0] if leaves else error


@contextmanager
def user_errors(interrupted: str = "interrupted.") -> Iterator[None]:
    """Turn every error into one readable paragraph on stderr and the exit code that
    says what happened (see the module docstring), never a traceback. `interrupted`
    is the line printed on Ctrl-C."""
    try:
        yield
    except typer.Exit:
        raise
    except (Exception, KeyboardInterrupt) as raised:
        error = _cadenza_error(raised)
        if isinstance(error, Interrupted):
            raise typer.Exit(EXIT_INTERRUPTED) from None
        if isinstance(error, KeyboardInterrupt):
            say("interrupted:", interrupted, style="bold yellow")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        if isinstance(error, ProviderError) and not isinstance(error, MissingKeyError):
            say(f"error from {error.provider}:", str(error))  # incl. rejected keys, dead servers
            raise typer.Exit(EXIT_PROVIDER_ERROR) from None
        if isinstance(error, CadenzaError):
            say("error:", str(error))
            raise typer.Exit(EXIT_USER_ERROR) from None
        if os.environ.get("CADENZA_DEBUG"):
            raise
        say(
            "internal error:",
            f"{type(error).__name__}: {error}. This is a bug in cadenza, not in what you "
            "gave it: please report it with the command you ran (CADENZA_DEBUG=1 shows "
            "the traceback).",
        )
        raise typer.Exit(EXIT_BUG) from None
