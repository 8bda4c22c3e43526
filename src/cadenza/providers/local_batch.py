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
- **Prefix reuse.** The KV cache is unified: a cell can belong to several sequences.
  A new sequence takes the longest prefix it shares with a cached prompt (kept when a
  sequence finishes, in the reserved ids after the working ones) or with a working
  sequence (its cells are copied by reference, ``llama_memory_seq_cp``). When the
  prefix it shares with a sequence is still being read, it *rides* along: the shared
  tokens are decoded once with both sequence ids. It then computes only the rest.
  The last prompt token is always computed by the sequence itself (its logits start
  the answer).
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


@dataclass(frozen=True, slots=True)
class BatchSettings:
    """The shape of the batched context. `context_cells` KV cells are shared by the
    working sequences and the cached prompts (about 28 KiB a cell for the 1.5B)."""

    max_sequences: int = 8
    cached_prompts: int = 8
    context_cells: int = 16384
    batch_tokens: int = 512
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
    tokens: list[int]  # what this sequence's KV cells hold, by position
    reused: int
    started: float
    sampler: Any = None
    trie: ChoiceTrie | None = None
    stream: TextStream = field(default_factory=TextStream)
    feed: int | None = None  # the token to decode next, once generating
    out_index: int = -1  # where this step's logits for it are
    output_tokens: int = 0
    leader: _Seq | None = None  # riding on it up to `ride_until`
    ride_until: int = 0
    last_report: float = 0.0
    choice_probs: dict[str, float] | None = None

    @property
    def pending(self) -> list[int]:
        return self.job.prompt[len(self.tokens) :]

    @property
    def riding(self) -> bool:
        return self.leader is not None and len(self.tokens) < self.ride_until


