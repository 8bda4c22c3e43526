"""Expressions to JSON and back.

Each node is one JSON object whose *head* key says what it is:

    {"count": "word", "at_most": 100}
    {"count": {"text": "Acme"}, "at_least": 2}
    {"each": "bullet", "check": {"count": "word", "less_than": 12}}
    {"none": "sentence", "check": {"starts_with": "The"}}
    {"nth": "paragraph", "index": 2, "check": {"starts_with": "However"}}
    {"ratio": [{"count": "sentence", "where": {"ends_with": "?"}}, {"count": "sentence"}],
     "at_least": 0.5}
    {"all_of": [...]}, {"any_of": [...]}, {"not": {...}}

A unit is a name (``"word"``) or ``{"text": ...}``, ``{"pattern": ...}`` (with an
optional ``name``, ``example``, ``near`` and ``fix`` for people and near misses),
``{"split": ...}``; a bound is one of ``exactly``, ``at_least``, ``at_most``,
``less_than``, ``more_than`` (a number) or ``between`` (two numbers). `from_json`
refuses anything else with a `LanguageError` that gives the path of the bad part;
`to_json` writes the canonical form (defaults left out).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, assert_never

from cadenza.requirements.lang.nodes import (
    CASE_KINDS,
    COLUMN_TYPES,
    DISTINCT_KEYS,
    FORMAT_KINDS,
    RELATIONS,
    UNIT_NAMES,
    AllOf,
    AnyOf,
    Bound,
    Case,
    CodeLanguage,
    ColumnType,
    Compare,
    Contains,
    Count,
    Distinct,
    EndsWith,
    Equals,
    Expr,
    Format,
    HeadingLevel,
    Language,
    LanguageError,
    Matches,
    Named,
    Not,
    Palindrome,
    Pattern,
    Ratio,
    RepeatsRequest,
    Select,
    Sorted,
    Split,
    StartsWith,
    Text,
    Unit,
)

SELECTORS = ("each", "any", "none", "first", "last", "nth", "outside")
_BOUND_KEYS = (*RELATIONS,)

# head key -> keys allowed beside it
ALLOWED: dict[str, frozenset[str]] = {
    "count": frozenset({"where", *_BOUND_KEYS}),
    "ratio": frozenset(_BOUND_KEYS),
    "each": frozenset({"where", "check"}),
    "any": frozenset({"where", "check"}),
    "none": frozenset({"where", "check"}),
    "first": frozenset({"check"}),
    "last": frozenset({"check"}),
    "nth": frozenset({"index", "check"}),
    "outside": frozenset({"check"}),
    "starts_with": frozenset({"case_sensitive"}),
    "ends_with": frozenset({"case_sensitive"}),
    "contains": frozenset({"whole_word", "case_sensitive"}),
    "equals": frozenset({"case_sensitive"}),
    "matches": frozenset({"ignore_case", "name"}),
    "case": frozenset(),
    "language": frozenset(),
    "format": frozenset({"schema", "columns", "header", "rows", "types"}),
    "sorted": frozenset({"descending"}),
    "distinct": frozenset({"by", "adjacent"}),
    "palindrome": frozenset(),
    "heading_level": frozenset(),
    "code_language": frozenset(),
    "repeats_request": frozenset(),
    "all_of": frozenset(),
    "any_of": frozenset(),
    "not": frozenset(),
}
HEADS = tuple(ALLOWED)


def from_json(data: Any, path: str = "$") -> Expr:
    """The expression `data` (parsed JSON) describes; `LanguageError` says what is wrong
    and where."""
    try:
        return _expr(data, path)
    except LanguageError as exc:
        if str(exc).startswith("at $"):
            raise
        raise LanguageError(f"at {path}: {exc}") from None


def from_text(text: str) -> Expr:
    """`from_json` of a JSON document."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise LanguageError(f"the expression is not JSON ({exc})") from None
    return from_json(data)


def _fail(path: str, message: str) -> LanguageError:
    return LanguageError(f"at {path}: {message}")


