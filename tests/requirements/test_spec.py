"""The check vocabulary: validation at construction, JSON round trip, JSON schema."""

from __future__ import annotations

import jsonschema
import pytest

from cadenza.errors import RequirementError
from cadenza.requirements import spec as s

EXAMPLES: list[s.CheckSpec] = [
    s.WordCount("between", 100, 200),
    s.ParagraphCount("exactly", 3, marker="***"),
    s.SectionCount("at_least", 2, marker="SECTION"),
    s.CodeBlockCount("at_most", 1, language="python"),
    s.KeywordFrequency("less_than", 3, keyword="ai", whole_word=True),
    s.LetterFrequency("at_least", 5, letter="#"),
    s.RegexCount("exactly", 0, pattern=r"\bTODO\b", ignore_case=True),
    s.ParagraphFirstWord(2, "However", paragraphs=4),
    s.KeywordsPresent(("a", "b")),
    s.ForbiddenWords(("x",)),
    s.ForbiddenCharacters(",;"),
    s.EndsWith("Bye.", case_sensitive=True),
    s.JsonSchema({"type": "object", "required": ["a"]}),
    s.ResponseLanguage("fr"),
    s.AnswerOption(),
    s.RepeatRequest("Say hi"),
    s.RepeatRequest(),
    s.SeparatedResponses(count=3, marker="---"),
    s.Title(),
]


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda x: x.family)
def test_round_trip_and_schema(spec: s.CheckSpec) -> None:
    data = s.spec_to_dict(spec)
    assert data["family"] == spec.family
    assert s.spec_from_dict(data) == spec
    jsonschema.validate(data, s.spec_json_schema())


def test_schema_covers_every_family_with_a_discriminator() -> None:
    schema = s.spec_json_schema()
    consts = {branch["properties"]["family"]["const"] for branch in schema["anyOf"]}
    assert consts == set(s.FAMILIES)
    kw = next(
        b for b in schema["anyOf"] if b["properties"]["family"]["const"] == "keyword_frequency"
    )
    assert set(kw["required"]) == {"family", "relation", "n", "keyword"}


def test_schema_rejects_unknown_family_and_extra_keys() -> None:
    schema = s.spec_json_schema()
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"family": "tone", "n": 1}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"family": "title", "text": "x"}, schema)


@pytest.mark.parametrize(
    ("build", "needle"),
    [
        (lambda: s.RegexCount("at_least", 1, pattern="(unclosed"), "does not compile"),
        (lambda: s.JsonSchema({"type": "nonsense"}), "not a valid JSON Schema"),
        (lambda: s.WordCount("between", 10), "n_max"),
        (lambda: s.WordCount("at_least", 10, 20), "only used with 'between'"),
        (lambda: s.WordCount("at_least", -1), "negative"),
        (lambda: s.WordCount("roughly", 3), "unknown relation"),  # type: ignore[arg-type]
        (lambda: s.LetterFrequency("at_least", 1, letter="ab"), "single character"),
        (lambda: s.KeywordsPresent(()), "at least one"),
        (lambda: s.ParagraphFirstWord(3, "so", paragraphs=2), "only 2 paragraphs"),
        (lambda: s.ParagraphFirstWord(1, "two words"), "one word"),
        (lambda: s.ResponseLanguage("English"), "ISO 639-1"),
        (lambda: s.ForbiddenCharacters(""), "no characters"),
        (lambda: s.SeparatedResponses(count=1), "2 or more"),
    ],
)
def test_invalid_parameters_raise_clear_errors(build: object, needle: str) -> None:
    with pytest.raises(RequirementError, match=needle):
        build()  # type: ignore[operator]


def test_from_dict_errors_name_the_problem() -> None:
    with pytest.raises(RequirementError, match="Unknown check family 'tone'"):
        s.spec_from_dict({"family": "tone"})
    with pytest.raises(RequirementError, match="unknown parameter"):
        s.spec_from_dict({"family": "title", "size": 3})
    with pytest.raises(RequirementError, match="wrong type"):
        s.spec_from_dict({"family": "word_count", "relation": "at_least", "n": "300"})
    with pytest.raises(RequirementError, match="required parameters"):
        s.spec_from_dict({"family": "word_count", "relation": "at_least"})
    with pytest.raises(RequirementError, match="does not compile"):
        s.spec_from_dict({"family": "regex_count", "relation": "at_least", "n": 1, "pattern": "["})


def test_validate_spec_rechecks() -> None:
    spec = s.WordCount("at_least", 3)
    assert s.validate_spec(spec) is spec
    object.__setattr__(spec, "n", -5)
    with pytest.raises(RequirementError):
        s.validate_spec(spec)


def test_relations() -> None:
    assert s.relation_holds("less_than", 4, 5) and not s.relation_holds("less_than", 5, 5)
    assert s.relation_holds("between", 5, 3, 5)
    assert s.bounds("more_than", 3) == (4, float("inf"))


def test_counted_types_share_relation_n_n_max() -> None:
    assert {t.family for t in s.COUNTED_TYPES} < set(s.FAMILIES)
    for cls in s.COUNTED_TYPES:
        extra = {"keyword": "k", "letter": "l", "pattern": "p"}
        names = {f for f in extra if f in cls.__dataclass_fields__}
        spec = cls("between", 1, 3, **{k: extra[k] for k in names})  # type: ignore[arg-type]
        assert (spec.relation, spec.n, spec.n_max) == ("between", 1, 3)
