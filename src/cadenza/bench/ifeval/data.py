"""IFEval's data files: the prompts (`input_data.jsonl`) and response files in the
official input format (`{"prompt", "response"}` per line).

Every row is validated when read; a bad row is reported with its file, line number
and what is wrong, never skipped.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cadenza.bench.ifeval.official.registry import validate_kwargs
from cadenza.errors import UserError

INPUT_FILE = "input_data.jsonl"
DATA_ENV = "CADENZA_IFEVAL_DATA"


@dataclass(frozen=True, slots=True)
class IFEvalRow:
    """One benchmark prompt and the instructions it is scored on."""

    key: int
    prompt: str
    instruction_ids: tuple[str, ...]
    kwargs: tuple[Mapping[str, Any], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "prompt": self.prompt,
            "instruction_id_list": list(self.instruction_ids),
            "kwargs": [dict(k) for k in self.kwargs],
        }


class DataError(UserError):
    """A benchmark data file that cannot be used as given; the message names the row."""


def _bad(path: Path, line: int, what: str) -> DataError:
    return DataError(f"{path}, line {line}: {what}. Fix or remove that row; nothing was skipped.")


def parse_row(value: Any, *, path: Path, line: int) -> IFEvalRow:
    """One `input_data.jsonl` row, checked."""
    if not isinstance(value, dict):
        raise _bad(path, line, f"expected a JSON object, got {type(value).__name__}")
    missing = [k for k in ("key", "prompt", "instruction_id_list", "kwargs") if k not in value]
    if missing:
        raise _bad(path, line, f"missing {', '.join(missing)}")
    key, prompt, ids, kwargs = (
        value["key"],
        value["prompt"],
        value["instruction_id_list"],
        value["kwargs"],
    )
    if not isinstance(key, int) or isinstance(key, bool):
        raise _bad(path, line, f"'key' must be an integer, got {key!r}")
    if not isinstance(prompt, str) or not prompt.strip():
        raise _bad(path, line, "'prompt' must be a non-empty string")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise _bad(path, line, "'instruction_id_list' must be a non-empty list of strings")
    if not isinstance(kwargs, list) or not all(isinstance(k, dict) for k in kwargs):
        raise _bad(path, line, "'kwargs' must be a list of objects")
    if len(kwargs) != len(ids):
        raise _bad(
            path,
            line,
            f"'kwargs' has {len(kwargs)} entries for {len(ids)} instructions (one each needed)",
        )
    checked: list[Mapping[str, Any]] = []
    for instruction_id, args in zip(ids, kwargs, strict=True):
        try:
            checked.append(validate_kwargs(instruction_id, args))
        except ValueError as exc:
            raise _bad(path, line, str(exc)) from None
    return IFEvalRow(key=key, prompt=prompt, instruction_ids=tuple(ids), kwargs=tuple(checked))


def _json_lines(path: Path) -> list[tuple[int, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"{path} does not exist: give the IFEval data folder or file.") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path} is not UTF-8 text ({exc.reason}).") from None
    out: list[tuple[int, Any]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            out.append((number, json.loads(raw)))
        except json.JSONDecodeError as exc:
            raise _bad(path, number, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    return out


def load_rows(path: Path | str) -> list[IFEvalRow]:
    """The rows of an IFEval input file (or of `input_data.jsonl` in a folder)."""
    source = Path(path)
    if source.is_dir():
        source = source / INPUT_FILE
    rows: list[IFEvalRow] = []
    seen: dict[str, int] = {}
    for line, value in _json_lines(source):
        row = parse_row(value, path=source, line=line)
        if row.prompt in seen:
            raise _bad(source, line, f"the same prompt already appears on line {seen[row.prompt]}")
        seen[row.prompt] = line
        rows.append(row)
    if not rows:
        raise DataError(f"{source} has no rows.")
    return rows


def load_responses(path: Path | str) -> dict[str, str]:
    """A response file in IFEval's input format: prompt -> response. A prompt given
    twice keeps its last response, as the official reader does."""
    source = Path(path)
    responses: dict[str, str] = {}
    for line, value in _json_lines(source):
        if not isinstance(value, dict):
            raise _bad(source, line, f"expected a JSON object, got {type(value).__name__}")
        prompt, response = value.get("prompt"), value.get("response")
        if not isinstance(prompt, str):
            raise _bad(source, line, "'prompt' is missing or not a string")
        if not isinstance(response, str):
            raise _bad(source, line, "'response' is missing or not a string")
        responses[prompt] = response
    return responses


def default_data_dir(env: Mapping[str, str] | None = None) -> Path | None:
    """Where the IFEval data lives when --data is not given: `$CADENZA_IFEVAL_DATA`,
    else `shared/benchmarks/ifeval` beside the working folder or the checkout."""
    environ = os.environ if env is None else env
    if environ.get(DATA_ENV):
        return Path(environ[DATA_ENV])
    checkout = Path(__file__).resolve().parents[4]
    for base in (Path.cwd(), Path.cwd().parent, checkout, checkout.parent):
        candidate = base / "shared" / "benchmarks" / "ifeval"
        if (candidate / INPUT_FILE).is_file():
            return candidate
    return None


def select_rows(
    rows: Sequence[IFEvalRow],
    *,
    sample: int | None = None,
    seed: int = 0,
    limit: int | None = None,
) -> list[IFEvalRow]:
    """A seeded random sample of `sample` rows (kept in file order), or the first
    `limit` rows, or all of them."""
    if sample is not None and limit is not None:
        raise UserError("Give either --sample N (with --seed) or --limit N, not both.")
    if sample is not None:
        if sample <= 0:
            raise UserError(f"--sample must be positive, got {sample}.")
        chosen = set(random.Random(seed).sample(range(len(rows)), min(sample, len(rows))))
        return [row for index, row in enumerate(rows) if index in chosen]
    if limit is not None:
        if limit <= 0:
            raise UserError(f"--limit must be positive, got {limit}.")
        return list(rows[:limit])
    return list(rows)
