"""Shared samples for the check-language tests and `benchmarks/check_speed.py`: one
expression of every node kind (and every builder of `lang/build.py`), a 500-word
answer, and a Hypothesis strategy for arbitrary well-formed expressions.

Not a test module: `tests/requirements/conftest.py` puts this folder on ``sys.path``
(the suite runs in pytest's importlib mode), so tests import it as ``lang_samples``."""

from __future__ import annotations

import json

from hypothesis import strategies as st

from cadenza.requirements.lang import build as b
from cadenza.requirements.lang.nodes import (
    CASE_KINDS,
    DISTINCT_KEYS,
    UNIT_NAMES,
    AllOf,
    AnyOf,
    Bound,
    Case,
    CodeLanguage,
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

REQUEST = "Write about rivers"
OPTIONS = ("My answer is yes.", "My answer is no.", "My answer is maybe.")
SCHEMA = json.dumps({"type": "object", "required": ["river"]}, sort_keys=True)
S = Named("sentence")
P = Named("paragraph")

# One expression per node kind and per builder (the families the rules write).
EXPRESSIONS: dict[str, Expr] = {
    # node kinds
    "compare": b.count("word", "at_least", 300),
    "compare_where": b.count("sentence", "at_least", 2, where=EndsWith("?")),
    "ratio": Ratio(Count(S, EndsWith(".")), Count(S), Bound("at_least", 0.5)),
    "select_each": Select("each", P, b.count("sentence", "at_most", 12)),
    "select_any": Select("any", S, StartsWith("Fishermen")),
    "select_none": Select("none", S, StartsWith("However")),
    "select_first": Select("first", P, StartsWith("The river")),
    "select_last": Select("last", S, EndsWith("banks.")),
    "select_nth": Select("nth", P, Select("first", Named("word"), Equals("The")), index=2),
    "select_outside": Select("outside", Named("code_block"), Case("sentence")),
    "select_where": Select("each", S, EndsWith("."), where=StartsWith("People")),
    "starts_with": StartsWith("The river"),
    "ends_with": EndsWith("The end."),
    "contains": Contains("river"),
    "equals": Equals("The river runs."),
    "matches": Matches(r"\bsea\b"),
    "case_lower": Case("lower"),
    "case_upper": Case("upper"),
    "case_title": Case("title"),
    "case_sentence": Case("sentence"),
    "language": Language("en"),
    "format_json_schema": Format("json", schema=SCHEMA),
    "format_yaml": Format("yaml"),
    "format_csv": Format("csv", columns=("name", "age"), header=True, types=(("age", "integer"),)),
    "format_table": Format("markdown_table", columns=3, rows=Bound("at_least", 2)),
    "sorted": Sorted(S),
    "distinct": Distinct(S, by="first_word"),
    "distinct_adjacent": Distinct(Named("word"), adjacent=True),
    "palindrome": Select(
        "each", Named("word"), Palindrome(), where=b.count("letter", "exactly", 3)
    ),
    "heading_level": Select("each", Named("heading"), HeadingLevel(2)),
    "code_language": Select("each", Named("code_block"), CodeLanguage("python")),
    "repeats_request": RepeatsRequest(),
    "all_of": AllOf((b.count("word", "at_most", 600), Contains("sea"))),
    "any_of": AnyOf((Contains("lake"), Contains("pond"))),
    "not": Not(Contains("lake")),
    # builders (the old check families)
    "sentences": b.count("sentence", "at_most", 40),
    "paragraphs_marker": b.paragraphs("exactly", 4, marker="***"),
    "paragraphs": b.paragraphs("exactly", 4),
    "lines": b.count("line", "at_least", 3),
    "characters": b.characters("at_most", 4000),
    "characters_no_spaces": b.characters("at_least", 100, spaces=False),
    "bullets": b.count("bullet", "exactly", 3),
    "numbered_items": b.count("numbered_item", "exactly", 0),
    "sections": b.sections("at_least", 2, marker="SECTION"),
    "highlights": b.count("highlight", "at_least", 2),
    "placeholders": b.count("placeholder", "at_least", 1),
    "tables": b.count("table", "exactly", 0),
    "code_blocks": b.code_blocks("exactly", 0, language="python"),
    "occurrences": b.occurrences("river", "at_least", 2),
    "letters": b.occurrences("e", "at_least", 10),
    "capital_words": b.count("capital_word", "less_than", 5),
    "emojis": b.count("emoji", "exactly", 0),
    "first_word_of_paragraph": b.first_word_of_paragraph(2, "the", 4),
    "title": b.title(),
    "postscript": b.postscript(),
    "separated": b.separated(2),
    "repeats": b.repeats(REQUEST),
    "includes": b.includes(["river", "sea"]),
    "excludes": b.excludes(["lake", "pond"]),
    "lowercase": b.lowercase(),
    "uppercase": b.uppercase(),
    "no_characters": b.no_characters(","),
    "starts_with_builder": b.starts_with("Rivers"),
    "ends_with_builder": b.ends_with("The end."),
    "wrapped_in": b.wrapped_in(),
    "json_value": b.json_value(),
    "one_of": b.one_of(OPTIONS),
}

PARAGRAPH = (
    "The river runs from the hills to the sea, and along the way it feeds fields, "
    "towns and forests. People have always settled near rivers because water means "
    "food, trade and travel. In spring the river swells with melted snow; in late "
    "summer it shrinks and slows. Fishermen know every bend and every pool. Children "
    "learn to swim in its shallow parts while their parents watch from the banks. "
)


def sample_text() -> str:
    """About 500 words in four paragraphs."""
    return "\n\n".join([PARAGRAPH * 2] * 4)


# --------------------------------------------------------------------------- strategies

_WORDS = st.sampled_from(["a", "The", "river", "sea", "A b", ",", "!", "*", "#", "yes", "é"])
_TEXT = st.lists(_WORDS, min_size=1, max_size=3).map(" ".join)
_REGEXES = st.sampled_from([r"\d+", r"^\w", r"sea$", r"[A-Z]{2,}", r"\bthe\b", r"<<.*?>>"])
_SEPARATORS = st.sampled_from(["***", "******", ",", "---", "|"])


def units() -> st.SearchStrategy[Unit]:
    return st.one_of(
        st.sampled_from(UNIT_NAMES).map(Named),
        st.builds(Text, _TEXT, st.booleans(), st.booleans()),
        st.builds(Pattern, _REGEXES, st.booleans()),
        st.builds(Split, _SEPARATORS),
    )


def count_bounds() -> st.SearchStrategy[Bound]:
    def make(relation: str, n: int, extra: int) -> Bound:
        if relation == "between":
            return Bound("between", n, n + extra)
        if relation == "less_than":
            return Bound("less_than", n + 1)
        return Bound(relation, n)  # type: ignore[arg-type]

    relations = st.sampled_from(
        ["exactly", "at_least", "at_most", "less_than", "more_than", "between"]
    )
    return st.builds(make, relations, st.integers(0, 12), st.integers(0, 5))


def ratio_bounds() -> st.SearchStrategy[Bound]:
    share = st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0])
    return st.one_of(
        st.builds(Bound, st.sampled_from(["exactly", "at_least", "at_most", "more_than"]), share),
        st.builds(lambda lo: Bound("between", lo, min(1.0, lo + 0.25)), share),
    )