def _expr(data: Any, path: str) -> Expr:
    if not isinstance(data, Mapping):
        raise _fail(path, f"an expression must be a JSON object, got {_kind(data)}")
    heads = [k for k in data if k in ALLOWED]
    if len(heads) != 1:
        found = ", ".join(heads) if heads else "none"
        raise _fail(
            path,
            f"an expression needs exactly one of {', '.join(HEADS)} (found {found})",
        )
    head = heads[0]
    extra = set(data) - {head} - ALLOWED[head]
    if extra:
        allowed = ", ".join(sorted(ALLOWED[head])) or "nothing"
        raise _fail(
            path, f"{head!r} takes {allowed} beside it; unknown: {', '.join(sorted(extra))}"
        )
    value = data[head]
    try:
        match head:
            case "count":
                count = Count(_unit(value, f"{path}.count"), _opt_expr(data, "where", path))
                return Compare(count, _bound(data, path, integral=True))
            case "ratio":
                if not isinstance(value, list) or len(value) != 2:
                    raise _fail(f"{path}.ratio", "give two counts: [numerator, denominator]")
                num = _measure(value[0], f"{path}.ratio[0]")
                den = _measure(value[1], f"{path}.ratio[1]")
                return Ratio(num, den, _bound(data, path, integral=False))
            case "each" | "any" | "none" | "first" | "last" | "nth" | "outside":
                if "check" not in data:
                    raise _fail(path, f"{head!r} needs a 'check' expression")
                index = data.get("index")
                if head == "nth" and (not isinstance(index, int) or isinstance(index, bool)):
                    raise _fail(path, "'nth' needs an integer 'index' (1 first, -1 last)")
                return Select(
                    head,
                    _unit(value, f"{path}.{head}"),
                    _expr(data["check"], f"{path}.check"),
                    _opt_expr(data, "where", path),
                    index if head == "nth" else None,
                )
            case "starts_with":
                return StartsWith(
                    _str(value, path, head), _flag(data, "case_sensitive", False, path)
                )
            case "ends_with":
                return EndsWith(_str(value, path, head), _flag(data, "case_sensitive", False, path))
            case "contains":
                return Contains(
                    _str(value, path, head),
                    _flag(data, "whole_word", True, path),
                    _flag(data, "case_sensitive", False, path),
                )
            case "equals":
                return Equals(_str(value, path, head), _flag(data, "case_sensitive", False, path))
            case "matches":
                return Matches(
                    _str(value, path, head),
                    _flag(data, "ignore_case", False, path),
                    _opt_str(data, "name", path),
                )
            case "case":
                return Case(_choice(value, CASE_KINDS, path, head))
            case "language":
                return Language(_str(value, path, head).strip().lower())
            case "format":
                return _format(data, path)
            case "sorted":
                return Sorted(
                    _unit(value, f"{path}.sorted"), _flag(data, "descending", False, path)
                )
            case "distinct":
                by = data.get("by", "text")
                return Distinct(
                    _unit(value, f"{path}.distinct"),
                    _choice(by, DISTINCT_KEYS, path, "by"),
                    _flag(data, "adjacent", False, path),
                )
            case "palindrome":
                _true(value, path, head)
                return Palindrome()
            case "heading_level":
                return HeadingLevel(_int(value, path, head))
            case "code_language":
                return CodeLanguage(_str(value, path, head).strip().lower())
            case "repeats_request":
                if isinstance(value, str):
                    return RepeatsRequest(value)
                _true(value, path, head)
                return RepeatsRequest()
            case "all_of" | "any_of":
                if not isinstance(value, list) or not value:
                    raise _fail(f"{path}.{head}", "give a non-empty list of expressions")
                items = tuple(_expr(v, f"{path}.{head}[{i}]") for i, v in enumerate(value))
                return AllOf(items) if head == "all_of" else AnyOf(items)
            case "not":
                return Not(_expr(value, f"{path}.not"))
    except LanguageError as exc:
        if str(exc).startswith("at $"):
            raise
        raise _fail(path, str(exc)) from None
    raise _fail(path, f"unknown head {head!r}")  # unreachable: heads are checked above


def _unit(value: Any, path: str) -> Unit:
    if isinstance(value, str):
        if value not in UNIT_NAMES:
            plural = value[:-1] if value.endswith("s") and value[:-1] in UNIT_NAMES else None
            if plural is not None:
                return Named(plural)  # type: ignore[arg-type]
            raise _fail(
                path,
                f"unknown unit {value!r}; use one of {', '.join(UNIT_NAMES)} or "
                '{"text": ...}, {"pattern": ...}, {"split": ...}',
            )
        return Named(value)
    if isinstance(value, Mapping):
        try:
            unit = _object_unit(value, path)
        except LanguageError as exc:
            if str(exc).startswith("at $"):
                raise
            raise _fail(path, str(exc)) from None  # the unit's own fault, at its own path
        if unit is not None:
            return unit
    raise _fail(
        path,
        "a unit is a name like 'word' or an object with text, pattern or split; "
        f"got {_kind(value)}",
    )


_PATTERN_KEYS = ("name", "example", "near", "fix")


