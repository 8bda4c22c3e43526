"""Several calls to one embedded model decoded together, and shared prompts computed once.

Decoding on a CPU is bound by reading the weights, so one llama.cpp decode step over
several sequences costs little more than over one. A `BatchEngine` owns one llama.cpp
context with room for `max_sequences` sequences and runs a scheduler thread:

- Calls (`Job`) join between decode steps and leave as soon as they finish
  (continuous batching). A step feeds every generating sequence its last token and
  spends what is left of the batch on prompt chunks of sequences still reading theirs.
- Each sequence samples with its own chain (temperature, seed, grammar), and has its
  own stop strings, token limit, constrained choices and progress reports.
- Cancelling a call sets its `cancel` event; the scheduler drops it before the next
  step, so it stops within one token and the others go on.
- **Reproducible, mostly.** Each sequence has a KV stream of its own (``kv_unified``
  off) in which position p always sits in cell p, so a seed gives the same text alone,
  again, and beside most company. Not beside every company: llama.cpp's CPU kernels
  can differ with the number of rows in a decode step, and on the AVX-512 build the
  1.5B model's seeded text beside another sampled sequence was seen to differ from its
  text alone (the 135M model's does not). Sequence ids are kept contiguous (llama.cpp
  decodes one id range per pass), moving a sequence down when one below it leaves.
- **Prefix reuse.** A new sequence starts from the longest prefix it shares with a
  working sequence (its stream is copied, ``llama_memory_seq_cp``, then cut to the
  shared part; when that sequence is still reading the shared part, the new one waits
  for it) or with a prompt kept when an earlier call finished (its KV bytes, restored
  with ``llama_state_seq_set_data``). It then computes only the rest, and always its
  last two prompt tokens in a step of their own; a fresh read reads its last two
  tokens in a step of their own too, so a reused prefix gives the logits a fresh read
  gives (on the 1.5B model's AVX-512 build, reading them with the rest of the prompt
  gave other logits, and a seeded call repeated gave another text).
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio
import anyio.to_thread
import numpy as np
import numpy.typing as npt

from cadenza.errors import ProviderError
from cadenza.providers.base import FinishReason, Progress, ProgressCallback
from cadenza.providers.local_sampling import ChoiceTrie, TextStream, free_sampler, sampler_for

PROGRESS_EVERY_S = 0.1


RECOMPUTED = 2
"""Prompt tokens a reusing sequence computes however much it shares (see `_reuse`)."""


@dataclass(frozen=True, slots=True)
class BatchSettings:
    """The shape of the batched context: `max_sequences` streams of `sequence_cells`
    KV cells each (about 28 KiB a cell for the 1.5B), and up to `cache_bytes` of kept
    prompts in memory."""

    max_sequences: int = 8
    sequence_cells: int = 4096
    batch_tokens: int = 512
    cache_bytes: int = 256 * 1024 * 1024
    min_reuse: int = 16  # shorter shared prefixes are computed again


@dataclass(slots=True)
class EngineStats:
    """Counters of what the engine did (written by its thread; read them when idle)."""

    calls: int = 0
    in_flight: int = 0  # sequences admitted and not finished
    max_in_flight: int = 0
    steps: int = 0  # llama_decode calls
    max_batch_sequences: int = 0  # most sequences fed in one decode step
    tokens_out: int = 0
    prompt_tokens: int = 0  # prompt tokens of every call
    prompt_tokens_computed: int = 0  # of those, decoded (the rest were reused)
    # Steps that only decoded (one token per sequence), by how many sequences they
    # fed: [count, total seconds].
    decode_steps: dict[int, list[float]] = field(default_factory=dict)

    def step_seconds(self, width: int) -> float | None:
        """Mean seconds of a decode-only step over `width` sequences (None: unseen)."""
        seen = self.decode_steps.get(width)
        return seen[1] / seen[0] if seen else None

    def marginal_sequence_cost(self) -> float | None:
        """What one more sequence in a decode step costs, as a fraction of a step with
        one sequence: the steps' mean times fitted as t(n) = t(1) * (1 + m * (n - 1))
        (least squares through t(1)). None until steps of one and of several were seen."""
        one = self.step_seconds(1)
        wider = [(n, c, t / c) for n, (c, t) in self.decode_steps.items() if n > 1]
        if one is None or not wider:
            return None
        num = sum(c * (n - 1) * (mean / one - 1) for n, c, mean in wider)
        den = sum(c * (n - 1) ** 2 for n, c, _ in wider)
        return max(0.0, num / den)


@dataclass(frozen=True, slots=True)
class JobOutcome:
    text: str
    finish: FinishReason
    prompt_tokens: int
    output_tokens: int
    reused_tokens: int = 0
    choice_probs: Mapping[str, float] | None = None


@dataclass(eq=False, slots=True)
class Job:
    """One call: its prompt tokens, how to sample, and how it reports back."""

    prompt: list[int]
    max_tokens: int
    temperature: float
    seed: int
    stops: tuple[str, ...] = ()
    schema: Mapping[str, Any] | None = None
    choices: tuple[str, ...] = ()
    grammar: str | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _progress: Progress | None = None
    _outcome: JobOutcome | None = None
    _error: BaseException | None = None

    def report(self, progress: Progress) -> None:
        with self._cond:
            self._progress = progress
            self._cond.notify_all()

    def resolve(self, outcome: JobOutcome | None, error: BaseException | None = None) -> None:
        with self._cond:
            self._outcome, self._error = outcome, error
            self.done.set()
            self._cond.notify_all()

    def next_event(self) -> Progress | JobOutcome:
        """Block until there is news: the latest progress, or the outcome (raises the
        engine's error, if it failed)."""
        with self._cond:
            while self._progress is None and not self.done.is_set():
                self._cond.wait()
            if self._progress is not None:
                progress, self._progress = self._progress, None
                return progress
            if self._error is not None:
                raise self._error
            assert self._outcome is not None
            return self._outcome


@dataclass(eq=False, slots=True)
class _Seq:
    job: Job
    seq_id: int
    started: float
    tokens: list[int] = field(default_factory=list)  # what its KV cells hold, by position
    reused: int = 0  # prompt tokens it did not compute
    sampler: Any = None
    trie: ChoiceTrie | None = None
    stream: TextStream = field(default_factory=TextStream)
    feed: int | None = None  # the token to decode next, once generating
    out_index: int = -1  # where this step's logits for it are
    output_tokens: int = 0
    leader: _Seq | None = None  # waiting for it to compute `wait_for` shared tokens
    wait_for: int = 0
    copied: bool = False  # a stream copy into it is pending until the next decode
    last_report: float = 0.0
    choice_probs: dict[str, float] | None = None

    @property
    def pending(self) -> list[int]:
        return self.job.prompt[len(self.tokens) :]

    @property
    def prompt_done(self) -> int:
        return min(len(self.tokens), len(self.job.prompt))


@dataclass(slots=True)
class _Kept:
    """A finished call's prompt: its tokens and the KV bytes of its sequence."""

    tokens: list[int]
    state: bytes
    used: float


def _common(a: list[int], b: list[int]) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


class BatchEngine:
    """The scheduler of one loaded model (see the module doc). `llama` is the loaded
    ``llama_cpp.Llama``; the engine makes its own context on the same weights."""

    def __init__(self, llama: Any, threads: int, settings: BatchSettings | None = None) -> None:
        import llama_cpp
        from llama_cpp._internals import LlamaContext
        from llama_cpp._utils import suppress_stdout_stderr

        self.settings = s = settings or BatchSettings()
        self.stats = EngineStats()
        self._llama = llama
        self._model = llama._model
        self._vocab = self._model.vocab
        self._n_vocab = int(llama.n_vocab())
        params = llama_cpp.llama_context_default_params()
        params.n_ctx = s.sequence_cells * s.max_sequences
        params.n_batch = s.batch_tokens
        params.n_ubatch = s.batch_tokens
        params.n_seq_max = s.max_sequences
        params.kv_unified = False
        # off, as the unbatched path's Llama has it, so a call's logits do not depend on
        # the path (on, a fresh read differed by about 0.002 in P(yes); the same speed)
        params.flash_attn_type = llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED
        params.n_threads = threads
        params.n_threads_batch = threads
        params.no_perf = True
        with suppress_stdout_stderr(disable=False):  # llama.cpp's notes on the context
            self._context: Any = LlamaContext(model=self._model, params=params, verbose=False)
        self._ctx = self._context.ctx
        self._memory = llama_cpp.llama_get_memory(self._ctx)
        self._batch = llama_cpp.llama_batch_init(s.batch_tokens, 0, 1)
        self._buffer = ctypes.create_string_buffer(64)
        self._lock = threading.Condition()
        self._incoming: list[Job] = []
        self._closed = False
        self._waiting: list[Job] = []  # the scheduler thread's own from here on
        self._active: list[_Seq] = []
        self._kept: list[_Kept] = []
        self._copying: set[int] = set()  # ids in stream copies pending until the next decode

    # -- the caller's side ------------------------------------------------------------

    def start(self) -> BatchEngine:
        threading.Thread(target=self._run, name="cadenza-local-batch", daemon=True).start()
        return self

    def submit(self, job: Job) -> None:
        with self._lock:
            if self._closed:
                raise ProviderError("the local model was closed", provider="local")
            self._incoming.append(job)
            self._lock.notify_all()

    def wake(self) -> None:
        with self._lock:
            self._lock.notify_all()

    def close(self) -> None:
        import llama_cpp

        with self._lock:
            self._closed = True
            self._lock.notify_all()
            while self._active or self._waiting or self._incoming:
                self._lock.wait(0.05)
        llama_cpp.llama_batch_free(self._batch)
        self._context.close()

    # -- the scheduler thread ---------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._lock:
                while not (self._incoming or self._active or self._waiting or self._closed):
                    self._lock.wait()
                if self._closed:
                    jobs = self._incoming + self._waiting + [q.job for q in self._active]
                    self._fail(jobs, "the local model was closed")
                    self._incoming.clear()
                    self._waiting.clear()
                    self._active.clear()
                    self._lock.notify_all()
                    return
                self._waiting.extend(self._incoming)
                self._incoming.clear()
            try:
                self._drop_cancelled()
                self._admit()
                self._step()
                self._compact()
            except Exception as error:  # a broken context: fail what was running, start clean
                self._fail([q.job for q in self._active], f"batched decoding failed: {error}")
                self._reset()

    def _fail(self, jobs: list[Job], message: str) -> None:
        for job in jobs:
            job.resolve(None, ProviderError(message, provider="local"))

    def _reset(self) -> None:
        import llama_cpp

        for seq in self._active:
            if seq.sampler is not None:
                free_sampler(seq.sampler)
        self.stats.in_flight -= len(self._active)
        self._active.clear()
        llama_cpp.llama_memory_clear(self._memory, True)

    def _drop_cancelled(self) -> None:
        for job in [j for j in self._waiting if j.cancel.is_set()]:
            self._waiting.remove(job)
            job.resolve(JobOutcome("", "cancelled", len(job.prompt), 0))
        for seq in [q for q in self._active if q.job.cancel.is_set()]:
            self._finish(seq, "cancelled")

    # admission

    def _admit(self) -> None:
        while self._waiting and len(self._active) < self.settings.max_sequences:
            used = {q.seq_id for q in self._active}
            seq_id = min(i for i in range(self.settings.max_sequences) if i not in used)
            self._start(self._waiting.pop(0), seq_id)

    def _start(self, job: Job, seq_id: int) -> None:
        seq = _Seq(job=job, seq_id=seq_id, started=time.monotonic())
        if job.choices:
            seq.trie = ChoiceTrie(
                job.choices,
                lambda text: list(
                    self._llama.tokenize(text.encode(), add_bos=False, special=False)
                ),
                end_token=int(self._llama.token_eos()),
                temperature=job.temperature,
                seed=job.seed,
            )
        else:
            seq.sampler = sampler_for(
                self._vocab, job.temperature, job.seed, job.schema, job.grammar
            )
            seq.stream = TextStream(stops=job.stops)
        self._active.append(seq)
        self._active.sort(key=lambda q: q.seq_id)
        st = self.stats
        st.calls += 1
        st.in_flight += 1
        st.max_in_flight = max(st.max_in_flight, st.in_flight)
        st.prompt_tokens += len(job.prompt)
        self._reuse(seq)

    def _reuse(self, seq: _Seq) -> None:
        """Start `seq` from the longest prefix it shares with a working sequence or a
        kept prompt, or wait for a working sequence still reading that prefix."""
        import llama_cpp

        prompt = seq.job.prompt
        # The last two prompt tokens are always computed: llama.cpp gives a token read
        # alone other logits than the same token read with others (P(yes) 0.40 against
        # 0.36 on the 135M model), and a fresh read never reads its last token alone.
        limit = len(prompt) - RECOMPUTED
        floor = self.settings.min_reuse
        best_kept, kept_n = None, 0
        for kept in self._kept:
            n = min(_common(kept.tokens, prompt), limit)
            if n > kept_n:
                best_kept, kept_n = kept, n
        best_seq, seq_n, leader, lead_n = None, 0, None, 0
        for other in self._active:
            if other is seq or other.leader is not None:
                continue
            n = min(_common(other.tokens, prompt), limit)
            if n > seq_n and not other.copied:
                best_seq, seq_n = other, n
            ahead = min(_common(other.job.prompt, prompt), limit)
            if ahead > max(n, lead_n) and other.pending:
                leader, lead_n = other, ahead
        best = max(kept_n, seq_n)
        if leader is not None and lead_n >= floor and lead_n > best + floor:
            seq.leader, seq.wait_for = leader, lead_n  # take it once the leader has it
            return
        if best < floor:
            return
        llama_cpp.llama_memory_seq_rm(self._memory, seq.seq_id, -1, -1)
        if seq_n >= kept_n and best_seq is not None:
            self._copy(best_seq, seq, seq_n)
        elif best_kept is not None and seq.seq_id not in self._copying:
            state = (ctypes.c_uint8 * len(best_kept.state)).from_buffer_copy(best_kept.state)
            if not llama_cpp.llama_state_seq_set_data(
                self._ctx, state, len(best_kept.state), seq.seq_id
            ):
                llama_cpp.llama_memory_seq_rm(self._memory, seq.seq_id, -1, -1)
                return
            llama_cpp.llama_memory_seq_rm(self._memory, seq.seq_id, kept_n, -1)
            best_kept.used = time.monotonic()
            self._took(seq, kept_n)

    def _copy(self, source: _Seq, seq: _Seq, n: int) -> None:
        """Give `seq` the first `n` cells of `source`: the whole stream is copied (at
        the next decode), then cut to the shared part."""
        import llama_cpp

        llama_cpp.llama_memory_seq_cp(self._memory, source.seq_id, seq.seq_id, -1, -1)
        llama_cpp.llama_memory_seq_rm(self._memory, seq.seq_id, n, -1)
        self._copying |= {source.seq_id, seq.seq_id}
        seq.copied = True
        self._took(seq, n)

    def _took(self, seq: _Seq, n: int) -> None:
        seq.tokens = list(seq.job.prompt[:n])
        seq.reused = n

    # one decode step

    def _step(self) -> None:
        import llama_cpp

        for seq in self._active:
            leader = seq.leader
            if leader is None:
                continue
            if leader not in self._active or (
                not leader.pending and len(leader.tokens) < seq.wait_for
            ):
                seq.leader = None  # it left (or went on): find another source, or read alone
                self._reuse(seq)
            elif len(leader.tokens) >= seq.wait_for and not leader.copied:
                seq.leader = None
                llama_cpp.llama_memory_seq_rm(self._memory, seq.seq_id, -1, -1)
                self._copy(leader, seq, seq.wait_for)
        batch = self._batch
        batch.n_tokens = 0
        budget = self.settings.batch_tokens
        fed = 0
        for seq in self._active:  # by sequence id: llama.cpp decodes id ranges together
            seq.out_index = -1
            if seq.leader is not None:
                continue
            if seq.feed is not None:
                seq.out_index = self._add(seq.feed, len(seq.tokens), seq.seq_id, True)
                seq.tokens.append(seq.feed)
                seq.feed = None
                budget -= 1
                fed += 1
        for seq in self._active:
            if seq.leader is not None or not seq.pending or seq.out_index >= 0 or budget <= 0:
                continue
            pending = seq.pending
            # the last RECOMPUTED prompt tokens are read in a step of their own, as a
            # read that reuses a prefix reads them: both then give the same logits
            tail = len(pending) - RECOMPUTED
            chunk = pending[: min(budget, tail)] if tail > 0 else pending[:budget]
            start = len(seq.tokens)
            for k, token in enumerate(chunk):
                last = k == len(pending) - 1
                index = self._add(token, start + k, seq.seq_id, last)
                if last:
                    seq.out_index = index
            seq.tokens.extend(chunk)
            self.stats.prompt_tokens_computed += len(chunk)
            budget -= len(chunk)
            fed += 1
        if batch.n_tokens == 0:
            return
        started = time.monotonic()
        code = llama_cpp.llama_decode(self._ctx, batch)
        seconds = time.monotonic() - started
        if code != 0:
            raise RuntimeError(f"llama_decode returned {code}")
        self._copying.clear()
        st = self.stats
        st.steps += 1
        st.max_batch_sequences = max(st.max_batch_sequences, fed)
        if batch.n_tokens == fed:  # one token per sequence: a pure decode step
            seen = st.decode_steps.setdefault(fed, [0, 0.0])
            seen[0] += 1
            seen[1] += seconds
        for seq in list(self._active):
            seq.copied = False
            if seq.out_index >= 0:
                self._next_token(seq)

    def _add(self, token: int, pos: int, seq_id: int, logits: bool) -> int:
        batch = self._batch
        i = int(batch.n_tokens)
        batch.token[i] = token
        batch.pos[i] = pos
        batch.n_seq_id[i] = 1
        batch.seq_id[i][0] = seq_id
        batch.logits[i] = logits
        batch.n_tokens = i + 1
        return i

    def _compact(self) -> None:
        """Move the highest sequence into the lowest free id below it, so the working
        ids stay one range (one pass over the weights per step). Its stream is copied
        cell for cell, so its results do not change."""
        import llama_cpp

        if not self._active:
            return
        used = {q.seq_id for q in self._active}
        free = [i for i in range(len(self._active)) if i not in used]
        top = self._active[-1]
        if not free or top.copied or any(q.leader is top for q in self._active):
            return
        target = free[0]
        llama_cpp.llama_memory_seq_rm(self._memory, target, -1, -1)
        llama_cpp.llama_memory_seq_cp(self._memory, top.seq_id, target, -1, -1)
        llama_cpp.llama_memory_seq_rm(self._memory, top.seq_id, -1, -1)
        self._copying |= {top.seq_id, target}
        top.seq_id = target
        top.copied = True
        self._active.sort(key=lambda q: q.seq_id)

    def _logits(self, index: int) -> npt.NDArray[np.float32]:
        import llama_cpp

        pointer = llama_cpp.llama_get_logits_ith(self._ctx, index)
        floats = ctypes.cast(pointer, ctypes.POINTER(ctypes.c_float))
        return np.ctypeslib.as_array(floats, shape=(self._n_vocab,))

    def _piece(self, token: int) -> bytes:
        """The bytes a token stands for (special tokens write nothing)."""
        import llama_cpp

        buffer = self._buffer
        size = llama_cpp.llama_token_to_piece(self._vocab, token, buffer, len(buffer), 0, False)
        if size < 0:  # a longer piece than the buffer: grow it and ask again
            self._buffer = buffer = ctypes.create_string_buffer(-size)
            size = llama_cpp.llama_token_to_piece(self._vocab, token, buffer, len(buffer), 0, False)
        return bytes(buffer.raw[:size])

    def _next_token(self, seq: _Seq) -> None:
        import llama_cpp

        job = seq.job
        if seq.trie is not None:
            logits = self._logits(seq.out_index)
            if seq.choice_probs is None:
                seq.choice_probs = seq.trie.probabilities(logits)
            token = seq.trie.pick(logits)
            if token is not None:
                seq.output_tokens += 1
                self.stats.tokens_out += 1
            if seq.trie.written is not None:
                seq.stream.text = seq.trie.written
                self._finish(seq, "stop")
            elif token is not None:
                seq.feed = token
            return
        token = int(llama_cpp.llama_sampler_sample(seq.sampler, self._ctx, seq.out_index))
        if llama_cpp.llama_vocab_is_eog(self._vocab, token):
            self._finish(seq, "stop")
            return
        seq.output_tokens += 1
        self.stats.tokens_out += 1
        seq.stream.add(self._piece(token))
        if seq.stream.stopped:
            self._finish(seq, "stop")
        elif seq.output_tokens >= job.max_tokens:
            self._finish(seq, "length")
        else:
            seq.feed = token
            now = time.monotonic()
            if now - seq.last_report >= PROGRESS_EVERY_S:
                seq.last_report = now
                job.report(Progress(seq.output_tokens, now - seq.started, seq.stream.settled))

    # leaving

    def _finish(self, seq: _Seq, finish: FinishReason) -> None:
        import llama_cpp

        self._active.remove(seq)
        self.stats.in_flight -= 1
        for other in self._active:
            if other.leader is seq:
                other.leader = None
                self._reuse(other)
        if seq.sampler is not None:
            free_sampler(seq.sampler)
            seq.sampler = None
        if not seq.copied and seq.leader is None:
            self._keep(seq)
        llama_cpp.llama_memory_seq_rm(self._memory, seq.seq_id, -1, -1)
        seq.stream.finish()
        job = seq.job
        text = "" if finish == "cancelled" else seq.stream.text
        job.report(Progress(seq.output_tokens, time.monotonic() - seq.started, text))
        job.resolve(
            JobOutcome(
                text=text,
                finish=finish,
                prompt_tokens=len(job.prompt),
                output_tokens=seq.output_tokens,
                reused_tokens=seq.reused,
                choice_probs=seq.choice_probs,
            )
        )

    def _keep(self, seq: _Seq) -> None:
        """Keep the computed prompt of a finishing sequence (its KV bytes), replacing a
        kept prompt it extends; the least recently used go past `cache_bytes`."""
        import llama_cpp

        length = seq.prompt_done
        if length < self.settings.min_reuse or self.settings.cache_bytes <= 0:
            return
        tokens = seq.job.prompt[:length]
        for kept in list(self._kept):
            shared = _common(kept.tokens, tokens)
            if shared == length:
                kept.used = time.monotonic()
                return  # already kept (or a longer prompt that starts with it)
            if shared == len(kept.tokens):
                self._kept.remove(kept)
        llama_cpp.llama_memory_seq_rm(self._memory, seq.seq_id, length, -1)
        size = int(llama_cpp.llama_state_seq_get_size(self._ctx, seq.seq_id))
        if size > self.settings.cache_bytes:
            return
        buffer = (ctypes.c_uint8 * size)()
        written = int(llama_cpp.llama_state_seq_get_data(self._ctx, buffer, size, seq.seq_id))
        if written <= 0:
            return
        self._kept.append(_Kept(tokens, bytes(buffer)[:written], time.monotonic()))
        while sum(len(k.state) for k in self._kept) > self.settings.cache_bytes:
            self._kept.remove(min(self._kept, key=lambda k: k.used))


async def run_job(
    engine: BatchEngine, job: Job, on_progress: ProgressCallback | None
) -> JobOutcome:
    """Submit `job` and wait for it, passing its progress on. Cancelling the awaiting
    task cancels the job and returns once the engine has let it go (within a step)."""
    engine.submit(job)
    try:
        while True:
            event = await anyio.to_thread.run_sync(job.next_event, abandon_on_cancel=True)
            if isinstance(event, JobOutcome):
                return event
            if on_progress is not None:
                on_progress(event)
    except anyio.get_cancelled_exc_class():
        job.cancel.set()
        engine.wake()
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(job.done.wait)
        raise
