"""The closed vocabulary of mechanical checks: one frozen dataclass per family.

A requirement such as "at least 300 words" compiles to ``WordCount("at_least", 300)``.
Every spec is plain frozen data with a ``family`` name; it is validated when built
(a bad regex, an invalid JSON schema or an impossible relation raises
`RequirementError`), and round-trips through JSON with `spec_to_dict` /
`spec_from_dict`. `spec_json_schema` gives the JSON schema of "one spec", for a model
that maps free text into this vocabulary through constrained output.

Relations on counts: ``at_least`` (>= n), ``at_most`` (<= n), ``exactly`` (== n),
``between`` (n <= x <= n_max), ``less_than`` (< n, strict: IFEval's "less than N"),
``more_than`` (> n, strict).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Literal, TypeAlias, Union, get_args, get_origin, get_type_hints

from cadenza.errors import RequirementError

Relation = Literal["at_least", "at_most", "exactly", "between", "less_than", "more_than"]
RELATIONS: tuple[Relation, ...] = get_args(Relation)

# The three canned answers IFEval's "answer with one of the following options" uses.
DEFAULT_ANSWER_OPTIONS = ("My answer is yes.", "My answer is no.", "My answer is maybe.")


@dataclass(frozen=True, slots=True)
class _Counted:
    """Shared fields of every family that compares a count with a relation."""

    relation: Relation
    n: int
    n_max: int | None = None

    def __post_init__(self) -> None:
        self._validate()

    def _validate(self) -> None:
        _check_relation(self.family_name(), self.relation, self.n, self.n_max)

    @classmethod
    def family_name(cls) -> str:
        return str(getattr(cls, "family", cls.__name__))

    def holds(self, value: int) -> bool:
        """Whether `value` satisfies this spec's relation."""
        return relation_holds(self.relation, value, self.n, self.n_max)


@dataclass(frozen=True, slots=True)
class _Plain:
    """Base of the families that are not counts."""

    def __post_init__(self) -> None:
        self._validate()

    def _validate(self) -> None:
        return None


# --------------------------------------------------------------------------- counts


@dataclass(frozen=True, slots=True)
class WordCount(_Counted):
    """Number of words (runs of word characters, as IFEval counts them)."""

    family: ClassVar[str] = "word_count"


@dataclass(frozen=True, slots=True)
class SentenceCount(_Counted):
    """Number of sentences (NLTK punkt sentence splitting)."""

    family: ClassVar[str] = "sentence_count"


@dataclass(frozen=True, slots=True)
class ParagraphCount(_Counted):
    """Number of paragraphs. With `marker` (e.g. ``"***"``) paragraphs are the parts
    between markers; without, they are blocks separated by blank lines."""

    marker: str | None = None
    family: ClassVar[str] = "paragraph_count"

    def _validate(self) -> None:
        _Counted._validate(self)
        if self.marker is not None and not self.marker.strip():
            raise RequirementError(
                "paragraph_count: the paragraph marker is blank; give a visible marker such "
                "as '***', or no marker to split on blank lines."
            )


@dataclass(frozen=True, slots=True)
class LineCount(_Counted):
    """Number of non-blank lines."""

    family: ClassVar[str] = "line_count"


@dataclass(frozen=True, slots=True)
class CharacterCount(_Counted):
    """Number of characters (whitespace included unless `include_spaces` is false)."""

    include_spaces: bool = True
    family: ClassVar[str] = "character_count"


@dataclass(frozen=True, slots=True)
class BulletCount(_Counted):
    """Number of markdown bullet items (lines starting with ``*`` or ``-``)."""

    family: ClassVar[str] = "bullet_count"


@dataclass(frozen=True, slots=True)
class NumberedItemCount(_Counted):
    """Number of numbered list items (lines starting with ``1.`` or ``1)``)."""

    family: ClassVar[str] = "numbered_item_count"


