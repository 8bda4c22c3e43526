"""The check language: small typed expressions over an answer.

A requirement compiles to one `Expr`. Expressions talk about *units* of the text
(words, sentences, bullets, headings, emojis, a pattern ...), *select* some of them
(each, any, none, the first, the last, the nth, the text outside them), *measure*
(count, ratio) and *compare* with a `Bound` (exactly, at least, at most, fewer than,
more than, between), or test *predicates* on text (starts / ends with, contains,
equals, matches, case, language, format, sorted, distinct, palindrome), combined with
all_of / any_of / not. A selection's `check` applies to each selected unit's own text,
so expressions nest: "each bullet under 12 words" is
``Select("each", Named("bullet"), Compare(Count(Named("word")), Bound("less_than", 12)))``.

Every node is plain frozen data, checked when built (`LanguageError` says what is
wrong). `codec` turns nodes into JSON and back; `schema` gives the JSON schema a model
is constrained to; `evaluate` grades an answer; `describe` reads a node in English.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal, TypeAlias, get_args

from cadenza.errors import RequirementError


class LanguageError(RequirementError):
    """An expression of the check language is malformed (the message says where)."""


UnitName = Literal[
    "character",
    "letter",
    "word",
    "sentence",
    "line",
    "paragraph",
    "section",
    "bullet",
    "numbered_item",
    "list_item",
    "heading",
    "emoji",
    "punctuation",
    "digit",
    "number",
    "capital_word",
    "capitalized_word",
    "code_block",
    "quote",
    "url",
    "email",
    "hashtag",
    "mention",
    "placeholder",
    "bold",
    "italic",
    "highlight",
    "table",
    "table_row",
]
UNIT_NAMES: tuple[UnitName, ...] = get_args(UnitName)

Relation = Literal["exactly", "at_least", "at_most", "less_than", "more_than", "between"]
RELATIONS: tuple[Relation, ...] = get_args(Relation)

SelectMode = Literal["each", "any", "none", "first", "last", "nth", "outside"]
SELECT_MODES: tuple[SelectMode, ...] = get_args(SelectMode)

CaseKind = Literal["lower", "upper", "title", "sentence"]
CASE_KINDS: tuple[CaseKind, ...] = get_args(CaseKind)

FormatKind = Literal["json", "yaml", "csv", "markdown_table"]
FORMAT_KINDS: tuple[FormatKind, ...] = get_args(FormatKind)

DistinctKey = Literal["text", "first_word", "last_word"]
DISTINCT_KEYS: tuple[DistinctKey, ...] = get_args(DistinctKey)

ColumnType = Literal["integer", "number", "text"]
COLUMN_TYPES: tuple[ColumnType, ...] = get_args(ColumnType)


# --------------------------------------------------------------------------- units


@dataclass(frozen=True, slots=True)
class Named:
    """A unit the language knows by name (see `UNIT_NAMES` and `units.py`)."""

    name: UnitName

    def __post_init__(self) -> None:
        if self.name not in UNIT_NAMES:
            raise LanguageError(
                f"unknown unit {self.name!r}; known units: {', '.join(UNIT_NAMES)}, or "
                '{"text": ...}, {"pattern": ...}, {"split": ...}'
            )


@dataclass(frozen=True, slots=True)
class Text:
    """Occurrences of a literal text (a keyword, a character, a phrase). `whole_word`
    requires word boundaries where the text starts or ends with a word character; a
    text ending in a word of three letters or more also matches its plural or
    possessive ("robbers", "Netflix's" for "robber", "Netflix")."""

    text: str
    whole_word: bool = True
    case_sensitive: bool = False

    def __post_init__(self) -> None:
        if not self.text or not self.text.strip():
            raise LanguageError("a text unit needs non-blank text to look for")


@dataclass(frozen=True, slots=True)
class Pattern:
    """Matches of a regular expression (multi-line: ``^`` and ``$`` match at lines).

    Optional, for people and graded verdicts: `name`, a singular noun phrase that
    reports and hints use instead of the regex ("title in double angular brackets";
    its first word is the noun, made plural for counts); `example`, one match as
    written ("<<Title>>"); `near`, a looser regex (same flags) whose matches outside
    real ones are near misses, graded above nothing ("<Title>", "# Title"); `fix`, a
    replacement template (``re`` syntax, groups of `near`) that turns a near miss
    into a match ("<<\\1>>")."""

    regex: str
    ignore_case: bool = False
    name: str | None = None
    example: str | None = None
    near: str | None = None
    fix: str | None = None

    def __post_init__(self) -> None:
        check_regex(self.regex)
        for key in ("name", "example"):
            value = getattr(self, key)
            if value is not None and not value.strip():
                raise LanguageError(f"a pattern's {key} must be non-blank text when given")
        if self.near is not None:
            check_regex(self.near)
        if self.fix is not None:
            if self.near is None:
                raise LanguageError("a pattern's fix rewrites near misses: give 'near' too")
            check_template(self.fix, self.near)


@dataclass(frozen=True, slots=True)
class Split:
    """The parts of the text between occurrences of `separator` (blank parts at the
    ends are dropped; a blank part between two separators is kept, empty)."""

    separator: str

    def __post_init__(self) -> None:
        if not self.separator.strip():
            raise LanguageError("a split unit needs a visible separator, e.g. '***' or ','")


Unit: TypeAlias = Named | Text | Pattern | Split


# --------------------------------------------------------------------------- bounds


@dataclass(frozen=True, slots=True)
class Bound:
    """``value <relation> n`` (``between`` is inclusive: n <= value <= high)."""

    relation: Relation
    n: float
    high: float | None = None

    def __post_init__(self) -> None:
        if self.relation not in RELATIONS:
            raise LanguageError(
                f"unknown relation {self.relation!r}; use one of {', '.join(RELATIONS)}"
            )
        if not math.isfinite(self.n) or self.n < 0:
            raise LanguageError(f"a bound must be a finite number >= 0, got {self.n}")
        if self.relation == "between":
            if self.high is None or not math.isfinite(self.high) or self.high < self.n:
                raise LanguageError(
                    f"'between' needs two numbers, low <= high (got {self.n} and {self.high})"
                )
        elif self.high is not None:
            raise LanguageError(f"only 'between' takes a second number (got {self.relation!r})")
        if self.relation == "less_than" and self.n == 0:
            raise LanguageError("'less_than 0' can never hold; use 'exactly 0'")

    def holds(self, value: float) -> bool:
        match self.relation:
            case "exactly":
                return value == self.n
            case "at_least":
                return value >= self.n
            case "at_most":
                return value <= self.n
            case "less_than":
                return value < self.n
            case "more_than":
                return value > self.n
            case "between":
                return self.n <= value <= (self.high if self.high is not None else self.n)

    def interval(self, integral: bool = True) -> tuple[float, float]:
        """The closed interval of values that satisfy the bound (integral counts move
        strict bounds by one; high is ``inf`` when unbounded)."""
        step = 1.0 if integral else 1e-9
        match self.relation:
            case "exactly":
                return self.n, self.n
            case "at_least":
                return self.n, math.inf
            case "at_most":
                return 0.0, self.n
            case "less_than":
                return 0.0, self.n - step
            case "more_than":
                return self.n + step, math.inf
            case "between":
                return self.n, self.high if self.high is not None else self.n

    def complement(self) -> Bound | None:
        """The bound that holds exactly when this one does not (None for exactly and
        between, whose complements are not one interval, unless they start at 0)."""
        match self.relation:
            case "at_least":
                return None if self.n == 0 else Bound("less_than", self.n)
            case "at_most":
                return Bound("more_than", self.n)
            case "less_than":
                return Bound("at_least", self.n)
            case "more_than":
                return Bound("at_most", self.n)
            case "exactly" if self.n == 0:
                return Bound("more_than", 0)
            case "between" if self.n == 0 and self.high is not None:
                return Bound("more_than", self.high)
            case "exactly" | "between":
                return None


# --------------------------------------------------------------------------- nodes


@dataclass(frozen=True, slots=True)
class Count:
    """How many `unit`s the current text has (only those where `where` holds)."""

    unit: Unit
    where: Expr | None = None


@dataclass(frozen=True, slots=True)
class Compare:
    """A count compared with a bound: ``{"count": "word", "at_most": 100}``."""

    count: Count
    bound: Bound

    def __post_init__(self) -> None:
        if self.bound.n != int(self.bound.n) or (
            self.bound.high is not None and self.bound.high != int(self.bound.high)
        ):
            raise LanguageError(f"a count is compared with whole numbers, got {self.bound.n}")


@dataclass(frozen=True, slots=True)
class Ratio:
    """One count divided by another, compared with a bound: "at least half of the
    sentences are questions" is sentences-ending-in-? / sentences >= 0.5."""

    numerator: Count
    denominator: Count
    bound: Bound


