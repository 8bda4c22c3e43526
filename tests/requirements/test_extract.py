"""Extraction of requirements from the prompt text alone: rules in directive sentences
only, and a model for what the rules miss (its items kept only when they quote the
prompt's own directive words)."""

from __future__ import annotations

import json

import pytest

from cadenza.providers.scripted import Reply, ScriptedModel
from cadenza.requirements.compile import CompiledRequirement
from cadenza.requirements.extract import (
    extract_requirements,
    extract_requirements_with_model,
    locate,
    read_extract_answer,
    read_prompt,
    read_prompt_with_model,
)
from cadenza.requirements.lang import build as b
from cadenza.requirements.lang.build import flatten
from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.lang.nodes import Compare, EndsWith, Expr, Language, Named, Select
from cadenza.task import Requirement

PROMPT = (
    'Write a 300+ word summary of the wikipedia page "https://en.wikipedia.org/wiki/X". '
    "Do not use any commas and highlight at least 3 sections that has titles in markdown "
    "format, for example *highlighted section part 1*."
)


def atoms(prompt: str) -> list[Expr]:
    return [a for c in extract_requirements(prompt) if c.expr for a in flatten(c.expr)]


def test_extracts_each_requirement_with_its_sentence() -> None:
    found = extract_requirements(PROMPT)
    assert all(c.method == "rule" and c.span is not None for c in found)
    exprs = atoms(PROMPT)
    assert b.count("word", "at_least", 300) in exprs
    assert b.no_characters(",") in exprs
    assert b.count("highlight", "at_least", 3) in exprs
    commas = next(c for c in found if c.expr and b.no_characters(",") in flatten(c.expr))
    assert "Do not use any commas" in commas.requirement.description
    assert commas.span is not None
    assert PROMPT[commas.span[0] : commas.span[1]].startswith("Do not use any commas")
    assert "read from the prompt by rule" in commas.why


def test_a_plain_task_has_no_requirements() -> None:
    assert extract_requirements("Tell me about the history of Rome.") == []


@pytest.mark.parametrize(
    "prompt",
    [
        "What does writing in all caps mean online?",
        'Translate "reply in two sentences" into Spanish.',
        "My teacher says never end a sentence with a preposition. Explain why.",
    ],
)
def test_questions_quotes_and_reported_rules_impose_nothing(prompt: str) -> None:
    assert extract_requirements(prompt) == []


@pytest.mark.parametrize(
    "prompt",
    [
        "Write a poem about a goat. Every stanza ends with a question.",
        "Write a story. The story ends with a twist.",
    ],
)
def test_saying_what_a_part_ends_with_is_not_an_exact_closing_phrase(prompt: str) -> None:
    # "ends with a question" / "a twist" describe content; read as the answer's closing
    # text they become ends_with('.') and ends_with('twist.')
    found = [c.expr for c in extract_requirements(prompt)]
    assert not any(isinstance(a, EndsWith) for e in found if e for a in flatten(e)), found


def test_a_request_phrased_as_a_question_still_imposes() -> None:
    exprs = atoms("Can you write a poem about cats in under 100 words?")
    assert exprs == [b.count("word", "less_than", 100)]


def test_clauses_of_one_sentence_are_read_separately() -> None:
    prompt = "Write a blurb for beeswax candles in no more than 50 words, all lowercase."
    exprs = atoms(prompt)
    assert b.count("word", "at_most", 50) in exprs and b.lowercase() in exprs


def test_the_request_to_repeat_is_read_from_the_prompt() -> None:
    prompt = (
        "Write a haiku about tea.\n"
        "First repeat the request word for word without change, then answer."
    )
    (found,) = extract_requirements(prompt)
    assert found.expr == b.repeats("Write a haiku about tea.")


@pytest.mark.parametrize(
    ("sentence", "parts", "passing", "failing"),
    [
        (
            'Separate your thinking and the final answer by a line with just three "*" '
            "symbols: ***",
            "exactly 2",
            "I think so.\n***\nYes.",
            "One.\n***\nTwo.\n***\nThree.",
        ),
        (
            "Separate paragraphs with the markdown divider: ***",
            "at least 2",
            "One.\n***\nTwo.\n***\nThree.",
            "Just one part.",
        ),
        (
            "There should be 3 paragraphs. Paragraphs are separated with the markdown divider: ***",
            "exactly 3",
            "One.\n***\nTwo.\n***\nThree.",
            "One.\n\nTwo.\n\nThree.",
        ),
    ],
)
def test_a_divider_between_named_parts_counts_the_parts(
    sentence: str, parts: str, passing: str, failing: str
) -> None:
    (found,) = extract_requirements(sentence)
    assert found.expr is not None
    assert f"has {parts} parts separated by '***'" in found.checks
    assert evaluate(found.expr, passing).passed
    assert not evaluate(found.expr, failing).passed


def passes_all(prompt: str, answer: str) -> bool:
    return all(
        evaluate(c.expr, answer, request=prompt).passed
        for c in extract_requirements(prompt)
        if c.expr is not None
    )