@dataclass(frozen=True, slots=True)
class SectionCount(_Counted):
    """Number of sections introduced by `marker` followed by a number
    (``SECTION 1``, ``Section 2`` ...). The marker is matched case-sensitively."""

    marker: str = "Section"
    family: ClassVar[str] = "section_count"

    def _validate(self) -> None:
        _Counted._validate(self)
        if not self.marker.strip():
            raise RequirementError(
                "section_count: the section marker is blank; give the word that starts "
                "each section, e.g. 'SECTION' or 'Section'."
            )


@dataclass(frozen=True, slots=True)
class HighlightCount(_Counted):
    """Number of highlighted spans in markdown (``*like this*`` or ``**this**``)."""

    family: ClassVar[str] = "highlight_count"


@dataclass(frozen=True, slots=True)
class PlaceholderCount(_Counted):
    """Number of square-bracket placeholders such as ``[name]``."""

    family: ClassVar[str] = "placeholder_count"


@dataclass(frozen=True, slots=True)
class MarkdownTableCount(_Counted):
    """Number of markdown tables (a header row, a ``|---|`` separator row, body rows)."""

    family: ClassVar[str] = "markdown_table_count"


@dataclass(frozen=True, slots=True)
class CodeBlockCount(_Counted):
    """Number of fenced code blocks; with `language`, only blocks tagged with it."""

    language: str | None = None
    family: ClassVar[str] = "code_block_count"


@dataclass(frozen=True, slots=True)
class KeywordFrequency(_Counted):
    """How often `keyword` occurs (case-insensitive; `whole_word` false matches inside
    longer words, as IFEval does)."""

    keyword: str = ""
    whole_word: bool = False
    family: ClassVar[str] = "keyword_frequency"

    def _validate(self) -> None:
        _Counted._validate(self)
        if not self.keyword.strip():
            raise RequirementError("keyword_frequency: the keyword is empty; give the word.")


@dataclass(frozen=True, slots=True)
class LetterFrequency(_Counted):
    """How often one letter (or other single character, e.g. ``#``) occurs,
    case-insensitively."""

    letter: str = ""
    family: ClassVar[str] = "letter_frequency"

    def _validate(self) -> None:
        _Counted._validate(self)
        if len(self.letter) != 1 or self.letter.isspace():
            raise RequirementError(
                f"letter_frequency: {self.letter!r} is not a single character; give one "
                "letter such as 'q' (any visible character is accepted, e.g. '#')."
            )


@dataclass(frozen=True, slots=True)
class CapitalWordCount(_Counted):
    """Number of words written entirely in capital letters (NLTK word tokens)."""

    family: ClassVar[str] = "capital_word_count"


@dataclass(frozen=True, slots=True)
class RegexCount(_Counted):
    """Number of non-overlapping matches of a regular expression. "Must match" is
    ``at_least 1``; "must not match" is ``exactly 0``."""

    pattern: str = ""
    ignore_case: bool = False
    multiline: bool = True
    family: ClassVar[str] = "regex_count"

    def _validate(self) -> None:
        _Counted._validate(self)
        if not self.pattern:
            raise RequirementError("regex_count: the pattern is empty; give a regex.")
        try:
            re.compile(self.pattern)
        except re.error as exc:
            raise RequirementError(
                f"regex_count: the pattern {self.pattern!r} does not compile ({exc}); "
                "fix the regular expression (escape literal brackets, dots, stars)."
            ) from None


# --------------------------------------------------------------------------- structure


@dataclass(frozen=True, slots=True)
class ParagraphFirstWord(_Plain):
    """The `nth` paragraph (1-based, blank-line separated) starts with `word`; with
    `paragraphs`, the text must also have exactly that many paragraphs."""

    nth: int
    word: str
    paragraphs: int | None = None
    family: ClassVar[str] = "paragraph_first_word"

    def _validate(self) -> None:
        if self.nth < 1:
            raise RequirementError(
                f"paragraph_first_word: paragraph number {self.nth} must be 1 or more."
            )
        if not self.word.strip() or len(self.word.split()) != 1:
            raise RequirementError(f"paragraph_first_word: {self.word!r} must be one word.")
        if self.paragraphs is not None and self.paragraphs < self.nth:
            raise RequirementError(
                f"paragraph_first_word: paragraph {self.nth} cannot start a text of only "
                f"{self.paragraphs} paragraphs."
            )


