"""OUT: the batch's output file, one JSON object a line, and the record of what is done.

Each finished task is appended and fsynced before the driver reports it, so a crash
loses no finished task; a rerun reads OUT back and skips every id in it (failed ones
too, unless asked to run them again). A last line cut short by a crash is dropped
when the file is opened again; a bad line anywhere else is an error naming it, since
guessing could run a task twice or lose one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cadenza.batching.items import key_of
from cadenza.batching.jobs import is_failed
from cadenza.errors import UserError


@dataclass(frozen=True, slots=True)
class OutLine:
    """One line of OUT, as read back: its text and whether it is a failed task."""

    text: str
    failed: bool

    @property
    def data(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.text)
        return value


class OutFile:
    """The output file at `path`. `open_for_run` reads it and makes it clean (drops a
    torn last line, and the failed tasks when they are to run again); `append` adds
    finished tasks durably."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> dict[str, OutLine]:
        """Every task in OUT by key (the later of two lines with one id wins)."""
        lines, _ = self._read()
        return lines

    def open_for_run(self, *, drop_failed: bool) -> dict[str, OutLine]:
        """What is done already (by key), after making the file agree with it."""
        lines, torn = self._read()
        failed = [key for key, line in lines.items() if line.failed]
        if drop_failed:
            for key in failed:
                del lines[key]
        if torn or (drop_failed and failed):
            self._rewrite([line.text for line in lines.values()])
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return lines

    def append(self, records: Sequence[Mapping[str, Any]]) -> None:
        """Append finished tasks' lines and fsync them (one fsync for them all)."""
        text = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())

    def records(self) -> Iterator[dict[str, Any]]:
        """Every task's line as data, in file order (one per id)."""
        for line in self.read().values():
            yield line.data

    def _read(self) -> tuple[dict[str, OutLine], bool]:
        if not self.path.exists():
            return {}, False
        try:
            raw_lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"Cannot read {self.path}: {exc}. Choose another --out.") from None
        lines: dict[str, OutLine] = {}
        for number, raw in enumerate(raw_lines, start=1):
            if not raw.strip():
                continue
            try:
                data = json.loads(raw)
                if not isinstance(data, dict) or "id" not in data:
                    raise ValueError("not an object with an 'id'")
                key = key_of(data["id"])
            except (json.JSONDecodeError, TypeError, ValueError) as exc:
                if number == len(raw_lines):
                    return lines, True  # cut short by a crash: that task is not done
                raise UserError(
                    f"{self.path}, line {number}: not a batch result ({exc}). Remove that "
                    "line (its task will run again) or choose another --out."
                ) from None
            lines.pop(key, None)  # keep file order of the latest line
            lines[key] = OutLine(raw, is_failed(data))
        return lines, False

    def _rewrite(self, lines: list[str]) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in lines))
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(self.path)