def test_structure_read_across_sentences_paragraph_count_and_first_word() -> None:
    prompt = (
        "There should be exactly 4 paragraphs. Paragraphs are separated by two new lines. "
        'Paragraph 2 must start with the word "it".'
    )
    assert extract_requirements(prompt)
    assert passes_all(prompt, "One.\n\nIt is two.\n\nThree.\n\nFour.")
    assert not passes_all(prompt, "One.\n\nSo two.\n\nThree.\n\nFour.")
    assert not passes_all(prompt, "One.\n\nIt is two.\n\nThree."), "4 paragraphs are required"


def test_sections_marked_with_a_word_are_not_markdown_sections() -> None:
    prompt = (
        "Your response must have 4 sections. Mark the beginning of each section with SECTION X."
    )
    answer = "SECTION 1\nA.\nSECTION 2\nB.\nSECTION 3\nC.\nSECTION 4\nD."
    assert passes_all(prompt, answer), [c.checks for c in extract_requirements(prompt)]
    assert not passes_all(prompt, "SECTION 1\nA.\nSECTION 2\nB.")


def test_two_different_responses_separated_by_asterisks() -> None:
    prompt = "Give two different responses separated by 6 asterisk symbols ******."
    assert passes_all(prompt, "Yes.\n******\nNo.")
    assert not passes_all(prompt, "Yes.\n******\nYes.")
    assert not passes_all(prompt, "Yes.")


# --------------------------------------------------------------------------- with a model


def _answer(*items: tuple[str, str]) -> str:
    return json.dumps({"requirements": [{"quote": q, "requirement": r} for q, r in items]})


@pytest.mark.anyio
async def test_the_model_adds_what_the_rules_missed_when_it_quotes_the_prompt() -> None:
    prompt = "Describe Rome to kids in a playful tone. Use at most 50 words."
    model = ScriptedModel(
        [
            _answer(
                ("in a playful tone", "Use a playful tone"),
                ("Use at most 50 words", "Use at most 50 words"),  # the rules read it already
                ("never mention Paris", "Do not mention Paris"),  # not in the prompt
            )
        ]
    )
    found = await extract_requirements_with_model(prompt, model=model)
    assert model.calls == 1
    by_text = {c.requirement.description: c for c in found}
    assert set(by_text) == {"Use at most 50 words.", "Use a playful tone"}
    tone = by_text["Use a playful tone"]
    assert tone.judged and tone.method == "judged" and tone.rubric == "Use a playful tone"
    assert tone.why.startswith("found in the prompt by scripted:echo")
    assert tone.span == locate(prompt, "in a playful tone")
    words = by_text["Use at most 50 words."]
    assert words.method == "rule" and words.expr == b.count("word", "at_most", 50)
    assert [c.span for c in found] == sorted(c.span for c in found if c.span)  # prompt order


@pytest.mark.anyio
async def test_model_items_outside_directives_or_restating_the_task_are_dropped() -> None:
    prompt = 'What does "write in all caps" mean? Answer briefly.'
    model = ScriptedModel(
        [
            _answer(
                ("write in all caps", "Write in all capital letters"),  # inside quotes
                (prompt, "Answer the question"),  # the whole task
            )
        ]
    )
    found = await extract_requirements_with_model(prompt, model=model)
    # only the rules' own reading: the request is the question, so "Answer briefly." is a
    # requirement no rule reads, judged as written; neither of the model's items is kept
    assert [(c.requirement.description, c.why) for c in found] == [
        ("Answer briefly.", "no rule reads it: judged as written")
    ]


@pytest.mark.anyio
async def test_a_model_error_leaves_the_rules_result_and_is_reported() -> None:
    from cadenza.errors import ProviderUnavailableError

    model = ScriptedModel([Reply(error=ProviderUnavailableError("down", provider="scripted"))])
    found = await extract_requirements_with_model(PROMPT, model=model)
    assert found == extract_requirements(PROMPT)
    prompt = "Write a note about tea. Mention three brands of tea. End with a question."
    model = ScriptedModel([Reply(error=ProviderUnavailableError("down", provider="scripted"))])
    reading = await read_prompt_with_model(prompt, model=model)
    assert len(reading.notes) == 1 and "scripted:echo" in reading.notes[0]
    assert "could not list the requirements" in reading.notes[0]
    assert reading.unread == ("Mention three brands of tea.",)  # judged, not dropped


@pytest.mark.anyio
async def test_a_found_requirement_no_rule_reads_goes_to_the_compiler() -> None:
    prompt = "Write a poem about a goat. Give each stanza a question for the reader."
    (alone,) = extract_requirements(prompt)  # no rule knows stanzas: judged as written
    assert alone.judged and alone.requirement.description == (
        "Give each stanza a question for the reader."
    )
    expr = Select("each", Named("paragraph"), EndsWith("?"))

    class Compiler:
        def __init__(self) -> None:
            self.seen: list[tuple[str, str | None]] = []

        async def compile(self, requirement: Requirement, task: str | None) -> CompiledRequirement:
            self.seen.append((requirement.description, task))
            return CompiledRequirement(requirement, "compiled", expr, why="compiled and verified")

    compiler = Compiler()
    model = ScriptedModel(
        [_answer(("Give each stanza a question", "End every stanza with a question"))]
    )
    (found,) = await extract_requirements_with_model(prompt, model=model, compiler=compiler)
    assert compiler.seen == [("End every stanza with a question", prompt)]
    assert (found.method, found.expr) == ("compiled", expr)
    assert found.why == "found in the prompt by scripted:echo; compiled and verified"