@dataclass(frozen=True, slots=True)
class Title(_Plain):
    """A title in double angular brackets, ``<<like this>>``."""

    family: ClassVar[str] = "title"


@dataclass(frozen=True, slots=True)
class Postscript(_Plain):
    """A postscript starting with `marker` (``P.S.``, ``P.P.S`` ...)."""

    marker: str = "P.S."
    family: ClassVar[str] = "postscript"

    def _validate(self) -> None:
        if not self.marker.strip():
            raise RequirementError("postscript: the marker is blank; use e.g. 'P.S.'.")


@dataclass(frozen=True, slots=True)
class SeparatedResponses(_Plain):
    """`count` different responses separated by `marker` (IFEval: two, ``******``)."""

    count: int = 2
    marker: str = "******"
    family: ClassVar[str] = "separated_responses"

    def _validate(self) -> None:
        if self.count < 2:
            raise RequirementError(
                f"separated_responses: {self.count} response(s) need no separator; use 2 or more."
            )
        if not self.marker.strip():
            raise RequirementError("separated_responses: the marker is blank; use e.g. '******'.")


@dataclass(frozen=True, slots=True)
class RepeatRequest(_Plain):
    """The answer starts by repeating the request word for word. `request` is the text to
    repeat; when None, the prompt given to the check is used."""

    request: str | None = None
    family: ClassVar[str] = "repeat_request"


# --------------------------------------------------------------------------- keywords


@dataclass(frozen=True, slots=True)
class KeywordsPresent(_Plain):
    """Every keyword appears at least once (case-insensitive; `whole_word` false matches
    inside longer words, as IFEval does)."""

    keywords: tuple[str, ...]
    whole_word: bool = False
    family: ClassVar[str] = "keywords_present"

    def _validate(self) -> None:
        _check_words("keywords_present", self.keywords)


@dataclass(frozen=True, slots=True)
class ForbiddenWords(_Plain):
    """None of the words appears as a whole word (case-insensitive)."""

    words: tuple[str, ...]
    family: ClassVar[str] = "forbidden_words"

    def _validate(self) -> None:
        _check_words("forbidden_words", self.words)


# --------------------------------------------------------------------------- case / chars


@dataclass(frozen=True, slots=True)
class AllLowercase(_Plain):
    """No capital letters anywhere."""

    family: ClassVar[str] = "all_lowercase"


@dataclass(frozen=True, slots=True)
class AllUppercase(_Plain):
    """No lowercase letters anywhere."""

    family: ClassVar[str] = "all_uppercase"


@dataclass(frozen=True, slots=True)
class ForbiddenCharacters(_Plain):
    """None of the characters in `characters` appears (e.g. ``","`` for "no commas")."""

    characters: str
    family: ClassVar[str] = "forbidden_characters"

    def _validate(self) -> None:
        if not self.characters:
            raise RequirementError(
                "forbidden_characters: no characters given; name the ones to avoid, e.g. ','."
            )


# --------------------------------------------------------------------------- start / end


@dataclass(frozen=True, slots=True)
class StartsWith(_Plain):
    """The answer begins with `phrase` (case-insensitive unless `case_sensitive`)."""

    phrase: str
    case_sensitive: bool = False
    family: ClassVar[str] = "starts_with"

    def _validate(self) -> None:
        if not self.phrase.strip():
            raise RequirementError("starts_with: the phrase is empty; give the opening words.")


@dataclass(frozen=True, slots=True)
class EndsWith(_Plain):
    """The answer ends with `phrase` and nothing after it (surrounding whitespace and
    wrapping double quotes ignored, case-insensitive unless `case_sensitive`)."""

    phrase: str
    case_sensitive: bool = False
    family: ClassVar[str] = "ends_with"

    def _validate(self) -> None:
        if not self.phrase.strip():
            raise RequirementError("ends_with: the phrase is empty; give the closing words.")


