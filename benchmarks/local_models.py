"""Measure the embedded models as cadenza uses them.

For each installed local model: preparing the file (the first run joins the chunks
into the cache and hashes it; later runs only check the stamp), loading it into
llama.cpp, prompt processing speed (tokens/s), and decode speed (tokens/s) on a
fixed prompt with a fixed seed.

    .venv/bin/python benchmarks/local_models.py                 # every installed model
    .venv/bin/python benchmarks/local_models.py --models smollm2-135m --json

The cache is ``Settings.load().cache_dir`` (``CADENZA_CACHE_DIR`` to move it); the
first run of the 1.5B model writes 1.1 GB there.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass

import anyio

from cadenza.providers.base import CompletionRequest
from cadenza.providers.local import LocalModel
from cadenza.providers.local_models import CATALOGUE, prepare, state_of
from cadenza.settings import Settings

PROMPT = (
    "You are reviewing a short product note. The note says: our new kettle boils one "
    "litre of water in three minutes, switches itself off, keeps the water warm for an "
    "hour and has a filter that catches limescale. Customers liked the quiet operation "
    "but complained that the lid is hard to open with one hand. Write a friendly reply "
    "to a customer who asked whether the kettle is worth buying, in about 80 words."
)
SEED = 1234
MAX_TOKENS = 128


@dataclass(frozen=True, slots=True)
class Figures:
    model: str
    state_before: str
    first_prepare_s: float  # assembly + sha256, or sha256 only, or stamp check
    first_prepare_assembled: bool
    first_prepare_hashed: bool
    stamped_prepare_s: float  # every later load: the stamp check only
    load_s: float
    prompt_tokens: int
    prompt_tokens_per_s: float
    output_tokens: int
    decode_tokens_per_s: float
    end_to_end_tokens_per_s: float
    latency_s: float


async def measure(name: str, settings: Settings) -> Figures:
    spec = CATALOGUE[name]
    state_before, _ = state_of(spec, settings.cache_dir)
    first = prepare(spec, settings.cache_dir)
    stamped = prepare(spec, settings.cache_dir)
    model = LocalModel(spec, settings)
    loaded = await model.load()
    assert model.load_seconds is not None
    request = CompletionRequest.of(PROMPT, max_tokens=MAX_TOKENS, seed=SEED, temperature=0.7)
    await model.complete(CompletionRequest.of("Hello.", max_tokens=4, seed=SEED))  # warm-up

    def prefill() -> tuple[int, float]:
        messages = [{"role": m.role, "content": m.content} for m in request.messages]
        with loaded.lock:
            prompt = loaded.formatter(messages=messages).prompt
            tokens = loaded.llama.tokenize(prompt.encode(), add_bos=False, special=True)
            loaded.llama.reset()
            started = time.monotonic()
            loaded.llama.eval(tokens)
            return len(tokens), time.monotonic() - started

    prompt_tokens, prefill_s = await anyio.to_thread.run_sync(prefill)
    completion = await model.complete(request)  # seeded: resets, so prefill is included
    usage = completion.usage
    decode_s = max(usage.latency_s - prefill_s, 1e-9)
    return Figures(
        model=spec.model_id,
        state_before=state_before,
        first_prepare_s=round(first.seconds, 3),
        first_prepare_assembled=first.assembled,
        first_prepare_hashed=first.hashed,
        stamped_prepare_s=round(stamped.seconds, 4),
        load_s=round(model.load_seconds, 3),
        prompt_tokens=prompt_tokens,
        prompt_tokens_per_s=round(prompt_tokens / prefill_s, 1),
        output_tokens=usage.output_tokens,
        decode_tokens_per_s=round(usage.output_tokens / decode_s, 1),
        end_to_end_tokens_per_s=round(usage.output_tokens / usage.latency_s, 1),
        latency_s=round(usage.latency_s, 3),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="*", choices=list(CATALOGUE), help="default: installed")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    settings = Settings.load()
    names = args.models or [
        name
        for name, spec in CATALOGUE.items()
        if state_of(spec, settings.cache_dir)[0] != "not installed"
    ]
    results = [anyio.run(measure, name, settings) for name in names]
    if args.json:
        print(json.dumps({"threads": settings.threads, "models": [asdict(r) for r in results]}))
        return 0
    print(f"threads={settings.threads} seed={SEED} max_tokens={MAX_TOKENS}")
    for r in results:
        prepared = (
            "assembled+hashed"
            if r.first_prepare_assembled
            else ("hashed" if r.first_prepare_hashed else "stamp")
        )
        print(
            f"{r.model:28} prepare {r.first_prepare_s:7.2f}s ({prepared}, then "
            f"{r.stamped_prepare_s * 1000:.1f} ms)  load {r.load_s:5.2f}s  "
            f"prompt {r.prompt_tokens_per_s:7.1f} tok/s ({r.prompt_tokens} tok)  "
            f"decode {r.decode_tokens_per_s:6.1f} tok/s ({r.output_tokens} tok)  "
            f"end-to-end {r.end_to_end_tokens_per_s:6.1f} tok/s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