def test_model_answers_are_cleaned() -> None:
    text = json.dumps(
        {
            "requirements": [
                {"quote": " in  a playful tone ", "requirement": " playful   tone "},
                {"quote": "x", "requirement": "  "},
                {"quote": 3, "requirement": "three"},
                "not an object",
            ]
        }
    )
    assert read_extract_answer(text) == [("in a playful tone", "playful tone")]
    assert read_extract_answer("oops") == []
    assert read_extract_answer('{"requirements": 3}') == []


def test_locate_finds_the_quote_case_and_spacing_aside() -> None:
    prompt = "Write it.  Keep it\nSHORT, please!"
    assert locate(prompt, "keep it short") == (11, 24)
    assert locate(prompt, '"Keep it short."') == (11, 24)
    assert locate(prompt, "not there") is None
    assert locate(prompt, " ... ") is None


@pytest.mark.real_model
@pytest.mark.anyio
async def test_real_model_extraction_returns_compiled_requirements() -> None:
    from cadenza.providers.registry import resolve
    from cadenza.settings import Settings

    model = resolve("local:smollm2-135m", Settings.load())
    prompt = "Write a cheerful note to my team about Friday's picnic."
    found = await extract_requirements_with_model(prompt, model=model)
    for compiled in found:  # whatever the small model lists is compiled or judged, never dropped
        assert compiled.expr is not None or compiled.rubric
        assert compiled.span is not None and locate(prompt, prompt[slice(*compiled.span)])


# --------------------------------------------------------------------------- coverage


def by_text(prompt: str) -> dict[str, CompiledRequirement]:
    return {c.requirement.description: c for c in extract_requirements(prompt)}


def test_both_halves_of_a_sentence_are_checked() -> None:
    prompt = "Write a tweet about tea. Keep it under 280 characters and include two hashtags."
    assert b.characters("less_than", 280) in atoms(prompt)
    assert b.count("hashtag", "exactly", 2) in atoms(prompt)
    assert all(c.expr is not None for c in extract_requirements(prompt))
    tweet = "Tea time! #tea #calm"
    assert passes_all(prompt, tweet)
    assert not passes_all(prompt, "Tea time! #tea"), "two hashtags"


def test_a_line_rule_after_no_commas_is_not_lost() -> None:
    prompt = "Write a poem about rain. Use no commas and make every line start with the letter R."
    found = extract_requirements(prompt)
    assert found and all(c.expr is not None for c in found)
    assert passes_all(prompt, "Rain falls\nRivers rise")
    assert not passes_all(prompt, "Rain falls\nthe rivers rise"), "every line starts with R"
    assert not passes_all(prompt, "Rain, falls\nRivers rise"), "no commas"


def test_none_of_them_longer_than_keeps_its_negation() -> None:
    prompt = "Describe your morning. Use at least 3 sentences, none of them longer than 12 words."
    long_third = "I woke up. I ate. " + " ".join(["then"] * 23) + " done."
    compliant = "I woke early. I drank tea. I walked out."
    assert not passes_all(prompt, long_third)
    assert passes_all(prompt, compliant)
    for c in extract_requirements(prompt):  # never "the answer has more than 12 words"
        assert c.expr is None or "more than 12 words" not in c.checks or "no sentence" in c.checks


@pytest.mark.parametrize(
    ("prompt", "inverted", "faithful"),
    [
        (
            "Write a list of tips. Do not use more than 3 bullet points.",
            "more than 3 bullet",
            "the answer has at most 3 bullet points",
        ),
        ("Write a story. Do not use any commas unless you are listing items.", "no commas", None),
    ],
)
def test_negations_and_conditions_are_not_read_away(
    prompt: str, inverted: str, faithful: str | None
) -> None:
    found = extract_requirements(prompt)
    assert not any(c.expr is not None and inverted in c.checks for c in found), [
        c.checks for c in found
    ]
    if faithful is not None:  # the negation read as what it means
        assert [c.checks for c in found] == [faithful]
    else:  # what no rule read faithfully is judged with its own words, never dropped
        assert any(c.judged and c.span is not None for c in found)


def test_no_more_than_is_a_bound_not_a_negation() -> None:
    (found,) = extract_requirements("Write a haiku. Use no more than 20 words.")
    assert found.expr == b.count("word", "at_most", 20)


def test_unread_directives_are_judged_and_named() -> None:
    prompt = (
        "Write a short note about tea for my aunt. Mention exactly three brands of tea. "
        "Write it in a warm, cheerful tone. Include a two-line poem in the middle. "
        "Sign it as Sam. End with a question."
    )
    reading = read_prompt(prompt)
    checked = [c for c in reading.requirements if c.expr is not None]
    assert [c.requirement.description for c in checked] == ["End with a question."]
    assert reading.unread == (
        "Mention exactly three brands of tea.",
        "Write it in a warm, cheerful tone.",
        "Include a two-line poem in the middle.",
        "Sign it as Sam.",
    )
    for c in reading.requirements:
        if c.judged:
            assert c.rubric == c.requirement.description and c.span is not None
            assert prompt[c.span[0] : c.span[1]] == c.requirement.description


