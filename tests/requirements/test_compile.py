"""Compiling requirements: the rules (no model), the judge for the rest, and
contradictions refused before any model call (the model compiler: `test_compiler.py`)."""

from __future__ import annotations

import json

import pytest

from cadenza.errors import RequirementError
from cadenza.providers.scripted import ScriptedModel
from cadenza.requirements.compile import (
    CompiledRequirement,
    compile_requirement,
    compile_requirements,
    conflicts_of,
    given,
    is_subjective,
    needs_compiler,
)
from cadenza.requirements.compiler import ModelCompiler
from cadenza.requirements.lang import build as b
from cadenza.requirements.lang.describe import describe
from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.lang.nodes import Expr, Named, Select
from cadenza.task import Requirement


def words(n: int) -> str:
    return " ".join(["word"] * n)


def sentences(n: int) -> str:
    return " ".join(f"Sentence number {i} is here." for i in range(n))


OPTIONS = ("My answer is yes.", "My answer is no.", "My answer is maybe.")
JSON_NAME = json.dumps({"type": "object", "required": ["name"]})

# (requirement, what it means, a text that meets it, a text that does not). The old
# rules read every one of these; a rule must still read each (no model, no cost).
PHRASINGS: list[tuple[str, Expr, str, str]] = [
    ("at least 300 words", b.count("word", "at_least", 300), words(300), words(299)),
    ("Answer with less than 50 words.", b.count("word", "less_than", 50), words(49), words(50)),
    ("Keep it 100 words or less", b.count("word", "at_most", 100), words(100), words(101)),
    ("Write a 300+ word essay", b.count("word", "at_least", 300), words(300), words(200)),
    ("between 100 and 120 words", b.count("word", "between", 100, 120), words(110), words(121)),
    ("Your response should contain fewer than 6 sentences.", b.count("sentence", "less_than", 6),
     sentences(5), sentences(6)),
    ("at least ten sentences", b.count("sentence", "at_least", 10), sentences(10), sentences(9)),
    ("Do not use any commas.", b.no_characters(","), "a b", "a, b"),
    ("no commas", b.no_characters(","), "a b", "a, b"),
    ("Your entire response must be in all lowercase letters.", b.lowercase(), "all low",
     "Not all"),
    ("Wrap your entire response with double quotation marks.", b.wrapped_in(), '"hi there"',
     "hi there"),
    ('Finish your response with the exact phrase "Any questions?"',
     b.ends_with("Any questions?"), "Done. Any questions?", "Any questions? Done."),
    ('Include the keywords "alpha" and "beta".', b.includes(["alpha", "beta"]),
     "alpha and beta", "alpha only"),
    ("Do not use the words 'bark' or 'run'.", b.excludes(["bark", "run"]), "a dog sat",
     "dogs run"),
    ("The letter q should appear at least 5 times.", b.occurrences("q", "at_least", 5),
     "qqqqq", "qqqq"),
    ("The word sneaker should appear 10 or more times.", b.occurrences("sneaker", "at_least", 10),
     "sneaker " * 10, "sneaker " * 9),
    ("Respond in German, no other language is allowed.", b.language("de"),
     "Das Wetter ist heute sehr schön und wir gehen im Park spazieren.",
     "The weather is lovely today and we are going for a walk in the park."),
    ("Wrap the entire output in JSON format.", b.json_value(), '{"a": 1}', "a: 1"),
    ("Include a title wrapped in double angular brackets, like <<title>>.", b.title(),
     "<<Sea>>\nwaves", "Sea\nwaves"),
    ("Highlight at least 3 sections with markdown, i.e. *highlighted*.",
     b.count("highlight", "at_least", 3), "*a* *b* *c*", "*a* *b*"),
    ("At the end, add a postscript starting with P.S.", b.postscript("P.S."),
     "Hi.\n\nP.S. bye", "Hi. bye"),
    ("Use exactly 4 bullet points.", b.count("bullet", "exactly", 4), "- a\n- b\n- c\n- d",
     "- a\n- b\n- c"),
    ("Include at least 12 placeholders in square brackets like [name].",
     b.count("placeholder", "at_least", 12), "[x] " * 12, "[x] " * 11),
    ('Answer with one of: "My answer is yes.", "My answer is no.", "My answer is maybe."',
     b.one_of(OPTIONS), "My answer is no.", "Maybe."),
    # paraphrases written away from IFEval's wording
    ("No more than two hundred words, please.", b.count("word", "at_most", 200), words(200),
     words(201)),
    ("Length: 150-200 words.", b.count("word", "between", 150, 200), words(175), words(140)),
    ("It should be roughly 300 words long.", b.count("word", "between", 240, 360), words(300),
     words(100)),
    ("Don't write more than 5 sentences.", b.count("sentence", "at_most", 5), sentences(5),
     sentences(6)),
    ("Make it a single sentence.", b.count("sentence", "exactly", 1), sentences(1), sentences(2)),
    ("Commas are not allowed.", b.no_characters(","), "a b", "a, b"),
    ("Do not capitalize any letters.", b.lowercase(), "all low", "Not all"),
    ("ALL CAPS ONLY.", b.uppercase(), "ALL OF IT", "Not all"),
    ("Your reply should be in French.", b.language("fr"),
     "Bonjour mes amis, comment allez-vous aujourd'hui? Il fait très beau.",
     "Hello my friends, how are you today? The weather is lovely."),
    ("Output JSON only.", b.json_value(), '{"a": 1}', 'Here: {"a": 1}'),
    ("Sign off with 'Cheers, Bob'.", b.ends_with("Cheers, Bob"), "Thanks. Cheers, Bob",
     "Cheers, Bob. Thanks."),
    ('Your last line must be "The end."', b.ends_with("The end."), "Story.\nThe end.",
     "The end.\nStory."),
    ("Use the word 'river' exactly twice.", b.occurrences("river", "exactly", 2),
     "river and river", "river"),
    ("Avoid the words bad, awful and terrible.", b.excludes(["bad", "awful", "terrible"]),
     "a fine day", "an awful day"),
    ("Be sure to mention Paris and Rome.", b.includes(["Paris", "Rome"]), "Paris, Rome",
     "Paris only"),
    ('The response should contain the phrase "on time".', b.includes(["on time"]),
     "We are on time.", "We are late."),
    ("List 7 items as markdown bullets.", b.count("bullet", "exactly", 7), "- x\n" * 7,
     "- x\n" * 6),
    ("Don't use the letter e more than 10 times.", b.occurrences("e", "at_most", 10),
     "e" * 10, "e" * 11),
    ("Add a postscript beginning with P.P.S.", b.postscript("P.P.S"), "Hi.\nP.P.S. bye",
     "Hi.\nP.S. bye"),
    ("Answer using between 3 and 5 paragraphs separated by ***.",
     b.paragraphs("between", 3, 5, marker="***"), "a\n***\nb\n***\nc", "a\n***\nb"),
    ("Write exactly 4 numbered items.", b.count("numbered_item", "exactly", 4),
     "1. a\n2. b\n3. c\n4. d", "1. a\n2. b"),
    ("Structure it in 3 sections, each starting with 'Part X'.",
     b.sections("at_least", 3, marker="Part"), "Part 1\na\nPart 2\nb\nPart 3\nc",
     "Part 1\na\nPart 2\nb"),
    ("Do not include any exclamation marks.", b.no_characters("!"), "Hi.", "Hi!"),
    ("Don't use semicolons.", b.no_characters(";"), "a, b", "a; b"),
    ('Your answer must validate against this JSON schema: {"type": "object", "required": '
     '["name"]}', b.json_value(JSON_NAME), '{"name": "x"}', '{"age": 3}'),
    ("Limit yourself to 60 words.", b.count("word", "at_most", 60), words(60), words(61)),
    ("The essay needs to be over 1000 words.", b.count("word", "more_than", 1000), words(1001),
     words(1000)),
    ("Your summary has to be shorter than 40 words.", b.count("word", "less_than", 40), words(39),
     words(40)),
    ("Respond in 2-3 sentences.", b.count("sentence", "between", 2, 3), sentences(2), sentences(4)),
    ("Keep every character lowercase.", b.lowercase(), "all low", "Not all"),
    ("Write your answer in capital letters only.", b.uppercase(), "ALL OF IT", "Not all"),
    ("Respond in Portuguese.", b.language("pt"),
     "Olá, meus amigos! Hoje o tempo está muito bonito e vamos passear no parque.",
     "Hello my friends, how are you today? The weather is lovely."),
    ("Format the whole response as JSON.", b.json_value(), "[1, 2]", "1, 2"),
    ('Conclude with "Thanks for reading!"', b.ends_with("Thanks for reading!"),
     "Done. Thanks for reading!", "Thanks for reading! Done."),
    ('Begin the reply with the words "In short".', b.starts_with("In short"),
     "In short, yes.", "Yes, in short."),
    ("Repeat the word 'hope' at least four times.", b.occurrences("hope", "at_least", 4),
     "hope " * 4, "hope " * 3),
    ('Do not mention the word "price".', b.excludes(["price"]), "the cost", "the price"),
    ("Make sure the keyword 'cloud' appears.", b.includes(["cloud"]), "a cloud", "a sky"),
    ('Include the terms "API", "SDK" and "CLI".', b.includes(["API", "SDK", "CLI"]),
     "API SDK CLI", "API SDK"),
    ("The letter x should not appear at all.", b.occurrences("x", "exactly", 0), "abc", "axe"),
    ("Use 3 bullet points.", b.count("bullet", "exactly", 3), "- a\n- b\n- c", "- a\n- b"),
    ("Finish with a P.S. note.", b.postscript("P.S."), "Hi.\nP.S. bye", "Hi. bye"),
    ("Put your entire reply inside double quotation marks.", b.wrapped_in(), '"hi"', "hi"),
    ("Add a title like <<Title>>.", b.title(), "<<T>>\nx", "T\nx"),
    ("Include at least 4 placeholders, e.g. [date].", b.count("placeholder", "at_least", 4),
     "[a] [b] [c] [d]", "[a] [b]"),
    ("Bold or italicize at least 2 key phrases using markdown.",
     b.count("highlight", "at_least", 2), "*a* and **b**", "*a* only"),
    ("Write it in five paragraphs, separated by the divider ***.",
     b.paragraphs("exactly", 5, marker="***"), "a\n***\nb\n***\nc\n***\nd\n***\ne",
     "a\n***\nb"),
    ("Show the code in a fenced code block.", b.count("code_block", "at_least", 1),
     "```\nx = 1\n```", "x = 1"),
    ("Keep it under 280 characters.", b.characters("less_than", 280), "x" * 279, "x" * 280),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "means", "meets", "breaks"), PHRASINGS, ids=[p[0][:48] for p in PHRASINGS]
)
def test_common_phrasings_are_read_by_rule(text: str, means: Expr, meets: str, breaks: str) -> None:
    assert evaluate(means, meets).passed and not evaluate(means, breaks).passed  # the probes
    compiled = compile_requirement(text)
    assert compiled.method == "rule", (text, compiled.why)
    assert compiled.expr is not None and compiled.rubric is None
    assert evaluate(compiled.expr, meets).passed, (text, compiled.checks)
    assert not evaluate(compiled.expr, breaks).passed, (text, compiled.checks)


