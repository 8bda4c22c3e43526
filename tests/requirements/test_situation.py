"""The situation a question is about: statements in a prompt that asks only questions
ask nothing of the answer, even where they name a number and a unit; the same words
beside an instruction, or said with a modal or as a wish, are still read."""

from __future__ import annotations

import pytest

from cadenza.requirements.extract import extract_requirements, read_prompt
from cadenza.requirements.situation import situation, states


@pytest.mark.parametrize(
    "prompt",
    [
        "I sign every text message with two kisses. Is that too much for a first date?",
        "Our menu is three pages long and every dish has a 40-word description. Do diners read it?",
        "My editor wants all captions under 80 characters. Why would she ask for that?",
        "She always puts three exclamation marks after every sentence. Is she angry?",
        "My grandfather texted 'Don't visit before noon, bring bread'. Is he annoyed with me?",
        "I've kept a diary with one sentence per day for a year. What do people learn from that?",
        # after a setting, and with a name for a subject
        "When I text, I write everything in lowercase. Do people find that odd?",
        "At work I always answer emails in three lines or fewer. Is that too curt?",
        "Sam wants all his slides in capitals. Is that readable?",
        # what someone else has to do, or needs of another text
        "My daughter has to write a five-line poem for school. Any tips on picking a topic?",
        "My boss needs the report under 500 words. How do I cut it down?",
    ],
)
def test_a_statement_before_a_question_imposes_nothing(prompt: str) -> None:
    assert extract_requirements(prompt) == []
    reading = read_prompt(prompt)
    assert reading.aside and any("situation the question asks about" in n for n in reading.notes)


@pytest.mark.parametrize(
    ("prompt", "kept"),
    [
        # an instruction besides the question: the prompt asks more than questions
        ("Use a numbered list. My editor wants captions under 80 characters. Why?", "numbered"),
        (
            "My editor wants captions under 80 characters. Write three for this photo of a cat.",
            "80",
        ),
        # a modal, a wish or a plan of the asker's: what they say may be the answer's form
        ("My reply has to be under 50 words. What do I tell my landlord?", "50 words"),
        ("I need it in 3 bullet points. What are the benefits of green tea?", "3 bullet"),
        ("I'm writing a toast of at most 100 words for my sister. Any ideas?", "100 words"),
        ("The answer should be in French. How do I greet my neighbour?", "French"),
        ("It must fit on one line. What is a good name for a bakery?", "one line"),
        # what the asker's thing has to be may be the answer's form
        ("My toast has to be under 100 words. What should I say?", "100 words"),
        # someone else's duty beside a request: the answer may be that text
        ("My daughter has to write a five-line poem. Can you write one for her?", "five-line"),
    ],
)
def test_a_constraint_said_as_one_is_still_read(prompt: str, kept: str) -> None:
    found = extract_requirements(prompt)
    assert any(kept in c.requirement.description for c in found), found


@pytest.mark.parametrize(
    ("sentence", "stated"),
    [
        ("I usually reply to emails in one line.", True),
        ("We're three adults travelling for 4 days.", True),
        ("My cover page has 2 logos.", True),
        ("He wants every slide to have a title.", True),
        ("I'm going to Rome for 4 days.", True),
        ("I want 3 paragraphs.", False),
        ("I'd like a short answer.", False),
        ("I'm looking for a two-line slogan.", False),
        ("I'm going to write a 4-line poem.", False),
        ("I have to keep it under 200 words.", False),
        ("My essay needs to be 500 words.", False),
        ("My son has to write 300 words on volcanoes.", True),
        ("Our teacher needs the essays in 12-point font.", True),
        ("My speech has to stay under 3 minutes.", False),
        ("The response is 3 paragraphs.", False),
        ("It is for kids.", False),
        ("Keep it under 50 words.", False),
        ("My post is long, so keep it short.", False),
        ("On weekends, my kids watch 3 films.", True),
        ("Python uses 4 spaces.", True),
        ("If I ask, keep it short.", False),
        ("At the end, add a summary of 2 lines.", False),
        # the answer's parts said in the indicative are the answer's form
        ("Every paragraph ends with a question.", False),
        ("Paragraphs have 3 sentences.", False),
        ("The first line is a title.", False),
    ],
)
def test_what_counts_as_a_statement(sentence: str, stated: bool) -> None:
    assert states(sentence) is stated


def test_no_situation_without_a_question_or_beside_a_request() -> None:
    assert situation("My essay is 1200 words.") == ()
    assert situation("My essay is 1200 words. Can you shorten it to 1000?") == ()
    assert situation("My essay is 1200 words. Is that too long?") == ((0, 23),)