def test_plain_statements_after_a_question_impose_nothing() -> None:
    assert extract_requirements("How do you write a haiku? I've never tried one.") == []


@pytest.mark.anyio
async def test_the_model_may_add_the_half_a_rule_did_not_read() -> None:
    prompt = "Write a tweet about tea. Keep it under 280 characters and mention two tea brands."
    model = ScriptedModel([_answer(("mention two tea brands", "Name two brands of tea"))])
    reading = await read_prompt_with_model(prompt, model=model)
    texts = [c.requirement.description for c in reading.requirements]
    assert texts == ["Keep it under 280 characters", "Name two brands of tea"]
    assert reading.unread == ()  # the model's item accounts for the unread half


@pytest.mark.anyio
async def test_a_model_item_quoting_the_askers_situation_is_not_a_requirement() -> None:
    # the 1.5B model listed "Specify the size of the flat" for "My flat is 45 square
    # metres.": a clause that names no constraint is left to the set-aside question
    prompt = "I ran 5 km this morning and my knee hurts. Suggest gentle stretches, in a calm tone."
    model = ScriptedModel(
        [
            _answer(
                ("I ran 5 km this morning", "Mention the 5 km run"),
                ("in a calm tone", "Use a calm tone"),
            )
        ]
    )
    reading = await read_prompt_with_model(prompt, model=model, sort_aside=False)
    assert [c.requirement.description for c in reading.requirements] == ["Use a calm tone"]
    assert any("5 km" in part for part in reading.unsorted)  # set aside, named, not lost


# --------------------------------------------------------------------------- the user's own words


@pytest.mark.parametrize(
    ("prompt", "options"),
    [
        (
            "Is it going to rain? Reply with 'My answer is definitely.' or 'My answer is never.'",
            ("My answer is definitely.", "My answer is never."),
        ),
        (
            'Is tea healthy? Answer with one of these phrases: "My answer is yes.", '
            '"My answer is no.", "My answer is maybe."',
            None,
        ),
        (
            "Will it work? Choose from:\nMy answer is sure.\nMy answer is nope.",
            ("My answer is sure.", "My answer is nope."),
        ),
    ],
)
def test_answer_options_are_the_ones_the_prompt_gives(
    prompt: str, options: tuple[str, ...] | None
) -> None:
    (found,) = extract_requirements(prompt)
    if options is None:
        options = ("My answer is yes.", "My answer is no.", "My answer is maybe.")
    assert found.expr == b.one_of(options)
    assert not passes_all(prompt, "My answer is maybe.") or "My answer is maybe." in options


def test_repeat_means_repeating_the_request_only_when_the_request_says_so() -> None:
    from cadenza.requirements.assessment import ExprValidator
    from cadenza.requirements.lang.nodes import RepeatsRequest

    prompt = "Repeat your favourite word in every sentence and write exactly 4 sentences."
    found = extract_requirements(prompt)
    assert not any(isinstance(a, RepeatsRequest) for a in atoms(prompt))
    assert b.count("sentence", "exactly", 4) in atoms(prompt)  # the count is read
    judged = [c.requirement.description for c in found if c.judged]
    assert judged == ["Repeat your favourite word in every sentence"]  # never dropped
    validator = ExprValidator([c.requirement for c in found], [c.expr for c in found])
    assert not validator.repeat_asked  # so no answer gets the prompt pasted in front
    asked = "Write a haiku about tea.\nFirst repeat the question above word for word, then answer."
    assert any(isinstance(a, RepeatsRequest) for a in atoms(asked))


# --------------------------------------------------------------------------- nothing vanishes


def _described(prompt: str) -> list[tuple[str, str]]:
    return [
        ("judged" if c.judged else "rule", c.requirement.description)
        for c in extract_requirements(prompt)
    ]


def test_a_directive_beside_a_measure_in_the_task_is_judged_not_dropped() -> None:
    prompt = "Write a story of exactly 2 paragraphs about a dog and make it funny."
    found = extract_requirements(prompt)
    assert b.count("paragraph", "exactly", 2) in atoms(prompt)
    assert [c.requirement.description for c in found if c.judged] == ["make it funny."]
    checked = next(c for c in found if c.expr is not None)
    assert "funny" not in checked.requirement.description  # its label is what it checks


@pytest.mark.parametrize(
    ("prompt", "judged"),
    [
        (
            "Write a haiku about rain. Use exactly 3 lines in a melancholy tone.",
            "Use exactly 3 lines in a melancholy tone.",
        ),
        (
            "Describe Paris. Keep it under 100 words for a child audience.",
            "Keep it under 100 words for a child audience.",
        ),
    ],
)
def test_a_tone_said_beside_a_count_is_judged_and_the_count_still_checked(
    prompt: str, judged: str
) -> None:
    found = _described(prompt)
    assert ("judged", judged) in found
    rules = [text for how, text in found if how == "rule"]
    assert len(rules) == 1 and "tone" not in rules[0] and "audience" not in rules[0]