def test_a_rule_reading_names_its_rule() -> None:
    compiled = compile_requirement("at most 50 words")
    assert compiled.expr == b.count("word", "at_most", 50)
    assert compiled.why.startswith("read by rule (")
    assert compiled.checks == "the answer has at most 50 words"
    assert not compiled.judged and not compiled.needs_judge


def test_what_no_rule_reads_becomes_a_judge_rubric_saying_why() -> None:
    tone = compile_requirement("Use a warm, friendly tone for parents")
    assert tone.method == "judged" and tone.judged and tone.expr is None
    assert tone.rubric == "Use a warm, friendly tone for parents"
    assert tone.why == "asks for 'warm', which only a judge can assess"
    assert not needs_compiler(tone)
    unread = compile_requirement("Each stanza should close with a question")
    assert unread.method == "judged" and unread.why == "no rule reads it"
    assert needs_compiler(unread)
    # a phrasing rule would read only "a markdown table": what the table compares is left,
    # so no rule claims the whole requirement
    partial = compile_requirement("Provide a markdown table comparing the options.")
    assert partial.method == "judged" and needs_compiler(partial)


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("Use a formal tone and no more than 5 words.", "Use a formal tone"),
        ("a formal tone, under 100 words", "a formal tone"),
        ("friendly tone; at most 50 words", "friendly tone"),
    ],
)
def test_a_mixed_requirement_gets_an_expression_and_a_rubric_of_the_rest(
    text: str, rest: str
) -> None:
    compiled = compile_requirement(text)
    assert compiled.method == "rule", compiled.why
    assert compiled.expr is not None and compiled.rubric is not None
    assert compiled.needs_judge and not compiled.judged
    assert compiled.rubric == rest  # the judge is asked about exactly what no rule read