@dataclass(frozen=True, slots=True)
class Select:
    """`check` must hold for the selected units of the current text: ``each`` / ``any`` /
    ``none`` of them (only those where `where` holds), the ``first``, the ``last``, the
    ``nth`` (`index` 1-based; negative counts from the end), or the text ``outside``
    every such unit."""

    mode: SelectMode
    unit: Unit
    check: Expr
    where: Expr | None = None
    index: int | None = None

    def __post_init__(self) -> None:
        if self.mode not in SELECT_MODES:
            raise LanguageError(
                f"unknown selection {self.mode!r}; use one of {', '.join(SELECT_MODES)}"
            )
        if self.mode == "nth":
            if self.index is None or self.index == 0:
                raise LanguageError("'nth' needs an index: 1 is the first, -1 the last")
        elif self.index is not None:
            raise LanguageError(f"only 'nth' takes an index (got {self.mode!r})")
        if self.where is not None and self.mode not in ("each", "any", "none"):
            raise LanguageError(f"'where' filters each / any / none, not {self.mode!r}")


@dataclass(frozen=True, slots=True)
class StartsWith:
    """The current text begins with `text` (whitespace and markdown emphasis before it
    ignored; a word must end where the text does when it ends in a letter or digit)."""

    text: str
    case_sensitive: bool = False

    def __post_init__(self) -> None:
        _need_text("starts_with", self.text)


