"""The JSON schema of the check language, so a model can be made to emit only
well-formed expressions (grammar-constrained JSON on the local model, ``json_schema``
on hosted ones).

The schema is recursive through ``$defs`` and wrapped in a top-level ``anyOf`` (the
form llama.cpp's schema-to-grammar converter resolves). Strings and lists are bounded
so a small model cannot ramble. `codec.from_json` is still the judge of validity: a
few constraints (a regex that compiles, a valid JSON Schema) are not expressible here.
"""

from __future__ import annotations

from typing import Any

from cadenza.requirements.lang.nodes import (
    CASE_KINDS,
    COLUMN_TYPES,
    DISTINCT_KEYS,
    FORMAT_KINDS,
    UNIT_NAMES,
)

_TEXT = {"type": "string", "minLength": 1, "maxLength": 160}
_REGEX = {"type": "string", "minLength": 1, "maxLength": 200}
_LONG_REGEX = {"type": "string", "minLength": 1, "maxLength": 400}  # near misses: alternations
_REQUEST = {"type": "string", "minLength": 1, "maxLength": 1000}  # a request to repeat
_LANGUAGE = {"type": "string", "pattern": "^[a-z]{2}(-[a-z]{2})?$"}
_INT = {"type": "integer", "minimum": 0, "maximum": 100000}
_NUM = {"type": "number", "minimum": 0, "maximum": 100000}
_BOOL = {"type": "boolean"}
_REF_EXPR = {"$ref": "#/$defs/expr"}
_REF_UNIT = {"$ref": "#/$defs/unit"}
_SINGLE = ("exactly", "at_least", "at_most", "less_than", "more_than")


def _obj(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _bounded(
    head: dict[str, Any], head_required: list[str], number: dict[str, Any]
) -> list[dict[str, Any]]:
    """One variant per relation, so exactly one relation key is given."""
    out = []
    for rel in _SINGLE:
        out.append(_obj({**head, rel: number}, [*head_required, rel]))
    pair = {"type": "array", "items": number, "minItems": 2, "maxItems": 2}
    out.append(_obj({**head, "between": pair}, [*head_required, "between"]))
    return out


def _unit_schema() -> dict[str, Any]:
    return {
        "anyOf": [
            {"type": "string", "enum": list(UNIT_NAMES)},
            _obj({"text": _TEXT, "whole_word": _BOOL, "case_sensitive": _BOOL}, ["text"]),
            _obj(
                {
                    "pattern": _REGEX,
                    "ignore_case": _BOOL,
                    "name": _TEXT,
                    "example": _TEXT,
                    "near": _LONG_REGEX,
                    "fix": _TEXT,
                },
                ["pattern"],
            ),
            _obj({"split": {"type": "string", "minLength": 1, "maxLength": 12}}, ["split"]),
        ]
    }


def _expr_variants() -> list[dict[str, Any]]:
    measure = _obj({"count": _REF_UNIT, "where": _REF_EXPR}, ["count"])
    variants: list[dict[str, Any]] = []
    variants += _bounded({"count": _REF_UNIT, "where": _REF_EXPR}, ["count"], _INT)
    ratio = {"type": "array", "items": measure, "minItems": 2, "maxItems": 2}
    variants += _bounded({"ratio": ratio}, ["ratio"], _NUM)
    for mode in ("each", "any", "none"):
        variants.append(
            _obj({mode: _REF_UNIT, "where": _REF_EXPR, "check": _REF_EXPR}, [mode, "check"])
        )
    for mode in ("first", "last", "outside"):
        variants.append(_obj({mode: _REF_UNIT, "check": _REF_EXPR}, [mode, "check"]))
    index = {"type": "integer", "minimum": -50, "maximum": 50}
    variants.append(
        _obj({"nth": _REF_UNIT, "index": index, "check": _REF_EXPR}, ["nth", "index", "check"])
    )
    for head in ("starts_with", "ends_with", "equals"):
        variants.append(_obj({head: _TEXT, "case_sensitive": _BOOL}, [head]))
    variants.append(
        _obj({"contains": _TEXT, "whole_word": _BOOL, "case_sensitive": _BOOL}, ["contains"])
    )
    variants.append(_obj({"matches": _REGEX, "ignore_case": _BOOL}, ["matches"]))
    variants.append(_obj({"case": {"type": "string", "enum": list(CASE_KINDS)}}, ["case"]))
    variants.append(_obj({"language": _LANGUAGE}, ["language"]))
    rows = {"anyOf": [_INT, *_bounded({}, [], _INT)]}
    columns = {
        "anyOf": [
            {"type": "integer", "minimum": 1, "maximum": 50},
            {"type": "array", "items": _TEXT, "minItems": 1, "maxItems": 20},
        ]
    }
    types = {
        "type": "object",
        "additionalProperties": {"type": "string", "enum": list(COLUMN_TYPES)},
        "maxProperties": 10,
    }
    variants.append(
        _obj(
            {
                "format": {"type": "string", "enum": list(FORMAT_KINDS)},
                "schema": {"type": "object"},
                "columns": columns,
                "header": _BOOL,
                "rows": rows,
                "types": types,
            },
            ["format"],
        )
    )
    variants.append(_obj({"sorted": _REF_UNIT, "descending": _BOOL}, ["sorted"]))
    variants.append(
        _obj(
            {
                "distinct": _REF_UNIT,
                "by": {"type": "string", "enum": list(DISTINCT_KEYS)},
                "adjacent": _BOOL,
            },
            ["distinct"],
        )
    )
    variants.append(_obj({"palindrome": {"const": True}}, ["palindrome"]))
    variants.append(
        _obj({"heading_level": {"type": "integer", "minimum": 1, "maximum": 6}}, ["heading_level"])
    )
    variants.append(_obj({"code_language": _TEXT}, ["code_language"]))
    repeats = {"anyOf": [{"const": True}, _REQUEST]}
    variants.append(_obj({"repeats_request": repeats}, ["repeats_request"]))
    items = {"type": "array", "items": _REF_EXPR, "minItems": 1, "maxItems": 6}
    variants.append(_obj({"all_of": items}, ["all_of"]))
    variants.append(_obj({"any_of": items}, ["any_of"]))
    variants.append(_obj({"not": _REF_EXPR}, ["not"]))
    return variants


def expression_schema() -> dict[str, Any]:
    """The JSON schema of one expression."""
    return {
        "$defs": {"expr": {"anyOf": _expr_variants()}, "unit": _unit_schema()},
        "anyOf": [_REF_EXPR],
    }


def defs() -> dict[str, Any]:
    """The ``$defs`` an enclosing schema needs to refer to ``#/$defs/expr``."""
    return {"expr": {"anyOf": _expr_variants()}, "unit": _unit_schema()}