def leaves() -> st.SearchStrategy[Expr]:
    tabular = st.sampled_from(["csv", "markdown_table"])
    return st.one_of(
        st.builds(lambda u, bd: Compare(Count(u), bd), units(), count_bounds()),
        st.builds(StartsWith, _TEXT, st.booleans()),
        st.builds(EndsWith, _TEXT, st.booleans()),
        st.builds(Contains, _TEXT, st.booleans(), st.booleans()),
        st.builds(Equals, _TEXT, st.booleans()),
        st.builds(Matches, _REGEXES, st.booleans()),
        st.sampled_from(CASE_KINDS).map(Case),
        st.sampled_from(["en", "fr", "de", "pt-br"]).map(Language),
        st.just(Format("json")),
        st.just(Format("json", schema=SCHEMA)),
        st.just(Format("yaml")),
        st.builds(
            lambda kind, cols, header, rows: Format(kind, columns=cols, header=header, rows=rows),
            tabular,
            st.one_of(st.none(), st.integers(1, 4), st.just(("name", "age"))),
            st.one_of(st.none(), st.booleans()),
            st.one_of(st.none(), count_bounds()),
        ),
        st.just(Format("csv", types=(("age", "integer"), ("name", "text")))),
        st.builds(Sorted, units(), st.booleans()),
        st.builds(Distinct, units(), st.sampled_from(DISTINCT_KEYS), st.booleans()),
        st.just(Palindrome()),
        st.integers(1, 6).map(HeadingLevel),
        st.sampled_from(["python", "js", "bash"]).map(CodeLanguage),
        st.one_of(st.just(RepeatsRequest()), st.builds(RepeatsRequest, _TEXT)),
    )


def expressions() -> st.SearchStrategy[Expr]:
    """Arbitrary well-formed expressions (nested selections, ratios, combinators)."""

    def extend(inner: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
        counts = st.builds(Count, units(), st.one_of(st.none(), inner))
        where = st.one_of(st.none(), inner)
        return st.one_of(
            st.builds(Compare, counts, count_bounds()),
            st.builds(Ratio, counts, counts, ratio_bounds()),
            st.builds(Select, st.sampled_from(["each", "any", "none"]), units(), inner, where),
            st.builds(Select, st.sampled_from(["first", "last", "outside"]), units(), inner),
            st.builds(
                lambda u, c, i: Select("nth", u, c, index=i),
                units(),
                inner,
                st.integers(-3, 3).filter(bool),
            ),
            st.lists(inner, min_size=1, max_size=3).map(lambda xs: AllOf(tuple(xs))),
            st.lists(inner, min_size=1, max_size=3).map(lambda xs: AnyOf(tuple(xs))),
            inner.map(Not),
        )

    return st.recursive(leaves(), extend, max_leaves=6)


_PIECES = st.sampled_from(
    [
        "word", "Word", "WORD", ",", ".", "!", "?", " ", "\n", "\n\n", "***", "******",
        "* ", "- ", "1. ", "# ", "## ", "SECTION 1", "*hi*", "**b**", "[x]", "<<T>>",
        "P.S.", '"', "{", "}", "[", "]", "```", "```python", "| a |", "|---|", "river",
        "The end.", "My answer is yes.", "é", "ß", "中文", "1234", "\t", "👋🏽", "🇫🇷",
        "https://x.org/a.", "@bob", "#tag", "racecar", "a,b\n1,2",
    ]
)  # fmt: skip


def answers() -> st.SearchStrategy[str]:
    """Arbitrary answers built from pieces the units and predicates react to."""
    return st.lists(_PIECES, max_size=30).map("".join)
