"""Text analysis the checks share: words, sentences (NLTK punkt), NLTK word tokens,
paragraphs and language detection (langdetect, seeded so a verdict never flips
between runs).

Punkt needs the ``punkt_tab/english`` model. It is looked up, in order, in each folder
of the ``NLTK_DATA`` environment variable, in the copy cadenza ships inside the
package (``cadenza/requirements/data/nltk``), then in NLTK's default folders. The
loaded models are cached for the life of the process.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from cadenza.errors import UserError

_WORD = re.compile(r"\w+")
_PUNKT_PARTS = ("collocations.tab", "sent_starters.txt", "abbrev_types.txt", "ortho_context.tab")


def words(text: str) -> list[re.Match[str]]:
    """Runs of word characters: how IFEval counts words (``\\w+``)."""
    return list(_WORD.finditer(text))


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass(frozen=True, slots=True)
class Sentences:
    """Sentence spans of one text, to count them and to say where something is."""

    spans: tuple[tuple[int, int], ...]

    def __len__(self) -> int:
        return len(self.spans)

    def number_at(self, pos: int) -> int:
        """The 1-based number of the sentence holding character `pos`."""
        starts = [s for s, _ in self.spans]
        return max(1, bisect.bisect_right(starts, pos))


def sentences(text: str) -> Sentences:
    """Sentences as NLTK punkt (English) splits them."""
    return Sentences(tuple(_punkt().span_tokenize(text)))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each punkt sentence of `text`."""
    return list(_punkt().span_tokenize(text))


def nltk_words(text: str) -> list[str]:
    """Tokens as ``nltk.word_tokenize`` gives them: punkt sentences, then the
    Treebank-style word tokenizer on each."""
    tokenizer = _treebank()
    return [tok for s, e in _punkt().span_tokenize(text) for tok in tokenizer.tokenize(text[s:e])]


def split_blank_line_paragraphs(text: str) -> list[str]:
    """Parts between blank lines, as IFEval splits them (on ``"\\n\\n"``), blanks kept."""
    return re.split(r"\n\n", text)


def split_on_marker(text: str, marker: str) -> list[str]:
    """Parts between markers (optional single whitespace around each marker)."""
    return re.split(r"\s?" + re.escape(marker) + r"\s?", text)


def language_probabilities(text: str) -> dict[str, float]:
    """Language code -> probability by langdetect (seeded). Empty when langdetect
    finds no features to judge by (no letters, only numbers ...)."""
    from langdetect.lang_detect_exception import LangDetectException

    detector = _language_factory().create()
    detector.append(text)
    try:
        found = detector.get_probabilities()
    except LangDetectException:
        return {}
    return {str(p.lang): float(p.prob) for p in found}


def detect_language(text: str) -> str | None:
    """The most likely language code, or None when it cannot be detected."""
    from langdetect.lang_detect_exception import LangDetectException

    detector = _language_factory().create()
    detector.append(text)
    try:
        return str(detector.detect())
    except LangDetectException:
        return None


def punkt_data_dir() -> Path:
    """The ``punkt_tab/english`` folder used for sentence splitting; raises `UserError`
    naming where it looked when no complete copy is found."""
    candidates: list[Path] = []
    env = os.environ.get("NLTK_DATA", "")
    candidates += [Path(p) for p in env.split(os.pathsep) if p]
    candidates.append(Path(str(files("cadenza.requirements").joinpath("data", "nltk"))))
    try:
        import nltk.data

        candidates += [Path(p) for p in nltk.data.path]
    except ImportError:  # pragma: no cover - nltk is a dependency
        pass
    for root in candidates:
        folder = root / "tokenizers" / "punkt_tab" / "english"
        if all((folder / part).is_file() for part in _PUNKT_PARTS):
            return folder
    looked = ", ".join(str(c) for c in candidates[:6])
    raise UserError(
        "NLTK's punkt sentence model (tokenizers/punkt_tab/english) was not found; "
        f"looked in: {looked}. Set NLTK_DATA to a folder holding it (cadenza ships a copy "
        "in cadenza/requirements/data/nltk; reinstall cadenza if it is missing)."
    )


@cache
def _punkt() -> Any:
    """The punkt tokenizer built from the model files (read here directly: NLTK's own
    loader only opens files under its global data path, which we leave alone)."""
    from nltk.tabdata import PunktDecoder
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    folder = punkt_data_dir()
    decode = PunktDecoder()
    params = PunktParameters()
    with open(folder / "collocations.tab", encoding="utf-8") as f:
        params.collocations = set(decode.tab2tups(f))
    with open(folder / "sent_starters.txt", encoding="utf-8") as f:
        params.sent_starters = decode.txt2set(f)
    with open(folder / "abbrev_types.txt", encoding="utf-8") as f:
        params.abbrev_types = decode.txt2set(f)
    with open(folder / "ortho_context.tab", encoding="utf-8") as f:
        params.ortho_context = decode.tab2intdict(f)
    return PunktSentenceTokenizer(params)


@cache
def _treebank() -> Any:
    from nltk.tokenize.destructive import NLTKWordTokenizer

    return NLTKWordTokenizer()


@cache
def _language_factory() -> Any:
    """A private langdetect factory with a fixed seed (langdetect's module-level one
    is unseeded, so the same text could get different answers)."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = 0
    return factory
