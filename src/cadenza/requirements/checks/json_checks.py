"""JSON checks: the whole answer is valid JSON (a surrounding ``` / ```json fence is
allowed, as IFEval allows it), and JSON that validates against a JSON Schema."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cadenza.requirements.checks.grade import failed, passed, plural
from cadenza.requirements.spec import JsonSchema, ValidJson
from cadenza.requirements.verdict import Verdict

_FENCE_OPENERS = ("```json", "```Json", "```JSON", "```")
_MAX_STARTS = 64  # bound the search for JSON inside prose


def json_body(text: str) -> str:
    """The answer without surrounding whitespace and one code fence."""
    body = text.strip()
    for opener in _FENCE_OPENERS:
        if body.startswith(opener):
            body = body[len(opener) :]
            break
    return body.removesuffix("```").strip()


@dataclass(frozen=True, slots=True)
class Parsed:
    ok: bool
    value: Any = None
    error: str = ""
    embedded: tuple[int, int] | None = None  # span of a JSON value inside surrounding text


def parse_answer_json(text: str) -> Parsed:
    """The answer parsed as JSON; when that fails, where a JSON value sits inside it."""
    body = json_body(text)
    try:
        return Parsed(True, json.loads(body))
    except ValueError as exc:
        error = _describe(exc)
    return Parsed(False, error=error, embedded=find_embedded_json(text))


def find_embedded_json(text: str) -> tuple[int, int] | None:
    """The span of the longest JSON object or array inside `text`, if any."""
    decoder = json.JSONDecoder()
    best: tuple[int, int] | None = None
    starts = [i for i, ch in enumerate(text) if ch in "{["][:_MAX_STARTS]
    for start in starts:
        try:
            _, end = decoder.raw_decode(text, start)
        except ValueError:
            continue
        if best is None or end - start > best[1] - best[0]:
            best = (start, end)
    return best


def check_valid_json(spec: ValidJson, text: str) -> Verdict:
    parsed = parse_answer_json(text)
    if parsed.ok:
        return passed(spec.family, f"valid JSON ({type(parsed.value).__name__})")
    return _invalid(spec.family, text, parsed)


def check_json_schema(spec: JsonSchema, text: str) -> Verdict:
    import jsonschema

    parsed = parse_answer_json(text)
    if not parsed.ok:
        verdict = _invalid(spec.family, text, parsed)
        return failed(spec.family, verdict.score * 0.5, verdict.reason, verdict.fix_hint)
    validator_cls = jsonschema.validators.validator_for(spec.schema)
    validator = validator_cls(dict(spec.schema))
    errors = sorted(validator.iter_errors(parsed.value), key=lambda e: list(e.absolute_path))
    if not errors:
        return passed(spec.family, "valid JSON matching the schema")
    shown = [f"at {_pointer(e.absolute_path)}: {e.message}" for e in errors[:3]]
    more = f" (+{len(errors) - 3} more)" if len(errors) > 3 else ""
    return failed(
        spec.family,
        0.8 * 0.5 ** (len(errors) - 1),
        f"valid JSON but {plural(len(errors), 'schema violation')}: {'; '.join(shown)}{more}",
        "fix the JSON so it matches the schema: " + "; ".join(shown),
    )


def _invalid(family: str, text: str, parsed: Parsed) -> Verdict:
    if parsed.embedded is not None:
        start, end = parsed.embedded
        before, after = text[:start].strip(), text[end:].strip()
        extra = []
        if before:
            extra.append(f"{len(before)} characters before it")
        if after:
            extra.append(f"{len(after)} characters after it")
        return Verdict(
            0.5,
            False,
            f"the answer holds JSON but also other text ({', '.join(extra)})",
            "return only the JSON value: delete all text before and after it "
            "(a ```json fence is allowed)",
            f"check:{family}",
        )
    body = json_body(text)
    score = 0.25 if body[:1] in ("{", "[") else 0.0
    return Verdict(
        score,
        False,
        f"not valid JSON: {parsed.error}",
        f"fix the JSON syntax ({parsed.error}); output only the JSON value",
        f"check:{family}",
    )


def _describe(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
    return str(exc)


def _pointer(path: Any) -> str:
    parts = [str(p) for p in path]
    return "/" + "/".join(parts) if parts else "the top level"