@dataclass(frozen=True, slots=True)
class WrappedInQuotes(_Plain):
    """The whole answer is wrapped in `quote` characters (double quotes by default)."""

    quote: str = '"'
    family: ClassVar[str] = "wrapped_in_quotes"

    def _validate(self) -> None:
        if len(self.quote) != 1:
            raise RequirementError(
                f"wrapped_in_quotes: {self.quote!r} must be one quote character, e.g. '\"'."
            )


# --------------------------------------------------------------------------- format


@dataclass(frozen=True, slots=True)
class ValidJson(_Plain):
    """The whole answer is valid JSON (a surrounding ```json fence is allowed)."""

    family: ClassVar[str] = "valid_json"


@dataclass(frozen=True, slots=True)
class JsonSchema(_Plain):
    """The whole answer is JSON that validates against `schema` (a JSON Schema)."""

    schema: Mapping[str, Any] = field(hash=False)
    family: ClassVar[str] = "json_schema"

    def _validate(self) -> None:
        import jsonschema

        if not isinstance(self.schema, Mapping):
            raise RequirementError(
                f"json_schema: the schema must be a JSON object, got {type(self.schema).__name__}."
            )
        try:
            jsonschema.validators.validator_for(self.schema).check_schema(dict(self.schema))
        except jsonschema.SchemaError as exc:
            where = "/".join(str(p) for p in exc.path) or "(top level)"
            raise RequirementError(
                f"json_schema: the schema is not a valid JSON Schema at {where}: "
                f"{exc.message}. Fix the schema."
            ) from None


@dataclass(frozen=True, slots=True)
class ResponseLanguage(_Plain):
    """The answer is written in `language` (ISO 639-1 code such as ``en``, ``fr``)."""

    language: str
    family: ClassVar[str] = "response_language"

    def _validate(self) -> None:
        if not re.fullmatch(r"[a-z]{2}(-[a-z]{2})?", self.language):
            raise RequirementError(
                f"response_language: {self.language!r} is not an ISO 639-1 code; use a "
                "lowercase two-letter code such as 'en', 'fr', 'de'."
            )


@dataclass(frozen=True, slots=True)
class AnswerOption(_Plain):
    """The answer contains one of `options` (IFEval: "My answer is yes." ...)."""

    options: tuple[str, ...] = DEFAULT_ANSWER_OPTIONS
    family: ClassVar[str] = "answer_option"

    def _validate(self) -> None:
        _check_words("answer_option", self.options)


CheckSpec: TypeAlias = Union[  # noqa: UP007  (a runtime union: get_args lists the families)
    WordCount,
    SentenceCount,
    ParagraphCount,
    LineCount,
    CharacterCount,
    BulletCount,
    NumberedItemCount,
    SectionCount,
    HighlightCount,
    PlaceholderCount,
    MarkdownTableCount,
    CodeBlockCount,
    KeywordFrequency,
    LetterFrequency,
    CapitalWordCount,
    RegexCount,
    ParagraphFirstWord,
    Title,
    Postscript,
    SeparatedResponses,
    RepeatRequest,
    KeywordsPresent,
    ForbiddenWords,
    AllLowercase,
    AllUppercase,
    ForbiddenCharacters,
    StartsWith,
    EndsWith,
    WrappedInQuotes,
    ValidJson,
    JsonSchema,
    ResponseLanguage,
    AnswerOption,
]

SPEC_TYPES: tuple[type[CheckSpec], ...] = get_args(CheckSpec)

