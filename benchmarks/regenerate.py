"""Regenerate every result file the README quotes: `bash scripts/bench --quick | --full`.

Each benchmark runs as its own process with ``--json``; its JSON object is written to
``docs/results/<name>.json`` with a ``provenance`` key: the commit, whether the
checkout had uncommitted changes, the exact command, the machine (cores, memory,
Python, platform), the date (UTC) and how long it took.

- ``--quick``: the scripted benchmarks (no model is loaded; a few minutes): engine
  overhead, makespan, speculation, batch, store writes, check speed, the reader
  inventory, the composed prompts' coverage, the scripted plan-and-execute arms, server
  start and overhead, tracing overhead, the validators and rules-only requirements
  benches, and IFEval's official scoring of Google's GPT-4 responses.
- ``--full``: the embedded-model benchmarks (hours on 2 cores). A benchmark whose
  result file already holds this commit's result is skipped, so an interrupted full
  run resumes where it stopped (``--force`` runs everything again).

``--only NAME[,NAME]`` runs those benchmarks alone; ``--list`` shows them. The data
(IFEval, requirements-ood) is looked for in ``$CADENZA_BENCH_DATA`` or
``shared/benchmarks`` beside the checkout; benchmarks whose data is missing are
reported and skipped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from figures import RESULTS, rewrite_readme

ROOT = Path(__file__).resolve().parents[1]
PY = "python"  # shown in commands; run with this interpreter
CLI = ("-c", "from cadenza.entry import main; main()")  # `cadenza` from src/
BIG_MODEL = "local:qwen2.5-coder-1.5b"
GPT4 = "input_response_data_gpt4_20231107_145030.jsonl"
BLIND1 = "benchmarks/data/requirements-blind1"
BLIND2 = "benchmarks/data/requirements-blind2"
PLAIN_OWN = "benchmarks/data/plain-own"
PLAIN_OWN2 = "benchmarks/data/plain-own2"


@dataclass(frozen=True, slots=True)
class Bench:
    name: str
    argv: tuple[str, ...]  # after the interpreter; "{data}": the data folder, "{commit}": HEAD
    full: bool = False  # needs the embedded model
    needs_data: str = ""  # a sub-folder of the data folder it reads

    def command(self, data: Path | None) -> list[str]:
        folder = str(data) if data is not None else ""
        parts = [part.replace("{data}", folder) for part in self.argv]
        if any("{commit}" in part for part in parts):
            commit = _git("rev-parse", "--short=7", "HEAD")
            parts = [part.replace("{commit}", commit) for part in parts]
        return parts


def _script(script: str, *args: str, name: str = "", **kw: Any) -> Bench:
    return Bench(name or script, (f"benchmarks/{script}.py", *args, "--json"), **kw)


def _cli(name: str, *args: str, **kw: Any) -> Bench:
    return Bench(name, (*CLI, "bench", *args, "--json"), **kw)


BENCHES: tuple[Bench, ...] = (
    _script("engine_overhead"),
    _script("makespan"),
    _script("speculation"),
    _script("batch", "--tasks", "50", "--workers", ""),
    _script("store_writes"),
    _script("check_speed"),
    _script("reader_inventory"),
    _script("prompt_coverage"),
    *(
        _script("prompt_coverage", "--set", name, name=f"prompt_coverage-{name}")
        for name in ("fresh", "blind", *(f"blind{n}" for n in range(2, 10)))
    ),
    Bench("plans", ("benchmarks/plans.py", "--json")),
    _script("server_start", "--starts", "10"),
    _script("server_overhead", "--runs", "100"),
    _script("telemetry_overhead", "--solves", "300"),
    _cli("validators", "validators", "--data", "{data}/ifeval", needs_data="ifeval"),
    _cli(
        "requirements_rules",
        "requirements",
        "--data",
        "{data}/requirements-ood",
        needs_data="requirements-ood",
    ),
    # an unseen set in requirements-ood's format (benchmarks/data/requirements-blind1)
    _cli("requirements-blind1/rules", "requirements", "--data", BLIND1),
    # a second one, other families, written after the eighth wave (its README)
    _cli("requirements-blind2/rules", "requirements", "--data", BLIND2),
    # 40 plain prompts of our own: how many are given a requirement they do not ask for
    _cli("plain-own/rules", "requirements", "--data", PLAIN_OWN),
    # 80 more in 16 other families, halves A and B (its README)
    _cli("plain-own2/rules", "requirements", "--data", PLAIN_OWN2),
    _cli(
        "ifeval_gpt4_score",
        "ifeval",
        "--data",
        "{data}/ifeval",
        "--score-only",
        f"{{data}}/ifeval/{GPT4}",
        needs_data="ifeval",
    ),
    # --full: the embedded model
    _script("local_models", full=True),
    _script("llama_build", "--repeats", "5", full=True),
    _cli(
        "requirements_1.5b",
        "requirements",
        "--data",
        "{data}/requirements-ood",
        "-m",
        BIG_MODEL,
        full=True,
        needs_data="requirements-ood",
    ),
    _cli("requirements-blind1/1.5b", "requirements", "--data", BLIND1, "-m", BIG_MODEL, full=True),
    _cli("requirements-blind2/1.5b", "requirements", "--data", BLIND2, "-m", BIG_MODEL, full=True),
    # the model that restates, alone, on inventory sentences (read by rules on side a; unread)
    _script("restate_inventory", "--model", BIG_MODEL, full=True),
    _cli(
        "ifeval_1.5b",
        "ifeval",
        "--data",
        "{data}/ifeval",
        "--strategies",
        "single,single_repair,tree",
        "--model",
        BIG_MODEL,
        "--budget",
        "medium",
        "--mode",
        "prompt",
        "--sample",
        "50",
        "--seed",
        "0",
        "--max-tokens",
        "640",
        "--out",
        # one folder per commit, as the README's runs are kept: a run at HEAD never
        # resumes an older commit's answers; an interrupted run resumes from its folder
        "docs/results/ifeval-qwen1.5b-{commit}",
        full=True,
        needs_data="ifeval",
    ),
    _script("instruction_calibration", "--model", BIG_MODEL, name="instruction_1.5b", full=True),
    *(
        _script(
            "prompt_coverage",
            "--set",
            name,
            "--model",
            BIG_MODEL,
            "--no-items",
            name=f"prompt_coverage-{name}-1.5b",
            full=True,
        )
        for name in ("blind7", "blind8", "blind9")
    ),
    Bench(
        "plans_1.5b",
        (
            "benchmarks/plans.py",
            "--model",
            BIG_MODEL,
            "--questions",
            "0:16",  # the 16 the README and issue 22 quote (all 48: hours more)
            "--out",
            "docs/results/plans/local-qwen2.5-coder-1.5b.jsonl",  # resumes from it
            "--json",
        ),
        full=True,
    ),
)


def data_folder() -> Path | None:
    given = os.environ.get("CADENZA_BENCH_DATA")
    if given:
        return Path(given)
    for base in (Path.cwd(), Path.cwd().parent, ROOT, ROOT.parent, ROOT.parent.parent):
        candidate = base / "shared" / "benchmarks"
        if candidate.is_dir():
            return candidate
    return None


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def memory_bytes() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def provenance(command: str, seconds: float) -> dict[str, Any]:
    memory = memory_bytes()
    return {
        "commit": _git("rev-parse", "HEAD"),
        # the result files this run rewrites do not make the checkout unclean
        "clean": _git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs/results")
        == "",
        "command": command,
        "machine": {
            "cores": os.cpu_count(),
            "memory_gib": None if memory is None else round(memory / 2**30, 1),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "seconds": round(seconds, 1),
    }


def shown(bench: Bench, data: Path | None) -> str:
    """The command as a person would type it from the checkout."""
    parts = bench.command(data)
    if tuple(parts[:2]) == CLI:
        return shlex.join(["cadenza", *parts[2:]])
    return shlex.join([PY, *parts])


def run_one(bench: Bench, data: Path | None) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    if data is not None and (data / "nltk_data").is_dir():  # IFEval's sentence counting
        env.setdefault("NLTK_DATA", str(data / "nltk_data"))
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, *bench.command(data)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError(f"exit {done.returncode}: {done.stderr.strip()[-2000:]}")
    try:
        result = json.loads(done.stdout)  # the benchmark's one JSON object
    except ValueError:  # printed after other lines: the last one
        result = json.loads(done.stdout.strip().splitlines()[-1])
    if not isinstance(result, dict):
        result = {"result": result}
    result["provenance"] = provenance(shown(bench, data), seconds)
    return result


def current(path: Path, commit: str) -> bool:
    """Whether `path` already holds this commit's result (a full run resumes)."""
    try:
        made = json.loads(path.read_text(encoding="utf-8"))["provenance"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return bool(made.get("commit") == commit and made.get("clean"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="scripted benchmarks (default)")
    mode.add_argument("--full", action="store_true", help="the embedded-model benchmarks")
    parser.add_argument("--only", default="", help="comma-separated names")
    parser.add_argument("--force", action="store_true", help="--full: rerun finished ones")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args(argv)
    data = data_folder()
    chosen = [b for b in BENCHES if b.full == args.full]
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {b.name for b in BENCHES}
        if unknown:
            parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
        chosen = [b for b in BENCHES if b.name in wanted]
    if args.list:
        for bench in chosen:
            print(f"{bench.name:<22} {shown(bench, data)}")
        return 0
    RESULTS.mkdir(parents=True, exist_ok=True)
    commit = _git("rev-parse", "HEAD")
    failed: list[str] = []
    started = time.monotonic()
    for bench in chosen:
        path = RESULTS / f"{bench.name}.json"
        if bench.needs_data and (data is None or not (data / bench.needs_data).is_dir()):
            print(f"skip {bench.name}: no {bench.needs_data} data (set CADENZA_BENCH_DATA)")
            failed.append(bench.name)
            continue
        if args.full and not args.force and current(path, commit):
            print(f"done {bench.name} (this commit's result is in {path.name})")
            continue
        print(f"run  {bench.name}: {shown(bench, data)}", flush=True)
        try:
            result = run_one(bench, data)
        except (RuntimeError, ValueError, IndexError) as exc:
            print(f"FAIL {bench.name}: {exc}")
            failed.append(bench.name)
            continue
        path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"     {result['provenance']['seconds']:.0f} s -> {path.relative_to(ROOT)}")
    print(f"{len(chosen) - len(failed)} of {len(chosen)} in {time.monotonic() - started:.0f} s")
    notes = rewrite_readme()
    print("README.md: " + ("; ".join(notes) or "every marked figure already equals its file"))
    print("Read the words around each changed figure (met or not, better or not) again.")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