def test_a_label_never_carries_a_number_its_check_does_not_use() -> None:
    prompt = "Write a welcome sign for a cafe, ALL CAPS, max 10 words."
    found = extract_requirements(prompt)
    upper = next(c for c in found if c.expr == b.uppercase())
    assert "10" not in upper.requirement.description
    assert b.count("word", "at_most", 10) in atoms(prompt)


def test_a_count_in_the_task_is_kept_beside_a_rule_that_reads_the_case() -> None:
    prompt = (
        "Write a 2 paragraph critique of this sentence in all capital letters, "
        'no lowercase letters allowed: "Rules are rules". Label each paragraph with PARAGRAPH X.'
    )
    assert b.count("paragraph", "exactly", 2) in atoms(prompt)
    assert b.uppercase() in atoms(prompt)


@pytest.mark.parametrize(
    "prompt",
    [
        "Compose a limerick about tea, and do not use any commas.",
        "Invent a funny tagline for a bakery, and put your whole response in double quotes.",
        "Can you rewrite this joke in a funny way without using the word 'cat'?",
    ],
)
def test_the_request_itself_is_the_task_not_a_judged_requirement(prompt: str) -> None:
    found = extract_requirements(prompt)
    assert found and all(c.expr is not None for c in found), _described(prompt)


def test_numbered_markers_and_mark_lengths_are_used_by_their_checks() -> None:
    sections = (
        "Write a policy with two sections (Section 1 and Section 2) and at least 25 sentences."
    )
    assert all(c.expr is not None for c in extract_requirements(sections)), _described(sections)
    stars = "Write two limericks. Separate your two limericks with six asterisks (******)."
    found = extract_requirements(stars)
    assert all(c.expr is not None for c in found), _described(stars)
    assert b.occurrences("*", "exactly", 6) not in atoms(stars)  # six is the mark's length


@pytest.mark.parametrize(
    ("prompt", "judged"),
    [
        (  # "and" joins two things named, not two instructions (what the parts hold
            # is judged beside the count of parts)
            "Write a poem. Separate your thinking and the final answer with ***.",
            ["Separate your thinking and the final answer with ***."],
        ),
        (  # "... and should not ..." and "... and that ..." are instructions of their own
            "Write a resume. It should be good enough for a big company and should not "
            "contain any commas.",
            ["It should be good enough for a big company"],
        ),
        (
            "Write a note. Make sure your whole answer is wrapped in double quotes and that "
            "it has five sections.",
            [],
        ),
        (  # a tone beside quoted keywords is judged; the keywords are read
            'Write a limerick. Make sure it is funny and includes the words "cat" and "hat".',
            ["Make sure it is funny"],
        ),
    ],
)
def test_and_splits_instructions_not_the_things_one_names(prompt: str, judged: list[str]) -> None:
    found = _described(prompt)
    assert [text for how, text in found if how == "judged"] == judged, found
    assert any(how == "rule" for how, _ in found)


def test_a_count_after_and_that_is_read_not_swallowed() -> None:
    prompt = (
        "Write a note. Make sure your whole answer is wrapped in double quotes and that "
        "it has five sections."
    )
    assert b.count("section", "exactly", 5) in atoms(prompt)


@pytest.mark.parametrize(
    ("prompt", "judged"),
    [
        ("Write a poem. Let it sound melancholy and use no commas.", "Let it sound melancholy"),
        (
            "Explain oolong. Shape it as a dialogue between two friends.",
            "Shape it as a dialogue between two friends.",
        ),
        ("Describe tea. Use no commas, plus sprinkle in some humour.", "sprinkle in some humour."),
    ],
)
def test_an_instruction_whose_verb_no_list_names_is_judged(prompt: str, judged: str) -> None:
    assert ("judged", judged) in _described(prompt)


def test_a_statement_of_fact_imposes_nothing() -> None:
    assert extract_requirements("Dogs love the park. Tell me why.") == []


def test_the_grammar_s_cap_wins_over_a_phrasing_count_in_a_longer_sentence() -> None:
    prompt = "Write a note about tea. Limit your reply to 2 paragraphs and keep the tone warm."
    assert b.count("paragraph", "at_most", 2) in atoms(prompt)
    assert b.count("paragraph", "exactly", 2) not in atoms(prompt)


def test_a_keyword_count_beside_a_highlight_count_is_read() -> None:
    prompt = (
        "Write a note about tea. Make sure the word kettle appears at least 3 times, and "
        "include two italic text sections."
    )
    assert b.occurrences("kettle", "at_least", 3, whole_word=True) in atoms(prompt)
    assert b.count("highlight", "at_least", 2) in atoms(prompt)


def test_a_count_never_reaches_across_lines_to_a_noun() -> None:
    prompt = (
        "Describe tea.\n- Shape it as a dialogue between two friends\n"
        "- Paragraphs must all start with 'Also'"
    )
    assert not any(isinstance(a, Compare) and "paragraph" in repr(a) for a in atoms(prompt))
    assert ("judged", "Shape it as a dialogue between two friends") in _described(prompt)
    assert all(c.expr is not None for c in extract_requirements(prompt) if "Also" in c.checks)


