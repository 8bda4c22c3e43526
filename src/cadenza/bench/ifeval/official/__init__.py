"""IFEval's official scoring: a faithful implementation of Google's current checker
(strict and loose following of 25 instruction kinds).

It follows Google Research's ``instruction_following_eval`` (Copyright The Google
Research Authors, Apache License 2.0); see ``NOTICE`` at the repository root.

Only `cadenza.bench` may import this package: the solver validates with its own
checks, compiled from requirement text, and never with the benchmark's scorer.
"""

from cadenza.bench.ifeval.official.evaluate import follows_loose, follows_strict, loose_variants
from cadenza.bench.ifeval.official.registry import INSTRUCTIONS, Instruction, validate_kwargs
from cadenza.bench.ifeval.official.text import TextTools, find_nltk_data

__all__ = [
    "INSTRUCTIONS",
    "Instruction",
    "TextTools",
    "find_nltk_data",
    "follows_loose",
    "follows_strict",
    "loose_variants",
    "validate_kwargs",
]
