"""Answers constrained to a few choices (`CompletionRequest.choices`), for providers
that sample tokens themselves (the embedded model).

Two parts, independent of how a provider decodes:

- `grammar_text`: a llama.cpp GBNF grammar whose only sentences are the choices, so
  the output is exactly one of them;
- `choice_probs`: the probability of each choice, normalised over the choices, from
  the logits of the answer's first token. Each choice is counted with the usual ways
  a model starts writing it (``yes``, `` yes``, ``Yes``, ``YES``), so a model that would
  rather write "Yes" still gives its weight to "yes". Choices that cannot be told
  apart by their first token (no first token of their own) give None.

`FirstLogits` is a llama-cpp-python logits processor that keeps a copy of the logits
it is first shown (the first sampled token's, over the whole vocabulary) and changes
nothing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Tokenize = Callable[[str], Sequence[int]]
"""Text -> token ids, without a BOS token (the provider's tokenizer)."""


def grammar_text(choices: Sequence[str]) -> str:
    """A GBNF grammar matching exactly one of `choices`."""
    if not choices:
        raise ValueError("at least one choice is needed")  # a bug in the caller
    return "root ::= " + " | ".join(_literal(c) for c in choices)


def _literal(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _variants(choice: str) -> list[str]:
    forms = [choice, choice.lower(), choice.capitalize(), choice.upper()]
    return list(dict.fromkeys(f for form in forms for f in (form, " " + form) if f.strip()))


def first_tokens(choices: Sequence[str], tokenize: Tokenize) -> dict[str, frozenset[int]] | None:
    """For each choice, the first tokens of the usual ways of writing it, keeping only
    the tokens no other choice starts with; None when a choice has none left."""
    found: dict[str, set[int]] = {}
    for choice in choices:
        tokens = set()
        for variant in _variants(choice):
            ids = list(tokenize(variant))
            if ids:
                tokens.add(int(ids[0]))
        found[choice] = tokens
    shared = {t for c in found for t in found[c] if any(t in found[o] for o in found if o != c)}
    own = {c: frozenset(t - shared) for c, t in found.items()}
    if any(not t for t in own.values()):
        return None
    return own


def choice_probs(
    choices: Sequence[str], logits: Sequence[float] | Any, tokenize: Tokenize
) -> Mapping[str, float] | None:
    """Each choice's probability, normalised over `choices`, from the first token's
    `logits` (one per vocabulary entry, by token id). None when the choices are not
    told apart by their first token, or the logits are not usable."""
    starts = first_tokens(choices, tokenize)
    if starts is None:
        return None
    size = len(logits)
    if any(t >= size for tokens in starts.values() for t in tokens):
        return None
    values = {c: [float(logits[t]) for t in tokens] for c, tokens in starts.items()}
    if not all(math.isfinite(v) or v == -math.inf for vs in values.values() for v in vs):
        return None
    top = max(max(vs) for vs in values.values())
    if top == -math.inf:
        return None
    mass = {c: sum(math.exp(v - top) for v in vs) for c, vs in values.items()}
    total = sum(mass.values())
    return {c: m / total for c, m in mass.items()}


def choice_of(text: str, choices: Sequence[str]) -> str | None:
    """The choice `text` is (exactly, or apart from surrounding whitespace and case),
    or None."""
    said = text.strip()
    if said in choices:
        return said
    folded = {c.casefold(): c for c in choices}
    return folded.get(said.casefold())


class FirstLogits:
    """A llama-cpp-python logits processor keeping a copy of the first logits it sees."""

    def __init__(self) -> None:
        self.logits: Any = None  # a numpy array of float32, once seen

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        if self.logits is None:
            self.logits = scores.copy()
        return scores


def llama_options(choices: Sequence[str]) -> tuple[dict[str, Any], FirstLogits]:
    """The llama-cpp-python sampling options that constrain an answer to `choices`
    (a grammar, and a `FirstLogits` processor), and that processor, to read the
    probabilities from with `llama_probs` once the answer is written."""
    from llama_cpp.llama_grammar import LlamaGrammar

    first = FirstLogits()
    grammar = LlamaGrammar.from_string(grammar_text(choices), verbose=False)
    return {"grammar": grammar, "logits_processor": [first]}, first


def llama_probs(
    llama: Any, choices: Sequence[str], first: FirstLogits
) -> Mapping[str, float] | None:
    """`choice_probs` from the logits `first` kept, with `llama`'s tokenizer."""
    if first.logits is None or len(first.logits) != llama.n_vocab():
        return None  # no token sampled, or not the whole vocabulary

    def tokenize(text: str) -> Sequence[int]:
        return list(llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    return choice_probs(choices, first.logits, tokenize)


CHOICE_FIELD = "answer"


def choice_schema(choices: Sequence[str]) -> dict[str, Any]:
    """A JSON schema whose only instances are ``{"answer": <one of the choices>}``,
    for providers that constrain output by structured output or a forced tool."""
    return {
        "type": "object",
        "properties": {CHOICE_FIELD: {"type": "string", "enum": list(choices)}},
        "required": [CHOICE_FIELD],
        "additionalProperties": False,
    }


def unwrap_choice(text: str) -> str:
    """The answer in a `choice_schema` object, exactly that object and nothing more
    (the text as it is when it is not one: the caller reports what is wrong with it)."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return text
    if not isinstance(data, dict) or set(data) != {CHOICE_FIELD}:
        return text
    value = data[CHOICE_FIELD]
    return value if isinstance(value, str) else text


def _starts(choice: str, piece: str) -> bool:
    if choice.startswith(piece):
        return True
    return piece.startswith(choice) and not piece[len(choice)].isalnum()


def probs_from_alternatives(
    choices: Sequence[str], alternatives: Mapping[str, float]
) -> Mapping[str, float] | None:
    """`choice_probs` from the top alternatives of the answer's first token (token text
    -> log probability, as hosted APIs return them): an alternative counts for the one
    choice it starts, or that it is followed by punctuation (``yes"}``), ignoring case
    and leading spaces. None when none does."""
    mass = dict.fromkeys(choices, 0.0)
    for token, logprob in alternatives.items():
        piece = token.lstrip().casefold()
        if not piece or not math.isfinite(logprob):
            continue
        starts = [c for c in choices if _starts(c.casefold(), piece)]
        if len(starts) == 1:
            mass[starts[0]] += math.exp(logprob)
    total = sum(mass.values())
    if total <= 0.0:
        return None
    return {c: m / total for c, m in mass.items()}
