"""The implicit task requirement settled from the text where the text settles it."""

from __future__ import annotations

from cadenza.planner.task_screen import KEEP, kept_share, screen

REQUEST = "Write a short cover letter for a junior data analyst position at a retail company."
LETTER = (
    "Dear Hiring Manager, I am applying for the junior data analyst role. During my "
    "internship I cleaned weekly sales data with SQL and Python and built dashboards "
    "that helped the buyers plan stock. I would welcome the chance to talk. Sincerely, Alex"
)


def test_the_model_s_own_answer_passes_and_an_empty_one_fails() -> None:
    own = screen(LETTER, [], REQUEST)
    assert own is not None and own.passed and own.method == "rule"
    empty = screen("   \n", [], REQUEST)
    assert empty is not None and not empty.passed and "empty" in empty.reason


def test_refusals_and_the_request_pasted_back_go_to_the_judge() -> None:
    assert screen("I'm sorry, but I can't help with that.", [], REQUEST) is None
    assert screen("As an AI, I cannot write letters.", [], REQUEST) is None
    assert screen(REQUEST, [], REQUEST) is None
    assert screen(f"{REQUEST}\n\nSure.", [], REQUEST) is None
    # asked for: repeating the request, then answering, is doing the task
    asked = screen(REQUEST, [], REQUEST, repeat_asked=True)
    assert asked is not None and asked.passed
    # the request quoted inside a real answer is not the request pasted back
    assert screen(f"{REQUEST}\n\n{LETTER}", [], REQUEST) is not None


def test_a_rewrite_passes_when_it_keeps_the_content_and_is_judged_when_it_guts_it() -> None:
    lower = screen(LETTER.lower().replace(",", ""), [LETTER], REQUEST)
    assert lower is not None and lower.passed and "keeps 100%" in lower.reason
    gutted = "believe in a journey."
    assert kept_share(LETTER, gutted) < KEEP
    assert screen(gutted, [LETTER], REQUEST) is None
    # a merge keeps content from either parent
    assert screen(LETTER, ["something else entirely here", LETTER], REQUEST) is not None