@dataclass(slots=True)
class _Cached:
    seq_id: int
    tokens: list[int]
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
        params.n_ctx = s.context_cells
        params.n_batch = s.batch_tokens
        params.n_ubatch = s.batch_tokens
        params.n_seq_max = s.max_sequences + s.cached_prompts
        params.kv_unified = True
        params.n_threads = threads
        params.n_threads_batch = threads
        params.no_perf = True
        with suppress_stdout_stderr(disable=False):  # llama.cpp's notes on the context
            self._context: Any = LlamaContext(model=self._model, params=params, verbose=False)
        self._buffer = ctypes.create_string_buffer(64)
        self._ctx = self._context.ctx
        self._memory = llama_cpp.llama_get_memory(self._ctx)
        self._batch = llama_cpp.llama_batch_init(s.batch_tokens, 0, params.n_seq_max)
        self._lock = threading.Condition()
        self._incoming: list[Job] = []
        self._closed = False
        self._waiting: list[Job] = []  # the scheduler thread's own from here on
        self._active: list[_Seq] = []
        self._cache: list[_Cached] = []
        self._thread = threading.Thread(target=self._run, name="cadenza-local-batch", daemon=True)
        self._thread.start()

    # -- the caller's side ------------------------------------------------------------

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
        self._thread.join()
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
                    for job in jobs:
                        job.resolve(
                            None, ProviderError("the local model was closed", provider="local")
                        )
                    return
                self._waiting.extend(self._incoming)
                self._incoming.clear()
            try:
                self._drop_cancelled()
                self._admit()
                if self._active:
                    self._step()
                elif self._waiting:  # nothing could be admitted and nothing is running
                    self._fail(self._waiting, "a request does not fit the batched context")
                    self._waiting.clear()
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
        self._cache.clear()
        llama_cpp.llama_memory_clear(self._memory, True)

    def _drop_cancelled(self) -> None:
        for job in [j for j in self._waiting if j.cancel.is_set()]:
            self._waiting.remove(job)
            job.resolve(JobOutcome("", "cancelled", len(job.prompt), 0))
        for seq in [q for q in self._active if q.job.cancel.is_set()]:
            self._finish(seq, "cancelled")

    # admission

    def _reserved(self) -> int:
        held = sum(len(q.job.prompt) + q.job.max_tokens for q in self._active)
        return held + sum(len(c.tokens) for c in self._cache)

    def _admit(self) -> None:
        s = self.settings
        while self._waiting:
            job = self._waiting[0]
            used = {q.seq_id for q in self._active}
            free = [i for i in range(s.max_sequences) if i not in used]
            if not free:
                return
            need = len(job.prompt) + job.max_tokens
            while self._reserved() + need > s.context_cells and self._cache:
                self._evict(min(self._cache, key=lambda c: c.used))
            if self._reserved() + need > s.context_cells and self._active:
                return  # wait for room
            self._waiting.pop(0)
            self._start(job, free[0])

    def _start(self, job: Job, seq_id: int) -> None:
        import llama_cpp

        seq = _Seq(job=job, seq_id=seq_id, tokens=[], reused=0, started=time.monotonic())
        limit = len(job.prompt) - 1  # the last prompt token is always computed
        best = 0
        source: _Cached | _Seq | None = None
        for cached in self._cache:
            n = min(_common(cached.tokens, job.prompt), limit)
            if n > best:
                best, source = n, cached
        leader, ride = None, 0
        for other in self._active:
            n = min(_common(other.tokens, job.prompt), limit)
            if n > best:
                best, source = n, other
            known = min(_common(other.job.prompt, job.prompt), limit)
            if not other.tokens[len(other.job.prompt) :] and known > max(best, ride):
                leader, ride = other, known  # still reading the prompt we share
        if best >= self.settings.min_reuse and source is not None:
            llama_cpp.llama_memory_seq_cp(self._memory, source.seq_id, seq_id, 0, best)
            seq.tokens = list(job.prompt[:best])
            seq.reused = best
            if isinstance(source, _Cached):
                source.used = time.monotonic()
        if leader is not None and ride - len(seq.tokens) >= self.settings.min_reuse:
            have = len(leader.tokens)
            if have > len(seq.tokens):  # take what it has computed beyond our copy
                llama_cpp.llama_memory_seq_rm(self._memory, seq_id, -1, -1)
                llama_cpp.llama_memory_seq_cp(self._memory, leader.seq_id, seq_id, 0, have)
                seq.tokens = list(job.prompt[:have])
                seq.reused = have
            seq.leader, seq.ride_until = leader, ride
            seq.reused = ride  # the shared tokens are decoded once, for the leader
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
            seq.sampler = sampler_for(self._vocab, job.temperature, job.seed, job.schema)
            seq.stream = TextStream(stops=job.stops)
        self._active.append(seq)
        st = self.stats
        st.calls += 1
        st.in_flight += 1
        st.max_in_flight = max(st.max_in_flight, st.in_flight)
        st.prompt_tokens += len(job.prompt)
        st.prompt_tokens_computed += len(job.prompt) - seq.reused

    # one decode step

    def _step(self) -> None:
        import llama_cpp

        batch = self._batch
        budget = self.settings.batch_tokens
        fed: list[tuple[list[_Seq], int]] = []  # who each batch row belongs to, its token

        def add(token: int, pos: int, owners: list[_Seq], logits: bool) -> None:
            i = batch.n_tokens
            batch.token[i] = token
            batch.pos[i] = pos
            batch.n_seq_id[i] = len(owners)
            for k, owner in enumerate(owners):
                batch.seq_id[i][k] = owner.seq_id
            batch.logits[i] = logits
            batch.n_tokens = i + 1
            fed.append((owners, token))

        batch.n_tokens = 0
        for seq in self._active:
            seq.out_index = -1
            if seq.leader is not None and seq.leader not in self._active:
                seq.leader = None  # its leader left: read the rest alone
        riding = {seq.seq_id for seq in self._active if seq.riding}
        for seq in self._active:
            if seq.feed is not None:
                seq.out_index = batch.n_tokens
                add(seq.feed, len(seq.tokens), [seq], True)
                budget -= 1
        for seq in self._active:
            if seq.feed is not None or seq.seq_id in riding or budget <= 0:
                continue
            pending = seq.pending
            chunk = pending[:budget]
            start = len(seq.tokens)
            riders = [r for r in self._active if r.leader is seq and r.riding]
            for k, token in enumerate(chunk):
                pos = start + k
                owners = [seq, *(r for r in riders if len(r.tokens) == pos < r.ride_until)]
                for r in owners[1:]:
                    r.tokens.append(token)  # decoded below for both
                last = k == len(pending) - 1
                if last:
                    seq.out_index = batch.n_tokens
                add(token, pos, owners, last)
            budget -= len(chunk)
            seq.tokens.extend(chunk)
        if batch.n_tokens == 0:
            return
        code = llama_cpp.llama_decode(self._ctx, batch)
        while code == 1 and self._cache:  # no room in the KV cache: drop cached prompts
            self._evict(min(self._cache, key=lambda c: c.used))
            code = llama_cpp.llama_decode(self._ctx, batch)
        if code != 0:
            raise RuntimeError(f"llama_decode returned {code}")
        st = self.stats
        st.steps += 1
        st.max_batch_sequences = max(
            st.max_batch_sequences, len({o.seq_id for owners, _ in fed for o in owners})
        )
        for seq in list(self._active):
            if seq.feed is not None:
                seq.tokens.append(seq.feed)
                seq.feed = None
            if seq.out_index >= 0:
                self._next_token(seq)

    def _logits(self, index: int) -> npt.NDArray[np.float32]:
        import llama_cpp

        pointer = llama_cpp.llama_get_logits_ith(self._ctx, index)
        return np.ctypeslib.as_array(
            ctypes.cast(pointer, ctypes.POINTER(ctypes.c_float)), shape=(self._n_vocab,)
        )

    def _piece(self, token: int) -> bytes:
        """The bytes a token stands for (special tokens write nothing)."""
        import llama_cpp

        size = llama_cpp.llama_token_to_piece(
            self._vocab, token, self._buffer, len(self._buffer), 0, False
        )
        if size < 0:  # a longer piece than the buffer: grow it and ask again
            self._buffer = ctypes.create_string_buffer(-size)
            size = llama_cpp.llama_token_to_piece(
                self._vocab, token, self._buffer, len(self._buffer), 0, False
            )
        return bytes(self._buffer.raw[:size])

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
        if seq.sampler is not None:
            free_sampler(seq.sampler)
            seq.sampler = None
        prompt_done = min(len(seq.tokens), len(seq.job.prompt))
        self._keep(seq, prompt_done)
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

    def _keep(self, seq: _Seq, length: int) -> None:
        """Keep the first `length` prompt tokens of a finishing sequence as a cached
        prompt (replacing a cached prompt it extends)."""
        import llama_cpp

        s = self.settings
        if length < s.min_reuse or s.cached_prompts == 0:
            return
        tokens = seq.job.prompt[:length]
        for cached in list(self._cache):
            shared = _common(cached.tokens, tokens)
            if shared == length:
                cached.used = time.monotonic()
                return  # already cached (or a longer prompt that starts with it)
            if shared == len(cached.tokens):
                self._evict(cached)
        if len(self._cache) >= s.cached_prompts:
            self._evict(min(self._cache, key=lambda c: c.used))
        ids = {c.seq_id for c in self._cache}
        slot = next(
            i for i in range(s.max_sequences, s.max_sequences + s.cached_prompts) if i not in ids
        )
        llama_cpp.llama_memory_seq_cp(self._memory, seq.seq_id, slot, 0, length)
        self._cache.append(_Cached(slot, tokens, time.monotonic()))

    def _evict(self, cached: _Cached) -> None:
        import llama_cpp

        self._cache.remove(cached)
        llama_cpp.llama_memory_seq_rm(self._memory, cached.seq_id, -1, -1)


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