@dataclass(frozen=True, slots=True)
class EndsWith:
    """The current text ends with `text` (surrounding whitespace and wrapping quotes
    ignored; a word must start where the text does when it starts with a letter)."""

    text: str
    case_sensitive: bool = False

    def __post_init__(self) -> None:
        _need_text("ends_with", self.text)


@dataclass(frozen=True, slots=True)
class Contains:
    """`text` occurs in the current text (whole words by default)."""

    text: str
    whole_word: bool = True
    case_sensitive: bool = False

    def __post_init__(self) -> None:
        _need_text("contains", self.text)


@dataclass(frozen=True, slots=True)
class Equals:
    """The current text is `text` (whitespace, markdown emphasis and a trailing
    punctuation mark the wanted text does not have are ignored)."""

    text: str
    case_sensitive: bool = False

    def __post_init__(self) -> None:
        _need_text("equals", self.text)


@dataclass(frozen=True, slots=True)
class Matches:
    """The regular expression finds a match in the current text (``re.search``;
    multi-line, so anchor with ``\\A`` / ``\\Z`` for the whole text). `name`, when
    given, says in words what a match is, for people ("written on the 24-hour clock":
    a participle phrase, said after "is")."""

    regex: str
    ignore_case: bool = False
    name: str | None = None

    def __post_init__(self) -> None:
        check_regex(self.regex)
        if self.name is not None and not self.name.strip():
            raise LanguageError("a match's name must be non-blank text when given")


@dataclass(frozen=True, slots=True)
class Case:
    """Letter case of the current text: ``lower`` (no capitals), ``upper`` (no lowercase
    letters), ``title`` (every word capitalised), ``sentence`` (capitals only to start a
    sentence, and the word "I")."""

    kind: CaseKind

    def __post_init__(self) -> None:
        if self.kind not in CASE_KINDS:
            raise LanguageError(f"unknown case {self.kind!r}; use one of {', '.join(CASE_KINDS)}")


@dataclass(frozen=True, slots=True)
class Language:
    """The current text is written in `code` (ISO 639-1, e.g. ``en``, ``fr``)."""

    code: str

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z]{2}(-[a-z]{2})?", self.code):
            raise LanguageError(
                f"language {self.code!r} is not an ISO 639-1 code; use e.g. 'en', 'fr', 'de'"
            )