def _object_unit(value: Mapping[str, Any], path: str) -> Unit | None:
    keys = set(value)
    if "text" in keys:
        _only(keys, {"text", "whole_word", "case_sensitive"}, path)
        return Text(
            _str(value["text"], path, "text"),
            _flag(value, "whole_word", True, path),
            _flag(value, "case_sensitive", False, path),
        )
    if "pattern" in keys:
        _only(keys, {"pattern", "ignore_case", *_PATTERN_KEYS}, path)
        name, example, near, fix = (_opt_str(value, k, path) for k in _PATTERN_KEYS)
        return Pattern(
            _str(value["pattern"], path, "pattern"),
            _flag(value, "ignore_case", False, path),
            name,
            example,
            near,
            fix,
        )
    if "split" in keys:
        _only(keys, {"split"}, path)
        return Split(_str(value["split"], path, "split"))
    return None


def _measure(value: Any, path: str) -> Count:
    if not isinstance(value, Mapping) or "count" not in value:
        raise _fail(path, 'a measure is {"count": unit, "where"?: expression}')
    _only(set(value), {"count", "where"}, path)
    return Count(_unit(value["count"], f"{path}.count"), _opt_expr(value, "where", path))


def _bound(data: Mapping[str, Any], path: str, *, integral: bool) -> Bound:
    keys = [k for k in _BOUND_KEYS if k in data]
    if len(keys) != 1:
        raise _fail(path, f"give exactly one of {', '.join(_BOUND_KEYS)}")
    rel = keys[0]
    value = data[rel]
    if rel == "between":
        if not isinstance(value, list) or len(value) != 2:
            raise _fail(path, "'between' takes two numbers: [low, high]")
        low, high = (_number(v, path, rel, integral) for v in value)
        return Bound("between", low, high)
    return Bound(rel, _number(value, path, rel, integral))


def _number(value: Any, path: str, key: str, integral: bool) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not ok or (integral and float(value) != int(value)):
        want = "a whole number" if integral else "a number"
        raise _fail(path, f"{key!r} needs {want}, got {value!r}")
    return float(value)


def _format(data: Mapping[str, Any], path: str) -> Format:
    kind = _choice(data["format"], FORMAT_KINDS, path, "format")
    schema = data.get("schema")
    if schema is not None and not isinstance(schema, Mapping):
        raise _fail(path, "'schema' must be a JSON Schema object")
    columns_raw = data.get("columns")
    columns: int | tuple[str, ...] | None
    if columns_raw is None:
        columns = None
    elif isinstance(columns_raw, int) and not isinstance(columns_raw, bool):
        columns = columns_raw
    elif isinstance(columns_raw, list) and all(isinstance(c, str) for c in columns_raw):
        columns = tuple(columns_raw)
    else:
        raise _fail(path, "'columns' is a number or a list of column names")
    header = data.get("header")
    if header is not None and not isinstance(header, bool):
        raise _fail(path, "'header' is true or false")
    rows_raw = data.get("rows")
    rows = None
    if rows_raw is not None:
        if isinstance(rows_raw, int) and not isinstance(rows_raw, bool):
            rows = Bound("exactly", float(rows_raw))
        elif isinstance(rows_raw, Mapping):
            _only(set(rows_raw), set(_BOUND_KEYS), f"{path}.rows")
            rows = _bound(rows_raw, f"{path}.rows", integral=True)
        else:
            raise _fail(path, "'rows' is a number or a bound such as {\"at_least\": 3}")
    types_raw = data.get("types", {})
    if not isinstance(types_raw, Mapping):
        raise _fail(path, "'types' maps column names to integer, number or text")
    types: list[tuple[str, ColumnType]] = []
    for name, kind_name in types_raw.items():
        types.append((str(name), _choice(kind_name, COLUMN_TYPES, path, f"types.{name}")))
    return Format(
        kind,
        json.dumps(schema, sort_keys=True) if schema is not None else None,
        columns,
        header,
        rows,
        tuple(types),
    )


def _opt_expr(data: Mapping[str, Any], key: str, path: str) -> Expr | None:
    if key not in data or data[key] is None:
        return None
    return _expr(data[key], f"{path}.{key}")


def _only(keys: set[str], allowed: set[str], path: str) -> None:
    extra = keys - allowed
    if extra:
        raise _fail(
            path,
            f"unknown key(s) {', '.join(sorted(extra))}; allowed: {', '.join(sorted(allowed))}",
        )


def _str(value: Any, path: str, key: str) -> str:
    if not isinstance(value, str):
        raise _fail(path, f"{key!r} needs a string, got {_kind(value)}")
    return value


def _opt_str(data: Mapping[str, Any], key: str, path: str) -> str | None:
    value = data.get(key)
    return None if value is None else _str(value, path, key)


