"""Which English words are verbs, from a lexicon rather than a list of our own.

An instruction in a prompt is usually an imperative: a bare verb first ("Sound
confident", "Stay in the present tense", "Work in a mention of rain"). No hand-written
list of verbs names them all, so the parts of speech come from LemmInflect's lexicon
(English lemmas and their inflections, packaged with the library; no download)."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=4096)
def _lemmas(word: str, upos: str) -> tuple[str, ...]:
    from lemminflect import getAllLemmas

    found = getAllLemmas(word, upos=upos)  # the lexicon only: no guess for unknown words
    return tuple(found.get(upos, ()))


def _verb_lemmas(word: str) -> tuple[str, ...]:
    return _lemmas(word, "VERB")


def base_verb(word: str) -> bool:
    """Whether `word` is a verb in its bare form ("sound", "stay", "narrate")."""
    word = word.lower()
    return word in _verb_lemmas(word)


def inflected_verb(word: str) -> bool:
    """Whether `word` is a verb form other than the bare one ("is", "comes", "went")."""
    word = word.lower()
    lemmas = _verb_lemmas(word)
    return bool(lemmas) and word not in lemmas


def bare_form(word: str) -> str | None:
    """The bare form of a verb form ("using" -> "use", "keeps" -> "keep"), or None
    when the lexicon knows no verb of that form."""
    lemmas = _verb_lemmas(word.lower())
    return lemmas[0] if lemmas else None


def noun(word: str) -> bool:
    """Whether `word` is a noun, in any form ("cups", "tea")."""
    return bool(_lemmas(word.lower(), "NOUN"))


def adjective(word: str) -> bool:
    """Whether `word` can be an adjective ("upbeat", "calm")."""
    return bool(_lemmas(word.lower(), "ADJ"))


_LEADING = re.compile(r"^\s*([A-Za-z]+ly)\b,?\s+")


def without_leading_adverb(text: str, *, keep: frozenset[str] = frozenset()) -> str:
    """`text` without an adverb in -ly that opens it and is no verb ("Definitely use
    ..." -> "use ..."; "Reply in ..." stays), unless the adverb is in `keep`."""
    m = _LEADING.match(text)
    if m is None:
        return text
    word = m.group(1).lower()
    if word in keep or _lemmas(word, "VERB") or not _lemmas(word, "ADV"):
        return text
    return text[m.end() :]
