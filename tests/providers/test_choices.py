"""Answers constrained to choices: the grammar, the probabilities from first-token
logits or from a hosted API's top alternatives, and the real 135M model held to them."""

from __future__ import annotations

import math

import pytest

from cadenza.providers.base import Completion, CompletionRequest, Usage
from cadenza.providers.cached import request_key
from cadenza.providers.choices import (
    choice_probs,
    choice_schema,
    first_tokens,
    grammar_text,
    probs_from_alternatives,
    unwrap_choice,
)
from cadenza.providers.openai import _answer_probs
from cadenza.store.codec import completion_from_json, completion_to_json

VOCAB = {"yes": 1, " yes": 2, "Yes": 3, " Yes": 4, "YES": 5, "no": 6, " no": 7, "No": 8}


def tokenize(text: str) -> list[int]:
    """A toy tokenizer: known words are one token, anything else a token per char."""
    return [VOCAB[text]] if text in VOCAB else [100 + ord(c) % 50 for c in text]


def test_the_grammar_is_exactly_the_choices_escaped() -> None:
    assert grammar_text(("yes", "no")) == 'root ::= "yes" | "no"'
    assert grammar_text(('say "hi"', "a\\b")) == 'root ::= "say \\"hi\\"" | "a\\\\b"'
    with pytest.raises(ValueError, match="at least one choice"):
        grammar_text(())


def test_probabilities_add_the_ways_of_writing_a_choice_and_normalise() -> None:
    logits = [-math.inf] * 160
    logits[1], logits[3], logits[8] = 0.0, math.log(3.0), math.log(4.0)  # yes, Yes, No
    probs = choice_probs(("yes", "no"), logits, tokenize)
    assert probs is not None
    assert probs["yes"] == pytest.approx(0.5) and probs["no"] == pytest.approx(0.5)
    assert sum(probs.values()) == pytest.approx(1.0)


def test_choices_without_a_first_token_of_their_own_give_none() -> None:
    # "ab" and "ac" both start with the toy token for "a"
    assert first_tokens(("ab", "ac"), tokenize) is None
    assert choice_probs(("ab", "ac"), [0.0] * 200, tokenize) is None
    assert choice_probs(("yes", "no"), [0.0] * 4, tokenize) is None  # logits too short


def test_hosted_alternatives_count_for_the_choice_they_start() -> None:
    alternatives = {"yes": math.log(0.6), " Yes": math.log(0.2), "no": math.log(0.1), "{": -1.0}
    probs = probs_from_alternatives(("yes", "no"), alternatives)
    assert probs is not None and probs["yes"] == pytest.approx(0.8 / 0.9)
    assert probs_from_alternatives(("yes", "no"), {"maybe": 0.0}) is None


def test_openai_reads_the_token_where_the_answer_starts() -> None:
    raw = '{"answer": "yes"}'
    tokens = [
        ('{"', {'{"': 0.0}),
        ("answer", {"answer": 0.0}),
        ('":', {'":': 0.0}),
        (' "', {' "': 0.0}),
        ("yes", {"yes": math.log(0.7), "no": math.log(0.3)}),
        ('"}', {'"}': 0.0}),
    ]
    probs = _answer_probs(("yes", "no"), raw, tokens)
    assert probs is not None and probs["yes"] == pytest.approx(0.7)
    # a token that carries the opening quote with the answer
    merged = [('{"answer": ', {}), ('"no', {'"no': math.log(0.9), '"yes': math.log(0.1)})]
    probs = _answer_probs(("yes", "no"), '{"answer": "no"}', merged)
    assert probs is not None and probs["no"] == pytest.approx(0.9)
    assert unwrap_choice(raw) == "yes" and unwrap_choice("nonsense") == "nonsense"
    assert choice_schema(("A", "B"))["properties"]["answer"]["enum"] == ["A", "B"]


def test_choices_are_part_of_the_cache_key_and_probabilities_are_stored() -> None:
    plain = CompletionRequest.of("Is it?", temperature=0.0)
    asked = CompletionRequest.of("Is it?", temperature=0.0, choices=("yes", "no"))
    assert request_key("m:x", plain) != request_key("m:x", asked)
    completion = Completion("yes", "stop", Usage(3, 1), "m:x", choice_probs={"yes": 0.8, "no": 0.2})
    assert completion_from_json(completion_to_json(completion)) == completion
    bare = Completion("hi", "stop", Usage(3, 1), "m:x")
    assert completion_from_json(completion_to_json(bare)).choice_probs is None


@pytest.mark.real_model
@pytest.mark.anyio
async def test_the_real_model_is_held_to_the_choices() -> None:
    """The 135M model asked an open question can only answer with one of two words it
    would never write on its own, and says how likely each was."""
    from cadenza.providers.registry import resolve
    from cadenza.settings import Settings

    model = resolve("local:smollm2-135m", Settings.load())
    request = CompletionRequest.of(
        "Write a long story about a dragon.",
        temperature=0.0,
        seed=0,
        max_tokens=8,
        choices=("turquoise", "marmalade"),
    )
    completion = await model.complete(request)
    assert completion.text in ("turquoise", "marmalade")
    probs = completion.choice_probs
    assert probs is not None and set(probs) == {"turquoise", "marmalade"}
    assert sum(probs.values()) == pytest.approx(1.0)