def test_what_parts_hold_is_judged_beside_the_count_of_parts() -> None:
    prompt = "Explain how tea is made. Separate the summary and the details with a line of ***"
    found = _described(prompt)
    assert ("judged", "Separate the summary and the details with a line of ***") in found
    assert any(how == "rule" for how, _ in found)  # the two parts are still counted


@pytest.mark.parametrize(
    "prompt",
    [
        "Summarise the article. Use exactly 3 bullet points, each under 10 words.",
        "Write 4 lines, every one under 8 words.",
    ],
)
def test_a_measure_of_each_unit_is_never_read_as_a_measure_of_the_answer(prompt: str) -> None:
    assert not any(
        isinstance(a, Compare) and a.count.unit == Named("word") for a in atoms(prompt)
    ), atoms(prompt)
    assert any(c.judged or isinstance(c.expr, Select) for c in extract_requirements(prompt))


@pytest.mark.parametrize(
    ("prompt", "judged"),
    [
        ("Write a toast for my sister. Stay upbeat but not cheesy.", "Stay upbeat but not cheesy."),
        ("Explain rust. Use no commas; err on the side of brevity.", "err on the side of brevity."),
        ("Plan a picnic.\n1. Avoid the word 'ham'\n2. Feel free to joke", "Feel free to joke"),
    ],
)
def test_an_instruction_opening_with_any_verb_of_the_lexicon_is_judged(
    prompt: str, judged: str
) -> None:
    """A bare verb first ("Stay", "Err", "Feel") is an instruction, whether or not a
    list of ours names the verb; "but not ..." stays with the clause it qualifies."""
    assert ("judged", judged) in _described(prompt)


@pytest.mark.parametrize(
    "prompt",
    [
        "Write a note. Time is short.",
        "Summarise the memo below.\nTask Summary\nWind farms cut costs.",
        "Draft two versions.\nCover letter version 1\nCover letter version 2",
    ],
)
def test_a_heading_or_a_statement_whose_first_word_can_be_a_verb_imposes_nothing(
    prompt: str,
) -> None:
    """A noun that can be a verb ("Time", "Cover", "Wind") opens a statement or a heading
    when a verb form or a noun follows it."""
    assert [c for c in extract_requirements(prompt) if c.judged] == []


def test_an_opening_then_does_not_hide_a_cap_from_the_grammar() -> None:
    prompt = "Write a note about tea. First, be kind. Then limit yourself to 3 lines."
    assert b.count("line", "at_most", 3) in atoms(prompt)
    assert b.count("line", "exactly", 3) not in atoms(prompt)


def test_a_unit_a_check_only_stands_for_does_not_let_its_label_carry_a_clause() -> None:
    """An ending check stands for "letter" ("end with the letter x"), but "cast it as a
    letter to a friend" names no letter it checks: that clause is judged apart."""
    prompt = (
        "Describe a walk. The last line should end with 'Next', and also cast it as a "
        "letter to a friend."
    )
    found = _described(prompt)
    assert ("judged", "cast it as a letter to a friend.") in found
    assert not any(how == "rule" and "friend" in text for how, text in found)


def test_instructions_in_a_star_list_or_in_brackets_after_the_task_are_read() -> None:
    starred = "Plan a trip.\n* Bring up the weather\n* Do it as a checklist"
    assert ("judged", "Bring up the weather") in _described(starred)
    assert ("judged", "Do it as a checklist") in _described(starred)
    bracketed = "Write a limerick about cats (lean into absurdity; use no commas)."
    found = _described(bracketed)
    assert ("judged", "lean into absurdity") in found
    assert ("rule", "use no commas.") in found


@pytest.mark.parametrize(
    "prompt",
    [
        "Write about tea (every paragraph should have at most 3 sentences).",
        "Describe a lake (each bullet point should have at most 8 words; be gentle).",
    ],
)
def test_a_length_said_for_each_unit_in_brackets_is_not_read_for_the_whole_answer(
    prompt: str,
) -> None:
    assert not any(
        isinstance(a, Compare) and a.count.unit in (Named("sentence"), Named("word"))
        for a in atoms(prompt)
    ), atoms(prompt)


def test_a_hyphenated_adjective_in_a_list_is_no_instruction() -> None:
    from cadenza.requirements.material import material

    assert not material("* Eye-catching!").directive
    assert material("* Eye the horizon").directive


def test_a_numbered_list_of_instructions_after_a_colon_is_read_not_skipped() -> None:
    """Lines after "...:" are an example's lines only when they name things ("Bullet
    point 1"); instructions there are read."""
    prompt = "Describe a harbour:\n1) Keep it under 50 words\n2) Lean towards melancholy"
    assert b.count("word", "less_than", 50) in atoms(prompt)
    assert ("judged", "Lean towards melancholy") in _described(prompt)
    example = "List two tips, such as:\n* Bullet point 1\n* Bullet point 2"
    assert not any(how == "judged" and "Bullet" in text for how, text in _described(example))


