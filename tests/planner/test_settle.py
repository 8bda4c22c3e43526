"""`settle` is the one place a solve's finish reason is decided: each rule, alone."""

from __future__ import annotations

import pytest

from cadenza.planner.strategy import settle
from cadenza.requirements.assessment import Assessment
from cadenza.requirements.verdict import Verdict
from cadenza.task import Requirement

REQS = (Requirement("at most 20 words"), Requirement("a warm tone"))
CHECKED = Verdict(1.0, True, "12 words", "", "check:word_count")


def _answer(warm: Verdict | None) -> Assessment:
    verdicts = {0: CHECKED} if warm is None else {0: CHECKED, 1: warm}
    return Assessment(REQS, verdicts)


def test_a_confident_pass_is_satisfied_and_needs_no_note() -> None:
    done = settle("satisfied", "c1 passes", _answer(Verdict(0.95, True, "yes", "", "judged")))
    assert done.reason == "satisfied" and done.notes == ()


@pytest.mark.parametrize("stopped", ["budget_spent", "no_progress"])
def test_an_answer_that_passed_as_the_budget_ran_out_is_satisfied(stopped: str) -> None:
    answer = _answer(Verdict(1.0, True, "yes", "", "judged"))
    assert settle(stopped, "why", answer).reason == "satisfied"  # type: ignore[arg-type]


def test_the_final_judges_no_is_never_satisfied() -> None:
    answer = _answer(Verdict(1.0, True, "yes", "", "judged"))
    done = settle("satisfied", "c1 passes", answer, rejected=True)
    assert done.reason == "no_progress" and done.notes == ("c1 passes",)


def test_an_unconfident_yes_is_unverified_and_named() -> None:
    done = settle("satisfied", "c1 passes", _answer(Verdict(0.55, True, "yes", "", "judged")))
    assert done.reason == "unverified"
    assert len(done.notes) == 1 and "a-warm-tone (P(yes) = 0.55)" in done.notes[0]


def test_a_requirement_never_judged_is_pending() -> None:
    done = settle("budget_spent", "the budget ran out", _answer(None))
    assert done.reason == "pending"
    assert done.notes[0] == "the budget ran out"
    assert "before the answer was judged on: a-warm-tone" in done.notes[1]


def test_with_the_judge_off_an_unjudged_requirement_is_not_pending_on_the_budget() -> None:
    done = settle("completed", "a single call was made", _answer(None), judging=False)
    assert done.reason == "completed"
    assert done.notes == (
        "Not judged: a-warm-tone (the judge is off: option judge). They count as not met.",
    )


def test_a_judge_that_failed_leaves_the_answer_unverified() -> None:
    failed = Verdict(0.0, False, "the judge failed", "", "judge_failed")
    done = settle("no_progress", "stuck", _answer(failed))
    assert done.reason == "unverified" and "Not verified: a-warm-tone" in done.notes[-1]


def test_no_answer_is_failed_unless_the_requirements_are_impossible() -> None:
    assert settle(None, "", None).reason == "failed"
    assert settle("satisfied", "", None).reason == "failed"
    impossible = settle("impossible", "they contradict", None)
    assert impossible.reason == "impossible" and impossible.notes == ("they contradict",)


def test_a_failing_answer_to_contradictory_requirements_is_impossible() -> None:
    failing = Assessment(REQS, {0: Verdict(0.0, False, "40 words", "", "check:word_count")})
    done = settle("no_progress", "stuck", failing, contradicted=True)
    assert done.reason == "impossible" and done.notes == ("stuck",)
    passing = _answer(Verdict(0.95, True, "yes", "", "judged"))
    assert settle("satisfied", "", passing, contradicted=True).reason == "satisfied"
