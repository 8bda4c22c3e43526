"""Content words: the words of a text once function words ("the", "at", "must" ...) are
set aside, lower-cased, a plural "s" dropped. Used wherever two texts are compared for
what they say: whether a requirement was read from the words a model quoted, whether a
rewrite kept its parent's content, whether a listed requirement was found."""

from __future__ import annotations

import re
from collections.abc import Iterable

FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "for",
        "in",
        "is",
        "it",
        "its",
        "just",
        "less",
        "may",
        "me",
        "more",
        "must",
        "my",
        "no",
        "not",
        "of",
        "on",
        "only",
        "or",
        "please",
        "should",
        "than",
        "that",
        "the",
        "them",
        "they",
        "this",
        "to",
        "will",
        "with",
        "you",
        "your",
    ]
)
_TOKEN = re.compile(r"[a-z0-9#']+")


def content_words(text: str, *, also_ignore: Iterable[str] = ()) -> set[str]:
    """The content words of `text` (see the module docstring); `also_ignore` adds
    function words of the caller's own."""
    ignored = FUNCTION_WORDS.union(also_ignore)
    return {w.rstrip("s") for w in _TOKEN.findall(text.lower()) if len(w) > 1 and w not in ignored}