def test_an_opening_adverb_or_note_that_does_not_hide_an_instruction() -> None:
    prompt = "Describe a harbour. Ideally, keep it under 50 words. Certainly mention gulls."
    assert b.count("word", "less_than", 50) in atoms(prompt)
    assert ("judged", "Certainly mention gulls.") in _described(prompt)
    noted = "Describe a harbour. Note that you should limit your reply to 2 paragraphs."
    assert b.count("paragraph", "at_most", 2) in atoms(noted)


def test_what_follows_an_unread_instruction_after_a_comma_stays_with_it() -> None:
    prompt = "Describe a harbour. Use short, homely words."
    assert ("judged", "Use short, homely words.") in _described(prompt)


def test_a_reading_does_not_carry_the_rest_of_an_instruction_it_does_not_read() -> None:
    prompt = (
        "Describe a harbour. Note that you should limit your reply to 2 paragraphs, and "
        "you should also go for a dry, understated wit."
    )
    found = _described(prompt)
    assert ("judged", "you should also go for a dry, understated wit.") in found
    assert not any(how == "rule" and "wit" in text for how, text in found), found
    assert b.count("paragraph", "at_most", 2) in atoms(prompt)


@pytest.mark.parametrize(
    ("prompt", "judged"),
    [
        ("Explain tides. I'd like it as a dialogue.", "I'd like it as a dialogue."),
        ("Explain tides. The readers are nurses.", "The readers are nurses."),
        ("Explain tides.\nThis is for a sailing club.", "This is for a sailing club."),
    ],
)
def test_a_statement_that_asks_for_something_is_judged(prompt: str, judged: str) -> None:
    """A wish about the answer, or who it is for, asks for something though it is said
    as a statement; "This is for ..." introduces no material."""
    assert ("judged", judged) in _described(prompt)


@pytest.mark.parametrize(
    "prompt",
    [
        "I want to visit Oslo in May. Suggest three museums.",
        "This is the text: the tide is high.",
        "My readers loved the last issue. Write the next editorial.",
    ],
)
def test_statements_of_context_still_impose_nothing(prompt: str) -> None:
    assert [c for c in extract_requirements(prompt) if c.judged] == []


def test_wishes_said_before_the_request_are_requirements_not_the_task() -> None:
    prompt = "The mood should be calm. Keep jargon out. Write a poem about tides."
    found = _described(prompt)
    assert ("judged", "The mood should be calm.") in found
    assert ("judged", "Keep jargon out.") in found
    assert not any("Write a poem" in text for _, text in found)


@pytest.mark.parametrize(
    ("prompt", "judged"),
    [
        ("Write a poem about tides. Rhymes are welcome.", "Rhymes are welcome."),
        ("Write a poem about tides. A calm ending would be nice.", "A calm ending would be nice."),
        ("Write a poem about tides. Slang is not allowed.", "Slang is not allowed."),
    ],
)
def test_what_is_welcome_or_forbidden_is_judged(prompt: str, judged: str) -> None:
    assert ("judged", judged) in _described(prompt)


def test_a_permission_asks_for_nothing() -> None:
    prompt = "Write a poem about tides. Markdown is fine. Contractions are okay."
    assert [c for c in extract_requirements(prompt) if c.judged] == []


@pytest.mark.parametrize(
    ("prompt", "judged"),
    [
        ("Describe a harbour. Could you aim it at a first-time visitor?", "first-time visitor"),
        ("Describe a harbour. Why not make it a lullaby?", "lullaby"),
        ("Describe a harbour. It ought to feel sleepy.", "sleepy"),
        ("Describe a harbour. The piece is meant for a museum wall.", "museum wall"),
    ],
)
def test_requests_said_as_questions_and_other_statements_that_ask_are_judged(
    prompt: str, judged: str
) -> None:
    assert any(how == "judged" and judged in text for how, text in _described(prompt))


def test_a_question_asking_an_opinion_is_no_request() -> None:
    prompt = "Would you consider yourself patient? Answer in one word."
    assert not any("patient" in text for _, text in _described(prompt))


@pytest.mark.parametrize(
    ("prompt", "judged"),
    [
        # the request is a question: the instruction after it is no task clause
        ("What do you think about green tea? Make it short.", "Make it short."),
        ("Is tea healthy? Answer in a Shakespearean style.", "Answer in a Shakespearean style."),
        # the request is a statement: a requirement said with a modal is no task clause
        (
            "A sales pitch is needed for a new soap. The sales pitch should be cheerful.",
            "The sales pitch should be cheerful.",
        ),
        # a subject of more than one word before the modal
        (
            "Write a poem about rain. Your entire response should contain the poem only.",
            "Your entire response should contain the poem only.",
        ),
    ],
)
def test_an_instruction_after_a_question_or_with_a_long_subject_is_judged(
    prompt: str, judged: str
) -> None:
    reading = read_prompt(prompt)
    assert judged in [c.requirement.description for c in reading.requirements if c.judged]
    assert not any(prompt[s:e] == judged for s, e in reading.aside)


