"""Deterministic repairs: applied when the failed check then passes and nothing else
regresses; refused otherwise; and they keep the answer's content (no boilerplate, no
pasted prompt) unless the requirement itself names the text to add."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lang_samples import EXPRESSIONS, answers

from cadenza.requirements.lang import build as b
from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.lang.nodes import (
    AllOf,
    AnyOf,
    Compare,
    Contains,
    EndsWith,
    Equals,
    Expr,
    Format,
    Not,
    RepeatsRequest,
    Select,
    Split,
    StartsWith,
    Text,
)
from cadenza.requirements.repair import candidates, repair, repair_all

TEXT = "Hello, world. This is fine, really.\n\nA second paragraph here."
REQUEST = "Write a short note about the harbour festival."


@pytest.mark.parametrize(
    ("failed", "text"),
    [
        (b.lowercase(), "Hello World."),
        (b.uppercase(), "Hello World."),
        (b.no_characters(","), TEXT),
        (b.no_characters("!"), "Wow! Great!"),
        (b.ends_with("Any other questions?"), TEXT),
        (b.json_value(), 'Sure! Here it is:\n{"a": [1, 2]}\nEnjoy.'),
        (b.json_value(json.dumps({"type": "object", "required": ["a"]})), 'Result: {"a": 1} done'),
        (b.paragraphs("exactly", 2, marker="***"), TEXT),
        (b.paragraphs("exactly", 2, marker="***"), "One.\n\n---\n\nTwo."),
        (b.separated(2), "One answer.\n\nAnother answer."),
        (b.title(), "# A Day Out\nWe walked."),
        (b.repeats("Write about cats."), "Cats are great."),
        (b.one_of(("My answer is yes.", "My answer is no.")), "my answer is yes"),
        (b.count("emoji", "exactly", 0), "Great job 🎉 team 👋🏽!"),
        (b.count("bold", "exactly", 0), "A **bold** move"),
        (b.count("highlight", "exactly", 0), "A *key* and **bold** move"),
        (b.count("heading", "exactly", 0), "# Title\nText\n## Sub\nMore"),
    ],
)
def test_repair_applies_when_safe(failed: Expr, text: str) -> None:
    assert not evaluate(failed, text).passed
    fixed = repair(text, failed, [failed])
    assert fixed is not None
    assert evaluate(failed, fixed).passed


def test_wrapping_in_quotes_is_a_safe_repair() -> None:
    # the module's own list of allowed edits: "wrap in quotes"
    fixed = repair(TEXT, b.wrapped_in(), [b.wrapped_in()])
    assert fixed == f'"{TEXT}"'


def test_exact_edits() -> None:
    assert repair("One, two ,three 1,000.", b.no_characters(","), []) == "One two three 1000."
    assert repair("Great job 🎉 team 👋🏽!", b.count("emoji", "exactly", 0), []) == (
        "Great job team!"
    )
    assert repair("A *key* and **bold** move", b.count("highlight", "exactly", 0), []) == (
        "A key and bold move"
    )
    assert repair("# Title\nText", b.count("heading", "exactly", 0), []) == "Title\nText"
    options = b.one_of(("My answer is yes.", "My answer is no."))
    assert repair("Well, my answer is yes", options, []) == "Well, My answer is yes."
    assert repair("One.\n\n---\n\nTwo.", b.paragraphs("exactly", 2, marker="***"), []) == (
        "One.\n\n***\n\nTwo."
    )


def test_no_boilerplate_postscript_or_invented_title() -> None:
    assert repair(TEXT, b.postscript(), []) is None
    assert repair(TEXT, b.postscript("P.P.S"), []) is None
    long_line = "A long first sentence that is clearly not a title."
    assert repair(long_line, b.title(), []) is None


def test_the_request_is_pasted_only_when_the_requirement_asks_for_it() -> None:
    fixed = repair("A fine festival.", b.repeats(None), [], request=REQUEST)
    assert fixed == f"{REQUEST}\n\nA fine festival."
    assert repair("A fine festival.", b.repeats(None), [], request=None) is None
    for expr in (b.ends_with("Bye."), b.lowercase(), b.no_characters(",")):
        fixed = repair("Hello, Friends.", expr, [expr], request=REQUEST)
        assert fixed is not None and "harbour" not in fixed


def test_end_phrase_goes_inside_wrapping_quotes() -> None:
    end = b.ends_with("Bye.")
    fixed = repair('"Hi there."', end, [end, b.wrapped_in()])
    assert fixed is not None and fixed.startswith('"Hi there.') and fixed.endswith('Bye."')
    assert evaluate(b.wrapped_in(), fixed).passed


def test_end_phrase_prefers_a_form_that_keeps_the_paragraph_count() -> None:
    end = b.ends_with("Any other questions?")
    fixed = repair(TEXT, end, [end, b.paragraphs("exactly", 2)])
    assert fixed == TEXT + " Any other questions?"


def test_refused_when_another_check_would_regress() -> None:
    # lowercasing would break the case-sensitive start phrase
    checks: list[Expr] = [b.lowercase(), StartsWith("Dear NASA", case_sensitive=True)]
    assert repair("Dear NASA, hello.", checks[0], checks) is None
    # adding the end phrase would push the word count over its limit
    end = b.ends_with("Is there anything else I can help with?")
    assert repair("Short answer.", end, [end, b.count("word", "at_most", 5)]) is None
    # dropping the commas would break a required phrase with a comma in it
    commas = b.no_characters(",")
    assert repair("Thanks, bye. Yes, fine.", commas, [commas, Contains("Thanks, bye")]) is None


def test_no_repair_for_content_or_passing_text() -> None:
    assert repair("a bad idea", b.excludes(["bad"]), []) is None
    assert repair("few words", b.count("word", "at_least", 100), []) is None
    assert repair("one two three four", b.count("word", "at_most", 2), []) is None
    assert repair("all lower", b.lowercase(), []) is None  # already passes


def test_repair_all_fixes_several() -> None:
    checks: list[Expr] = [b.lowercase(), b.no_characters(","), b.ends_with("the end")]
    text, repaired = repair_all("Hello, World", checks)
    assert repaired == checks
    assert text == "hello world\n\nthe end"
    assert all(evaluate(x, text).passed for x in checks)


def test_a_conjunction_is_repaired_part_by_part() -> None:
    both = AllOf((b.lowercase(), b.no_characters(",")))
    assert list(candidates(both, "Hello, World", None)) == ["hello world"]
    assert repair("Hello, World", both, [both]) == "hello world"
    # one part has no repair: the conjunction has none
    stuck = AllOf((b.lowercase(), b.count("word", "at_least", 50)))
    assert list(candidates(stuck, "Hello World", None)) == []


# --------------------------------------------------------------------------- content


def _words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"[^\W\d_]+", text)}


def _named_texts(expr: Expr, request: str) -> list[str]:
    """The text a requirement names, which a repair may add: phrases, separators, the
    request it asks to repeat."""
    match expr:
        case StartsWith() | EndsWith() | Contains() | Equals():
            return [expr.text]
        case RepeatsRequest():
            return [expr.text if expr.text is not None else request]
        case Compare():
            unit = expr.count.unit
            return (
                [unit.text]
                if isinstance(unit, Text)
                else ([unit.separator] if isinstance(unit, Split) else [])
            )
        case Select():
            return _named_texts(expr.check, request)
        case AllOf() | AnyOf():
            return [t for e in expr.items for t in _named_texts(e, request)]
        case Not():
            return _named_texts(expr.item, request)
        case _:
            return []


REPAIRABLE = [*sorted(EXPRESSIONS), "emoji_free", "heading_free", "bold_free", "answer_option"]
EXTRA: dict[str, Expr] = {
    "emoji_free": b.count("emoji", "exactly", 0),
    "heading_free": b.count("heading", "exactly", 0),
    "bold_free": b.count("highlight", "exactly", 0),
    "answer_option": b.one_of(("My answer is yes.", "My answer is no.")),
}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(REPAIRABLE), answers())
def test_a_repair_adds_only_what_the_requirement_names_and_keeps_the_content(
    name: str, text: str
) -> None:
    expr = EXPRESSIONS.get(name) or EXTRA[name]
    fixed = repair(text, expr, [expr], request=REQUEST)
    if fixed is None:
        return
    assert evaluate(expr, fixed, request=REQUEST).passed
    if name == "bold_free":  # unmarking "word**b**" leaves one word, as the reader sees it
        text = text.replace("**", "")
    allowed = _words(text) | {w for t in _named_texts(expr, REQUEST) for w in _words(t)}
    added = _words(fixed) - allowed
    assert not added, (name, text, fixed, added)
    if not isinstance(expr, Format):  # JSON asked for alone may drop the prose around it
        lost = _words(text) - _words(fixed)
        assert not lost, (name, text, fixed, lost)


def test_removing_a_mark_that_joins_two_words_keeps_them_apart() -> None:
    no_commas = EXPRESSIONS["no_characters"]  # no commas at all
    assert repair("word,word", no_commas, [no_commas], request=REQUEST) == "word word"
    assert repair("a, b and 1,000", no_commas, [no_commas], request=REQUEST) == "a b and 1000"
    assert repair("word,,word", no_commas, [no_commas], request=REQUEST) == "word word"
