"""What one sequence of the batched local model needs to turn logits into text.

- `sampler_for`: a llama.cpp sampler chain of its own (the request's GBNF grammar, or
  one from its JSON schema, then top-k 40, top-p 0.95, min-p 0.05, temperature and a
  seeded draw; greedy at temperature 0), the same settings llama-cpp-python's chat
  call uses, so a sequence's draws depend only on its own seed and logits.
- `TextStream`: token bytes to text (UTF-8 split across tokens held back), stop
  strings cut off, and the part that may still turn out to start a stop string held
  back from progress reports.
- `ChoiceTrie`: an output constrained to one of a few strings, token by token, and the
  probability of each string read from the first token's logits by `choices.choice_probs`,
  as the unbatched path reads them.
"""

from __future__ import annotations

import codecs
import json
import math
import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from cadenza.providers.choices import choice_probs

TOP_K = 40
TOP_P = 0.95
MIN_P = 0.05


def fresh_seed() -> int:
    """A seed for a request that gave none (llama.cpp takes 32 bits)."""
    return random.SystemRandom().randrange(1, 2**31)


def grammar_of(schema: Mapping[str, Any]) -> str:
    """The GBNF grammar of a JSON schema, by llama-cpp-python's own converter."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    return str(json_schema_to_gbnf(json.dumps(dict(schema))))


def sampler_for(
    vocab: Any,
    temperature: float,
    seed: int,
    schema: Mapping[str, Any] | None,
    grammar: str | None = None,
) -> Any:
    """A new sampler chain (a ``llama_sampler_p``; free it with `free_sampler`). The
    output follows `grammar` (GBNF) when given, else the grammar of `schema`."""
    import llama_cpp

    chain = llama_cpp.llama_sampler_chain_init(llama_cpp.llama_sampler_chain_default_params())
    add = llama_cpp.llama_sampler_chain_add
    text = grammar if grammar is not None else grammar_of(schema) if schema is not None else None
    if text is not None:
        constrained = llama_cpp.llama_sampler_init_grammar(vocab, text.encode(), b"root")
        if not constrained:
            llama_cpp.llama_sampler_free(chain)
            raise ValueError("llama.cpp could not parse the grammar of this request")
        add(chain, constrained)
    if temperature <= 0.0:
        add(chain, llama_cpp.llama_sampler_init_greedy())
        return chain
    add(chain, llama_cpp.llama_sampler_init_top_k(TOP_K))
    add(chain, llama_cpp.llama_sampler_init_top_p(TOP_P, 1))
    add(chain, llama_cpp.llama_sampler_init_min_p(MIN_P, 1))
    add(chain, llama_cpp.llama_sampler_init_temp(temperature))
    add(chain, llama_cpp.llama_sampler_init_dist(seed & 0xFFFFFFFF))
    return chain


def free_sampler(chain: Any) -> None:
    import llama_cpp

    llama_cpp.llama_sampler_free(chain)


@dataclass(slots=True)
class TextStream:
    """The text of one sequence as its tokens arrive."""

    stops: tuple[str, ...] = ()
    text: str = ""
    stopped: bool = False
    _decoder: codecs.IncrementalDecoder = field(
        default_factory=lambda: codecs.getincrementaldecoder("utf-8")(errors="replace")
    )

    def add(self, piece: bytes) -> None:
        """Append a token's bytes; sets `stopped` (and cuts the text) at a stop string."""
        if self.stopped:
            return
        before = len(self.text)
        self.text += self._decoder.decode(piece)
        if not self.stops:
            return
        longest = max(len(s) for s in self.stops)
        start = max(0, before - longest + 1)
        found = [i for i in (self.text.find(s, start) for s in self.stops if s) if i >= 0]
        if found:
            self.text = self.text[: min(found)]
            self.stopped = True

    def finish(self) -> None:
        """Flush bytes of a character left incomplete at the end."""
        if not self.stopped:
            self.text += self._decoder.decode(b"", final=True)

    @property
    def settled(self) -> str:
        """The text that can no longer become part of a stop string."""
        if self.stopped or not self.stops:
            return self.text
        for keep in range(min(len(self.text), max(len(s) for s in self.stops) - 1), 0, -1):
            tail = self.text[-keep:]
            if any(s.startswith(tail) for s in self.stops):
                return self.text[:-keep]
        return self.text


@dataclass(slots=True)
class _Node:
    children: dict[int, _Node] = field(default_factory=dict)
    choice: str | None = None  # a choice ends here


class ChoiceTrie:
    """The token sequences of `choices`, walked one token at a time.

    Each choice is tokenised as the model would write it at the start of its answer.
    At every step only a token that continues some choice is allowed, plus `end_token`
    where a whole choice is written that is also the start of a longer one; the pick
    is greedy at temperature 0 and otherwise drawn from the allowed tokens'
    probabilities with the request's seed. `probabilities` reads the first token's
    logits as `choice_probs` does (each choice with the usual ways of starting it:
    "yes", " yes", "Yes"), so a call gives the same probabilities batched or not; where
    the choices share their first tokens, each gets the probability of its own first
    token, shared equally by the choices that begin with it."""

    def __init__(
        self,
        choices: Sequence[str],
        tokenize: Callable[[str], list[int]],
        *,
        end_token: int,
        temperature: float,
        seed: int,
    ) -> None:
        if not choices:
            raise ValueError("ChoiceTrie needs at least one choice")
        self._choices = tuple(dict.fromkeys(choices))
        self._tokenize = tokenize
        self._root = _Node()
        self._firsts: dict[str, int] = {}
        for choice in dict.fromkeys(choices):
            tokens = tokenize(choice)
            if not tokens:
                raise ValueError(f"choice {choice!r} has no tokens")
            node = self._root
            for token in tokens:
                node = node.children.setdefault(token, _Node())
            node.choice = choice
            self._firsts[choice] = tokens[0]
        self._node = self._root
        self._end = end_token
        self._temperature = temperature
        self._rng = random.Random(seed)
        self.written: str | None = None  # the choice, once complete

    def probabilities(self, logits: npt.NDArray[np.float32]) -> dict[str, float]:
        read = choice_probs(self._choices, logits, self._tokenize)
        if read is not None:
            return dict(read)
        firsts = list(self._root.children)
        by_token = dict(zip(firsts, _softmax(logits[firsts]), strict=True))
        sharing = Counter(self._firsts.values())
        return {c: by_token[t] / sharing[t] for c, t in self._firsts.items()}

    def pick(self, logits: npt.NDArray[np.float32]) -> int | None:
        """The next token to write, or None once a whole choice is written."""
        node = self._node
        allowed = list(node.children)
        if node.choice is not None:
            if not allowed:
                self.written = node.choice
                return None
            allowed.append(self._end)
        scores = logits[allowed]
        if self._temperature <= 0.0:
            index = int(np.argmax(scores))
        else:
            weights = _softmax(scores / self._temperature)
            index = self._rng.choices(range(len(allowed)), weights=weights)[0]
        token = allowed[index]
        if token == self._end and node.choice is not None and token not in node.children:
            self.written = node.choice
            return None
        self._node = node.children[token]
        if not self._node.children:
            self.written = self._node.choice
        return token


def _softmax(scores: npt.NDArray[Any]) -> list[float]:
    values = scores.astype(np.float64)
    top = float(np.max(values))
    exps = [math.exp(float(v) - top) for v in values]
    total = sum(exps)
    return [e / total for e in exps]
