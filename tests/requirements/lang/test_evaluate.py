"""The evaluator: graded verdicts with reasons naming the offending units and fix hints,
for every node kind, negated or not, nested or not."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from lang_samples import EXPRESSIONS, REQUEST, answers, expressions, sample_text

from cadenza.requirements.lang.build import count
from cadenza.requirements.lang.evaluate import MAX_FAILED_SCORE, count_score, evaluate
from cadenza.requirements.lang.nodes import (
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
    Ratio,
    RepeatsRequest,
    Select,
    Sorted,
    StartsWith,
    Text,
)

S = Named("sentence")
B = Named("bullet")
P = Named("paragraph")
SHORT_BULLETS = Select("each", B, count("word", "less_than", 4))
QUESTIONS = Ratio(Count(S, EndsWith("?")), Count(S), Bound("at_least", 0.5))
FEW_QUESTIONS = "Is it late? It is fine. It is good. It is done."


# --------------------------------------------------------------------------- the verdict


def test_a_passing_verdict_scores_one_with_no_hint() -> None:
    v = evaluate(count("word", "at_most", 3), "one two three")
    assert (v.passed, v.score, v.fix_hint) == (True, 1.0, "")
    assert v.reason == "3 words; needs at most 3"


def test_an_empty_answer_fails_everything_even_a_vacuous_check() -> None:
    for expr in (count("word", "exactly", 0), SHORT_BULLETS, Not(Contains("x"))):
        v = evaluate(expr, "  \n\t ")
        assert (v.passed, v.score, v.reason, v.fix_hint) == (
            False,
            0.0,
            "the answer is empty",
            "write an answer",
        )


def test_the_method_of_a_bare_evaluation_is_check() -> None:
    # how the requirement was compiled (rule, compiled, given) is set by the validator
    assert evaluate(Contains("a"), "a").method == "check"


# --------------------------------------------------------------------------- counts


@pytest.mark.parametrize(
    ("bound", "value", "score"),
    [
        (Bound("at_least", 300), 214, 1 - 86 / 300),
        (Bound("at_most", 100), 120, 0.8),
        (Bound("exactly", 4), 3, 0.75),
        (Bound("exactly", 4), 5, 0.75),
        (Bound("less_than", 5), 5, 0.75),  # fewer than 5 allows up to 4
        (Bound("more_than", 3), 3, 0.75),
        (Bound("between", 10, 20), 25, 0.75),
        (Bound("exactly", 0), 1, 0.5),  # only zero allowed: each extra item halves
        (Bound("exactly", 0), 3, 0.125),
        (Bound("at_least", 10), 0, 0.0),
    ],
)
def test_count_scores_grade_the_distance_to_the_nearest_allowed_value(
    bound: Bound, value: int, score: float
) -> None:
    assert count_score(bound, value) == pytest.approx(score)
    assert count_score(bound, bound.interval()[0]) == 1.0


def test_too_few_words_says_how_many_to_add() -> None:
    v = evaluate(count("word", "at_least", 300), " ".join(["word"] * 214))
    assert not v.passed
    assert v.reason == "214 words; needs at least 300"
    assert v.fix_hint.startswith("add about 86 words")
    assert v.score == pytest.approx(214 / 300)


def test_too_many_units_are_named_and_the_hint_says_how_many_to_cut() -> None:
    v = evaluate(count("word", "less_than", 5), "one two three four five")
    assert v.reason == "5 words ('one', 'two', 'three' ...); needs fewer than 5"
    assert v.fix_hint.startswith("cut about 1 word ")
    v = evaluate(count("paragraph", "at_most", 2), "a\n\nb\n\nc")
    assert "3 paragraphs ('a', 'b', 'c')" in v.reason and "merge 1 paragraph" in v.fix_hint


def test_a_forbidden_literal_is_named_and_graded_per_occurrence() -> None:
    v = evaluate(count(Text("bad"), "exactly", 0), "Fine start. This is BAD. Bad again.")
    assert not v.passed and "2 occurrences of 'bad' ('BAD', 'Bad')" in v.reason
    assert v.fix_hint == "remove 2 of the 'bad'"
    assert v.score == 0.25


def test_a_count_with_a_filter_counts_only_matching_units() -> None:
    expr = count("sentence", "at_least", 2, where=EndsWith("?"))
    assert evaluate(expr, "Why? How? Fine.").passed
    v = evaluate(expr, "Why? Ok. Fine.")
    assert v.reason == "1 sentence that ends with '?'; needs at least 2"
    assert v.fix_hint == "add 1 sentence that ends with '?'"
    assert v.score == 0.5


# --------------------------------------------------------------------------- selections


def test_each_names_the_offending_unit_with_its_number_and_text() -> None:
    v = evaluate(SHORT_BULLETS, "- a b\n- one two three four five\n- c")
    assert not v.passed
    assert v.reason.startswith("1 of 3 bullet points fail: bullet point 2 ('one two three")
    assert "5 words" in v.reason and "needs fewer than 4" in v.reason
    assert v.fix_hint.startswith("bullet point 2: cut about 2 words")
    assert v.score == pytest.approx((1 + 1 + 1 / 3) / 3)  # the mean over the bullets


def test_each_is_vacuously_true_without_units() -> None:
    v = evaluate(SHORT_BULLETS, "no bullets here")
    assert v.passed and v.reason == "no bullet points to check"


def test_each_lists_at_most_three_offenders_and_counts_the_rest() -> None:
    text = "\n".join(f"- {'w ' * 6}{i}" for i in range(5))
    v = evaluate(SHORT_BULLETS, text)
    assert v.reason.startswith("5 of 5 bullet points fail")
    assert "bullet point 3" in v.reason and "bullet point 4" not in v.reason
    assert v.reason.endswith("and 2 more")
    assert v.fix_hint.endswith("and 2 more bullet points like these")


def test_any_passes_on_one_and_otherwise_names_the_nearest() -> None:
    expr = Select("any", S, StartsWith("Why"))
    ok = evaluate(expr, "Hi. Why not?")
    assert ok.passed and ok.reason == "sentence 2 ('Why not?'): starts with 'Why'"
    near = evaluate(expr, "Hi there. Whom?")
    assert not near.passed and "nearest is sentence 2 ('Whom?')" in near.reason
    assert near.fix_hint == "make at least one sentence start with 'Why'"
    assert 0 < near.score < 1
    none = evaluate(Select("any", B, StartsWith("Why")), "No bullets.")
    assert (none.passed, none.score, none.reason) == (False, 0.0, "no bullet points at all")


def test_none_fails_on_each_offender() -> None:
    expr = Select("none", S, StartsWith("The"))
    assert evaluate(expr, "A cat. Then a dog.").passed  # "Then" does not start with "The"
    v = evaluate(expr, "A cat. The dog. The end.")
    assert v.reason.startswith("2 of 3 sentences fail: sentence 2 ('The dog.')")
    assert "sentence 3 ('The end.')" in v.reason
    assert "sentence 2: rewrite it so it does not start with 'The'" in v.fix_hint
    assert v.score == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("expr", "text", "passed", "where"),
    [
        (Select("first", P, count("sentence", "exactly", 1)), "One. Two.\n\nThree.", False,
         "the first paragraph ('One. Two.')"),
        (Select("last", P, count("sentence", "exactly", 1)), "One. Two.\n\nThree.", True,
         "the last paragraph ('Three.')"),
        (Select("nth", P, StartsWith("However"), index=2), "A.\n\nMoreover b.", False,
         "paragraph 2 ('Moreover b.')"),
        (Select("nth", P, StartsWith("A"), index=-2), "A.\n\nB.", True,
         "paragraph 2 from the end ('A.')"),
    ],
)  # fmt: skip
def test_positional_selections_say_which_unit_they_judged(
    expr: Expr, text: str, passed: bool, where: str
) -> None:
    v = evaluate(expr, text)
    assert v.passed is passed
    assert where in v.reason
    if not passed:
        assert where in v.fix_hint


def test_a_missing_position_fails_and_says_how_many_there_are() -> None:
    v = evaluate(Select("nth", P, StartsWith("B"), index=3), "A.\n\nB.")
    assert (v.passed, v.score) == (False, 0.0)
    assert v.reason.startswith("there are 2 paragraphs, so no ")
    assert "paragraph 3" in v.fix_hint


def test_outside_judges_the_text_around_the_units() -> None:
    expr = Select("outside", Named("code_block"), count("word", "at_most", 3))
    assert evaluate(expr, "one two\n```\na b c d e f\n```\nthree").passed
    v = evaluate(expr, "one two four five\n```\nx\n```\nthree")
    assert v.reason.startswith("outside the code blocks: 5 words")
    assert v.fix_hint.startswith("outside the code blocks: cut about 2 words")


def test_where_filters_the_selected_units() -> None:
    expr = Select("each", S, EndsWith("?"), where=StartsWith("Why"))
    assert evaluate(expr, "Why not? Fine. Ok.").passed
    v = evaluate(expr, "Why not? Why so. Ok.")
    assert v.reason.startswith("1 of 2 sentences fail: sentence 2 ('Why so.')")


def test_nested_selections_name_the_path_to_the_offender() -> None:
    expr = Select("each", P, Select("each", S, count("word", "at_most", 3)))
    assert evaluate(expr, "One two three. Four five.\n\nSix. Seven eight.").passed
    v = evaluate(expr, "One two. Three four.\n\nFive six seven eight nine. Ten.")
    assert v.reason.startswith("1 of 2 paragraphs fail: paragraph 2 ('Five six seven")
    assert "sentence 1 ('Five six seven eight nine.'): 5 words" in v.reason
    assert v.fix_hint.startswith("paragraph 2: sentence 1: cut about 2 words")
    assert 0.5 < v.score < 1


# --------------------------------------------------------------------------- ratio


def test_ratio_compares_a_share_and_grades_the_gap() -> None:
    ok = evaluate(QUESTIONS, "Why? How? Ok.")
    assert ok.passed
    assert ok.reason.startswith("2 sentences that end with '?' for 3 sentences: 0.67 per")
    v = evaluate(QUESTIONS, FEW_QUESTIONS)
    assert not v.passed and "1 sentence that ends with '?' for 4 sentences: 0.25" in v.reason
    assert v.score == pytest.approx(0.5)
    assert v.fix_hint.startswith("raise the share")


def test_ratio_hint_names_the_units_to_add_with_their_filter() -> None:
    # "more sentences or fewer sentences" cannot be acted on: the hint must say which
    # sentences to add (those ending with '?')
    v = evaluate(QUESTIONS, FEW_QUESTIONS)
    assert "end with '?'" in v.fix_hint, v.fix_hint


def test_ratio_over_nothing_fails_and_asks_for_the_units() -> None:
    expr = Ratio(Count(B, EndsWith(".")), Count(B), Bound("at_least", 0.5))
    v = evaluate(expr, "No bullets here.")
    assert (v.passed, v.score) == (False, 0.0)
    assert v.reason == "0 bullet points to compare with" and v.fix_hint == "add bullet points"


# --------------------------------------------------------------------------- predicates


@pytest.mark.parametrize(
    ("expr", "passing", "failing", "nearly"),
    [
        (StartsWith("Dear team"), "Dear team, hello.", "Hello all.", "Dear tea, hello."),
        (EndsWith("Any questions?"), "That is all. Any questions?", "That is all.",
         "That is all. Any questions? Bye."),
        (Equals("Hello world"), "**Hello world.**", "Goodbye", "Hello word"),
        (Case("lower"), "all in lower case", "ALL UPPER", "Mostly lower"),
        (Case("upper"), "ALL UPPER 123", "all lower", "ALL UPPEr"),
        (Case("title"), "The Lord of the Rings", "the lord of the rings", "The lord of the Rings"),
        (Case("sentence"), "Hello there. I think I'm fine.", "HELLO THERE. I AM.",
         "Hello There. i think."),
        (Format("json", schema='{"type": "object", "required": ["a"]}'), '{"a": 1}', "nope",
         '{"b": 1}'),
        (Sorted(B), "- apple\n- Banana\n- cherry", "- c\n- b\n- a", "- cherry\n- apple\n- banana"),
        (Distinct(B), "- a\n- b", "- a\n- a\n- a", "- a\n- b\n- A"),
        (Palindrome(), "A man, a plan, a canal: Panama", "xyz", "abcdba"),
        (Select("each", Named("heading"), HeadingLevel(2)), "## A\n## B", "# A\n# B",
         "## A\n### B"),
        (Select("each", Named("code_block"), CodeLanguage("python")), "```py\nx\n```",
         "```js\nx\n```\n```js\ny\n```", "```python\nx\n```\n```js\ny\n```"),
        (RepeatsRequest("Write a poem about cats"), "Write a poem about cats\n\nMeow.",
         "Sure, here it is.", "Write a poem about dogs"),
        (Language("fr"), "Bonjour mes amis, comment allez-vous aujourd'hui? Il fait beau.",
         "Hello my friends, how are you today? The weather is lovely.",
         "Bonjour mes amis, comment allez-vous aujourd'hui? "
         "Hello my friends, how are you today? I am fine, thanks."),
    ],
)  # fmt: skip
def test_each_predicate_passes_fails_and_grades_a_near_miss(
    expr: Expr, passing: str, failing: str, nearly: str
) -> None:
    ok, far, near = (evaluate(expr, t) for t in (passing, failing, nearly))
    assert ok.passed and ok.score == 1.0, ok
    assert not far.passed and far.reason and far.fix_hint, far
    assert not near.passed and 0.0 < near.score <= MAX_FAILED_SCORE, near
    assert near.score >= far.score and near.fix_hint


@pytest.mark.parametrize(
    ("expr", "text", "reason", "hint"),
    [
        (Case("lower"), "hello from Paris and NASA", "capital letters in 'Paris', 'NASA'",
         "lowercase"),
        (Case("upper"), "HELLO world", "lowercase letters in 'world'", "CAPITAL LETTERS"),
        (Case("title"), "The lord of the rings", "not capitalised: 'lord', 'rings'",
         "capitalise"),
        (Case("sentence"), "Hello There. i think.", "wrong capitals in 'There', 'i'", "'I'"),
        (StartsWith("Dear"), "Hello all", "starts with 'Hello all'", "begin with exactly 'Dear'"),
        (EndsWith("Bye."), "Bye. See you", "'Bye.' is followed by 'See you'", "nothing after it"),
        (Contains("Acme"), "a company", "'Acme' is missing", "include 'Acme'"),
        (Equals("Yes"), "No", "is 'No'", "make it exactly 'Yes'"),
        (Matches(r"^Answer: \d+$"), "Answer: many", "does not match /^Answer: \\d+$/",
         "change it to match"),
        (Sorted(B), "- cherry\n- apple", "'cherry' comes before 'apple'", "alphabetical order"),
        (Distinct(S, by="first_word"), "I came. I saw. We won.",
         "repeated first word: sentence 2 ('i')", "sentence 2"),
        (Distinct(Named("word"), adjacent=True), "the the cat", "repeated: word 2 ('the')",
         "word 2"),
        (Select("first", Named("line"), HeadingLevel(1)), "Plain\n# H", "not a heading",
         "# Heading"),
        (Select("each", Named("code_block"), CodeLanguage("python")), "```\nx\n```",
         "has no language tag", "```python"),
        (Language("de"), "The meeting is at noon and everyone is invited to come.",
         "detected language 'en'", "'de'"),
        (Format("json"), '{"a": 1,, }', "not valid JSON (Expecting", "valid JSON"),
        (RepeatsRequest(), "Here: write a poem", "differs from the request after 0 of",
         "'Write a poem'"),
    ],
)  # fmt: skip
def test_failing_predicates_say_what_they_found_and_how_to_fix_it(
    expr: Expr, text: str, reason: str, hint: str
) -> None:
    v = evaluate(expr, text, request="Write a poem")
    assert not v.passed
    assert reason in v.reason, v.reason
    assert hint in v.fix_hint, v.fix_hint


def test_phrases_ignore_decoration_case_and_whitespace_but_not_word_boundaries() -> None:
    assert evaluate(StartsWith("Dear"), "\n  **dear** all").passed
    assert evaluate(EndsWith("Bye."), "Well. **Bye.**\n").passed
    assert evaluate(EndsWith("the end"), '"That is THE END"').passed  # wrapping quotes
    assert not evaluate(StartsWith("The"), "Then we went").passed
    assert not evaluate(EndsWith("end"), "the legend").passed
    assert not evaluate(StartsWith("dear", case_sensitive=True), "Dear all").passed
    assert not evaluate(EndsWith("THE END", case_sensitive=True), "the end").passed
    assert evaluate(StartsWith("# Title"), "# Title\ntext").passed  # decoration it asks for


def test_a_phrase_ending_inside_a_longer_word_is_not_said_to_be_followed_by_nothing() -> None:
    v = evaluate(EndsWith("end"), "the legend")
    assert not v.passed
    assert "followed by ''" not in v.reason, v.reason
    assert "nothing after it" not in v.fix_hint, v.fix_hint


def test_contains_whole_words_by_default_and_literal_text() -> None:
    assert evaluate(Contains("art"), "heart and art").passed
    assert not evaluate(Contains("art"), "heart").passed
    assert evaluate(Contains("art", whole_word=False), "heart").passed
    assert not evaluate(Contains("Acme", case_sensitive=True), "acme").passed
    assert evaluate(Contains("c++"), "I like C++.").passed
    assert not evaluate(Contains("c++"), "ccc").passed


def test_equals_ignores_emphasis_and_a_trailing_mark_the_wanted_text_lacks() -> None:
    assert evaluate(Equals("Yes"), "**yes.**").passed
    assert not evaluate(Equals("Yes!"), "Yes").passed
    assert not evaluate(Equals("Yes", case_sensitive=True), "yes").passed


def test_language_undetectable_text_passes_as_in_ifeval_and_is_deterministic() -> None:
    assert evaluate(Language("ja"), "12345 67890").passed
    german = "Das Wetter ist heute sehr schön und wir gehen im Park spazieren."
    assert len({evaluate(Language("de"), german) for _ in range(5)}) == 1
    assert evaluate(Language("de"), german).passed


def test_wrong_language_names_the_sentences_in_another_language() -> None:
    german = "Das Wetter ist heute sehr schön und wir gehen im Park spazieren."
    text = (
        f"{german} The meeting is at noon and everyone in the office is invited. "
        "I will bring some food and drinks for all of the people who come."
    )
    v = evaluate(Language("de"), text)
    assert not v.passed and 0 < v.score < 1
    assert "sentences 2 and 3" in v.reason + " " + v.fix_hint, (v.reason, v.fix_hint)


def test_repeats_request_uses_the_request_known_at_check_time() -> None:
    expr = RepeatsRequest()
    assert evaluate(expr, "write a poem\n\nRoses...", request="Write a poem").passed
    unknown = evaluate(expr, "write a poem")
    assert not unknown.passed and "request to repeat is not known" in unknown.reason
    assert evaluate(RepeatsRequest("Say hi"), "say hi\nhi", request="ignored").passed


# --------------------------------------------------------------------------- combinators


def test_all_of_averages_and_explains_only_what_failed() -> None:
    v = evaluate(AllOf((count("word", "at_most", 3), Case("lower"))), "Hello there")
    assert not v.passed and v.score == pytest.approx((1 + 0.9) / 2)
    assert v.reason == "capital letters in 'Hello'; it must be all lowercase"
    assert v.fix_hint.startswith("write everything in lowercase")


def test_any_of_passes_on_one_option_and_offers_each_otherwise() -> None:
    expr = AnyOf((Contains("yes"), Contains("no")))
    assert evaluate(expr, "no way").passed
    v = evaluate(expr, "maybe")
    assert v.reason.startswith("none holds: 'yes' is missing")
    assert v.fix_hint == "either include 'yes' or include 'no'"


# --------------------------------------------------------------------------- negation


@pytest.mark.parametrize(
    ("expr", "holds", "breaks"),
    [
        (Not(count("word", "at_least", 3)), "a b", "a b c d"),
        (Not(count("word", "exactly", 3)), "a b", "a b c"),
        (Not(count("word", "between", 2, 4)), "a", "a b c"),
        (Not(QUESTIONS), FEW_QUESTIONS, "Why? How? Ok."),
        (Not(SHORT_BULLETS), "- a b\n- one two three four five", "- a b\n- c d"),
        (Not(Select("any", S, StartsWith("Why"))), "Hi. How?", "Hi. Why not?"),
        (Not(Select("none", S, StartsWith("The"))), "A cat. The dog.", "A cat. Then a dog."),
        (Not(Select("first", S, StartsWith("Hi"))), "Bye. Hi.", "Hi there. Bye."),
        (Not(Select("last", S, StartsWith("Hi"))), "Hi. Bye.", "Bye. Hi there."),
        (Not(Select("nth", S, StartsWith("Hi"), index=2)), "Hi. Bye.", "Bye. Hi there."),
        (Not(Select("outside", Named("code_block"), Contains("x"))), "```\nx\n```\ny",
         "x\n```\ny\n```"),
        (Not(StartsWith("Hi")), "Hello", "Hi there"),
        (Not(EndsWith("bye")), "bye now", "ok bye"),
        (Not(Contains("bad")), "good", "so bad"),
        (Not(Equals("yes")), "no", "Yes."),
        (Not(Matches(r"\d")), "abc", "a1"),
        (Not(Case("lower")), "Hello", "all lower"),
        (Not(Language("en")), "Das Wetter ist heute sehr schön und wir gehen spazieren.",
         "This is an English sentence with many words in it."),
        (Not(Format("json")), "not json", "[1]"),
        (Not(Sorted(B)), "- b\n- a", "- a\n- b"),
        (Not(Distinct(B)), "- a\n- a", "- a\n- b"),
        (Not(Palindrome()), "abc", "racecar"),
        (Not(Select("each", Named("heading"), HeadingLevel(2))), "## A\n# B", "## A\n## B"),
        (Not(Select("each", Named("code_block"), CodeLanguage("python"))), "```js\nx\n```",
         "```py\nx\n```"),
        (Not(RepeatsRequest()), "Sure. Write a poem", "Write a poem. Roses."),
        (Not(AllOf((Contains("a"), Contains("b")))), "a c", "a b"),
        (Not(AnyOf((Contains("a"), Contains("b")))), "c", "b"),
        (Not(Not(Contains("a"))), "a", "b"),
    ],
)  # fmt: skip
def test_every_kind_of_node_can_be_negated(expr: Not, holds: str, breaks: str) -> None:
    yes = evaluate(expr, holds, request="Write a poem")
    no = evaluate(expr, breaks, request="Write a poem")
    assert yes.passed and yes.score == 1.0, yes
    assert not no.passed and no.reason and no.fix_hint, no
    assert no.score <= MAX_FAILED_SCORE


def test_negation_is_pushed_to_the_leaves_and_explains_itself() -> None:
    # not every bullet is short = some bullet is long
    ok = evaluate(Not(SHORT_BULLETS), "- a b\n- one two three four five")
    assert ok.reason == "bullet point 2 ('one two three four five'): 5 words; needs at least 4"
    # not any sentence starts with 'Why' = every sentence does not
    v = evaluate(Not(Select("any", S, StartsWith("Why"))), "Hi. Why not?")
    assert v.reason.startswith("1 of 2 sentences fail: sentence 2 ('Why not?')")
    assert "it must not start with 'Why'" in v.reason
    # a negated bound becomes its complement, graded as one
    c = evaluate(Not(count("word", "at_least", 3)), "a b c d")
    assert c.reason.startswith("4 words") and c.reason.endswith("needs fewer than 3")
    assert c.fix_hint.startswith("cut about 2 words")
    # not (a and b) = not a or not b
    both = evaluate(Not(AllOf((Contains("a"), Contains("b")))), "a b")
    assert "it must not contain 'a'" in both.reason and "it must not contain 'b'" in both.reason


# --------------------------------------------------------------------------- properties


def test_every_sample_expression_gives_a_well_formed_verdict_on_a_long_answer() -> None:
    text = sample_text()
    for name, expr in EXPRESSIONS.items():
        v = evaluate(expr, text, request=REQUEST)
        assert 0.0 <= v.score <= 1.0 and v.reason, name
        assert v.passed == (v.score == 1.0), name


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions(), answers())
def test_evaluate_never_raises_and_a_failure_never_scores_above_099(expr: Expr, text: str) -> None:
    v = evaluate(expr, text, request="Write about rivers")
    assert 0.0 <= v.score <= 1.0
    assert v.passed == (v.score == 1.0)
    if not v.passed:
        assert v.score <= MAX_FAILED_SCORE
        assert v.reason
    else:
        assert v.fix_hint == ""


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions(), answers())
def test_double_negation_changes_nothing(expr: Expr, text: str) -> None:
    once = evaluate(expr, text, request="r")
    twice = evaluate(Not(Not(expr)), text, request="r")
    assert (twice.passed, twice.score) == (once.passed, once.score)


def presupposes(expr: Expr) -> bool:
    """Whether `expr` presupposes something a text may lack (a denominator, a unit at a
    position): without it, the expression and its negation both fail."""
    match expr:
        case Ratio():
            return True
        case Select():
            return expr.mode in ("first", "last", "nth") or presupposes(expr.check)
        case AllOf() | AnyOf():
            return any(presupposes(e) for e in expr.items)
        case Not():
            return presupposes(expr.item)
        case Compare() if expr.count.where is not None:
            return presupposes(expr.count.where)
        case _:
            return False


def test_a_failed_presupposition_fails_both_ways() -> None:
    nothing = Ratio(Count(B, EndsWith(".")), Count(B), Bound("at_least", 0.5))
    missing = Select("nth", Named("paragraph"), StartsWith("A"), index=3)
    for expr in (nothing, missing):
        assert not evaluate(expr, "One paragraph.").passed
        assert not evaluate(Not(expr), "One paragraph.").passed


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions(), answers())
def test_negation_flips_the_verdict(expr: Expr, text: str) -> None:
    assume(text.strip() and not presupposes(expr))  # an empty answer fails both
    plain = evaluate(expr, text, request="r")
    negated = evaluate(Not(expr), text, request="r")
    assert negated.passed != plain.passed, (expr, text, plain, negated)
