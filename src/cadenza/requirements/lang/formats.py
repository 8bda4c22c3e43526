"""Structured formats: the text is JSON, YAML or CSV, or holds a markdown table of a
given shape. Each check returns a `Fact`: whether it holds, how near it is, what was
found and how to fix it."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from cadenza.requirements.lang import units as un
from cadenza.requirements.lang.describe import is_singular, relation
from cadenza.requirements.lang.nodes import Bound, ColumnType, Format

_FENCE_OPEN = re.compile(r"\A\s*(?:```|~~~)[ \t]*([\w+-]*)[ \t]*\n")
_FENCE_CLOSE = re.compile(r"\n[ \t]*(?:```|~~~)\s*\Z")
_MAX_STARTS = 64  # bound the search for JSON inside prose


@dataclass(frozen=True, slots=True)
class Fact:
    """What a predicate found. `score` grades how near a failing text is (ignored when
    it holds); `hint` says how to make it hold (empty when it holds)."""

    holds: bool
    score: float
    found: str
    hint: str = ""


def unfenced(text: str) -> str:
    """The text without surrounding whitespace and one surrounding code fence."""
    body = text.strip()
    opened = _FENCE_OPEN.match(body + "\n")
    if opened and _FENCE_CLOSE.search(body):
        body = _FENCE_CLOSE.sub("", body[opened.end() :] if opened.end() <= len(body) else "")
    elif body.startswith("```"):
        body = body.removeprefix("```json").removeprefix("```").removesuffix("```")
    return body.strip()


def find_embedded_json(text: str) -> tuple[int, int] | None:
    """The span of the longest JSON object or array inside `text`, if any."""
    decoder = json.JSONDecoder()
    best: tuple[int, int] | None = None
    starts = [i for i, ch in enumerate(text) if ch in "{["][:_MAX_STARTS]
    for start in starts:
        try:
            _, end = decoder.raw_decode(text, start)
        except ValueError:
            continue
        if best is None or end - start > best[1] - best[0]:
            best = (start, end)
    return best


def check_format(fmt: Format, text: str) -> Fact:
    match fmt.kind:
        case "json":
            return _json(fmt, text)
        case "yaml":
            return _yaml(fmt, text)
        case "csv":
            return _csv(fmt, text)
        case "markdown_table":
            return _markdown_table(fmt, text)


def _json(fmt: Format, text: str) -> Fact:
    body = unfenced(text)
    try:
        value = json.loads(body)
    except ValueError as exc:
        span = find_embedded_json(text)
        if span is not None:
            return Fact(
                False,
                0.5,
                "valid JSON is there, but other text surrounds it",
                "give only the JSON value, with no text before or after it",
            )
        return Fact(False, 0.0, f"not valid JSON ({_short(exc)})", "write valid JSON only")
    return _against_schema(fmt, value, "valid JSON")


def _yaml(fmt: Format, text: str) -> Fact:
    import yaml

    body = unfenced(text)
    if body.startswith(("{", "[")):
        return Fact(
            False,
            0.2,
            "JSON-style braces and brackets, not YAML",
            "write block-style YAML: 'key: value' lines and '- ' list items",
        )
    try:
        value = yaml.safe_load(body)
    except yaml.YAMLError as exc:
        return Fact(False, 0.0, f"not valid YAML ({_short(exc)})", "write valid YAML only")
    if not isinstance(value, (dict, list)):
        return Fact(
            False,
            0.1,
            "YAML that is a single value, not a mapping or a list",
            "write YAML with keys and values",
        )
    return _against_schema(fmt, value, "valid YAML")


def _against_schema(fmt: Format, value: Any, what: str) -> Fact:
    if fmt.schema is None:
        return Fact(True, 1.0, what)
    import jsonschema

    schema = json.loads(fmt.schema)
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
    if not errors:
        return Fact(True, 1.0, f"{what} matching the schema")
    first = errors[0]
    where = "/".join(str(p) for p in first.absolute_path) or "the top level"
    return Fact(
        False,
        max(0.1, 0.9 - 0.15 * (len(errors) - 1)),
        f"{what}, but {len(errors)} schema error(s); at {where}: {first.message}",
        f"fix the value at {where}: {first.message}",
    )


# --------------------------------------------------------------------------- tables


def _csv(fmt: Format, text: str) -> Fact:
    body = unfenced(text)
    rows = [r for r in csv.reader(io.StringIO(body)) if any(c.strip() for c in r)]
    if not rows:
        return Fact(False, 0.0, "no CSV rows", "write comma-separated rows")
    widths = [len(r) for r in rows]
    if len(rows) > 1 and max(widths) == 1:
        return Fact(False, 0.1, "one value per line, no commas", "separate the values with commas")
    return _table(fmt, [tuple(c.strip() for c in r) for r in rows], "CSV")


def _markdown_table(fmt: Format, text: str) -> Fact:
    found = un.tables(text)
    if not found:
        return Fact(
            False,
            0.0,
            "no markdown table",
            "add a markdown table: a header row, a |---| rule row, then one row per item",
        )
    facts = [_table(fmt, [t.header, *t.cells], "a markdown table", markdown=True) for t in found]
    best = max(facts, key=lambda f: (f.holds, f.score))
    return best


def _table(fmt: Format, rows: list[tuple[str, ...]], what: str, *, markdown: bool = False) -> Fact:
    """The shape of a table whose first row may be a header. A markdown table always
    has a header line: it counts as no header when its cells are all blank."""
    problems: list[str] = []
    hints: list[str] = []
    width = fmt.columns if isinstance(fmt.columns, int) else None
    names = fmt.columns if isinstance(fmt.columns, tuple) else None
    if names is not None:
        width = len(names)
    first = rows[0]
    if markdown:
        has_header = any(c.strip() for c in first)
    else:
        guessed = _looks_like_header(first, rows[1:])
        has_header = (names is not None and _same_cells(first, names)) or (
            names is None and (guessed is True or (guessed is None and fmt.header is True))
        )
    data = rows[1:] if has_header or markdown else rows
    if width is None:
        width = len(first)
    bad = [i + 1 for i, r in enumerate(rows) if len(r) != width]
    if bad:
        shown = ", ".join(map(str, bad[:5]))
        problems.append(f"rows {shown} do not have {width} columns")
        hints.append(
            f"give every row exactly {width} cells, separated by '|'"
            if markdown
            else f"give every row exactly {width} values (quote values containing commas)"
        )
    unwanted = ("its header row is not empty", "leave the header row's cells empty")
    if not markdown:
        unwanted = ("it starts with a header row", "drop the header row")
    if names is not None and fmt.header is not False:
        if not _same_cells(first, names):
            problems.append(f"the header is {', '.join(first)}, not {', '.join(names)}")
            hints.append(f"make the header row exactly: {', '.join(names)}")
    elif fmt.header is False:
        if has_header and (markdown or names is None or _same_cells(first, names)):
            problems.append(unwanted[0])
            hints.append(unwanted[1])
    elif fmt.header is True and not has_header:
        problems.append("no header row" if not markdown else "the header row is empty")
        hints.append("start with a header row naming each column")
    if fmt.rows is not None and not fmt.rows.holds(len(data)):
        problems.append(f"{_rows(len(data))}; needs {relation(fmt.rows)}")
        hints.append(f"give {relation(fmt.rows)} data row{'' if is_singular(fmt.rows) else 's'}")
    header = first if has_header else names
    for column, kind in fmt.types:
        problem = _typed(column, kind, header, data)
        if problem:
            problems.append(problem)
            hints.append(f"write every {column} as {_kind_name(kind)}")
    if problems:
        score = max(0.1, 1.0 - 0.3 * len(problems))
        return Fact(False, score, f"{what}, but " + "; ".join(problems), "; ".join(hints))
    columns = f"{width} column{'' if width == 1 else 's'}"
    return Fact(True, 1.0, f"{what} with {columns} and {_rows(len(data))}")


def _rows(n: int) -> str:
    return f"{n} data row{'' if n == 1 else 's'}"


def _typed(
    column: str, kind: ColumnType, header: tuple[str, ...] | None, data: list[tuple[str, ...]]
) -> str:
    if header is None:
        return f"no header row to find column {column!r} by"
    index = next((i for i, h in enumerate(header) if h.strip().lower() == column.lower()), None)
    if index is None:
        return f"no column named {column!r}"
    pattern = {
        "integer": r"-?\d+",
        "number": r"-?\d+(?:\.\d+)?",
        "text": r".*\S.*",
    }[kind]
    wrong = [r[index] for r in data if index < len(r) and not re.fullmatch(pattern, r[index])]
    if wrong:
        return f"{column} values {', '.join(repr(w) for w in wrong[:3])} are not {_kind_name(kind)}"
    return ""


def _kind_name(kind: ColumnType) -> str:
    return {"integer": "whole numbers", "number": "numbers", "text": "text"}[kind]


def _same_cells(row: tuple[str, ...], names: tuple[str, ...]) -> bool:
    return [c.strip().lower() for c in row] == [n.strip().lower() for n in names]


def _looks_like_header(row: tuple[str, ...], rest: list[tuple[str, ...]]) -> bool | None:
    """Whether the first row reads as a header: no numbers above rows that have some
    (True), numbers in it (False), or no way to tell (None)."""
    if any(_numeric(c) for c in row):
        return False
    if any(any(_numeric(c) for c in r) for r in rest):
        return True
    return None


def _numeric(cell: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[$£€]?\d[\d,]*(?:\.\d+)?%?", cell.strip()))


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:120]


def bound_text(bound: Bound | None) -> str:
    return "" if bound is None else relation(bound)
