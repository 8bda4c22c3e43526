"""The batched local model's constrained choices (`ChoiceTrie`): the probabilities it
reads are those `choice_probs` reads on the unbatched path, and the pick walks one
choice's tokens."""

from __future__ import annotations

import numpy as np
import pytest

from cadenza.providers.choices import choice_probs
from cadenza.providers.local_sampling import ChoiceTrie

# A toy vocabulary: each way of writing yes / no is one token.
VOCAB = {"yes": 1, " yes": 2, "Yes": 3, " Yes": 4, "YES": 5, "no": 6, " no": 7, "No": 8}
VOCAB |= {" No": 9, "NO": 10}


def tokenize(text: str) -> list[int]:
    return [VOCAB[text]] if text in VOCAB else [99]


def trie() -> ChoiceTrie:
    return ChoiceTrie(("yes", "no"), tokenize, end_token=0, temperature=0.0, seed=1)


def test_a_model_that_would_write_Yes_still_gives_its_weight_to_yes() -> None:
    logits = np.full(100, -20.0, dtype=np.float32)
    logits[VOCAB["yes"]] = -1.0  # the exact spelling is unlikely ...
    logits[VOCAB["Yes"]] = 4.0  # ... the model would rather start with "Yes"
    logits[VOCAB["no"]] = 1.0
    read = trie().probabilities(logits)
    assert read == choice_probs(("yes", "no"), logits, tokenize)
    assert read["yes"] > 0.9  # read from the exact tokens alone it was below 0.12


def test_the_pick_writes_a_whole_choice() -> None:
    logits = np.full(100, -20.0, dtype=np.float32)
    logits[VOCAB["no"]] = 2.0
    walk = trie()
    assert walk.pick(logits) == VOCAB["no"]
    assert walk.written == "no"


def test_choices_that_share_their_first_token_split_its_probability() -> None:
    def shared(text: str) -> list[int]:
        return {"ab": [1, 2], "ac": [1, 3]}.get(text, [99])

    walk = ChoiceTrie(("ab", "ac"), shared, end_token=0, temperature=0.0, seed=1)
    logits = np.zeros(100, dtype=np.float32)
    assert walk.probabilities(logits) == pytest.approx({"ab": 0.5, "ac": 0.5})
