"""The JSON schema a model is constrained to: it accepts every expression the codec
writes, refuses malformed ones, and llama.cpp turns it into a grammar it can use."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from lang_samples import EXPRESSIONS, expressions

from cadenza.requirements.compiler import compile_schema
from cadenza.requirements.lang.codec import HEADS, to_json
from cadenza.requirements.lang.nodes import Expr, Language, RepeatsRequest
from cadenza.requirements.lang.schema import defs, expression_schema

VALIDATOR = jsonschema.Draft202012Validator(expression_schema())


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(expression_schema())
    jsonschema.Draft202012Validator.check_schema(compile_schema())
    jsonschema.Draft202012Validator.check_schema(compile_schema(first=False))


def test_every_head_of_the_codec_has_a_branch() -> None:
    branches = expression_schema()["$defs"]["expr"]["anyOf"]
    heads = {key for b in branches for key in b["required"] if key in HEADS}
    assert heads == set(HEADS)
    assert all(b["additionalProperties"] is False for b in branches)


def test_defs_are_what_an_enclosing_schema_refers_to() -> None:
    assert defs() == expression_schema()["$defs"]
    assert compile_schema(first=False)["$defs"] == defs()  # the retry may give an expression


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_every_sample_expression_validates(name: str) -> None:
    VALIDATOR.validate(to_json(EXPRESSIONS[name]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions())
def test_every_expression_the_codec_writes_validates(expr: Expr) -> None:
    errors = list(VALIDATOR.iter_errors(to_json(expr)))
    assert not errors, (to_json(expr), errors[0].message)


@pytest.mark.parametrize(
    "expr",
    [Language("pt-br"), RepeatsRequest("Write a haiku about tea.")],
    ids=["language-with-region", "repeats-a-given-request"],
)
def test_expressions_the_rules_write_validate(expr: Expr) -> None:
    # Both are written by rules (a regional language, the request to repeat read from
    # the prompt) and cached as JSON; the schema must describe them too.
    errors = list(VALIDATOR.iter_errors(to_json(expr)))
    assert not errors, (to_json(expr), errors[0].message if errors else "")


@pytest.mark.parametrize(
    "data",
    [
        {"count": "word", "at_most": 3, "at_least": 1},  # two relations
        {"count": "word"},  # none
        {"count": "wordz", "at_most": 3},
        {"count": "word", "at_most": 2.5},
        {"count": "word", "between": [1]},
        {"each": "bullet"},
        {"nth": "paragraph", "check": {"starts_with": "A"}},
        {"first": "paragraph", "where": {"contains": "a"}, "check": {"contains": "a"}},
        {"starts_with": ""},
        {"starts_with": "A", "whole_word": True},
        {"case": "camel"},
        {"palindrome": False},
        {"heading_level": 7},
        {"all_of": []},
        {"foo": 1},
        [1, 2],
    ],
)
def test_malformed_expressions_do_not_validate(data: Any) -> None:
    assert not VALIDATOR.is_valid(data)


def test_lists_are_bounded_so_a_small_model_cannot_ramble() -> None:
    many = {"all_of": [{"contains": "a"}] * 7}
    assert not VALIDATOR.is_valid(many)
    assert not VALIDATOR.is_valid({"contains": "x" * 161})


# --------------------------------------------------------------------------- llama.cpp


def _grammar(schema: dict[str, Any]) -> str:
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    return json_schema_to_gbnf(json.dumps(schema))


@pytest.mark.parametrize(
    "schema", [expression_schema(), compile_schema(first=False)], ids=["expr", "retry-reply"]
)
def test_llama_cpp_turns_the_schema_into_a_grammar(schema: dict[str, Any]) -> None:
    from llama_cpp.llama_grammar import LlamaGrammar

    grammar = _grammar(schema)
    assert grammar.startswith("alternative-0 ::=") or "root ::=" in grammar
    assert LlamaGrammar.from_string(grammar, verbose=False) is not None
    # every head of the language can be emitted
    for head in HEADS:
        assert f'"\\"{head}\\""' in grammar, head


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


@pytest.mark.parametrize(
    "schema",
    [expression_schema(), compile_schema(), compile_schema(first=False)],
    ids=["expr", "first-reply", "retry-reply"],
)
def test_llama_cpp_parses_the_grammar(vocab: Any, schema: dict[str, Any]) -> None:
    # `LlamaGrammar.from_string` only stores the text; llama.cpp's parser runs when a
    # sampler is built from it, and returns NULL on a grammar it cannot read.
    import llama_cpp

    sampler = llama_cpp.llama_sampler_init_grammar(vocab, _grammar(schema).encode(), b"root")
    assert sampler, "llama.cpp could not parse the grammar"
    llama_cpp.llama_sampler_free(sampler)
    broken = llama_cpp.llama_sampler_init_grammar(vocab, b"root ::= undefined-rule", b"root")
    assert not broken  # the check above can fail
