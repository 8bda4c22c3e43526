"""llama.cpp built for this CPU against the portable AVX2 build, side by side.

`scripts/setup` compiles llama-cpp-python from source. This measures what the choice of
CMake flags is worth on the embedded model: each build is installed (once, cached under
`--builds`) from the same llama-cpp-python sdist as the project's, and each is timed in
its own process, interleaved `--repeats` times so both share the machine's load:

- ``prefill_tokens_per_s``: one prompt of `--prompt` tokens read in one batch (what every
  call pays for the part of its prompt no cache holds);
- ``decode_step_s``: one decode step over 1 and over 4 sequences (what each output token
  costs alone and in a batch of four);
- ``features``: the instruction sets the build reports (`llama_print_system_info`).

Medians of the repeats are kept, and ``native_over_portable`` divides them.

    flock /tmp/cadenza-model.lock .venv/bin/python benchmarks/llama_build.py --json \\
        --out docs/results/llama_build.json

The first run compiles both builds (about 4 minutes each on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from regenerate import provenance  # noqa: E402

BUILDS = {
    # the flags scripts/setup used before this comparison
    "portable": "-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON "
    "-DLLAVA_BUILD=OFF",
    # every instruction set this CPU has (AVX-512 and VNNI where present) but AMX, whose
    # kernels crashed batched decoding here (the flags scripts/setup uses)
    "native": "-DGGML_NATIVE=ON -DLLAVA_BUILD=OFF "
    "-DCMAKE_C_FLAGS=-mno-amx-tile\\ -mno-amx-int8\\ -mno-amx-bf16 "
    "-DCMAKE_CXX_FLAGS=-mno-amx-tile\\ -mno-amx-int8\\ -mno-amx-bf16",
}


def install(name: str, folder: Path) -> Path:
    """The build `name` installed under `folder` (compiled on first use)."""
    target = folder / name
    if (target / "llama_cpp").is_dir():
        return target
    version = metadata.version("llama_cpp_python")
    env = {**os.environ, "CMAKE_ARGS": BUILDS[name]}
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-cache-dir",
         "--no-binary", "llama-cpp-python", "--target", str(target),
         f"llama-cpp-python=={version}"],
        env=env,
        check=True,
    )  # fmt: skip
    return target


def child(model: str, prompt: int) -> dict[str, Any]:
    """Time one build (the llama_cpp on sys.path) in this process."""
    import llama_cpp as llama

    llama.llama_backend_init()
    loaded = llama.llama_model_load_from_file(model.encode(), llama.llama_model_default_params())
    params = llama.llama_context_default_params()
    params.n_ctx, params.n_batch, params.n_ubatch, params.n_seq_max = 4096, 512, 512, 4
    params.n_threads = params.n_threads_batch = 2
    ctx = llama.llama_init_from_model(loaded, params)
    batch = llama.llama_batch_init(512, 0, 4)

    def decode(entries: list[tuple[int, int, int, bool]]) -> float:
        batch.n_tokens = len(entries)
        for i, (token, pos, seq, logits) in enumerate(entries):
            batch.token[i], batch.pos[i], batch.n_seq_id[i] = token, pos, 1
            batch.seq_id[i][0], batch.logits[i] = seq, logits
        start = time.perf_counter()
        if llama.llama_decode(ctx, batch) != 0:
            raise RuntimeError("llama_decode failed")
        return time.perf_counter() - start

    def clear() -> None:
        llama.llama_memory_clear(llama.llama_get_memory(ctx), True)

    clear()
    seconds = decode([(1000 + (p * 37) % 20000, p, 0, p == prompt - 1) for p in range(prompt)])
    steps: dict[str, float] = {}
    for n in (1, 4):
        clear()
        decode([(1000 + s * 7 + p, p, s, p == 15) for s in range(n) for p in range(16)])
        took = [decode([(2000 + k + s, 16 + k, s, True) for s in range(n)]) for k in range(32)]
        steps[str(n)] = statistics.median(took)
    return {
        "features": llama.llama_print_system_info().decode().strip(),
        "prefill_tokens_per_s": prompt / seconds,
        "decode_step_s": steps,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--prompt", type=int, default=400, help="prompt tokens to prefill")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--builds", type=Path, default=Path.home() / ".cache" / "cadenza" / "llama-builds"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.prompt)))
        return
    started = time.perf_counter()
    from cadenza.providers.local_models import prepare, spec_for
    from cadenza.settings import Settings

    model = str(prepare(spec_for(args.model), Settings.load().cache_dir).path)
    paths = {name: install(name, args.builds) for name in BUILDS}
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in BUILDS}
    for _ in range(args.repeats):
        for name, path in paths.items():
            env = {**os.environ, "PYTHONPATH": str(path)}
            out = subprocess.run(
                [sys.executable, __file__, "--child", model, "--prompt", str(args.prompt)],
                env=env, capture_output=True, text=True, check=True,
            )  # fmt: skip
            runs[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
    figures: dict[str, Any] = {"model": f"local:{args.model}", "prompt_tokens": args.prompt}
    for name, rows in runs.items():
        figures[name] = {
            "features": rows[0]["features"],
            "prefill_tokens_per_s": round(
                statistics.median(r["prefill_tokens_per_s"] for r in rows), 1
            ),
            "prefill_all": [round(r["prefill_tokens_per_s"], 1) for r in rows],
            "decode_step_s": {
                n: round(statistics.median(r["decode_step_s"][n] for r in rows), 4)
                for n in ("1", "4")
            },
        }
    native, portable = figures["native"], figures["portable"]

    def ratio(field: str, n: str = "") -> float:
        a, b = native[field], portable[field]
        return round((a[n] / b[n]) if n else (a / b), 2)

    figures["native_over_portable"] = {
        "prefill_speed": ratio("prefill_tokens_per_s"),
        "decode_step_1": ratio("decode_step_s", "1"),
        "decode_step_4": ratio("decode_step_s", "4"),
    }
    figures["provenance"] = provenance(
        "python benchmarks/llama_build.py " + " ".join(sys.argv[1:]),
        time.perf_counter() - started,
    )
    text = json.dumps(figures, indent=2)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    if args.json:
        print(text)
    else:
        for name in BUILDS:
            print(name, figures[name]["prefill_tokens_per_s"], figures[name]["decode_step_s"])
        print("native/portable", figures["native_over_portable"])


if __name__ == "__main__":
    main()
