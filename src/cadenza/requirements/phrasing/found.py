"""What a phrasing rule reports: the checks it read and where in the text it read them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cadenza.requirements.lang.nodes import Expr
from cadenza.requirements.phrasing.text import Sentence


@dataclass(frozen=True, slots=True)
class Found:
    """Checks read from ``text[start:end]`` by the rule named `rule`."""

    start: int
    end: int
    rule: str
    specs: tuple[Expr, ...]


Rule = Callable[[str, list[Sentence]], list[Found]]


def found_in(sentence: Sentence, rule: str, *specs: Expr) -> Found:
    """A finding that spans one whole sentence."""
    return Found(sentence.start, sentence.end, rule, tuple(specs))