@dataclass(frozen=True, slots=True)
class Format:
    """The current text *is* data in `kind` (a surrounding code fence allowed):
    ``json`` / ``yaml`` (optionally validating against a JSON `schema`), ``csv`` or a
    ``markdown_table`` (optionally with `columns`: a number or the header names,
    `header`: whether a header row is wanted, `rows`: data rows, and `types` of named
    columns)."""

    kind: FormatKind
    schema: str | None = None  # a JSON Schema, as JSON text (keeps the node hashable)
    columns: int | tuple[str, ...] | None = None
    header: bool | None = None
    rows: Bound | None = None
    types: tuple[tuple[str, ColumnType], ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in FORMAT_KINDS:
            raise LanguageError(
                f"unknown format {self.kind!r}; use one of {', '.join(FORMAT_KINDS)}"
            )
        if self.schema is not None:
            if self.kind not in ("json", "yaml"):
                raise LanguageError("a schema applies to json or yaml only")
            check_schema(self.schema)
        tabular = self.kind in ("csv", "markdown_table")
        if not tabular and (self.columns is not None or self.header is not None or self.types):
            raise LanguageError("columns, header and types apply to csv or markdown_table only")
        if not tabular and self.rows is not None:
            raise LanguageError("rows apply to csv or markdown_table only")
        if isinstance(self.columns, int) and self.columns < 1:
            raise LanguageError(f"a table needs at least one column, got {self.columns}")
        if isinstance(self.columns, tuple) and (
            not self.columns or any(not c.strip() for c in self.columns)
        ):
            raise LanguageError("column names must be non-blank")
        for name, kind in self.types:
            if kind not in COLUMN_TYPES:
                raise LanguageError(
                    f"column type {kind!r} of {name!r} is unknown; use {', '.join(COLUMN_TYPES)}"
                )


@dataclass(frozen=True, slots=True)
class Sorted:
    """The `unit`s of the current text are in alphabetical order (case-insensitive);
    `descending` for Z to A."""

    unit: Unit
    descending: bool = False


@dataclass(frozen=True, slots=True)
class Distinct:
    """No two `unit`s of the current text share a key (their text, first or last word,
    case-insensitive); with `adjacent`, only neighbours are compared ("never the same
    word twice in a row")."""

    unit: Unit
    by: DistinctKey = "text"
    adjacent: bool = False

    def __post_init__(self) -> None:
        if self.by not in DISTINCT_KEYS:
            raise LanguageError(
                f"unknown distinct key {self.by!r}; use one of {', '.join(DISTINCT_KEYS)}"
            )


@dataclass(frozen=True, slots=True)
class Palindrome:
    """The current text reads the same backwards (letters and digits only, any case)."""


@dataclass(frozen=True, slots=True)
class HeadingLevel:
    """The current unit is a markdown heading of this level (``##`` is 2)."""

    level: int

    def __post_init__(self) -> None:
        if not 1 <= self.level <= 6:
            raise LanguageError(f"heading levels go from 1 to 6, got {self.level}")


@dataclass(frozen=True, slots=True)
class CodeLanguage:
    """The current unit is a fenced code block tagged with this language (```python)."""

    language: str

    def __post_init__(self) -> None:
        _need_text("code_language", self.language)


@dataclass(frozen=True, slots=True)
class RepeatsRequest:
    """The answer starts with a request, word for word, before anything else (case and
    surrounding whitespace aside): `text` when given, else the user's request the
    answer is checked against (known at check time, not at compile time)."""

    text: str | None = None


@dataclass(frozen=True, slots=True)
class AllOf:
    items: tuple[Expr, ...]

    def __post_init__(self) -> None:
        if not self.items:
            raise LanguageError("all_of needs at least one expression")


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[Expr, ...]

    def __post_init__(self) -> None:
        if not self.items:
            raise LanguageError("any_of needs at least one expression")


@dataclass(frozen=True, slots=True)
class Not:
    item: Expr


Predicate: TypeAlias = (
    StartsWith
    | EndsWith
    | Contains
    | Equals
    | Matches
    | Case
    | Language
    | Format
    | Sorted
    | Distinct
    | Palindrome
    | HeadingLevel
    | CodeLanguage
    | RepeatsRequest
)
Expr: TypeAlias = Compare | Ratio | Select | Predicate | AllOf | AnyOf | Not


# --------------------------------------------------------------------------- helpers


def check_regex(regex: str) -> None:
    if not regex:
        raise LanguageError("the regular expression is empty")
    try:
        re.compile(regex)
    except re.error as exc:
        raise LanguageError(
            f"the regular expression {regex!r} does not compile ({exc}); escape literal "
            "brackets, dots and stars"
        ) from None


def check_template(template: str, regex: str) -> None:
    """A replacement template must parse and refer only to groups `regex` has."""
    try:
        re.compile(regex).sub(template, "")  # parses the template, whatever the text
    except (re.error, IndexError) as exc:
        raise LanguageError(f"the fix {template!r} is not a valid replacement ({exc})") from None


def check_schema(schema: str) -> None:
    import json

    import jsonschema

    try:
        value = json.loads(schema)
    except ValueError as exc:
        raise LanguageError(f"the JSON schema is not JSON ({exc})") from None
    if not isinstance(value, dict):
        raise LanguageError("the JSON schema must be an object")
    try:
        jsonschema.validators.validator_for(value).check_schema(value)
    except jsonschema.SchemaError as exc:
        where = "/".join(str(p) for p in exc.path) or "(top level)"
        raise LanguageError(f"the JSON schema is invalid at {where}: {exc.message}") from None


def _need_text(name: str, text: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise LanguageError(f"{name} needs non-blank text")
