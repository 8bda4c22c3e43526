"""Words in any script, and content words: the words of a text once function words
("the", "at", "must" ...) are set aside, lower-cased, a plural "s" dropped. Used wherever
two texts are compared for what they say: whether a requirement was read from the words
a model quoted, whether a rewrite kept its parent's content, whether a listed
requirement was found, whether an answer loops.

A word is a run of letters, combining marks and digits in any script (so a Telugu or
Hindi word keeps its vowel signs), with inner apostrophes and a leading ``#``. Scripts
written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Myanmar)
have no words to split on: there each character (grapheme) is a token of its own, so
such texts are compared and measured by characters."""

from __future__ import annotations

from collections.abc import Iterable

import regex

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
_WORD = regex.compile(r"#?[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*")
_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")
_GRAPHEME = regex.compile(r"\X")


def unspaced(token: str) -> bool:
    """Whether `token` is written in a script without spaces between words."""
    return _UNSPACED.search(token) is not None


def token_spans(text: str) -> list[tuple[str, int, int]]:
    """The tokens of `text` (see the module docstring), lower-cased, each with where it
    sits in `text` (start, end)."""
    out: list[tuple[str, int, int]] = []
    for match in _WORD.finditer(text):
        word = match.group()
        if not unspaced(word):
            out.append((word.lower(), match.start(), match.end()))
            continue
        at = match.start()
        for grapheme in _GRAPHEME.findall(word):
            out.append((grapheme.lower(), at, at + len(grapheme)))
            at += len(grapheme)
    return out


def tokens(text: str) -> list[str]:
    """The tokens of `text`: words, or characters in scripts without spaces."""
    return [t for t, _, _ in token_spans(text)]


def content_words(text: str, *, also_ignore: Iterable[str] = ()) -> set[str]:
    """The content words of `text` (see the module docstring); `also_ignore` adds
    function words of the caller's own. A character of a script without spaces is a
    content word of its own."""
    ignored = FUNCTION_WORDS.union(also_ignore)
    return {
        w.rstrip("s") if w.isascii() else w
        for w in tokens(text)
        if (len(w) > 1 or not w.isascii()) and w not in ignored
    }
