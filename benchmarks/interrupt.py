"""How long `cadenza run` takes to exit after Ctrl-C, on the real embedded model.

Starts ``cadenza run`` on a long generation with a local model, sends SIGINT after a
delay (while the model loads, reads the prompt or writes), and measures the time from
the signal to the process's exit, the exit code, the one line printed, and how the store
recorded the run. Target: exit 130 within a second, the run recorded ``interrupted``.

    .venv/bin/python benchmarks/interrupt.py                       # 8 runs, smollm2-135m
    .venv/bin/python benchmarks/interrupt.py --model local:qwen2.5-coder-1.5b --runs 4 --json

Run it alone on the machine (it uses every core while the model generates).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cadenza.store.store import Store

TASK = "Write a very long story about the sea and the people who live by it, 2000 words."


def one(model: str, delay_s: float, folder: Path) -> dict[str, object]:
    store = folder / f"run-{delay_s:.2f}.db"
    env = {**os.environ, "CADENZA_CONFIG": str(folder / "none.toml")}
    command = [
        sys.executable, "-c", "from cadenza.entry import main; main()", "run", TASK,
        "-m", model, "-s", "single", "--max-tokens", "1500", "--store", str(store),
    ]  # fmt: skip
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    time.sleep(delay_s)
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    took = time.monotonic() - sent
    status = "none"
    if store.exists():
        with Store.open(store) as opened:
            rows = opened.list_runs()
            status = rows[0].status if rows else "none"
    lines = [line for line in err.splitlines() if line.strip()]
    return {
        "delay_s": delay_s,
        "exit_s": round(took, 3),
        "code": process.returncode,
        "lines": len(lines),
        "first_line": lines[0][:80] if lines else "",
        "store_status": status,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="local:smollm2-135m")
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    delays = [0.5 + 3.0 * i / max(1, args.runs - 1) for i in range(args.runs)]
    with tempfile.TemporaryDirectory() as tmp:
        results = [one(args.model, d, Path(tmp)) for d in delays]
    exits = [float(r["exit_s"]) for r in results]  # type: ignore[arg-type]
    summary = {
        "model": args.model,
        "runs": len(results),
        "exit_s_median": round(statistics.median(exits), 3),
        "exit_s_max": round(max(exits), 3),
        "all_exit_130": all(r["code"] == 130 for r in results),
        "all_one_line": all(r["lines"] == 1 for r in results),
        "store_statuses": sorted({str(r["store_status"]) for r in results}),
        "results": results,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    for r in results:
        print(
            f"SIGINT after {r['delay_s']:.2f} s: exit {r['code']} in {r['exit_s']:.3f} s, "
            f"{r['lines']} line(s), store: {r['store_status']}"
        )
    print(
        f"median {summary['exit_s_median']} s, max {summary['exit_s_max']} s "
        f"(target: within 1 s, exit 130, one line, recorded interrupted)"
    )


if __name__ == "__main__":
    main()
