"""The planner's arithmetic and its round-by-round choices, without a model."""

from __future__ import annotations

import math

import pytest

from cadenza.planner.costs import Cost, CostBook, PromptSizes, Remaining, cost_fraction
from cadenza.planner.state import Beliefs, Search, SearchLimits
from cadenza.planner.strategies.refine import RefinePolicy
from cadenza.planner.strategies.tree import (
    Option,
    TreePolicy,
    at_least_one,
    best_option,
    choose_width,
)
from cadenza.planner.strategy import Action, FixAction, MergeAction, SampleAction
from cadenza.providers.base import estimate_tokens
from cadenza.requirements.assessment import Assessment, ExprValidator
from cadenza.requirements.lang import build as b
from cadenza.requirements.verdict import Verdict
from cadenza.task import Requirement

REQS = (Requirement("at least 10 words"), Requirement("mention acme"))
EXPRS = (b.count("word", "at_least", 10), b.includes(["acme"]))


def make_search(models: tuple[str, ...] = ("m:a",), **prices: float) -> Search:
    from cadenza.settings import Price

    costs = CostBook(
        max_tokens=100,
        sizes=PromptSizes(sample=60, fix=140, merge=140, judge=200),
        prices={m: Price(p, p) for m, p in prices.items()},
    )
    return Search(ExprValidator(REQS, EXPRS), models, costs, limits=SearchLimits(keep=2))


def _after_round(tree: TreePolicy, search: Search, remaining: Remaining) -> list[Action]:
    """What the runner does when a round has settled: advance it, ask the policy."""
    search.next_round()
    return tree.after_round(search, remaining, 1)


def test_cost_fraction_uses_the_tightest_axis_and_refuses_what_does_not_fit() -> None:
    cost = Cost(calls=1, tokens=500)
    assert cost_fraction(cost, Remaining(calls=10, tokens=1000)) == pytest.approx(0.5)
    assert cost_fraction(cost, Remaining(calls=0)) == math.inf
    assert 0 < cost_fraction(cost, Remaining()) < 0.1  # unlimited: small but not zero


def test_width_grows_as_the_pass_chance_falls_and_respects_the_budget() -> None:
    assert choose_width(0.9, affordable=20, max_width=6) == 1
    assert choose_width(0.5, affordable=20, max_width=6) == 3
    assert choose_width(0.1, affordable=20, max_width=6) == 6
    assert choose_width(0.1, affordable=4, max_width=6) == 2  # half the budget at most
    assert at_least_one(0.5, 3) == pytest.approx(0.875)


def test_beliefs_learn_from_samples_and_fixes() -> None:
    beliefs = Beliefs(REQS)
    prior = beliefs.p_sample("m")
    failing = Assessment(REQS, {0: Verdict(0.2, False, ""), 1: Verdict(1.0, True, "")})
    for _ in range(5):
        beliefs.observe_sample("m", failing)
    assert beliefs.p_sample("m") < prior / 2
    before = beliefs.p_fix(failing)
    fixed = Assessment(REQS, {0: Verdict(1.0, True, ""), 1: Verdict(1.0, True, "")})
    for _ in range(5):
        beliefs.observe_fix(failing, fixed)
    assert beliefs.p_fix(failing) > before


def test_best_option_maximises_gain_per_cost_and_may_choose_to_stop() -> None:
    cheap = Option("fix", 0.4, 0.1, "cheap")
    dear = Option("resample", 0.5, 0.5, "dear")
    assert best_option([dear, cheap]) is cheap
    assert best_option([Option("fix", 0.5, 1.5, "too dear")]) is None
    assert best_option([Option("fix", 0.001, 0.1, "hopeless")]) is None


def test_a_round_keeps_the_best_ditches_the_rest_and_fixes_the_leader() -> None:
    search = make_search()
    near = search.admit("acme " + "w " * 7, "sample", "m:a")  # 8 words, has acme
    far = search.admit("w w", "sample", "m:a")
    mid = search.admit("w " * 9, "sample", "m:a")
    for c in (near, far, mid):
        search.settled(c.id)
    actions = _after_round(TreePolicy(), search, Remaining(calls=10, tokens=10_000))
    assert search.candidates[far.id].status == "ditched"
    assert search.candidates[near.id].status == "kept"
    assert actions == [FixAction(near.id, "m:a")]
    assert [d.action for d in search.decisions] == ["ditch", "fix"]
    assert "chance" in search.decisions[-1].reason


def test_complementary_candidates_can_be_merged() -> None:
    search = make_search()
    words = search.admit("w " * 12, "sample", "m:a")  # long, no acme
    acme = search.admit("acme", "sample", "m:a")  # short, has acme
    for c in (words, acme):
        search.settled(c.id)
        search.set_status(c.id, "kept")
    options = TreePolicy().options(search, Remaining(calls=10, tokens=10_000))
    merges = [o for o in options if o.action == "merge"]
    assert merges and set(merges[0].targets) == {words.id, acme.id}
    assert isinstance(TreePolicy().to_action(search, merges[0]), MergeAction)