@pytest.mark.parametrize(
    ("text", "checked", "rest", "passing", "failing"),
    [
        (
            "Keep it under 280 characters and include two hashtags.",
            "fewer than 280 characters",
            None,
            "Tea time #tea #calm",
            "Tea time #tea",
        ),
        (
            "Use no commas and make every line start with the letter R.",
            "no commas",
            None,
            "Rain falls\nRivers rise",
            "Rain falls\nthe rivers rise",
        ),
        (
            "Keep it under 280 characters and mention two tea brands.",
            "fewer than 280 characters",
            "mention two tea brands",
            "Twinings and Lipton",
            "x" * 300,
        ),
    ],
)
def test_a_sentence_is_checked_whole_or_hands_its_unread_rest_to_the_judge(
    text: str, checked: str, rest: str | None, passing: str, failing: str
) -> None:
    compiled = compile_requirement(text)
    assert compiled.expr is not None and checked in compiled.checks
    assert compiled.rubric == rest
    assert evaluate(compiled.expr, passing).passed
    assert not evaluate(compiled.expr, failing).passed


def test_none_of_them_is_read_with_its_negation() -> None:
    compiled = compile_requirement("Use at least 3 sentences, none of them longer than 12 words.")
    assert compiled.expr is not None and compiled.rubric is None
    long_third = "I woke up. I ate. " + " ".join(["then"] * 23) + " done."
    assert not evaluate(compiled.expr, long_third).passed
    assert evaluate(compiled.expr, "I woke early. I drank tea. I walked out.").passed


