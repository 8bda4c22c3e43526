"""What a phrasing rule reports: the checks it read and where in the text it read them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cadenza.requirements.phrasing.text import Sentence
from cadenza.requirements.spec import CheckSpec


@dataclass(frozen=True, slots=True)
class Found:
    """Checks read from ``text[start:end]`` by the rule named `rule`."""

    start: int
    end: int
    rule: str
    specs: tuple[CheckSpec, ...]


Rule = Callable[[str, list[Sentence]], list[Found]]


def found_in(sentence: Sentence, rule: str, *specs: CheckSpec) -> Found:
    """A finding that spans one whole sentence."""
    return Found(sentence.start, sentence.end, rule, tuple(specs))
