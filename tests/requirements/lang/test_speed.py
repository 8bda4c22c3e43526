"""The expressions and the 500-word answer that `benchmarks/check_speed.py` times: the
set must stay complete (every node kind, every selection, every case and format) and
each must give a verdict (timings are the benchmark's job, not a test's)."""

from __future__ import annotations

from typing import get_args

from lang_samples import EXPRESSIONS, REQUEST, sample_text

from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.lang.nodes import (
    CASE_KINDS,
    FORMAT_KINDS,
    SELECT_MODES,
    AllOf,
    AnyOf,
    Case,
    Compare,
    Expr,
    Format,
    Not,
    Predicate,
    Ratio,
    Select,
)

NODE_KINDS = {Compare, Ratio, Select, AllOf, AnyOf, Not, *get_args(Predicate)}


def parts(expr: Expr) -> list[Expr]:
    """`expr` and every expression inside it."""
    out = [expr]
    match expr:
        case Compare() if expr.count.where is not None:
            out += parts(expr.count.where)
        case Ratio():
            for c in (expr.numerator, expr.denominator):
                out += parts(c.where) if c.where is not None else []
        case Select():
            out += parts(expr.check) + (parts(expr.where) if expr.where is not None else [])
        case AllOf() | AnyOf():
            out += [p for e in expr.items for p in parts(e)]
        case Not():
            out += parts(expr.item)
    return out


def test_the_timed_set_covers_every_kind_of_node() -> None:
    found = [p for e in EXPRESSIONS.values() for p in parts(e)]
    assert {type(p) for p in found} == NODE_KINDS
    assert {p.mode for p in found if isinstance(p, Select)} == set(SELECT_MODES)
    assert {p.kind for p in found if isinstance(p, Case)} == set(CASE_KINDS)
    assert {p.kind for p in found if isinstance(p, Format)} == set(FORMAT_KINDS)


def test_each_timed_expression_gives_a_verdict_on_the_long_answer() -> None:
    text = sample_text()
    assert 450 <= len(text.split()) <= 560
    verdicts = {name: evaluate(e, text, request=REQUEST) for name, e in EXPRESSIONS.items()}
    assert all(0.0 <= v.score <= 1.0 and v.reason for v in verdicts.values())
    assert verdicts["compare"].passed  # about 500 words >= 300
    assert verdicts["language"].passed and verdicts["contains"].passed
    assert not verdicts["uppercase"].passed and not verdicts["json_value"].passed
