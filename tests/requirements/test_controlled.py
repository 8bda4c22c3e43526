"""The controlled language a model restates requirements in: every sentence of its
grammar is read by the grammar reader and reads back the same after `describe`, and
llama.cpp accepts its GBNF."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from cadenza.requirements import controlled, grammar
from cadenza.requirements.controlled import ANY, MANY, NUMBER, ONE, QUOTED, TONGUE, Form
from cadenza.requirements.lang.describe import describe
from cadenza.requirements.lang.nodes import (
    Bound,
    Compare,
    Contains,
    Count,
    Distinct,
    EndsWith,
    Format,
    Named,
    Not,
    Select,
    Sorted,
    StartsWith,
    Text,
)

QUOTES = ("The", "Acme Corp", "?", "Dear team,", "x-ray", "42 is the answer", "Best,", "!!")


def sentence(form: Form, rng: random.Random) -> str:
    """`form` filled at random: unit names of each slot, numbers in increasing order
    (so "between N and M" is a range), quoted text of several kinds."""
    numbers = iter(sorted(rng.sample([2, 3, 5, 12, 40, 150, 2000], 3)))
    words = controlled.unit_words()

    def fill(slot: str) -> str:
        if slot == NUMBER:
            return str(next(numbers))
        if slot == QUOTED:
            return f"'{rng.choice(QUOTES)}'"
        if slot == TONGUE:
            return rng.choice(controlled.language_names())
        if slot == ANY and rng.random() < 0.3:  # what is counted, narrowed
            where = rng.choice(controlled.language().wheres)
            return f"{rng.choice(words[ANY])} that {where.text(fill)}"
        return rng.choice(words[slot])

    return form.text(fill)


def sampled(count: int, seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(count):
        clauses = rng.randint(1, controlled.MAX_CLAUSES)
        yield "; ".join(sentence(rng.choice(controlled.forms()), rng) for _ in range(clauses))


@pytest.mark.parametrize("seed", range(4))
def test_every_sentence_of_the_language_is_read_and_reads_back_the_same(seed: int) -> None:
    for text in sampled(150, seed):
        expr = grammar.parse(text)
        assert expr is not None, text
        assert grammar.parse(describe(expr)) == expr, (text, describe(expr))


def test_the_forms_cover_every_scope_and_check_of_the_language() -> None:
    listed = controlled.catalogue()
    for wanted in (
        "the answer has at most N UNITs",
        "the answer has between N and N UNITs",
        "the answer has no UNITs",
        "the answer has at least N occurrences of 'X'",
        "After the UNITs of a count: that start with 'X' / that end with 'X' / that contain 'X'",
        "the answer starts with 'X'",
        "the answer does not contain 'X'",
        "the answer is all capitals",
        "the answer is valid JSON",
        "the answer is CSV with N columns, with a header row",
        "the answer is a markdown table with N columns, with exactly N data rows",
        "the answer has UNITs in alphabetical order",
        "the answer has no two UNITs with the same first word",
        "every UNIT, no UNIT, the first UNIT, the last UNIT, UNIT N",
    ):
        assert wanted in listed, wanted
    assert len(controlled.forms()) > 100  # 6 scopes x the checks, and the whole-answer checks


def test_unit_names_are_describes_and_the_reader_reads_each_as_that_unit() -> None:
    words = controlled.unit_words()
    assert {"bullet point", "word", "table row", "hashtag"} <= set(words[ONE])
    assert {"bullet points", "words", "table rows"} <= set(words[MANY])
    assert {"commas", "question mark", "em dashes"} <= set(words[ANY]) - set(words[ONE])
    assert "[placeholder]" not in words[ONE]  # describe writes it, the lexicon does not read it
    assert "commas" not in words[MANY]  # marks are counted, never selected


def test_what_describe_writes_for_the_new_vocabulary_is_read() -> None:
    for expr in (
        Compare(Count(Named("emoji")), Bound("exactly", 0)),
        Compare(Count(Text("Acme")), Bound("at_least", 2)),
        Compare(Count(Text("?", whole_word=False)), Bound("at_most", 2)),
        Select("each", Named("paragraph"), Not(StartsWith("The"))),
        Select("first", Named("table_row"), StartsWith("|")),
        Format("yaml"),
        Sorted(Named("bullet"), descending=True),
        Distinct(Named("sentence"), "last_word"),
        Distinct(Named("word"), adjacent=True),
        Compare(Count(Named("sentence"), EndsWith("?")), Bound("at_least", 2)),
        Compare(Count(Named("line"), Contains("TODO")), Bound("exactly", 0)),
    ):
        assert grammar.parse(describe(expr)) == expr, describe(expr)


def test_the_gbnf_offers_the_judge_and_every_subject_check_and_whole_answer_form() -> None:
    lines = controlled.gbnf().splitlines()
    assert lines[:2] == [
        'root ::= "judge" | clause ("; " clause){0,2}',
        'clause ::= subject " " check | whole',
    ]
    lang = controlled.language()
    rules = dict(line.split(" ::= ", 1) for line in lines)
    for name, listed in (
        ("subject", lang.subjects),
        ("check", lang.checks),
        ("whole", lang.wholes),
    ):
        assert rules[name].split(" | ") == [form.gbnf() for form in listed]
    assert len(lang.subjects) == 6 and len(lang.checks) == 25 and len(lang.wholes) == 17
    assert len(lang.wheres) == 6  # start / end with, contain: plural and singular verbs
    assert rules[ONE].startswith('"character" | "letter" | "word"')
    # a language by its English name, each one the reader reads back as that language
    assert '"Spanish"' in rules[TONGUE].split(" | ") and '"Klingon"' not in rules[TONGUE]


@pytest.fixture(scope="module")
def vocab() -> Any:
    """The 135M test model's vocabulary (vocabulary only: no weights are loaded)."""
    import llama_cpp
    from llama_cpp import Llama

    from cadenza.providers.local_models import find_part, spec_for

    path = find_part(spec_for("smollm2-135m").parts[0])
    assert path is not None, "the 135M test model is not installed (bash scripts/test does)"
    llm = Llama(str(path), vocab_only=True, verbose=False)
    yield llama_cpp.llama_model_get_vocab(llm._model.model)
    llm.close()


def test_llama_cpp_parses_the_gbnf(vocab: Any) -> None:
    import llama_cpp

    sampler = llama_cpp.llama_sampler_init_grammar(vocab, controlled.gbnf().encode(), b"root")
    assert sampler, "llama.cpp could not parse the controlled language's grammar"
    llama_cpp.llama_sampler_free(sampler)
