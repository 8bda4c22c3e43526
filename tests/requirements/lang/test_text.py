"""Where the punkt sentence model comes from, and the error when it is missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import nltk.data
import pytest

from cadenza.errors import UserError
from cadenza.requirements.lang import text as tx


def test_shipped_model_is_found_without_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NLTK_DATA", raising=False)
    found = tx.punkt_data_dir()
    assert found.parts[-3:] == ("tokenizers", "punkt_tab", "english")


def test_nltk_data_env_comes_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "tokenizers" / "punkt_tab" / "english"
    shutil.copytree(tx.punkt_data_dir(), target)
    monkeypatch.setenv("NLTK_DATA", str(tmp_path))
    assert tx.punkt_data_dir() == target


def test_missing_model_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NLTK_DATA", str(tmp_path))
    monkeypatch.setattr(tx, "files", lambda _pkg: tmp_path / "nowhere")
    monkeypatch.setattr(nltk.data, "path", [])
    with pytest.raises(UserError, match="NLTK_DATA") as err:
        tx.punkt_data_dir()
    assert str(tmp_path) in str(err.value)


def test_sentence_numbers_for_positions() -> None:
    text = "One here. Two here. Three."
    sentences = tx.sentences(text)
    assert len(sentences) == 3
    assert sentences.number_at(0) == 1 and sentences.number_at(text.index("Three")) == 3


def test_ifeval_words_are_runs_of_word_characters() -> None:
    # IFEval counts words with \w+: "don't" is two, "e-mail" two, "42" one
    assert tx.word_count("Hi don't e-mail 42") == 6
    assert [m.group(0) for m in tx.words("a-b")] == ["a", "b"]


def test_language_detection_is_seeded_and_empty_without_letters() -> None:
    german = "Das Wetter ist heute sehr schön und wir gehen im Park spazieren."
    assert {tx.detect_language(german) for _ in range(5)} == {"de"}
    assert tx.language_probabilities("12345 67890") == {}
    assert tx.detect_language("12345") is None