def _int(value: Any, path: str, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _fail(path, f"{key!r} needs a whole number, got {_kind(value)}")
    return value


def _flag(data: Mapping[str, Any], key: str, default: bool, path: str) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise _fail(path, f"{key!r} is true or false, got {value!r}")
    return value


def _true(value: Any, path: str, key: str) -> None:
    if value is not True:
        raise _fail(path, f"{key!r} takes the value true")


def _choice(value: Any, options: tuple[Any, ...], path: str, key: str) -> Any:
    if value not in options:
        raise _fail(path, f"{key!r} is one of {', '.join(map(str, options))}, got {value!r}")
    return value


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


# --------------------------------------------------------------------------- to JSON


def to_json(expr: Expr) -> dict[str, Any]:
    """The canonical JSON form of `expr` (defaults left out)."""
    match expr:
        case Compare():
            out = _count_json(expr.count)
            out.update(_bound_json(expr.bound))
            return out
        case Ratio():
            return {
                "ratio": [_count_json(expr.numerator), _count_json(expr.denominator)],
                **_bound_json(expr.bound),
            }
        case Select():
            sel: dict[str, Any] = {expr.mode: unit_json(expr.unit)}
            if expr.index is not None:
                sel["index"] = expr.index
            if expr.where is not None:
                sel["where"] = to_json(expr.where)
            sel["check"] = to_json(expr.check)
            return sel
        case StartsWith():
            return _with({"starts_with": expr.text}, case_sensitive=(expr.case_sensitive, False))
        case EndsWith():
            return _with({"ends_with": expr.text}, case_sensitive=(expr.case_sensitive, False))
        case Contains():
            return _with(
                {"contains": expr.text},
                whole_word=(expr.whole_word, True),
                case_sensitive=(expr.case_sensitive, False),
            )
        case Equals():
            return _with({"equals": expr.text}, case_sensitive=(expr.case_sensitive, False))
        case Matches():
            return _with(
                {"matches": expr.regex},
                ignore_case=(expr.ignore_case, False),
                name=(expr.name, None),
            )
        case Case():
            return {"case": expr.kind}
        case Language():
            return {"language": expr.code}
        case Format():
            fmt: dict[str, Any] = {"format": expr.kind}
            if expr.schema is not None:
                fmt["schema"] = json.loads(expr.schema)
            if expr.columns is not None:
                fmt["columns"] = (
                    expr.columns if isinstance(expr.columns, int) else list(expr.columns)
                )
            if expr.header is not None:
                fmt["header"] = expr.header
            if expr.rows is not None:
                fmt["rows"] = _bound_json(expr.rows)
            if expr.types:
                fmt["types"] = dict(expr.types)
            return fmt
        case Sorted():
            return _with({"sorted": unit_json(expr.unit)}, descending=(expr.descending, False))
        case Distinct():
            return _with(
                {"distinct": unit_json(expr.unit)},
                by=(expr.by, "text"),
                adjacent=(expr.adjacent, False),
            )
        case Palindrome():
            return {"palindrome": True}
        case HeadingLevel():
            return {"heading_level": expr.level}
        case CodeLanguage():
            return {"code_language": expr.language}
        case RepeatsRequest():
            return {"repeats_request": expr.text if expr.text is not None else True}
        case AllOf():
            return {"all_of": [to_json(e) for e in expr.items]}
        case AnyOf():
            return {"any_of": [to_json(e) for e in expr.items]}
        case Not():
            return {"not": to_json(expr.item)}
        case _:
            assert_never(expr)


def to_text(expr: Expr) -> str:
    """`to_json` as compact JSON text (stable: the same expression, the same text)."""
    return json.dumps(to_json(expr), ensure_ascii=False, separators=(",", ":"))


def unit_json(unit: Unit) -> Any:
    match unit:
        case Named():
            return unit.name
        case Text():
            return _with(
                {"text": unit.text},
                whole_word=(unit.whole_word, True),
                case_sensitive=(unit.case_sensitive, False),
            )
        case Pattern():
            return _with(
                {"pattern": unit.regex},
                ignore_case=(unit.ignore_case, False),
                name=(unit.name, None),
                example=(unit.example, None),
                near=(unit.near, None),
                fix=(unit.fix, None),
            )
        case Split():
            return {"split": unit.separator}
        case _:
            assert_never(unit)


def _count_json(count: Count) -> dict[str, Any]:
    out: dict[str, Any] = {"count": unit_json(count.unit)}
    if count.where is not None:
        out["where"] = to_json(count.where)
    return out


def _bound_json(bound: Bound) -> dict[str, Any]:
    def num(x: float) -> int | float:
        return int(x) if x == int(x) else x

    if bound.relation == "between":
        return {"between": [num(bound.n), num(bound.high if bound.high is not None else bound.n)]}
    return {bound.relation: num(bound.n)}


def _with(base: dict[str, Any], **options: tuple[Any, Any]) -> dict[str, Any]:
    for key, (value, default) in options.items():
        if value != default:
            base[key] = value
    return base