def test_a_negated_count_is_not_read_as_its_opposite() -> None:
    compiled = compile_requirement("Do not use more than 3 bullet points.")
    assert compiled.expr is None or evaluate(compiled.expr, "- a\n- b").passed is not False
    if compiled.expr is not None:
        assert evaluate(compiled.expr, "- a\n- b").passed
        assert not evaluate(compiled.expr, "- a\n- b\n- c\n- d").passed


def test_a_quoted_keyword_is_content_not_a_tone() -> None:
    assert not is_subjective("include the keywords 'warm' and 'adjustable'")
    assert is_subjective("use a warm tone")
    keywords = compile_requirement("include the keywords 'warm' and 'adjustable'")
    assert keywords.method == "rule" and keywords.rubric is None, keywords.why


def test_maestro_shape_keeps_the_mandatory_flag() -> None:
    compiled = compile_requirement(
        {"name": "short", "description": "at most 50 words", "is_mandatory": False}
    )
    assert compiled.requirement == Requirement("at most 50 words", "short", False)
    assert compiled.expr == b.count("word", "at_most", 50)


def test_a_given_expression_is_used_as_is() -> None:
    expr = Select("each", Named("line"), b.count("character", "at_most", 40))
    compiled = given(Requirement("short lines"), expr)
    assert (compiled.method, compiled.expr, compiled.rubric) == ("given", expr, None)
    assert compiled.why == "expression given by the caller"


def test_a_compiled_requirement_needs_an_expression_or_a_rubric() -> None:
    with pytest.raises(ValueError, match="needs an expression or a rubric"):
        CompiledRequirement(Requirement("x"), "judged")


# --------------------------------------------------------------------------- conflicts


