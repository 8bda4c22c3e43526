"""The text measurements IFEval's checker relies on: NLTK's Punkt sentence splitter
and Treebank word tokenizer, its regex word count, and langdetect's language guess.

Everything is loaded from explicit places (an NLTK data folder, langdetect's bundled
profiles) into one `TextTools` object: no global NLTK search path is changed and the
language detector is seeded on our own factory, never on langdetect's global one.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from cadenza.errors import UserError

PUNKT_ENGLISH = Path("tokenizers") / "punkt_tab" / "english"
LANGDETECT_SEED = 0

_WORD = re.compile(r"\w+")


def has_punkt(folder: Path) -> bool:
    """Whether `folder` is an NLTK data folder holding English punkt_tab."""
    return (folder / PUNKT_ENGLISH / "sent_starters.txt").is_file()


def find_nltk_data(
    explicit: Path | None = None,
    *,
    benchmark_dir: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Path:
    """The NLTK data folder the scorer reads: `explicit` if given, else the first
    `NLTK_DATA` entry holding punkt_tab, else `<benchmark_dir>/../nltk_data`."""
    if explicit is not None:
        if not has_punkt(explicit):
            raise UserError(
                f"{explicit} has no tokenizers/punkt_tab/english: point --nltk-data at an "
                "NLTK data folder that holds it (e.g. ../shared/benchmarks/nltk_data)."
            )
        return explicit
    environ = os.environ if env is None else env
    for entry in environ.get("NLTK_DATA", "").split(os.pathsep):
        if entry and has_punkt(Path(entry)):
            return Path(entry)
    if benchmark_dir is not None:
        beside = benchmark_dir.parent / "nltk_data"
        if has_punkt(beside):
            return beside
    raise UserError(
        "No NLTK data with tokenizers/punkt_tab/english found for IFEval's sentence "
        "counting: pass --nltk-data DIR or set NLTK_DATA (the benchmark ships one in "
        "../shared/benchmarks/nltk_data)."
    )


class TextTools:
    """Sentence and word counting and language detection, as IFEval measures them."""

    def __init__(self, nltk_data: Path) -> None:
        self.nltk_data = nltk_data
        self._lock = threading.Lock()

    @cached_property
    def _sentence_splitter(self) -> Any:
        from nltk.tokenize.punkt import PunktSentenceTokenizer

        splitter = PunktSentenceTokenizer()
        splitter._params = _punkt_params(self.nltk_data / PUNKT_ENGLISH)
        return splitter

    @cached_property
    def _word_splitter(self) -> Any:
        from nltk.tokenize.destructive import NLTKWordTokenizer

        return NLTKWordTokenizer()

    @cached_property
    def _language_factory(self) -> Any:
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

        factory = DetectorFactory()
        factory.load_profile(PROFILES_DIRECTORY)
        factory.seed = LANGDETECT_SEED
        return factory

    def sentences(self, text: str) -> list[str]:
        return list(self._sentence_splitter.tokenize(text))

    def count_sentences(self, text: str) -> int:
        return len(self.sentences(text))

    def words(self, text: str) -> list[str]:
        """NLTK's `word_tokenize`: Punkt sentences, then Treebank words in each."""
        splitter = self._word_splitter
        return [word for sentence in self.sentences(text) for word in splitter.tokenize(sentence)]

    @staticmethod
    def count_words(text: str) -> int:
        """IFEval's word count: runs of word characters."""
        return len(_WORD.findall(text))

    def language(self, text: str) -> str | None:
        """langdetect's best guess (seeded), or None when it cannot tell."""
        from langdetect.lang_detect_exception import LangDetectException

        with self._lock:
            factory = self._language_factory
        detector = factory.create()
        detector.append(text)
        try:
            return str(detector.detect())
        except LangDetectException:
            return None


def _punkt_params(folder: Path) -> Any:
    """Punkt's English parameters from a punkt_tab folder (four small text files:
    one entry a line, tab-separated fields)."""
    from collections import defaultdict

    from nltk.tokenize.punkt import PunktParameters

    def lines(name: str) -> list[str]:
        with (folder / name).open(encoding="utf-8") as handle:
            return [line.removesuffix("\n") for line in handle]

    params = PunktParameters()
    params.collocations = {tuple(line.split("\t")) for line in lines("collocations.tab")}
    params.sent_starters = set(lines("sent_starters.txt"))
    params.abbrev_types = set(lines("abbrev_types.txt"))
    context: defaultdict[str, int] = defaultdict(int)
    for line in lines("ortho_context.tab"):
        word, value = line.split("\t")
        context[word] = int(value)
    params.ortho_context = context
    return params