def test_a_listed_requirement_with_a_count_after_a_colon_is_read_not_taken_for_an_example() -> None:
    prompt = (
        "Explain how to brew oolong.\n\nRequirements:\n"
        "- Give me 4 or fewer sentences\n- Lean into the drama"
    )
    found = _described(prompt)
    assert ("rule", "Give me 4 or fewer sentences") in found
    assert ("judged", "Lean into the drama") in found


@pytest.mark.parametrize(
    "prompt",
    [
        "Write a poem about autumn. For readers who speak English as a second language.",
        "Describe the market. My neighbours speak Italian at home.",
    ],
)
def test_a_language_other_people_speak_is_not_the_answers_language(prompt: str) -> None:
    reading = read_prompt(prompt)
    assert not any(isinstance(n, Language) for c in reading.requirements for n in _nodes(c))
    assert reading.aside  # set aside by name, for a model to sort, not read as a check


@pytest.mark.parametrize(
    "prompt", ["Write a poem. Speak only French.", "Describe Paris. You must speak Spanish."]
)
def test_speak_said_to_the_one_answering_sets_the_language(prompt: str) -> None:
    (req,) = read_prompt(prompt).requirements
    assert any(isinstance(n, Language) for n in _nodes(req))


def _nodes(c: CompiledRequirement) -> list[Expr]:
    return [] if c.expr is None else [c.expr, *flatten(c.expr)]


@pytest.mark.parametrize(
    "prompt",
    [
        "Write about bikes in lowercase Dutch.",
        "Write about bikes in Dutch, all lowercase.",
        "Write a poem in all lowercase English about rain.",
    ],
)
def test_a_case_said_beside_a_language_is_checked_not_dropped(prompt: str) -> None:
    """The case and the language are both checked: a capital letter fails the answer."""
    from cadenza.requirements.lang.evaluate import evaluate

    checks = [c.expr for c in extract_requirements(prompt) if c.expr is not None]
    passed = all(evaluate(e, "de fiets is mooi en het wiel draait.").passed for e in checks)
    assert "Dutch" not in prompt or passed
    assert not all(evaluate(e, "De fiets is mooi en het wiel draait.").passed for e in checks)


@pytest.mark.parametrize(
    ("prompt", "judged"),
    [
        ("Keep it simple. What is a monad?", "Keep it simple."),
        ("Use British spelling. Which bike suits a beginner?", "Use British spelling."),
        ("Only the final number please. What is 17 times 23?", "Only the final number please."),
        ("What is 17 times 23? Just the number.", "Just the number."),
        ("Bullet points please. What are the pros and cons of WFH?", "Bullet points please."),
        ("No jargon. How does a mortgage work?", "No jargon."),
        ("Answer only with true or false: cats can swim.", "Answer only with true or false"),
        ("A short poem about autumn? Rhyming couplets, please.", "Rhyming couplets, please."),
        ("What should I call my cafe? Something punny.", "Something punny."),
        ("Short answer. Is Pluto a planet?", "Short answer."),
        ("How do tides work? Explain it like I'm five.", "Explain it like I'm five."),
        ("Who was Ada Lovelace? Write a limerick about her.", "Write a limerick about her."),
    ],
)
def test_an_instruction_beside_a_question_is_never_taken_for_the_task(
    prompt: str, judged: str
) -> None:
    """Where the request is a question, an instruction before or after it (or a request
    said without its verb) is a requirement: it was taken for the task and vanished."""
    reading = read_prompt(prompt)
    assert [c.requirement.description for c in reading.requirements] == [judged]


@pytest.mark.parametrize(
    "prompt",
    [
        "We are 3 adults and 2 kids visiting Rome for 4 days. Where should we stay?",
        "My daughter is 7 and loves funny stories. What should I read to her?",
        "He is very serious about deadlines. How do I ask for an extension?",
        "Just wondering. What is the capital of Peru?",
    ],
)
def test_a_statement_about_the_asker_imposes_nothing(prompt: str) -> None:
    """A tone or audience word in a statement about the asker or someone they know
    describes them; it is set aside, and reported so."""
    reading = read_prompt(prompt)
    assert reading.requirements == ()
    assert reading.unsorted


@pytest.mark.parametrize(
    "prompt",
    [
        "Our readers are beginners. Explain recursion.",
        "My brand's voice is playful. Write a tagline.",
    ],
)
def test_a_statement_about_the_answers_readers_or_voice_is_still_judged(prompt: str) -> None:
    reading = read_prompt(prompt)
    assert [c.method for c in reading.requirements] == ["judged"]


@pytest.mark.parametrize(
    ("prompt", "judged"),
    [
        ("Write about tea. No more than 3 paragraphs, each starting with a verb.", "each starting"),
        ("List 4 bullet points, all of them questions.", "all of them questions"),
    ],
)
def test_what_each_counted_part_must_be_is_judged_not_set_aside(prompt: str, judged: str) -> None:
    reading = read_prompt(prompt)
    assert any(
        c.method == "judged" and judged in c.requirement.description for c in reading.requirements
    )


def test_what_each_thing_in_a_statement_is_asks_nothing() -> None:
    assert (
        read_prompt("I have two cats, both of them black. What names suit them?").requirements == ()
    )