@pytest.mark.anyio
async def test_contradictions_are_reported_before_any_model_call() -> None:
    model = ScriptedModel(["{}"])
    with pytest.raises(
        RequirementError, match=r"at least 300 words.*contradicts.*at most 100 words"
    ):
        await compile_requirements(
            ["at least 300 words", "at most 100 words", "Each stanza should close with a question"],
            compiler=ModelCompiler(model),
        )
    assert model.calls == 0


def test_optional_requirements_do_not_conflict() -> None:
    compiled = [
        compile_requirement("at least 300 words"),
        compile_requirement({"description": "at most 100 words", "is_mandatory": False}),
    ]
    assert conflicts_of(compiled) == []


@pytest.mark.anyio
async def test_conflicts_can_be_left_to_the_caller() -> None:
    out = await compile_requirements(
        ["at least 300 words", "at most 100 words"], check_conflicts=False
    )
    assert [c.method for c in out] == ["rule", "rule"]
    assert len(conflicts_of(out)) == 1


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Use between 100 and 150 words and no more than 3 emojis.", 100, 150),
        ("Keep it between 3 and 5 paragraphs and end with a question.", 3, 5),
    ],
)
def test_a_range_said_with_between_is_not_cut_at_its_and(text: str, low: int, high: int) -> None:
    # it was cut into "Use between 100" (judged) and "150 words" (read as about 150,
    # 120 to 180 words): a check labelled with the whole sentence and other bounds
    compiled = compile_requirement(text)
    assert compiled.method == "rule" and compiled.rubric is None
    said = describe(compiled.expr) if compiled.expr is not None else ""
    assert f"between {low} and {high} " in said


@pytest.mark.parametrize(
    ("sentence", "rest"),
    [
        ("No more than 3 paragraphs, each starting with a verb.", "each starting with a verb"),
        ("Include a table with 3 columns and a title above it.", "a title above it"),
    ],
)
def test_a_clause_with_no_number_or_quote_is_not_dropped_beside_a_reading(
    sentence: str, rest: str
) -> None:
    """The check was labelled with the whole sentence but checked only the count: three
    paragraphs that open with nouns were `satisfied`. The rest goes to the judge."""
    compiled = compile_requirement(sentence)
    assert compiled.method == "rule"
    assert compiled.rubric is not None and rest in compiled.rubric


@pytest.mark.parametrize(
    "sentence",
    [
        "Keep it under 100 words, because it goes in the newsletter.",
        "Write it in exactly four sentences so it fits the slide.",
    ],
)
def test_a_reason_beside_a_reading_is_still_set_aside(sentence: str) -> None:
    compiled = compile_requirement(sentence)
    assert compiled.method == "rule" and compiled.rubric is None


@pytest.mark.parametrize(
    "sentence",
    ["Keep it under 50 words, for the newsletter.", "Use 3 bullets, my boss skims."],
)
def test_a_purpose_or_a_statement_beside_a_reading_is_set_aside(sentence: str) -> None:
    compiled = compile_requirement(sentence)
    assert compiled.method == "rule" and compiled.rubric is None


@pytest.mark.parametrize(
    "sentence",
    [
        "The title must be in bold and under 6 words.",
        "Each paragraph should be short, under 50 words.",
    ],
)
def test_a_measure_said_of_a_part_is_never_read_as_the_whole_answers(sentence: str) -> None:
    """'under 6 words' after 'The title must be in bold and' is the title's: it was read
    as 'the answer has fewer than 6 words' (in a prompt, as exactly 6 words)."""
    from cadenza.requirements.extract import read_prompt

    compiled = compile_requirement(sentence)
    assert compiled.method == "judged" and compiled.expr is None
    in_prompt = read_prompt(f"Write about green tea. {sentence}").requirements
    assert [c.method for c in in_prompt] == ["judged"]


def test_a_measure_after_the_answer_as_subject_is_still_read() -> None:
    compiled = compile_requirement("Your reply must be formal and under 100 words.")
    assert (
        compiled.expr is not None
        and describe(compiled.expr) == "the answer has fewer than 100 words"
    )
