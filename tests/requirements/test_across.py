"""What one sentence of a prompt tells about another's reading (`across.py`): the request
to repeat, a divider or a label said apart from the count of parts, texts counted
before the divider that separates them, and a divider shown in a layout."""

from __future__ import annotations

from cadenza.requirements.extract import read_prompt
from cadenza.requirements.lang import build as b
from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.lang.nodes import Expr, Named, Pattern, RepeatsRequest, Split
from cadenza.requirements.material import walk


def _checks(prompt: str) -> list[Expr]:
    return [c.expr for c in read_prompt(prompt).requirements if c.expr is not None]


def _judged(prompt: str) -> list[str]:
    return [c.requirement.description for c in read_prompt(prompt).requirements if c.judged]


def _passes(prompt: str, answer: str) -> bool:
    return all(evaluate(e, answer).passed for e in _checks(prompt))


def test_a_count_of_paragraphs_and_their_divider_said_apart_are_one_check() -> None:
    prompt = "Write about tea in exactly 3 paragraphs. Separate the paragraphs with ***."
    assert _checks(prompt) == [b.paragraphs("exactly", 3, marker="***")]
    assert _passes(prompt, "Green.\n***\nBlack.\n***\nOolong.")
    assert not _passes(prompt, "Green.\n\nBlack.\n\nOolong.")  # no divider


def test_the_nth_paragraph_of_parts_between_dividers_is_the_nth_part() -> None:
    """A paragraph count said with a divider and "paragraph 2 must start with X"
    together: paragraph 2 is the second part between dividers."""
    prompt = (
        "Write a story in 4 paragraphs. Separate the paragraphs with ***. "
        'Paragraph 2 must start with the word "Meanwhile".'
    )
    nth = [e for e in _checks(prompt) if "nth" in repr(e)]
    assert len(nth) == 1 and Split("***") in set(walk(nth[0]))
    ok = "It rained.\n***\nMeanwhile, cats slept.\n***\nDogs ran.\n***\nThe end."
    assert _passes(prompt, ok)
    assert not _passes(prompt, ok.replace("Meanwhile, cats", "Cats"))


def test_a_label_said_apart_from_the_count_of_sections_counts_labelled_sections() -> None:
    prompt = "Write a guide in 3 sections. Mark the beginning of each section with STEP X."
    assert _checks(prompt) == [b.sections("exactly", 3, marker="STEP")]
    assert _passes(prompt, "STEP 1\nBoil.\nSTEP 2\nSteep.\nSTEP 3\nPour.")
    assert not _passes(prompt, "## Boil\n## Steep\n## Pour")


def test_sections_named_as_the_subject_are_no_count_of_the_answer_s_sections() -> None:
    prompt = "Write about the four sections of an orchestra. Mark each section with PART X."
    checks = _checks(prompt)
    assert checks == [b.sections("at_least", 1, marker="PART")]
    assert not any(Named("section") in set(walk(e)) for e in checks)
    assert "Write about the four sections of an orchestra." in _judged(prompt)


def test_texts_separated_by_a_divider_are_as_many_as_the_prompt_counted() -> None:
    prompt = "Write two limericks about rain. Separate them with ******."
    assert _checks(prompt) == [b.separated(2, "******")]


def test_a_divider_shown_in_a_layout_below_is_read_with_the_parts_it_shows() -> None:
    prompt = "Write a haiku about rain and one about snow. Separate the two poems like below:\n"
    prompt += "Poem 1\n******\nPoem 2"
    (check,) = _checks(prompt)
    assert evaluate(check, "Rain falls.\n******\nSnow falls.").passed
    assert not evaluate(check, "Rain falls.\n\nSnow falls.").passed


def test_the_request_to_repeat_is_the_text_before_the_instruction() -> None:
    prompt = (
        "Write a limerick about cats.\n\nFirst repeat the request above word for word, then answer."
    )
    assert _checks(prompt) == [RepeatsRequest("Write a limerick about cats.")]


def test_a_request_to_repeat_that_names_no_request_is_judged_not_pasted() -> None:
    prompt = "Please be brief. Repeat the request below word for word first."
    assert not any(isinstance(e, RepeatsRequest) for e in _checks(prompt))
    assert "Repeat the request below word for word first." in _judged(prompt)


def test_repeating_a_word_is_not_repeating_the_request() -> None:
    prompt = "Write a poem about spring. Repeat your favourite word in every sentence."
    assert not any(isinstance(a, RepeatsRequest) for e in _checks(prompt) for a in walk(e))
    assert "Repeat your favourite word in every sentence." in _judged(prompt)


def test_a_negated_or_conditional_divider_or_label_is_judged() -> None:
    for prompt in (
        "Write about cats in 3 paragraphs. Do not separate the paragraphs with ***.",
        "Write about dogs. If you write more than 3 paragraphs, separate them with ***.",
        "Write about cats in 3 sections. Do not mark the sections with SECTION X.",
    ):
        units = {u for e in _checks(prompt) for u in walk(e)}
        assert not any(isinstance(u, (Split, Pattern)) for u in units), prompt
        assert any("***" in j or "SECTION X" in j for j in _judged(prompt)), prompt


def test_a_format_shown_below_with_divider_lines_counts_its_parts_and_stays_judged() -> None:
    prompt = (
        "Plan a trip. Use the exact format below:\n\nDay 1: ...\n---\nDay 2: ...\n---\nDay 3: ..."
    )
    assert b.paragraphs("exactly", 3, marker="---") in _checks(prompt)
    assert "Use the exact format below" in _judged(prompt)
    trailing = "Plan a trip. Use the format below:\n\nDay 1\n---\nDay 2\n---\n...\n"
    assert not any(isinstance(u, Split) for e in _checks(trailing) for u in walk(e))


def test_a_reading_with_a_condition_after_it_in_its_sentence_is_judged_whole() -> None:
    prompt = "Write about a fox in exactly 4 paragraphs, but if you mention a hen, add a fifth."
    assert _checks(prompt) == []  # "exactly 4" alone would pass 4 paragraphs with a hen
    assert _judged(prompt) == [prompt]


def test_what_only_looks_like_a_condition_keeps_its_reading() -> None:
    compared = "Explain tides as if I were ten, in at most 80 words."
    assert b.count("word", "at_most", 80) in [e for c in _checks(compared) for e in walk(c)]
    quoted = "Critique this sentence in all capital letters: 'If it rains, stay in'."
    assert any("upper" in repr(c) for c in _checks(quoted))
    excluded = "Answer in Vietnamese only. No other language except Vietnamese is allowed."
    assert any("vi" in repr(c) for c in _checks(excluded))


def test_a_conditional_fragment_is_judged_not_dropped_and_a_hedge_is_no_condition() -> None:
    conditional = "Write a short note about green tea. If it rains, 2 or fewer headings."
    assert _checks(conditional) == []
    assert _judged(conditional) == ["If it rains, 2 or fewer headings."]
    hedged = "Write a short note about green tea. If possible, 2 or fewer headings."
    assert _checks(hedged) == [b.count("heading", "at_most", 2)]
