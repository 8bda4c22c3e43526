"""Exploration (2026-12-07): does the instruction make the answer more likely?

For each labelled row (task, instruction, answer, label), the embedded 1.5B model reads
the answer as its own reply twice: once after the task alone, once after the task with
the instruction on the next line. The score is the sum over the answer's tokens of
log P(token | task + instruction) - log P(token | task): what the instruction adds to
how likely the model finds the answer (pmi_sum; pmi_mean is the same per token).

    .venv/bin/python docs/results/judge-calibration/variants/run5.py MODEL.gguf own scores5-own.jsonl
    .venv/bin/python docs/results/judge-calibration/variants/run5.py MODEL.gguf ood scores5-ood.jsonl

`own` is benchmarks/data/judge_calibration.jsonl, `ood` the judged items of
../shared/benchmarks/requirements-ood. MODEL.gguf: the assembled 1.5B file in cadenza's
cache (~/.cache/cadenza/models/). It reads the logits of every answer position through
llama.cpp's batch API on a context of its own (llama-cpp-python's logits_all path
crashed on this build).
"""

import ctypes
import json
import sys
import time

import llama_cpp
import numpy as np
from llama_cpp import Llama
from llama_cpp._internals import LlamaContext

path, which, out = sys.argv[1], sys.argv[2], sys.argv[3]
llm = Llama(model_path=path, n_ctx=512, n_threads=2, verbose=False)
params = llama_cpp.llama_context_default_params()
params.n_ctx = params.n_batch = 4096
params.n_ubatch, params.n_seq_max = 512, 1
params.flash_attn_type = llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED
params.n_threads = params.n_threads_batch = 2
context = LlamaContext(model=llm._model, params=params, verbose=False)
ctx, memory = context.ctx, llama_cpp.llama_get_memory(context.ctx)
batch = llama_cpp.llama_batch_init(4096, 0, 1)
n_vocab = int(llm.n_vocab())
SYSTEM = "You are a helpful assistant."


def chat(user: str) -> str:
    return (
        f"<|im_start|>system\n{SYSTEM}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n"
        "<|im_start|>assistant\n"
    )


def logprobs(prefix: str, answer: str) -> np.ndarray:
    """log P of each answer token, read after `prefix`."""
    p = llm.tokenize(prefix.encode(), add_bos=False, special=True)
    a = llm.tokenize(answer.encode(), add_bos=False, special=False)
    tokens = p + a
    llama_cpp.llama_memory_clear(memory, True)
    for i, t in enumerate(tokens):
        batch.token[i], batch.pos[i], batch.n_seq_id[i] = t, i, 1
        batch.seq_id[i][0] = 0
        batch.logits[i] = len(p) - 1 <= i < len(tokens) - 1
    batch.n_tokens = len(tokens)
    assert llama_cpp.llama_decode(ctx, batch) == 0
    out = []
    for k, i in enumerate(range(len(p) - 1, len(tokens) - 1)):
        pointer = ctypes.cast(llama_cpp.llama_get_logits_ith(ctx, i), ctypes.POINTER(ctypes.c_float))
        row = np.ctypeslib.as_array(pointer, shape=(n_vocab,)).astype(np.float64)
        top = row.max()
        out.append(row[a[k]] - top - np.log(np.exp(row - top).sum()))
    return np.array(out)


def rows() -> list[dict]:
    if which == "own":
        return [json.loads(line) for line in open("benchmarks/data/judge_calibration.jsonl")]
    found = []
    for line in open("../shared/benchmarks/requirements-ood/requirements.jsonl"):
        r = json.loads(line)
        for answer in r["answers"] if r["kind"] != "mechanical" else []:
            found.append({"id": r["id"], "family": r.get("family"), "task": r["task"],
                          "requirement": r["requirement"], "answer": answer["text"],
                          "label": answer["passes"]})
    return found


started = time.monotonic()
with open(out, "w") as f:
    for r in rows():
        alone = logprobs(chat(r["task"]), r["answer"])
        told = logprobs(chat(r["task"] + "\n" + r["requirement"]), r["answer"])
        record = {"id": r["id"], "family": r.get("family"), "label": r["label"], "n": len(alone),
                  "pmi_sum": float((told - alone).sum()), "pmi_mean": float((told - alone).mean())}
        f.write(json.dumps(record) + "\n")
        f.flush()
        print(round(time.monotonic() - started, 1), record, flush=True)
