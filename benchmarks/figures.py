"""The README's figures, read from the result files the benchmarks write.

A figure is marked by an HTML comment right before it (invisible once rendered)::

    <!-- fig speculation:median_latency_reduction pct -->33.6%

that is: the result file's name under ``docs/results`` (without ``.json``), a dotted
path into its JSON (list items by index), and how the number is shown: ``pct`` (a
fraction as a percentage, one decimal), ``spct`` (the same, signed), ``pct0`` (no
decimal), ``x1``/``x2`` (a ratio, 1 or 2 decimals, then ``x``), ``f1``..``f4`` (a
number with that many decimals), ``int``.

`mismatches` lists every marked figure that differs from its file (the README test);
`rewrite` writes each one from its file (`bash scripts/bench` ends with it, so the
README shows what was just measured; the words around a figure are still read and
corrected by hand).

    python benchmarks/figures.py            # rewrite README.md's marked figures
    python benchmarks/figures.py --check    # list the ones that differ, exit 1 if any
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
RESULTS = ROOT / "docs" / "results"
MARKER = re.compile(
    r"<!-- fig (?P<file>[\w./-]+):(?P<path>[\w.-]+) (?P<fmt>\w+) -->(?P<shown>[-+−]?[\d.,]+[%x]?)"
)
FORMATS: dict[str, Callable[[float], str]] = {
    "pct": lambda v: f"{100 * v:.1f}%",
    "spct": lambda v: f"{100 * v:+.1f}%",
    "pct0": lambda v: f"{100 * v:.0f}%",
    "x1": lambda v: f"{v:.1f}x",
    "x2": lambda v: f"{v:.2f}x",
    "f1": lambda v: f"{v:.1f}",
    "f2": lambda v: f"{v:.2f}",
    "f3": lambda v: f"{v:.3f}",
    "f4": lambda v: f"{v:.4f}",
    "int": lambda v: f"{round(v):,}",
}


def value_at(data: Any, path: str) -> Any:
    for key in path.split("."):
        data = data[int(key)] if isinstance(data, list) else data[key]
    return data


def expected(match: re.Match[str], results: Path) -> tuple[str | None, str]:
    """What the marked figure should show, or None and why it cannot be told."""
    file, path, fmt = match.group("file", "path", "fmt")
    source = results / f"{file}.json"
    if not source.is_file():
        return None, f"no result file {source.name}"
    if fmt not in FORMATS:
        return None, f"unknown format {fmt!r}"
    try:
        value = value_at(json.loads(source.read_text(encoding="utf-8")), path)
    except (KeyError, IndexError, ValueError):
        return None, f"not in {source.name}"
    return FORMATS[fmt](float(value)), ""


def mismatches(text: str, results: Path) -> tuple[int, list[str]]:
    """How many figures are marked in `text`, and each one that differs from its file."""
    wrong: list[str] = []
    found = list(MARKER.finditer(text))
    for match in found:
        where = f"{match.group('file')}:{match.group('path')}"
        shown = match.group("shown")
        figure, why = expected(match, results)
        if figure is None:
            wrong.append(f"{where}: {why}")
        elif shown.replace("−", "-") != figure:
            wrong.append(f"{where}: the README says {shown}, the result file {figure}")
    return len(found), wrong


def rewrite(text: str, results: Path) -> tuple[str, list[str]]:
    """`text` with every marked figure as its file gives it, and what changed (a figure
    whose file or value is missing is left as it is and reported)."""
    notes: list[str] = []

    def one(match: re.Match[str]) -> str:
        where = f"{match.group('file')}:{match.group('path')}"
        shown = match.group("shown")
        figure, why = expected(match, results)
        if figure is None:
            notes.append(f"{where}: left as {shown} ({why})")
            return match.group(0)
        if shown.replace("−", "-") != figure:
            notes.append(f"{where}: {shown} -> {figure}")
        return match.group(0)[: -len(shown)] + figure

    return MARKER.sub(one, text), notes


def rewrite_readme() -> list[str]:
    """Rewrite README.md's marked figures from their files; what changed."""
    text = README.read_text(encoding="utf-8")
    new, notes = rewrite(text, RESULTS)
    if new != text:
        README.write_text(new, encoding="utf-8")
    return notes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only list what differs")
    args = parser.parse_args(argv)
    if args.check:
        count, wrong = mismatches(README.read_text(encoding="utf-8"), RESULTS)
        print("\n".join(wrong) or f"all {count} marked figures equal their result files")
        return 1 if wrong else 0
    notes = rewrite_readme()
    print("\n".join(notes) or "README.md's marked figures already equal their result files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
