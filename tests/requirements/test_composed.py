"""The composed-prompt coverage set: prompts built from a task, inventory sentences and
directives no rule reads; no part of a prompt may vanish."""

from __future__ import annotations

import pytest

from cadenza.bench.composed import (
    DIRECTIVES,
    JOINS,
    SETS,
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
    assert list(SETS) == ["dev", "fresh", "blind", *(f"blind{n}" for n in range(2, 10))]
    earlier: set[str] = set()
    for name, (_, directives) in SETS.items():  # each set its own, none an earlier one's
        used = {d.clause for p in prompts(name) for part in p.parts if (d := part.directive)}
        assert used == {d.clause for d in directives}, name
        assert not used & earlier, name
        earlier |= used
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


def test_a_context_sentence_is_scored_apart_and_imposed_only_when_a_requirement_is_made_of_it() -> (
    None
):
    with_context = [p for p in prompts("blind7") if any(part.context for part in p.parts)]
    assert len(with_context) == len(SETS["blind7"][0]) * len(SETS["blind7"][1])
    prompt = with_context[0]
    context = next(part for part in prompt.parts if part.context is not None)
    start = prompt.text.lower().find(context.text.lower())
    aside = score(prompt, found=())
    assert {o.fate for o in aside if o.part is context} == {"aside"}
    made = CompiledRequirement(
        Requirement(description=context.text),
        "judged",
        rubric=context.text,
        span=(start, start + len(context.text)),
    )
    imposed = score(prompt, found=(made,))
    assert {o.fate for o in imposed if o.part is context} == {"imposed"}
    counts = summary(imposed)["contexts"]
    assert (counts["n"], counts["imposed"]) == (1, 1)
    assert "contexts" not in summary([o for p in prompts("blind6") for o in score(p)][:4])