# The families whose parameters start with (relation, n, n_max): build any of them with
# ``cls(relation, n, n_max)`` plus keyword parameters.
CountedSpec: TypeAlias = Union[  # noqa: UP007
    WordCount,
    SentenceCount,
    ParagraphCount,
    LineCount,
    CharacterCount,
    BulletCount,
    NumberedItemCount,
    SectionCount,
    HighlightCount,
    PlaceholderCount,
    MarkdownTableCount,
    CodeBlockCount,
    KeywordFrequency,
    LetterFrequency,
    CapitalWordCount,
    RegexCount,
]
COUNTED_TYPES: tuple[type[CountedSpec], ...] = get_args(CountedSpec)
FAMILIES: dict[str, type[CheckSpec]] = {t.family: t for t in SPEC_TYPES}


def family_of(spec: CheckSpec) -> str:
    """The family name of a spec (``"word_count"`` ...)."""
    return spec.family


def validate_spec(spec: CheckSpec) -> CheckSpec:
    """Re-check a spec's parameters; raises `RequirementError` naming what is wrong."""
    spec._validate()
    return spec


def relation_holds(relation: Relation, value: int, n: int, n_max: int | None = None) -> bool:
    """Whether ``value <relation> n`` (``between`` uses n_max as the upper bound)."""
    match relation:
        case "at_least":
            return value >= n
        case "at_most":
            return value <= n
        case "exactly":
            return value == n
        case "between":
            return n <= value <= (n if n_max is None else n_max)
        case "less_than":
            return value < n
        case "more_than":
            return value > n


def bounds(relation: Relation, n: int, n_max: int | None = None) -> tuple[int, float]:
    """The closed interval [low, high] of counts that satisfy the relation
    (``high`` is ``inf`` when unbounded; an empty interval has low > high)."""
    inf = float("inf")
    match relation:
        case "at_least":
            return n, inf
        case "at_most":
            return 0, n
        case "exactly":
            return n, n
        case "between":
            return n, (n if n_max is None else n_max)
        case "less_than":
            return 0, n - 1
        case "more_than":
            return n + 1, inf


# --------------------------------------------------------------------------- JSON


def spec_to_dict(spec: CheckSpec) -> dict[str, Any]:
    """A JSON-ready dict: ``{"family": ..., <parameters>}`` (tuples become lists)."""
    out: dict[str, Any] = {"family": spec.family}
    for f in fields(spec):
        value = getattr(spec, f.name)
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, Mapping):
            value = dict(value)
        out[f.name] = value
    return out


def spec_from_dict(data: Mapping[str, Any]) -> CheckSpec:
    """The spec a dict describes; raises `RequirementError` on an unknown family, unknown
    or missing parameters, wrong types, or invalid values."""
    if not isinstance(data, Mapping):
        raise RequirementError(f"A check spec must be a JSON object, got {data!r}.")
    family = data.get("family")
    cls = FAMILIES.get(str(family))
    if cls is None:
        raise RequirementError(
            f"Unknown check family {family!r}; known families: {', '.join(sorted(FAMILIES))}."
        )
    hints = _hints(cls)
    params = {k: v for k, v in data.items() if k != "family"}
    unknown = set(params) - set(hints)
    if unknown:
        raise RequirementError(
            f"{family}: unknown parameter(s) {sorted(unknown)}; allowed: {sorted(hints)}."
        )
    kwargs: dict[str, Any] = {}
    for name, value in params.items():
        kwargs[name] = _coerce(str(family), name, hints[name], value)
    try:
        return cls(**kwargs)
    except TypeError as exc:
        required = [f.name for f in fields(cls) if _is_required(f)]
        raise RequirementError(f"{family}: {exc}; required parameters: {required}.") from None


def spec_json_schema() -> dict[str, Any]:
    """JSON schema of one check spec: an ``anyOf`` over the families, each an object with
    a constant ``family`` discriminator (arrays bounded so a small model cannot ramble)."""
    return {
        "anyOf": [_family_schema(cls) for cls in SPEC_TYPES],
    }


