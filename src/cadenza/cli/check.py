"""`cadenza check`: the verdict report for one answer against requirements.

Exit code 0 when every mandatory requirement passes, 1 when some fail, 2 for bad
input (unreadable file, contradictory requirements ...), 3 when the judge model failed
(unreachable, or it did not answer with a verdict), 130 on Ctrl-C."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cadenza.cli.app import app, user_errors
from cadenza.cli.interrupt import run_async
from cadenza.cli.render import print_json
from cadenza.errors import UserError
from cadenza.fields import utf8
from cadenza.providers.base import Model
from cadenza.providers.registry import resolve
from cadenza.requirements.compile import (
    compile_requirements,
    raise_on_conflicts,
)
from cadenza.requirements.compiler import ModelCompiler
from cadenza.requirements.extract import (
    PromptReading,
    quoted,
    read_prompt,
    read_prompt_with_model,
)
from cadenza.requirements.judge import unsure_pass
from cadenza.requirements.lang.codec import to_json
from cadenza.requirements.loading import load_requirements
from cadenza.requirements.validate import RequirementVerdict, all_mandatory_passed, validate
from cadenza.settings import Settings
from cadenza.task import Requirement

EXIT_FAILED = 1


def read_answer(value: str) -> str:
    """The answer text: literal, ``@path`` for a file, or ``-`` for stdin; UTF-8."""
    if value == "-":
        return _decoded(sys.stdin.buffer.read(), "the answer on stdin")
    if value.startswith("@"):
        path = Path(value[1:])
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise UserError(
                f"Cannot read the answer file {path}: {exc.strerror or exc}. Check the path."
            ) from None
        return _decoded(raw, f"the answer file {path}")
    utf8("The answer", "answer", value)
    return value


def _decoded(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(
            f"Cannot read {what}: it is not UTF-8 text (byte {exc.start} is "
            f"0x{raw[exc.start]:02x}). Convert it to UTF-8 (e.g. iconv -t UTF-8) and try again."
        ) from None


async def gather_requirements(
    requirements: list[str],
    requirements_file: Path | None,
    prompt: str | None,
    model: Model | None,
) -> PromptReading:
    """Compile the -r requirements and the file's; with none, read them from the
    prompt (what the rules set aside and no model was asked about is `unsorted`).
    Raises on contradictions before any model call."""
    given: list[Requirement] = [Requirement.of(r) for r in requirements]
    if requirements_file is not None:
        given.extend(load_requirements(requirements_file))
    compiler = ModelCompiler(model) if model is not None else None
    if given:
        return PromptReading(
            tuple(await compile_requirements(given, compiler=compiler, task=prompt))
        )
    if prompt is None:
        raise UserError(
            "No requirements: give -r REQUIREMENT (repeatable), --requirements-file FILE, "
            "or --prompt PROMPT to extract them from the prompt."
        )
    if model is not None:
        reading = await read_prompt_with_model(prompt, model=model, compiler=compiler)
    else:
        reading = read_prompt(prompt)
    raise_on_conflicts(list(reading.requirements))
    return reading


def verdict_json(v: RequirementVerdict) -> dict[str, Any]:
    c = v.compiled
    return {
        "requirement": c.requirement.description,
        "name": c.requirement.label,
        "mandatory": c.requirement.is_mandatory,
        "compiled": c.method,
        "why": c.why,
        "expression": to_json(c.expr) if c.expr is not None else None,
        "checks": c.checks,
        "rubric": c.rubric,
        "method": v.verdict.method,
        "score": round(v.verdict.score, 4),
        "passed": v.verdict.passed,
        "confident": not unsure_pass(v.verdict),
        "reason": v.verdict.reason,
        "fix_hint": v.verdict.fix_hint,
    }


@app.command("check")
def check_command(
    answer: Annotated[str, typer.Argument(help="The answer text, @FILE, or - for stdin.")],
    requirement: Annotated[
        list[str] | None,
        typer.Option("--requirement", "-r", help="A requirement (repeat for several)."),
    ] = None,
    prompt: Annotated[
        str | None, typer.Option("--prompt", "-p", help="The request the answer responds to.")
    ] = None,
    requirements_file: Annotated[
        Path | None, typer.Option("--requirements-file", "-f", help="Requirements (.json/.yaml).")
    ] = None,
    model: Annotated[
        str | None,
        typer.Option("--model", "-m", help="Model for the judge and the compile fallback."),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option("--timeout", help="Seconds one judge call may take (default 120)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Check ANSWER against each requirement: method, score, passed, reason, fix hint."""
    console = Console()
    with user_errors("the check was stopped; nothing was recorded."):
        text = read_answer(answer)
        chosen = resolve(model, Settings.load(timeout=timeout)) if model else None

        async def main() -> tuple[list[RequirementVerdict], tuple[str, ...]]:
            reading = await gather_requirements(
                requirement or [], requirements_file, prompt, chosen
            )
            compiled = list(reading.requirements)
            verdicts = await validate(text, compiled, prompt=prompt, judge_model=chosen)
            return verdicts, reading.unsorted

        verdicts, unsorted = run_async(
            main, interrupted="the check was stopped; nothing was recorded."
        )
        ok = all_mandatory_passed(verdicts)
        if as_json:
            payload = {
                "passed": ok,
                "requirements": [verdict_json(v) for v in verdicts],
                "not_checked": list(unsorted),
            }
            print_json(console, payload)
        else:
            _print_table(console, verdicts)
            if unsorted:
                parts = quoted(unsorted)
                console.print(
                    f"not checked: {parts} (no rule reads these parts of the prompt as "
                    "instructions, and no model was asked: give -m MODEL to have one asked)"
                )
    if not ok:
        raise typer.Exit(EXIT_FAILED)


def _print_table(console: Console, verdicts: list[RequirementVerdict]) -> None:
    table = Table(title="cadenza check")
    for column in ("requirement", "method", "score", "passed", "reason", "fix hint"):
        table.add_column(column, overflow="fold")
    for v in verdicts:
        mark = "yes" if v.passed else ("NO" if v.mandatory else "no (optional)")
        if unsure_pass(v.verdict):
            mark = "yes (unsure)"
        table.add_row(
            Text(v.requirement.description),
            Text(v.verdict.method),
            f"{v.verdict.score:.2f}",
            mark,
            Text(v.verdict.reason),
            Text(v.verdict.fix_hint),
        )
    console.print(table)
    if not verdicts:
        console.print("no checkable requirement found")