def test_a_failing_cheap_model_escalates_to_the_next() -> None:
    search = make_search(("m:cheap", "m:dear"), **{"m:cheap": 0.1, "m:dear": 5.0})
    for _ in range(4):
        c = search.admit("w", "sample", "m:cheap")
        search.settled(c.id)
    actions = _after_round(TreePolicy(), search, Remaining(calls=10, dollars=1.0))
    switches = [d for d in search.decisions if d.action == "switch_model"]
    assert switches and "escalate from m:cheap" in switches[0].reason
    assert actions and all(a.model == "m:dear" for a in actions)  # fix or sample there
    assert search.current_model() == "m:dear"


def test_no_improvement_for_several_rounds_stops_with_no_progress() -> None:
    search = make_search()
    c = search.admit("w", "sample", "m:a")
    search.settled(c.id)
    reasons = []
    tree = TreePolicy()  # remembers the best score of each round
    for _ in range(6):
        _after_round(tree, search, Remaining(calls=100, tokens=100_000))
        if search.finish:
            reasons.append(search.finish)
            break
    assert reasons == ["no_progress"]
    assert "has not improved" in search.explanation


def test_repairs_are_kept_only_when_nothing_regresses() -> None:
    from cadenza.requirements.lang.nodes import StartsWith
    from cadenza.requirements.repair import repair

    reqs = (Requirement("lowercase"), Requirement("no commas"), Requirement("start with ACME"))
    exprs = (b.lowercase(), b.no_characters(","), StartsWith("ACME", case_sensitive=True))
    validator = ExprValidator(
        reqs, exprs, methods=("rule", "rule", "given"), repair_fn=lambda t, e, a: repair(t, e, a)
    )
    text = "ACME, Hello"
    verdicts = validator.check(text)
    assert [verdicts[i].passed for i in range(3)] == [False, False, True]
    assert [verdicts[i].method for i in range(3)] == ["rule", "rule", "given"]
    fixed = validator.repair(text, verdicts)
    # lowercasing would break the passing start phrase: only the commas are repaired
    assert fixed == "ACME Hello"
    after = validator.check(fixed)
    assert [after[i].passed for i in range(3)] == [False, True, True]


def test_a_validator_without_a_judge_reports_judged_requirements_unverified() -> None:
    import anyio

    from cadenza.providers.scripted import ScriptedModel

    validator = ExprValidator((Requirement("be kind"),), (None,))
    assert validator.judged == (0,) and validator.check("anything") == {}
    judgement = anyio.run(validator.judge, "anything", 0, ScriptedModel())
    assert not judgement.verdict.passed and judgement.verdict.method == "unverified"


def test_several_models_start_with_the_cheapest() -> None:
    search = make_search(("m:dear", "m:cheap"), **{"m:cheap": 0.1, "m:dear": 5.0})
    assert search.current_model() == "m:cheap"
    actions = TreePolicy(max_width=2).first(search, Remaining(calls=10), 1)
    assert actions == [SampleAction("m:cheap", 2)]


def test_equally_priced_models_are_sampled_side_by_side() -> None:
    search = make_search(("m:a", "m:b"))
    actions = TreePolicy(max_width=3).first(search, Remaining(calls=10), 1)
    assert [a.model for a in actions if isinstance(a, SampleAction)] == ["m:a", "m:b", "m:a"]


def test_fix_now_fixes_a_leader_never_fixed_within_the_fix_depth() -> None:
    tree = TreePolicy(speculate=True)
    search = make_search()
    cand = search.admit("acme", "sample", "m:a")  # fails "at least 10 words"
    assert tree.fix_now(search, cand.id, 2) == [FixAction(cand.id, "m:a")]
    assert tree.fix_now(search, cand.id, 1) == []  # one slot: no speculation
    fixed = search.admit("acme once more", "fix", "m:a", parents=(cand.id,))
    assert tree.fix_now(search, fixed.id, 2) == []  # its lineage has a fix already
    search = make_search()
    search.limits = SearchLimits(max_fix_depth=0)
    cand = search.admit("acme", "sample", "m:a")
    assert tree.fix_now(search, cand.id, 2) == []


def test_refine_prices_a_fix_as_the_tree_does() -> None:
    """A draft's tokens are estimated once (`estimate_tokens`): a fix whose estimate is
    a token over what is left is not started."""
    search = make_search()
    leader = search.admit("acme!", "sample", "m:a")  # 5 characters: 2 tokens, not 1
    search.next_round()
    need = search.costs.checked("fix", "m:a", estimate_tokens(leader.text))
    refine = RefinePolicy(max_rounds=5)
    assert refine.after_round(search, Remaining(tokens=need.tokens), 1) == [
        FixAction(leader.id, "m:a")
    ]
    assert refine.after_round(search, Remaining(tokens=need.tokens - 0.5), 1) == []
    assert search.finish == "budget_spent"
