"""The generated reader inventory (`cadenza.bench.inventory`): its labels are right,
what the rules read of it is never decided wrongly, and limits said with a negation or
a verb of limiting keep their direction."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cadenza.bench import (
    inventory_casual,
    inventory_forms,
    inventory_marks,
    inventory_nested,
    inventory_parts,
    inventory_style,
    inventory_units,
    inventory_values,
)
from cadenza.bench.inventory import (
    FIRST_KINDS,
    RELATIONS,
    UNITS,
    _sentences,
    items,
    score,
    split,
    summary,
)
from cadenza.bench.inventory_forms import _characters, _chars
from cadenza.requirements.lang.codec import to_text
from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.lang.nodes import Bound, Compare, Count, Named
from cadenza.requirements.lang.units import find
from cadenza.requirements.rules import read


@pytest.mark.parametrize(("singular", "plural", "make", "numbers"), UNITS)
def test_each_unit_text_has_the_count_it_is_built_with(
    singular: str, plural: str, make: Callable[[int], str], numbers: tuple[int, ...]
) -> None:
    reading = read(f"Use exactly {numbers[0]} {plural}.")
    assert reading is not None and isinstance(reading.expr, Compare)
    for n in (numbers[0] - 1, numbers[0], numbers[0] + 1):
        assert len(find(reading.expr.count.unit, make(n))) == n


@pytest.mark.parametrize(("relation", "sayings", "counts"), RELATIONS)
def test_each_relation_labels_counts_on_the_right_side(
    relation: str, sayings: object, counts: Callable[[int], tuple[tuple[int, ...], ...]]
) -> None:
    expr = Compare(Count(Named("sentence")), Bound(relation, 5))  # type: ignore[arg-type]
    ok, bad = counts(5)
    assert all(evaluate(expr, _sentences(k)).passed for k in ok)
    assert not any(evaluate(expr, _sentences(k)).passed for k in bad)


def _first(family: str) -> bool:
    return family.split("/")[0] in FIRST_KINDS


def test_pieces_of_the_second_wave_have_the_length_they_are_built_with() -> None:
    assert all(len(_chars(n, i)) == n for n in (30, 44, 68) for i in range(4))
    assert all(len(_characters(k)) == k for k in (149, 150, 200, 201))


def test_nothing_the_rules_read_of_the_inventory_is_decided_wrongly() -> None:
    scored = [score(i) for i in items()]
    wrong = [s.item.sentence for s in scored if s.read and s.correct < len(s.item.answers)]
    assert wrong == []


def test_both_halves_of_the_split_are_mostly_read() -> None:
    """A floor, not the target: the held-out half (b at seed 0) was measured before any
    rule was written for it (0.806); the figure now is in the result file."""
    a, b = split(0)
    assert a and b and not a & b
    scored = [score(i) for i in items() if _first(i.family)]
    for half in (a, b):
        assert summary([s for s in scored if s.item.family in half])["read_share"] >= 0.8


@pytest.mark.parametrize(
    ("sentence", "means"),
    [
        ("Do not write more than 2 paragraphs.", '{"count":"paragraph","at_most":2}'),
        ("It must not exceed 40 words.", '{"count":"word","at_most":40}'),
        ("Don't go over 3 bullet points.", '{"count":"bullet","at_most":3}'),
        ("Never use fewer than 4 sentences.", '{"count":"sentence","at_least":4}'),
        ("Limit yourself to 4 sentences.", '{"count":"sentence","at_most":4}'),
        ("Limit your reply to exactly 4 sentences.", '{"count":"sentence","exactly":4}'),
        ("The first words should be 'Hello team'.", '{"starts_with":"Hello team"}'),
        ("The last words must be 'In short'.", '{"ends_with":"In short"}'),
        ("'kettle' must not appear.", '{"count":{"text":"kettle"},"exactly":0}'),
        ("Make sure 'oolong' appears.", '{"contains":"oolong"}'),
    ],
)
def test_limits_keep_their_direction(sentence: str, means: str) -> None:
    reading = read(sentence)
    assert reading is not None and to_text(reading.expr) == means


def test_a_phrasing_reading_that_drops_a_negation_is_not_taken() -> None:
    """ "Do not write more than 2 paragraphs" was read by a phrasing rule as "more than
    2 paragraphs": three paragraphs were `satisfied`."""
    reading = read("Do not write more than 2 paragraphs.")
    assert reading is not None
    three = "\n\n".join(["One two.", "Three four.", "Five six."])
    assert not evaluate(reading.expr, three).passed


# Floors, not targets. Each wave's families were read on side a and side b of split(0)
# before any rule was written for them; rules were then written for side a only, and
# side b was measured without tuning:
# - second (`inventory_forms`, `inventory_marks`): a 0.781, b 0.747 before; b 0.795 after
# - third (`inventory_style`): a 0.462, b 0.769 before; b 0.808 after
# - fourth (`inventory_parts`): a 0.458, b 0.292 before; b 0.5 after
# - fifth (`inventory_units`): a 0.5, b 0.6 (3 wrong each) before; b 0.9 after
# - sixth (`inventory_nested`): a 0.5, b 0.438 before; b 0.688 after
# - seventh (`inventory_casual`): a 0.591, b 0.45 before; a 0.955, b 0.45 after (side a's
#   unread sentence ends in "it's for LinkedIn", who the answer is for: a wish the
#   grammar does not set aside)
# - eighth (`inventory_values`): a 0.125 (3 wrong), b 0.05 before; a 0.75, b 0.35 after
@pytest.mark.parametrize(
    ("kinds", "side_a_floor", "side_b_floor"),
    [
        ((*inventory_forms.KINDS, *inventory_marks.KINDS), 0.98, 0.78),
        (inventory_style.KINDS, 0.98, 0.8),
        (inventory_parts.KINDS, 0.98, 0.5),
        (inventory_units.KINDS, 0.98, 0.9),
        (inventory_nested.KINDS, 0.98, 0.68),
        (inventory_casual.KINDS, 0.95, 0.43),
        (inventory_values.KINDS, 0.75, 0.35),
    ],
    ids=["second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"],
)
def test_each_wave_is_read_on_both_halves(
    kinds: tuple[str, ...], side_a_floor: float, side_b_floor: float
) -> None:
    a, b = split(0)
    scored = [score(i) for i in items() if i.family.split("/")[0] in kinds]
    assert summary([s for s in scored if s.item.family in a])["read_share"] >= side_a_floor
    assert summary([s for s in scored if s.item.family in b])["read_share"] >= side_b_floor
