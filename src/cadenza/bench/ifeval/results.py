"""What one bench arm (a strategy on a model) leaves on disk, and reading it back.

Per arm, in `<out>/<strategy>__<model>/`:
- `results.jsonl`: one `PromptResult` a line (the response, tokens, calls, cost, wall
  time, finish reason), appended and fsynced as each prompt completes: the record
  of truth, read back to resume;
- `responses.jsonl`: the same responses in IFEval's official input format
  (`{"prompt", "response"}`), rebuilt from `results.jsonl` when a run resumes;
- `arm.json`: the settings the arm runs with, so a resume cannot mix settings.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from cadenza.errors import UserError

RESULTS = "results.jsonl"
RESPONSES = "responses.jsonl"
ARM = "arm.json"


@dataclass(frozen=True, slots=True)
class PromptResult:
    key: int
    prompt: str
    response: str
    strategy: str
    model: str
    input_tokens: int
    output_tokens: int
    calls: int
    cost_usd: float
    wall_s: float
    finish_reason: str
    error: str = ""

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    @property
    def ok(self) -> bool:
        return not self.error

    @staticmethod
    def from_json(data: dict[str, Any]) -> PromptResult:
        return PromptResult(
            key=int(data["key"]),
            prompt=str(data["prompt"]),
            response=str(data["response"]),
            strategy=str(data["strategy"]),
            model=str(data["model"]),
            input_tokens=int(data["input_tokens"]),
            output_tokens=int(data["output_tokens"]),
            calls=int(data["calls"]),
            cost_usd=float(data["cost_usd"]),
            wall_s=float(data["wall_s"]),
            finish_reason=str(data["finish_reason"]),
            error=str(data.get("error", "")),
        )


def arm_name(strategy: str, model: str) -> str:
    """A folder name for one arm, e.g. `single__local-smollm2-135m`."""
    return f"{strategy}__{re.sub(r'[^A-Za-z0-9._-]+', '-', model)}"


def _durable_append(handle: IO[str], line: str) -> None:
    handle.write(line + "\n")
    handle.flush()
    os.fsync(handle.fileno())


class ArmStore:
    """The files of one arm; appends are flushed and fsynced line by line."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def results_path(self) -> Path:
        return self.folder / RESULTS

    @property
    def responses_path(self) -> Path:
        return self.folder / RESPONSES

    def load(self) -> list[PromptResult]:
        """Results already recorded. A last line cut short by a crash is ignored (it was
        never a finished prompt); a bad line elsewhere is an error naming it."""
        if not self.results_path.exists():
            return []
        lines = self.results_path.read_text(encoding="utf-8").splitlines()
        results: list[PromptResult] = []
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                results.append(PromptResult.from_json(json.loads(raw)))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                if number == len(lines):
                    break
                raise UserError(
                    f"{self.results_path}, line {number}: not a bench result ({exc}). "
                    "Remove that line (the prompt will be run again) or use another --out."
                ) from None
        return results

    def check_settings(self, settings: dict[str, Any]) -> None:
        """Record the arm's settings, or refuse to resume under different ones."""
        path = self.folder / ARM
        if path.exists():
            before = json.loads(path.read_text(encoding="utf-8"))
            if before != settings:
                changed = sorted(
                    k for k in settings.keys() | before.keys() if before.get(k) != settings.get(k)
                )
                raise UserError(
                    f"{self.folder} holds results made with other settings "
                    f"({', '.join(changed)} differ): resume with the same options or choose "
                    "another --out."
                )
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    def start(self, done: list[PromptResult]) -> None:
        """Make `responses.jsonl` agree with the results kept so far, and drop a torn
        last line from `results.jsonl`."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._rewrite(self.results_path, [json.dumps(asdict(r)) for r in done])
        self._rewrite(
            self.responses_path,
            [json.dumps({"prompt": r.prompt, "response": r.response}) for r in done if r.ok],
        )

    @staticmethod
    def _rewrite(path: Path, lines: list[str]) -> None:
        temporary = path.with_suffix(path.suffix + ".tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in lines))
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)

    def append(self, result: PromptResult) -> None:
        with self.results_path.open("a", encoding="utf-8") as handle:
            _durable_append(handle, json.dumps(asdict(result)))
        if result.ok:
            with self.responses_path.open("a", encoding="utf-8") as handle:
                _durable_append(
                    handle, json.dumps({"prompt": result.prompt, "response": result.response})
                )
