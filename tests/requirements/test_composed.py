"""The composed-prompt coverage set: prompts built from a task, inventory sentences and
directives no rule reads; no part of a prompt may vanish."""

from __future__ import annotations

import pytest

from cadenza.bench.composed import (
    BLIND2_DIRECTIVES,
    BLIND3_DIRECTIVES,
    BLIND4_DIRECTIVES,
    BLIND5_DIRECTIVES,
    BLIND6_DIRECTIVES,
    BLIND_DIRECTIVES,
    DIRECTIVES,
    FRESH_DIRECTIVES,
    JOINS,
    Outcome,
    Part,
    _fate,
    prompts,
    score,
    side,
    split,
    summary,
)
from cadenza.requirements.compile import CompiledRequirement
from cadenza.requirements.lang import build as b
from cadenza.requirements.lang.nodes import Expr
from cadenza.task import Requirement


def test_prompts_are_fixed_and_every_join_and_directive_is_used() -> None:
    first = [p.text for p in prompts()]
    assert first == [p.text for p in prompts()]
    assert len(first) == len(JOINS) * len(DIRECTIVES) * 2
    used = {d.clause for p in prompts() for part in p.parts if (d := part.directive)}
    assert used == {d.clause for d in DIRECTIVES}
    fresh = {d.clause for p in prompts("fresh") for part in p.parts if (d := part.directive)}
    assert fresh == {d.clause for d in FRESH_DIRECTIVES} and not fresh & used
    blind = {d.clause for p in prompts("blind") for part in p.parts if (d := part.directive)}
    assert blind == {d.clause for d in BLIND_DIRECTIVES} and not blind & (fresh | used)
    newest = {d.clause for p in prompts("blind2") for part in p.parts if (d := part.directive)}
    assert newest == {d.clause for d in BLIND2_DIRECTIVES}
    assert not newest & (blind | fresh | used)
    last = {d.clause for p in prompts("blind3") for part in p.parts if (d := part.directive)}
    assert last == {d.clause for d in BLIND3_DIRECTIVES}
    assert not last & (newest | blind | fresh | used)
    sixth = {d.clause for p in prompts("blind4") for part in p.parts if (d := part.directive)}
    assert sixth == {d.clause for d in BLIND4_DIRECTIVES}
    assert not sixth & (last | newest | blind | fresh | used)
    seventh = {d.clause for p in prompts("blind5") for part in p.parts if (d := part.directive)}
    assert seventh == {d.clause for d in BLIND5_DIRECTIVES}
    assert not seventh & (sixth | last | newest | blind | fresh | used)
    eighth = {d.clause for p in prompts("blind6") for part in p.parts if (d := part.directive)}
    assert eighth == {d.clause for d in BLIND6_DIRECTIVES}
    assert not eighth & (seventh | sixth | last | newest | blind | fresh | used)
    with pytest.raises(ValueError, match="no composed set"):
        list(prompts("nope"))


def test_the_split_halves_joins_and_directive_families() -> None:
    (joins_a, joins_b), (fam_a, fam_b) = split(0)
    assert joins_a | joins_b == set(JOINS) and not joins_a & joins_b
    assert fam_a | fam_b == {d.family for d in DIRECTIVES} and not fam_a & fam_b
    sides = {side(p, 0) for p in prompts()}
    assert sides == {"a", "b", "mixed"}


def _requirement(text: str, expr: Expr | None = None) -> CompiledRequirement:
    if expr is None:
        return CompiledRequirement(Requirement(text), "judged", rubric=text)
    return CompiledRequirement(Requirement(text), "rule", expr)


def test_a_directive_only_in_a_check_s_label_is_carried_not_judged() -> None:
    directive = DIRECTIVES[0]  # make it funny
    prompt = f"Write a poem. Use no commas and {directive.clause}."
    part = Part(directive.clause, directive=directive)
    carried = (_requirement(f"Use no commas and {directive.clause}.", b.no_characters(",")),)
    assert _fate(prompt, part, carried) == "carried"
    judged = (*carried, _requirement(directive.clause))
    assert _fate(prompt, part, judged) == "judged"
    assert _fate(prompt, part, ()) == "dropped"


def test_no_directive_vanishes_from_the_composed_prompts() -> None:
    outcomes: list[Outcome] = [o for p in prompts() for o in score(p)]
    lost = [(o.part.text, o.prompt.text) for o in outcomes if o.fate in ("carried", "dropped")]
    assert lost == []
    assert summary(outcomes)["items"]["checked"] >= 120  # of 128 readable items