def _family_schema(cls: type[CheckSpec]) -> dict[str, Any]:
    hints = _hints(cls)
    properties: dict[str, Any] = {"family": {"const": cls.family}}
    required = ["family"]
    for f in fields(cls):
        properties[f.name] = _type_schema(hints[f.name])
        if _is_required(f):
            required.append(f.name)
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _type_schema(tp: Any) -> dict[str, Any]:
    origin = get_origin(tp)
    args = get_args(tp)
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer", "minimum": 0}
    if tp is float:
        return {"type": "number"}
    if tp is str:
        return {"type": "string"}
    if origin is Literal:
        return {"type": "string", "enum": list(args)}
    if origin is tuple:
        return {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 12}
    if origin is Mapping or tp is Mapping:
        return {"type": "object"}
    if type(None) in args:
        inner = [a for a in args if a is not type(None)]
        return {"anyOf": [_type_schema(inner[0]), {"type": "null"}]}
    raise TypeError(f"no JSON schema for parameter type {tp!r}")  # a bug in this module


def _coerce(family: str, name: str, tp: Any, value: Any) -> Any:
    origin = get_origin(tp)
    args = get_args(tp)
    if type(None) in args and origin is not Literal:
        if value is None:
            return None
        inner = [a for a in args if a is not type(None)]
        return _coerce(family, name, inner[0], value)
    ok: bool
    if tp is bool:
        ok = isinstance(value, bool)
    elif tp is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif tp is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif tp is str:
        ok = isinstance(value, str)
    elif origin is Literal:
        ok = value in args
        if not ok:
            raise RequirementError(
                f"{family}: {name}={value!r} is not one of {', '.join(map(str, args))}."
            )
    elif origin is tuple:
        ok = isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
        if ok:
            return tuple(value)
    elif origin is Mapping or tp is Mapping:
        ok = isinstance(value, Mapping)
    else:
        raise TypeError(f"cannot read parameter type {tp!r}")  # a bug in this module
    if not ok:
        raise RequirementError(
            f"{family}: parameter {name}={value!r} has the wrong type; expected {_type_name(tp)}."
        )
    return value


def _type_name(tp: Any) -> str:
    if get_origin(tp) is tuple:
        return "a list of strings"
    if tp is Mapping or get_origin(tp) is Mapping:
        return "a JSON object"
    return getattr(tp, "__name__", str(tp))


_HINTS: dict[str, dict[str, Any]] = {}


def _hints(cls: type[CheckSpec]) -> dict[str, Any]:
    """The parameter types of a family (resolved once; the union is closed)."""
    hints = _HINTS.get(cls.family)
    if hints is None:
        names = {f.name for f in fields(cls)}
        hints = {k: v for k, v in get_type_hints(cls).items() if k in names}
        _HINTS[cls.family] = hints
    return hints


def _is_required(f: Any) -> bool:
    """No default, or the empty-string placeholder default a subclass field needs to
    follow the defaulted `n_max` (keyword, letter, pattern): required in JSON."""
    from dataclasses import MISSING

    return bool((f.default is MISSING and f.default_factory is MISSING) or f.default == "")


def _check_relation(family: str, relation: str, n: int, n_max: int | None) -> None:
    if relation not in RELATIONS:
        raise RequirementError(
            f"{family}: unknown relation {relation!r}; use one of {', '.join(RELATIONS)}."
        )
    if n < 0:
        raise RequirementError(f"{family}: the count {n} is negative; counts start at 0.")
    if relation == "between":
        if n_max is None or n_max < n:
            raise RequirementError(
                f"{family}: 'between' needs n_max >= n (got n={n}, n_max={n_max})."
            )
    elif n_max is not None:
        raise RequirementError(
            f"{family}: n_max is only used with 'between' (got relation {relation!r})."
        )
    if relation == "less_than" and n == 0:
        raise RequirementError(f"{family}: 'less than 0' can never hold; use exactly 0.")


def _check_words(family: str, words: tuple[str, ...]) -> None:
    if not isinstance(words, tuple) or not words:
        raise RequirementError(f"{family}: give at least one entry (as a tuple of strings).")
    for w in words:
        if not isinstance(w, str) or not w.strip():
            raise RequirementError(f"{family}: {w!r} is empty; every entry needs text.")
